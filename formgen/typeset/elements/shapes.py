"""line and rect: rules, frames, fold and cut guides, fills."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from formgen.document import Item, Rect, Rule
from formgen.typeset.elements.base import BoxSpec, BuildContext, Color, Spec
from formgen.units import mm


class LineSpec(Spec):
    kind: Literal["line"]
    start: tuple[float, float]  # mm
    end: tuple[float, float]
    width: float = Field(default=0.5, gt=0)  # points
    color: Color = "#000000"
    dash: Optional[tuple[float, ...]] = None  # points: on, off …


class RectSpec(BoxSpec):
    kind: Literal["rect"]
    stroke: Optional[Color] = "#000000"
    fill: Optional[Color] = None
    width: float = Field(default=0.5, ge=0)
    dash: Optional[tuple[float, ...]] = None
    radius: float = Field(default=0, ge=0)  # mm
    behind: bool = False


def build_line(spec: LineSpec, ctx: BuildContext) -> list[Item]:
    x1, y1 = ctx.point(spec.start)
    x2, y2 = ctx.point(spec.end)
    return [Rule(x1, y1, x2, y2, width=spec.width, color=spec.color, dash=spec.dash, name=spec.name)]


def build_rect(spec: RectSpec, ctx: BuildContext) -> list[Item]:
    return [Rect(ctx.box(spec.box), stroke=spec.stroke, fill=spec.fill, width=spec.width, dash=spec.dash,
                 radius=mm(spec.radius), behind=spec.behind, name=spec.name)]
