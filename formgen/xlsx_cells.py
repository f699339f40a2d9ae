"""Cells of the workbooks formgen writes: user text is stored as text, never as a formula, and the
characters a workbook cannot hold are shown instead of stopping the writer."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Iterable

# openpyxl refuses these in a cell (IllegalCharacterError); a clerk's --set value may carry them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MARK = "formgen"  # the creator written into every workbook formgen makes, so that it knows its own


def _shown(match: re.Match) -> str:
    return f"<U+{ord(match.group()):04X}>"


def cell_text(value: Any) -> Any:
    """A value as a cell may hold it: text with its unprintable characters shown as <U+0001>."""
    if isinstance(value, str):
        return _ILLEGAL.sub(_shown, value)
    return value


def append_row(sheet, values: Iterable[Any]) -> None:
    """sheet.append, with every text stored as text: a name such as =HYPERLINK(…) or =1+1 is shown as
    typed, never calculated (openpyxl makes any text starting with '=' a formula)."""
    values = [cell_text(v) for v in values]
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith("="):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"


def set_cell(cell, value: Any) -> None:
    """cell.value = value, text stored as text."""
    value = cell_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def mark_ours(workbook, kind: str) -> None:
    """Say in the workbook's properties that formgen wrote it, and what it is."""
    workbook.properties.creator = MARK
    workbook.properties.keywords = f"{MARK}:{kind}"


def is_ours(path: Path, kind: str) -> bool:
    """Whether path is a workbook of this kind that formgen wrote (and may replace without asking)."""
    try:
        with zipfile.ZipFile(path) as package:
            core = package.read("docProps/core.xml")[:65536].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f"{MARK}:{kind}" in core


def save_workbook(workbook, path: Path) -> None:
    """Save atomically; whatever a writer put in, no cell of a workbook formgen writes is a formula
    (none of its workbooks calculates anything, so any formula came from user text)."""
    from formgen.files import atomic_path

    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    with atomic_path(Path(path)) as temporary:
        workbook.save(temporary)
