"""Campaign sheets as offices keep them (nominations, branch scores): title rows above the header, merged
cells, notes sheets and footer rows — read into rows of clean values, each knowing its file, sheet and row."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from formgen.input.identifiers import identifier_text
from formgen.input.records import TEXT_FIELDS, canonical_header, cell_text
from formgen.input.sheets import Sheet, read_sheets, read_table_sheet
from formgen.problems import Problem, RosterError

NOTES_SHEETS = {"填写说明", "说明"}
# A row that closes a table rather than belonging to it: 合计：12个, 制表人：…, 审核：…
FOOTER = re.compile(r"^(合计|总计|小计|共计|制表|审核|填表|备注|说明|注[:：])")


@dataclass(frozen=True)
class TableRow:
    """One row of a sheet: values by canonical column name, and where it came from."""

    row: int  # as the clerk sees it in the sheet
    values: Mapping[str, Any]
    source: str  # file (and sheet)
    sheet: str  # the sheet's name (a quarter, in a workbook with a sheet per quarter)
    who_columns: tuple[str, ...] = ("姓名",)
    headers: Mapping[str, str] = field(default_factory=dict)  # column → its header as the sheet writes it

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))

    @property
    def who(self) -> str:
        for column in self.who_columns:
            value = self.text(column).replace("\u3000", "").replace(" ", "")
            if value:
                return value
        return ""

    def problem(self, level: str, message: str, column: Optional[str] = None) -> Problem:
        """A problem of this row, naming the column by its header in the sheet (党支部, not 所属党支部)."""
        shown = self.headers.get(column, column) if column else None
        return Problem(level, message, row=self.row, column=shown, who=self.who, source=self.source)


def _header(sheet: Sheet, first: int) -> tuple[list[Any], int]:
    """The header's cells and its last row. A header of two rows — group titles merged across columns
    (支部标准化建设 over 自评分 | 考核分), the other titles merged down — names each column of a group by the
    group and its own title (支部标准化建设自评分); a one-row header is itself."""
    groups = [(left, right) for top, bottom, left, right in sheet.merged
              if top == first and bottom == first and right > left]
    if not groups or first + 1 >= len(sheet.rows):
        return list(sheet.rows[first]), first
    upper, lower = sheet.rows[first], sheet.rows[first + 1]
    width = max(len(upper), len(lower))
    cells: list[Any] = []
    for column in range(width):
        top = upper[column] if column < len(upper) else None
        below = lower[column] if column < len(lower) else None
        group = next(((left, right) for left, right in groups if left <= column <= right), None)
        if group is not None:
            title = upper[group[0]] if group[0] < len(upper) else None
            cells.append(f"{cell_text(title)}{cell_text(below)}")
        else:
            cells.append(top if top not in (None, "") else below)
    return cells, first + 1


def read_table(path: Path | str, header_names: set[str], what: str,
               rename: Callable[[str], str] = canonical_header, who_columns: tuple[str, ...] = ("姓名",),
               all_sheets: bool = False, sheet_name: Optional[str] = None) -> list[TableRow]:
    """The rows of the named sheet, else the first (or every sheet but notes sheets), whose header row names
    at least two of header_names within the first 20 rows. A sheet without such a header is an error."""
    path = Path(path)
    rows: list[TableRow] = []
    def header_in(grid: list[list[Any]]) -> Optional[int]:
        return next((i for i, cells in enumerate(grid[:20])
                     if len({rename(c) for c in cells if c not in (None, "")} & header_names) >= 2), None)

    if all_sheets:
        found = read_sheets(path, sheet_name, what=what)
    else:  # the sheet named, else the one shown on opening, unless only another sheet holds the table
        found = [read_table_sheet(path, sheet_name, lambda grid: header_in(grid) is not None, what)]
    sheets = [s for s in found if s.title not in NOTES_SHEETS or sheet_name]
    for sheet in sheets:
        if not any(any(c not in (None, "") for c in cells) for cells in sheet.rows):
            continue
        header_at = header_in(sheet.rows)
        if header_at is None:
            wanted = "、".join(f"「{name}」" for name in sorted(header_names))
            raise RosterError(f"{sheet.source}：找不到表头行（表头应有这些列中的至少两列：{wanted}）")
        cells_of_header, header_at = _header(sheet, header_at)
        sheet.fill_merged_below(header_at)
        headers = [rename(c) if c not in (None, "") else "" for c in cells_of_header]
        written: dict[str, str] = {}
        for name, cell in zip(headers, cells_of_header):
            if name:
                written.setdefault(name, cell_text(cell))  # a column named twice: the first is read
        for number, cells in enumerate(sheet.rows[header_at + 1:], start=header_at + 2):
            texts = [cell_text(c) for c in cells]
            filled = [t for t in texts if t]
            if not filled:
                continue
            if FOOTER.match(filled[0]) and len(filled) <= 2:
                continue  # 合计：5个支部 / 制表人：… under the table
            values: dict[str, Any] = {}
            for index, name in enumerate(headers):
                if name and name not in values:
                    values[name] = cells[index] if index < len(cells) else None
                    if name in TEXT_FIELDS and isinstance(values[name], (int, float)):  # 000101 as shown, not 101
                        values[name] = identifier_text(values[name], sheet.format_of(number - 1, index))
            rows.append(TableRow(number, values, sheet.source, sheet.title, who_columns, written))
    return rows
