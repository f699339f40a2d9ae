"""table: a ruled grid with merged cells; rows that do not fit continue on the next page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from formgen.document import Cell, Item, Table, Text
from formgen.typeset.elements.base import (
    BuildContext,
    Color,
    ElementFailed,
    Spec,
    Template,
    TextStyleSpec,
)
from formgen.units import Box, mm


class CellSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: Template = ""
    colspan: int = Field(default=1, ge=1)
    rowspan: int = Field(default=1, ge=1)
    align: Optional[Literal["left", "center", "right", "justify", "distribute"]] = None
    valign: Optional[Literal["top", "middle", "bottom"]] = None
    font: Optional[str] = None
    size: Optional[float] = Field(default=None, gt=0)
    bold: Optional[bool] = None
    indent: Optional[float] = Field(default=None, ge=0)
    fill: Optional[Color] = None
    name: Optional[str] = None

class RowSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    height: Optional[float] = Field(default=None, gt=0)  # mm, fixed: text shrinks to fit
    min_height: Optional[float] = Field(default=None, gt=0)  # mm: grows with its text
    cells: list[CellSpec]

    @model_validator(mode="after")
    def _one_height(self):
        if self.height is None and self.min_height is None:
            raise ValueError("请给这一行 height（行高）或 min_height（最小行高），单位毫米")
        return self


class TableSpec(Spec, TextStyleSpec):
    kind: Literal["table"]
    at: tuple[float, float]  # mm: top-left corner
    columns: list[float] = Field(min_length=1)  # mm widths
    rows: list[RowSpec] = Field(min_length=1)
    header_rows: int = Field(default=0, ge=0)  # repeated at the top of continuation pages
    border: float = Field(default=0.75, ge=0)  # points
    border_color: Color = "#000000"
    padding: float = Field(default=1.5, ge=0)  # mm inside each cell
    valign: Literal["top", "middle", "bottom"] = "middle"

    @field_validator("columns")
    @classmethod
    def _positive(cls, value):
        if any(w <= 0 for w in value):
            raise ValueError("列宽都应大于 0（毫米）")
        return value

    @model_validator(mode="after")
    def _grid_is_consistent(self):
        place_cells(self)
        return self


@dataclass
class _Placed:
    row: int
    col: int
    spec: CellSpec


def place_cells(spec: TableSpec) -> list[_Placed]:
    """Cells given row by row, HTML-style: merged cells take the places below and beside them."""
    taken: set[tuple[int, int]] = set()
    placed: list[_Placed] = []
    n_cols, n_rows = len(spec.columns), len(spec.rows)
    for r, row in enumerate(spec.rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            if c + cell.colspan > n_cols:
                raise ValueError(f"rows[{r}]：这一行的单元格要占 {c + cell.colspan} 列，表格只有 {n_cols} 列")
            if r + cell.rowspan > n_rows:
                raise ValueError(f"rows[{r}]：一个单元格跨 {cell.rowspan} 行，超出了表格的末行")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            placed.append(_Placed(r, c, cell))
            c += cell.colspan
    return placed


def _cell_text(spec: TableSpec, cell: CellSpec, box: Box, pad: float, ctx: BuildContext,
               path: str) -> Optional[Text]:
    content = ctx.render(cell.text)
    if not content.strip():
        return None
    overrides = {k: v for k, v in (("align", cell.align), ("font", cell.font), ("size", cell.size),
                                    ("bold", cell.bold), ("indent", cell.indent)) if v is not None}
    overrides["valign"] = cell.valign or spec.valign
    style = ctx.text_style(spec, **overrides)
    inner = box.inset(pad, pad, pad, pad)
    return ctx.nested(path=path).set_text(content, inner, style, cell.name)


def _needed_height(spec: TableSpec, cell: CellSpec, width: float, pad: float, ctx: BuildContext) -> float:
    content = ctx.render(cell.text)
    if not content.strip():
        return 0.0
    style = ctx.text_style(spec, **{k: v for k, v in (("font", cell.font), ("size", cell.size),
                                                       ("bold", cell.bold)) if v is not None})
    lines = 0
    for paragraph in content.split("\n"):
        lines += len(ctx.setter.break_paragraph(paragraph, style.face, style.size, width - 2 * pad, 0.0))
    return lines * style.size * style.line_height + 2 * pad


def _row_heights(spec: TableSpec, placed: list[_Placed], ctx: BuildContext) -> list[float]:
    heights = [mm(row.height or row.min_height) for row in spec.rows]
    pad = mm(spec.padding)
    # A row grows with its text, but never past a whole page: beyond that its text shrinks instead.
    header = sum(heights[: spec.header_rows])
    tallest = ctx.page_height - ctx.margins[0] - ctx.margins[2] - header
    for p in placed:
        row = spec.rows[p.row]
        if row.height is None and p.spec.rowspan == 1:
            width = sum(mm(w) for w in spec.columns[p.col:p.col + p.spec.colspan])
            needed = min(tallest, _needed_height(spec, p.spec, width, pad, ctx))
            heights[p.row] = max(heights[p.row], needed)
    return heights


def _row_groups(spec: TableSpec, placed: list[_Placed]) -> list[tuple[int, int]]:
    """Runs of rows that must stay on one page because a merged cell joins them."""
    end_of = list(range(len(spec.rows)))
    for p in placed:
        last = p.row + p.spec.rowspan - 1
        for r in range(p.row, last + 1):
            end_of[r] = max(end_of[r], last)
    groups: list[tuple[int, int]] = []
    start = 0
    while start < len(spec.rows):
        end = end_of[start]
        r = start
        while r <= end:
            end = max(end, end_of[r])
            r += 1
        groups.append((start, end))
        start = end + 1
    return groups


def build(spec: TableSpec, ctx: BuildContext) -> list[Item]:
    placed = place_cells(spec)
    heights = _row_heights(spec, placed, ctx)
    widths = [mm(w) for w in spec.columns]
    x0, y0 = ctx.point(spec.at)
    bottom_limit = ctx.page_height - ctx.margins[2]
    header = list(range(min(spec.header_rows, len(spec.rows))))
    pages: list[list[int]] = [[]]
    y = y0 + sum(heights[r] for r in pages[0])
    for start, end in _row_groups(spec, placed):
        group = list(range(start, end + 1))
        group_height = sum(heights[r] for r in group)
        if pages[-1] and [r for r in pages[-1] if r not in header] and y + group_height > bottom_limit:
            pages.append(list(header))
            y = ctx.margins[0] + sum(heights[r] for r in header)
        pages[-1] += group
        y += group_height
    if y > bottom_limit + 0.5 and len(pages) == 1 and not pages[0]:
        raise ElementFailed("表格的一行比整页还高")
    tables = []
    for index, rows in enumerate(pages):
        top = y0 if index == 0 else ctx.margins[0]
        tables.append(_table_for_rows(spec, placed, rows, widths, heights, x0, top, ctx, index))
    ctx.overflow_pages.extend([table] for table in tables[1:])
    return [tables[0]]


def _table_for_rows(spec: TableSpec, placed: list[_Placed], rows: list[int], widths: list[float],
                    heights: list[float], x0: float, top: float, ctx: BuildContext, part: int) -> Table:
    row_top: dict[int, float] = {}
    y = top
    for r in rows:
        row_top[r] = y
        y += heights[r]
    col_left = [x0 + sum(widths[:c]) for c in range(len(widths))]
    pad = mm(spec.padding)
    cells: list[Cell] = []
    local_row = {r: i for i, r in enumerate(rows)}
    for p in placed:
        if p.row not in row_top:
            continue
        span_rows = [r for r in range(p.row, p.row + p.spec.rowspan) if r in row_top]
        box = Box(col_left[p.col], row_top[p.row], sum(widths[p.col:p.col + p.spec.colspan]),
                  sum(heights[r] for r in span_rows))
        text = _cell_text(spec, p.spec, box, pad, ctx, f"{ctx.path}.rows[{p.row}]")
        cells.append(Cell(row=local_row[p.row], col=p.col, row_span=len(span_rows), col_span=p.spec.colspan,
                          box=box, content=text, fill=p.spec.fill, valign=p.spec.valign or spec.valign,
                          padding=(pad, pad, pad, pad)))
    name = spec.name if part == 0 else (f"{spec.name}-{part + 1}" if spec.name else None)
    return Table(box=Box(x0, top, sum(widths), y - top), column_widths=tuple(widths),
                 row_heights=tuple(heights[r] for r in rows), cells=tuple(cells), border_width=spec.border,
                 border_color=spec.border_color, name=name)
