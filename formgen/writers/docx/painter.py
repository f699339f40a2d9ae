"""DOCX writer: the same finished pages as the PDF, as an editable Word document with its fonts inside.

Every page is a section of its own with the page's exact size and no margins. Text items become text
boxes anchored to the page, holding one paragraph per composed line with exact line spacing, so Word
and LibreOffice break lines where the composer did; pictures, QR codes, rules and frames are anchored
drawings; tables are native Word tables floating at their place; text turned 180° (the back of a
folded card) is a metafile picture of text records. The package is written part by part:
python-docx re-hashes every picture already in a package for each one it adds, which is quadratic in
the number of cards.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Iterable

from PIL import Image as PILImage

from formgen.document import (
    Cell,
    DocumentInfo,
    Image,
    Matrix,
    Page,
    Rect,
    Rule,
    Table,
    Text,
    TextLine,
)
from formgen.files import atomic_path
from formgen.fonts import FontBook
from formgen.units import Box
from formgen.writers import NothingToWrite
from formgen.writers.docx import package as parts
from formgen.writers.docx.emf import FontChoice, turned_text_emf
from formgen.writers.docx.fonts import FontUsage

EMU_PER_PT = 12700
TWIPS_PER_PT = 20
QR_PIXELS_PER_MODULE = 10
# Room given to text boxes beyond the composed box on the right: the composer has broken the lines, and
# a small difference in another renderer's widths must not wrap them again.
TEXT_BOX_SLACK = 72.0
# The least room (points) left around a centred or right-aligned line, or spread over a distributed
# one, for the paragraph to be aligned by the word processor rather than placed by its indent.
ALIGN_MARGIN = 0.5


def emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def twips(points: float) -> int:
    return round(points * TWIPS_PER_PT)


def baseline_in_line(size: float, line_height: float, ascent: float, descent: float) -> float:
    """Where LibreOffice puts the baseline inside a line of exact height, from the line's top.

    Measured: the line is shared between ascent and descent in the font's own proportion (hhea
    metrics), whatever the line height; not centred on the em box as the composer places it.
    """
    return line_height * ascent / (ascent + descent)


class DocxPainter:
    """Builds document.xml and collects the pictures and fonts it refers to."""

    def __init__(self, book: FontBook):
        self.book = book
        self.fonts = FontUsage(book)
        self.media: dict[str, tuple[str, bytes]] = {}  # picture key → (part name, bytes)
        self.media_ids: dict[str, str] = {}  # picture key → relationship id
        self.next_id = 1
        self.z = 1
        self.body: list[str] = []
        self._line_metrics: dict[str, tuple[float, float]] = {}

    # ---- ids -----------------------------------------------------------------------------------
    def drawing_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def z_order(self) -> int:
        self.z += 1
        return self.z

    # ---- pages ---------------------------------------------------------------------------------
    def page(self, page: Page, last: bool) -> None:
        anchors: list[str] = []
        for item in page.items:
            kind = type(item)
            if kind is Table:
                anchors.append(self.table_box(item))
            elif kind is Text:
                anchors.append(self.text(item))
            elif kind is Image:
                anchors.append(self.picture(item.box, item.key, item.data, item.format, item.rotation,
                                            item.behind, item.name or "picture"))
            elif kind is Matrix:
                anchors.append(self.matrix(item))
            elif kind is Rule:
                anchors.append(self.rule(item))
            elif kind is Rect:
                anchors.append(self.rect(item))
            else:
                raise TypeError(f"the DOCX writer cannot draw {kind.__name__}")
        section = self.section(page)
        # One small paragraph carries the page's anchored drawings and ends its section.
        ppr = ('<w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
               + ("" if last else section) + '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr>')
        self.body.append(f"<w:p>{ppr}{''.join(anchors)}</w:p>")
        if last:
            self.body.append(section)

    @staticmethod
    def section(page: Page) -> str:
        orient = ' w:orient="landscape"' if page.width > page.height else ""
        return (f'<w:sectPr><w:type w:val="nextPage"/><w:pgSz w:w="{twips(page.width)}" w:h="{twips(page.height)}"'
                f'{orient}/>'
                '<w:pgMar w:top="0" w:right="0" w:bottom="0" w:left="0" w:header="0" w:footer="0" w:gutter="0"/>'
                '<w:cols w:space="0"/><w:docGrid w:linePitch="1"/></w:sectPr>')

    # ---- anchors -------------------------------------------------------------------------------
    def anchor(self, x: float, y: float, w: float, h: float, graphic: str, name: str, behind: bool = False) -> str:
        drawing = self.drawing_id()
        anchored = (
            '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="{self.z_order()}" behindDoc="{1 if behind else 0}" locked="0" layoutInCell="1" '
            'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{emu(x)}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{emu(y)}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{emu(w)}" cy="{emu(h)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{drawing}" name={parts.attr(f"{name} {drawing}")}/><wp:cNvGraphicFramePr/>'
            f"<a:graphic>{graphic.replace('@ID@', str(drawing))}</a:graphic></wp:anchor></w:drawing>"
        )
        if "wordprocessingShape" in graphic:
            # Word writes its 2010 shapes inside AlternateContent, so older readers can skip them.
            return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
                    f"{anchored}</mc:Choice><mc:Fallback/></mc:AlternateContent></w:r>")
        return f"<w:r>{anchored}</w:r>"

    @staticmethod
    def xfrm(w: float, h: float) -> str:
        return f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'

    def shape(self, x, y, w, h, geometry: str, fill: str | None, stroke: str | None, width: float,
              dash, name: str, behind: bool = False) -> str:
        fill_xml = f'<a:solidFill><a:srgbClr val="{fill.lstrip("#").upper()}"/></a:solidFill>' if fill else "<a:noFill/>"
        if stroke and width > 0:
            dash_xml = ""
            if dash:
                pairs = list(dash) + ([] if len(dash) % 2 == 0 else list(dash))
                dash_xml = "<a:custDash>" + "".join(
                    f'<a:ds d="{round(on / width * 100000)}" sp="{round(off / width * 100000)}"/>'
                    for on, off in zip(pairs[::2], pairs[1::2])) + "</a:custDash>"
            line_xml = (f'<a:ln w="{emu(width)}"><a:solidFill><a:srgbClr val="{stroke.lstrip("#").upper()}"/>'
                        f"</a:solidFill>{dash_xml}</a:ln>")
        else:
            line_xml = "<a:ln><a:noFill/></a:ln>"
        graphic = ('<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
                   f"<wps:wsp><wps:cNvSpPr/><wps:spPr>{self.xfrm(w, h)}{geometry}{fill_xml}"
                   f"{line_xml}</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>")
        return self.anchor(x, y, w, h, graphic, name, behind)

    def rule(self, item: Rule) -> str:
        """A line as a path inside a box padded by half its width.

        A preset line in a zero-width box (every vertical rule) is drawn by LibreOffice turned 90° at
        some positions on the page (a badge sheet's top centre crop mark); a box with area is not.
        """
        pad = max(item.width / 2, 0.1)
        x, y = min(item.x1, item.x2) - pad, min(item.y1, item.y2) - pad
        w, h = abs(item.x2 - item.x1) + 2 * pad, abs(item.y2 - item.y1) + 2 * pad

        def point(px: float, py: float) -> str:
            return f'<a:pt x="{emu(px - x)}" y="{emu(py - y)}"/>'

        geometry = ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
                    f'<a:pathLst><a:path w="{emu(w)}" h="{emu(h)}" fill="none">'
                    f"<a:moveTo>{point(item.x1, item.y1)}</a:moveTo><a:lnTo>{point(item.x2, item.y2)}</a:lnTo>"
                    "</a:path></a:pathLst></a:custGeom>")
        return self.shape(x, y, w, h, geometry, None, item.color, item.width, item.dash, item.name or "rule")

    def rect(self, item: Rect) -> str:
        box = item.box
        if item.radius:
            adj = round(min(50000, item.radius / max(1e-6, min(box.w, box.h)) * 100000))
            geometry = f'<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val {adj}"/></a:avLst></a:prstGeom>'
        else:
            geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        return self.shape(box.x, box.y, box.w, box.h, geometry, item.fill, item.stroke, item.width, item.dash,
                          item.name or "rect", behind=item.behind)

    # ---- pictures ------------------------------------------------------------------------------
    def picture(self, box, key: str, data: bytes, fmt: str, rotation: int, behind: bool, name: str) -> str:
        if rotation % 360:
            # Renderers differ on turned pictures; turned pixels look the same everywhere.
            key, data = f"{key}-turned{rotation % 360}", _turn_pixels(data, fmt, rotation)
        rid = self.media_ids.get(key)
        if rid is None:
            rid = self.media_ids[key] = f"rIdImg{len(self.media_ids) + 1}"
            self.media[key] = (f"media/image{len(self.media)}.{fmt}", data)
        graphic = ('<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
                   f'<pic:nvPicPr><pic:cNvPr id="@ID@" name={parts.attr(name)}/><pic:cNvPicPr/></pic:nvPicPr>'
                   f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
                   f'<pic:spPr>{self.xfrm(box.w, box.h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                   "</pic:spPr></pic:pic></a:graphicData>")
        return self.anchor(box.x, box.y, box.w, box.h, graphic, name, behind)

    def matrix(self, item: Matrix) -> str:
        """A QR code as one vector shape: a white square, and every run of dark modules a rectangle."""
        count = len(item.modules) + 2 * item.quiet_zone
        box = item.box
        runs = []
        for r, start, end in item.dark_runs():
            x0, x1, y0, y1 = start + item.quiet_zone, end + item.quiet_zone, r + item.quiet_zone, r + 1 + item.quiet_zone
            if item.rotation % 360 == 180:
                x0, x1, y0, y1 = count - x1, count - x0, count - y1, count - y0
            runs.append(f'<a:moveTo><a:pt x="{x0}" y="{y0}"/></a:moveTo><a:lnTo><a:pt x="{x1}" y="{y0}"/></a:lnTo>'
                        f'<a:lnTo><a:pt x="{x1}" y="{y1}"/></a:lnTo><a:lnTo><a:pt x="{x0}" y="{y1}"/></a:lnTo>'
                        "<a:close/>")
        geometry = ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
                    f'<a:pathLst><a:path w="{count}" h="{count}">{"".join(runs)}</a:path></a:pathLst></a:custGeom>')
        white = self.shape(box.x, box.y, box.w, box.h, '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>', "#FFFFFF",
                           None, 0, None, f"{item.name or 'qr'} quiet zone")
        return white + self.shape(box.x, box.y, box.w, box.h, geometry, item.color, None, 0, None,
                                  f"{item.name or 'qr'}: {item.content}")

    # ---- text ----------------------------------------------------------------------------------
    def line_metrics(self, face: str) -> tuple[float, float]:
        """(ascent, descent) in ems as renderers lay out lines: the hhea metrics."""
        cached = self._line_metrics.get(face)
        if cached is None:
            cached = self._line_metrics[face] = self.book.face(face).line_metrics
        return cached

    def run(self, text: str, face: str, size: float, color: str, char_space: float,
            fake_bold: bool = False) -> str:
        self.fonts.add(face, text)
        family, bold = self.fonts.family(face)
        bold = bold or fake_bold  # on a face without bold, the reader emboldens it
        name = parts.attr(family)
        props = (f"<w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>"
                 + ("<w:b/><w:bCs/>" if bold else "")
                 + f'<w:color w:val="{color.lstrip("#").upper()}"/>'
                 + (f'<w:spacing w:val="{twips(char_space)}"/>' if char_space else "")
                 + f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
                 + '<w:lang w:eastAsia="zh-CN"/>')
        return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{parts.text(text)}</w:t></w:r>'

    @staticmethod
    def alignment(line: TextLine, item: Text, container: float) -> tuple[str, float, float, bool]:
        """(w:jc, left indent, right indent, keep the composer's char spacing) for one composed line.

        The paragraph states the layout's alignment, so an edited line re-aligns as the layout meant,
        and its indents leave exactly the room the composer aligned the line in, so the unedited line
        lands where the composer put it. Where that room is too tight to be safe against another
        renderer's rounding, the line is placed by its indent alone. Justified lines are placed so too:
        each composed line is a paragraph of its own, which Word would not stretch as a last line, so
        the composer's char spacing stretches it.
        """
        box_width = item.box.w
        start, end = line.x, line.x + line.width
        characters = len(line.text)
        if item.align == "distribute" and characters > 1 and line.char_space > ALIGN_MARGIN / (characters - 1):
            return "distribute", start, container - end, False
        if item.align == "center":
            centre = (start + end) / 2
            half = min(centre, box_width - centre)
            if half - line.width / 2 >= ALIGN_MARGIN:
                return "center", centre - half, container - (centre + half), True
        if item.align == "right" and start >= ALIGN_MARGIN:
            return "right", 0.0, container - end, True
        return "left", start, 0.0, True

    def paragraph(self, line: TextLine, item: Text, container: float) -> str:
        jc, left, right, spaced = self.alignment(line, item, container)
        spacing = f'<w:spacing w:before="0" w:after="0" w:line="{twips(item.line_height)}" w:lineRule="exact"/>'
        # Autospace stays on: the composer has measured lines with it (LibreOffice cannot switch it off).
        ppr = ('<w:pPr><w:wordWrap w:val="0"/>'
               f'<w:snapToGrid w:val="0"/>{spacing}<w:ind w:left="{twips(left)}" w:right="{twips(right)}" '
               f'w:firstLine="0"/><w:jc w:val="{jc}"/><w:rPr><w:sz w:val="{round(item.size * 2)}"/></w:rPr></w:pPr>')
        char_space = line.char_space if spaced else 0.0
        runs = "".join(self.run(r.text, r.face, item.size, item.color, char_space, r.fake_bold) for r in line.runs)
        return f"<w:p>{ppr}{runs}</w:p>"

    def paragraphs(self, item: Text, container: float) -> str:
        """One paragraph per composed line; container is the width the paragraphs are set in."""
        return "".join(self.paragraph(line, item, container) for line in item.lines)

    def first_line_top(self, item: Text) -> float:
        """Where the first line box must start (from the item's box top) for the baselines to agree."""
        line = item.lines[0]
        face = line.runs[0].face if line.runs else "NotoSerifSC-Regular"
        ascent, descent = self.line_metrics(face)
        return line.baseline - baseline_in_line(item.size, item.line_height, ascent, descent)

    def turned_text(self, item: Text) -> str:
        """Text turned 180° as a metafile of text records: word processors do not reliably turn the
        text of a text box upside down (LibreOffice keeps it upright)."""
        for line in item.lines:
            for run in line.runs:
                self.fonts.add(run.face, run.text)
        margin = item.size
        data = turned_text_emf(item, lambda run: FontChoice(self.fonts.family(run.face)[0],
                                                             self.fonts.family(run.face)[1] or run.fake_bold),
                               lambda face, char: self.book.face(face).char_width(char) * item.size, margin)
        box = Box(item.box.x - margin, item.box.y - margin, item.box.w + 2 * margin, item.box.h + 2 * margin)
        # Keyed by content: the same turned heading on every card is stored once.
        key = "emf-" + hashlib.sha1(data).hexdigest()
        return self.picture(box, key, data, "emf", 0, False, f"{item.name or 'text'}: {item.text}")

    def text(self, item: Text) -> str:
        if item.rotation % 360:
            return self.turned_text(item)
        box = item.box
        top = self.first_line_top(item)
        total = item.line_height * len(item.lines)
        slack = TEXT_BOX_SLACK
        y, height = box.y + top, max(total, box.h - top) + item.line_height
        content = self.paragraphs(item, box.w + slack)
        graphic = ('<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
                   '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
                   f'{self.xfrm(box.w + slack, height)}<a:prstGeom prst="rect"><a:avLst/>'
                   '</a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
                   f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
                   '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" '
                   'anchorCtr="0" upright="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>')
        return self.anchor(box.x, y, box.w + slack, height, graphic, item.name or "text")

    # ---- tables --------------------------------------------------------------------------------
    def table_box(self, item: Table) -> str:
        """The table in a text box anchored at its place: floating tables are placed unreliably."""
        box = item.box
        content = self.table(item) + ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
                                      'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')
        graphic = ('<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
                   '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
                   f'{self.xfrm(box.w + 2, box.h + 2)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
                   '<a:ln><a:noFill/></a:ln></wps:spPr>'
                   f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
                   '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" '
                   'anchorCtr="0" upright="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>')
        # Word and LibreOffice draw a table's outer border inside its edge; the composer's rules are
        # centred on the edge, as in the PDF.
        half = item.border_width / 2
        return self.anchor(box.x - half, box.y - half, box.w + 2, box.h + 2, graphic, item.name or "table")

    def table(self, item: Table) -> str:
        border = round(item.border_width * 8)
        color = item.border_color.lstrip("#").upper()
        edge = (f'w:val="single" w:sz="{border}" w:space="0" w:color="{color}"' if border
                else 'w:val="nil"')
        borders = "".join(f"<w:{side} {edge}/>" for side in ("top", "left", "bottom", "right", "insideH",
                                                              "insideV"))
        grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in item.column_widths)
        props = (f'<w:tblPr><w:tblW w:w="{twips(item.box.w)}" w:type="dxa"/>'
                 f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
                 '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
                 '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
                 '<w:tblLook w:val="0000"/></w:tblPr>')
        starts = {(c.row, c.col): c for c in item.cells}
        covered: dict[tuple[int, int], Cell] = {}
        for cell in item.cells:
            for r in range(cell.row + 1, cell.row + cell.row_span):
                covered[(r, cell.col)] = cell
        rows = []
        for r, height in enumerate(item.row_heights):
            cells, c = [], 0
            while c < len(item.column_widths):
                if (r, c) in starts:
                    cell = starts[(r, c)]
                    cells.append(self.cell(cell, item, restart=cell.row_span > 1))
                    c += cell.col_span
                elif (r, c) in covered:
                    cell = covered[(r, c)]
                    cells.append(self.cell(cell, item, continued=True))
                    c += cell.col_span
                else:
                    c += 1
            rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{twips(height)}" w:hRule="exact"/></w:trPr>'
                        + "".join(cells) + "</w:tr>")
        return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"

    def cell(self, cell: Cell, table: Table, restart: bool = False, continued: bool = False) -> str:
        width = sum(table.column_widths[cell.col:cell.col + cell.col_span])
        left, top, right, bottom = cell.padding
        props = f'<w:tcW w:w="{twips(width)}" w:type="dxa"/>'
        if cell.col_span > 1:
            props += f'<w:gridSpan w:val="{cell.col_span}"/>'
        if restart:
            props += '<w:vMerge w:val="restart"/>'
        elif continued:
            props += "<w:vMerge/>"
        if cell.fill:
            props += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill.lstrip("#").upper()}"/>'
        props += (f'<w:tcMar><w:top w:w="{twips(top)}" w:type="dxa"/><w:left w:w="{twips(left)}" w:type="dxa"/>'
                  f'<w:bottom w:w="{twips(bottom)}" w:type="dxa"/><w:right w:w="{twips(right)}" w:type="dxa"/>'
                  "</w:tcMar>")
        props += f'<w:vAlign w:val="{ {"middle": "center"}.get(cell.valign, cell.valign) }"/>'
        content = cell.content
        if continued or content is None or not content.lines:
            body = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p>'
        else:
            body = self.paragraphs(content, width - left - right)
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def _turn_pixels(data: bytes, fmt: str, rotation: int) -> bytes:
    with PILImage.open(io.BytesIO(data)) as image:
        turned = image.rotate(-rotation, expand=True)
        buffer = io.BytesIO()
        turned.save(buffer, format="PNG" if fmt == "png" else "JPEG", quality=90)
    return buffer.getvalue()


def write(pages: Iterable[Page], info: DocumentInfo, target: Path, book: FontBook) -> int:
    """Write all pages as one DOCX (atomically); returns the page count.

    Pages are taken one at a time and document.xml is streamed into the package, so a thousand cards
    never sit in memory at once; the parts that depend on what the pages used (fonts, pictures) follow it.
    """
    painter = DocxPainter(book)
    pages = iter(pages)
    current = next(pages, None)
    if current is None:
        raise NothingToWrite("nothing to write: no page was rendered")
    count = 0
    with atomic_path(Path(target)) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as package:
        def put(name: str, data: bytes | str, compress: bool = True) -> None:
            part = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            part.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            package.writestr(part, data.encode("utf-8") if isinstance(data, str) else data)

        entry = zipfile.ZipInfo("word/document.xml", date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        with package.open(entry, "w", force_zip64=True) as stream:
            stream.write((parts.DECLARATION + f'<w:document {parts.XMLNS} mc:Ignorable="w14"><w:body>').encode())
            while current is not None:  # one page ahead, to know which page is the last
                following = next(pages, None)
                painter.page(current, last=following is None)
                stream.write("".join(painter.body).encode("utf-8"))
                painter.body.clear()
                count, current = count + 1, following
            stream.write(b"</w:body></w:document>")
        embedded = painter.fonts.embedded()
        font_rels, families = [], {}
        for n, font in enumerate(embedded, 1):
            rid = f"rIdFont{n}"
            font_rels.append((rid, parts.REL_FONT, f"fonts/font{n}.odttf"))
            families.setdefault(font.family, []).append(("embedBold" if font.bold else "embedRegular", rid, font.key))
        document_rels = [("rIdStyles", parts.REL_STYLES, "styles.xml"),
                         ("rIdSettings", parts.REL_SETTINGS, "settings.xml"),
                         ("rIdFontTable", parts.REL_FONT_TABLE, "fontTable.xml")]
        document_rels += [(painter.media_ids[key], parts.REL_IMAGE, name) for key, (name, _) in painter.media.items()]
        extensions = {name.rsplit(".", 1)[1] for name, _ in painter.media.values()}
        put("[Content_Types].xml", parts.content_types(extensions, bool(embedded)))
        put("_rels/.rels", parts.relationships([("rId1", parts.REL_DOCUMENT, "word/document.xml"),
                                                ("rId2", parts.REL_CORE, "docProps/core.xml")]))
        put("docProps/core.xml", parts.core_properties(info.title, info.author, info.subject))
        put("word/_rels/document.xml.rels", parts.relationships(document_rels))
        put("word/styles.xml", parts.styles(book.face("NotoSerifSC-Regular").family))
        put("word/settings.xml", parts.settings(bool(embedded)))
        put("word/fontTable.xml", parts.font_table(sorted(families.items())))
        put("word/_rels/fontTable.xml.rels", parts.relationships(font_rels))
        for n, font in enumerate(embedded, 1):
            put(f"word/fonts/font{n}.odttf", font.data)
        for name, data in painter.media.values():
            # JPEG and PNG are compressed already; metafiles are not.
            put(f"word/{name}", data, compress=name.endswith(".emf"))
    return count
