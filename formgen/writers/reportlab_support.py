"""What formgen needs from ReportLab beyond its public API, kept in one small module.

These reach inside ReportLab 4 (pinned below version 5 in pyproject.toml for this reason; 5.1 is the same
in every part used here):
- the ToUnicode CMap helper is replaced, because ReportLab writes code points beyond U+FFFF as five
  hex digits, which readers take as a wrong character (黄𫖯 would extract as 黄⭚), and maps a code to
  U+0000;
- every stream gets the end-of-line marker before `endstream` that the standard asks for;
- TrueType subsets are named by TaggedTTFont, because ReportLab tags the first subset of every font
  AAAAAA+ (ISO 32000-1 9.6.4 wants a distinct tag per subset in a file);
- the page's content stream as the canvas keeps it (`_code`, a list of operator strings): the PDF writer
  appends a QR code's runs as operators it wrote itself, and a text drawn before as the operators kept;
- JPEG pictures are placed as image XObjects through the canvas's document (`_doc`), its content
  stream (`_code`) and its list of forms in use (`_formsinuse`), because Canvas.drawImage decodes every
  picture to hash its pixels, when the composer has already keyed and encoded it;
- DocumentCanvas adds the XMP metadata and the output intent to the document catalogue (`_doc`),
  which ReportLab's canvas has no call for, and gives the file an ID made from its content;
- glyphs the composer shaped (traditional Mongolian) are drawn by glyph id: each (glyph, text) pair gets
  a code of its own in the face's character map (`face.charToGlyph`, `charWidths`), so that ReportLab's
  subsets draw that glyph, and the ToUnicode CMap maps the code to the text the glyph stands for.
Two neighbours hold the rest: reportlab_faces (faces read from the cache folder, their tables in
arrays; TaggedTTFont below measures strings itself for that reason) and reportlab_stream (a canvas that
writes each page into the file as it ends).
Font registration is public API and lives here only so that every ReportLab user in formgen (the PDF
writer, the survey tally's report) registers faces the same way; so does the canvas they draw on.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import string
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import reportlab
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from formgen import clock
from formgen.fonts import FontBook
from formgen.writers.pdf_metadata import (
    LANG,
    SRGB_CONDITION,
    Metadata,
    pdf_date,
    srgb_profile,
    with_content_id,
    xmp_packet,
)
from formgen.writers.reportlab_faces import faces_from_cache

def operators(canvas: Canvas) -> list[str]:
    """The current page's content stream so far: operator strings, to read back or append to."""
    return canvas._code


CREATOR = "formgen"
PRODUCER = f"ReportLab PDF Library {reportlab.Version}"


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be").hex().upper()


# Code points a ToUnicode CMap must not map to (ISO 19005-2 6.2.11.7.2): ReportLab's first subset of
# every font holds U+0000 at code 0, which nothing draws.
_NO_TEXT = {0x0000, 0xFEFF, 0xFFFE}


def to_unicode_cmap(fontname: str, subset) -> str:
    """ReportLab's ToUnicode CMap, with destinations in UTF-16BE as the PDF spec requires: a character
    beyond U+FFFF maps to its surrogate pair; codes that stand for no character are left out."""
    body = ["<%02X> <%s>" % (i, _glyph_text_hex(v) if v in _GLYPH_TEXT else _utf16_hex(v))
            for i, v in enumerate(subset) if v not in _NO_TEXT]
    header = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(body),
    ]
    footer = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(header + body + footer)


# ReportLab looks the helper up by module global at write time; this replacement is identical for
# the Basic Multilingual Plane and correct beyond it.
ttfonts.makeToUnicodeCMap = to_unicode_cmap


_format_stream = pdfdoc.PDFStream.format
_END = b"endstream\n"


def _format_stream_with_eol(self, document) -> bytes:
    """ReportLab writes `…data endstream`; ISO 32000-1 7.3.8.1 asks for an end-of-line marker before
    endstream, outside /Length, and PDF/A (ISO 19005-2 6.1.7.1) requires it."""
    formatted = _format_stream(self, document)
    if not formatted.endswith(_END):
        raise AssertionError("ReportLab's stream layout changed")
    data = formatted[: -len(_END)]
    # Data ending in CR (compressed bytes can) followed by LF would read as data and CRLF, one byte short:
    # then CRLF, so that the marker is CRLF and the CR stays data.
    return data + (b"\r\n" if data.endswith(b"\r") else b"\n") + _END


# Every stream ReportLab writes (pages, fonts, pictures, metadata) is formatted by this one method.
pdfdoc.PDFStream.format = _format_stream_with_eol


def subset_tag(face_name: str, code_points, taken: set[str]) -> str:
    """Six capital letters naming one subset of a face, made from the face and the characters in the
    subset (so the same subset is named alike in every run), and not in taken (the file's other tags)."""
    seed = ("%s\0%s" % (face_name, ",".join(map(str, code_points)))).encode("utf-8")
    for attempt in itertools.count():
        value = int.from_bytes(hashlib.sha256(seed + b"\0%d" % attempt).digest()[:8], "big")
        letters = []
        for _ in range(6):
            value, index = divmod(value, 26)
            letters.append(string.ascii_uppercase[index])
        tag = "".join(letters)
        if tag not in taken:
            taken.add(tag)
            return tag
    raise AssertionError("unreachable")


class TaggedTTFont(ttfonts.TTFont):
    """A TrueType font whose subsets carry distinct tags: ReportLab's TTFont.addObjects (4.x and 5.1 alike)
    with only the subset's name changed, since ReportLab names subset n of every font by n alone. Its
    face's tables are arrays (reportlab_faces), so the string width is ReportLab's Python one: the C
    accelerator's wants the widths in a dict."""

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 (ReportLab's name)
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        # The widths of the characters met so far, by character: the face's table is searched once
        # for each (a character's width never changes; codes added later are new characters).
        met = self.__dict__.setdefault("_met_widths", {})
        try:
            return 0.001 * size * sum(map(met.__getitem__, text))
        except KeyError:
            width, default = self.face.charWidths.get, self.face.defaultWidth
            for char in text:
                if char not in met:
                    met[char] = width(ord(char), default)
            return 0.001 * size * sum(map(met.__getitem__, text))

    def addObjects(self, doc):
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = ttfonts.TTFont.State(self._asciiReadable)
        state.frozen = 1
        taken = doc.__dict__.setdefault("_formgen_subset_tags", set())
        face_name = (self.face.name + self.face.subfontNameX).decode("pdfdoc")
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_font_name = "%s+%s" % (subset_tag(face_name, subset, taken), face_name)

            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = "Font %s subset %d" % (self.fontName, n)
            font.Name = internal_name
            font.BaseFont = base_font_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))

            cmap = pdfdoc.PDFStream()
            cmap.content = ttfonts.makeToUnicodeCMap(base_font_name, subset)
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_font_name)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)

            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]


def register_face(book: FontBook, face_name: str) -> str:
    """The face registered with ReportLab under its font-book name (once per process)."""
    if face_name not in pdfmetrics.getRegisteredFontNames():
        face = book.face(face_name)
        with faces_from_cache():
            pdfmetrics.registerFont(TaggedTTFont(face_name, str(face.path), subfontIndex=face.index))
    return face_name


def _text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, as hex: any character, no escaping."""
    return "<FEFF%s>" % text.encode("utf-16-be").hex().upper()


@contextmanager
def actual_text(canvas: Canvas, text: str) -> Iterator[None]:
    """What is drawn inside is one marked-content span whose /ActualText is text (ISO 32000-1 14.9.4):
    search, copy and screen readers get text as it is written, whatever the glyphs drawn are (a
    letter-spaced name drawn glyph by glyph, shaped glyphs that map to no single character)."""
    canvas.addLiteral("/Span <</ActualText %s>> BDC" % _text_string(text))
    yield
    canvas.addLiteral("EMC")


class DocumentCanvas(Canvas):
    """A canvas whose file says what it is, for print shops and archives: language (zh-CN), the title
    shown by viewers, real creation dates (formgen.clock, SOURCE_DATE_EPOCH honoured), XMP metadata
    repeating the Info dictionary, an sRGB output intent, an ID made from the content, and with pdfa
    the PDF/A-2b claim. Otherwise ReportLab's invariant mode: the same input gives the same bytes.

    Platypus takes it as a canvasmaker (functools.partial(DocumentCanvas, pdfa=...))."""

    def __init__(self, filename, *args, pdfa: bool = False, **kwargs):
        kwargs["invariant"] = 1  # no timestamps or comments of ReportLab's own; sorted graphics state
        kwargs["lang"] = kwargs.get("lang") or LANG
        super().__init__(filename, *args, **kwargs)
        self._pdfa = pdfa
        self._moment = clock.file_time()
        stamp = pdf_date(self._moment)
        self.setDateFormatter(lambda *_ignored: stamp)
        self.setViewerPreference("DisplayDocTitle", "true")

    def metadata(self) -> Metadata:
        """What the Info dictionary will say, read when the file is written (platypus sets it late)."""
        info = self._doc.info
        return Metadata(title=info.title, author=info.author, subject=info.subject, keywords=info.keywords,
                        creator=info.creator, producer=info.producer, moment=self._moment, pdfa=self._pdfa)

    def save(self) -> None:
        self.complete_catalog()
        data = with_content_id(self.getpdfdata())
        target = self._filename
        if hasattr(target, "write"):
            target.write(data)
        else:
            Path(target).write_bytes(data)

    def complete_catalog(self) -> None:
        """Creator and producer, the XMP metadata and the output intent: what save adds at the end."""
        self.setCreator(CREATOR)
        self.setProducer(PRODUCER)
        catalog = self._doc.Catalog
        xmp = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                     "Subtype": pdfdoc.PDFName("XML")}),
                               xmp_packet(self.metadata()))  # unfiltered: archives read it as text
        catalog.Metadata = xmp
        profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), srgb_profile(),
                                   filters=[pdfdoc.PDFZCompress])
        intent = pdfdoc.PDFDictionary({
            "Type": pdfdoc.PDFName("OutputIntent"), "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString(SRGB_CONDITION),
            "Info": pdfdoc.PDFString(SRGB_CONDITION), "RegistryName": pdfdoc.PDFString("http://www.color.org"),
            "DestOutputProfile": self._doc.Reference(profile),
        })
        catalog.OutputIntents = pdfdoc.PDFArray([intent])
        # ReportLab's catalogue writes only the keys it knows; OutputIntents is not among them.
        if "OutputIntents" not in catalog.__NoDefault__:
            catalog.__NoDefault__ = list(catalog.__NoDefault__) + ["OutputIntents"]


def draw_jpeg(canvas, name: str, data: bytes, x: float, y: float, w: float, h: float) -> None:
    """JPEG bytes placed as they are (DCTDecode) in the box, stored once per name in the file."""
    doc = canvas._doc
    reg_name = doc.getXObjectName(name)
    if reg_name not in doc.idToObject:
        xobject = pdfdoc.PDFImageXObject(name)
        if not xobject.loadImageFromJPEG(io.BytesIO(data)):
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


def _glyph_text_hex(code: int) -> str:
    """What a shaped glyph's code stands for, in UTF-16BE. A glyph after the first of its cluster (a
    letter drawn with an extension stroke) stands for no character of its own: it maps to U+200D (zero
    width joiner), which every code needs (PDF/A-2u) and which changes nothing where the text is pasted;
    readers that honour ActualText never see it."""
    return (_GLYPH_TEXT[code] or "\u200d").encode("utf-16-be").hex().upper()


# ---- shaped glyphs ----------------------------------------------------------------------------------
# Codes standing for shaped glyphs are taken from Supplementary Private Use Area-B, which no bundled or
# Windows font maps, one for every (face, glyph, text) pair: the same glyph can stand for different
# letters (one ligature glyph draws ᠬᠥ and ᠭᠦ), so a glyph alone cannot say what it reads as.
_FIRST_GLYPH_CODE = 0x100000
_GLYPH_TEXT: dict[int, str] = {}  # code → the characters the glyph shows ("" for a cluster's later glyphs)
_GLYPH_CODES: dict[tuple[str, int, str], int] = {}


def _glyph_char(font, face_name: str, glyph_id: int, text: str) -> str:
    """The character ReportLab is given to draw glyph_id in font, standing for text in the text layer."""
    face = font.face
    if len(text) == 1 and face.charToGlyph.get(ord(text)) == glyph_id:
        return text  # the glyph of the character itself: its own code says it
    key = (face_name, glyph_id, text)
    code = _GLYPH_CODES.get(key)
    if code is None:
        code = _FIRST_GLYPH_CODE + len(_GLYPH_CODES)
        if code > 0x10FFFD:
            raise ValueError("too many distinct shaped glyphs in one process")
        _GLYPH_CODES[key] = code
        _GLYPH_TEXT[code] = text
        face.charToGlyph[code] = glyph_id
        face.glyphToChar.setdefault(glyph_id, []).append(code)
        advance = face.hmetrics[glyph_id][0] if glyph_id < len(face.hmetrics) else 0
        face.charWidths[code] = advance * 1000.0 / face.unitsPerEm
    return chr(code)


def draw_glyphs(canvas, book: FontBook, face_name: str, size: float, placed, text: str) -> None:
    """Glyphs drawn by id, each at its own text matrix, inside one ActualText span giving text back.

    placed: (glyph id, the text it shows, (a, b, c, d, e, f) text matrix in PDF space) for every glyph.
    """
    font_name = register_face(book, face_name)
    font = pdfmetrics.getFont(font_name)
    with actual_text(canvas, text):
        text_object = canvas.beginText()
        text_object.setFont(font_name, size)
        for glyph_id, shows, matrix in placed:
            text_object.setTextTransform(*matrix)
            text_object.textOut(_glyph_char(font, face_name, glyph_id, shows))
        canvas.drawText(text_object)
