"""text: a templated string set into a box (wrapping, kinsoku, alignment, shrink-to-fit)."""
from __future__ import annotations

from typing import ClassVar, Literal, Optional

from formgen.document import Item
from formgen.typeset.elements.base import BoxSpec, BuildContext, Template, TextStyleSpec


class TextSpec(BoxSpec, TextStyleSpec):
    kind: Literal["text"]
    value_field: ClassVar[Optional[str]] = "text"
    text: Template


def build(spec: TextSpec, ctx: BuildContext) -> list[Item]:
    content = ctx.render(spec.text)
    if not content.strip():
        return []
    return [ctx.set_text(content, ctx.box(spec.box), ctx.text_style(spec), spec.name)]
