"""PDF writer (ReportLab): draws the finished pages; the y-flip and font embedding live only here."""
from __future__ import annotations

import io
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from formgen.document import Document, Image, Matrix, Page, Rect, Rule, Table, Text
from formgen.fonts import BUNDLED_FONT_DIR, FontBook, default_font_book
from formgen.writers import NothingToWrite
from formgen.files import atomic_path

# Image streams stay binary: ASCII85 wrapping costs time and a quarter more bytes, for 7-bit channels
# nobody uses any more.
rl_config.useA85 = 0

# Stroke width, in ems, that thickens a regular face to stand beside bold text, as word processors do
# for a font with no bold.
FAKE_BOLD_STROKE = 1 / 30


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset) -> str:
    """ReportLab's ToUnicode CMap, with destinations in UTF-16BE as the PDF spec requires.

    ReportLab writes code points beyond U+FFFF as 5 hex digits, which readers take as a wrong
    character (黄𫖯 extracts as 黄⭚); a surrogate pair is the correct destination.
    """
    header = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset),
    ]
    body = ["<%02X> <%s>" % (i, _utf16_hex(v)) for i, v in enumerate(subset)]
    footer = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(header + body + footer)


# ReportLab looks the helper up by module global at write time; this replacement is identical for
# the Basic Multilingual Plane and correct beyond it.
ttfonts.makeToUnicodeCMap = to_unicode_cmap


def _register(book: FontBook, face_name: str) -> str:
    if face_name not in pdfmetrics.getRegisteredFontNames():
        face = book.face(face_name)
        pdfmetrics.registerFont(ttfonts.TTFont(face_name, str(face.path), subfontIndex=face.index))
    return face_name


class PdfPainter:
    """Draws one page's items on a ReportLab canvas."""

    def __init__(self, canvas: Canvas, book: FontBook):
        self.canvas = canvas
        self.book = book
        self.page_height = 0.0

    def y(self, top_down: float) -> float:
        return self.page_height - top_down

    def page(self, page: Page) -> None:
        self.page_height = page.height
        self.canvas.setPageSize((page.width, page.height))
        for item in page.items:
            self.item(item)
        self.canvas.showPage()

    def item(self, item) -> None:
        draw = {Text: self.text, Image: self.image, Matrix: self.matrix, Rule: self.rule, Rect: self.rect,
                Table: self.table}.get(type(item))
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
        canvas = self.canvas
        turned = self._turned(item.box, item.rotation)
        canvas.setFillColor(HexColor(item.color))
        for line in item.lines:
            for run in line.runs:
                if run.fake_bold:
                    canvas.saveState()
                    canvas.setStrokeColor(HexColor(item.color))
                    canvas.setLineWidth(item.size * FAKE_BOLD_STROKE)
                text_object = canvas.beginText()
                text_object.setFont(_register(self.book, run.face), item.size)
                text_object.setCharSpace(line.char_space)
                if run.fake_bold:
                    text_object.setTextRenderMode(2)  # fill and stroke: the outline thickened
                text_object.setTextOrigin(item.box.x + line.x + run.x, self.y(item.box.y + line.baseline))
                text_object.textOut(run.text)
                canvas.drawText(text_object)
                if run.fake_bold:
                    canvas.restoreState()
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
        canvas, doc = self.canvas, self.canvas._doc
        name = "fg" + item.key
        reg_name = doc.getXObjectName(name)
        if reg_name not in doc.idToObject:
            xobject = pdfdoc.PDFImageXObject(name)
            if not xobject.loadImageFromJPEG(io.BytesIO(item.data)):
                raise ValueError("picture data is not a JPEG")
            xobject.name = name
            doc.Reference(xobject, reg_name)
            doc.addForm(name, xobject)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(w, h)
        canvas._code.append("/%s Do" % reg_name)
        canvas.restoreState()
        canvas._formsinuse.append(name)

    def matrix(self, item: Matrix) -> None:
        canvas = self.canvas
        turned = self._turned(item.box, item.rotation)
        count = len(item.modules) + 2 * item.quiet_zone
        module = item.box.w / count
        origin_x = item.box.x + item.quiet_zone * module
        origin_y = item.box.y + item.quiet_zone * module
        canvas.setFillColor(HexColor("#FFFFFF"))
        canvas.rect(item.box.x, self.y(item.box.bottom), item.box.w, item.box.h, stroke=0, fill=1)
        path = canvas.beginPath()
        for r, row in enumerate(item.modules):
            c = 0
            while c < len(row):
                if row[c] == "1":
                    start = c
                    while c < len(row) and row[c] == "1":
                        c += 1
                    # Horizontal runs as one rectangle: fewer operators, no hairline seams.
                    path.rect(origin_x + start * module, self.y(origin_y + (r + 1) * module),
                              (c - start) * module, module)
                else:
                    c += 1
        canvas.setFillColor(HexColor(item.color))
        canvas.drawPath(path, stroke=0, fill=1)
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


def write(document: Document, target: Path, book: FontBook | None = None) -> int:
    """Write all pages to target (atomically); returns the page count."""
    book = book or default_font_book()
    count = 0
    with atomic_path(Path(target)) as temporary:
        # The canvas's opening font would otherwise be Helvetica: referenced on every page, never embedded.
        initial_face = _register(book, "NotoSansSC-Regular")
        canvas = Canvas(str(temporary), invariant=1, pageCompression=1, initialFontName=initial_face)
        canvas.setTitle(document.title)
        canvas.setAuthor(document.author)
        canvas.setSubject(document.subject)
        canvas.setCreator("formgen")
        # Cards are cut and folded on printed lines: print dialogs open at actual size, not "fit to page"
        # (which shrinks a 90 × 54 mm card by a few per cent).
        canvas.setViewerPreference("PrintScaling", "None")
        canvas.setViewerPreference("DisplayDocTitle", "true")
        if document.keywords:
            canvas.setKeywords(list(document.keywords))
        painter = PdfPainter(canvas, book)
        for page in document:
            painter.page(page)
            count += 1
        if count == 0:
            raise NothingToWrite("nothing to write: no page was rendered")
        canvas.save()
    return count


__all__ = ["write", "to_unicode_cmap", "BUNDLED_FONT_DIR"]
