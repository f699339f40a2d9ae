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

A run's figures never overlap: a renderer filling by the even-odd rule (LibreOffice does, whatever
the metafile asks) would show holes where they cross. Each glyph's own strokes are merged as it is read
(outlines.py), and glyphs that reach into their neighbours (a row of ＿ for a line to write on) are
merged with them (glyph_figures.py); each glyph is prepared once per size for the whole document.

Units: the metafile's reference device has one pixel per hundredth of a millimetre, and the mapping
mode is MM_TEXT, so logical units are 0.01 mm. Points are rounded once from absolute positions, so
rounding never accumulates along a line; 16-bit point records are used where every coordinate fits.
"""
from __future__ import annotations

import struct
from operator import add, itemgetter
from typing import Callable, Iterable

from formgen.document import Text
from formgen.writers.docx.glyph_figures import UNITS_PER_POINT, Figures, TurnedGlyphs
from formgen.writers.docx.outlines import Outline

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

    def __init__(self, bounds: tuple[int, int, int, int], glyphs: TurnedGlyphs):
        self.bounds = struct.pack("<4i", *bounds)
        self._bounds = bounds
        self.short = max(abs(v) for v in bounds) <= INT16
        self.glyphs = glyphs
        self.chunks: list[bytes] = []  # records, several to a chunk
        self.count = 0  # records in the chunks

    def figures(self, figures: Figures, x: float, y: float) -> None:
        """Records figures placed at (x, y), each point rounded once from its place in the picture."""
        layout, pick, constants, records = self.glyphs.derived(figures, self.short, _records_layout)
        coords = figures.coords
        values = list(map(float.__round__, map(add, coords, (x, y) * (len(coords) // 2))))
        values += self._bounds
        values += constants
        self.chunks.append(layout.pack(*pick(values)))
        self.count += records

    def path(self, fill_record: bytes) -> tuple[bytes, int]:
        """The gathered figures as one path, filled (and stroked) by fill_record, and its record count;
        starts anew."""
        path = b"".join([_record(EMR_BEGINPATH), *self.chunks, _record(EMR_ENDPATH), fill_record])
        count = self.count + 3
        self.chunks, self.count = [], 0
        return path, count


def _records_layout(figures: Figures, short: bool) -> tuple[struct.Struct, Callable, tuple[int, ...], int]:
    """How a glyph's figures become records, worked out once per glyph, so that drawing it is one
    rounding of its points and one packing: (the records' binary layout, a pick of the values it
    packs from [the rounded coordinates …, the picture's bounds …, constants …], the constants, the
    record count). Each contour is a move, its lines and curves in as few records as they allow (16-bit
    points where the picture's coordinates fit) and a close."""
    point, size = ("h", 4) if short else ("i", 8)
    lines, beziers = (EMR_POLYLINETO16, EMR_POLYBEZIERTO16) if short else (EMR_POLYLINETO, EMR_POLYBEZIERTO)
    bounds = len(figures.coords)  # where the picture's bounds follow the coordinates among the values
    constants: list[int] = []

    def constant(value: int) -> int:
        constants.append(value)
        return bounds + 4 + len(constants) - 1

    layout, picked = ["<"], []
    records = 0

    def poly(kind: int, points: list[int]) -> None:
        """One record of points (their indices among the coordinates)."""
        nonlocal records
        layout.append(f"II4iI{2 * len(points)}{point}")
        picked.extend((constant(kind), constant(28 + size * len(points)), *range(bounds, bounds + 4),
                       constant(len(points)), *(i for p in points for i in (2 * p, 2 * p + 1))))
        records += 1

    def runs(contour: list[tuple[str, int, int]]) -> None:
        """A contour's lines and curves: each run a record, or all of them one record of curves (a line
        drawn as a curve whose control points are its ends) where that takes fewer bytes — glyph
        outlines alternate short runs of each, and a record's framing is 28 bytes."""
        as_runs = sum(28 + size * count for _, _, count in contour)
        curves: list[int] = []
        for kind, first, count in contour:
            if kind == "C":
                curves += range(first, first + count)
            else:
                for p in range(first, first + count):
                    curves += (p - 1, p, p)
        if len(contour) > 1 and 28 + size * len(curves) < as_runs:
            poly(beziers, curves)
        else:
            for kind, first, count in contour:
                poly(beziers if kind == "C" else lines, list(range(first, first + count)))

    contour: list[tuple[str, int, int]] = []
    for kind, first, count in figures.parts:
        if kind in ("L", "C"):
            contour.append((kind, first, count))
            continue
        if contour:
            runs(contour)
            contour = []
        if kind == "M":
            layout.append("II2i")
            picked += (constant(EMR_MOVETOEX), constant(16), 2 * first, 2 * first + 1)
        else:  # "Z"
            layout.append("II")
            picked += (constant(EMR_CLOSEFIGURE), constant(8))
        records += 1
    if contour:
        runs(contour)
    return struct.Struct("".join(layout)), itemgetter(*picked), tuple(constants), records


# One run to draw: its glyphs as (outline in ems, pen x, baseline y) in points within the unturned box,
# and whether to embolden it.
GlyphPlacement = tuple[Outline, float, float]


def turned_text_emf(item: Text, outline_of: Callable[[str, str], Outline], advance_of: Callable[[str, str], float],
                    margins: tuple[float, float, float, float], glyphs: TurnedGlyphs | None = None) -> bytes:
    """An EMF covering the item's box grown by margins (left, top, right, bottom; so that no renderer
    clips a glyph that reaches past the box) that draws the item's lines turned 180° about the box
    centre, as filled glyph outlines.

    outline_of(face, char) gives a character's outline in ems (y up), its contours not overlapping
    (outlines.py), the same object for the same glyph; advance_of(face, char) its advance in points at
    the item's size, without char spacing. glyphs keeps the glyphs prepared for the whole document.
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
    return turned_glyphs_emf(item.box.w, item.box.h, margins, item.color, item.size, runs, glyphs)


def turned_glyphs_emf(width_pt: float, height_pt: float, margins: tuple[float, float, float, float], color: str,
                      size: float, runs: Iterable[tuple[list[GlyphPlacement], bool]],
                      glyphs: TurnedGlyphs | None = None) -> bytes:
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
    glyphs = TurnedGlyphs() if glyphs is None else glyphs
    writer = _PathWriter(bounds, glyphs)
    packed = 0  # records beyond the first of each item of records (a path's are packed together)
    for placed, embolden in runs:
        origins = ((glyphs.figures(outline, size), (far_x - x) * UNITS_PER_POINT,
                    (far_y - baseline) * UNITS_PER_POINT) for outline, x, baseline in placed)
        for figures, x, y in glyphs.unoverlapped(origins):
            writer.figures(figures, x, y)
        if not writer.count:
            continue  # spaces only
        if embolden:
            if not bold_pen:
                handles += 1
                bold_pen = handles
                stroke = _units(size * FAKE_BOLD_STROKE)
                records.append(_record(EMR_CREATEPEN, struct.pack("<3Ii", bold_pen, PS_SOLID, stroke, 0)
                                       + struct.pack("<I", _colorref(color))))
            path, count = writer.path(_record(EMR_STROKEANDFILLPATH, writer.bounds))
            path = b"".join([_record(EMR_SELECTOBJECT, struct.pack("<I", bold_pen)), path,
                             _record(EMR_SELECTOBJECT, struct.pack("<I", NULL_PEN))])
            count += 2
        else:
            path, count = writer.path(_record(EMR_FILLPATH, writer.bounds))
        records.append(path)
        packed += count - 1
    for handle in range(1, handles + 1):
        records.append(_record(EMR_DELETEOBJECT, struct.pack("<I", handle)))
    records.append(_record(EMR_EOF, struct.pack("<III", 0, 16, 20)))
    body = b"".join(records)
    # A nominal A4 reference device: only its ratio of pixels to millimetres (100 : 1) matters.
    device_mm = (210, 297)
    header = _record(EMR_HEADER, struct.pack(
        "<4i4iIIIIHHIII2i2iIII2i", *bounds, *bounds, 0x464D4520, 0x10000, HEADER_SIZE + len(body),
        len(records) + packed + 1, handles + 1, 0, 0, 0, 0, device_mm[0] * 100, device_mm[1] * 100, *device_mm,
        0, 0, 0, device_mm[0] * 1000, device_mm[1] * 1000))
    return header + body
