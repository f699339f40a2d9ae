"""The demo: every layout rendered from the bundled samples, then the campaign's jobs on the samples."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from formgen.api.campaign import AwardsResult, TallyResult, run_awards, run_survey_tally
from formgen.api.demo_paperwork import PaperworkStep, run_paperwork_demo
from formgen.api.proof import proof
from formgen.api.render import Job, Output, RenderReport, render
from formgen.chinese import parse_quarter
from formgen.input.layouts import document_name, load_layout
from formgen.input.org import load_org
from formgen.resources import SAMPLES_DIR, require

DEMO_JOBS = (
    # (layout, roster, options)
    ("name-card", "roster.xlsx", {}),
    ("name-card-badge", "roster.xlsx", {}),
    ("pledge-card", "roster.xlsx", {}),
    ("survey", "roster.xlsx", {"quarter": "2024Q3"}),
    ("monthly-summary", "roster.xlsx", {}),
    # bilingual Mongolian–Chinese, from the members with a Mongolian name
    ("name-card-mn", "roster-mn.csv", {}),
    ("name-card-badge-mn", "roster-mn.csv", {}),
    ("certificate-mn", "roster-mn.csv", {}),
    ("study-reminder-mn", "letters-mn.json", {}),
)


AWARDS_FOLDER = "评选"  # 评选/评选结果.xlsx, 评选/荣誉证书.pdf, 评选/劝学信.pdf
TALLY_FOLDER = "问卷统计"  # 问卷统计/问卷统计.xlsx, 问卷统计/问卷统计.pdf


@dataclass
class DemoResult:
    layouts: list[tuple[str, RenderReport]]
    awards: AwardsResult
    tally: TallyResult
    paperwork: list[PaperworkStep] = field(default_factory=list)


def run_demo(out: Path, formats: Sequence[str], pdfa: bool = False) -> DemoResult:
    """Into out: each layout's documents, then awards (with a data folder of its own inside out), the
    survey tally and the rest of the paperwork (附件3, branch review, stickers, birthdays, certify); every
    PDF as PDF/A-2b with pdfa."""
    require(SAMPLES_DIR, "roster.xlsx")
    out.mkdir(parents=True, exist_ok=True)
    org = load_org(SAMPLES_DIR / "org.yaml")
    layouts = []
    for layout_name, roster_name, options in DEMO_JOBS:
        layout = load_layout(layout_name)
        report = render(Job(layout, org=org, options=options), SAMPLES_DIR / roster_name,
                        Output(out / f"{document_name(layout)}.pdf", tuple(formats), pdfa=pdfa),
                        photos=SAMPLES_DIR / "photos")
        layouts.append((layout_name, report))
    # the proof sheet a reader of Mongolian signs before the bilingual certificates are printed
    proof(Job("certificate-mn", org=org), SAMPLES_DIR / "roster-mn.csv", out / "蒙汉双语证书-校对单.pdf")
    campaign_org = {**org, "data_dir": str(out / "formgen-data")}
    awards = run_awards(SAMPLES_DIR / "scores.xlsx", parse_quarter("2024Q3"), campaign_org, out / AWARDS_FOLDER,
                        formats, issue_date=dt.date(2024, 10, 8), retest_date=dt.date(2024, 10, 25), pdfa=pdfa)
    tally = run_survey_tally(SAMPLES_DIR / "survey-responses.xlsx", SAMPLES_DIR / "roster.xlsx",
                             out / TALLY_FOLDER, pdfa=pdfa, org=org, formats=formats,
                             issue_date=dt.date(2024, 10, 8))
    paperwork = run_paperwork_demo(out, formats, campaign_org, pdfa)
    return DemoResult(layouts, awards, tally, paperwork)
