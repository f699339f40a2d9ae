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
    assert messages[(12, "政治理论")] == ("成绩“101”超出满分：政治理论满分50分（0–50）；该行已略过"
                                       "（满分不同的测试，请在单位资料中写明 score_scale）")
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
    write_decisions_xlsx(decisions, sheet.problems, tmp_path / "评选结果.xlsx", {0: "SLN-2024-XX-0001"})
    book = load_workbook(tmp_path / "评选结果.xlsx")
    rows = list(book["决定"].iter_rows(values_only=True))
    assert rows[0][:4] == ("奖项", "工号", "姓名", "所属党支部")
    assert rows[1][0] == STUDY_STAR and rows[1][2] == "丙" and rows[1][5] == 75 and rows[1][-1] == "SLN-2024-XX-0001"
    problems = list(book["问题"].iter_rows(values_only=True))
    assert len(problems) == 1 + len(sheet.problems) and any(r[2] == 11 for r in problems[1:])


NO_ID_HEADER = ["姓名", "所属党支部", "政治理论", "业务知识", "总分"]


def _sheets_without_ids(tmp_path, q2: list[list], q3: list[list], header=NO_ID_HEADER):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in (("2024年第二季度", q2), ("2024年第三季度", q3)):
        sheet = workbook.create_sheet(title)
        sheet.append([f"{title}党员应知应会测试成绩"])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "成绩.xlsx"
    workbook.save(path)
    return path


def test_members_without_a_staff_id_are_matched_by_name_within_their_branch(tmp_path):
    q2 = [["乌兰巴特尔", "生产运营党支部", 20, 20, None], ["其木格", "生产运营党支部", 30, 25, None],
          ["额尔敦", "机关第一党支部", 40, 40, None]]
    q3 = [["乌兰巴特尔", "生产运营党支部", 30, 29, None],   # 59: +19, a letter too
          ["其木格", "生产运营党支部", 40, 40, None],       # 80: the star, +25
          ["额尔敦", "生产运营党支部", 45, 45, None],       # moved branch: no previous quarter to compare with
          ["额尔敦", "机关第一党支部", 20, 30, None]]       # a namesake in another branch is another member
    sheet = load_scores(_sheets_without_ids(tmp_path, q2, q3))
    assert sheet.problems == []
    decisions = decide(sheet.of(Q3), sheet.of(Q2))
    found = {(d.award, d.row.branch): (d.row.name, d.gain) for d in decisions}
    assert found[(STUDY_STAR, "生产运营党支部")] == ("额尔敦", None)
    assert found[(PROGRESS_STAR, "生产运营党支部")] == ("其木格", 25)  # 额尔敦 was in another branch before
    assert found[(REMINDER, "生产运营党支部")] == ("乌兰巴特尔", None)
    assert (PROGRESS_STAR, "机关第一党支部") not in found  # 80 → 50 is no progress


def test_namesakes_in_one_branch_without_staff_ids_are_an_error_naming_both_rows(tmp_path):
    q3 = [["王伟", "机关第一党支部", 40, 40, None], ["李堃", "机关第一党支部", 30, 30, None],
          ["王伟", "机关第一党支部", 20, 25, None]]
    sheet = load_scores(_sheets_without_ids(tmp_path, [], q3))
    assert [(p.row, p.column) for p in sheet.problems] == [(3, "姓名"), (5, "姓名")]
    assert sheet.problems[0].message == ("机关第一党支部在2024年第三季度有2行“王伟”（第3行、第5行），没有工号可以区分："
                                         "是重复录入，还是两位同名党员？请删去重复的一行，或填上各自的工号；改正之前，这些行都已略过")
    assert [r.name for r in sheet.of(Q3)] == ["李堃"]


def test_a_staff_id_where_there_is_one_tells_namesakes_apart_and_matches_quarters(tmp_path):
    header = ["工号", *NO_ID_HEADER]
    q2 = [["000101", "王伟", "一支部", 20, 20, None], ["000102", "王伟", "一支部", 40, 40, None]]
    q3 = [["000101", "王伟", "一支部", 35, 35, None], ["000102", "王伟", "一支部", 40, 41, None],
          ["", "李堃", "一支部", 10, 10, None]]  # a row without 工号 among rows with one: read all the same
    sheet = load_scores(_sheets_without_ids(tmp_path, q2, q3, header))
    assert sheet.problems == []
    progress = next(d for d in decide(sheet.of(Q3), sheet.of(Q2)) if d.award == PROGRESS_STAR)
    assert (progress.row.staff_id, progress.gain) == ("000101", 30)  # not compared with the other 王伟


@pytest.mark.parametrize("row, column, message", [
    (["甲", "一支部", 85, 40, None], "政治理论", "成绩“85”超出满分：政治理论满分50分（0–50）"),
    (["甲", "一支部", 40, 90, None], "业务知识", "成绩“90”超出满分：业务知识满分50分（0–50）"),
    (["甲", "一支部", 40, 40, 175], "总分", "总分“175”超出满分100分（0–100）"),
])
def test_every_score_is_held_to_its_full_marks(tmp_path, row, column, message):
    sheet = load_scores(_sheets_without_ids(tmp_path, [], [row, ["乙", "一支部", 30, 30, 60]]))
    (problem,) = sheet.problems
    assert (problem.row, problem.column) == (3, column) and problem.message.startswith(message)
    assert [r.name for r in sheet.of(Q3)] == ["乙"]


def test_the_profile_sets_other_full_marks_and_the_subjects_share_of_the_pass_mark_follows(tmp_path):
    from formgen.campaign.scores import scale_of

    scale = scale_of({"score_scale": {"政治理论": 100, "业务知识": 100}})
    assert scale == {"政治理论": 100, "业务知识": 100, "总分": 200}
    sheet = load_scores(_sheets_without_ids(tmp_path, [], [["甲", "一支部", 85, 90, None], ["乙", "一支部", 50, 65, None]]),
                        scale=scale)
    assert sheet.problems == [] and [r.total for r in sheet.of(Q3)] == [175, 115]
    (letter,) = [d for d in decide(sheet.of(Q3), [], Rules(pass_mark=120, scale=scale)) if d.award == REMINDER]
    assert [(w["科目"], w["及格线"], w["差距"]) for w in letter.weak_subjects] == [("政治理论", 60, 10)]
    for wrong, said in (({"score_scale": {"语文": 100}}, "可设置的是：政治理论、业务知识、总分"),
                        ({"score_scale": {"总分": "很多"}}, "应是大于 0 的满分"), ({"score_scale": 100}, "应写成")):
        with pytest.raises(ValueError, match=said):
            scale_of(wrong)


def test_nothing_to_decide_says_why_rather_than_no_quarter(tmp_path):
    from formgen.api.campaign import NoScores, run_awards

    all_bad = _sheets_without_ids(tmp_path, [], [["甲", "一支部", 85, 40, None], ["", "一支部", 30, 30, None]])
    with pytest.raises(NoScores) as nothing:
        run_awards(all_bad, Q3, {}, None)
    assert "中没有一行成绩可用：2处问题，见下；未评选" in str(nothing.value) and "：无" not in str(nothing.value)
    assert len(nothing.value.problems) == 2
    only_q2 = _sheets_without_ids(tmp_path, [["甲", "一支部", 40, 40, None]], [])
    with pytest.raises(NoScores, match="中没有2024年第三季度的成绩（表中有成绩的季度：2024年第二季度）"):
        run_awards(only_q2, Q3, {}, None)
    with pytest.raises(ValueError, match="合格线应为 0–100 之间的数字（总分满分100分），而不是 120"):
        run_awards(only_q2, Q3, {}, None, pass_mark=120)


def test_awards_from_a_sheet_without_staff_ids_issue_certificates_and_letters(tmp_path, monkeypatch, capsys):
    from formgen.cli.main import main

    monkeypatch.chdir(tmp_path)
    path = _sheets_without_ids(tmp_path, [["其木格", "生产运营党支部", 20, 20, None]],
                               [["乌兰巴特尔", "生产运营党支部", 25, 20, None], ["其木格", "生产运营党支部", 40, 42, None]])
    assert main(["awards", str(path), "--quarter", "2024Q3", "-o", "评选", "--issue-date", "2024-10-08"]) == 0
    captured = capsys.readouterr()
    assert "（满分：政治理论50分、业务知识50分，总分100分；合格线60分）" in captured.out
    assert "进步之星\t生产运营党支部\t\t其木格\t总分82" in captured.out
    assert sorted(p.name for p in (tmp_path / "评选").iterdir()) == ["劝学信.pdf", "荣誉证书.pdf", "评选结果.xlsx", "验证公钥.pem"]
    from formgen.campaign.ledger import Ledger

    serials = Ledger(tmp_path / "formgen-data" / "ledger.sqlite3")
    assert serials.lookup("FG-2024-XX-0001").holder_id == "生产运营党支部·其木格"


def test_a_summary_sheet_beside_the_quarters_sheets_is_not_read_as_their_scores(tmp_path):
    """汇总 repeats the quarter's rows: read under --quarter, every member was there twice and all were left
    out as duplicates; it is passed over, said once. A workbook of one unnamed sheet is read as before."""
    book = workbook_with({"2024年第三季度": [["000101", "王喆", "一支部", 45, 45], ["000102", "李堃", "一支部", 40, 40]],
                          "汇总": [["000101", "王喆", "一支部", 45, 45], ["000102", "李堃", "一支部", 40, 40]]},
                         title_row=False)
    book.save(tmp_path / "成绩.xlsx")
    scores = load_scores(tmp_path / "成绩.xlsx", default_quarter=parse_quarter("2024Q3"))
    assert [(r.name, r.source) for r in scores.rows] == [("王喆", "成绩.xlsx 工作表“2024年第三季度”"),
                                                          ("李堃", "成绩.xlsx 工作表“2024年第三季度”")]
    [notice] = scores.problems
    assert notice.level == "warning" and notice.message.startswith("工作表“汇总”的名称不是季度")
    single = workbook_with({"Sheet1": [["000101", "王喆", "一支部", 45, 45]]}, title_row=False)
    single.save(tmp_path / "本季度.xlsx")
    assert len(load_scores(tmp_path / "本季度.xlsx", default_quarter=parse_quarter("2024Q3")).rows) == 1
