"""工号 typed into number cells: read as Excel shows them, and matched between lists that kept or lost the zeros."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from formgen.campaign.awards import match_previous
from formgen.campaign.nominations import load_nominations
from formgen.campaign.scores import load_scores
from formgen.campaign.survey import tally
from formgen.chinese import parse_quarter
from formgen.cli.main import main
from formgen.input.identifiers import id_key, identifier_text
from formgen.input.records import load_roster


@pytest.mark.parametrize("value, number_format, shown", [
    (101, "000000", "000101"),
    (101, "000000;@", "000101"),            # WPS's custom format with a text section
    (101, "0000000_ ", "0000101"),          # Excel's dialog pads with _ and a space
    (101, '"DL"000000', "DL000101"),        # a prefix in quotes
    (101, "\\D\\L0000", "DL0101"),           # or escaped
    (101, "[$-804]000000", "000101"),       # a locale code
    (101, "#000000", "000101"),
    (12, "000-0000", "000-0012"),
    (1234567, "000000", "1234567"),         # more digits than places: all of them
    (101, "General", "101"),
    (101.0, "", "101"),
    (101, "0.00", "101"),                   # a format for amounts: the digits only
    (101, "#,##0", "101"),
    (39630, "yyyy/m/d", "39630"),
    (101, "@", "101"),
    ("000101", "@", "000101"),
])
def test_identifier_text_is_what_excel_shows(value, number_format, shown):
    assert identifier_text(value, number_format) == shown


def test_id_key_ignores_lost_zeros_width_and_case():
    assert id_key("000101") == id_key("101") == id_key("１０１") == id_key(" 101 ")
    assert id_key("DL0101") == id_key("dl0101") != id_key("101")
    assert id_key("0") == id_key("000") == "0"


def _save(rows, path, formats=None):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row, column).number_format = number_format
    book.save(path)
    return path


def test_roster_keeps_the_zeros_of_every_custom_format(tmp_path):
    path = _save([["工号", "姓名"], [101, "王喆"], [102, "李堃"], [103, "刘䶮"]], tmp_path / "名册.xlsx",
                 {(2, 1): "000000;@", (3, 1): "0000000_ ", (4, 1): '"DL"000000'})
    assert [r.values["工号"] for r in load_roster(path).records] == ["000101", "0000102", "DL000103"]


def test_survey_answers_whose_staff_ids_lost_their_zeros_are_the_rosters_members(tmp_path, capsys):
    roster = _save([["工号", "姓名", "所属党支部"], ["000101", "王喆", "一支部"], ["000102", "李堃", "一支部"],
                    ["000103", "刘䶮", "二支部"]], tmp_path / "名册.xlsx")
    answers = _save([["工号", "姓名", "季度", "服务态度"],
                     [101, "王喆", "2024Q3", 5],        # typed 000101 into a 常规 cell: Excel kept 101
                     [102.0, "李堃", "2024Q3", 2],
                     [103, "", "2024Q3", 1],            # shown as 000103 by its format
                     [999, "查无此人", "2024Q3", 5],
                     ["平均分", "", "", 3]], tmp_path / "答卷.xlsx", {(4, 1): "000000"})
    result = tally(answers, roster)
    members = {m.staff_id: (m.name, m.branch, m.overall) for m in result.members}
    assert members == {"000101": ("王喆", "一支部", 5), "000102": ("李堃", "一支部", 2), "000103": ("刘䶮", "二支部", 1)}
    assert [(p.row, p.message) for p in result.problems] == [(5, "“999”不在名册中；该答卷已略过")]
    assert main(["survey-tally", str(answers), "-o", str(tmp_path / "统计")]) == 0
    captured = capsys.readouterr()
    # without a roster, a member known by 工号 alone is named by it, and the totals row is not an answer
    assert "约谈：工号000103（1.00）、李堃（2.00）" in captured.out
    assert "已统计4名党员；0个回答不计入；0份答卷已略过" in captured.err


def test_a_quarter_whose_staff_ids_lost_their_zeros_still_matches_the_previous_one(tmp_path):
    book = Workbook()
    book.remove(book.active)
    for title, ids in (("2024年第二季度", ["000101", "000102"]), ("2024年第三季度", [101, 102])):
        sheet = book.create_sheet(title)
        sheet.append(["工号", "姓名", "所属党支部", "政治理论", "业务知识", "总分"])
        sheet.append([ids[0], "王喆", "一支部", 30, 30, 60])
        sheet.append([ids[1], "李堃", "一支部", 40, 40, 80])
    book["2024年第三季度"]["A2"].number_format = "000000"  # shown 000101; A3 is 常规: shown 102
    book.save(tmp_path / "成绩.xlsx")
    scores = load_scores(tmp_path / "成绩.xlsx")
    q2, q3 = (scores.of(parse_quarter(q)) for q in ("2024Q2", "2024Q3"))
    assert [r.staff_id for r in q3] == ["000101", "102"]
    matched = match_previous(q3, q2)
    assert {row.name: previous.staff_id for row, previous in matched.items()} == {"王喆": "000101", "李堃": "000102"}


def test_one_staff_id_with_and_without_its_zeros_in_one_quarter_is_a_duplicate(tmp_path):
    _save([["工号", "姓名", "所属党支部", "季度", "政治理论", "业务知识"],
           ["000101", "王喆", "一支部", "2024Q3", 40, 40], [101, "王喆", "一支部", "2024Q3", 45, 45]],
          tmp_path / "成绩.xlsx")
    scores = load_scores(tmp_path / "成绩.xlsx")
    assert scores.rows == []
    assert sorted(p.message.split("在")[0] for p in scores.problems) == ["“000101”", "“101”"]


def test_nominations_keep_the_zeros_excel_shows(tmp_path):
    path = _save([["奖项", "姓名", "所属党支部", "工号", "期间"], ["先进个人", "王喆", "一支部", 101, "2024年度"],
                  ["先进个人", "王喆", "一支部", "101", "2024年度"]], tmp_path / "获奖名单.xlsx", {(2, 4): "000000"})
    result = load_nominations(path)
    assert result.nominations == []  # one member twice: 000101 as shown, and 101 typed as text
    assert [p.row for p in result.problems] == [2, 3] and "出现2次" in result.problems[0].message
    path = _save([["奖项", "姓名", "所属党支部", "工号", "期间"], ["先进个人", "王喆", "一支部", 101, "2024年度"]],
                 tmp_path / "获奖名单.xlsx", {(2, 4): "000000"})
    assert [n.staff_id for n in load_nominations(path).nominations] == ["000101"]


def test_a_staff_id_whose_digits_excel_lost_fails_its_record_saying_how_to_keep_them(tmp_path):
    """12+ digit 工号 show as 2.024E+11 in a 常规 cell and are saved so in a CSV; past 15 digits Excel keeps
    zeros in their place: the number printed would not be the member's."""
    csv = tmp_path / "名册.csv"
    csv.write_text("工号,姓名\n2.024E+11,王喆\n202400010002,李堃\n1E3,刘䶮\n", encoding="utf-8")
    roster = load_roster(csv)
    [error] = [p for p in roster.problems if p.level == "error"]
    assert (error.row, error.column) == (2, "工号") and "“2.024E+11”是科学计数法" in error.message
    assert "设为“文本”格式" in error.message
    assert [r.values["工号"] for r in roster.records[1:]] == ["202400010002", "1E3"]
    book = _save([["工号", "姓名"], [110101199001011234.0, "王喆"], [202400010002, "李堃"]], tmp_path / "名册.xlsx")
    [error] = [p for p in load_roster(book).problems if p.level == "error"]
    assert error.row == 2 and "18位的数字：Excel 只保留15位有效数字" in error.message


def test_a_score_list_in_csv_without_staff_ids_is_read(tmp_path):
    """A CSV has no number formats, and a score sheet needs no 工号 column: neither is asked for one."""
    path = tmp_path / "成绩.csv"
    path.write_text("姓名,所属党支部,季度,政治理论,业务知识\n王喆,一支部,2024Q3,45,45\n", encoding="utf-8")
    assert [(r.name, r.staff_id, r.total) for r in load_scores(path).rows] == [("王喆", "", 90)]
