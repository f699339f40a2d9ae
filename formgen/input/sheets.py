"""Spreadsheet files as grids of cell values: .xlsx/.xlsm (openpyxl), old .xls (xlrd) and .csv.

Every reader of tables (rosters, score sheets, survey answers) goes through here, so each accepts the
same files with the same messages. Cell values come back as Excel shows them to Python: str, int or
float, datetime, bool or None; number formats ride along so that 工号 typed as 000123 keeps its zeros.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from formgen.problems import RosterError


@dataclass
class Sheet:
    title: str  # the sheet's name; a CSV file's sheet is named after the file
    rows: list[list[Any]]
    formats: list[list[str]] = field(default_factory=list)  # number formats, where the format has them
    source: str = ""  # how messages name it: roster.xlsx, or scores.xlsx 工作表“2024年第三季度”
    # Merged cell ranges as (first row, last row, first column, last column), 0-based and inclusive.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based rows hidden or filtered out in Excel

    def format_of(self, row: int, column: int) -> str:
        cells = self.formats[row] if row < len(self.formats) else []
        return cells[column] if column < len(cells) else ""

    def fill_merged_below(self, header: int) -> None:
        """A merged cell below the header row gives its value to every cell it covers: a branch name merged
        over its members' rows belongs to each of them. Merges in and above the header are titles."""
        for top, bottom, left, right in self.merged:
            if top <= header or top >= len(self.rows):
                continue
            value, number_format = _cell(self.rows, top, left), self.format_of(top, left)
            for row in range(top, min(bottom, len(self.rows) - 1) + 1):
                for column in range(left, right + 1):
                    _put(self.rows, row, column, value)
                    if self.formats:
                        _put(self.formats, row, column, number_format, "")


def _cell(grid: list[list[Any]], row: int, column: int) -> Any:
    return grid[row][column] if row < len(grid) and column < len(grid[row]) else None


def _put(grid: list[list[Any]], row: int, column: int, value: Any, blank: Any = None) -> None:
    while len(grid) <= row:
        grid.append([])
    cells = grid[row]
    cells.extend([blank] * (column + 1 - len(cells)))
    cells[column] = value


def sheet_source(file_name: str, sheet_title: str) -> str:
    """How messages name one sheet of a workbook: scores.xlsx 工作表“2024年第三季度”."""
    return f"{file_name} 工作表“{sheet_title}”"


def read_sheets(path: Path, sheet: Optional[str] = None, first_only: bool = False,
                what: str = "表格") -> list[Sheet]:
    """The sheets of a spreadsheet file (the one named, or the first with first_only, or all).

    what names the file in messages: 名册, 成绩表, 调查答卷.
    """
    path = Path(path)
    if not path.exists():
        raise RosterError(f"{path}：找不到文件")
    suffix = path.suffix.lower()
    if suffix == ".et":
        raise RosterError(f"{path.name}：这是 WPS 表格文件；请在 WPS 中另存为 .xlsx")
    if suffix not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"):
        raise RosterError(f"{path.name}：{what}只能是 .xlsx、.xls 或 .csv 文件，不能是“{suffix or '无扩展名'}”")
    # What the file holds decides how it is read, not its name: office systems export HTML pages and
    # CSV text as .xls, and a renamed .xls may really be an .xlsx.
    kind = _content_kind(path) or {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}.get(suffix, "text")
    if kind == "xlsx":
        return _read_xlsx(path, sheet, first_only)
    if kind == "xls":
        return _read_xls(path, sheet, first_only)
    text, _ = decode_csv_bytes(path.read_bytes(), path.name)
    if kind == "markup":
        return _read_markup(path, text, sheet, first_only)
    return [_read_csv(path, text)]


def _content_kind(path: Path) -> str | None:
    """xlsx, xls, markup (HTML or XML) or text, by the file's first bytes; None when they say nothing
    (an empty or damaged file, which the reader its name asks for then reports)."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE2 compound file: Excel 97–2003
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:  # UTF-8 and GB18030 alike: every byte of a multi-byte character is above the controls
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    if not text or any(char < " " and char not in "\t\r\n" for char in text):
        return None
    if text.lstrip().startswith("<"):
        return "markup"
    return "text" if any(delimiter in text for delimiter in ",\t;") else None


def _read_markup(path: Path, text: str, sheet: Optional[str], first_only: bool) -> list[Sheet]:
    """An HTML page or an Excel 2003 XML spreadsheet saved under a spreadsheet's name."""
    from formgen.input.sheet_markup import (
        is_spreadsheet_xml,
        read_html_table,
        read_spreadsheet_xml,
    )

    if is_spreadsheet_xml(text):
        try:
            found = read_spreadsheet_xml(text)
        except Exception as exc:  # ElementTree's ParseError and friends
            raise RosterError(f"{path.name}：无法作为 Excel XML 表格读取（{exc}）；请在 Excel 中另存为 .xlsx") from None
        titles = [title for title, _ in found]
        return [Sheet(titles[i], found[i][1], [], _source(path, titles, i))
                for i in _choose(path, titles, sheet, first_only)]
    rows = read_html_table(text)
    if not rows:
        raise RosterError(f"{path.name}：这是网页（HTML）文件，里面没有表格；请在 Excel 中打开后另存为 .xlsx")
    return [Sheet(path.stem, rows, [], path.name)]


def _source(path: Path, titles: list[str], index: int) -> str:
    """A workbook of several sheets names the sheet in messages; a one-sheet workbook needs not."""
    return sheet_source(path.name, titles[index]) if len(titles) > 1 else path.name


def _choose(path: Path, titles: list[str], sheet: Optional[str], first_only: bool) -> list[int]:
    if sheet is not None:
        if sheet not in titles:
            raise RosterError(f"{path.name}：没有名为“{sheet}”的工作表（现有工作表：{'、'.join(titles)}）")
        return [titles.index(sheet)]
    return [0] if first_only else list(range(len(titles)))


def _read_xlsx(path: Path, sheet: Optional[str], first_only: bool) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel cached for formulas (a 总分 =SUM(…) reads as its result). Not
        # read-only: only a full workbook knows its merged cells, and rosters are small.
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:
        raise RosterError(f"{path.name}：无法作为 .xlsx 文件读取（{exc}）") from None
    try:
        sheets = []
        for index in _choose(path, workbook.sheetnames, sheet, first_only):
            worksheet = workbook.worksheets[index]
            rows, formats = [], []
            for row in worksheet.iter_rows():
                rows.append([getattr(c, "value", None) for c in row])
                formats.append([getattr(c, "number_format", "") or "" for c in row])
            merged = [(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1)
                      for r in worksheet.merged_cells.ranges]
            hidden = {number - 1 for number, row in worksheet.row_dimensions.items() if row.hidden}
            sheets.append(Sheet(worksheet.title, rows, formats, _source(path, workbook.sheetnames, index), merged,
                                hidden))
        return sheets
    finally:
        workbook.close()


def _read_xls(path: Path, sheet: Optional[str], first_only: bool) -> list[Sheet]:
    """Excel 97–2003 workbooks, still common in offices; values typed as openpyxl would give them."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:
        if _password_protected(path, exc):
            raise RosterError(f"{path.name}：文件设置了打开密码，无法读取；请在 Excel 中打开，"
                              f"在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码并保存") from None
        raise RosterError(f"{path.name}：无法作为 .xls 文件读取（{exc}）；请在 Excel 中另存为 .xlsx") from None
    try:
        sheets = []
        for index in _choose(path, book.sheet_names(), sheet, first_only):
            worksheet = book.sheet_by_index(index)
            rows, formats = [], []
            for r in range(worksheet.nrows):
                cells = worksheet.row(r)
                rows.append([_xls_value(cell, book) for cell in cells])
                formats.append([_xls_format(cell, book) for cell in cells])
            merged = [(top, bottom - 1, left, right - 1) for top, bottom, left, right in worksheet.merged_cells]
            sheets.append(Sheet(worksheet.name, rows, formats, _source(path, book.sheet_names(), index), merged))
        return sheets
    finally:
        book.release_resources()


def _password_protected(path: Path, exc: Exception) -> bool:
    """An .xlsx with a password to open is an OLE2 file holding an EncryptedPackage stream; an encrypted
    .xls is one that xlrd says is encrypted."""
    if "encrypted" in str(exc).lower():
        return True
    with open(path, "rb") as handle:
        return "EncryptedPackage".encode("utf-16-le") in handle.read(1 << 20)


def _xls_value(cell, book) -> Any:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return cell.value


def _xls_format(cell, book) -> str:
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    except (IndexError, KeyError, AttributeError, TypeError):
        return ""


def decode_csv_bytes(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) or GB18030, decided strictly, never guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError(
            f"{name}：第{line}行的内容既不是 UTF-8 也不是 GB18030 编码；请在 Excel 中另存为"
            f"“CSV UTF-8（逗号分隔）”"
        ) from None


def _read_csv(path: Path, text: str) -> Sheet:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Sheet(path.stem, rows, [], path.name)


