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
)
from formgen.campaign.scores import ScoreRow, load_scores
from formgen.chinese import Quarter
from formgen.problems import ERROR, Problem


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
    keys_created: Optional[Path] = None  # the key folder, when its key pair was made by this run

    @property
    def rejected(self) -> bool:
        return any(p.level == ERROR for p in self.problems)

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.documents.values())


def check_pass_mark(pass_mark: float) -> float:
    """A pass mark is a finite score within the total's scale (0–100): nan or 1e309 decide nothing."""
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, (int, float)) or not math.isfinite(pass_mark) \
            or not 0 <= pass_mark <= rules.Rules().total_max:
        raise ValueError(f"合格线应为 0–{rules.Rules().total_max:g} 之间的数字，而不是 {pass_mark!r}；未评选，也未写入任何文件")
    return float(pass_mark)


def run_awards(scores: Path, quarter: Quarter, org: Mapping, out: Optional[Path], formats: Sequence[str] = ("pdf",),
               previous_file: Optional[Path] = None, pass_mark: float = 60, issue_date: Optional[dt.date] = None,
               retest_date: Optional[dt.date] = None, background: Optional[Path] = None,
               pdfa: bool = False) -> AwardsResult:
    """Decide; and unless out is None (a dry run) write decisions.xlsx, issue serials and render the
    certificates and letters into out (their PDFs as PDF/A-2b with pdfa)."""
    check_pass_mark(pass_mark)
    sheet = load_scores(scores, default_quarter=quarter)
    problems = list(sheet.problems)
    previous = sheet.of(quarter.previous())
    if previous_file:
        earlier = load_scores(previous_file, default_quarter=quarter.previous())
        problems += earlier.problems
        previous = earlier.of(quarter.previous())
    current = sheet.of(quarter)
    if not current:
        found = "、".join(q.label for q in sheet.quarters()) or "无"
        raise NoScores(f"{scores} 中没有{quarter.label}的可用成绩（表中有成绩的季度：{found}）；未评选，也未写入任何文件",
                       problems)
    decisions = rules.decide(current, previous, rules.Rules(pass_mark=pass_mark))
    result = AwardsResult(quarter, current, previous, decisions, problems)
    if out is None:
        return result
    out.mkdir(parents=True, exist_ok=True)
    issue_date = issue_date or clock.today()
    certificates, serials, result.keys_created = issue_certificates(decisions, org, issue_date, result.problems)
    rules.write_decisions_xlsx(decisions, problems, out / "decisions.xlsx", serials)
    result.outputs.append(out / "decisions.xlsx")
    topics = org.get("study_topics") or DEFAULT_STUDY_TOPICS
    letters = [letter_record(d, pass_mark, retest_date, topics, issue_date)
               for d in decisions if d.award == rules.REMINDER]
    for layout, records, name in (("certificate", certificates, "certificates"),
                                  ("study-reminder", letters, "letters")):
        if not records:
            continue
        options = {"background": str(background.resolve())} if background and layout == "certificate" else {}
        report = render(Job(layout, org=org, options=options), records, Output(out / f"{name}.pdf", tuple(formats), pdfa=pdfa))
        result.documents[name] = report
        result.outputs += report.outputs
    return result


@dataclass
class TallyResult:
    tally: object  # formgen.campaign.survey.Tally
    outputs: list[Path]


def run_survey_tally(responses: Path, roster: Optional[Path], out: Path, pdfa: bool = False,
                     header_map: Optional[Mapping[str, str]] = None) -> TallyResult:
    """The answers tallied, written as DIR/tally.xlsx and the report DIR/tally.pdf (PDF/A-2b with pdfa);
    header_map reads a roster header spelt another way as a field ({"支部信息": "所属党支部"})."""
    from formgen.campaign.survey import tally, write_tally_xlsx
    from formgen.campaign.tally_report import write as write_report

    result = tally(responses, roster, header_map)
    out.mkdir(parents=True, exist_ok=True)
    write_tally_xlsx(result, out / "tally.xlsx")
    write_report(result, out / "tally.pdf", pdfa=pdfa)
    return TallyResult(result, [out / "tally.xlsx", out / "tally.pdf"])
