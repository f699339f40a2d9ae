"""CJK-aware line breaking, alignment and shrink-to-fit: text in a box becomes positioned lines."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .document import Run, Text, TextLine
from .fonts import FontBook
from .units import Box

# Kinsoku shori: characters that may not begin a line, and those that may not end one.
NO_LINE_START = set(
    "，。、；：？！）」』》〉】〕｝〗’”…‥·・ー～％‰℃°,.;:?!)]}%>"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻"
)
NO_LINE_END = set("（「『《〈【〔｛〖‘“([{<￥$#＃")

ALIGNS = ("left", "center", "right", "justify", "distribute")
VALIGNS = ("top", "middle", "bottom")


def is_wide(char: str) -> bool:
    """Characters that break like ideographs: any may stand alone between two breaks."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def tokens(paragraph: str) -> list[str]:
    """Unbreakable pieces: single wide characters, Latin words (with trailing spaces), kinsoku-glued."""
    pieces: list[str] = []
    word = ""
    for char in paragraph:
        if is_wide(char):
            if word:
                pieces.append(word)
                word = ""
            pieces.append(char)
        elif char == " ":
            word += char
            pieces.append(word)
            word = ""
        else:
            if word.endswith(" "):
                pieces.append(word)
                word = ""
            word += char
    if word:
        pieces.append(word)
    glued: list[str] = []
    for piece in pieces:
        if glued and (piece[0] in NO_LINE_START or glued[-1][-1] in NO_LINE_END):
            glued[-1] += piece
        else:
            glued.append(piece)
    return glued


@dataclass(frozen=True)
class TextStyle:
    face: str  # primary font-book face
    size: float
    min_size: float
    line_height: float  # multiple of the size
    align: str = "left"
    valign: str = "top"
    wrap: bool = True
    indent_chars: float = 0.0  # first-line indent of each paragraph, in characters
    distribute_chars: int | None = None  # distribute: spread to this many characters' width
    color: str = "#000000"


class TextSetter:
    """Sets text into boxes with one font book's metrics."""

    def __init__(self, book: FontBook):
        self.book = book

    def width(self, text: str, face: str, size: float) -> float:
        return self.book.text_width(text, face, size)

    def break_paragraph(self, paragraph: str, face: str, size: float, width: float, indent: float) -> list[str]:
        """Greedy line filling; a piece wider than a whole line is split by characters."""
        lines: list[str] = []
        current = ""
        current_width = 0.0
        available = width - indent
        for piece in tokens(paragraph):
            piece_width = self.width(piece.rstrip(" "), face, size)
            if current and current_width + piece_width > available + 1e-6:
                lines.append(current)
                current, current_width = "", 0.0
                available = width
            if not current and piece_width > available + 1e-6:
                for char in piece:
                    char_width = self.width(char, face, size)
                    if current and current_width + char_width > available + 1e-6:
                        lines.append(current)
                        current, current_width = "", 0.0
                        available = width
                    current += char
                    current_width += char_width
                continue
            current += piece
            current_width += self.width(piece, face, size)
        lines.append(current)
        return [line.rstrip(" ") for line in lines]

    def lines_at(self, text: str, style: TextStyle, size: float, width: float) -> list[tuple[str, bool, bool]]:
        """(line text, is first of its paragraph, ends its paragraph) at one size."""
        result: list[tuple[str, bool, bool]] = []
        for paragraph in text.split("\n"):
            indent = style.indent_chars * size
            if style.wrap:
                broken = self.break_paragraph(paragraph, style.face, size, width, indent)
            else:
                broken = [paragraph]
            for i, line in enumerate(broken):
                result.append((line, i == 0, i == len(broken) - 1))
        return result

    def _fits(self, lines, style: TextStyle, size: float, box: Box) -> bool:
        height = len(lines) * size * style.line_height
        if height > box.h + 0.01:
            return False
        for line, first, _ in lines:
            indent = style.indent_chars * size if first else 0.0
            if self.width(line, style.face, size) + indent > box.w + 0.01:
                return False
        return True

    def set(self, text: str, box: Box, style: TextStyle, name: str | None = None,
            rotation: int = 0) -> tuple[Text, bool]:
        """The text laid into the box, shrunk in half-point steps if needed; and whether it fits."""
        size = style.size
        lines = self.lines_at(text, style, size, box.w)
        fits = self._fits(lines, style, size, box)
        while not fits and size - 0.5 >= style.min_size - 1e-9:
            size = round(size - 0.5, 2)
            lines = self.lines_at(text, style, size, box.w)
            fits = self._fits(lines, style, size, box)
        return self.position(lines, box, style, size, name, rotation), fits

    def position(self, lines, box: Box, style: TextStyle, size: float, name, rotation) -> Text:
        face = self.book.face(style.face)
        line_height = size * style.line_height
        total = line_height * len(lines)
        if style.valign == "middle":
            top = (box.h - total) / 2
        elif style.valign == "bottom":
            top = box.h - total
        else:
            top = 0.0
        # The ideographic em box sits centred in each line: half the leading above and below.
        first_baseline = top + (line_height - size) / 2 + face.ascent * size
        placed: list[TextLine] = []
        for index, (line, first, last) in enumerate(lines):
            indent = style.indent_chars * size if first else 0.0
            natural = self.width(line, style.face, size)
            char_space, x = self._align(line, natural, box.w - indent, style, size, last)
            placed.append(self._line(line, style.face, size, indent + x, first_baseline + index * line_height,
                                     char_space, last))
        return Text(box=box, lines=tuple(placed), size=size, line_height=line_height, color=style.color,
                    align=style.align, rotation=rotation, name=name,
                    first_line_indent=style.indent_chars * size)

    @staticmethod
    def _align(line: str, natural: float, width: float, style: TextStyle, size: float,
               last_of_paragraph: bool) -> tuple[float, float]:
        """(extra space after each character, x offset) for one line."""
        gaps = len(line) - 1
        if style.align == "distribute" and line:
            target = width
            if style.distribute_chars:
                target = min(width, max(natural, style.distribute_chars * size))
            if gaps <= 0:
                return 0.0, (width - natural) / 2
            return (target - natural) / gaps, (width - target) / 2
        if style.align == "justify" and not last_of_paragraph and gaps > 0 and natural < width:
            return (width - natural) / gaps, 0.0
        if style.align == "center":
            return 0.0, (width - natural) / 2
        if style.align == "right":
            return 0.0, width - natural
        return 0.0, 0.0

    def _line(self, text: str, face: str, size: float, x: float, baseline: float, char_space: float,
              ends_paragraph: bool) -> TextLine:
        runs: list[Run] = []
        cursor = 0.0
        for run_face, part in self.book.split_runs(text, face) if text else []:
            width = run_face.text_width(part, size) + char_space * len(part)
            runs.append(Run(text=part, face=run_face.name, x=cursor, width=width))
            cursor += width
        if char_space and text:
            cursor -= char_space  # no spacing after the last character
        return TextLine(runs=tuple(runs), x=x, baseline=baseline, width=cursor, char_space=char_space,
                        ends_paragraph=ends_paragraph)
