"""Tables that office systems export under an .xls name but write as markup: an HTML page holding a
<table>, or an Excel 2003 XML spreadsheet. Both become plain grids of cell text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from formgen import limits

SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"


def is_spreadsheet_xml(text: str) -> bool:
    return SPREADSHEET_NS in text[:4096]


class _Table:
    """One <table> as it is read: rows of cell text, the merged ranges, and the places cells spanning rows
    from above still cover."""

    def __init__(self):
        self.rows: list[list[str]] = []
        self.merged: list[tuple[int, int, int, int]] = []  # (first row, last row, first column, last column)
        self.below: dict[int, int] = {}  # column → the last row a cell spanning rows covers there

    def place(self, text: str, rows: int, columns: int) -> None:
        """A cell in the current row, at the first column no cell from above covers."""
        row = len(self.rows) - 1
        cells = self.rows[row]
        while self.below.get(len(cells), -1) >= row:
            cells.append("")
        column = len(cells)
        cells += [text] + [""] * (columns - 1)
        if rows > 1 or columns > 1:
            self.merged.append((row, row + rows - 1, column, column + columns - 1))
        if rows > 1:
            self.below.update((across, row + rows - 1) for across in range(column, column + columns))

    def end_row(self) -> None:
        """Columns at the end of the row that a cell from above covers keep their places."""
        row = len(self.rows) - 1
        if row >= 0:
            cells = self.rows[row]
            while self.below.get(len(cells), -1) >= row:
                cells.append("")


def _span(attrs: dict, name: str) -> int:
    value = (attrs.get(name) or "1").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else 1


class _TableParser(HTMLParser):
    """Every <table> of a page as rows of cell text. A cell spanning columns leaves empty cells after it
    and one spanning rows leaves its place empty in the rows below, so that the columns stay under their
    headers; both are merged ranges, as in a workbook (a branch over its members' rows fills each)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._open: list[_Table] = []  # tables being read, innermost last
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append(_Table())
        elif not self._open:
            return
        elif tag == "tr":
            self._open[-1].end_row()
            self._open[-1].rows.append([])
        elif tag in ("td", "th"):
            if not self._open[-1].rows:
                self._open[-1].rows.append([])
            self._cell = []
            given = dict(attrs)
            self._spans = (_span(given, "rowspan"), _span(given, "colspan"))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._open:
            text = re.sub(r"[ \t\r\f\v\n]*\n[ \t\r\f\v\n]*", "\n", "".join(self._cell))
            text = re.sub(r"[ \t\r\f\v]+", " ", text).strip().replace("\xa0", " ")
            self._open[-1].place(text, *self._spans)
            self._cell = None
        elif tag == "tr" and self._open:
            self._open[-1].end_row()
        elif tag == "table" and self._open:
            self._open[-1].end_row()
            self.tables.append(self._open.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.replace("\n", " "))


def read_html_table(text: str) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The rows of the page's largest table and its merged ranges; no table at all gives no rows."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    while parser._open:  # a page cut short: keep what was read
        parser.tables.append(parser._open.pop())
    largest = max(parser.tables, key=lambda table: len(table.rows), default=_Table())
    return largest.rows, largest.merged


def read_spreadsheet_xml(text: str) -> list[tuple[str, list[list[str]], list[tuple[int, int, int, int]]]]:
    """(sheet name, rows, merged ranges) for each worksheet of an Excel 2003 XML spreadsheet. A cell merged
    across or down (ss:MergeAcross, ss:MergeDown) covers the places after and below it, which later
    cells of those rows skip, as Excel places them."""
    ns = {"ss": SPREADSHEET_NS}
    index_key, across_key, down_key = (f"{{{SPREADSHEET_NS}}}{name}" for name in ("Index", "MergeAcross", "MergeDown"))
    # The text is already decoded: its declaration (often encoding="gb2312") must not be obeyed again.
    root = ElementTree.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    sheets = []
    for worksheet in root.findall("ss:Worksheet", ns):
        rows: list[list[str]] = []
        merged: list[tuple[int, int, int, int]] = []
        below: dict[int, int] = {}  # column → the last row a cell merged down covers there
        for row in worksheet.findall("ss:Table/ss:Row", ns):
            # rows left out before this one are empty (never more than the limit: ss:Index="2000000000")
            rows += [[] for _ in range(_count(row.get(index_key), limits.MAX_ROWS + 1) - 1 - len(rows))]
            number, cells = len(rows), []
            for cell in row.findall("ss:Cell", ns):
                cells += [""] * (_count(cell.get(index_key), limits.MAX_COLUMNS + 1) - 1 - len(cells))
                while below.get(len(cells), -1) >= number:
                    cells.append("")
                data = cell.find("ss:Data", ns)
                column = len(cells)
                across = _count(cell.get(across_key), limits.MAX_COLUMNS)
                down = _count(cell.get(down_key), limits.MAX_ROWS)
                cells += ["".join(data.itertext()).strip() if data is not None else ""] + [""] * across
                if across or down:
                    merged.append((number, number + down, column, column + across))
                if down:
                    below.update((place, number + down) for place in range(column, column + across + 1))
            rows.append(cells)
        sheets.append((worksheet.get(f"{{{SPREADSHEET_NS}}}Name") or "Sheet1", rows, merged))
    return sheets


def _count(value, cap: int) -> int:
    """A count attribute (ss:Index, ss:MergeAcross …), at most cap; 0 when absent or not a count."""
    text = (value or "").strip()
    return min(int(text), cap) if text.isdigit() else 0
