"""Branch review: all branches' quarterly scores ranked — 支部考核结果.xlsx, a short report, each branch's
form, and a 约谈通知 for the secretary of each branch under the pass mark, as `awards` does for members."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Sequence

from formgen import clock
from formgen.api.render import Job, Output, RenderReport, load_records, render
from formgen.campaign import branch_review as rules
from formgen.chinese import Quarter
from formgen.input.problem_list import append_problems_sheet
from formgen.problems import ERROR
from formgen.xlsx_cells import append_row, save_workbook

# The files as clerks call them (the documents by their layouts' names: branch-review-report, branch-quarterly,
# interview-notice); each document .pdf and/or .docx
DECISIONS = "支部考核结果.xlsx"
REPORT = "支部考核情况"
FORMS = "支部季度工作清单"  # each branch's form
NOTICES = "约谈通知"


class NoBranchScores(ValueError):
    """The sheet holds no usable score for the quarter asked: nothing is decided."""

    def __init__(self, message: str, problems: list):
        self.problems = problems
        super().__init__(message)


@dataclass
class BranchReviewResult:
    review: rules.Review
    outputs: list[Path] = field(default_factory=list)
    documents: dict[str, RenderReport] = field(default_factory=dict)  # by file name: REPORT, FORMS, NOTICES

    @property
    def rejected(self) -> bool:
        return any(p.level == ERROR for p in self.review.problems)

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.documents.values())


def _fmt(value: Optional[float]) -> str:
    return "" if value is None else f"{value:g}"


def talk_reason(ranked: rules.Ranked, review: rules.Review) -> str:
    s = ranked.score
    return (f"{s.branch}在{review.quarter.label}支部工作考核中得分{_fmt(s.total)}分，"
            f"低于{_fmt(review.pass_mark)}分的合格线")


def notice_record(ranked: rules.Ranked, review: rules.Review, issue_date: dt.date) -> dict:
    """The 约谈通知 of a branch under the pass mark, addressed to its secretary."""
    s = ranked.score
    return {"姓名": s.secretary, "所属党支部": s.branch, "职务": "党支部书记", "季度": review.quarter.code,
            "得分": s.total, "约谈事由": talk_reason(ranked, review), "落款日期": issue_date}


def form_record(score: rules.BranchScore) -> dict:
    """The branch's 支部季度工作清单, filled with its scores and work."""
    record = {"所属党支部": score.branch, "支部书记": score.secretary, "季度": score.quarter.code,
              "考核总分": score.total, "自评总分": score.self_total}
    for item in rules.ITEMS:
        record.update({f"{item}情况": score.notes.get(item, ""), f"{item}自评": score.self_items.get(item),
                       f"{item}考核": score.items.get(item)})
    return {k: ("" if v is None else v) for k, v in record.items()}


def report_record(review: rules.Review, issue_date: dt.date) -> dict:
    """The one record the report layout prints: the ranking, the 约谈 list and the suggested 五星党支部."""
    def entry(r: rules.Ranked) -> dict:
        return {"名次": r.place, "所属党支部": r.score.branch, "支部书记": r.score.secretary or "—",
                "得分": _fmt(r.score.total), "自评": _fmt(r.score.self_total), "结论": r.verdict}

    return {"季度": review.quarter.code, "支部数": len(review.ranking), "平均分": _fmt(review.average),
            "合格线": _fmt(review.pass_mark), "五星线": _fmt(review.five_star_mark),
            "排名": [entry(r) for r in review.ranking], "约谈": [entry(r) for r in review.talks],
            "五星": [entry(r) for r in review.five_stars], "落款日期": issue_date}


def run_branch_review(scores: Path, quarter: Quarter, org: Mapping, out: Optional[Path],
                      formats: Sequence[str] = ("pdf",), roster: Optional[Path] = None, pass_mark: float = 85,
                      five_star_mark: float = 90, issue_date: Optional[dt.date] = None,
                      notice_options: Optional[Mapping] = None, pdfa: bool = False,
                      roster_columns: Optional[Mapping[str, str]] = None) -> BranchReviewResult:
    """Rank; and unless out is None (a dry run) write into out 支部考核结果.xlsx, 支部考核情况.pdf, 支部季度工作清单.pdf
    (each branch's form) and 约谈通知.pdf (a notice for each branch under the pass mark). roster_columns reads
    the roster's headers as load_records' header_map does."""
    secretaries = (rules.secretaries_from(load_records(roster, find_photo_files=False, header_map=roster_columns).records)
                   if roster else {})
    scores_read, problems = rules.load_branch_scores(scores, quarter, secretaries)
    if not scores_read:
        raise NoBranchScores(f"{scores} 中没有{quarter.label}的可用考核分；未评定，也未写入任何文件", problems)
    review = rules.review(scores_read, quarter, problems, pass_mark, five_star_mark)
    result = BranchReviewResult(review)
    for ranked in review.talks:
        if not ranked.score.secretary:
            review.problems.append(ranked.score.row.problem(
                "warning", "低于合格线，但不知道支部书记是谁：约谈通知的称呼将留空；请增加「支部书记」列，或用 --roster "
                           "给出名册（职务为党支部书记的党员）", "支部书记"))
    if out is None:
        return result
    out.mkdir(parents=True, exist_ok=True)
    day = issue_date or clock.today()
    write_decisions(review, out / DECISIONS)
    result.outputs.append(out / DECISIONS)
    jobs = [("branch-review-report", [report_record(review, day)], REPORT, {}),
            ("branch-quarterly", [form_record(r.score) for r in review.ranking], FORMS, {"pass_mark": pass_mark}),
            ("interview-notice", [notice_record(r, review, day) for r in review.talks], NOTICES,
             dict(notice_options or {}))]
    for layout, records, name, options in jobs:
        if records:
            report = render(Job(layout, org=org, options=options), records,
                            Output(out / f"{name}.pdf", tuple(formats), pdfa=pdfa))
            result.documents[name] = report
            result.outputs += report.outputs
    return result


def write_decisions(review: rules.Review, path: Path) -> None:
    """Sheets 排名, 约谈名单 (the interview-notice layout reads it), 五星党支部 (certify reads it) and 问题."""
    from openpyxl import Workbook

    workbook = Workbook()
    ranking = workbook.active
    ranking.title = "排名"
    append_row(ranking, ["名次", "所属党支部", "支部书记", *[f"{item}考核" for item in rules.ITEMS], "考核总分", "自评总分",
                    "结论", "来源", "行号"])
    for r in review.ranking:
        s = r.score
        append_row(ranking, [r.place, s.branch, s.secretary, *[s.items[item] for item in rules.ITEMS], s.total,
                        s.self_total, r.verdict, s.row.source, s.row.row])
    talks = workbook.create_sheet("约谈名单")
    append_row(talks, ["季度", "姓名", "职务", "所属党支部", "得分", "约谈事由"])
    for r in review.talks:
        append_row(talks, [review.quarter.label, r.score.secretary, "党支部书记", r.score.branch, r.score.total,
                      talk_reason(r, review)])
    stars = workbook.create_sheet("五星党支部")
    append_row(stars, ["获奖者", "所属党支部", "奖项", "期间", "事由", "得分"])
    for r in review.five_stars:
        reason = f"支部工作考核得分{_fmt(r.score.total)}分，位列第{r.place}名"
        append_row(stars, [r.score.branch, r.score.branch, "五星党支部", review.quarter.label, reason, r.score.total])
    for ws in workbook.worksheets:
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 16
        ws.freeze_panes = "A2"
    for ws, letter in ((talks, "F"), (stars, "E")):
        ws.column_dimensions[letter].width = 60
    append_problems_sheet(workbook, review.problems, who="党支部", width=60)
    save_workbook(workbook, path)
