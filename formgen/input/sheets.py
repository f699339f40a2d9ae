"""Spreadsheet files as grids of cell values: .xlsx/.xlsm, old .xls (xlrd) and .csv.

Every reader of tables (rosters, score sheets, survey answers) goes through here, so each accepts the
same files with the same messages and the same limits (formgen.limits). Cell values come back as Excel
shows them to Python: str, int or float, datetime, bool or None; a cell that holds no usable value (an
Excel error such as #N/A, a formula never calculated, text over the cell limit) is a BadCell that says
why. Number formats ride along so that 工号 typed as 000123 keeps its zeros.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from formgen import limits
from formgen.input.encodings import decode, utf16_without_bom
from formgen.problems import WARNING, Problem, RosterError


@dataclass(frozen=True)
class BadCell:
    """A cell whose value cannot be used: text is what Excel shows (#N/A; empty for a formula never
    calculated), reason says why and what to do, for the clerk."""

    text: str
    reason: str

    def __str__(self) -> str:
        return self.text


def excel_error(text: str) -> BadCell:
    return BadCell(text, f"是 Excel 错误值 {text}（公式出错）；请在 Excel 中改正这个单元格的公式或内容")


UNCALCULATED = BadCell("", "是没有计算结果的公式（文件不是由 Excel 或 WPS 保存的）；请在 Excel 或 WPS 中打开并保存一次")


def too_long(length: int) -> BadCell:
    return BadCell("", f"有{length}个字符，超过一个单元格的上限{limits.MAX_CELL_CHARS}个字符；内容没有读取")


@dataclass
class Sheet:
    title: str  # the sheet's name; a CSV file's sheet is named after the file
    rows: list[list[Any]]
    formats: list[list[str]] = field(default_factory=list)  # number formats, where the format has them
    source: str = ""  # how messages name it: roster.xlsx, or scores.xlsx 工作表“2024年第三季度”
    # Merged cell ranges as (first row, last row, first column, last column), 0-based and inclusive.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based rows hidden or filtered out in Excel
    problems: list[Problem] = field(default_factory=list)  # what reading found: the encoding guessed …
    # The row number a clerk sees for each grid row, where it is not its index + 1 (a CSV record that
    # spans lines is numbered by the line it starts on, as in Notepad).
    row_numbers: list[int] = field(default_factory=list)
    # A CSV split on a character that its values may also hold (the full-width comma): a row with more
    # cells than its header has had a value split, and its columns stand shifted.
    split_on_punctuation: str = ""
    hidden: bool = False  # the sheet is hidden in Excel (never read in place of the one shown)
    hidden_columns: set[int] = field(default_factory=set)  # 0-based columns hidden in Excel

    def row_number(self, index: int) -> int:
        return self.row_numbers[index] if index < len(self.row_numbers) else index + 1

    def format_of(self, row: int, column: int) -> str:
        """The number format of a cell; "" where it has none, or the column is not there (-1)."""
        cells = self.formats[row] if 0 <= row < len(self.formats) else []
        return cells[column] if 0 <= column < len(cells) else ""

    def fill_merged_below(self, header: int, skip: set[int] = frozenset()) -> None:
        """A merged cell below the header row gives its value to every cell it covers: a branch name merged
        over its members' rows belongs to each of them. Merges in and above the header are titles; merges
        starting on a skipped row (a totals row) give nothing. Only rows that hold values are filled: a
        merge down a whole column makes no rows of its own."""
        for top, bottom, left, right in self.merged:
            if top <= header or top >= len(self.rows) or top in skip:
                continue
            value, number_format = _cell(self.rows, top, left), self.format_of(top, left)
            for row in range(top, min(bottom, len(self.rows) - 1) + 1):
                if row in skip:
                    continue
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


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Totals and footer rows as offices write them under a table: 合计：40人, 制表：张三, 备注……
FOOTER_WORDS = ("合计", "总计", "小计", "共计", "累计", "总数", "总人数", "制表", "审核", "审批", "填表", "填报",
                "统计人", "负责人", "经办人", "备注", "注：", "注:", "说明：", "说明:", "签字", "签名", "盖章",
                "日期：", "日期:",
                # the statistics lines under a score sheet
                "平均分", "平均成绩", "最高分", "最低分", "及格率", "合格率", "参考人数", "实考人数", "应考人数")


def _plain(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def merged_across(sheet: Sheet, header: int, columns: int) -> set[int]:
    """Rows below the header covered by a merge across (half or more of) the table: a totals line or a
    note, never a member; their merged value must not be copied into every column."""
    across = set()
    for top, bottom, left, right in sheet.merged:
        if top > header and right - left + 1 >= max(2, (columns + 1) // 2):
            across.update(range(top, min(bottom, len(sheet.rows) - 1) + 1))
    return across


def footer_rows(sheet: Sheet, header: int, columns: int, first_column: str = "") -> dict[int, str]:
    """Rows below the header that are no one's — totals, signature and note lines — as index → their text:
    a row starting with 合计/总计/制表/审核/备注…, a row merged across the table, or a row whose only value
    is in the first column — unless that column holds names, or the value is like that column's (a
    工号 alone is a member whose name is missing, an error to report), or the header names no other
    column. columns: how many the header
    names; first_column: the field the first column stands for (序号, 姓名, 工号 …).
    Call it after filling the merges below the header (skipping merged_across), so that a member whose
    other cells are merged from the row above is not taken for a footer."""
    across = merged_across(sheet, header, columns)
    found: dict[int, str] = {}
    for index in range(header + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        values = [(column, value) for column, value in enumerate(cells) if not is_blank(value)]
        if not values:
            continue
        first_column_index, first = values[0]
        text = _plain(first)
        # In a list of one column (the branches, for their forms) every row holds only its first value.
        alone = columns > 1 and len(values) == 1 and first_column_index == 0 and first_column != "姓名" and (
            first_column == "序号" or not re.fullmatch(r"[0-9A-Za-z._-]+", text))
        if text.startswith(FOOTER_WORDS) or index in across or alone:
            # a short merge's value is in each cell; a formula never calculated shows nothing
            shown = [text for text in (str(value).strip() for _, value in values[:3]) if text]
            found[index] = " ".join(v for n, v in enumerate(shown) if n == 0 or v != shown[n - 1])[:40]
    return found


def table_below(sheet: Sheet, header: int, columns: list[str]) -> dict[int, str]:
    """Ready the rows under a header for reading: merges filled (a totals line merged across is not),
    and the totals and footer rows found, as footer_rows gives them, with one notice among the sheet's
    problems. columns: the fields the header's cells stand for, in order (empty for an empty cell)."""
    named = sum(1 for column in columns if column)
    sheet.fill_merged_below(header, skip=merged_across(sheet, header, named))
    footers = footer_rows(sheet, header, named, columns[0] if columns else "")
    notice = footer_notice(sheet, footers)
    if notice:
        sheet.problems.append(notice)
    return footers


def footer_notice(sheet: Sheet, footers: dict[int, str]) -> Optional[Problem]:
    """One notice naming the rows left out as totals or footers."""
    if not footers:
        return None
    shown = "；".join(f"第{sheet.row_number(i)}行“{text}”" for i, text in list(footers.items())[:5])
    more = f"等{len(footers)}行" if len(footers) > 5 else ""
    return Problem(WARNING, f"{shown}{more}是合计行或表尾（制表、审核、备注……），不是名单中的人；已略过",
                   source=sheet.source)


def sheet_source(file_name: str, sheet_title: str) -> str:
    """How messages name one sheet of a workbook: scores.xlsx 工作表“2024年第三季度”."""
    return f"{file_name} 工作表“{sheet_title}”"


TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


def read_sheets(path: Path, sheet: Optional[str] = None, first_only: bool = False,
                what: str = "表格", encoding: Optional[str] = None) -> list[Sheet]:
    """The sheets of a spreadsheet file (the one named; with first_only the one Excel shows on opening;
    or all). what names the file in messages: 名册, 成绩表, 调查答卷; encoding decides a CSV's encoding
    when its bytes cannot (--encoding)."""
    path = Path(path)
    if not path.exists():
        raise RosterError(f"{path}：找不到文件")
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, ".xlsx", ".xlsm", ".xls", ".et"):
        kinds = ".xlsx、.xls、.csv 或 .json" if what == "名册" else ".xlsx、.xls 或 .csv"  # a roster may be JSON too
        raise RosterError(f"{path.name}：{what}只能是 {kinds} 文件，不能是“{suffix or '无扩展名'}”")
    size = path.stat().st_size
    if size > limits.MAX_DATA_FILE_BYTES:
        raise RosterError(f"{path.name}：文件有 {limits.size_text(size)}，超过了{what}文件的上限 "
                          f"{limits.size_text(limits.MAX_DATA_FILE_BYTES)}；请删去多余的内容，或分成几个文件")
    if size == 0:
        raise RosterError(f"{path.name}：文件是空的（0 字节）")
    # What the file holds decides how it is read, not its name: office systems export HTML pages and
    # CSV text as .xls, and an .xlsx may be renamed .xls or .csv.
    kind = _content_kind(path) or {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}.get(suffix, "text")
    if suffix == ".et" and kind not in ("xlsx", "xls"):  # WPS's own format: only WPS reads it
        raise RosterError(f"{path.name}：这是 WPS 表格文件；请在 WPS 中另存为 .xlsx")
    if kind == "xlsx":
        from formgen.input.xlsx_reader import read_xlsx

        return read_xlsx(path, sheet, first_only)
    if kind == "xls":
        return _read_xls(path, sheet, first_only)
    decoded = decode(path.read_bytes(), path.name, encoding)
    notices = []
    if decoded.guessed and decoded.encoding != "gb18030":
        notices.append(Problem(WARNING, f"文件不是 UTF-8 编码，已按 {decoded.label} 编码读取；如果读出的是乱码，"
                                        f"请用 --encoding 指明编码", source=path.name))
    if kind == "markup":
        sheets = _read_markup(path, decoded.text, sheet, first_only)
    else:
        sheets = [_read_csv(path, decoded.text)]
    for read in sheets:
        read.problems[:0] = notices
    return sheets


_MARKUP_START = re.compile(r"\s*<(\?xml|!doctype|!--|html|head|body|meta|table|style|div|workbook)\b", re.I)


def _content_kind(path: Path) -> str | None:
    """xlsx, xls, markup (HTML or XML) or text, by the file's first bytes; None when they say nothing
    (an empty or damaged file, which the reader its name asks for then reports)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE2 compound file: Excel 97–2003
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    elif utf16_without_bom(head):
        text = head.decode(utf16_without_bom(head), errors="ignore")
    else:  # UTF-8 and GB18030 alike: every byte of a multi-byte character is above the controls
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    if not text or any(char < " " and char not in "\t\r\n" for char in text):
        return None
    # A page is a page by its tags, not by a '<' that starts a CSV's first cell (<姓名>,工号,…).
    if _MARKUP_START.match(text) or "<table" in text.lower():
        return "markup"
    return "text" if any(delimiter in text for delimiter in ",\t;|") else None


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
        titles = [title for title, _, _ in found]
        return [bounded(Sheet(titles[i], found[i][1], [], _source(path, titles, i), found[i][2]))
                for i in choose(path, titles, sheet, first_only)]
    rows, merged = read_html_table(text)
    if not rows:
        raise RosterError(f"{path.name}：这是网页（HTML）文件，里面没有表格；请在 Excel 中打开后另存为 .xlsx")
    return [bounded(Sheet(path.stem, rows, [], path.name, merged))]


def _source(path: Path, titles: list[str], index: int) -> str:
    """A workbook of several sheets names the sheet in messages; a one-sheet workbook needs not."""
    return sheet_source(path.name, titles[index]) if len(titles) > 1 else path.name


def choose(path: Path, titles: list[str], sheet: Optional[str], first_only: bool,
           hidden: frozenset[int] = frozenset(), active: int = 0) -> list[int]:
    """The sheets to read: the one named; with first_only the one Excel shows on opening (the active
    sheet, else the first visible one — never a hidden sheet by chance); else all."""
    if sheet is not None:
        if sheet not in titles:
            raise RosterError(f"{path.name}：没有名为“{sheet}”的工作表（现有工作表：{'、'.join(titles)}）")
        return [titles.index(sheet)]
    if not first_only:
        return list(range(len(titles)))
    if 0 <= active < len(titles) and active not in hidden:
        return [active]
    visible = [index for index in range(len(titles)) if index not in hidden]
    return visible[:1] or [0]


def other_sheet_notice(titles: list[str], index: int, first_hidden: bool, source: str) -> Problem:
    """The sheet shown on opening was read, not the first one: said, with how to read another."""
    return Problem(WARNING, f"读取的是打开文件时显示的工作表“{titles[index]}”（第一张工作表“{titles[0]}”"
                            f"{'被隐藏了' if first_hidden else '没有读取'}）；要读取别的工作表，请用 --sheet", source=source)


def bounded(read: Sheet) -> Sheet:
    """The sheet within the limits: rows and columns past them dropped with one warning, text past the
    cell limit made a BadCell (reported with its row and column by whoever reads the cells)."""
    dropped_rows = len(read.rows) - limits.MAX_ROWS
    if dropped_rows > 0 and any(any(not is_blank(v) for v in row) for row in read.rows[limits.MAX_ROWS:]):
        read.problems.append(Problem(WARNING, f"只读取了前{limits.MAX_ROWS}行（每张表的上限）；其后{dropped_rows}行没有读取",
                                     source=read.source))
    del read.rows[limits.MAX_ROWS:]
    del read.formats[limits.MAX_ROWS:]
    wide = [i for i, row in enumerate(read.rows) if len(row) > limits.MAX_COLUMNS
            and any(not is_blank(v) for v in row[limits.MAX_COLUMNS:])]
    if wide:
        read.problems.append(Problem(WARNING, f"第{read.row_number(wide[0])}行等{len(wide)}行在第{limits.MAX_COLUMNS}列"
                                              f"之后还有内容（每张表最多读取{limits.MAX_COLUMNS}列）；这些内容没有读取",
                                     source=read.source))
    for row in read.rows:
        del row[limits.MAX_COLUMNS:]
        for column, value in enumerate(row):
            if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
                row[column] = too_long(len(value))
    for row in read.formats:
        del row[limits.MAX_COLUMNS:]
    read.merged = [(top, min(bottom, limits.MAX_ROWS - 1), left, min(right, limits.MAX_COLUMNS - 1))
                   for top, bottom, left, right in read.merged[:10_000]
                   if top < limits.MAX_ROWS and left < limits.MAX_COLUMNS]
    while read.rows and all(is_blank(v) for v in read.rows[-1]):  # styled empty rows at the end
        read.rows.pop()
    return read


def _read_xls(path: Path, sheet: Optional[str], first_only: bool) -> list[Sheet]:
    """Excel 97–2003 workbooks, still common in offices; values typed as openpyxl would give them."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:
        if _password_protected(path, exc):
            raise RosterError(f"{path.name}：文件设置了打开密码，无法读取；请在 Excel 中打开，"
                              f"在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码并保存") from None
        if path.suffix.lower() == ".et":
            raise RosterError(f"{path.name}：这是 WPS 表格文件；请在 WPS 中另存为 .xlsx") from None
        raise RosterError(f"{path.name}：无法作为 .xls 文件读取，文件可能已损坏；请在 Excel 或 WPS 中打开它，"
                          f"另存为 .xlsx") from None
    try:
        titles = book.sheet_names()
        sheets_meta = [book.sheet_by_index(i) for i in range(len(titles))] if first_only and sheet is None else []
        hidden = frozenset(i for i, s in enumerate(sheets_meta) if s.visibility)
        # The sheet shown on opening: Excel marks it displayed (and selected); files written by programs
        # (xlwt, as office systems export) often mark it selected only.
        active = next((i for flag in ("sheet_visible", "sheet_selected") for i, s in enumerate(sheets_meta)
                       if getattr(s, flag) and not s.visibility), 0)
        sheets = []
        for index in choose(path, titles, sheet, first_only, hidden, active):
            worksheet = book.sheet_by_index(index)
            rows, formats = [], []
            for r in range(min(worksheet.nrows, limits.MAX_ROWS)):
                cells = worksheet.row_slice(r, 0, min(worksheet.row_len(r), limits.MAX_COLUMNS))
                rows.append([_xls_value(cell, book) for cell in cells])
                formats.append([_xls_format(cell, book) for cell in cells])
            merged = [(top, bottom - 1, left, right - 1) for top, bottom, left, right in worksheet.merged_cells]
            read = bounded(Sheet(worksheet.name, rows, formats, _source(path, titles, index), merged,
                                 hidden=bool(worksheet.visibility),
                                 hidden_columns={column for column, info in worksheet.colinfo_map.items()
                                                 if info.hidden and column < limits.MAX_COLUMNS}))
            if first_only and sheet is None and index != 0:
                read.problems.append(other_sheet_notice(titles, index, 0 in hidden, read.source))
            sheets.append(read)
        return sheets
    finally:
        book.release_resources()


def read_table_sheet(path: Path, sheet: Optional[str], has_header: Callable[[list[list[Any]]], bool],
                     what: str = "表格", encoding: Optional[str] = None) -> Sheet:
    """The named sheet; else the one Excel shows on opening — unless it holds no table (has_header says
    whether a sheet's opening rows hold the header wanted): a workbook saved while its 填写说明 sheet was
    shown is read from the first visible sheet that has the header, and the notice says which."""
    shown = read_sheets(path, sheet, first_only=True, what=what, encoding=encoding)[0]
    if sheet is not None or has_header(shown.rows):
        return shown
    for other in read_sheets(path, None, what=what, encoding=encoding):
        if other.title != shown.title and not other.hidden and has_header(other.rows):
            other.problems.append(Problem(WARNING, f"打开文件时显示的工作表“{shown.title}”中没有{what}的表头，读取的是"
                                                   f"工作表“{other.title}”；要读取别的工作表，请用 --sheet",
                                          source=other.source))
            return other
    return shown


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
        return excel_error(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
    return cell.value


def _xls_format(cell, book) -> str:
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    except (IndexError, KeyError, AttributeError, TypeError):
        return ""


def decode_csv_bytes(data: bytes, name: str, encoding: Optional[str] = None) -> tuple[str, str]:
    """(text, encoding) of a CSV file's bytes, decided by evidence (formgen.input.encodings)."""
    decoded = decode(data, name, encoding)
    return decoded.text, decoded.encoding


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _read_csv(path: Path, text: str) -> Sheet:
    """A CSV file, one grid row per record. A quote that opens a field and is never closed (or closed
    hundreds of lines later) would make the rest of the file one cell: its line is reported and left
    out, and reading goes on from the next line."""
    dialect = _dialect(text)
    punctuation = "，" if dialect.delimiter == "，" else ""
    if csv.field_size_limit() < limits.MAX_DATA_FILE_BYTES:
        csv.field_size_limit(limits.MAX_DATA_FILE_BYTES)  # long cells are reported by the cell limit instead
    lines = _LINE.findall(text)
    read = Sheet(path.stem, [], [], path.name, split_on_punctuation=punctuation)
    width, start = 0, 0
    while start < len(lines) and len(read.rows) < limits.MAX_ROWS + 1:
        broken = _read_csv_from(lines, start, dialect, read, width)
        width = width or (len(read.rows[0]) if read.rows else 0)
        if broken is None:
            break
        first, why = broken
        shown = lines[first].strip()
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        read.problems.append(Problem("error", f"{why}；这一行没有读取，请改正后重新生成（内容：{shown}）",
                                     row=first + 1, source=path.name))
        start = first + 1
    return bounded(read)


# What some exports and hand-made lists separate fields with when no comma, tab or semicolon does: a
# vertical bar, or the full-width comma of a Chinese input method (姓名，工号，所属党支部).
OTHER_DELIMITERS = "|，"


class _Delimited(csv.excel):
    pass


def _dialect(text: str) -> type[csv.Dialect]:
    """How the file separates its fields: the separator found on the most of the opening lines (title rows
    come before the header and hold none; a value's own ; or ， is on its own line only), then the one
    those lines hold equally often; comma, tab and semicolon before a vertical bar or the full-width comma
    of a Chinese input method (姓名，工号，所属党支部), which inside values is punctuation."""
    opening = [line for line in text[:4096].splitlines() if line.strip()][:5]
    order = ",\t;" + OTHER_DELIMITERS

    def evidence(delimiter: str) -> tuple[int, int, int]:
        counts = [line.count(delimiter) for line in opening if delimiter in line]
        shared = max((counts.count(n) for n in set(counts)), default=0)
        return len(counts), shared, -order.index(delimiter)

    chosen = max(order, key=evidence)
    if chosen in OTHER_DELIMITERS:
        if not evidence(chosen)[0]:
            return csv.excel
        return type("Delimited", (_Delimited,), {"delimiter": chosen})
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=chosen)
    except csv.Error:
        return type("Delimited", (_Delimited,), {"delimiter": chosen})


def _read_csv_from(lines: list[str], start: int, dialect, read: Sheet, width: int) -> Optional[tuple[int, str]]:
    """Records from line start on into read; the first line of a broken record and why, or None at the end."""
    reader = csv.reader(iter(lines[start:]), dialect)
    consumed = 0
    while True:
        first = start + consumed
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            return first, f"这一行无法按 CSV 读取（{exc}）"
        span = reader.line_num - consumed
        consumed = reader.line_num
        if span > 1 and _swallowed(row, span, width or len(row), dialect.delimiter):
            return first, (f"这一行的引号（\"）没有配对：从这里起的{span}行会被读成一个格子"
                           if span > 2 else "这一行的引号（\"）没有配对")
        read.rows.append([_excel_text(value) for value in row])
        read.row_numbers.append(first + 1)
        if len(read.rows) > limits.MAX_ROWS:
            return None


_TEXT_FORMULA = re.compile(r'\s*="(.*)"\s*', re.S)


def _excel_text(value: str) -> str:
    """="000101", as systems export a 工号 so that Excel keeps its zeros, is the text Excel shows: 000101."""
    match = _TEXT_FORMULA.fullmatch(value) if value.startswith(("=", " ")) else None
    return match.group(1).replace('""', '"') if match else value


def _swallowed(row: list[str], span: int, width: int, delimiter: str) -> bool:
    """Whether a record running across lines holds other records: a line inside one of its cells that
    looks like a whole row, or more lines than any cell of a roster holds."""
    if span > limits.MAX_CSV_RECORD_LINES:
        return True
    need = max(2, width - 1)
    return any(line.count(delimiter) >= need for value in row if "\n" in value or "\r" in value
               for line in re.split(r"\r\n|\r|\n", value)[1:])
