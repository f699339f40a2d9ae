"""Birthdays: the month's political birthdays from a roster — the list (per branch) and a greeting card
for each member."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Optional, Sequence

from formgen import clock
from formgen.api.render import Job, Output, RenderReport, load_records, render
from formgen.campaign.birthdays import Birthday, birthdays_in, card_record
from formgen.input import selection
from formgen.input.problem_list import append_problems_sheet
from formgen.input.records import readable_records
from formgen.problems import Problem
from formgen.xlsx_cells import append_row, save_workbook

LIST_FILE = "政治生日名单.xlsx"
CARDS = "政治生日贺卡"  # .pdf / .docx


@dataclass
class BirthdaysResult:
    year: int
    month: int
    members: int  # rows read
    birthdays: list[Birthday]
    problems: list[Problem]  # rows without a usable 入党日期, and the roster's own
    outputs: list[Path] = field(default_factory=list)
    document: Optional[RenderReport] = None

    @property
    def failed(self) -> bool:
        return bool(self.document and self.document.failed)

    def by_branch(self) -> dict[str, list[Birthday]]:
        groups: dict[str, list[Birthday]] = {}
        for birthday in self.birthdays:
            groups.setdefault(birthday.branch or "（未填写所属党支部）", []).append(birthday)
        return groups


def run_birthdays(data: Path, year: int, month: int, org: Mapping, out: Optional[Path],
                  formats: Sequence[str] = ("pdf",), sheet: Optional[str] = None, only: Sequence[str] = (),
                  issue_date: Optional[dt.date] = None, options: Optional[Mapping] = None,
                  pdfa: bool = False, header_map: Optional[Mapping[str, str]] = None) -> BirthdaysResult:
    """The month's birthdays; unless out is None (a dry run) out/政治生日名单.xlsx and out/政治生日贺卡.pdf.
    header_map reads a header the roster spells its own way as a field: {"入党时间": "入党日期"}."""
    roster = load_records(data, sheet=sheet, find_photo_files=False, header_map=header_map)
    roster = selection.select(roster, selection.parse_filters(list(only)))
    found, problems = birthdays_in(readable_records(roster), year, month, clock.today())
    result = BirthdaysResult(year, month, len(roster.records), found, list(roster.problems) + problems)
    if out is None:
        return result
    out.mkdir(parents=True, exist_ok=True)
    write_list(result, out / LIST_FILE)
    result.outputs.append(out / LIST_FILE)
    if found:
        day = issue_date or clock.today()
        report = render(Job("political-birthday", org=org, options=dict(options or {})),
                        # the member's row and file: a card that fails is named as the roster's row
                        [replace(b.record, values=card_record(b, day)) for b in found], Output(out / f"{CARDS}.pdf", tuple(formats), pdfa=pdfa))
        result.document = report
        result.outputs += report.outputs
    return result


def write_list(result: BirthdaysResult, path: Path) -> None:
    """Sheet 名单 (per branch, by day) and sheet 问题 (rows whose 入党日期 could not be used)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    append_row(sheet, ["所属党支部", "姓名", "工号", "入党日期", "政治生日", "入党年数", "逢十逢五", "说明", "来源", "行号"])
    for b in result.birthdays:
        values = b.record.values
        append_row(sheet, [b.branch, values.get("姓名", ""), values.get("工号", ""), b.joined.text,
                      f"{result.year}年{b.date_text}", b.years, b.mark, b.note, b.record.source, b.record.row])
    for index, width in enumerate((18, 10, 10, 16, 16, 8, 8, 40, 16, 6)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    append_problems_sheet(workbook, result.problems, width=60)
    save_workbook(workbook, path)
