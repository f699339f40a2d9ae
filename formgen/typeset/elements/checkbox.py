"""checkbox: a row of choices, each a box (□) and its label; the chosen one ticked (▣)."""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field

from formgen.document import Item
from formgen.typeset.elements.base import (
    BoxSpec,
    BuildContext,
    Expression,
    Template,
    TextStyleSpec,
)
from formgen.units import Box, mm

EMPTY_BOX = "□"
TICKED_BOX = "▣"  # the bundled fonts have no ☑


class CheckboxSpec(BoxSpec, TextStyleSpec):
    kind: Literal["checkbox"]
    options: Union[list[str], Expression]  # the labels, or an expression giving them
    checked: Template = ""  # template: the label (or its position from 1) that is ticked
    gap: float = Field(default=0, ge=0)  # mm between choices; 0 spreads them over the box
    columns: Optional[int] = Field(default=None, ge=1)  # choices per row; default all in one row


def build(spec: CheckboxSpec, ctx: BuildContext) -> list[Item]:
    options = spec.options if isinstance(spec.options, list) else ctx.evaluate(spec.options)
    labels = [str(o) for o in (options or [])]
    if not labels:
        return []
    chosen = ctx.render(spec.checked).strip() if spec.checked else ""
    box = ctx.box(spec.box)
    per_row = spec.columns or len(labels)
    rows = -(-len(labels) // per_row)
    cell_w = box.w / per_row if not spec.gap else None
    row_h = box.h / rows
    style = ctx.text_style(spec, wrap=False)
    items: list[Item] = []
    x = box.x
    for index, label in enumerate(labels):
        row, col = divmod(index, per_row)
        if col == 0:
            x = box.x
        ticked = chosen and (chosen == label or chosen == str(index + 1))
        text = f"{TICKED_BOX if ticked else EMPTY_BOX}{label}"
        width = cell_w if cell_w else ctx.setter.width(text, style.face, style.size) + mm(spec.gap)
        cell = Box(x, box.y + row * row_h, width, row_h)
        name = f"{spec.name}[{index}]" if spec.name else None
        items.append(ctx.set_text(text, cell, style, name, what="choice"))
        x += width
    return items
