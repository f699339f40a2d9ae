"""qr: a QR code of templated content, as a module grid that writers draw as vector squares."""
from __future__ import annotations

from typing import ClassVar, Literal, Optional

import qrcode
import qrcode.exceptions
from pydantic import Field

from formgen.document import Item, Matrix
from formgen.typeset.elements.base import (
    BoxSpec,
    BuildContext,
    Color,
    ElementFailed,
    Template,
)

_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


class QRSpec(BoxSpec):
    kind: Literal["qr"]
    value_field: ClassVar[Optional[str]] = "content"
    content: Template
    error_correction: Literal["L", "M", "Q", "H"] = "M"
    quiet_zone: int = Field(default=4, ge=0, le=10)  # modules of white around the code
    color: Color = "#000000"
    max_version: int = Field(default=10, ge=1, le=40)  # refuse codes too dense to scan at this size
    optional: bool = False  # empty content leaves the code out without a warning


def qr_modules(content: str, level: str, max_version: int) -> tuple[str, ...]:
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=0)
    code.add_data(content.encode("utf-8"), optimize=0)
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError):
        raise ElementFailed(f"二维码内容太长（{len(content.encode('utf-8'))} 字节），任何二维码都容纳不下")
    if code.version > max_version:
        raise ElementFailed(
            f"二维码内容太长（{len(content.encode('utf-8'))} 字节）：需要第 {code.version} 版二维码，超过 "
            f"{max_version}，在此尺寸下过密，扫不出来"
        )
    return tuple("".join("1" if cell else "0" for cell in row) for row in code.get_matrix())


def build(spec: QRSpec, ctx: BuildContext) -> list[Item]:
    content = ctx.render(spec.content).strip()
    if not content:
        if spec.optional:
            return []
        ctx.warn("二维码内容为空，不印二维码", None)
        return []
    modules = qr_modules(content, spec.error_correction, spec.max_version)
    box = ctx.box(spec.box)
    side = min(box.w, box.h)  # square, centred in its box
    square = type(box)(box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side)
    return [Matrix(box=square, modules=modules, quiet_zone=spec.quiet_zone, color=spec.color, name=spec.name,
                   content=content)]
