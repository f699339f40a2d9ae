"""panel and repeat: elements placed relative to a region, turned 180° for folded cards, or repeated."""
from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import Field

from formgen.document import Item, turn_half
from formgen.typeset.elements.base import (
    BoxSpec,
    BuildContext,
    ElementFailed,
    Expression,
    Spec,
)
from formgen.units import mm


class PanelSpec(BoxSpec):
    kind: Literal["panel"]
    rotate: Literal[0, 180] = 0  # 180: the face of a folded card that must read upright from the other side
    children: list["ElementSpec"]  # noqa: F821  (resolved by the registry)

    def turns_upside_down(self) -> bool:
        return self.rotate == 180


class RepeatSpec(Spec):
    kind: Literal["repeat"]
    over: Expression  # gives a list
    as_: str = Field(default="item", alias="as", pattern=r"^[^\W\d]\w*$")
    at: tuple[float, float] = (0.0, 0.0)  # mm: where the first copy starts
    step: tuple[float, float]  # mm: offset from one copy to the next
    max: Optional[int] = Field(default=None, ge=1)  # at most this many; more is a warning
    children: list["ElementSpec"]  # noqa: F821

    def bound_names(self) -> frozenset[str]:
        return frozenset({self.as_, "loop_index"})


def build_panel(spec: PanelSpec, ctx: BuildContext) -> list[Item]:
    from formgen.typeset.elements import build_elements

    box = ctx.box(spec.box)
    items = build_elements(spec.children, ctx.nested(origin=(box.x, box.y), path=f"{ctx.path}.children"))
    if spec.rotate == 180:
        cx, cy = box.center
        try:
            items = [turn_half(item, cx, cy) for item in items]
        except ValueError as exc:
            raise ElementFailed(str(exc)) from None
    return items


def build_repeat(spec: RepeatSpec, ctx: BuildContext) -> list[Item]:
    from formgen.typeset.elements import build_elements

    sequence: Any = ctx.evaluate(spec.over)
    if sequence is None or sequence == "":
        return []
    if isinstance(sequence, (str, bytes)) or not hasattr(sequence, "__iter__"):
        raise ElementFailed(f"“{spec.over}”不是列表")
    entries = list(sequence)
    if spec.max is not None and len(entries) > spec.max:
        ctx.warn(f"共 {len(entries)} 项，只放得下前 {spec.max} 项", None)
        entries = entries[: spec.max]
    items: list[Item] = []
    x0, y0 = ctx.point(spec.at)
    for index, entry in enumerate(entries):
        values = {**ctx.values, spec.as_: entry, "loop_index": index + 1}
        origin = (x0 + mm(spec.step[0]) * index, y0 + mm(spec.step[1]) * index)
        items += build_elements(spec.children, ctx.nested(values=values, origin=origin,
                                                          path=f"{ctx.path}[{index}]"))
    return items
