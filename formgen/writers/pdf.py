"""PDF writer (ReportLab): draws the finished pages; the y-flip and font embedding live only here."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from formgen.document import DocumentInfo, Image, Matrix, Page, Rect, Rule, ShapedText, Table, Text, TextLine
from formgen.files import atomic_path
from formgen.fonts import FontBook
from formgen.writers import NothingToWrite
from formgen.writers.reportlab_stream import StreamingCanvas
from formgen.writers.reportlab_support import actual_text, draw_glyphs, draw_jpeg, register_face
from formgen.writers.reportlab_support import operators as operators_of

# Image streams stay binary: ASCII85 wrapping costs time and a quarter more bytes, for 7-bit channels
# nobody uses any more.
rl_config.useA85 = 0

# Stroke width, in ems, that thickens a regular face to stand beside bold text, as word processors do
# for a font with no bold.
FAKE_BOLD_STROKE = 1 / 30

# Texts whose operators a writer keeps to draw again: the lines every page shares, and then some.
TEXTS_KEPT = 4096


class PdfPainter:
    """Draws one page's items on a ReportLab canvas."""

    def __init__(self, canvas: Canvas, book: FontBook):
        self.canvas = canvas
        self.book = book
        self.page_height = 0.0
        # A text drawn before (the heading, the organisation, a pledge every card shares) is drawn again
        # as the same operators: once its characters have their codes in the subsets, its content is fixed.
        self._drawn: dict[tuple[float, Text], list[str]] = {}

    def y(self, top_down: float) -> float:
        return self.page_height - top_down

    def page(self, page: Page) -> None:
        self.page_height = page.height
        self.canvas.setPageSize((page.width, page.height))
        for item in page.items:
            self.item(item)
        self.canvas.showPage()

    def item(self, item) -> None:
        draw = {Text: self.text, ShapedText: self.shaped_text, Image: self.image, Matrix: self.matrix,
                Rule: self.rule, Rect: self.rect, Table: self.table}.get(type(item))
        if draw is None:
            raise TypeError(f"the PDF writer cannot draw {type(item).__name__}")
        draw(item)

    def _turned(self, box, rotation: int) -> bool:
        if rotation % 360 == 0:
            return False
        self.canvas.saveState()
        cx, cy = box.center
        self.canvas.translate(cx, self.y(cy))
        self.canvas.rotate(-rotation)
        self.canvas.translate(-cx, -self.y(cy))
        return True

    def text(self, item: Text) -> None:
        key = (self.page_height, item)
        operators = self._drawn.get(key)
        if operators is None:
            start = len(operators_of(self.canvas))
            self._text_afresh(item)
            operators = operators_of(self.canvas)[start:]
            if len(self._drawn) >= TEXTS_KEPT:
                self._drawn.clear()
            self._drawn[key] = operators
        else:
            operators_of(self.canvas).extend(operators)

    def _text_afresh(self, item: Text) -> None:
        canvas = self.canvas
        turned = self._turned(item.box, item.rotation)
        canvas.setFillColor(HexColor(item.color))
        for line in item.lines:
            if line.char_space and line.text.strip():
                # Letter-spaced (分散对齐, justified): readers would see the glyphs as separate words
                # (王 喆); the span gives them the line as written.
                with actual_text(canvas, line.text):
                    self._line(item, line)
            else:
                self._line(item, line)
        if turned:
            canvas.restoreState()

    def _line(self, item: Text, line: TextLine) -> None:
        canvas = self.canvas
        for run in line.runs:
            if run.fake_bold:
                canvas.saveState()
                canvas.setStrokeColor(HexColor(item.color))
                canvas.setLineWidth(item.size * FAKE_BOLD_STROKE)
            text_object = canvas.beginText()
            text_object.setFont(register_face(self.book, run.face), item.size)
            text_object.setCharSpace(line.char_space)
            if run.fake_bold:
                text_object.setTextRenderMode(2)  # fill and stroke: the outline thickened
            text_object.setTextOrigin(item.box.x + line.x + run.x, self.y(item.box.y + line.baseline))
            text_object.textOut(run.text)
            canvas.drawText(text_object)
            if run.fake_bold:
                canvas.restoreState()

    def shaped_text(self, item: ShapedText) -> None:
        """Glyph ids where the composer placed them; a vertical line is its horizontal line turned 90°
        clockwise about the start of its baseline (pen down the page, glyph tops to the right)."""
        canvas = self.canvas
        turned = self._turned(item.box, item.rotation)
        canvas.setFillColor(HexColor(item.color))
        for run in item.runs:
            x0, y0 = item.box.x + run.x, item.box.y + run.y
            placed, pen = [], 0.0
            for glyph in run.glyphs:
                along, across = pen + glyph.dx, glyph.dy
                if item.vertical:
                    matrix = (0, -1, 1, 0, x0 + across, self.y(y0 + along))
                else:
                    matrix = (1, 0, 0, 1, x0 + along, self.y(y0 - across))
                placed.append((glyph.id, glyph.text, matrix))
                pen += glyph.advance
            draw_glyphs(canvas, self.book, run.face, item.size, placed, run.text)
        if turned:
            canvas.restoreState()

    def image(self, item: Image) -> None:
        canvas = self.canvas
        turned = self._turned(item.box, item.rotation)
        x, y, w, h = item.box.x, self.y(item.box.bottom), item.box.w, item.box.h
        if item.format == "jpeg":
            self._jpeg(item, x, y, w, h)
        else:
            canvas.drawImage(ImageReader(io.BytesIO(item.data)), x, y, w, h, mask="auto")
        if turned:
            canvas.restoreState()

    def _jpeg(self, item: Image, x: float, y: float, w: float, h: float) -> None:
        """The JPEG bytes go into the file as they are (DCTDecode), stored once per distinct picture.

        Canvas.drawImage would decode every picture to hash its pixels; the composer already keyed it.
        """
        draw_jpeg(self.canvas, "fg" + item.key, item.data, x, y, w, h)

    def matrix(self, item: Matrix) -> None:
        canvas = self.canvas
        turned = self._turned(item.box, item.rotation)
        count = len(item.modules) + 2 * item.quiet_zone
        module = item.box.w / count
        origin_x = item.box.x + item.quiet_zone * module
        origin_y = item.box.y + item.quiet_zone * module
        canvas.setFillColor(HexColor("#FFFFFF"))
        canvas.rect(item.box.x, self.y(item.box.bottom), item.box.w, item.box.h, stroke=0, fill=1)
        canvas.setFillColor(HexColor(item.color))
        # In module units from the grid's top-left corner, y down: every run is whole numbers, written
        # as they are (a card's code is a few hundred runs; ReportLab's path would format each number).
        runs = " ".join([f"{start} {r} {end - start} 1 re" for r, start, end in item.dark_runs()])
        if runs:
            operators_of(canvas).append(f"q {fp_str(module, 0, 0, -module, origin_x, self.y(origin_y))} cm {runs} f Q")
        if turned:
            canvas.restoreState()

    def rule(self, item: Rule) -> None:
        canvas = self.canvas
        canvas.setStrokeColor(HexColor(item.color))
        canvas.setLineWidth(item.width)
        canvas.setDash(list(item.dash) if item.dash else [])
        canvas.line(item.x1, self.y(item.y1), item.x2, self.y(item.y2))
        canvas.setDash([])

    def rect(self, item: Rect) -> None:
        canvas = self.canvas
        stroke = item.stroke is not None and item.width > 0
        if item.fill:
            canvas.setFillColor(HexColor(item.fill))
        if stroke:
            canvas.setStrokeColor(HexColor(item.stroke))
            canvas.setLineWidth(item.width)
            canvas.setDash(list(item.dash) if item.dash else [])
        x, y, w, h = item.box.x, self.y(item.box.bottom), item.box.w, item.box.h
        if item.radius:
            canvas.roundRect(x, y, w, h, item.radius, stroke=int(stroke), fill=int(bool(item.fill)))
        else:
            canvas.rect(x, y, w, h, stroke=int(stroke), fill=int(bool(item.fill)))
        canvas.setDash([])

    def table(self, item: Table) -> None:
        for cell in item.cells:
            if cell.fill:
                self.rect(Rect(cell.box, stroke=None, fill=cell.fill, width=0))
        for cell in item.cells:
            if cell.content is not None:
                self.text(cell.content)
        if item.border_width > 0:
            for cell in item.cells:
                self.rect(Rect(cell.box, stroke=item.border_color, width=item.border_width))


def write(pages: Iterable[Page], info: DocumentInfo, target: Path, book: FontBook, pdfa: bool = False) -> int:
    """Write all pages to target (atomically); returns the page count. With pdfa the file claims
    PDF/A-2b (everything it holds is allowed there: the claim is all that differs). Each page goes into
    the file as soon as it is drawn: memory does not grow with the number of pages."""
    count = 0
    with atomic_path(Path(target)) as temporary:
        # The canvas's opening font would otherwise be Helvetica: referenced on every page, never embedded.
        initial_face = register_face(book, "NotoSansSC-Regular")
        canvas = StreamingCanvas(str(temporary), pageCompression=1, initialFontName=initial_face, pdfa=pdfa)
        try:
            canvas.setTitle(info.title)
            canvas.setAuthor(info.author)
            canvas.setSubject(info.subject)
            # Cards are cut and folded on printed lines: print dialogs open at actual size, not "fit to
            # page" (which shrinks a 90 × 54 mm card by a few per cent).
            canvas.setViewerPreference("PrintScaling", "None")
            if info.keywords:
                canvas.setKeywords(list(info.keywords))
            painter = PdfPainter(canvas, book)
            for page in pages:
                painter.page(page)
                count += 1
            if count == 0:
                raise NothingToWrite("nothing to write: no page was rendered")
            canvas.save()
        finally:
            canvas.close()  # the unfinished file let go, so that it can be removed (Windows)
    return count
