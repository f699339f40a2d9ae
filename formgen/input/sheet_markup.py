"""Tables that office systems export under an .xls name but write as markup: an HTML page holding a
<table>, or an Excel 2003 XML spreadsheet. Both become plain grids of cell text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"


def is_spreadsheet_xml(text: str) -> bool:
    return SPREADSHEET_NS in text[:4096]


class _TableParser(HTMLParser):
    """Every <table> of a page as rows of cell text; a cell spanning columns leaves empty cells after it,
    so that the columns below stay under their headers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._open: list[list[list[str]]] = []  # tables being read, innermost last
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append([])
        elif not self._open:
            return
        elif tag == "tr":
            self._open[-1].append([])
        elif tag in ("td", "th"):
            if not self._open[-1]:
                self._open[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._open:
            text = re.sub(r"[ \t\r\f\v\n]*\n[ \t\r\f\v\n]*", "\n", "".join(self._cell))
            text = re.sub(r"[ \t\r\f\v]+", " ", text).strip().replace("\xa0", " ")
            self._open[-1][-1] += [text] + [""] * (self._span - 1)
            self._cell = None
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.replace("\n", " "))


def read_html_table(text: str) -> list[list[str]]:
    """The rows of the page's largest table; no table at all gives no rows."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    while parser._open:  # a page cut short: keep what was read
        parser.tables.append(parser._open.pop())
    return max(parser.tables, key=len, default=[])


def read_spreadsheet_xml(text: str) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows) for each worksheet of an Excel 2003 XML spreadsheet."""
    ns = {"ss": SPREADSHEET_NS}
    index_key = f"{{{SPREADSHEET_NS}}}Index"
    # The text is already decoded: its declaration (often encoding="gb2312") must not be obeyed again.
    root = ElementTree.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    sheets = []
    for worksheet in root.findall("ss:Worksheet", ns):
        rows: list[list[str]] = []
        for row in worksheet.findall("ss:Table/ss:Row", ns):
            if row.get(index_key):  # rows left out before this one are empty
                rows += [[] for _ in range(int(row.get(index_key)) - 1 - len(rows))]
            cells: list[str] = []
            for cell in row.findall("ss:Cell", ns):
                if cell.get(index_key):
                    cells += [""] * (int(cell.get(index_key)) - 1 - len(cells))
                data = cell.find("ss:Data", ns)
                cells.append("".join(data.itertext()).strip() if data is not None else "")
            rows.append(cells)
        sheets.append((worksheet.get(f"{{{SPREADSHEET_NS}}}Name") or "Sheet1", rows))
    return sheets
