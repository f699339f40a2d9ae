"""The demo's part for the rest of the campaign's paperwork: 附件3, the branch review, stickers, political
birthdays and certificates from the nominations — each from its sample: the single documents named as clerks
call their layout (亮标准清单.pdf, 安全帽标志.pdf …), the commands' into a folder of their own."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from formgen.api.birthdays import run_birthdays
from formgen.api.branch_review import run_branch_review
from formgen.api.certify import run_certify
from formgen.api.render import Job, Output, render
from formgen.api.stickers import DESIGNS, run_stickers
from formgen.chinese import parse_quarter
from formgen.input.layouts import document_name, load_layout
from formgen.problems import Problem
from formgen.resources import SAMPLES_DIR

REVIEW_FOLDER = "支部考核"  # 支部考核结果.xlsx, 支部考核情况.pdf, 支部季度工作清单.pdf, 约谈通知.pdf
BIRTHDAYS_FOLDER = "政治生日"  # 政治生日名单.xlsx, 政治生日贺卡.pdf
CERTIFY_FOLDER = "按名单发证"  # 证书清单.xlsx, 荣誉证书.pdf


@dataclass
class PaperworkStep:
    name: str  # what it made, for the demo's summary
    outputs: list[Path]
    problems: list[Problem] = field(default_factory=list)  # the samples' deliberate mistakes, reported


def run_paperwork_demo(out: Path, formats: Sequence[str], org: Mapping, pdfa: bool = False) -> list[PaperworkStep]:
    """Every piece from its sample; the samples carry deliberate mistakes, which are reported here."""
    steps: list[PaperworkStep] = []
    layout = load_layout("quarterly-standards")
    standards = render(Job(layout, org=org), SAMPLES_DIR / "standards.xlsx",
                       Output(out / f"{document_name(layout)}.pdf", tuple(formats), pdfa=pdfa))
    steps.append(PaperworkStep("附件3 党员季度亮标准管理清单", standards.outputs, standards.problems))
    review = run_branch_review(SAMPLES_DIR / "branch-scores.xlsx", parse_quarter("2024Q3"), org, out / REVIEW_FOLDER,
                               formats, roster=SAMPLES_DIR / "roster.xlsx", issue_date=dt.date(2024, 10, 10),
                               pdfa=pdfa)
    steps.append(PaperworkStep("支部季度考核", review.outputs, review.review.problems))
    for (design, size), sticker in DESIGNS.items():
        sheet = out / f"{document_name(load_layout(sticker))}.pdf"
        stickers = run_stickers(SAMPLES_DIR / "roster.xlsx", sheet, formats, design=design, size=size,
                                names=design == "rect", pdfa=pdfa)
        shape = {"rect": "长方形", "round": "圆形"}[design] + ("，小号" if size == "small" else "")
        steps.append(PaperworkStep(f"安全帽标志（{shape}）", stickers.report.outputs,
                                   stickers.problems + stickers.report.problems))
    birthdays = run_birthdays(SAMPLES_DIR / "roster.xlsx", 2024, 10, org, out / BIRTHDAYS_FOLDER, formats,
                              issue_date=dt.date(2024, 10, 1), pdfa=pdfa)
    steps.append(PaperworkStep("2024年10月政治生日", birthdays.outputs, birthdays.problems))
    certify = run_certify(SAMPLES_DIR / "nominations.xlsx", org, out / CERTIFY_FOLDER, formats,
                          issue_date=dt.date(2024, 12, 30), pdfa=pdfa)
    steps.append(PaperworkStep("按获奖名单发证", certify.outputs, certify.problems))
    return steps
