"""frame: a decorative vector border — a double rule with ornaments at the corners (certificates)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from formgen.document import Item, Rect, Rule
from formgen.typeset.elements.base import BoxSpec, BuildContext, Color
from formgen.units import Box, mm


class FrameSpec(BoxSpec):
    kind: Literal["frame"]
    color: Color = "#B8860B"
    outer_width: float = Field(default=2.4, gt=0)  # points
    inner_width: float = Field(default=0.8, gt=0)
    gap: float = Field(default=2.5, gt=0)  # mm between the two rules
    ornament: Literal["corners", "none"] = "corners"
    ornament_size: float = Field(default=12, gt=0)  # mm


def _corner(x: float, y: float, sx: int, sy: int, size: float, color: str, width: float) -> list[Item]:
    """An ornament in one corner: nested L-brackets, a diamond and a square; sx/sy point inwards."""
    items: list[Item] = []
    for step, line_width in ((0.0, width), (size * 0.22, width * 0.6)):
        cx, cy = x + sx * step, y + sy * step
        length = size - step
        items.append(Rule(cx, cy, cx + sx * length, cy, width=line_width, color=color))
        items.append(Rule(cx, cy, cx, cy + sy * length, width=line_width, color=color))
    mid_x, mid_y, half = x + sx * size * 0.5, y + sy * size * 0.5, size * 0.14
    diamond = [(mid_x, mid_y - half), (mid_x + half, mid_y), (mid_x, mid_y + half), (mid_x - half, mid_y)]
    for (x1, y1), (x2, y2) in zip(diamond, diamond[1:] + diamond[:1]):
        items.append(Rule(x1, y1, x2, y2, width=width * 0.6, color=color))
    dot = size * 0.08
    items.append(Rect(Box(mid_x - dot / 2, mid_y - dot / 2, dot, dot), stroke=None, fill=color, width=0))
    return items


def build(spec: FrameSpec, ctx: BuildContext) -> list[Item]:
    box = ctx.box(spec.box)
    gap = mm(spec.gap)
    inner = box.inset(gap, gap, gap, gap)
    items: list[Item] = [
        Rect(box, stroke=spec.color, width=spec.outer_width, name=spec.name),
        Rect(inner, stroke=spec.color, width=spec.inner_width),
    ]
    if spec.ornament == "corners":
        size, inset = mm(spec.ornament_size), gap * 1.8
        for x, y, sx, sy in ((inner.x + inset, inner.y + inset, 1, 1), (inner.right - inset, inner.y + inset, -1, 1),
                             (inner.x + inset, inner.bottom - inset, 1, -1),
                             (inner.right - inset, inner.bottom - inset, -1, -1)):
            items += _corner(x, y, sx, sy, size, spec.color, spec.inner_width)
    return items
