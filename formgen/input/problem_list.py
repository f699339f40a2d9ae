"""Every problem of a batch as a workbook a clerk can sort, filter and work through row by row."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from formgen.files import refuse_inputs, refuse_replacing
from formgen.problems import ERROR, LEVEL_LABELS, Problem
from formgen.xlsx_cells import append_row, is_ours, mark_ours, save_workbook

# 版式位置 (where in the layout: elements[0] (front).children[2] (photo)) is for whoever edits layouts
HEADERS = ("级别", "文件", "行", "姓名", "列", "问题", "版式位置")
WIDTHS = (8, 24, 6, 12, 14, 100, 36)
KIND = "problem-list"


def check_problem_list_target(path: Path, inputs: Iterable[Path | None] = (), force: bool = False) -> None:
    """Before a batch runs: the list may not replace an input, nor a file formgen did not write
    (unless forced). An earlier problem list of formgen's own is replaced: it is out of date."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"问题清单要写成 .xlsx 文件，而不是“{path.name}”")
    refuse_inputs(path, inputs, "问题清单")
    refuse_replacing(path, force, ours=is_ours(path, KIND), what="问题清单")


def append_problems_sheet(workbook, problems: Sequence[Problem], who: str = "姓名", width: int = 70):
    """A sheet 问题 beside a result's own sheets (评选结果.xlsx, 证书清单.xlsx …): the rows refused or
    doubtful, in the order found; who names the column of the row's person or branch."""
    sheet = workbook.create_sheet("问题")
    append_row(sheet, ["级别", "来源", "行号", who, "列", "问题"])
    for p in problems:
        append_row(sheet, [LEVEL_LABELS.get(p.level, p.level), p.source, p.row, p.who, p.column or "", p.message])
    for letter, column_width in zip("ABCDEF", (6, 16, 6, 12, 12, width)):
        sheet.column_dimensions[letter].width = column_width
    sheet.freeze_panes = "A2"
    return sheet


def write_problem_list(problems: Sequence[Problem], path: Path) -> None:
    """Errors first, then by file and row, as in the roster."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    mark_ours(workbook, KIND)
    sheet = workbook.active
    sheet.title = "问题清单"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    ordered = sorted(problems, key=lambda p: (p.level != ERROR, p.source, p.row if p.row is not None else -1))
    for problem in ordered:
        append_row(sheet, [LEVEL_LABELS.get(problem.level, problem.level), problem.source, problem.row,
                           problem.who, problem.column or "", problem.message, problem.place])
        if problem.level == ERROR:
            sheet.cell(row=sheet.max_row, column=1).font = Font(color="C00000", bold=True)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions["ABCDEFG"[index]].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:G{sheet.max_row}"
    save_workbook(workbook, path)
