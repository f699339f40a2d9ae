"""Turned text as an EMF picture of glyph outlines, for the DOCX writer.

Word processors do not turn the text of a text box upside down reliably (LibreOffice keeps it
upright), yet the back face of a folded desk card must be. An enhanced metafile can draw it turned:
each composed run is one filled path of its glyphs' outlines, taken from the same faces as the PDF,
placed at the run's baseline origin with the composer's advance for every character, turned 180°.

Outlines rather than text records: Word plays a metafile through GDI, which draws text only in fonts
installed on the PC, never in those embedded in the document; a clerk's PC without LXGW WenKai or
Noto Serif SC would print the back face in another font, or as boxes for a rare character. Paths need
no font at all, so the back face prints the same everywhere. What it costs: the turned text is a
picture, neither editable nor searchable (its text is the picture's description, for screen readers).

Each run's glyphs are merged into one outline first (Skia's path operations, as fontTools'
removeOverlaps does): CJK glyphs are often drawn as overlapping strokes, and neighbouring glyphs
can overlap (a row of ＿ for a line to write on), which a renderer filling by the even-odd rule
(LibreOffice does, whatever the metafile asks) would show with holes where they cross. Merged, the
outline fills the same by either rule.

Units: the metafile's reference device has one pixel per hundredth of a millimetre, and the mapping
mode is MM_TEXT, so logical units are 0.01 mm. Points are rounded once from absolute positions, so
rounding never accumulates along a line; 16-bit point records are used where every coordinate fits.
"""
from __future__ import annotations

import struct
from typing import Callable, Iterable

import pathops
from fontTools.pens.basePen import BasePen

from formgen.document import Text
from formgen.writers.docx.outlines import Outline

UNITS_PER_POINT = 2540 / 72  # hundredths of a millimetre per point
# A face without bold is emboldened by stroking its outline as wide as this share of the size, as the
# PDF writer does.
FAKE_BOLD_STROKE = 1 / 30

EMR_HEADER = 1
EMR_POLYBEZIERTO = 5
EMR_POLYLINETO = 6
EMR_EOF = 14
EMR_SETMAPMODE = 17
EMR_SETPOLYFILLMODE = 19
EMR_MOVETOEX = 27
EMR_SELECTOBJECT = 37
EMR_CREATEPEN = 38
EMR_CREATEBRUSHINDIRECT = 39
EMR_DELETEOBJECT = 40
EMR_BEGINPATH = 59
EMR_ENDPATH = 60
EMR_CLOSEFIGURE = 61
EMR_FILLPATH = 62
EMR_STROKEANDFILLPATH = 63
EMR_POLYBEZIERTO16 = 88
EMR_POLYLINETO16 = 89

MM_TEXT = 1
WINDING = 2  # TrueType contours fill by the non-zero winding rule
BS_SOLID = 0
PS_SOLID = 0
NULL_PEN = 0x80000008  # a stock object: filled paths get no outline
HEADER_SIZE = 108  # EMR_HEADER with both extensions (pixel format, micrometres)
INT16 = 32767


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<II", kind, 8 + len(body)) + body


def _units(points: float) -> int:
    return round(points * UNITS_PER_POINT)


def _colorref(color: str) -> int:
    value = color.lstrip("#")
    red, green, blue = int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    return red | green << 8 | blue << 16


class _PathWriter:
    """Path records for a picture whose coordinates all lie within bounds."""

    def __init__(self, bounds: tuple[int, int, int, int]):
        self.bounds = struct.pack("<4i", *bounds)
        self.short = max(abs(v) for v in bounds) <= INT16
        self.records: list[bytes] = []
        self._kind: str | None = None  # the kind of the points being gathered: "L" or "C"
        self._points: list[tuple[int, int]] = []

    def _flush(self) -> None:
        if self._points:
            if self.short:
                kind = EMR_POLYLINETO16 if self._kind == "L" else EMR_POLYBEZIERTO16
                packed = struct.pack(f"<{2 * len(self._points)}h", *(v for p in self._points for v in p))
            else:
                kind = EMR_POLYLINETO if self._kind == "L" else EMR_POLYBEZIERTO
                packed = struct.pack(f"<{2 * len(self._points)}i", *(v for p in self._points for v in p))
            self.records.append(_record(kind, self.bounds + struct.pack("<I", len(self._points)) + packed))
        self._kind, self._points = None, []

    def move(self, point: tuple[int, int]) -> None:
        self._flush()
        self.records.append(_record(EMR_MOVETOEX, struct.pack("<2i", *point)))

    def add(self, kind: str, points: Iterable[tuple[int, int]]) -> None:
        if kind != self._kind:
            self._flush()
            self._kind = kind
        self._points.extend(points)

    def close(self) -> None:
        self._flush()
        self.records.append(_record(EMR_CLOSEFIGURE))

    def path(self, fill_record: bytes) -> list[bytes]:
        """The gathered figures as one path, filled (and stroked) by fill_record; starts anew."""
        self._flush()
        records = [_record(EMR_BEGINPATH), *self.records, _record(EMR_ENDPATH), fill_record]
        self.records = []
        return records


# One run to draw: its glyphs as (outline in ems, pen x, baseline y) in points within the unturned box,
# and whether to embolden it.
GlyphPlacement = tuple[Outline, float, float]


def turned_text_emf(item: Text, outline_of: Callable[[str, str], Outline], advance_of: Callable[[str, str], float],
                    margins: tuple[float, float, float, float]) -> bytes:
    """An EMF covering the item's box grown by margins (left, top, right, bottom; so that no renderer
    clips a glyph that reaches past the box) that draws the item's lines turned 180° about the box
    centre, as filled glyph outlines.

    outline_of(face, char) gives a character's outline in ems (y up); advance_of(face, char) its
    advance in points at the item's size, without char spacing.
    """
    if item.rotation % 360 != 180:
        raise ValueError("only text turned 180° is drawn as a metafile")
    runs = []
    for line in item.lines:
        for run in line.runs:
            placed, position = [], line.x + run.x
            for char in run.text:
                placed.append((outline_of(run.face, char), position, line.baseline))
                position += advance_of(run.face, char) + line.char_space
            runs.append((placed, run.fake_bold))
    return turned_glyphs_emf(item.box.w, item.box.h, margins, item.color, item.size, runs)


def turned_glyphs_emf(width_pt: float, height_pt: float, margins: tuple[float, float, float, float], color: str,
                      size: float, runs: Iterable[tuple[list[GlyphPlacement], bool]]) -> bytes:
    """The metafile of glyphs placed in a width × height box (points), turned 180° about its centre:
    each run one filled path (stroked as well where it is to be emboldened); see turned_text_emf."""
    left, top, right, bottom = margins
    width, height = _units(width_pt + left + right), _units(height_pt + top + bottom)
    # In the turned picture, a point (x, y) of the unturned box lands at (far_x - x, far_y - y).
    far_x, far_y = width_pt + left, height_pt + top
    bounds = (0, 0, width - 1, height - 1)
    records = [_record(EMR_SETMAPMODE, struct.pack("<I", MM_TEXT)),
               _record(EMR_SETPOLYFILLMODE, struct.pack("<I", WINDING)),
               _record(EMR_CREATEBRUSHINDIRECT, struct.pack("<4I", 1, BS_SOLID, _colorref(color), 0)),
               _record(EMR_SELECTOBJECT, struct.pack("<I", 1)),
               _record(EMR_SELECTOBJECT, struct.pack("<I", NULL_PEN))]
    handles = 1
    bold_pen = 0
    writer = _PathWriter(bounds)
    for placed, embolden in runs:
        merged = pathops.Path()
        for outline, x, baseline in placed:
            _glyph(merged, outline, far_x - x, far_y - baseline, size)
        merged.simplify(fix_winding=True, keep_starting_points=False)
        merged.draw(_WriterPen(writer))
        if not writer.records:
            continue  # spaces only
        if embolden:
            if not bold_pen:
                handles += 1
                bold_pen = handles
                stroke = _units(size * FAKE_BOLD_STROKE)
                records.append(_record(EMR_CREATEPEN, struct.pack("<3Ii", bold_pen, PS_SOLID, stroke, 0)
                                       + struct.pack("<I", _colorref(color))))
            records.append(_record(EMR_SELECTOBJECT, struct.pack("<I", bold_pen)))
            records += writer.path(_record(EMR_STROKEANDFILLPATH, writer.bounds))
            records.append(_record(EMR_SELECTOBJECT, struct.pack("<I", NULL_PEN)))
        else:
            records += writer.path(_record(EMR_FILLPATH, writer.bounds))
    for handle in range(1, handles + 1):
        records.append(_record(EMR_DELETEOBJECT, struct.pack("<I", handle)))
    records.append(_record(EMR_EOF, struct.pack("<III", 0, 16, 20)))
    body = b"".join(records)
    # A nominal A4 reference device: only its ratio of pixels to millimetres (100 : 1) matters.
    device_mm = (210, 297)
    header = _record(EMR_HEADER, struct.pack(
        "<4i4iIIIIHHIII2i2iIII2i", *bounds, *bounds, 0x464D4520, 0x10000, HEADER_SIZE + len(body),
        len(records) + 1, handles + 1, 0, 0, 0, 0, device_mm[0] * 100, device_mm[1] * 100, *device_mm,
        0, 0, 0, device_mm[0] * 1000, device_mm[1] * 1000))
    return header + body


def _glyph(path: "pathops.Path", outline: Outline, origin_x: float, origin_y: float, size: float) -> None:
    """Adds one glyph's figures to path in hundredths of a millimetre, turned: its origin (pen
    position on the baseline) is at (origin_x, origin_y) points in the picture, and font x and y
    (up) both run backwards."""
    def point(p: tuple[float, float]) -> tuple[float, float]:
        return (origin_x - p[0] * size) * UNITS_PER_POINT, (origin_y + p[1] * size) * UNITS_PER_POINT

    for segment in outline:
        kind = segment[0]
        if kind == "M":
            path.moveTo(*point(segment[1]))
        elif kind == "L":
            path.lineTo(*point(segment[1]))
        elif kind == "C":
            path.cubicTo(*point(segment[1]), *point(segment[2]), *point(segment[3]))
        else:
            path.close()


class _WriterPen(BasePen):
    """Draws a merged outline into path records, rounding to whole units once."""

    def __init__(self, writer: _PathWriter):
        super().__init__(None)
        self.writer = writer

    def _moveTo(self, p):
        self.writer.move((round(p[0]), round(p[1])))

    def _lineTo(self, p):
        self.writer.add("L", [(round(p[0]), round(p[1]))])

    def _curveToOne(self, c1, c2, p):
        self.writer.add("C", [(round(x), round(y)) for x, y in (c1, c2, p)])

    def _closePath(self):
        self.writer.close()

    _endPath = _closePath
