"""blank: a fill-in field — the value on a rule, or empty rules for handwriting when there is none."""
from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import Field

from formgen.document import Item, Rule
from formgen.typeset.elements.base import (
    BoxSpec,
    BuildContext,
    Color,
    Template,
    TextStyleSpec,
)
from formgen.units import mm


class BlankSpec(BoxSpec, TextStyleSpec):
    kind: Literal["blank"]
    value_field: ClassVar[Optional[str]] = "text"
    text: Template = ""  # the value; empty → rules to write on
    lines: int = Field(default=1, ge=1, le=60)  # how many rules when empty
    ruled: bool = True  # also rule under the value's lines when there is one
    rule_width: float = Field(default=0.5, gt=0)
    rule_color: Color = "#000000"
    rule_inset: float = Field(default=0.0, ge=0)  # mm cut from both ends of each rule


def build(spec: BlankSpec, ctx: BuildContext) -> list[Item]:
    box = ctx.box(spec.box)
    value = ctx.render(spec.text).strip()
    inset = mm(spec.rule_inset)
    rule = lambda y: Rule(box.x + inset, y, box.right - inset, y, width=spec.rule_width,  # noqa: E731
                          color=spec.rule_color, name=f"{spec.name}-rule" if spec.name else None)
    if not value:
        pitch = box.h / spec.lines
        return [rule(box.y + pitch * (i + 1) - spec.rule_width) for i in range(spec.lines)]
    text = ctx.set_text(value, box, ctx.text_style(spec), spec.name)
    items: list[Item] = [text]
    if spec.ruled:
        below = text.size * 0.25  # rules sit just under the descenders
        if spec.lines > len(text.lines) and spec.valign == "top":
            # keep the form's rhythm: rules continue below the value to the declared count
            pitch = box.h / spec.lines
            items += [rule(box.y + pitch * (i + 1) - spec.rule_width) for i in range(spec.lines)]
        else:
            items += [rule(box.y + line.baseline + below) for line in text.lines]
    return items
