"""Walks the finished pages item by item into document.xml, keeping what the package needs after:
drawing ids, z-order, the pictures used (each stored once) and the characters each font draws.

Every page is a section of its own with the page's exact size and no margins. Text items become text
boxes anchored to the page, holding one paragraph per composed line with exact line spacing, so Word
and LibreOffice break lines where the composer did; pictures, QR codes, rules and frames are anchored
drawings; tables are native Word tables in a text box at their place; text turned 180° (the back of a
folded card) is a metafile picture of glyph outlines (emf.py). Every Word 2010 shape carries its VML
twin as the fallback (vml.py), stacked in the same order; no drawing reaches past its page.
"""
from __future__ import annotations

import hashlib
import io
from typing import Callable

from PIL import Image as PILImage

from formgen.document import Cell, Image, Matrix, Page, Rect, Rule, ShapedText, Table, Text, TextLine
from formgen.fonts import FontBook
from formgen.units import Box
from formgen.writers.docx import drawing, placement, shaped, vml, wordml
from formgen.writers.docx.emf import turned_text_emf
from formgen.writers.docx.fonts import FontUsage
from formgen.writers.docx.glyph_figures import TurnedGlyphs
from formgen.writers.docx.markup import emu
from formgen.writers.docx.outlines import GlyphOutlines

DEFAULT_FACE = "NotoSerifSC-Regular"
# How many turned texts' pictures are remembered by the text (the latest: what every card repeats is
# met again on the next page).
TURNED_KEPT = 256


class PageWalker:
    """Turns pages into body XML; the pictures go to the package as they come, and what else the pages
    used is left in fonts and media for the parts written after the pages."""

    def __init__(self, book: FontBook, store: Callable[[str, bytes], None]):
        self.book = book
        # Writes a picture's part the first time the picture is used, so that no picture waits in memory
        # for the end of the document (the package is free: document.xml is spooled meanwhile).
        self.store = store
        self.fonts = FontUsage(book)
        self.outlines = GlyphOutlines(book)
        self.turned_glyphs = TurnedGlyphs()  # each glyph's figures at a size, prepared once
        self._turned: dict[tuple[Text, tuple], str] = {}  # (turned text, margins) → its picture's key
        self.media: dict[str, str] = {}  # picture key → part name (its bytes are stored already)
        self.media_ids: dict[str, str] = {}  # picture key → relationship id
        self.next_id = 1
        self.z = drawing.FIRST_Z
        self.page_width = self.page_height = 0.0  # of the page being walked
        self._line_metrics: dict[str, tuple[float, float]] = {}

    # ---- ids -----------------------------------------------------------------------------------
    def drawing_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def z_order(self) -> int:
        self.z += 1
        return self.z

    # ---- pages ---------------------------------------------------------------------------------
    def page(self, page: Page, last: bool) -> str:
        """The page's body XML: one paragraph carrying its drawings, which ends its section."""
        self.page_width, self.page_height = page.width, page.height
        drawings: list[str] = []
        for item in page.items:
            kind = type(item)
            if kind is Table:
                drawings.append(self.table(item))
            elif kind is Text:
                drawings.append(self.text(item))
            elif kind is ShapedText:
                drawings.append(self.shaped_text(item))
            elif kind is Image:
                drawings.append(self.picture(item.box, item.key, item.data, item.format, item.rotation,
                                             item.behind, item.name or "picture"))
            elif kind is Matrix:
                drawings.append(self.matrix(item))
            elif kind is Rule:
                drawings.append(self.rule(item))
            elif kind is Rect:
                drawings.append(self.rect(item))
            else:
                raise TypeError(f"the DOCX writer cannot draw {kind.__name__}")
        section = wordml.section(page.width, page.height)
        body = wordml.page_paragraph("".join(drawings), "" if last else section)
        return body + section if last else body

    def anchored(self, x: float, y: float, w: float, h: float, graphic: str, name: str, behind: bool = False,
                 drawing_id: int | None = None, description: str = "") -> str:
        """A run holding a picture anchored to the page."""
        drawing_id = self.drawing_id() if drawing_id is None else drawing_id
        return drawing.in_run(drawing.anchor(drawing_id, self.z_order(), x, y, w, h, graphic, name, behind,
                                             description))

    def anchored_shape(self, x: float, y: float, w: float, h: float, graphic: str,
                       fallback: Callable[[vml.Place], str], name: str, behind: bool = False) -> str:
        """A run holding a Word 2010 shape (wps) anchored to the page, and fallback(place): the same
        drawing in VML for readers without Word 2010 shapes."""
        z = self.z_order()
        anchor = drawing.anchor(self.drawing_id(), z, x, y, w, h, graphic, name, behind)
        return drawing.in_run(drawing.word_2010(anchor, fallback(vml.Place(x, y, w, h, z, behind))))

    # ---- shapes --------------------------------------------------------------------------------
    def shape(self, x, y, w, h, geometry: str, fill: str | None, stroke: str | None, width: float,
              dash, name: str, fallback: Callable[[vml.Place], str], behind: bool = False) -> str:
        return self.anchored_shape(x, y, w, h, drawing.shape(w, h, geometry, fill, stroke, width, dash), fallback,
                                   name, behind)

    def rule(self, item: Rule) -> str:
        """A line as a path inside a box padded by half its width.

        A preset line in a zero-width box (every vertical rule) is drawn by LibreOffice turned 90° at
        some positions on the page (a badge sheet's top centre crop mark); a box with area is not.
        """
        pad = max(item.width / 2, 0.1)
        x, y = min(item.x1, item.x2) - pad, min(item.y1, item.y2) - pad
        w, h = abs(item.x2 - item.x1) + 2 * pad, abs(item.y2 - item.y1) + 2 * pad
        path = drawing.line_commands(emu(item.x1 - x), emu(item.y1 - y), emu(item.x2 - x), emu(item.y2 - y))
        geometry = drawing.custom_path(emu(w), emu(h), path, filled=False)
        return self.shape(x, y, w, h, geometry, None, item.color, item.width, item.dash, item.name or "rule",
                          lambda place: vml.line(place, item.x1, item.y1, item.x2, item.y2, item.color, item.width,
                                                 item.dash))

    def rect(self, item: Rect) -> str:
        box = item.box
        adjust = round(min(50000, item.radius / max(1e-6, min(box.w, box.h)) * 100000)) if item.radius else 0
        geometry = drawing.round_rect(adjust) if adjust else drawing.RECT
        # VML's arc is the radius over half the shorter side; DrawingML's adjust over the whole side.
        return self.shape(box.x, box.y, box.w, box.h, geometry, item.fill, item.stroke, item.width, item.dash,
                          item.name or "rect",
                          lambda place: vml.rect(place, item.fill, item.stroke, item.width, item.dash,
                                                 2 * adjust / 100000),
                          behind=item.behind)

    def matrix(self, item: Matrix) -> str:
        """A QR code as one vector shape: a white square, and every run of dark modules a rectangle."""
        count = len(item.modules) + 2 * item.quiet_zone
        box = item.box
        cells, quiet = [], item.quiet_zone
        for r, start, end in item.dark_runs():
            x0, x1, y0, y1 = start + quiet, end + quiet, r + quiet, r + 1 + quiet
            if item.rotation % 360 == 180:
                x0, x1, y0, y1 = count - x1, count - x0, count - y1, count - y0
            cells.append((x0, y0, x1, y1))
        geometry = drawing.custom_path(count, count, "".join(drawing.rectangle_commands(*cell) for cell in cells))
        white = self.shape(box.x, box.y, box.w, box.h, drawing.RECT, "#FFFFFF", None, 0, None,
                           f"{item.name or 'qr'} quiet zone", lambda place: vml.rect(place, "#FFFFFF", None, 0, None))
        return white + self.shape(box.x, box.y, box.w, box.h, geometry, item.color, None, 0, None,
                                  f"{item.name or 'qr'}: {item.content}",
                                  lambda place: vml.rectangles(place, count, cells, item.color))

    # ---- pictures ------------------------------------------------------------------------------
    def picture(self, box, key: str, data: bytes, fmt: str, rotation: int, behind: bool, name: str,
                description: str = "") -> str:
        if rotation % 360:
            # Renderers differ on turned pictures; turned pixels look the same everywhere.
            key, data = f"{key}-turned{rotation % 360}", _turn_pixels(data, fmt, rotation)
        rid = self.media_ids.get(key)
        if rid is None:
            rid = self.media_ids[key] = f"rIdImg{len(self.media_ids) + 1}"
            part = self.media[key] = f"media/image{len(self.media)}.{fmt}"
            self.store(part, data)
        drawing_id = self.drawing_id()
        graphic = drawing.picture(drawing_id, rid, box.w, box.h, name)
        return self.anchored(box.x, box.y, box.w, box.h, graphic, name, behind, drawing_id=drawing_id,
                             description=description)

    # ---- text ----------------------------------------------------------------------------------
    def line_metrics(self, face: str) -> tuple[float, float]:
        """(ascent, descent) in ems as renderers lay out lines: the hhea metrics."""
        cached = self._line_metrics.get(face)
        if cached is None:
            cached = self._line_metrics[face] = self.book.face(face).line_metrics
        return cached

    def run(self, value: str, face: str, size: float, color: str, char_space: float, fake_bold: bool = False) -> str:
        self.fonts.add(face, value)
        family, bold = self.fonts.family(face)
        # On a face without bold, the reader emboldens it.
        return wordml.run(value, family, bold or fake_bold, size, color, char_space)

    def paragraph(self, line: TextLine, item: Text, container: float) -> str:
        jc, left, right, spaced = placement.alignment(line, item, container)
        char_space = line.char_space if spaced else 0.0
        runs = "".join(self.run(r.text, r.face, item.size, item.color, char_space, r.fake_bold) for r in line.runs)
        return wordml.paragraph(runs, jc, left, right, item.line_height, item.size)

    def paragraphs(self, item: Text, container: float) -> str:
        """One paragraph per composed line; container is the width the paragraphs are set in."""
        return "".join(self.paragraph(line, item, container) for line in item.lines)

    def text(self, item: Text) -> str:
        if item.rotation % 360:
            return self.turned_text(item)
        box = item.box
        first = item.lines[0]
        top = placement.first_line_top(item, *self.line_metrics(first.runs[0].face if first.runs else DEFAULT_FACE))
        total = item.line_height * len(item.lines)
        # Slack on the right and a line's room below, as far as the page allows: Word and WPS are
        # reported to move or repair drawings that reach past the page.
        width = box.w + placement.room(placement.TEXT_BOX_SLACK, self.page_width - box.x - box.w)
        y, lines_height = box.y + top, max(total, box.h - top)
        height = lines_height + placement.room(item.line_height, self.page_height - y - lines_height)
        content = self.paragraphs(item, width)
        return self.anchored_shape(box.x, y, width, height, drawing.text_box(width, height, content),
                                   lambda place: vml.text_box(place, content), item.name or "text")

    def shaped_text(self, item: ShapedText) -> str:
        """Each composed line of shaped script as a single-line text box of its own (shaped.py)."""
        boxes = []
        for run in item.runs:
            self.fonts.add(run.face, run.text)
            family = self.fonts.family(run.face)[0]
            if item.rotation % 360 and not item.vertical:
                margins = self.margins(item.box, item.size)
                box, data = shaped.turned_line_emf(item, run, self.outlines.glyph_outline, margins,
                                                   self.turned_glyphs)
                key = "emf-" + hashlib.sha1(data).hexdigest()
                boxes.append(self.picture(box, key, data, "emf", 0, False, item.name or "mongolian",
                                          description=run.text))
                continue
            face = self.book.face(run.face)
            place = shaped.line_box(item, run, *shaped.line_metrics(face.path, face.index))
            content = wordml.paragraph(wordml.shaped_run(run.text, family, item.size, item.color, item.language),
                                       "left", 0.0, 0.0, place.line_height, item.size)
            box = place.box
            graphic = drawing.text_box(box.w, box.h, content, vert=place.vert)
            boxes.append(self.anchored_shape(box.x, box.y, box.w, box.h, graphic,
                                             lambda spot, content=content, vert=place.vert:
                                             vml.text_box(spot, content, vert),
                                             f"{item.name or 'mongolian'}: {item.gloss or run.text}"))
        return "".join(boxes)

    def margins(self, box: Box, size: float) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) room around a turned picture's box, so that no renderer clips a
        glyph reaching past it: a size's worth, within the page."""
        return (placement.room(size, box.x), placement.room(size, box.y),
                placement.room(size, self.page_width - box.x - box.w),
                placement.room(size, self.page_height - box.y - box.h))

    def turned_text(self, item: Text) -> str:
        """Text turned 180° as a metafile of its glyph outlines (emf.py says why)."""
        box = item.box
        margins = self.margins(box, item.size)
        left, top, right, bottom = margins
        box = Box(box.x - left, box.y - top, box.w + left + right, box.h + top + bottom)
        # The same turned text in the same place (the heading on every card) is drawn once; a picture
        # is keyed by its content, so that the same picture is stored once.
        key = self._turned.get((item, margins))
        data = b""  # stored already if the key is known
        if key is None:
            data = turned_text_emf(item, self.outlines.outline,
                                   lambda face, char: self.book.face(face).char_width(char) * item.size, margins,
                                   self.turned_glyphs)
            key = "emf-" + hashlib.sha1(data).hexdigest()
            if len(self._turned) >= TURNED_KEPT:
                del self._turned[next(iter(self._turned))]  # the oldest
            self._turned[(item, margins)] = key
        return self.picture(box, key, data, "emf", 0, False, item.name or "text", description=item.text)

    # ---- tables --------------------------------------------------------------------------------
    def table(self, item: Table) -> str:
        """The table in a text box anchored at its place: floating tables are placed unreliably."""
        box = item.box
        content = wordml.table(item, self.cell_paragraphs) + wordml.box_end_paragraph()
        # Word and LibreOffice draw a table's outer border inside its edge; the composer's rules are
        # centred on the edge, as in the PDF. The box has room for the table's last border.
        half = item.border_width / 2
        x, y = box.x - half, box.y - half
        w = box.w + placement.room(2, self.page_width - x - box.w)
        h = box.h + placement.room(2, self.page_height - y - box.h)
        return self.anchored_shape(x, y, w, h, drawing.text_box(w, h, content),
                                   lambda place: vml.text_box(place, content), item.name or "table")

    def cell_paragraphs(self, cell: Cell, width: float) -> str:
        return self.paragraphs(cell.content, width)


def _turn_pixels(data: bytes, fmt: str, rotation: int) -> bytes:
    with PILImage.open(io.BytesIO(data)) as image:
        turned = image.rotate(-rotation, expand=True)
        buffer = io.BytesIO()
        turned.save(buffer, format="PNG" if fmt == "png" else "JPEG", quality=90)
    return buffer.getvalue()
