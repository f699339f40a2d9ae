"""stickers: 安全帽“共产党员”标志 sheets from the sample roster — one per member or a count per branch, both
designs and sizes, N-up on A4 with cut lines; the emblem only from the picture given, never drawn."""
from __future__ import annotations

import re

import pytest
from PIL import Image, ImageDraw

from formgen.api import Job, compose
from formgen.api.stickers import NoEmblem, run_stickers
from formgen.cli.main import main
from formgen.document import Image as PlacedImage
from formgen.document import Rect
from formgen.resources import SAMPLES_DIR
from formgen.units import to_mm

from .conftest import pdf_text
from .readback import docx_text

ROSTER = SAMPLES_DIR / "roster.xlsx"


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    """A stand-in for the emblem picture a user supplies: a plain yellow square, not an emblem."""
    path = tmp_path_factory.mktemp("emblem") / "emblem.png"
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((40, 40, 360, 360), fill=(255, 210, 0, 255))
    image.save(path)
    return path


@pytest.fixture(scope="module")
def sheets(tmp_path_factory, picture):
    out = tmp_path_factory.mktemp("stickers")
    made = {
        "members": run_stickers(ROSTER, out / "members.pdf", ("pdf", "docx"), names=True),
        "branches": run_stickers(ROSTER, out / "branches.pdf", ("pdf",), design="round", per_branch=4),
        "emblem": run_stickers(ROSTER, out / "emblem.pdf", ("pdf",), design="round", size="small", emblem=picture),
    }
    return out, made


def pdf_images(path) -> list[int]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [len(page.images) for page in pdf.pages]


def test_one_per_member_with_names_sixteen_to_a_sheet(sheets):
    out, made = sheets
    result = made["members"]
    assert result.layout == "helmet-sticker" and result.report.rendered == 20 and result.report.failed == []
    pages = [re.sub(r"\s+", "", p) for p in pdf_text(out / "members.pdf")]
    assert len(pages) == 2  # 16 + 4
    assert "".join(pages).count("共产党员") == 20
    for name in ("王喆", "刘䶮", "黄𫖯", "赵𬌗", "乌兰巴特尔", "张敏"):
        assert name in "".join(pages)
    assert "黄𫖯" in docx_text(out / "members.docx")
    assert pdf_images(out / "members.pdf") == [0, 0]  # no emblem given: text and shapes only


def test_a_count_per_branch_round_fifteen_to_a_sheet(sheets):
    out, made = sheets
    result = made["branches"]
    assert result.layout == "helmet-sticker-round" and result.records == 20  # 5 branches × 4
    pages = [re.sub(r"\s+", "", p) for p in pdf_text(out / "branches.pdf")]
    assert [p.count("共产党员") for p in pages] == [15, 5]
    assert "王喆" not in "".join(pages)


def test_the_emblem_comes_only_from_the_picture_given(sheets):
    out, made = sheets
    assert made["emblem"].layout == "helmet-sticker-round-small"
    assert pdf_images(out / "emblem.pdf") == [20]  # the picture given, on each of the 20 stickers


def test_round_stickers_are_circles_with_dashed_cut_circles_on_a4():
    composition = compose(Job("helmet-sticker-round"), [{"所属党支部": "一支部"}] * 3)
    (page,) = composition.document.pages
    assert (round(to_mm(page.width)), round(to_mm(page.height))) == (210, 297)
    circles = [i for i in page.items if isinstance(i, Rect) and i.name in ("sticker", "cut-line")]
    assert len(circles) == 6
    for circle in circles:
        assert abs(circle.box.w - circle.box.h) < 1e-6 and abs(circle.radius - circle.box.w / 2) < 1e-6
        assert round(to_mm(circle.box.w), 2) == 50
    assert all(c.dash for c in circles if c.name == "cut-line")
    assert not [i for i in page.items if isinstance(i, PlacedImage)]


def test_counts_from_a_list_of_branches(tmp_path):
    path = tmp_path / "支部.csv"
    path.write_text("所属党支部,数量\n机关第一党支部,3\n生产运营党支部,2\n设备维修党支部,几个\n机关第一党支部,1\n",
                    encoding="utf-8")
    result = run_stickers(path, tmp_path / "s.pdf")
    assert result.records == 6
    assert [(p.row, p.column) for p in result.problems] == [(4, "数量")]
    assert re.sub(r"\s+", "", "".join(pdf_text(tmp_path / "s.pdf"))).count("共产党员") == 6


def test_an_unreadable_emblem_writes_nothing(tmp_path):
    bad = tmp_path / "党徽.png"
    bad.write_bytes(b"not a picture")
    with pytest.raises(NoEmblem, match="不是可以读取的图片"):
        run_stickers(ROSTER, tmp_path / "s.pdf", emblem=bad)
    from tests.test_web_security import _picture_bomb

    (tmp_path / "巨大.png").write_bytes(_picture_bomb())
    with pytest.raises(NoEmblem, match="不是可以读取的图片（不是图片、已损坏或过大）"):
        run_stickers(ROSTER, tmp_path / "s.pdf", emblem=tmp_path / "巨大.png")
    with pytest.raises(NoEmblem, match="找不到党徽图片"):
        run_stickers(ROSTER, tmp_path / "s.pdf", emblem=tmp_path / "无.png")
    assert not (tmp_path / "s.pdf").exists()


def test_a_branch_column_under_a_header_of_its_own_is_read_with_column(tmp_path, capsys):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,支部信息\n王喆,机关第一党支部\n李堃,机关第一党支部\n刘䶮,生产运营党支部\n", encoding="utf-8")
    out = tmp_path / "标志.pdf"
    assert main(["stickers", str(path), "-o", str(out), "--per-branch", "2"]) == 2  # no branch: nothing to print
    assert not out.exists() and "没有可以印的标志" in capsys.readouterr().err
    assert main(["stickers", str(path), "-o", str(out), "--per-branch", "2", "--column", "所属党支部=支部信息"]) == 0
    assert re.sub(r"\s+", "", "".join(pdf_text(out))).count("共产党员") == 4  # two branches, two each
    assert "共4个标志：安全帽“共产党员”标志（长方形）" in capsys.readouterr().err


def test_a_roster_with_nobody_in_it_says_so_rather_than_point_to_hints_not_given(tmp_path, capsys):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,所属党支部\n,\n", encoding="utf-8")
    assert main(["stickers", str(path), "-o", str(tmp_path / "标志.pdf"), "--per-branch", "2"]) == 2
    said = capsys.readouterr().err
    assert "错误：没有可以印的标志（名册.csv 中没有任何党员或支部），没有生成文件" in said
    assert "原因见上面的提示" not in said and not (tmp_path / "标志.pdf").exists()


def test_the_rows_left_out_are_listed_in_a_problem_list_beside_the_sheet(tmp_path, capsys):
    from openpyxl import load_workbook

    path = tmp_path / "支部.csv"
    path.write_text("所属党支部,数量\n机关第一党支部,3\n设备维修党支部,几个\n,2\n", encoding="utf-8")
    out = tmp_path / "标志.pdf"
    assert main(["stickers", str(path), "-o", str(out)]) == 0
    listed = tmp_path / "标志-问题清单.xlsx"
    assert f"问题清单（可在 Excel 中排序、筛选）：{listed}" in capsys.readouterr().err
    rows = list(load_workbook(listed).active.iter_rows(values_only=True))
    said = " ".join(str(cell) for row in rows[1:] for cell in row if cell is not None)
    assert len(rows) == 3 and "数量“几个”不是整数" in said and "没有填写党支部" in said
    path.write_text("所属党支部,数量\n机关第一党支部,3\n", encoding="utf-8")  # fixed: nothing to list
    listed.unlink()
    assert main(["stickers", str(path), "-o", str(out)]) == 0 and not listed.exists()


def test_a_row_that_reading_failed_counts_for_no_sticker(tmp_path):
    """An Excel error in a 数量 cell was reported as 这条记录没有生成: it adds no stickers, and is not also
    said to be a count that is not a whole number."""
    from openpyxl import Workbook

    book = Workbook()
    for row in (["所属党支部", "数量"], ["机关第一党支部", 3], ["生产运营党支部", "#REF!"], ["#N/A", 2]):
        book.active.append(row)  # openpyxl writes #REF! and #N/A as Excel's error values
    book.save(tmp_path / "支部.xlsx")
    result = run_stickers(tmp_path / "支部.xlsx", tmp_path / "s.pdf")
    assert result.records == 3
    assert sorted((p.row, p.column, p.level) for p in result.problems) == [(3, "数量", "error"), (4, "所属党支部", "error")]
    assert re.sub(r"\s+", "", "".join(pdf_text(tmp_path / "s.pdf"))).count("共产党员") == 3
