"""Element kinds: each has a strict Spec and a builder; adding a kind is one module and one line here."""
from __future__ import annotations

from typing import Annotated, Callable, Union

from pydantic import Field

from formgen import limits
from formgen.document import Item
from formgen.fonts import UncoveredCharacter
from formgen.typeset.elements import (
    blank,
    checkbox,
    containers,
    flow,
    frame,
    image,
    mongolian,
    qr,
    shapes,
    table,
    text,
)
from formgen.typeset.elements.base import BuildContext, ElementFailed

# kind → (spec class, builder)
REGISTRY: dict[str, tuple[type, Callable[..., list[Item]]]] = {
    "text": (text.TextSpec, text.build),
    "blank": (blank.BlankSpec, blank.build),
    "checkbox": (checkbox.CheckboxSpec, checkbox.build),
    "photo": (image.PhotoSpec, image.build_photo),
    "image": (image.ImageSpec, image.build_image),
    "qr": (qr.QRSpec, qr.build),
    "line": (shapes.LineSpec, shapes.build_line),
    "rect": (shapes.RectSpec, shapes.build_rect),
    "table": (table.TableSpec, table.build),
    "flow": (flow.FlowSpec, flow.build),
    "frame": (frame.FrameSpec, frame.build),
    "mongolian": (mongolian.MongolianSpec, mongolian.build),
    "panel": (containers.PanelSpec, containers.build_panel),
    "repeat": (containers.RepeatSpec, containers.build_repeat),
}

ElementSpec = Annotated[Union[tuple(spec for spec, _ in REGISTRY.values())], Field(discriminator="kind")]
for _spec in (containers.PanelSpec, containers.RepeatSpec):
    _spec.model_rebuild(_types_namespace={"ElementSpec": ElementSpec})

_BUILDERS = {spec: builder for spec, builder in REGISTRY.values()}


def build_elements(specs, ctx: BuildContext) -> list[Item]:
    """Items of the elements, in order (later ones drawn on top), skipping those whose `when` is false."""
    items: list[Item] = []
    base_path = ctx.path
    for index, spec in enumerate(specs):
        label = f"{base_path}[{index}]" + (f" ({spec.name})" if spec.name else "")
        here = ctx.nested(path=label)
        try:
            if spec.when is not None and not here.evaluate(spec.when):
                continue
            if spec.only_with is not None and spec.only_with not in ctx.drawn:
                continue
            ctx.budget[0] -= 1
            if ctx.budget[0] < 0:
                raise ElementFailed(f"要画的版式元素超过了{limits.MAX_ELEMENTS_PER_RECORD}个（一条记录的上限；"
                                    f"是不是 repeat 套着 repeat，或 over 的列表太长？）")
            built = _BUILDERS[type(spec)](spec, here)
            if built and spec.name:
                ctx.drawn.add(spec.name)
            items += built
        except UncoveredCharacter as exc:  # measured by a builder, not set through ctx.set_text
            raise here.uncovered(exc, exc.text) from None
        except ElementFailed as exc:
            if exc.place is None:  # raised by a helper that does not know where it was called
                exc.place = here.path
            raise
    return items
