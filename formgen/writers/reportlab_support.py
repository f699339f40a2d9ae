"""What formgen needs from ReportLab beyond its public API, kept in one small module.

Three things reach inside ReportLab 4 (pinned below version 5 in pyproject.toml for this reason):
- the ToUnicode CMap helper is replaced, because ReportLab writes code points beyond U+FFFF as five
  hex digits, which readers take as a wrong character (黄𫖯 would extract as 黄⭚);
- JPEG pictures are placed as image XObjects through the canvas's document (`_doc`), its content
  stream (`_code`) and its list of forms in use (`_formsinuse`), because Canvas.drawImage decodes every
  picture to hash its pixels, when the composer has already keyed and encoded it.
Font registration is public API and lives here only so that every ReportLab user in formgen (the PDF
writer, the survey tally's report) registers faces the same way.
"""
from __future__ import annotations

import io

from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts

from formgen.fonts import FontBook


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset) -> str:
    """ReportLab's ToUnicode CMap, with destinations in UTF-16BE as the PDF spec requires: a character
    beyond U+FFFF maps to its surrogate pair."""
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


def register_face(book: FontBook, face_name: str) -> str:
    """The face registered with ReportLab under its font-book name (once per process)."""
    if face_name not in pdfmetrics.getRegisteredFontNames():
        face = book.face(face_name)
        pdfmetrics.registerFont(ttfonts.TTFont(face_name, str(face.path), subfontIndex=face.index))
    return face_name


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
