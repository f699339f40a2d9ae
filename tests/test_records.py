"""Rosters as clerks make them: Excel and CSV from Chinese Windows, with the usual mess."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from formgen.input.photos import PhotoFinder
from formgen.input.records import (
    RosterError,
    canonical_header,
    load_roster,
    records_from_dicts,
)
from formgen.input.sheets import read_sheets

from .conftest import portrait

FIXTURES = Path(__file__).parent / "fixtures"


def write_xlsx(path, rows, title_row=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    if title_row:
        sheet.append([title_row])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return workbook


def test_xlsx_values_are_cleaned(tmp_path):
    path = tmp_path / "r.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年党员名册"])  # a title row above the header
    sheet.append(["工号", " 姓名 ", "职务", "入党日期", "自评分（百分制）"])
    sheet.append(["000123", "张　敏", " 值长　", dt.datetime(2008, 7, 1), 95])
    sheet.append([None, None, None, None, None])  # empty rows are skipped
    sheet.append([124, "欧阳 娜娜", "技术员", None, 87.5])
    sheet["A5"].number_format = "000000"  # a number shown with leading zeros in Excel
    workbook.save(path)
    roster = load_roster(path)
    first, second = roster.records
    assert first.row == 3 and second.row == 5
    assert first.values["工号"] == "000123"
    assert first.values["姓名"] == "张敏"
    assert first.values["职务"] == "值长"
    assert first.values["入党日期"] == dt.date(2008, 7, 1)
    assert first.values["自评分"] == 95
    assert second.values["工号"] == "000124"
    assert second.values["姓名"] == "欧阳娜娜"
    assert second.values["自评分"] == 87.5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    text = "工号,姓名,所属党支部\r\n000101,王喆,机关第一党支部\r\n000102,李堃,生产运营党支部\r\n"
    if encoding == "gb18030":
        text += "000103,黄𫖯,设备维修党支部\r\n"  # GB18030 encodes beyond-BMP characters too
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode(encoding))
    roster = load_roster(path)
    names = [r.values["姓名"] for r in roster.records]
    assert names[:2] == ["王喆", "李堃"]
    assert roster.records[0].values["工号"] == "000101"
    assert roster.records[1].values["所属党支部"] == "生产运营党支部"
    if encoding == "gb18030":
        assert names[2] == "黄𫖯"


def test_undecodable_csv_is_refused_with_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("工号,姓名\n1,张三\n".encode("utf-8") + b"2,\x81\x20\xff\n")
    with pytest.raises(RosterError, match="第3行"):
        load_roster(path)


def test_xml_forbidden_characters_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"姓名": "李\x07明", "职务": "值\x0b长"}], ensure_ascii=False), encoding="utf-8")
    roster = load_roster(path)
    record = roster.records[0]
    assert record.values["姓名"] == "李明"
    assert record.values["职务"] == "值长"
    messages = [str(p) for p in roster.problems if p.row == record.row]
    assert any("U+0007" in m and "姓名" in m and "第1行" in m for m in messages)


def test_duplicate_staff_ids_are_flagged_on_every_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n000101,王喆\n000102,李堃\n000101,赵敏\n", encoding="utf-8")
    flagged = [p.row for p in load_roster(path).problems if p.column == "工号"]
    assert flagged == [2, 4]


def test_headers_in_english_and_variants():
    assert canonical_header("name") == "姓名"
    assert canonical_header("Staff_ID") == "工号"
    assert canonical_header("支部") == "所属党支部"
    assert canonical_header("承诺3") == "岗位职责"
    assert canonical_header("个人自评（百分制）") == "自评分"
    assert canonical_header("爱好") == "爱好"  # unknown columns keep their own name


@pytest.mark.parametrize("header, field", [
    ("*姓名", "姓名"), ("＊姓名", "姓名"), ("姓名*", "姓名"), ("姓名：", "姓名"), ("【工号】", "工号"),
    ("*所属党支部（全称）", "所属党支部"), ("1、您的工号：", "工号"), ("2、姓名", "姓名"), ("Q3.所属党支部", "所属党支部"), ("党支部名称", "所属党支部"), ("部门名称", "单位"), ("手机号码", "电话"),
])
def test_headers_as_import_templates_mark_them(tmp_path, header, field):
    """Systems' import templates mark required columns (*姓名) and some offices end headers with a colon."""
    assert canonical_header(header) == field
    path = tmp_path / "名册.csv"
    path.write_text(f"{header},备注\n王喆,无\n" if field == "姓名" else f"姓名,{header}\n王喆,值\n", encoding="utf-8")
    [record] = load_roster(path).records
    assert record.values[field] == ("王喆" if field == "姓名" else "值")


def test_a_workbook_with_a_password_to_open_says_so():
    with pytest.raises(RosterError, match="roster-password-1234.xlsx：文件设置了打开密码"):
        load_roster(FIXTURES / "roster-password-1234.xlsx")


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(RosterError, match="找不到文件"):
        load_roster(tmp_path / "nope.xlsx")
    (tmp_path / "r.xls").write_bytes(b"\xd0\xcf")
    with pytest.raises(RosterError, match=r"r\.xls：无法作为 \.xls 文件读取.*另存为 \.xlsx"):
        load_roster(tmp_path / "r.xls")
    (tmp_path / "r.et").write_bytes(b"\xd0\xcf")
    with pytest.raises(RosterError, match=r"WPS .*另存为 \.xlsx"):
        load_roster(tmp_path / "r.et")


def test_an_et_holding_a_workbook_is_read_and_a_damaged_xls_is_said_in_chinese(tmp_path):
    """WPS saves an Excel workbook under .et as well; what the file holds decides (xlrd's English never shows)."""
    for source in (FIXTURES / "roster-excel97.xls", FIXTURES.parent.parent / "samples" / "roster.xlsx"):
        renamed = tmp_path / f"{source.stem}.et"
        renamed.write_bytes(source.read_bytes())
        names = [record.values["姓名"] for record in load_roster(renamed).records]
        assert names and names == [record.values["姓名"] for record in load_roster(source).records]
    damaged = tmp_path / "damaged.xls"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(RosterError) as refused:
        load_roster(damaged)
    assert str(refused.value) == ("damaged.xls：无法作为 .xls 文件读取，文件可能已损坏；请在 Excel 或 WPS 中打开它，"
                                  "另存为 .xlsx")


def test_a_file_that_is_no_workbook_says_so_in_chinese(tmp_path):
    portrait(tmp_path / "名册.xlsx")  # a photo renamed
    with pytest.raises(RosterError) as raised:
        load_roster(tmp_path / "名册.xlsx")
    message = str(raised.value)
    assert message.startswith("名册.xlsx：不是 Excel 工作簿") and "另存为 .xlsx" in message
    assert not any("a" <= ch.lower() <= "z" for ch in message.replace(".xlsx", "").replace("Excel", "").replace("WPS", ""))


@pytest.mark.parametrize("part, said", [("word/document.xml", "这是Word 文档"), ("ppt/presentation.xml", "这是PowerPoint"),
                                        ("content.xml", "这是OpenDocument")])
def test_another_office_file_named_xlsx_is_named_for_what_it_is(tmp_path, part, said):
    import zipfile

    with zipfile.ZipFile(tmp_path / "名册.xlsx", "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    with pytest.raises(RosterError, match=f"名册.xlsx：{said}.*不是 Excel 工作簿.*另存为 .xlsx"):
        load_roster(tmp_path / "名册.xlsx")


def test_excel_97_workbooks_are_read_like_xlsx():
    # Made by Excel 97–2003 (BIFF8): a title row, 工号 as numbers formatted 000000 and as text, a padded
    # name, a rare name beyond U+FFFF, a date, a fraction, booleans, and a second sheet of notes.
    roster = load_roster(FIXTURES / "roster-excel97.xls")
    assert roster.source == "roster-excel97.xls 工作表“党员名册”"  # the workbook has two sheets
    rows = [(r.row, r.values["工号"], r.values["姓名"], r.values["入党日期"], r.values["自评分"], r.values["是否预备党员"])
            for r in roster.records]
    assert rows == [(3, "000101", "王喆", dt.date(2008, 7, 1), 95, "否"),
                    (4, "000102", "黄𫖯", dt.date(2012, 6, 30), 88.5, "是"),
                    (5, "000103", "李堃", "", "", "")]
    notes = read_sheets(FIXTURES / "roster-excel97.xls", sheet="说明")
    assert [s.title for s in notes] == ["说明"] and notes[0].rows == [["本表由党办整理"]]
    assert [s.title for s in read_sheets(FIXTURES / "roster-excel97.xls")] == ["党员名册", "说明"]


def test_photo_lookup_order(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("named.JPG", "000102.jpg", "王喆.png"):
        portrait(folder / name, fmt="PNG" if name.endswith("png") else "JPEG")
    path = tmp_path / "r.json"
    path.write_text(json.dumps([
        {"工号": "000101", "姓名": "甲", "照片": "named"},      # by the 照片 column, any case, no extension
        {"工号": "000102", "姓名": "乙"},                      # by 工号
        {"工号": "000103", "姓名": "王喆"},                    # by 姓名
        {"工号": "000104", "姓名": "丙", "照片": "gone.jpg"},  # named but missing: a warning
    ], ensure_ascii=False), encoding="utf-8")
    records = load_roster(path).records
    finder = PhotoFinder(folder)
    found = [finder.find(r) for r in records]
    assert [p.name if p else None for p, _ in found] == ["named.JPG", "000102.jpg", "王喆.png", None]
    assert [problems for _, problems in found[:3]] == [[], [], []]
    assert any("gone.jpg" in str(p) for p in found[3][1])


def test_photos_come_before_other_files_of_the_same_name(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "000101.pdf").write_bytes(b"%PDF-1.4")  # a scanner's PDF beside the photo: the photo wins
    portrait(folder / "000101.jpg")
    (folder / "000102.pdf").write_bytes(b"%PDF-1.4")  # only a PDF: found, so that the warning can name it
    finder = PhotoFinder(folder)
    records = records_from_dicts([{"工号": "000101", "姓名": "甲"}, {"工号": "000102", "姓名": "乙"},
                                  {"工号": "000103", "姓名": "丙"}]).records
    assert [p.name if p else None for p, _ in map(finder.find, records)] == ["000101.jpg", "000102.pdf", None]


HTML_EXPORT = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<table border="1"><tr><td colspan="4">党员名册（导出）</td></tr>
<tr><th>工号</th><th>姓名</th><th>职务</th><th>所属党支部</th></tr>
<tr><td>000101</td><td>王&nbsp;喆</td><td>党支部<br>书记</td><td>机关第一党支部</td></tr>
<tr><td>000102</td><td>黄𫖯</td><td></td><td>机关第一党支部</td></tr></table></body></html>"""

SPREADSHEET_2003 = """<?xml version="1.0" encoding="gb2312"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="党员名册"><Table>
  <Row><Cell><Data ss:Type="String">工号</Data></Cell><Cell><Data ss:Type="String">姓名</Data></Cell>
       <Cell><Data ss:Type="String">职务</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">000101</Data></Cell><Cell><Data ss:Type="String">王喆</Data></Cell>
       <Cell><Data ss:Type="String">党支部书记</Data></Cell></Row>
  <Row ss:Index="4"><Cell><Data ss:Type="String">000102</Data></Cell>
       <Cell ss:Index="3"><Data ss:Type="String">组织委员</Data></Cell></Row>
 </Table></Worksheet></Workbook>"""


def test_office_system_exports_named_xls_are_read_for_what_they_are(tmp_path):
    """HTML pages, Excel 2003 XML and CSV text exported as .xls; an .xlsx renamed .xls."""
    html = tmp_path / "导出名册.xls"
    html.write_bytes(HTML_EXPORT.encode("utf-8"))  # UTF-8 though the page claims gb2312: bytes decide
    rows = [(r.values["工号"], r.values["姓名"], r.values["职务"]) for r in load_roster(html).records]
    assert rows == [("000101", "王喆", "党支部\n书记"), ("000102", "黄𫖯", "")]

    xml = tmp_path / "xml名册.xls"
    xml.write_bytes(SPREADSHEET_2003.encode("gb18030"))
    rows = [(r.row, r.values["工号"], r.values["姓名"], r.values["职务"]) for r in load_roster(xml).records]
    assert rows == [(2, "000101", "王喆", "党支部书记"), (4, "000102", "", "组织委员")]

    text = tmp_path / "csv名册.xls"
    text.write_bytes("工号\t姓名\n000101\t李堃\n".encode("gb18030"))
    assert [r.values["姓名"] for r in load_roster(text).records] == ["李堃"]

    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes((FIXTURES / "roster-excel97.xls").read_bytes())
    (tmp_path / "real.xlsx").write_bytes(renamed.read_bytes())
    assert [r.values["姓名"] for r in load_roster(tmp_path / "real.xlsx").records] == \
        [r.values["姓名"] for r in load_roster(renamed).records]

    (tmp_path / "empty.xls").write_text("<html><body>没有数据</body></html>", encoding="utf-8")
    with pytest.raises(RosterError, match="这是网页（HTML）文件，里面没有表格"):
        load_roster(tmp_path / "empty.xls")


def test_one_photo_found_for_two_namesakes_is_a_warning_on_both(tmp_path):
    from formgen.api import load_records

    folder = tmp_path / "photos"
    folder.mkdir()
    portrait(folder / "王伟.jpg")
    portrait(folder / "000103.jpg")
    roster = load_records([{"工号": "000101", "姓名": "王伟"}, {"工号": "000102", "姓名": "王伟"},
                           {"工号": "000103", "姓名": "李堃"}], photos=folder)
    first, second, third = roster.records
    assert first.photo == second.photo == folder / "王伟.jpg" and third.photo == folder / "000103.jpg"
    for record in (first, second):
        assert [str(p) for p in roster.problems if p.row == record.row and p.column == "照片"] == [
            f"警告：第{record.row}行（王伟）「照片」列：照片 王伟.jpg 同时用于第1行（王伟）、第2行（王伟），可能印错人；"
            "请用工号命名照片，或在「照片」列写明文件名"]
    assert [p for p in roster.problems if p.row == third.row] == []


def test_a_branch_merged_over_its_members_rows_belongs_to_each(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年党员名册"])
    sheet.merge_cells("A1:C1")  # a title merged across: not data
    sheet.append(["所属党支部", "工号", "姓名"])
    sheet.append(["机关第一党支部", "000101", "王喆"])
    sheet.append([None, "000102", "李堃"])
    sheet.append([None, "000103", "张敏"])
    sheet.append(["生产运营党支部", "000104", "刘䶮"])
    sheet.merge_cells("A3:A5")
    sheet.append(["安全环保党支部", "000105", None])
    sheet.merge_cells("B6:B7")  # merged over two rows: both hold it, and the duplicate 工号 is reported
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    roster = load_roster(path)
    rows = [(r.row, r.values["所属党支部"], r.values["工号"], r.values["姓名"]) for r in roster.records]
    assert rows == [(3, "机关第一党支部", "000101", "王喆"), (4, "机关第一党支部", "000102", "李堃"),
                    (5, "机关第一党支部", "000103", "张敏"), (6, "生产运营党支部", "000104", "刘䶮"),
                    (7, "安全环保党支部", "000104", "")]
    assert any("工号 000104" in str(p) for p in roster.problems if p.row == roster.records[4].row)

    # The same workbook saved by Excel 97–2003 keeps its merged cells.
    excel97 = read_sheets(FIXTURES / "roster-merged.xls")[0]
    assert (2, 4, 0, 0) in excel97.merged
    assert [r.values["所属党支部"] for r in load_roster(FIXTURES / "roster-merged.xls").records][:3] == \
        ["机关第一党支部"] * 3


def test_rows_hidden_by_a_filter_are_still_read_and_said_so(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名", "所属党支部"])
    sheet.append(["000101", "王喆", "机关第一党支部"])
    sheet.append(["000102", "李堃", "生产运营党支部"])
    sheet.append(["000103", "张敏", "生产运营党支部"])
    for row in (3, 4):
        sheet.row_dimensions[row].hidden = True
    path = tmp_path / "filtered.xlsx"
    workbook.save(path)
    roster = load_roster(path)
    assert [r.values["姓名"] for r in roster.records] == ["王喆", "李堃", "张敏"]
    assert [str(p) for p in roster.problems] == [
        "警告：filtered.xlsx：第3、4行（共2行）在 Excel 中被隐藏或筛选掉了，仍会生成；"
        "只要其中一部分人，请用 --only，例如 --only 所属党支部=机关第一党支部"]


def test_photos_kept_one_folder_per_branch_go_to_their_own_members(tmp_path):
    folder = tmp_path / "照片"
    for branch in ("机关第一党支部", "生产运营党支部"):
        (folder / branch).mkdir(parents=True)
        portrait(folder / branch / "王伟.jpg")
    portrait(folder / "生产运营党支部" / "000103.jpg")
    (folder / ".thumbnails").mkdir()
    portrait(folder / ".thumbnails" / "000104.jpg")  # hidden folders are no photo folders
    records = records_from_dicts([
        {"工号": "000101", "姓名": "王伟", "所属党支部": "机关第一党支部"},
        {"工号": "000102", "姓名": "王伟", "所属党支部": "生产运营党支部"},
        {"工号": "000103", "姓名": "张敏"},
        {"工号": "000104", "姓名": "李堃"},
        {"工号": "000105", "姓名": "王伟", "所属党支部": "安全环保党支部"},
        {"工号": "000106", "姓名": "赵敏", "照片": "机关第一党支部/王伟.jpg"},
        {"工号": "000107", "姓名": "孙洋", "照片": "D:\\旧照片\\000103.JPG"},  # a Windows path from elsewhere
    ]).records
    finder = PhotoFinder(folder)
    results = [finder.find(r) for r in records]
    found = [str(p.relative_to(folder)) if p else None for p, _ in results]
    assert found == ["机关第一党支部/王伟.jpg", "生产运营党支部/王伟.jpg", "生产运营党支部/000103.jpg", None,
                     "机关第一党支部/王伟.jpg", "机关第一党支部/王伟.jpg", "生产运营党支部/000103.jpg"]
    assert all(problems == [] for _, problems in results[:4])
    # 安全环保党支部 has no folder: which 王伟 is meant cannot be known, and the clerk is told.
    problems = results[4][1]
    assert [p.column for p in problems] == ["照片"]
    assert "有2张“王伟”的照片" in str(problems[0])


def test_photos_that_no_member_got_are_listed_once(tmp_path):
    from formgen.api import load_records

    folder = tmp_path / "photos"
    (folder / "二支部").mkdir(parents=True)
    portrait(folder / "000101.jpg")
    portrait(folder / "000110.jpg")  # the roster says 000101 and 000102: a typo somewhere
    portrait(folder / "二支部" / "赵敏.png")
    (folder / "说明.txt").write_text("照片按工号命名", encoding="utf-8")  # not a picture: not listed
    roster = load_records([{"工号": "000101", "姓名": "王喆"}, {"工号": "000102", "姓名": "李堃"}], photos=folder)
    assert [str(p) for p in roster.problems] == [
        "警告：照片文件夹中有2张照片没有对应名册中的任何人：000110.jpg、二支部/赵敏.png；"
        "可能是名册或文件名中的工号、姓名有误"]


def test_a_header_of_two_rows_with_group_titles(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["党员名册"])
    sheet.merge_cells("A1:E1")
    sheet.append(["工号", "个人信息", None, "所属党支部", "联系方式"])
    sheet.append([None, "姓名", "性别", None, "电话"])
    for cells in ("A2:A3", "B2:C2", "D2:D3"):  # 工号 and 所属党支部 merged down; a group title across
        sheet.merge_cells(cells)
    sheet.append(["000101", "王喆", "男", "机关第一党支部", "13800000000"])
    sheet.append(["000102", "李堃", "女", None, "13900000000"])
    sheet.merge_cells("D4:D5")
    path = tmp_path / "two-rows.xlsx"
    workbook.save(path)
    roster = load_roster(path)
    assert roster.columns == ("工号", "姓名", "性别", "所属党支部", "电话")
    assert [(r.row, r.values["工号"], r.values["姓名"], r.values["性别"], r.values["所属党支部"], r.values["电话"])
            for r in roster.records] == [(4, "000101", "王喆", "男", "机关第一党支部", "13800000000"),
                                         (5, "000102", "李堃", "女", "机关第一党支部", "13900000000")]


def test_photos_are_found_despite_lost_zeros_and_spaces_in_names(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    portrait(folder / "000101.jpg")
    portrait(folder / "王 喆.jpg")  # a space typed into the file name
    portrait(folder / "７.png")  # a full-width digit
    records = records_from_dicts([{"工号": 101, "姓名": "甲"},  # the roster lost the leading zeros
                                  {"工号": "000102", "姓名": "王喆"},
                                  {"工号": "0007", "姓名": "乙"}]).records
    finder = PhotoFinder(folder)
    assert [p.name if p else None for p, _ in map(finder.find, records)] == ["000101.jpg", "王 喆.jpg", "７.png"]


HTML_SPANS = """<html><head><meta charset="utf-8"></head><body><table border=1>
<tr><td colspan=4>2024年党员名册</td></tr>
<tr><th>所属党支部</th><th>工号</th><th>姓名</th><th>职务</th></tr>
<tr><td rowspan=2>机关第一党支部</td><td>000101</td><td>王喆</td><td rowspan=3>委员</td></tr>
<tr><td>000102</td><td>李堃</td></tr>
<tr><td>生产运营党支部</td><td>000103</td><td>刘䶮</td></tr>
<tr><td colspan=4>合计：3人</td></tr></table></body></html>"""

SPREADSHEET_2003_MERGED = """<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="名册"><Table>
  <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">2024年党员名册</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">所属党支部</Data></Cell><Cell><Data ss:Type="String">工号</Data></Cell>
       <Cell><Data ss:Type="String">姓名</Data></Cell><Cell><Data ss:Type="String">职务</Data></Cell></Row>
  <Row><Cell ss:MergeDown="1"><Data ss:Type="String">机关第一党支部</Data></Cell>
       <Cell><Data ss:Type="String">000101</Data></Cell><Cell><Data ss:Type="String">王喆</Data></Cell>
       <Cell><Data ss:Type="String">书记</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">000102</Data></Cell><Cell><Data ss:Type="String">李堃</Data></Cell>
       <Cell><Data ss:Type="String">委员</Data></Cell></Row>
  <Row ss:Index="2000000000"><Cell ss:Index="2000000000"><Data ss:Type="String">远处</Data></Cell></Row>
 </Table></Worksheet></Workbook>"""


def test_cells_spanning_rows_in_exports_named_xls_keep_the_columns_below_in_place(tmp_path):
    """A branch spanning its members' rows (rowspan, ss:MergeDown) belongs to each of them; the rows below
    keep their cells under their own headers (李堃 was read with 所属党支部 000102, 姓名 委员). A far-off
    ss:Index is held to the limits, not a billion empty rows."""
    html = tmp_path / "导出.xls"
    html.write_text(HTML_SPANS, encoding="utf-8")
    roster = load_roster(html)
    assert [(r.values["所属党支部"], r.values["工号"], r.values["姓名"], r.values["职务"]) for r in roster.records] == [
        ("机关第一党支部", "000101", "王喆", "委员"), ("机关第一党支部", "000102", "李堃", "委员"),
        ("生产运营党支部", "000103", "刘䶮", "委员")]
    assert any("合计：3人" in p.message for p in roster.problems)  # the totals line, not a member
    xml = tmp_path / "xml导出.xls"
    xml.write_text(SPREADSHEET_2003_MERGED, encoding="utf-8")
    roster = load_roster(xml)
    assert [(r.values["所属党支部"], r.values["工号"], r.values["姓名"], r.values["职务"]) for r in roster.records] == [
        ("机关第一党支部", "000101", "王喆", "书记"), ("机关第一党支部", "000102", "李堃", "委员")]


def test_a_zip_of_photos_given_as_the_photo_folder_is_named_as_such(tmp_path):
    (tmp_path / "照片.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    with pytest.raises(RosterError, match="照片.zip 是压缩文件，不是文件夹；请先解压"):
        PhotoFinder(tmp_path / "照片.zip")
    with pytest.raises(RosterError, match="找不到照片文件夹"):
        PhotoFinder(tmp_path / "没有这个文件夹")
