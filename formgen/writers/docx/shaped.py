"""Shaped text (traditional Mongolian) in a DOCX: one single-line text box per composed line.

Word processors shape the script again from its Unicode text with the same font (embedded), so each
composed line becomes a text box of its own at the place the composer gave it, holding one paragraph
of one run. Vertical lines are `mongolianVert` boxes, one column each: LibreOffice lays `mongolianVert`
out like `vert` (columns right to left), so a box of several columns would come out in the wrong order,
and it ignores vertical text in table cells; single-column boxes placed left to right by the composer
render correctly in both. A vertical line turned 180° (a folded card's back) reads bottom to top with the
glyph tops to the left: that is `vert270`. The line box is as high as the font's own line (hhea), and
the baseline is put where LibreOffice puts it in such a line.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from formgen.document import GlyphRun, ShapedText
from formgen.units import Box

# Room beyond the composed length: another renderer's rounding must not break the line.
LENGTH_SLACK = 36.0


@dataclass(frozen=True)
class LineBox:
    """Where a line's text box goes on the page, and how its text is turned."""

    box: Box
    vert: str  # horz | mongolianVert | vert270
    line_height: float  # the paragraph's exact line height


@lru_cache(maxsize=None)
def line_metrics(path: Path, index: int = 0) -> tuple[float, float]:
    """(ascent, descent) in ems by which LibreOffice sizes a line of this face: measured on Noto Sans
    Mongolian, whose hhea metrics (1457/293) and Windows metrics (1642/388) differ, it is the latter:
    with hhea the columns came out half a millimetre off at 32 pt."""
    with open(path, "rb") as handle, TTFont(handle, lazy=True, fontNumber=index) as font:
        os2, units = font["OS/2"], font["head"].unitsPerEm
        return os2.usWinAscent / units, os2.usWinDescent / units


def line_box(item: ShapedText, run: GlyphRun, ascent: float, descent: float) -> LineBox:
    """The text box of one composed line; ascent and descent are the face's line metrics in ems."""
    line_height = (ascent + descent) * item.size
    baseline = ascent * item.size  # from the line's top, as LibreOffice places it in an exact line
    length = run.length + LENGTH_SLACK
    x0, y0 = item.box.x + run.x, item.box.y + run.y  # start of the baseline on the page
    turned = item.rotation % 360 == 180
    if item.vertical and not turned:
        # Turned clockwise: the line's top is the box's right edge, the baseline lies left of it.
        return LineBox(Box(x0 + baseline - line_height, y0, line_height, length), "mongolianVert", line_height)
    if item.vertical:
        # Turned 180° about the box centre: the line runs upwards from the turned start of its
        # baseline, glyph tops to the left, so the line's top is the box's left edge.
        cx, cy = item.box.center
        x1, y1 = 2 * cx - x0, 2 * cy - y0
        return LineBox(Box(x1 - baseline, y1 - length, line_height, length), "vert270", line_height)
    return LineBox(Box(x0, y0 - baseline, length, line_height), "horz", line_height)


def turned_line_emf(item: ShapedText, run: GlyphRun, outline_of,
                    margins: tuple[float, float, float, float], glyphs=None) -> tuple[Box, bytes]:
    """A horizontal line turned 180° as a metafile of its shaped glyphs' outlines (word processors keep
    text boxes upright, and a metafile's text would be drawn only in fonts installed on the PC: emf.py):
    each glyph where the composer shaped it. outline_of(face, glyph id) gives its outline in ems;
    margins (left, top, right, bottom) grow the picture beyond the box; glyphs (a TurnedGlyphs of
    glyph_figures.py) keeps the glyphs prepared for the document. Returns the picture's box on the page
    and the EMF."""
    from formgen.writers.docx import emf

    left, top, right, bottom = margins
    box = Box(item.box.x - left, item.box.y - top, item.box.w + left + right, item.box.h + top + bottom)
    placed, pen = [], run.x
    for glyph in run.glyphs:
        placed.append((outline_of(run.face, glyph.id), pen + glyph.dx, run.y - glyph.dy))
        pen += glyph.advance
    return box, emf.turned_glyphs_emf(item.box.w, item.box.h, margins, item.color, item.size, [(placed, False)],
                                      glyphs)
