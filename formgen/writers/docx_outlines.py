"""Text as glyph outlines in a DrawingML path: for the turned faces of folded cards in DOCX.

Word processors do not reliably turn a text box's text upside down (LibreOffice keeps it upright), so
turned text is drawn with the same font outlines the PDF uses, as one vector shape per text item.
"""
from __future__ import annotations

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from ..document import Text
from ..fonts import FontBook

UNITS_PER_POINT = 100  # path coordinates are integers: hundredths of a point


class _TemplatePen(BasePen):
    """Records a glyph's contours once: a DrawingML fragment with numbered slots for its coordinates."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.parts: list[str] = []
        self.points: list[tuple[float, float]] = []

    def _pts(self, *points) -> str:
        self.points.extend(points)
        return '<a:pt x="{}" y="{}"/>' * len(points)

    def _moveTo(self, pt):
        self.parts.append(f"<a:moveTo>{self._pts(pt)}</a:moveTo>")

    def _lineTo(self, pt):
        self.parts.append(f"<a:lnTo>{self._pts(pt)}</a:lnTo>")

    def _curveToOne(self, pt1, pt2, pt3):
        self.parts.append(f"<a:cubicBezTo>{self._pts(pt1, pt2, pt3)}</a:cubicBezTo>")

    def _qCurveToOne(self, pt1, pt2):
        self.parts.append(f"<a:quadBezTo>{self._pts(pt1, pt2)}</a:quadBezTo>")

    def _closePath(self):
        self.parts.append("<a:close/>")


class OutlineSource:
    """Glyph outlines for drawing, each glyph read once per document and the fonts closed afterwards."""

    def __init__(self, book: FontBook):
        self.book = book
        self._fonts: dict[str, TTFont] = {}
        self._glyphs: dict[tuple[str, str], tuple[str, list[tuple[float, float]], int]] = {}

    def font(self, face: str) -> TTFont:
        if face not in self._fonts:
            self._fonts[face] = TTFont(str(self.book.face(face).path), lazy=True)
        return self._fonts[face]

    def close(self) -> None:
        for font in self._fonts.values():
            font.close()
        self._fonts.clear()
        self._glyphs.clear()

    def glyph(self, face: str, char: str) -> tuple[str, list[tuple[float, float]], int] | None:
        """(template, points in font units, advance) of a character's glyph."""
        key = (face, char)
        if key not in self._glyphs:
            font = self.font(face)
            name = font.getBestCmap().get(ord(char))
            if name is None:
                return None
            pen = _TemplatePen(font.getGlyphSet())
            font.getGlyphSet()[name].draw(pen)
            self._glyphs[key] = ("".join(pen.parts), pen.points, font["hmtx"].metrics[name][0])
        return self._glyphs[key]

    def geometry(self, item: Text) -> str:
        """A custGeom drawing the item's glyphs in its box, turned by the item's rotation."""
        width = round(item.box.w * UNITS_PER_POINT)
        height = round(item.box.h * UNITS_PER_POINT)
        turned = item.rotation % 360 == 180
        commands: list[str] = []
        u = UNITS_PER_POINT
        for line in item.lines:
            for run in line.runs:
                scale = item.size / self.font(run.face)["head"].unitsPerEm
                x = line.x + run.x
                for char in run.text:
                    glyph = self.glyph(run.face, char)
                    if glyph is None:
                        continue
                    template, points, advance = glyph
                    ox, oy = x * u, line.baseline * u
                    k = scale * u
                    if turned:
                        values = [v for px, py in points
                                  for v in (round(width - ox - px * k), round(height - oy + py * k))]
                    else:
                        values = [v for px, py in points for v in (round(ox + px * k), round(oy - py * k))]
                    commands.append(template.format(*values))
                    x += advance * scale + line.char_space
        return ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
                f'<a:pathLst><a:path w="{width}" h="{height}">{"".join(commands)}</a:path></a:pathLst></a:custGeom>')
