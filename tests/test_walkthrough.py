"""A clerk's first hour, as issue 14 walked it: their own 党员花名册 (a merged title, extra columns, a totals
row at the bottom, no 工号, Mongolian names in Chinese transcription, phone photos) and their own score
sheet, through the Chinese quick start. Every document renders for the 40 members and nobody else, no
notice says something is missing that an option supplies, and the awards' letters take a page each."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from formgen.cli.main import main
from formgen.typeset import imaging  # noqa: F401  (HEIC pictures: written here as phones write them)

from .conftest import pdf_text, portrait

BRANCHES = ("机关第一党支部", "生产运营党支部", "设备维修党支部", "安全环保党支部")
# Mongolian names in Chinese transcription beside Han names: 40 members, ten to a branch
NAMES = ("乌兰巴特尔", "其木格", "额尔敦", "巴特尔", "那仁高娃", "阿拉坦仓", "斯琴", "敖登格日乐", "孟和", "萨仁",
         "王喆", "李堃", "刘䶮", "陈㛃", "黄𫖯", "赵敏", "孙洋", "周雅琴", "吴建国", "郑晓东",
         "冯丽娟", "褚天佑", "卫红梅", "蒋伟", "沈阳", "韩国栋", "杨晓光", "朱文", "秦岭", "许诺",
         "何平", "吕芳", "施敏", "张强", "孔亮", "曹静", "严宽", "华明", "金鑫", "魏巍")
HEADER = ["序号", "姓名", "性别", "民族", "出生年月", "学历", "职务", "所属党支部", "单位", "入党时间", "联系电话", "备注"]
PHOTOS_OF = {"乌兰巴特尔": "phone", "其木格": "phone-heic", "额尔敦": "small", "王喆": "plain", "李堃": "plain"}


def _roster(folder: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员花名册"
    sheet.append(["鄂尔多斯市某能源有限责任公司党员花名册（2024年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for n, name in enumerate(NAMES):
        branch = BRANCHES[n // 10]
        sheet.append([n + 1, name, "男" if n % 3 else "女", "蒙古族" if n < 10 else "汉族", f"198{n % 10}-0{n % 9 + 1}",
                      "大学本科", "运行值班员" if n % 2 else "技术员", branch, "燃料管理部" if n % 4 else "",
                      f"20{10 + n % 10}-07-01", f"1394770{n:04d}", ""])
    sheet.append(["合计：40人"])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(HEADER))
    sheet.append(["制表：党办", None, None, None, None, None, None, None, "审核：王喆"])
    path = folder / "党员花名册.xlsx"
    workbook.save(path)
    return path


def _photos(folder: Path) -> Path:
    photos = folder / "照片"
    photos.mkdir()
    for name, kind in PHOTOS_OF.items():
        if kind == "phone":  # a phone photo stored sideways, turned upright by its EXIF orientation
            portrait(photos / f"{name}.jpg", size=(3024, 4032), orientation=6)
        elif kind == "phone-heic":
            portrait(photos / f"{name}.heic", size=(1512, 2016), fmt="HEIF")
        elif kind == "small":  # 100 × 140 pixels: about 102 dpi at 25 × 35 mm
            portrait(photos / f"{name}.jpg", size=(100, 140))
        else:
            portrait(photos / f"{name}.jpg")
    return photos


def _profile(folder: Path) -> Path:
    path = folder / "单位.yaml"
    path.write_text("organisation: 鄂尔多斯市某能源有限责任公司\ncommittee: 中共鄂尔多斯市某能源有限责任公司委员会\n"
                    "short_name: 某能源\nserial_prefix: EDS\nverify_url: https://dangjian.example.cn/v\n"
                    'qr_url_template: "https://dangjian.example.cn/m/{{ 所属党支部 }}/{{ 姓名 }}"\n'
                    "letterhead: 中共鄂尔多斯市某能源有限责任公司委员会\n", encoding="utf-8")
    return path


def _scores(folder: Path) -> Path:
    """Two quarters as the office keeps them: no 工号, a merged title, an average row at the bottom; 17 members
    of the third quarter under the pass mark of 60 (on the template's scale: 50 per subject)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, low in (("2024年第二季度", set(range(0, 40, 3))), ("2024年第三季度", set(range(0, 40, 2)[:17]))):
        sheet = workbook.create_sheet(title)
        sheet.append([f"{title}党员应知应会测试成绩"])
        sheet.merge_cells("A1:E1")
        sheet.append(["姓名", "所属党支部", "政治理论", "业务知识", "总分"])
        for n, name in enumerate(NAMES):
            politics, business = (20 + n % 7, 22 + n % 9) if n in low else (35 + n % 12, 30 + n % 15)
            sheet.append([name, BRANCHES[n // 10], politics, business, f"=C{sheet.max_row + 1}+D{sheet.max_row + 1}"])
        sheet.append(["平均分", None, None, None, None])
    path = folder / "成绩.xlsx"
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("党办")
    return {"folder": folder, "roster": _roster(folder), "photos": _photos(folder), "org": _profile(folder),
            "scores": _scores(folder)}


def _run(capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# The quick start's commands, each layout by its Chinese name
DOCUMENTS = [
    ("名片", [], 40, "乌兰巴特尔"),
    ("胸卡", [], 4, "其木格"),
    ("承诺卡", [], 40, "额尔敦"),
    ("问卷", ["--set", "quarter=2024Q3", "--copies", "3"], 120, "那仁高娃"),
    ("月度清单", ["--set", "month=10", "--set", "blank=true"], 40, "敖登格日乐"),
]


@pytest.mark.parametrize("layout, options, pages, member", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_every_document_renders_the_forty_members_and_nobody_else(office, capsys, layout, options, pages, member):
    out = office["folder"] / f"{layout}.pdf"
    code, said = _run(capsys, "render", layout, office["roster"], "--photos", office["photos"], "--org", office["org"],
                      *options, "-o", out)
    assert code == 0, said
    assert "共40条记录，已生成40条" in said
    text = re.sub(r"\s+", "", "".join(pdf_text(out)))
    assert len(pdf_text(out)) == pages and member in text and "合计" not in text
    # the totals and footer rows are said once, as what they are
    assert said.count("是合计行或表尾") == 1 and "第43行“合计：40人”" in said
    # nothing said to be missing that is not: no 工号 notice, none for what the options supply
    for column in ("工号", "季度", "月份", "自评分", "支部评分", "参加支部活动情况"):
        assert f"「{column}」" not in said, (column, said)
    assert "表中有成绩的季度：无" not in said


def test_photos_from_phones_print_and_the_one_too_small_is_named_on_screen(office, capsys):
    code, said = _run(capsys, "render", "名片", office["roster"], "--photos", office["photos"], "--org", office["org"],
                      "-o", office["folder"] / "名片-照片.pdf")
    assert code == 0
    warnings = [line.strip() for line in said.splitlines() if line.strip().startswith("警告：")]
    # 35 members without a photo: one line; the small photo: its own line, not pushed off the screen
    assert any("等35人「照片」列：没有找到照片" in line for line in warnings), warnings
    assert any("（额尔敦）「照片」列：额尔敦.jpg 在此尺寸下只有 102 dpi（低于 150），打印会发虚" in line for line in warnings)
    assert not any("乌兰巴特尔" in line or "其木格" in line for line in warnings if "照片" in line)


def test_by_branch_gives_four_files_and_no_totals_file(office, capsys):
    out = office["folder"] / "分支部"
    code, said = _run(capsys, "render", "胸卡", office["roster"], "--org", office["org"], "--by", "所属党支部", "-o", out)
    assert code == 0, said
    assert sorted(p.stem for p in out.iterdir()) == sorted(BRANCHES)


def test_the_copied_sample_profile_is_stopped_before_printing_the_same_qr_on_every_card(office, capsys):
    import shutil

    from formgen.resources import SAMPLES_DIR

    copied = office["folder"] / "示例单位.yaml"
    shutil.copy(SAMPLES_DIR / "org.yaml", copied)
    shutil.copy(SAMPLES_DIR / "seal-sample.png", office["folder"] / "seal-sample.png")
    code, said = _run(capsys, "render", "名片", office["roster"], "--org", copied, "-o", office["folder"] / "x.pdf")
    assert code == 2 and not (office["folder"] / "x.pdf").exists()
    assert "名册中没有「工号」列" in said and "仍是示例的内容：证书编号前缀（serial_prefix）“SLN”" in said


def test_awards_from_a_sheet_without_staff_ids(office, capsys, monkeypatch):
    monkeypatch.chdir(office["folder"])
    out = office["folder"] / "评选"
    code, said = _run(capsys, "awards", office["scores"], "--quarter", "2024Q3", "--org", office["org"], "-o", out,
                      "--issue-date", "2024-10-08", "--retest-date", "2024-10-25")
    assert code == 0, said
    assert "2024年第三季度共40名党员参加评选；上季度有40名党员的成绩" in said
    # the average row is left out as what it is, once a sheet, never taken for a member with no branch
    assert said.count("第43行“平均分”是合计行或表尾") == 2 and "（平均分）" not in said
    assert "表中有成绩的季度：无" not in said and "「工号」" not in said
    stars = [line for line in said.splitlines() if line.startswith(("学习之星", "进步之星"))]
    assert len([s for s in stars if s.startswith("学习之星")]) == 4 and any(s.startswith("进步之星") for s in stars)
    letters = pdf_text(out / "劝学信.pdf")
    assert len(letters) == 17  # seventeen letters, a page each
    assert all(re.sub(r"\s+", "", page).endswith("二〇二四年十月八日") for page in letters)
    certificates = [re.sub(r"\s+", "", page) for page in pdf_text(out / "荣誉证书.pdf")]
    assert certificates and all("EDS-2024-" in page for page in certificates)
    code, said = _run(capsys, "verify", out / "荣誉证书.pdf")
    assert code == 0 and said.startswith("有效：")
