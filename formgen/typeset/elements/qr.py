"""qr: a QR code of templated content, as a module grid that writers draw as vector squares."""
from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import Field

from formgen.document import Item, Matrix
from formgen.typeset.elements.base import (
    BoxSpec,
    BuildContext,
    Color,
    ElementFailed,
    Template,
)


_DIGITS = bytes.maketrans(b"\x00\xff", b"10")  # the encoder's pixels: 0 dark, 255 light


class QRSpec(BoxSpec):
    kind: Literal["qr"]
    value_field: ClassVar[Optional[str]] = "content"
    content: Template
    error_correction: Literal["L", "M", "Q", "H"] = "M"
    quiet_zone: int = Field(default=4, ge=0, le=10)  # modules of white around the code
    color: Color = "#000000"
    max_version: int = Field(default=10, ge=1, le=40)  # refuse codes too dense to scan at this size
    optional: bool = False  # empty content leaves the code out without a warning


_LEVELS = "HQML"  # error correction, most redundant first


def qr_modules(content: str, level: str, max_version: int) -> tuple[str, ...]:
    """The code's module rows ("1" dark). zxing-cpp's encoder (C++, and already the reader formgen
    verifies certificates with) takes a fraction of a millisecond where a pure-Python one takes several:
    for a thousand cards that is seconds. Text is stored as UTF-8 without an ECI header, as phone
    scanners expect; the encoder picks the smallest version and the mask of least penalty. Content too
    long for the largest version allowed at the layout's error correction (a certificate for a branch with
    a 30-character name) takes a lower one, down to L, where that keeps the modules as large."""
    import zxingcpp  # a compiled module: loaded by the first code, not by every command

    size = len(content.encode("utf-8"))
    version = 0
    for lower in _LEVELS[_LEVELS.index(level):]:
        try:
            code = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode, ec_level=lower)
        except ValueError:
            raise ElementFailed(f"二维码内容太长（{size} 字节），任何二维码都容纳不下") from None
        image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
        count = image.shape[0]
        if lower == level:
            version = (count - 17) // 4  # the one named in the error
        if (count - 17) // 4 <= max_version:
            digits = image.tobytes().translate(_DIGITS).decode("ascii")
            return tuple(digits[row * count:(row + 1) * count] for row in range(count))
    raise ElementFailed(
        f"二维码内容太长（{size} 字节）：需要第 {version} 版二维码，超过 {max_version}，在此尺寸下过密，扫不出来"
    )


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
