"""Turned text as an EMF picture holding real text records, for the DOCX writer.

Word processors do not turn the text of a text box upside down reliably (LibreOffice keeps it
upright), yet the back face of a folded desk card must be. An enhanced metafile can say it: each
composed run is one EXTTEXTOUTW record in a font turned 180° (escapement 1800), placed at the run's
baseline origin with the composer's advance for every character. LibreOffice draws it as text in the
document's embedded font, with the same glyphs and weight as the PDF, and it stays searchable text in
a PDF made from the document.

Units: the metafile's reference device has one pixel per hundredth of a millimetre, and the mapping
mode is MM_TEXT, so logical units are 0.01 mm. Positions are rounded once from absolute values, so
rounding never accumulates along a line.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from formgen.document import Text

UNITS_PER_POINT = 2540 / 72  # hundredths of a millimetre per point

EMR_HEADER = 1
EMR_EOF = 14
EMR_SETMAPMODE = 17
EMR_SETBKMODE = 18
EMR_SETTEXTALIGN = 22
EMR_SETTEXTCOLOR = 24
EMR_SELECTOBJECT = 37
EMR_DELETEOBJECT = 40
EMR_EXTCREATEFONTINDIRECTW = 82
EMR_EXTTEXTOUTW = 84

MM_TEXT = 1
TRANSPARENT = 1
TA_BASELINE = 24
GM_COMPATIBLE = 1
DEFAULT_CHARSET = 1
FW_NORMAL, FW_BOLD = 400, 700
HEADER_SIZE = 108  # EMR_HEADER with both extensions (pixel format, micrometres)


@dataclass(frozen=True)
class FontChoice:
    family: str
    bold: bool


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<II", kind, 8 + len(body)) + body


def _units(points: float) -> int:
    return round(points * UNITS_PER_POINT)


def _colorref(color: str) -> int:
    value = color.lstrip("#")
    red, green, blue = int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    return red | green << 8 | blue << 16


def _font(handle: int, font: FontChoice, size: float, escapement: int) -> bytes:
    face = font.family.encode("utf-16-le")[:62].ljust(64, b"\0")
    logfont = struct.pack("<iiiii8B", -_units(size), 0, escapement, escapement,
                          FW_BOLD if font.bold else FW_NORMAL, 0, 0, 0, DEFAULT_CHARSET, 0, 0, 0, 0) + face
    return _record(EMR_EXTCREATEFONTINDIRECTW, struct.pack("<I", handle) + logfont)


def _text_out(x: int, y: int, text: str, advances: list[int], bounds: tuple[int, int, int, int]) -> bytes:
    """One EXTTEXTOUTW: the string in UTF-16 with an advance per code unit."""
    encoded = text.encode("utf-16-le")
    units = len(encoded) // 2
    string_offset = 8 + 16 + 12 + 40  # record header, bounds, graphics mode and scales, EMRTEXT
    padded = encoded + b"\0" * (-len(encoded) % 4)
    dx_offset = string_offset + len(padded)
    # In GM_COMPATIBLE mode the scales give hundredths of a millimetre per logical unit: 1 here, as
    # GDI itself would record them for this reference device.
    body = (struct.pack("<4i", *bounds) + struct.pack("<Iff", GM_COMPATIBLE, 1.0, 1.0)
            + struct.pack("<iiIII4iI", x, y, units, string_offset, 0, 0, 0, -1, -1, dx_offset)
            + padded + struct.pack(f"<{units}i", *advances))
    return _record(EMR_EXTTEXTOUTW, body)


def _code_unit_advances(text: str, positions: list[int]) -> list[int]:
    """Advances per UTF-16 code unit from each character's absolute start (plus the end)."""
    advances = []
    for index, char in enumerate(text):
        advance = positions[index + 1] - positions[index]
        advances.append(advance)
        if ord(char) > 0xFFFF:
            advances.append(0)  # the low surrogate adds no advance of its own
    return advances


def turned_text_emf(item: Text, choose, advance_of, margin: float) -> bytes:
    """An EMF covering the item's box grown by margin on every side (so that no renderer clips a
    glyph that reaches past the box) that draws the item's lines turned 180° about the box centre.

    choose(run) gives the FontChoice a run is written with; advance_of(face, char) gives a
    character's advance in points at the item's size, without char spacing.
    """
    if item.rotation % 360 != 180:
        raise ValueError("only text turned 180° is drawn as a metafile")
    width, height = _units(item.box.w + 2 * margin), _units(item.box.h + 2 * margin)
    # In the turned picture, a point (x, y) of the unturned box lands at (far_x - x, far_y - y).
    far_x, far_y = item.box.w + margin, item.box.h + margin
    bounds = (0, 0, width - 1, height - 1)
    records = [_record(EMR_SETMAPMODE, struct.pack("<I", MM_TEXT)),
               _record(EMR_SETBKMODE, struct.pack("<I", TRANSPARENT)),
               _record(EMR_SETTEXTALIGN, struct.pack("<I", TA_BASELINE)),
               _record(EMR_SETTEXTCOLOR, struct.pack("<I", _colorref(item.color)))]
    handles: dict[FontChoice, int] = {}
    selected = None
    for line in item.lines:
        for run in line.runs:
            if not run.text:
                continue
            font = choose(run)
            if font not in handles:
                handles[font] = len(handles) + 1
                records.append(_font(handles[font], font, item.size, 1800))
            if selected != font:
                records.append(_record(EMR_SELECTOBJECT, struct.pack("<I", handles[font])))
                selected = font
            # Each character's start in the unturned box, then turned: the run starts at its far end
            # and runs right to left. Rounding absolute positions keeps errors from adding up.
            edges, position = [], line.x + run.x
            for char in run.text:
                edges.append(position)
                position += advance_of(run.face, char) + line.char_space
            edges.append(position)
            turned = [_units(far_x - edge) for edge in edges]
            starts = [turned[0] - t for t in turned]
            records.append(_text_out(turned[0], _units(far_y - line.baseline), run.text,
                                     _code_unit_advances(run.text, starts), bounds))
    for handle in handles.values():
        records.append(_record(EMR_DELETEOBJECT, struct.pack("<I", handle)))
    records.append(_record(EMR_EOF, struct.pack("<III", 0, 16, 20)))
    body = b"".join(records)
    # A nominal A4 reference device: only its ratio of pixels to millimetres (100 : 1) matters.
    device_mm = (210, 297)
    header = _record(EMR_HEADER, struct.pack(
        "<4i4iIIIIHHIII2i2iIII2i", *bounds, *bounds, 0x464D4520, 0x10000, HEADER_SIZE + len(body),
        len(records) + 1, len(handles) + 1, 0, 0, 0, 0, device_mm[0] * 100, device_mm[1] * 100, *device_mm,
        0, 0, 0, device_mm[0] * 1000, device_mm[1] * 1000))
    return header + body
