"""OpenType shaping with HarfBuzz: a line of text becomes the glyphs a writer draws, and where."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from formgen.document import Glyph
from formgen.fonts import FontFace, UncoveredCharacter


@dataclass(frozen=True)
class ShapedLine:
    glyphs: tuple[Glyph, ...]
    length: float  # points: the sum of the advances


class FaceShaper:
    """Shapes text in one face, always horizontally (left to right, as Mongolian fonts are drawn).

    Vertical shaping is never asked for: HarfBuzz would then apply the font's `vert` feature, which gets
    Mongolian forms wrong (harfbuzz#3113). The composer turns the horizontal line instead.
    """

    def __init__(self, face: FontFace):
        # HarfBuzz is loaded by the first Mongolian text, not by every process that composes.
        import uharfbuzz as hb

        self.face = face
        with open(face.path, "rb") as handle:
            data = handle.read()
        self._hb_face = hb.Face(hb.Blob(data), face.index)
        self._font = hb.Font(self._hb_face)  # scale: font units (units per em)
        self.units_per_em = self._hb_face.upem

    def shape(self, text: str, size: float, script: Optional[str] = "Mong",
              language: Optional[str] = "mn") -> ShapedLine:
        """The glyphs of text at size (points); each glyph carries the characters of its cluster, so that
        the text layer can give the text back. A character the face lacks raises UncoveredCharacter."""
        for char in text:
            if not self.face.covers(char):
                raise UncoveredCharacter(char, text)
        import uharfbuzz as hb

        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.direction = "ltr"
        if script:
            buffer.script = script
        if language:
            buffer.language = language
        # Clusters as small as the font allows: a glyph maps back to as few characters as possible.
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(self._font, buffer, {})
        infos, positions = buffer.glyph_infos, buffer.glyph_positions
        scale = size / self.units_per_em
        clusters = [info.cluster for info in infos]
        glyphs: list[Glyph] = []
        length = 0.0
        for index, (info, position) in enumerate(zip(infos, positions)):
            cluster = clusters[index]
            if info.codepoint == 0:
                raise UncoveredCharacter(text[cluster], text)
            first = index == 0 or clusters[index - 1] != cluster
            if first:
                following = next((c for c in clusters[index + 1:] if c != cluster), len(text))
                shows = text[cluster:following]
            else:
                shows = ""
            advance = position.x_advance * scale
            glyphs.append(Glyph(id=info.codepoint, advance=advance, dx=position.x_offset * scale,
                                dy=position.y_offset * scale, text=shows))
            length += advance
        return ShapedLine(tuple(glyphs), length)

    @cached_property
    def body(self) -> tuple[float, float]:
        """(bottom, top) of the letters' bodies in ems above the baseline: the middle half of the ink of
        the face's glyphs, by median. Columns are centred on this band, not on the font's line metrics,
        which make room for rare tall marks."""
        from fontTools.ttLib import TTFont

        with open(self.face.path, "rb") as handle, TTFont(handle, lazy=True, fontNumber=self.face.index) as font:
            glyf = font["glyf"]
            bottoms, tops = [], []
            for name in font.getGlyphOrder()[1:]:
                glyph = glyf[name]
                if glyph.numberOfContours:
                    bottoms.append(glyph.yMin)
                    tops.append(glyph.yMax)
            units = font["head"].unitsPerEm
        if not bottoms:
            return 0.0, 0.7
        return statistics.median(bottoms) / units, statistics.median(tops) / units
