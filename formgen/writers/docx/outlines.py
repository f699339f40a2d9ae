"""Glyph outlines of the font book's faces, in ems with y up, for drawing text as shapes.

TrueType's quadratic curves are turned into cubic ones (exactly: a quadratic is a cubic with
control points two thirds of the way to its off-curve point), since EMF paths know only cubics.
"""
from __future__ import annotations

from typing import Union

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from formgen.fonts import FontBook

Point = tuple[float, float]
# ("M", p) move, ("L", p) line, ("C", c1, c2, p) cubic curve, ("Z",) close
Segment = Union[tuple[str, Point], tuple[str, Point, Point, Point], tuple[str]]
Outline = tuple[Segment, ...]


class _Recorder(BasePen):
    """Records a glyph's contours as moves, lines and cubic curves, scaled to ems."""

    def __init__(self, glyph_set, scale: float):
        super().__init__(glyph_set)
        self.scale = scale
        self.segments: list[Segment] = []

    def _p(self, point) -> Point:
        return point[0] * self.scale, point[1] * self.scale

    def _moveTo(self, p):
        self.segments.append(("M", self._p(p)))

    def _lineTo(self, p):
        self.segments.append(("L", self._p(p)))

    def _curveToOne(self, c1, c2, p):
        self.segments.append(("C", self._p(c1), self._p(c2), self._p(p)))

    def _closePath(self):
        self.segments.append(("Z",))

    _endPath = _closePath  # an open contour is filled as if closed


class GlyphOutlines:
    """The outline of any character of any face, read once per face and cached per character."""

    def __init__(self, book: FontBook):
        self.book = book
        self._fonts: dict[str, tuple[dict, object, float]] = {}
        self._files: list[TTFont] = []
        self._orders: dict[str, list[str]] = {}
        self._outlines: dict[tuple[str, str], Outline] = {}

    def close(self) -> None:
        """Closes the font files read (glyphs are read from them as needed)."""
        for font in self._files:
            font.close()
        self._files.clear()
        self._fonts.clear()

    def _font(self, face: str):
        loaded = self._fonts.get(face)
        if loaded is None:
            entry = self.book.face(face)
            font = TTFont(str(entry.path), fontNumber=entry.index, lazy=True)
            self._files.append(font)
            self._orders[face] = font.getGlyphOrder()
            loaded = self._fonts[face] = (font.getBestCmap(), font.getGlyphSet(), 1 / font["head"].unitsPerEm)
        return loaded

    def glyph_outline(self, face: str, glyph_id: int) -> Outline:
        """The outline of a glyph by its id (shaped text names glyphs, not characters)."""
        key = (face, f"#{glyph_id}")
        found = self._outlines.get(key)
        if found is None:
            _, glyphs, scale = self._font(face)
            order = self._orders[face]
            found = ()
            if 0 <= glyph_id < len(order):
                recorder = _Recorder(glyphs, scale)
                glyphs[order[glyph_id]].draw(recorder)
                found = tuple(recorder.segments)
            self._outlines[key] = found
        return found

    def outline(self, face: str, char: str) -> Outline:
        key = (face, char)
        found = self._outlines.get(key)
        if found is None:
            cmap, glyphs, scale = self._font(face)
            name = cmap.get(ord(char))
            if name is None:  # the composer never hands a writer an uncovered character; the last guard
                found = ()
            else:
                recorder = _Recorder(glyphs, scale)
                glyphs[name].draw(recorder)
                found = tuple(recorder.segments)
            self._outlines[key] = found
        return found
