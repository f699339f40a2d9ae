"""DOCX against PDF through LibreOffice: same pages, and the named elements where the PDF has them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from formgen.input.org import load_org
from formgen.units import mm

from .conftest import render_page, render_records

TOLERANCE = mm(1)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    if SOFFICE:
        return SOFFICE
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is required in CI for the DOCX parity tests")
    pytest.skip("LibreOffice (soffice) is not installed: DOCX-vs-PDF parity not checked")


def convert(docx_path: Path, workdir: Path) -> Path:
    soffice = require_soffice()
    profile = workdir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(workdir / "lo"), str(docx_path)], check=True, capture_output=True, timeout=240)
    return workdir / "lo" / (docx_path.stem + ".pdf")


def render_both(tmp_path, layout, rows, **kwargs) -> tuple[Path, Path]:
    pdf = tmp_path / f"{layout}.pdf"
    report = render_records(layout, rows, pdf, formats=("pdf", "docx"), **kwargs)
    assert report.failed == []
    return pdf, convert(tmp_path / f"{layout}.docx", tmp_path)


def text_position(path: Path, text: str, page: int = 0) -> tuple[float, float]:
    """(x of the first character, its baseline) of the first place the text stands on the page."""
    with pdfplumber.open(str(path)) as pdf:
        chars = pdf.pages[page].chars
        height = pdf.pages[page].height
    for i in range(len(chars) - len(text) + 1):
        if "".join(c["text"] for c in chars[i:i + len(text)]) == text:
            return chars[i]["x0"], height - chars[i]["matrix"][5]
    raise AssertionError(f"{text!r} not found in {path.name}")


def turned_text_region(path: Path, page: int = 0) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of every character the PDF has upside down, with 2 mm around."""
    with pdfplumber.open(str(path)) as pdf:
        chars = [c for c in pdf.pages[page].chars if c["matrix"][0] < 0 and c["matrix"][3] < 0]
    assert chars, f"no turned text in {path.name}"
    return (min(c["x0"] for c in chars) - mm(2), min(c["top"] for c in chars) - mm(2),
            max(c["x1"] for c in chars) + mm(2), max(c["bottom"] for c in chars) + mm(2))


def ink_agreement(ours: Path, theirs: Path, region, page: int = 0, dpi: int = 100) -> tuple[float, float]:
    """(share of our ink that theirs has within 1 mm, and the other way round) inside region (points):
    the turned face is drawn as outlines in the DOCX, so it is compared as ink, not as text."""
    from PIL import ImageChops, ImageFilter

    box = tuple(round(v * dpi / 72) for v in region)
    spread = 2 * round(mm(1) * dpi / 72) + 1
    a, b = (render_page(p, page, dpi=dpi).convert("L").crop(box) for p in (ours, theirs))

    def covered(ink, other) -> float:
        dark = ink.point(lambda v: 255 if v < 128 else 0)
        near = other.filter(ImageFilter.MinFilter(spread)).point(lambda v: 255 if v < 160 else 0)
        total = dark.histogram()[255]
        return ImageChops.multiply(dark, near).histogram()[255] / total if total else 1.0

    return covered(a, b), covered(b, a)


def assert_same_turned_face(ours: Path, theirs: Path, page: int = 0) -> None:
    found, kept = ink_agreement(ours, theirs, turned_text_region(ours, page), page)
    assert found >= 0.99 and kept >= 0.99, (found, kept)  # another member's face scores 0.98


def assert_same_pages(ours: Path, theirs: Path) -> None:
    with pdfplumber.open(str(ours)) as a, pdfplumber.open(str(theirs)) as b:
        assert len(a.pages) == len(b.pages)
        for pa, pb in zip(a.pages, b.pages):
            assert abs(pa.width - pb.width) < mm(0.5) and abs(pa.height - pb.height) < mm(0.5)


def assert_close(a, b) -> None:
    assert all(abs(x - y) <= TOLERANCE for x, y in zip(a, b)), (a, b)


def test_name_card(tmp_path, photos, org):
    rows = [{"工号": "000101", "姓名": "黄𫖯", "职务": "党支部书记", "所属党支部": "机关第一党支部",
             "党员义务": "认真学习党的理论，按时交纳党费12次。"}]
    ours, theirs = render_both(tmp_path, "name-card", rows, org=load_org(org), photos=photos)
    assert_same_pages(ours, theirs)
    for text in ("黄", "党支部书记", "机关第一党支部", "鄂尔多斯市示例能源有限责任公司"):
        assert_close(text_position(ours, text), text_position(theirs, text))
    # The back face (the pledge) stands upside down in both, the same ink in the same places.
    assert_same_turned_face(ours, theirs)
    with pdfplumber.open(str(ours)) as a, pdfplumber.open(str(theirs)) as b:
        photo_a = [i for i in a.pages[0].images if i["height"] > mm(30)][0]
        photo_b = [i for i in b.pages[0].images if i["height"] > mm(30)][0]
    assert_close([photo_a[k] for k in ("x0", "top", "x1", "bottom")],
                 [photo_b[k] for k in ("x0", "top", "x1", "bottom")])
    import zxingcpp

    dpi = 200
    codes = []
    for path in (ours, theirs):
        found = zxingcpp.read_barcodes(render_page(path, 0, dpi=dpi))
        assert [c.text for c in found] == ["https://party.example.org/m/000101"]
        corner = found[0].position.top_left
        codes.append((corner.x * 72 / dpi, corner.y * 72 / dpi))
    assert_close(codes[0], codes[1])


def test_name_card_turned_copy_of_the_front(tmp_path, photos, org):
    rows = [{"工号": "000101", "姓名": "黄𫖯", "职务": "党支部书记", "所属党支部": "机关第一党支部"}]
    ours, theirs = render_both(tmp_path, "name-card", rows, org=load_org(org), photos=photos,
                               options={"back": "copy"})
    for text in ("黄", "𫖯", "党支部书记", "机关第一党支部", "鄂尔多斯市示例能源有限责任公司"):
        assert_close(text_position(ours, text), text_position(theirs, text))
    assert_same_turned_face(ours, theirs)


def test_an_edited_name_is_realigned_as_the_layout_says(tmp_path, photos, org):
    """A clerk corrects a name in the DOCX: the new name is spread over the same width, and a
    centred line stays centred. (Characters already in the document, so the embedded subsets have them.)"""
    import zipfile

    rows = [{"工号": "000101", "姓名": "王喆", "职务": "党支部书记", "所属党支部": "机关第一党支部"}]
    ours, _ = render_both(tmp_path, "name-card", rows, org=load_org(org), photos=photos)
    original = tmp_path / "name-card.docx"
    edited = tmp_path / "edited" / "name-card.docx"
    edited.parent.mkdir()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode()
                # Twice: in the Word 2010 text box and in its VML fallback.
                assert xml.count(">王喆<") == 2 and xml.count(">鄂尔多斯市示例能源有限责任公司<") == 2
                data = xml.replace(">王喆<", ">王一喆<").replace(">鄂尔多斯市示例能源有限责任公司<", ">示例能源<").encode()
            target.writestr(info, data)
    theirs = convert(edited, tmp_path / "edited")
    with pdfplumber.open(str(ours)) as pdf:
        chars = pdf.pages[0].chars
        first = next(c for c in chars if c["text"] == "王")
        last = next(c for c in chars if c["text"] == "喆")
        org_chars = [c for c in chars if c["top"] > first["top"] + mm(40) and c["text"] in "鄂司"]
        centre = (min(c["x0"] for c in org_chars) + max(c["x1"] for c in org_chars)) / 2
    with pdfplumber.open(str(theirs)) as pdf:
        chars = pdf.pages[0].chars
        assert "".join(c["text"] for c in chars).count("王一喆") == 1
        new_first = next(c for c in chars if c["text"] == "王")
        new_last = next(c for c in chars if c["text"] == "喆")
        new_org = [c for c in chars if c["text"] in "示源" and c["top"] > first["top"] + mm(40)]
        new_centre = (min(c["x0"] for c in new_org) + max(c["x1"] for c in new_org)) / 2
    assert_close((new_first["x0"], new_last["x1"]), (first["x0"], last["x1"]))
    assert abs(new_centre - centre) <= TOLERANCE


def short_rules(path: Path) -> list[tuple[str, float, float]]:
    """(orientation, centre x, centre y in mm) of every drawn line 3–5 mm long: a sheet's crop marks."""
    found = []
    with pdfplumber.open(str(path)) as pdf:
        for line in pdf.pages[0].lines + pdf.pages[0].curves:
            w, h = abs(line["x1"] - line["x0"]), abs(line["bottom"] - line["top"])
            if mm(3) < max(w, h) < mm(5):
                found.append(("|" if h > w else "-", round((line["x0"] + line["x1"]) / 2 / mm(1), 1),
                              round((line["top"] + line["bottom"]) / 2 / mm(1), 1)))
    return sorted(found)


def test_badge_sheet_crop_marks_stand_as_in_the_pdf(tmp_path):
    ours, theirs = render_both(tmp_path, "name-card-badge", [{"姓名": "王喆", "工号": "1"}, {"姓名": "李堃", "工号": "2"}])
    marks = short_rules(ours)
    # two columns of cards with a gutter between them: marks at the four card edges across, at the top and
    # bottom of each of the five rows down (the centre marks, once drawn lying down, are among them)
    assert len(marks) == 28 and {x for kind, x, _ in marks if kind == "|"} == {13.0, 103.0, 107.0, 197.0}
    assert short_rules(theirs) == marks


def test_monthly_summary_table(tmp_path, org):
    rows = [{"姓名": "王喆", "所属党支部": "机关第一党支部", "月份": 10, "自评分": 95, "个人工作表现": "完成月度检修计划。"}]
    ours, theirs = render_both(tmp_path, "monthly-summary", rows, org=load_org(org))
    assert_same_pages(ours, theirs)
    for text in ("王喆", "机关第一党支部", "完成月度检修计划", "95", "签字（盖章）"):
        assert_close(text_position(ours, text), text_position(theirs, text))
    with pdfplumber.open(str(ours)) as a, pdfplumber.open(str(theirs)) as b:
        def grid(page):
            xs = sorted({round(e["x0"]) for e in page.edges if e["orientation"] == "v"})
            ys = sorted({round(e["top"]) for e in page.edges if e["orientation"] == "h"})
            return xs, ys
        (xa, ya), (xb, yb) = grid(a.pages[0]), grid(b.pages[0])
    assert len(xa) == len(xb) and len(ya) == len(yb)
    assert_close(xa, xb)
    assert_close(ya, yb)


def test_survey_and_pledge_card(tmp_path, org):
    rows = [{"姓名": "王喆", "所属党支部": "机关第一党支部", "单位": "综合办公室", "党员义务": "按时交纳党费。"}]
    for layout, texts in (("survey", ("王喆", "服务态度", "□5星")), ("pledge-card", ("王喆", "按时交纳党费。"))):
        ours, theirs = render_both(tmp_path, layout, rows, org=load_org(org), options={"quarter": "2024Q3"})
        assert_same_pages(ours, theirs)
        for text in texts:
            assert_close(text_position(ours, text), text_position(theirs, text))


def test_certificate_and_letter(tmp_path, org):
    import datetime as dt

    certificate = [{"姓名": "黄𫖯", "奖项": "学习之星", "颁发日期": dt.date(2024, 9, 30), "证书编号": "FG-2024-XX-0001",
                    "验证码": "https://x.org/v?s=FG-2024-XX-0001", "事由": "在2024年第三季度活动中，被评为“学习之星”。"}]
    ours, theirs = render_both(tmp_path, "certificate", certificate, org=load_org(org))
    assert_same_pages(ours, theirs)
    for text in ("荣", "黄", "在2024年第三季度", "二〇二四年九月三十日", "FG-2024-XX-0001"):
        assert_close(text_position(ours, text), text_position(theirs, text))
    letter = [{"姓名": "王喆", "所属党支部": "一支部", "季度": "2024Q3", "政治理论": 25, "业务知识": 30, "总分": 55,
               "及格线": 60, "薄弱科目": [{"科目": "政治理论", "得分": 25, "及格线": 30, "差距": 5}],
               "学习内容": ["党章党规"], "复测日期": dt.date(2024, 10, 20)}]
    ours, theirs = render_both(tmp_path, "study-reminder", letter, org=load_org(org))
    assert_same_pages(ours, theirs)
    for text in ("王喆同志：", "你好！在2024年第三季度", "政治理论得分25分"):
        assert_close(text_position(ours, text), text_position(theirs, text))


def test_two_documents_open_in_one_session_each_draw_with_their_own_embedded_fonts(tmp_path):
    """LibreOffice (like Word) keeps one embedded font per family name for as long as it runs: each
    document names its subsets for itself, so the second of two opened together still has every
    character in our fonts, the rare names among them, none in a font of the system's."""
    soffice = require_soffice()
    first, second = tmp_path / "first", tmp_path / "second"
    render_records("certificate", [{"姓名": "张敏", "奖项": "学习之星"}], first / "证书.pdf", formats=("docx",))
    rows = [{"工号": "000101", "姓名": "黄𫖯", "职务": "检修工", "所属党支部": "设备维修党支部"},
            {"工号": "000102", "姓名": "刘䶮", "职务": "技术员", "所属党支部": "集控运行第一党总支部"}]
    render_records("name-card-badge", rows, second / "胸卡.pdf", formats=("docx",))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(first / "证书.docx"),
                    str(second / "胸卡.docx")], check=True, capture_output=True, timeout=240)
    with pdfplumber.open(str(tmp_path / "lo" / "胸卡.pdf")) as pdf:
        faces = {}
        for char in pdf.pages[0].chars:
            if char["text"].strip():
                faces.setdefault(char["fontname"].split("+")[-1], set()).add(char["text"])
    import zipfile

    with zipfile.ZipFile(second / "胸卡.docx") as package:
        table = package.read("word/fontTable.xml").decode("utf-8")
    tag = re.search(r'w:name="Noto Serif SC ([0-9A-F]{8})"', table).group(1)
    assert {"𫖯", "䶮", "黄", "刘"} <= set().union(*faces.values())
    strangers = {name: chars for name, chars in faces.items() if tag not in name}
    assert strangers == {}  # before: 检修工、技术员… in Noto Sans CJK, the first document's subsets lacking them
