"""Score sheets as offices keep them, and the rules that decide 学习之星, 进步之星 and 劝学信."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from formgen.campaign.awards import (
    PROGRESS_STAR,
    REMINDER,
    STUDY_STAR,
    Rules,
    decide,
    write_decisions_xlsx,
)
from formgen.campaign.scores import load_scores
from formgen.chinese import parse_quarter

Q2, Q3 = parse_quarter("2024Q2"), parse_quarter("2024Q3")
HEADER = ["工号", "姓名", "所属党支部", "政治理论", "业务知识", "总分"]


def workbook_with(sheets: dict[str, list[list]], title_row: bool = True) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if title_row:
            sheet.append([f"{title}党员应知应会测试成绩"])
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
    return workbook


@pytest.fixture
def scores(tmp_path):
    q2 = [["001", "甲", "一支部", 30, 30, "=D3+E3"],
          ["002", "乙", "一支部", 20, 25, "=D4+E4"],
          ["003", "丙", "一支部", 40, 40, "=D5+E5"],
          ["101", "丁", "二支部", 25, 20, 45]]
    q3 = [["001", "甲", "一支部", 35, 40, "=D3+E3"],        # +15
          ["002", "乙", "一支部", "32", "30", None],         # numbers as text, no 总分: 62, +17
          ["003", "丙", "一支部", 40, 35, "=D5+E5"],        # 75: tie with 甲 on 总分, 政治理论 wins
          ["004", "戊", "一支部", 29, 30, "=D6+E6"],        # 59: below 60, 政治理论 weak
          ["005", "己", "一支部", 30, 30, 60],              # exactly 60 passes
          ["101", "丁", "二支部", 10, 22, "=D8+E8"],        # 32: both subjects weak
          ["101", "丁二", "二支部", 40, 40, 80],            # duplicate 工号: both rows out
          ["102", "", "二支部", 40, 40, 80],                # no name
          ["103", "庚", "二支部", "缺考", 40, None],        # a word for a score
          ["104", "辛", "二支部", 101, 40, None]]           # out of range
    path = tmp_path / "scores.xlsx"
    workbook_with({"2024年第二季度": q2, "2024年第三季度": q3}).save(path)
    return path


def test_reader_handles_title_rows_formulas_and_text_numbers(scores):
    sheet = load_scores(scores)
    assert sheet.quarters() == [Q2, Q3]
    q3 = {row.staff_id: row for row in sheet.of(Q3)}
    assert q3["001"].total == 75 and q3["001"].row == 3  # formula without a cached value: the sum
    assert q3["002"].total == 62 and q3["002"].politics == 32
    assert set(q3) == {"001", "002", "003", "004", "005"}


def test_bad_rows_are_reported_with_their_rows(scores):
    problems = load_scores(scores).problems
    found = {(p.row, p.column) for p in problems}
    assert {(8, "工号"), (9, "工号"), (10, "姓名"), (11, "政治理论"), (12, "政治理论")} <= found
    duplicate = next(p for p in problems if p.row == 8)
    assert duplicate.message == "“101”在2024年第三季度出现2次（第8行、第9行）；改正之前，这些行都已略过"
    messages = {(p.row, p.column): p.message for p in problems}
    assert messages[(10, "姓名")] == "没有填写；该行已略过"
    assert messages[(11, "政治理论")] == "成绩“缺考”不是数字；该行已略过"
    assert messages[(12, "政治理论")] == "成绩“101”不在0–100分之间；该行已略过"
    assert all(p.source == "scores.xlsx 工作表“2024年第三季度”" for p in problems)


def test_the_rules_decide_exactly(scores):
    sheet = load_scores(scores)
    decisions = decide(sheet.of(Q3), sheet.of(Q2))
    by_award = {}
    for d in decisions:
        by_award.setdefault((d.award, d.row.branch), []).append(d)
    star = by_award[(STUDY_STAR, "一支部")][0]
    assert star.row.name == "丙" and star.tie_broken and "甲" in star.why  # 75 each: 政治理论 40 beats 35
    progress = by_award[(PROGRESS_STAR, "一支部")][0]
    assert progress.row.name == "乙" and progress.gain == 17 and progress.previous_total == 45
    reminded = {d.row.name for d in by_award[(REMINDER, "一支部")]}
    assert reminded == {"戊"}  # 59 gets a letter, exactly 60 does not
    letter = by_award[(REMINDER, "一支部")][0]
    assert [w["科目"] for w in letter.weak_subjects] == ["政治理论"] and letter.weak_subjects[0]["差距"] == 1
    assert (STUDY_STAR, "二支部") not in by_award  # its only valid member was a duplicate


def test_ties_are_broken_by_the_documented_order():
    from formgen.campaign.scores import ScoreRow

    def row(staff_id, name, politics, business):
        return ScoreRow("t", 1, staff_id, name, "一支部", politics, business, politics + business, Q3)

    # equal 总分: the higher 政治理论 wins
    assert decide([row("2", "甲", 45, 40), row("1", "乙", 40, 45)], [])[0].row.name == "甲"
    # equal 总分 and subjects: the smaller 工号 wins
    assert decide([row("2", "甲", 40, 40), row("1", "乙", 40, 40)], [])[0].row.name == "乙"


def test_pass_mark_is_configurable(scores):
    sheet = load_scores(scores)
    decisions = decide(sheet.of(Q3), sheet.of(Q2), Rules(pass_mark=63))
    assert {d.row.name for d in decisions if d.award == REMINDER} == {"乙", "戊", "己"}


def test_quarter_column_and_csv_in_gb18030(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes("工号,姓名,所属党支部,季度,政治理论,业务知识\n001,王喆,一支部,2024年第三季度,45,40\n"
                     "001,王喆,一支部,2024Q2,30,30\n".encode("gb18030"))
    sheet = load_scores(path)
    assert sheet.quarters() == [Q2, Q3]
    decisions = decide(sheet.of(Q3), sheet.of(Q2))
    assert {d.award for d in decisions} == {STUDY_STAR, PROGRESS_STAR}


def test_a_branch_merged_over_its_rows_counts_for_each_member(tmp_path):
    workbook = workbook_with({"2024年第三季度": [["001", "甲", "一支部", 35, 40, 75], ["002", "乙", None, 30, 30, 60],
                                                ["101", "丙", "二支部", 40, 40, 80]]})
    workbook["2024年第三季度"].merge_cells("C3:C4")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    assert {row.name: row.branch for row in load_scores(path).of(Q3)} == {"甲": "一支部", "乙": "一支部", "丙": "二支部"}


def test_decisions_workbook(tmp_path, scores):
    from openpyxl import load_workbook

    sheet = load_scores(scores)
    decisions = decide(sheet.of(Q3), sheet.of(Q2))
    write_decisions_xlsx(decisions, sheet.problems, tmp_path / "decisions.xlsx", {0: "SLN-2024-XX-0001"})
    book = load_workbook(tmp_path / "decisions.xlsx")
    rows = list(book["决定"].iter_rows(values_only=True))
    assert rows[0][:4] == ("奖项", "工号", "姓名", "所属党支部")
    assert rows[1][0] == STUDY_STAR and rows[1][2] == "丙" and rows[1][5] == 75 and rows[1][-1] == "SLN-2024-XX-0001"
    problems = list(book["问题"].iter_rows(values_only=True))
    assert len(problems) == 1 + len(sheet.problems) and any(r[2] == 11 for r in problems[1:])
