"""Glyph outlines of the font book's faces, in ems with y up, for drawing text as shapes.

Each glyph's contours are merged once, as it is read (Skia's path operations, in font units, as
fontTools' removeOverlaps does): CJK glyphs are often drawn as overlapping strokes, which a renderer
filling by the even-odd rule (LibreOffice does, whatever a metafile asks) would show with holes where
they cross. Merged, a glyph fills the same by either rule.

EMF paths know only cubic curves. TrueType's quadratic ones come from fonts converted from cubic
outlines, each cubic split into several quadratics; each run of them is drawn by as few cubics as stay
within a thousandth of an em of it (fontTools' qu2cu), which takes a quarter to two fifths fewer
points than turning every quadratic into a cubic of its own.
"""
from __future__ import annotations

from typing import Union

import pathops
import uharfbuzz as hb

from formgen.fonts import FontBook

Point = tuple[float, float]
# How far (in ems) a glyph's drawn outline may stray from the font's: a thousandth of an em is 0.008 mm
# at 22 pt, a fifth of a printer dot at 600 dpi.
OUTLINE_TOLERANCE = 0.001
# ("M", p) move, ("L", p) line, ("C", c1, c2, p) cubic curve, ("Z",) close
Segment = Union[tuple[str, Point], tuple[str, Point, Point, Point], tuple[str]]
Outline = tuple[Segment, ...]

_MOVE, _LINE, _QUAD, _CUBIC, _CLOSE = (pathops.PathVerb.MOVE, pathops.PathVerb.LINE, pathops.PathVerb.QUAD,
                                       pathops.PathVerb.CUBIC, pathops.PathVerb.CLOSE)


def merged(path: "pathops.Path") -> "pathops.Path":
    """path with its overlapping contours merged into one outline (in place), filling the same by the
    non-zero and the even-odd rule; left as it was where Skia cannot merge it."""
    try:
        path.simplify(fix_winding=True, keep_starting_points=False)
    except pathops.PathOpsError:
        pass  # filled as drawn: the non-zero rule still fills it right
    return path


def outline_of_path(path: "pathops.Path", scale: float = 1.0, tolerance: float = 0.0) -> Outline:
    """A path's contours (no conics: pens and path operations on glyphs make none) as moves, lines and
    cubic curves, scaled; every contour closed. With a tolerance (in the path's units), each run of
    quadratic curves is drawn by as few cubic ones as stay within it of the run."""
    segments: list[Segment] = []
    points = iter(path.points)
    start = last = (0.0, 0.0)
    is_open = False
    quads: list[tuple[Point, Point, Point]] = []  # the run of quadratics not yet written, unscaled

    def write_quads() -> None:
        for curve in _fewer_cubics(quads, tolerance):
            (x0, y0), (ax, ay), (bx, by), (x, y) = curve
            segments.append(("C", (ax * scale, ay * scale), (bx * scale, by * scale), (x * scale, y * scale)))
        quads.clear()

    for verb in path.verbs:
        if quads and verb != _QUAD:
            write_quads()
        if verb == _QUAD and tolerance > 0:
            (qx, qy), end = next(points), next(points)
            begin = quads[-1][2] if quads else (last[0] / scale, last[1] / scale)
            quads.append((begin, (qx, qy), end))
            last = (end[0] * scale, end[1] * scale)
            continue
        if verb == _MOVE:
            if is_open:
                segments.append(("Z",))
            x, y = next(points)
            start = last = (x * scale, y * scale)
            segments.append(("M", start))
            is_open = True
        elif verb == _LINE:
            x, y = next(points)
            last = (x * scale, y * scale)
            segments.append(("L", last))
        elif verb == _QUAD:
            (qx, qy), (x, y) = next(points), next(points)
            qx, qy, end = qx * scale, qy * scale, (x * scale, y * scale)
            segments.append(("C", (last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1])),
                             (end[0] + 2 / 3 * (qx - end[0]), end[1] + 2 / 3 * (qy - end[1])), end))
            last = end
        elif verb == _CUBIC:
            (ax, ay), (bx, by), (x, y) = next(points), next(points), next(points)
            last = (x * scale, y * scale)
            segments.append(("C", (ax * scale, ay * scale), (bx * scale, by * scale), last))
        elif verb == _CLOSE:
            if is_open:
                segments.append(("Z",))
            is_open, last = False, start
    if quads:
        write_quads()
    if is_open:
        segments.append(("Z",))  # an open contour is filled as if closed
    return tuple(segments)


def _fewer_cubics(quads: list[tuple[Point, Point, Point]], tolerance: float) -> list[tuple[Point, ...]]:
    """A run of connected quadratic curves as cubic curves (start, control, control, end), as few as
    stay within tolerance of the run: fontTools' qu2cu joins the pieces a font's converter split one
    cubic into. A quadratic is a cubic with control points two thirds of the way to its off-curve point."""
    from fontTools.qu2cu import quadratic_to_curves

    return quadratic_to_curves([list(q) for q in quads], tolerance, all_cubic=True)


class GlyphOutlines:
    """The merged outline of any character of any face, cached per glyph. Faces are read by HarfBuzz,
    which maps a font file and reads only the glyphs drawn (fontTools would decode the whole character
    map, glyph order and metrics of a CJK face first, for each document)."""

    def __init__(self, book: FontBook):
        self.book = book
        self._fonts: dict[str, tuple["hb.Font", float]] = {}
        self._outlines: dict[tuple[str, int], Outline] = {}  # (face, glyph id) → outline
        self._glyph_ids: dict[tuple[str, str], int] = {}  # (face, character) → glyph id; 0: none

    def close(self) -> None:
        """Lets go of the font files read."""
        self._fonts.clear()

    def _font(self, face: str) -> tuple["hb.Font", float]:
        loaded = self._fonts.get(face)
        if loaded is None:
            entry = self.book.face(face)
            hb_face = hb.Face(hb.Blob.from_file_path(str(entry.path)), entry.index)
            loaded = self._fonts[face] = (hb.Font(hb_face), 1 / hb_face.upem)  # scale: font units
        return loaded

    def glyph_outline(self, face: str, glyph_id: int) -> Outline:
        """The outline of a glyph by its id (shaped text names glyphs, not characters)."""
        key = (face, glyph_id)
        found = self._outlines.get(key)
        if found is None:
            font, scale = self._font(face)
            found = ()
            if 0 <= glyph_id < font.face.glyph_count:
                path = pathops.Path()
                font.draw_glyph_with_pen(glyph_id, path.getPen())
                found = outline_of_path(merged(path), scale, OUTLINE_TOLERANCE / scale)
            self._outlines[key] = found
        return found

    def outline(self, face: str, char: str) -> Outline:
        key = (face, char)
        glyph_id = self._glyph_ids.get(key)
        if glyph_id is None:
            glyph_id = self._glyph_ids[key] = self._font(face)[0].get_nominal_glyph(ord(char)) or 0
        if not glyph_id:  # the composer never hands a writer an uncovered character; the last guard
            return ()
        return self.glyph_outline(face, glyph_id)
