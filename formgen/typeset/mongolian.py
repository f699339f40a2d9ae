"""Traditional Mongolian set into a box: checked, broken at spaces, shaped, shrunk to fit, lines placed.

Lines break at U+0020 only. U+202F (narrow no-break space) joins a suffix to its word and U+180E (MVS)
separates a final vowel; both belong to the word they stand in, and are shaped with it. Vertical text
(the script's own direction) is set as columns running top to bottom, placed left to right; each column
is its line shaped horizontally and turned 90° clockwise (document.ShapedText).
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Optional

from formgen.document import GlyphRun, ShapedText
from formgen.fonts import FontBook
from formgen.typeset.shaping import FaceShaper, ShapedLine
from formgen.units import Box

# The Menksoft input method's own encoding, in the Private Use Area: text typed with older Menksoft
# tools looks right only in Menksoft fonts, and is no Unicode Mongolian.
MENKSOFT_FIRST, MENKSOFT_LAST = 0xE234, 0xE71D
MONGOLIAN_LETTERS = re.compile("[\u1820-\u1878\u1880-\u18aa]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
SPACES = re.compile(" +")

ALIGNS = ("start", "center", "end")


class MongolianTextProblem(ValueError):
    """Text that is not Unicode traditional Mongolian where Mongolian must print; the message says what
    to do, in Chinese, for the clerk."""


def menksoft_characters(text: str) -> list[str]:
    return [char for char in text if MENKSOFT_FIRST <= ord(char) <= MENKSOFT_LAST]


def check_mongolian(text: str) -> None:
    """Raise MongolianTextProblem when text is not traditional Mongolian in Unicode."""
    legacy = menksoft_characters(text)
    if legacy:
        codes = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in legacy[:3]))
        raise MongolianTextProblem(
            f"蒙古文是蒙科立（Menksoft）输入法的旧编码（私用区字符 {codes} 等），不是国家标准的 Unicode 蒙古文，"
            "在别的电脑、别的字体中会变成乱码或方框。请先用蒙科立的“编码转换”工具（旧编码转 Unicode/国际标准编码）"
            "转换，或用支持 Unicode 的蒙古文输入法（如 Windows 自带的传统蒙古文键盘）重新录入，再填入名册或单位信息文件")
    if not MONGOLIAN_LETTERS.search(text):
        if CYRILLIC.search(text):
            raise MongolianTextProblem(f"“{text}”是西里尔蒙古文（新蒙文），这里要印传统蒙古文（回鹘式蒙古文），请改填传统蒙古文")
        raise MongolianTextProblem(f"“{text}”不是传统蒙古文（其中没有蒙古文字母），请填写 Unicode 传统蒙古文")


@dataclass(frozen=True)
class MongolianStyle:
    face: str
    size: float
    min_size: float
    line_height: float  # multiple of the size: the pitch of columns (or lines)
    vertical: bool = True
    align: str = "start"  # along each line: top, middle, bottom (vertical) or left, centre, right
    place: str = "start"  # the block of lines across: left, centre, right (vertical) or top, middle, bottom
    wrap: bool = True
    color: str = "#000000"


def normalise(text: str) -> list[str]:
    """Paragraphs with their spaces tidied: runs of U+0020 become one, none at either end."""
    return [SPACES.sub(" ", paragraph).strip(" ") for paragraph in text.replace("\r", "").split("\n")]


class MongolianSetter:
    """Sets Mongolian into boxes with one font book's faces."""

    def __init__(self, book: FontBook):
        self.book = book
        self._shapers: dict[str, FaceShaper] = {}

    def shaper(self, face: str) -> FaceShaper:
        shaper = self._shapers.get(face)
        if shaper is None:
            shaper = self._shapers[face] = FaceShaper(self.book.face(face))
        return shaper

    def lines_at(self, paragraphs: list[str], style: MongolianStyle, size: float,
                 length: float) -> list[tuple[str, ShapedLine]]:
        """Greedy filling at spaces; a word longer than a whole line stands alone (and does not fit)."""
        shaper = self.shaper(style.face)
        lines: list[tuple[str, ShapedLine]] = []
        for paragraph in paragraphs:
            if not paragraph:
                continue
            if not style.wrap:
                lines.append((paragraph, shaper.shape(paragraph, size)))
                continue
            words = paragraph.split(" ")
            current, shaped = words[0], shaper.shape(words[0], size)
            for word in words[1:]:
                candidate = current + " " + word
                trial = shaper.shape(candidate, size)
                if trial.length <= length + 1e-6:
                    current, shaped = candidate, trial
                else:
                    lines.append((current, shaped))
                    current, shaped = word, shaper.shape(word, size)
            lines.append((current, shaped))
        return lines

    def set(self, text: str, box: Box, style: MongolianStyle, name: Optional[str] = None, rotation: int = 0,
            gloss: str = "") -> tuple[ShapedText, bool]:
        """The text set into the box, shrunk in half-point steps down to min_size if needed; and whether it
        fits. Raises MongolianTextProblem or UncoveredCharacter for text that cannot print."""
        check_mongolian(text)
        paragraphs = normalise(text)
        along, across = (box.h, box.w) if style.vertical else (box.w, box.h)
        size = style.size
        while True:
            lines = self.lines_at(paragraphs, style, size, along)
            pitch = size * style.line_height
            fits = (len(lines) * pitch <= across + 0.01
                    and all(shaped.length <= along + 0.01 for _, shaped in lines))
            if fits or size - 0.5 < style.min_size - 1e-9:
                break
            size = round(size - 0.5, 2)
        return self.position(lines, box, style, size, name, rotation, gloss), fits

    def position(self, lines: list[tuple[str, ShapedLine]], box: Box, style: MongolianStyle, size: float,
                 name: Optional[str], rotation: int, gloss: str) -> ShapedText:
        pitch = size * style.line_height
        along, across = (box.h, box.w) if style.vertical else (box.w, box.h)
        block = pitch * len(lines)
        first = {"start": 0.0, "center": (across - block) / 2, "end": across - block}[style.place]
        bottom, top = self.shaper(style.face).body
        middle = (bottom + top) / 2 * size  # the letters' middle, above the baseline
        runs = []
        for index, (text, shaped) in enumerate(lines):
            centre = first + (index + 0.5) * pitch
            start = {"start": 0.0, "center": (along - shaped.length) / 2,
                     "end": along - shaped.length}[style.align]
            if style.vertical:
                # turned clockwise, the glyphs' tops face right: the baseline lies left of the middle
                x, y = centre - middle, start
            else:
                x, y = start, centre + middle
            runs.append(GlyphRun(text=text, face=style.face, glyphs=shaped.glyphs, x=x, y=y,
                                 length=shaped.length))
        return ShapedText(box=box, runs=tuple(runs), size=size, line_height=pitch, vertical=style.vertical,
                          color=style.color, rotation=rotation, name=name, gloss=gloss)


_SETTERS: "weakref.WeakKeyDictionary[FontBook, MongolianSetter]" = weakref.WeakKeyDictionary()


def setter_for(book: FontBook) -> MongolianSetter:
    """One setter per font book: shaping faces are loaded once."""
    setter = _SETTERS.get(book)
    if setter is None:
        setter = _SETTERS[book] = MongolianSetter(book)
    return setter
