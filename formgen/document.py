"""The finished-page model: what the composer decided, which every writer only draws.

All positions are absolute page coordinates in points, top-left origin (see units.Box).
Text lines are positioned relative to their Text box, so moving an item means moving its box.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Iterator, Union

from formgen.units import Box


@dataclass(frozen=True)
class Run:
    """A stretch of one line drawn in one font face."""

    text: str
    face: str  # font-book face name, e.g. "NotoSerifSC-Regular"
    x: float  # start, relative to the line's start, char spacing included
    width: float  # advance width, char spacing included
    # Bold asked for, in a face that has no bold (a rare character in a bold name): writers embolden it.
    fake_bold: bool = False


@dataclass(frozen=True)
class TextLine:
    runs: tuple[Run, ...]
    x: float  # left edge of the line, relative to the Text box's left
    baseline: float  # relative to the Text box's top
    width: float  # advance width, char spacing included
    char_space: float = 0.0  # extra space after every character (justify, distribute)
    ends_paragraph: bool = True  # False where the composer wrapped a longer paragraph

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Text:
    box: Box
    lines: tuple[TextLine, ...]
    size: float  # points
    line_height: float  # points, baseline to baseline
    color: str = "#000000"
    align: str = "left"  # left | center | right | justify | distribute
    rotation: int = 0  # 0 or 180, about the box centre
    name: str | None = None
    first_line_indent: float = 0.0  # informational: already applied to the first line's x

    @property
    def text(self) -> str:
        """The text as the reader sees it: wrapped lines joined, paragraphs on new lines."""
        parts: list[str] = []
        for line in self.lines:
            parts.append(line.text)
            if line.ends_paragraph:
                parts.append("\n")
        return "".join(parts).rstrip("\n")


@dataclass(frozen=True)
class Glyph:
    """One glyph the composer shaped: its id in the face, how far it moves the pen, and what it reads as."""

    id: int  # glyph id in the face's font file
    advance: float  # points along the line
    dx: float = 0.0  # offset along the line, points
    dy: float = 0.0  # offset across the line towards the glyph's top, points
    text: str = ""  # the characters it shows: its cluster's text on the cluster's first glyph, else ""


@dataclass(frozen=True)
class GlyphRun:
    """One shaped line: glyphs in pen order from the start of its baseline, in one face."""

    text: str  # the line's Unicode text, as the reader must get it back (copy, search)
    face: str  # font-book face name
    glyphs: tuple[Glyph, ...]
    x: float  # start of the baseline, relative to the item's box (left, top)
    y: float
    length: float  # sum of the advances, points


@dataclass(frozen=True)
class ShapedText:
    """Text shaped glyph by glyph (traditional Mongolian): writers draw these glyph ids where they stand.

    Each run was shaped horizontally, as the script's fonts are drawn. Vertical text is that line turned
    90° clockwise about the start of its baseline: the pen moves down the page and the glyphs' tops face
    right; the composer has placed the columns left to right.
    """

    box: Box
    runs: tuple[GlyphRun, ...]
    size: float  # points
    line_height: float  # points between neighbouring baselines (columns when vertical)
    vertical: bool = True
    color: str = "#000000"
    rotation: int = 0  # 0 or 180, about the box centre
    name: str | None = None
    language: str = "mn-Mong-CN"  # BCP 47, for the text layer and word processors
    gloss: str = ""  # what it says in the Chinese it stands beside: for proof sheets and alt texts

    @property
    def text(self) -> str:
        return "\n".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Image:
    """Pixels already cropped, oriented and resampled for their box."""

    box: Box
    data: bytes  # encoded image
    format: str  # "jpeg" or "png"
    pixel_width: int
    pixel_height: int
    key: str  # content hash: equal keys are the same picture
    rotation: int = 0
    behind: bool = False  # drawn under the text (backgrounds)
    name: str | None = None


_DARK_RUN = re.compile("1+")


@dataclass(frozen=True)
class Matrix:
    """A 2-D code (QR) as a grid of dark modules, drawn as vector squares."""

    box: Box  # includes the quiet zone
    modules: tuple[str, ...]  # rows of "1" (dark) and "0" (light)
    quiet_zone: int  # light modules around the grid, on every side
    color: str = "#000000"
    rotation: int = 0
    name: str | None = None
    content: str = ""  # what the code says: for tests and the DOCX alt text

    def dark_runs(self) -> Iterator[tuple[int, int, int]]:
        """(row, first column, column after the last) of every horizontal run of dark modules: writers
        draw each run as one rectangle, fewer shapes and no hairline seams between modules."""
        for r, row in enumerate(self.modules):
            for run in _DARK_RUN.finditer(row):
                yield r, run.start(), run.end()


@dataclass(frozen=True)
class Rule:
    """A straight line."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: str = "#000000"
    dash: tuple[float, ...] | None = None
    name: str | None = None


@dataclass(frozen=True)
class Rect:
    box: Box
    stroke: str | None = "#000000"
    fill: str | None = None
    width: float = 0.5
    dash: tuple[float, ...] | None = None
    radius: float = 0.0
    behind: bool = False
    name: str | None = None


@dataclass(frozen=True)
class Cell:
    """One cell of a table; merged cells span several rows or columns."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: Box
    content: Text | None
    fill: str | None = None
    valign: str = "middle"  # top | middle | bottom
    padding: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, top, right, bottom


@dataclass(frozen=True)
class Table:
    """A ruled grid. Writers may emit a native table; the geometry is fixed here."""

    box: Box
    column_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    cells: tuple[Cell, ...]
    border_width: float = 0.75
    border_color: str = "#000000"
    name: str | None = None


Item = Union[Text, ShapedText, Image, Matrix, Rule, Rect, Table]


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    items: tuple[Item, ...]
    label: str = ""  # whose page this is, for messages and bookmarks


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself: shown by viewers, searched by archives."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A finished document as a value. Large batches skip it: writers also take pages as a stream."""

    pages: tuple[Page, ...]
    info: DocumentInfo = DocumentInfo()


def translate(item: Item, dx: float, dy: float) -> Item:
    """The item moved by (dx, dy)."""
    if isinstance(item, Rule):
        return dataclasses.replace(item, x1=item.x1 + dx, y1=item.y1 + dy, x2=item.x2 + dx, y2=item.y2 + dy)
    if isinstance(item, Table):
        cells = tuple(
            dataclasses.replace(
                cell,
                box=cell.box.moved(dx, dy),
                content=None if cell.content is None else translate(cell.content, dx, dy),
            )
            for cell in item.cells
        )
        return dataclasses.replace(item, box=item.box.moved(dx, dy), cells=cells)
    return dataclasses.replace(item, box=item.box.moved(dx, dy))


def turn_half(item: Item, cx: float, cy: float) -> Item:
    """The item after a 180° turn about (cx, cy): boxes mirrored, contents upside down."""
    if isinstance(item, Rule):
        return dataclasses.replace(
            item, x1=2 * cx - item.x1, y1=2 * cy - item.y1, x2=2 * cx - item.x2, y2=2 * cy - item.y2
        )
    if isinstance(item, Table):
        raise ValueError("a table cannot be turned upside down; use text elements on a turned panel")
    if isinstance(item, Rect):
        return dataclasses.replace(item, box=item.box.turned_half(cx, cy))
    return dataclasses.replace(item, box=item.box.turned_half(cx, cy), rotation=(item.rotation + 180) % 360)
