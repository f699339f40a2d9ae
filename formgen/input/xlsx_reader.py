"""Bounded reading of .xlsx workbooks: only the cells that hold values, within the limits.

openpyxl's full mode makes an object for every cell a merge covers and every styled empty cell (a merge
D2:D1048576, or one styled cell at XFD1048576, exhausts memory), and its read-only mode knows no merged
cells. So the workbook is opened read-only (names, visibility, shared strings, styles) and each sheet's
XML is streamed through openpyxl's own cell parser, keeping the cells with values, the merges as ranges
and the hidden rows; the unpacked size is checked first, so that a small file cannot unpack to a huge one.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Optional

from formgen import limits
from formgen.input.sheets import (
    UNCALCULATED,
    Sheet,
    bounded,
    choose,
    excel_error,
    other_sheet_notice,
    sheet_source,
)
from formgen.problems import WARNING, Problem, RosterError

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _x000B_ (and a literal '_x' as _x005F_x): as typed."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


# other packages that are zip files too, by a part only they have: what the clerk has in hand instead
_OTHER_PACKAGES = (("word/document.xml", "Word 文档"), ("ppt/presentation.xml", "PowerPoint 演示文稿"),
                   ("content.xml", "OpenDocument 文件（如 .ods、.odt）"))


def _not_a_workbook(path: Path, names: set[str]) -> None:
    if "xl/workbook.xml" in names:
        return
    kind = next((what for part, what in _OTHER_PACKAGES if part in names), None)
    if kind:
        raise RosterError(f"{path.name}：这是{kind}，不是 Excel 工作簿；请把名册放在 Excel 或 WPS 表格中，另存为 .xlsx 后再试")


def _check_unpacked_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            _not_a_workbook(path, set(package.namelist()))
            total = 0
            for info in package.infolist():
                total += info.file_size
                if total > limits.MAX_UNZIPPED_BYTES:
                    raise RosterError(
                        f"{path.name}：解压后超过 {limits.size_text(limits.MAX_UNZIPPED_BYTES)}（.xlsx 文件的上限；"
                        f"“{info.filename}”有 {limits.size_text(info.file_size)}），可能是损坏或恶意的文件；未读取")
    except zipfile.BadZipFile:  # zipfile's own words are English and say nothing to a clerk
        raise RosterError(f"{path.name}：不是 Excel 工作簿（可能只是把别的文件改成了 .xlsx 扩展名，或文件已损坏）；"
                          "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再试") from None


def _parser_class():
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        """openpyxl's parser, telling a formula without a saved value from an empty cell."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = UNCALCULATED
            return cell

    return Parser


def _number_format(workbook, style_id: int) -> str:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        number_id = workbook._cell_styles[style_id].numFmtId
        if number_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(number_id, "General")
        return workbook._number_formats[number_id - BUILTIN_FORMATS_MAX_SIZE]
    except (IndexError, AttributeError, TypeError):
        return ""


def _value(cell: dict) -> Any:
    value = cell["value"]
    if cell["data_type"] == "e" and isinstance(value, str):
        return excel_error(value)
    if isinstance(value, str):
        return unescape(value)
    return value


def read_xlsx(path: Path, sheet: Optional[str], first_only: bool) -> list[Sheet]:
    from openpyxl import load_workbook

    _check_unpacked_size(path)
    with open(path, "rb") as handle:  # a handle, not the name: an .xlsx renamed .xls or .csv is read too
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:
            raise RosterError(f"{path.name}：无法作为 .xlsx 文件读取，文件可能已损坏；请在 Excel 或 WPS 中打开它，"
                              f"另存为 .xlsx 后再试（详情：{exc.__class__.__name__}）") from None
        try:
            worksheets = workbook.worksheets
            titles = [w.title for w in worksheets]
            if not titles:
                raise RosterError(f"{path.name}：工作簿中没有工作表")
            hidden = frozenset(i for i, w in enumerate(worksheets) if w.sheet_state != "visible")
            try:
                active = worksheets.index(workbook.active)
            except (ValueError, IndexError, AttributeError):
                active = 0
            chosen = choose(path, titles, sheet, first_only, hidden, active)
            sheets = []
            for index in chosen:
                source = sheet_source(path.name, titles[index]) if len(titles) > 1 else path.name
                try:
                    read = _read_sheet(workbook, worksheets[index], source)
                except RosterError:
                    raise
                except Exception as exc:  # a damaged sheet part: say so, never a traceback
                    raise RosterError(f"{source}：工作表已损坏，无法读取（{exc.__class__.__name__}）；"
                                      f"请在 Excel 中打开并另存为 .xlsx") from None
                if first_only and sheet is None and index != 0:
                    read.problems.append(other_sheet_notice(titles, index, 0 in hidden, source))
                sheets.append(read)
            return sheets
        finally:
            workbook.close()


def _read_sheet(workbook, worksheet, source: str) -> Sheet:
    from openpyxl.utils.cell import range_boundaries

    parser = _parser_class()(worksheet._get_source(), workbook.shared_strings, data_only=True,
                             epoch=workbook.epoch, date_formats=workbook._date_formats,
                             timedelta_formats=workbook._timedelta_formats)
    rows: list[list[Any]] = []
    formats: list[list[str]] = []
    ignored: list[str] = []
    try:
        for row_number, cells in parser.parse():
            for cell in cells:
                if cell["value"] is None:
                    continue  # a styled empty cell holds nothing
                row, column = cell["row"] - 1, cell["column"] - 1
                if row >= limits.MAX_ROWS or column >= limits.MAX_COLUMNS:
                    if len(ignored) < 3:
                        from openpyxl.utils.cell import get_column_letter

                        ignored.append(f"{get_column_letter(column + 1)}{row + 1}")
                    continue
                while len(rows) <= row:
                    rows.append([])
                    formats.append([])
                values, styles = rows[row], formats[row]
                if len(values) <= column:
                    values.extend([None] * (column + 1 - len(values)))
                    styles.extend([""] * (column + 1 - len(styles)))
                values[column] = _value(cell)
                styles[column] = _number_format(workbook, cell["style_id"])
    finally:
        parser.source.close()
    merged = []
    for cell_range in getattr(parser.merged_cells, "mergeCell", None) or []:
        try:
            left, top, right, bottom = range_boundaries(cell_range.ref)
        except (TypeError, ValueError):
            continue
        merged.append((top - 1, bottom - 1, left - 1, right - 1))
    hidden_rows = set()
    for number, attributes in parser.row_dimensions.items():
        if str(attributes.get("hidden", "")).lower() in ("1", "true") and str(number).isdigit():
            hidden_rows.add(int(number) - 1)
    hidden_columns = set()
    for attributes in parser.column_dimensions.values():
        if str(attributes.get("hidden", "")).lower() in ("1", "true"):
            try:
                first, last = int(attributes["min"]), int(attributes.get("max") or attributes["min"])
            except (KeyError, ValueError):
                continue
            hidden_columns.update(range(first - 1, min(last, limits.MAX_COLUMNS)))
    read = bounded(Sheet(worksheet.title, rows, formats, source, merged, hidden_rows,
                         hidden=worksheet.sheet_state != "visible", hidden_columns=hidden_columns))
    if ignored:
        read.problems.append(Problem(WARNING, f"单元格 {'、'.join(ignored)} 等超出了读取范围（最多{limits.MAX_ROWS}行、"
                                              f"{limits.MAX_COLUMNS}列），没有读取", source=source))
    return read
