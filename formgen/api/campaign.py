"""The campaign's jobs: awards from a score sheet (decisions, certificates, letters) and the survey tally."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Sequence

from formgen import clock
from formgen.api.render import Job, Output, RenderReport, render
from formgen.campaign import awards as rules
from formgen.campaign.issuing import (
    DEFAULT_STUDY_TOPICS,
    issue_certificates,
    letter_record,
    ship_public_key,
)
from formgen.campaign.scores import SCALE, ScoreRow, ScoreSheet, load_scores, scale_of
from formgen.chinese import Quarter
from formgen.problems import ERROR, WARNING, Problem

# What the jobs write, named as clerks name them (the demo, the web page and the README say the same)
DECISIONS_FILE = "评选结果.xlsx"
CERTIFICATES = "荣誉证书"  # .pdf / .docx
LETTERS = "劝学信"  # .pdf / .docx
TALLY_FILE = "问卷统计.xlsx"
TALLY_REPORT = "问卷统计.pdf"
NOTICES = "约谈通知"  # .pdf / .docx
FAILED_ALL = "这次的都没能生成，原因见上"


class NoScores(ValueError):
    """The score sheet holds no usable score for the quarter asked: nothing is decided."""

    def __init__(self, message: str, problems: list[Problem]):
        self.problems = problems
        super().__init__(message)


@dataclass
class AwardsResult:
    quarter: Quarter
    current: list[ScoreRow]
    previous: list[ScoreRow]
    decisions: list[rules.Decision]
    problems: list[Problem]  # rows of the score sheets left out or doubtful
    outputs: list[Path] = field(default_factory=list)
    documents: dict[str, RenderReport] = field(default_factory=dict)  # "certificates", "letters"
    left_over: list[Problem] = field(default_factory=list)  # certificates or letters of an earlier run, in out
    keys_created: Optional[Path] = None  # the key folder, when its key pair was made by this run
    scale: Mapping[str, float] = field(default_factory=lambda: dict(SCALE))  # full marks the scores were read to
    pass_mark: float = 60
    public_key: Optional[Path] = None  # 验证公钥.pem beside the certificates
    fingerprint: str = ""  # of that key, as printed on the certificates

    @property
    def rejected(self) -> bool:
        return any(p.level == ERROR for p in self.problems)

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.documents.values())


def check_pass_mark(pass_mark: float, total_max: Optional[float] = None) -> float:
    """A pass mark is a finite score within 总分's full marks (100 with the template's scale, or the profile's
    score_scale): nan or 1e309 decide nothing."""
    top = SCALE["总分"] if total_max is None else total_max
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, (int, float)) or not math.isfinite(pass_mark) \
            or not 0 <= pass_mark <= top:
        shown = f"{pass_mark:g}" if isinstance(pass_mark, float) and math.isfinite(pass_mark) else repr(pass_mark)
        raise ValueError(f"合格线应为 0–{top:g} 之间的数字（总分满分{top:g}分），而不是 {shown}；"
                         f"未评选，也未写入任何文件")
    return float(pass_mark)


def run_awards(scores: Path, quarter: Quarter, org: Mapping, out: Optional[Path], formats: Sequence[str] = ("pdf",),
               previous_file: Optional[Path] = None, pass_mark: float = 60, issue_date: Optional[dt.date] = None,
               retest_date: Optional[dt.date] = None, background: Optional[Path] = None,
               pdfa: bool = False) -> AwardsResult:
    """Decide; and unless out is None (a dry run) write 评选结果.xlsx, issue serials and render the
    certificates (荣誉证书) and letters (劝学信) into out (their PDFs as PDF/A-2b with pdfa). Scores are read
    against the full marks of the profile's score_scale (the template's 50, 50 and 100 otherwise)."""
    scale = scale_of(org)
    check_pass_mark(pass_mark, scale["总分"])
    sheet = load_scores(scores, default_quarter=quarter, scale=scale)
    problems = list(sheet.problems)
    previous = sheet.of(quarter.previous())
    if previous_file:
        earlier = load_scores(previous_file, default_quarter=quarter.previous(), scale=scale)
        problems += earlier.problems
        previous = earlier.of(quarter.previous())
    current = sheet.of(quarter)
    if not current:
        raise NoScores(no_scores_message(Path(scores), quarter, sheet), problems)
    decisions = rules.decide(current, previous, rules.Rules(pass_mark=pass_mark, scale=scale))
    result = AwardsResult(quarter, current, previous, decisions, problems, scale=scale, pass_mark=pass_mark)
    if out is None:
        return result
    out.mkdir(parents=True, exist_ok=True)
    issue_date = issue_date or clock.today()
    certificates, serials, result.keys_created = issue_certificates(decisions, org, issue_date, result.problems)
    rules.write_decisions_xlsx(decisions, problems, out / DECISIONS_FILE, serials)
    result.outputs.append(out / DECISIONS_FILE)
    if certificates:  # whoever verifies them elsewhere needs the public key: it goes with them
        result.public_key, result.fingerprint = ship_public_key(org, out)
        result.outputs.append(result.public_key)
    topics = org.get("study_topics") or DEFAULT_STUDY_TOPICS
    letters = [letter_record(d, pass_mark, retest_date, topics, issue_date)
               for d in decisions if d.award == rules.REMINDER]
    for layout, records, name, stem in (("certificate", certificates, "certificates", CERTIFICATES),
                                        ("study-reminder", letters, "letters", LETTERS)):
        if not records:
            continue
        options = {"background": str(background.resolve())} if background and layout == "certificate" else {}
        report = render(Job(layout, org=org, options=options), records,
                        Output(out / f"{stem}.pdf", tuple(formats), pdfa=pdfa))
        result.documents[name] = report
        result.outputs += report.outputs
    for name, stem, nobody in (("certificates", CERTIFICATES, "没有人获奖"), ("letters", LETTERS, "没有人需要劝学信")):
        report = result.documents.get(name)
        why = nobody if report is None else "" if report.outputs else FAILED_ALL
        result.left_over += left_from_before(out, stem, result.outputs, why, Path(scores).name)
    return result


def no_scores_message(scores: Path, quarter: Quarter, sheet: ScoreSheet) -> str:
    """Why nothing can be decided, as it is: other quarters only, or no usable row at all (and how many
    problems say why), or an empty sheet."""
    found = "、".join(q.label for q in sheet.quarters())
    if found:
        why = f"中没有{quarter.label}的成绩（表中有成绩的季度：{found}）"
    elif sheet.problems:
        why = f"中没有一行成绩可用：{len(sheet.problems)}处问题，见下"
    else:
        why = "中没有任何成绩"
    return f"{scores}{why}；未评选，也未写入任何文件"


@dataclass
class TallyResult:
    tally: object  # formgen.campaign.survey.Tally
    outputs: list[Path]
    notices: Optional[RenderReport] = None  # the 约谈通知, when anyone averaged under three stars
    notice_problems: list[Problem] = field(default_factory=list)  # notices not written, or left from before


def run_survey_tally(responses: Path, roster: Optional[Path], out: Path, pdfa: bool = False,
                     header_map: Optional[Mapping[str, str]] = None, org: Optional[Mapping] = None,
                     formats: Sequence[str] = ("pdf",), notice_options: Optional[Mapping] = None,
                     issue_date: Optional[dt.date] = None) -> TallyResult:
    """The answers tallied, written as DIR/问卷统计.xlsx and the report DIR/问卷统计.pdf (PDF/A-2b with pdfa),
    and a 约谈通知 (interview-notice, in formats, with notice_options: time, place, interviewer) for each
    member who averaged under three stars, signed for the profile org; header_map reads a roster header
    spelt another way as a field ({"支部信息": "所属党支部"})."""
    from formgen.campaign.survey import TALK, tally, write_tally_xlsx
    from formgen.campaign.tally_report import write as write_report
    from formgen.input.org import load_org

    result = tally(responses, roster, header_map)
    out.mkdir(parents=True, exist_ok=True)
    write_tally_xlsx(result, out / TALLY_FILE)
    write_report(result, out / TALLY_REPORT, pdfa=pdfa)
    done = TallyResult(result, [out / TALLY_FILE, out / TALLY_REPORT])
    day = issue_date or clock.today()
    talked = [member for member in result.members if member.verdict == TALK]
    talks = [notice_record(member, day) for member in talked if member.name or member.branch]
    source = Path(responses).name
    for member in talked:
        if not (member.name or member.branch):  # answers by 工号 alone, and no roster to name them
            done.notice_problems.append(Problem(
                WARNING, f"工号 {member.staff_id} 平均{member.overall:g}星，低于3星，但答卷中没有姓名，也没有名册可查，"
                         f"没有写约谈通知；请用 --roster 给出名册（网页上勾选“用已上传的名册核对”）", column="姓名",
                source=source))
    if talks:
        done.notices = render(Job("interview-notice", org=org if org is not None else load_org(None),
                                  options=dict(notice_options or {})),
                              talks, Output(out / f"{NOTICES}.pdf", tuple(formats), pdfa=pdfa))
        done.outputs += done.notices.outputs
    why = "没有人低于3星" if not talks else "" if done.notices.outputs else FAILED_ALL
    done.notice_problems += left_from_before(out, NOTICES, done.outputs, why, source)
    return done


def left_from_before(out: Path, stem: str, written: Sequence[Path], why: str, source: str) -> list[Problem]:
    """The stem's .pdf and .docx in out that this run did not write: an earlier run's, never removed by
    formgen (they are the clerk's files now), but said, so that nobody prints last quarter's letters."""
    return [Problem(WARNING, f"{old} 是以前生成的，这次没有写（{why or '这次没有要这种格式'}）；请不要再用它",
                    source=source)
            for old in (out / f"{stem}.{suffix}" for suffix in ("pdf", "docx"))
            if old.exists() and old not in written]


def notice_record(member, issue_date: dt.date) -> dict:
    """The 约谈通知 of a member whose service was rated under three stars on average."""
    return {"工号": member.staff_id, "姓名": member.name, "所属党支部": member.branch, "季度": member.quarter,
            "总平均": f"{member.overall:g}", "落款日期": issue_date}
