"""CJK-aware line breaking, alignment and shrink-to-fit: text in a box becomes positioned lines."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from formgen.characters import is_ideograph, is_wide
from formgen.document import Run, Text, TextLine
from formgen.fonts import FontBook
from formgen.units import Box

# Kinsoku shori: characters that may not begin a line, and those that may not end one.
NO_LINE_START = set(
    "，。、；：？！）」』》〉】〕｝〗’”…‥·・ー～％‰℃°,.;:?!)]}%>"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻"
)
NO_LINE_END = set("（「『《〈【〔｛〖‘“([{<￥$#＃")

ALIGNS = ("left", "center", "right", "justify", "distribute")

# Word processors put a little space between ideographs and Latin letters or digits ("autospace");
# LibreOffice always does, a fifth of the font size. The composer sets the same space, so lines measure
# alike in the PDF and in the DOCX.
AUTOSPACE = 0.2


def is_narrow_alphanumeric(char: str) -> bool:
    return char.isalnum() and unicodedata.east_asian_width(char) not in ("W", "F")


_OTHER, _IDEOGRAPH, _NARROW = 0, 1, 2
_CLASSES: dict[str, int] = {}  # character → one of the three: asked for every character measured


def _space_class(char: str) -> int:
    kind = _CLASSES.get(char)
    if kind is None:
        kind = _CLASSES[char] = (_IDEOGRAPH if is_ideograph(char) else
                                 _NARROW if is_narrow_alphanumeric(char) else _OTHER)
    return kind


def autospace_before(previous: str, char: str) -> bool:
    """Whether an autospace stands between two neighbouring characters: an ideograph beside a Latin
    letter or digit, either way round."""
    return _space_class(previous) + _space_class(char) == _IDEOGRAPH + _NARROW


def autospace_count(text: str) -> int:
    kinds = [_space_class(char) for char in text]
    return sum(1 for a, b in zip(kinds, kinds[1:]) if a + b == _IDEOGRAPH + _NARROW)


VALIGNS = ("top", "middle", "bottom")

SETS_KEPT = 4096  # texts a setter remembers having set


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
    return _keep_short_quotes(glued)


SHORT_QUOTE = 8  # characters: a quoted name such as “学习之星” is never split over two lines


def _keep_short_quotes(pieces: list[str]) -> list[str]:
    result: list[str] = []
    open_at: int | None = None
    for piece in pieces:
        result.append(piece)
        if "“" in piece and "”" not in piece[piece.index("“"):]:
            open_at = len(result) - 1
        elif open_at is not None and "”" in piece:
            quoted = "".join(result[open_at:])
            if len(quoted) <= SHORT_QUOTE + 4:
                result[open_at:] = [quoted]
            open_at = None
    return result


def _is_lone_character(line: str) -> bool:
    """One ideograph and the punctuation that closes it: 励。"""
    core = line.rstrip("".join(NO_LINE_START))
    return len(core) == 1 and is_ideograph(core)


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
    hanging_chars: float = 0.0  # indent of a paragraph's other lines: a list item's text wraps under itself
    distribute_chars: int | None = None  # distribute: spread to this many characters' width
    color: str = "#000000"


class TextSetter:
    """Sets text into boxes with one font book's metrics."""

    def __init__(self, book: FontBook):
        self.book = book
        # Most texts of a batch are set many times over (a heading, the organisation, a pledge every
        # card shares): each is set once, the result (immutable) handed out again.
        self._set: dict[tuple, tuple[Text, bool]] = {}

    def width(self, text: str, face: str, size: float) -> float:
        return self.book.text_width(text, face, size) + autospace_count(text) * AUTOSPACE * size

    def break_paragraph(self, paragraph: str, face: str, size: float, width: float, indent: float,
                        hanging: float = 0.0) -> list[str]:
        """Greedy line filling (the first line indent points in, the others hanging points); a piece wider
        than a whole line is split by characters."""
        lines: list[str] = []
        current = ""
        available = width - indent
        fits = lambda text: self.width(text.rstrip(" "), face, size) <= available + 1e-6  # noqa: E731
        for piece in tokens(paragraph):
            if current and not fits(current + piece):
                lines.append(current)
                current = ""
                available = width - hanging
            if not current and not fits(piece):
                for char in piece:
                    if current and not fits(current + char):
                        lines.append(current)
                        current = ""
                        available = width - hanging
                    current += char
                continue
            current += piece
        lines.append(current)
        lines = [line.rstrip(" ") for line in lines]
        if len(lines) >= 2 and _is_lone_character(lines[-1]):
            # Chinese typesetting leaves no character alone on a paragraph's last line (孤字): the line
            # before gives it its last character, and is spread a little wider when justified.
            pieces = tokens(lines[-2])
            if len(pieces) >= 3 and is_wide(pieces[-1][0]) and fits(pieces[-1] + lines[-1]):
                lines[-2:] = ["".join(pieces[:-1]), pieces[-1] + lines[-1]]
        return lines

    def lines_at(self, text: str, style: TextStyle, size: float, width: float) -> list[tuple[str, bool, bool]]:
        """(line text, is first of its paragraph, ends its paragraph) at one size."""
        result: list[tuple[str, bool, bool]] = []
        for paragraph in text.split("\n"):
            indent = style.indent_chars * size
            if style.wrap:
                broken = self.break_paragraph(paragraph, style.face, size, width, indent, style.hanging_chars * size)
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
            indent = (style.indent_chars if first else style.hanging_chars) * size
            if self.width(line, style.face, size) + indent > box.w + 0.01:
                return False
        return True

    def set(self, text: str, box: Box, style: TextStyle, name: str | None = None,
            rotation: int = 0) -> tuple[Text, bool]:
        """The text laid into the box, shrunk in half-point steps if needed; and whether it fits."""
        key = (text, box, style, name, rotation)
        found = self._set.get(key)
        if found is None:
            if len(self._set) >= SETS_KEPT:
                self._set.clear()
            found = self._set[key] = self._set_afresh(text, box, style, name, rotation)
        return found

    def _set_afresh(self, text: str, box: Box, style: TextStyle, name: str | None,
                    rotation: int) -> tuple[Text, bool]:
        size, lines, fits = self._shrink(text, box, style)
        if not fits and not style.wrap and style.align != "distribute":
            # A one-line field too long even at its smallest size (a 30-character branch) takes two or
            # more lines where its box is tall enough, rather than running over its neighbours; a
            # spread name or heading is never broken.
            wrapped = replace(style, wrap=True)
            wrapped_size, wrapped_lines, wrapped_fits = self._shrink(text, box, wrapped)
            if wrapped_fits:
                return self.position(wrapped_lines, box, wrapped, wrapped_size, name, rotation), True
        return self.position(lines, box, style, size, name, rotation), fits

    def _shrink(self, text: str, box: Box, style: TextStyle) -> tuple[float, list, bool]:
        """The largest size, in half-point steps down to the style's smallest, at which the text fits;
        the smallest size when none does."""
        size = style.size
        lines = self.lines_at(text, style, size, box.w)
        fits = self._fits(lines, style, size, box)
        while not fits and size - 0.5 >= style.min_size - 1e-9:
            size = round(size - 0.5, 2)
            lines = self.lines_at(text, style, size, box.w)
            fits = self._fits(lines, style, size, box)
        return size, lines, fits

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
            indent = (style.indent_chars if first else style.hanging_chars) * size
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
        """Runs cut where the face changes or an autospace stands, each placed at its x."""
        runs: list[Run] = []
        cursor = 0.0
        bold = self.book.face(face).is_bold
        for run_face, part in self.book.split_runs(text, face) if text else []:
            start = 0
            for i in range(1, len(part) + 1):
                at_end = i == len(part)
                if not at_end and not autospace_before(part[i - 1], part[i]):
                    continue
                piece = part[start:i]
                width = run_face.text_width(piece, size) + char_space * len(piece)
                runs.append(Run(text=piece, face=run_face.name, x=cursor, width=width,
                                fake_bold=bold and not run_face.is_bold))
                cursor += width
                start = i
                if not at_end:
                    cursor += AUTOSPACE * size
        cursor = self._autospace_between_faces(runs, size)
        if char_space and text:
            cursor -= char_space  # no spacing after the last character
        return TextLine(runs=tuple(runs), x=x, baseline=baseline, width=cursor, char_space=char_space,
                        ends_paragraph=ends_paragraph)

    @staticmethod
    def _autospace_between_faces(runs: list[Run], size: float) -> float:
        """Shift runs after a face change that is also an ideograph/alphanumeric boundary; the line's end."""
        shift = 0.0
        for index in range(1, len(runs)):
            before, after = runs[index - 1], runs[index]
            if before.face != after.face and autospace_before(before.text[-1], after.text[0]):
                shift += AUTOSPACE * size
            if shift:
                runs[index] = replace(after, x=after.x + shift)
        return (runs[-1].x + runs[-1].width) if runs else 0.0
