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


class _DrawingMLPen(BasePen):
    """Collects one glyph's contours as DrawingML path commands, placed and scaled on the page."""

    def __init__(self, glyph_set, transform):
        super().__init__(glyph_set)
        self.transform = transform
        self.commands: list[str] = []

    def _pt(self, point) -> str:
        x, y = self.transform(point)
        return f'<a:pt x="{round(x)}" y="{round(y)}"/>'

    def _moveTo(self, pt):
        self.commands.append(f"<a:moveTo>{self._pt(pt)}</a:moveTo>")

    def _lineTo(self, pt):
        self.commands.append(f"<a:lnTo>{self._pt(pt)}</a:lnTo>")

    def _curveToOne(self, pt1, pt2, pt3):
        self.commands.append(f"<a:cubicBezTo>{self._pt(pt1)}{self._pt(pt2)}{self._pt(pt3)}</a:cubicBezTo>")

    def _qCurveToOne(self, pt1, pt2):
        self.commands.append(f"<a:quadBezTo>{self._pt(pt1)}{self._pt(pt2)}</a:quadBezTo>")

    def _closePath(self):
        self.commands.append("<a:close/>")


class OutlineSource:
    """Open fonts for outline drawing, kept for one document and closed afterwards."""

    def __init__(self, book: FontBook):
        self.book = book
        self._fonts: dict[str, TTFont] = {}

    def font(self, face: str) -> TTFont:
        if face not in self._fonts:
            self._fonts[face] = TTFont(str(self.book.face(face).path), lazy=True)
        return self._fonts[face]

    def close(self) -> None:
        for font in self._fonts.values():
            font.close()
        self._fonts.clear()

    def geometry(self, item: Text) -> str:
        """A custGeom drawing the item's glyphs in its box, turned by the item's rotation."""
        width = round(item.box.w * UNITS_PER_POINT)
        height = round(item.box.h * UNITS_PER_POINT)
        turned = item.rotation % 360 == 180
        commands: list[str] = []
        for line in item.lines:
            for run in line.runs:
                font = self.font(run.face)
                glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()
                scale = item.size / font["head"].unitsPerEm
                advances = font["hmtx"].metrics
                x = line.x + run.x
                for char in run.text:
                    glyph = cmap.get(ord(char))
                    if glyph is None:
                        continue

                    def place(point, x=x, baseline=line.baseline):
                        px = (x + point[0] * scale) * UNITS_PER_POINT
                        py = (baseline - point[1] * scale) * UNITS_PER_POINT
                        return (width - px, height - py) if turned else (px, py)

                    pen = _DrawingMLPen(glyph_set, place)
                    glyph_set[glyph].draw(pen)
                    commands += pen.commands
                    x += advances[glyph][0] * scale + line.char_space
        return ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
                f'<a:pathLst><a:path w="{width}" h="{height}">{"".join(commands)}</a:path></a:pathLst></a:custGeom>')
