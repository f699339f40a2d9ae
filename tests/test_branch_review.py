"""branch-review: the sample branch scores (a two-row header, formulas, the usual slips) ranked, the 约谈
list and the suggested 五星党支部 — 支部考核结果.xlsx, the report, a form per branch and a 约谈通知 per branch
under 85, read back; and the 约谈通知 layout filled from the survey tally's list and from a given list."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from formgen.api import Job, Output, render
from formgen.api.branch_review import run_branch_review
from formgen.api.campaign import run_survey_tally
from formgen.campaign.branch_review import BranchScore, column_name, load_branch_scores, review
from formgen.campaign.nominations import load_nominations
from formgen.chinese import parse_quarter
from formgen.cli.main import main
from formgen.input.org import load_org
from formgen.resources import SAMPLES_DIR

from .conftest import pdf_text
from .readback import docx_text

Q3 = parse_quarter("2024Q3")
SCORES = SAMPLES_DIR / "branch-scores.xlsx"
ORG = load_org(SAMPLES_DIR / "org.yaml")


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    result = run_branch_review(SCORES, Q3, ORG, out, ("pdf", "docx"), roster=SAMPLES_DIR / "roster.xlsx",
                               issue_date=dt.date(2024, 10, 10), notice_options={"place": "党委会议室"})
    return out, result


def flat(pages: list[str]) -> list[str]:
    return [re.sub(r"\s+", "", page) for page in pages]


def test_ranking_talks_and_five_stars(reviewed):
    _, result = reviewed
    ranking = [(r.place, r.score.branch, r.score.total, r.verdict) for r in result.review.ranking]
    assert ranking == [(1, "生产运营党支部", 96, "建议评为五星党支部"), (2, "机关第一党支部", 91, "建议评为五星党支部"),
                       (3, "设备维修党支部", 90, "建议评为五星党支部"), (4, "安全环保党支部", 88, "合格"),
                       (5, "物资供应党支部", 84, "约谈"), (6, "机关第二党支部", 75, "约谈")]
    assert [r.score.secretary for r in result.review.talks] == ["高峰", "沈佳怡"]
    first = result.review.ranking[1].score
    assert first.secretary == "王喆"  # left blank in the sheet, found in the roster by 职务
    assert first.items["品牌建设"] == 18 and first.self_items["支部标准化建设"] == 38
    assert first.notes["三亮三比三创活动"] == "亮身份、比贡献氛围浓厚"


def test_bad_rows_are_reported_by_row_and_column(reviewed):
    _, result = reviewed
    problems = [(p.level, p.row, p.column, p.who) for p in result.review.problems]
    # each column named by its header in the sheet, a grouped one by its group and its own title
    assert problems == [("warning", 8, "考核总分", "安全环保党支部"), ("error", 9, "党支部", "燃料供应党支部"),
                        ("error", 11, "“三亮三比三创”活动落实情况考核分", "后勤服务党支部"),
                        ("error", 12, "党支部", "燃料供应党支部")]
    assert "“88”不等于各项考核分之和（85）" in result.review.problems[0].message


def test_the_files_are_named_as_clerks_call_them(reviewed):
    out, result = reviewed
    expected = {"支部考核结果.xlsx", *(f"{stem}.{fmt}" for stem in ("支部考核情况", "支部季度工作清单", "约谈通知")
                                      for fmt in ("pdf", "docx"))}
    assert {p.name for p in out.iterdir()} == expected == {p.name for p in result.outputs}


def test_decisions_feed_certify_and_the_notices(reviewed):
    out, _ = reviewed
    from openpyxl import load_workbook

    workbook = load_workbook(out / "支部考核结果.xlsx")
    assert workbook.sheetnames == ["排名", "约谈名单", "五星党支部", "问题"]
    talks = [row[1:4] for row in workbook["约谈名单"].iter_rows(min_row=2, values_only=True)]
    assert talks == [("高峰", "党支部书记", "物资供应党支部"), ("沈佳怡", "党支部书记", "机关第二党支部")]
    read = load_nominations(out / "支部考核结果.xlsx", sheet="五星党支部")  # formgen certify --sheet 五星党支部
    assert [(n.holder, n.award, n.period.code) for n in read.nominations] == [
        ("生产运营党支部", "五星党支部", "2024Q3"), ("机关第一党支部", "五星党支部", "2024Q3"),
        ("设备维修党支部", "五星党支部", "2024Q3")]
    assert read.problems == []


def test_report_forms_and_notices_read_back(reviewed):
    out, result = reviewed
    (report,) = flat(pdf_text(out / "支部考核情况.pdf"))
    assert "党支部第三季度工作考核情况" in report and "平均得分87.33分" in report
    assert "约谈其支部书记：物资供应党支部高峰（84分）、机关第二党支部沈佳怡（75分）" in report
    for r in result.review.ranking:
        assert f"{r.place}{r.score.branch}" in report
    forms = flat(pdf_text(out / "支部季度工作清单.pdf"))
    assert len(forms) == 6
    assert "生产运营党支部" in forms[0] and "刘䶮" in forms[0] and "▣达到85分" in forms[0]
    assert "机关第二党支部" in forms[5] and "▣未达到85分（约谈支部书记）" in forms[5]
    notices = flat(pdf_text(out / "约谈通知.pdf"))
    assert len(notices) == 2
    assert notices[0].startswith(ORG["letterhead"]) and "高峰同志：" in notices[0]
    assert "你所在的" not in notices[0] and "物资供应党支部在2024年第三季度支部工作考核中得分84分" in notices[0]
    assert "到党委会议室" in notices[0] and "二〇二四年十月十日" in notices[0]
    body = docx_text(out / "约谈通知.docx")
    assert "沈佳怡同志：" in body and "75分" in body
    assert "刘䶮" in docx_text(out / "支部季度工作清单.docx")


def score(branch: str, total: float) -> BranchScore:
    return BranchScore(None, branch, "", Q3, {}, {}, total, None)


def test_equal_scores_share_a_place_and_exactly_85_passes():
    ranked = review([score("丁支部", 85), score("甲支部", 92), score("乙支部", 92), score("丙支部", 84.5)], Q3, [])
    assert [(r.place, r.score.branch, r.verdict) for r in ranked.ranking] == [
        (1, "乙支部", "建议评为五星党支部"), (1, "甲支部", "建议评为五星党支部"), (3, "丁支部", "合格"), (4, "丙支部", "约谈")]


def test_headers_as_clerks_write_them():
    assert column_name("品牌建设（考核分）") == "品牌建设考核" and column_name("品牌建设自评分") == "品牌建设自评"
    assert column_name("“三亮三比三创”活动落实情况") == "三亮三比三创活动考核"
    assert column_name("支部标准化建设工作情况") == "支部标准化建设情况"
    assert column_name("党支部") == "所属党支部" and column_name("书记") == "支部书记" and column_name("合计") == "考核总分"


def test_a_one_row_csv_with_a_quarter_column(tmp_path):
    path = tmp_path / "考核.csv"
    path.write_text("党支部,季度,支部书记,考核总分\n一支部,2024Q3,王喆,88\n二支部,2024Q2,李堃,70\n三支部,2024Q3,,101\n",
                    encoding="utf-8-sig")
    scores, problems = load_branch_scores(path, Q3)
    assert [(s.branch, s.total, s.secretary) for s in scores] == [("一支部", 88, "王喆")]
    assert [(p.row, p.column) for p in problems] == [(4, "考核总分")]  # the header as written


def test_a_quarter_without_scores_writes_nothing(tmp_path, capsys):
    code = main(["branch-review", str(SCORES), "--quarter", "2023Q1", "-o", str(tmp_path / "out")])
    assert code == 2 and not (tmp_path / "out").exists()
    assert "没有2023年第一季度的可用考核分" in capsys.readouterr().err


def test_notices_from_the_survey_tallys_talk_list(tmp_path):
    tally = run_survey_tally(SAMPLES_DIR / "survey-responses.xlsx", SAMPLES_DIR / "roster.xlsx", tmp_path / "tally")
    talk = [m for m in tally.tally.members if m.verdict == "约谈"]
    assert talk
    report = render(Job("interview-notice", org=ORG, options={"time": "2024年10月15日上午9时"}),
                    _sheet(tally.outputs[0], "约谈名单"), Output(tmp_path / "notices.pdf"))
    assert report.failed == [] and report.rendered == len(talk)
    pages = flat(pdf_text(tmp_path / "notices.pdf"))
    for member, page in zip(talk, pages):
        assert f"{member.name}同志：" in page and f"平均为{member.overall:g}星，低于3星" in page
        assert "请你于2024年10月15日上午9时到＿＿＿＿＿＿＿＿" in page


def _sheet(path, name):
    from formgen.input.records import load_roster

    return load_roster(path, name)


def test_notices_from_a_given_list_with_reasons_of_its_own(tmp_path):
    path = tmp_path / "约谈.csv"
    path.write_text("姓名,所属党支部,约谈事由,约谈地点\n黄𫖯,设备维修党支部,你的岗位技能等级低于操作岗位要求，且未按期取得,支部活动室\n"
                    ",机关第二党支部,,\n", encoding="utf-8")
    out = tmp_path / "notices.docx"
    report = render(Job("interview-notice", org=ORG), path, Output(out, ("pdf", "docx")))
    assert report.failed == []
    pages = flat(pdf_text(out.with_suffix(".pdf")))
    assert "黄𫖯同志：" in pages[0] and "你的岗位技能等级低于操作岗位要求，且未按期取得。根据" in pages[0]
    assert "到支部活动室" in pages[0] and "请你于＿＿＿＿月＿＿＿日＿＿＿时" in pages[0]
    assert pages[1].startswith(ORG["letterhead"] + "约谈通知机关第二党支部书记：")
    assert "黄𫖯同志：" in docx_text(out)


def test_a_notice_needs_a_name_or_a_branch(tmp_path):
    """To a member (姓名) or to a branch's secretary (所属党支部): a row with neither fails saying so, and a
    list with neither column is refused by check; either alone is enough."""
    from formgen.api import check

    rows = [{"姓名": "黄𫖯", "约谈事由": "事由一"}, {"所属党支部": "机关第二党支部", "约谈事由": "事由二"},
            {"姓名": "", "所属党支部": " ", "约谈事由": "事由三"}]
    report = render(Job("interview-notice", org=ORG), rows, Output(tmp_path / "notices.pdf"))
    assert report.rendered == 2
    assert [(p.row, p.column, p.message) for p in report.failed] == [
        (3, "姓名", "姓名和所属党支部都为空；此版式至少要填写其中一项")]
    found = check(Job("interview-notice", org=ORG), [{"职务": "技术员", "约谈事由": "事由"}])
    assert [(p.column, p.message) for p in found.failed] == [("姓名", "版式需要「姓名」或「所属党支部」列，名册中都没有")]


def test_the_template_sheet_is_read_by_the_review(tmp_path):
    from openpyxl import load_workbook

    template = tmp_path / "考核表.xlsx"
    assert main(["template", "branch-quarterly", "-o", str(template)]) == 0
    workbook = load_workbook(template)
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    rows = [{"所属党支部": "一支部", "支部书记": "王喆", "季度": "2024Q3", "支部标准化建设考核": 38, "品牌建设考核": 18,
             "党建融入中心工作考核": 22, "三亮三比三创活动考核": 14, "支部标准化建设自评": 39},
            {"所属党支部": "二支部", "支部书记": "李堃", "季度": "2024Q3", "考核总分": 80}]
    for values in rows:
        sheet.append([values.get(name) for name in header])
    workbook.save(template)
    scores, problems = load_branch_scores(template, Q3)
    assert problems == []
    assert [(s.branch, s.total, s.secretary) for s in scores] == [("一支部", 92, "王喆"), ("二支部", 80, "李堃")]
    assert scores[0].self_items["支部标准化建设"] == 39


def test_secretaries_from_a_roster_whose_branch_header_is_its_own(tmp_path):
    scores = tmp_path / "考核.csv"
    scores.write_text("党支部,季度,考核总分\n一支部,2024Q3,80\n", encoding="utf-8")
    roster = tmp_path / "名册.csv"
    roster.write_text("姓名,岗位名称,支部信息\n王喆,党支部书记,一支部\n", encoding="utf-8")
    columns = {"支部信息": "所属党支部", "岗位名称": "职务"}
    unread = run_branch_review(scores, Q3, ORG, None, roster=roster)
    read = run_branch_review(scores, Q3, ORG, None, roster=roster, roster_columns=columns)
    assert [r.score.secretary for r in unread.review.talks] == [""]
    assert [r.score.secretary for r in read.review.talks] == ["王喆"]
