"""Certify: certificates for awards chosen by people, from a list of nominations — the same ledger serials
and signed QR codes as the awards from scores, so that `formgen verify` checks them alike."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Sequence

from formgen import clock
from formgen.api.campaign import CERTIFICATES  # named as the certificates of awards: 荣誉证书.pdf / .docx
from formgen.api.render import Job, Output, RenderReport, render
from formgen.campaign.issuing import Issuer, period_citation
from formgen.campaign.nominations import Nomination, load_nominations
from formgen.input.problem_list import append_problems_sheet
from formgen.problems import ERROR, Problem
from formgen.xlsx_cells import append_row, save_workbook

LIST_FILE = "证书清单.xlsx"


@dataclass(frozen=True)
class Issued:
    nomination: Nomination
    serial: str
    record: dict  # what the certificate layout prints


@dataclass
class CertifyResult:
    nominations: list[Nomination]
    problems: list[Problem]  # rows refused or doubtful
    issued: list[Issued] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    document: Optional[RenderReport] = None
    keys_created: Optional[Path] = None

    @property
    def rejected(self) -> bool:
        return any(p.level == ERROR for p in self.problems)

    @property
    def failed(self) -> bool:
        return bool(self.document and self.document.failed)


def certificate_record(nomination: Nomination, serial: str, payload: str, issued: dt.date, org: Mapping) -> dict:
    """The certificate layout's record: a member is addressed by name, a branch or project as 获奖者."""
    record = {"工号": nomination.staff_id, "所属党支部": nomination.branch, "奖项": nomination.award,
              "期间": nomination.period.label, "证书编号": serial, "颁发日期": issued, "验证码": payload,
              "事由": period_citation(nomination.award, nomination.period.label, org, nomination.reason)}
    record["获奖者" if nomination.collective else "姓名"] = nomination.holder
    return record


def run_certify(nominations: Path, org: Mapping, out: Optional[Path], formats: Sequence[str] = ("pdf",),
                issue_date: Optional[dt.date] = None, background: Optional[Path] = None,
                sheet: Optional[str] = None, pdfa: bool = False) -> CertifyResult:
    """Read and check the list; unless out is None (a dry run) issue a serial and a signed QR for every
    accepted row and write out/荣誉证书.pdf (and .docx; PDF/A-2b with pdfa) and out/证书清单.xlsx."""
    read = load_nominations(nominations, sheet)
    result = CertifyResult(read.nominations, read.problems)
    if out is None or not read.nominations:
        return result
    out.mkdir(parents=True, exist_ok=True)
    issuer = Issuer(org)
    result.keys_created = issuer.keys_created
    day = issue_date or clock.today()
    for nomination in read.nominations:
        serial, payload, issued = issuer.issue(nomination.holder_id, nomination.holder, nomination.award,
                                               nomination.period.code, day)
        result.issued.append(Issued(nomination, serial, certificate_record(nomination, serial, payload, issued, org)))
    write_list(result, out / LIST_FILE)
    result.outputs.append(out / LIST_FILE)
    options = {"background": str(background.resolve())} if background else {}
    report = render(Job("certificate", org=org, options=options), [i.record for i in result.issued],
                    Output(out / f"{CERTIFICATES}.pdf", tuple(formats), pdfa=pdfa))
    result.document = report
    result.outputs += report.outputs
    return result


def write_list(result: CertifyResult, path: Path) -> None:
    """The issued certificates (sheet 证书) and the rows refused or doubtful (sheet 问题)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "证书"
    append_row(sheet, ["证书编号", "奖项", "获奖者", "所属党支部", "期间", "颁发日期", "事由", "来源", "行号"])
    for issued in result.issued:
        n = issued.nomination
        append_row(sheet, [issued.serial, n.award, n.holder, n.branch, n.period.label,
                      issued.record["颁发日期"].isoformat(), n.reason, n.row.source, n.row.row])
    for index, width in enumerate((20, 12, 22, 18, 16, 12, 50, 24, 6)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    append_problems_sheet(workbook, result.problems, who="获奖者", width=80)
    save_workbook(workbook, path)
