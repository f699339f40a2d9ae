"""The page's jobs for the rest of the campaign's paperwork — certificates from a list of nominations,
the branches' quarterly review, political birthdays, helmet stickers — each run through formgen.api in
the worker, its files offered for download under the Chinese names it writes them by."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from formgen import clock
from formgen.chinese import Quarter
from formgen.web.flows import offer_outputs, problem_rows, submit_with_inputs

FORMATS = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}


def start_certify(services, sid: str, nominations: Path, shown: str, issue: bool, formats: str):
    from formgen.api.certify import run_certify

    org = services.org.org()

    def work(job, copies):
        copy = copies["nominations"]
        result = run_certify(copy, org, job.folder / "证书" if issue else None, FORMATS.get(formats, ("pdf",)),
                             issue_date=clock.today())
        offer_outputs(job, result.outputs)
        issued = {id(i.nomination): i.serial for i in result.issued}
        rows = [{"serial": issued.get(id(n), ""), "award": n.award, "period": n.period.label, "holder": n.holder,
                 "branch": n.branch} for n in result.nominations]
        return {"issued": issue, "rows": rows, "problems": problem_rows(result.problems),
                "keys_created": bool(result.keys_created)}

    title = f"{'按获奖名单发证' if issue else '检查获奖名单'}：{shown}"
    return submit_with_inputs(services, sid, "certify", title, {"nominations": (nominations, shown)}, work)


def start_branch_review(services, sid: str, scores: Path, shown: str, quarter: Quarter, roster: Optional[Path],
                        formats: str, place: str, time: str):
    from formgen.api.branch_review import NoBranchScores, run_branch_review

    org = services.org.org()

    def work(job, copies):
        copy = copies["scores"]
        try:
            result = run_branch_review(copy, quarter, org, job.folder / "支部考核", FORMATS.get(formats, ("pdf",)),
                                       roster=copies["roster"], issue_date=clock.today(),
                                       notice_options={"place": place, "time": time})
        except NoBranchScores as exc:
            raise ValueError(str(exc).replace(str(copy), shown)) from None
        offer_outputs(job, result.outputs)
        review = result.review
        ranking = [{"place": r.place, "branch": r.score.branch, "secretary": r.score.secretary,
                    "total": f"{r.score.total:g}", "verdict": r.verdict} for r in review.ranking]
        return {"quarter": quarter.label, "average": f"{review.average:g}", "ranking": ranking,
                "problems": problem_rows(review.problems)}

    return submit_with_inputs(services, sid, "review", f"支部考核：{quarter.label}",
                              {"scores": (scores, shown), "roster": (roster, roster.name) if roster else None}, work)


def start_birthdays(services, sid: str, roster, year: int, month: int, formats: str):
    """roster: the clerk's roster as the page read it (its columns mapped)."""
    from formgen.api.birthdays import run_birthdays

    org = services.org.org()

    def work(job):
        result = run_birthdays(roster, year, month, org, job.folder / "政治生日", FORMATS.get(formats, ("pdf",)),
                               issue_date=clock.today())
        offer_outputs(job, result.outputs)
        groups = [{"branch": branch, "members": [{"name": b.record.values.get("姓名", ""), "day": b.date_text,
                                                   "joined": b.joined.text, "years": b.years, "mark": b.mark,
                                                   "note": b.note} for b in birthdays]}
                  for branch, birthdays in result.by_branch().items()]
        return {"month": f"{year}年{month}月", "count": len(result.birthdays), "members": result.members,
                "groups": groups, "problems": problem_rows(result.problems)}

    return services.worker.submit(sid, "birthdays", f"政治生日：{year}年{month}月", work)


def start_stickers(services, sid: str, roster, design: str, size: str, per_branch: Optional[int],
                   names: bool, emblem: Optional[Path], formats: str):
    """roster: the clerk's roster as the page read it; emblem: the picture the clerk uploaded, or None."""
    from formgen.api.stickers import DESIGNS, run_stickers
    from formgen.input.layouts import document_name, load_layout

    sheet = document_name(load_layout(DESIGNS[(design, size)]))  # 安全帽标志, 圆形安全帽标志 …

    def work(job, copies):
        result = run_stickers(roster, job.folder / f"{sheet}.pdf", FORMATS.get(formats, ("pdf",)), design, size,
                              per_branch, copies["emblem"], names)
        offer_outputs(job, result.report.outputs)
        return {"count": result.records, "emblem": emblem is not None, "pages": result.report.pages,
                "problems": problem_rows(result.problems + result.report.problems)}

    shape = {"rect": "长方形", "round": "圆形"}.get(design, design) + ("，小号" if size == "small" else "，大号")
    how = f"每个支部{per_branch}个" if per_branch else ("每人一个，印姓名" if names else "每人一个")
    return submit_with_inputs(services, sid, "stickers", f"安全帽“共产党员”标志（{shape}，{how}）",
                              {"emblem": (emblem, emblem.name) if emblem else None}, work)
