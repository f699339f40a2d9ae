"""The composed pages as readable text: every item, its place in millimetres and what it holds.

For reviewing what the composer decided without a PDF viewer, and for the golden tests that catch an
unintended change in any layout's geometry. Positions are rounded to 0.01 mm.
"""
from __future__ import annotations

from typing import Iterable

from formgen.document import Image, Matrix, Page, Rect, Rule, ShapedText, Table, Text
from formgen.units import Box, to_mm


def _mm(points: float) -> str:
    value = round(to_mm(points), 2)
    return f"{value + 0.0:g}"  # + 0.0 turns -0 into 0


def _box(box: Box) -> str:
    return f"[{_mm(box.x)}, {_mm(box.y)}, {_mm(box.w)} x {_mm(box.h)}]"


def _label(item) -> str:
    return f" {item.name}" if item.name else ""


def _turned(item) -> str:
    return f" turned {item.rotation}" if item.rotation else ""


def _text(item: Text, indent: str) -> list[str]:
    lines = [f"{indent}text{_label(item)} {_box(item.box)} {item.size:g}pt/{_mm(item.line_height)}mm "
             f"{item.align} {item.color}{_turned(item)}"]
    for line in item.lines:
        faces = ",".join(dict.fromkeys(run.face for run in line.runs))
        spacing = f" +{line.char_space:.2f}pt" if line.char_space else ""
        lines.append(f"{indent}  @{_mm(line.x)},{_mm(line.baseline)} w{_mm(line.width)}{spacing} [{faces}] "
                     f"{line.text!r}")
    return lines


def _shaped(item: ShapedText, indent: str) -> list[str]:
    direction = "vertical" if item.vertical else "horizontal"
    lines = [f"{indent}shaped{_label(item)} {_box(item.box)} {item.size:g}pt/{_mm(item.line_height)}mm "
             f"{direction} {item.color}{_turned(item)}"]
    for run in item.runs:
        glyphs = " ".join(str(glyph.id) for glyph in run.glyphs)
        lines.append(f"{indent}  @{_mm(run.x)},{_mm(run.y)} l{_mm(run.length)} [{run.face}] {run.text!r} "
                     f"glyphs {glyphs}")
    return lines


def _table(item: Table, indent: str) -> list[str]:
    lines = [f"{indent}table{_label(item)} {_box(item.box)} columns {', '.join(_mm(w) for w in item.column_widths)}"
             f" rows {', '.join(_mm(h) for h in item.row_heights)} border {item.border_width:g}pt"]
    for cell in item.cells:
        span = f" span {cell.row_span}x{cell.col_span}" if cell.row_span > 1 or cell.col_span > 1 else ""
        fill = f" fill {cell.fill}" if cell.fill else ""
        lines.append(f"{indent}  cell {cell.row},{cell.col}{span}{fill} {cell.valign}")
        if cell.content is not None:
            lines.extend(_text(cell.content, indent + "    "))
    return lines


def describe_item(item, indent: str = "  ") -> list[str]:
    if isinstance(item, Text):
        return _text(item, indent)
    if isinstance(item, Table):
        return _table(item, indent)
    if isinstance(item, ShapedText):
        return _shaped(item, indent)
    if isinstance(item, Image):
        behind = " behind" if item.behind else ""
        return [f"{indent}image{_label(item)} {_box(item.box)} {item.format} {item.pixel_width}x{item.pixel_height}px"
                f"{_turned(item)}{behind}"]
    if isinstance(item, Matrix):
        return [f"{indent}qr{_label(item)} {_box(item.box)} {len(item.modules)} modules, quiet zone "
                f"{item.quiet_zone}{_turned(item)} {item.content!r}"]
    if isinstance(item, Rule):
        dash = f" dash {list(item.dash)}" if item.dash else ""
        return [f"{indent}rule{_label(item)} {_mm(item.x1)},{_mm(item.y1)} → {_mm(item.x2)},{_mm(item.y2)} "
                f"{item.width:g}pt {item.color}{dash}"]
    if isinstance(item, Rect):
        paint = f"stroke {item.stroke} {item.width:g}pt" if item.stroke else "no stroke"
        extras = (f" fill {item.fill}" if item.fill else "") + (f" radius {_mm(item.radius)}" if item.radius else "") \
            + (f" dash {list(item.dash)}" if item.dash else "") + (" behind" if item.behind else "")
        return [f"{indent}rect{_label(item)} {_box(item.box)} {paint}{extras}"]
    raise TypeError(f"cannot describe {type(item).__name__}")


def describe(pages: Iterable[Page]) -> str:
    """Every page and its items, in drawing order."""
    out: list[str] = []
    for number, page in enumerate(pages, 1):
        label = f" ({page.label})" if page.label else ""
        out.append(f"page {number}{label}: {_mm(page.width)} x {_mm(page.height)} mm")
        for item in page.items:
            out.extend(describe_item(item))
    return "\n".join(out) + "\n"
