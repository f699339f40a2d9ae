"""What every DOCX part shares: namespaces, user text escaped as XML, units and colours."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from formgen.characters import without_xml_forbidden

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "v": "urn:schemas-microsoft-com:vml",  # the fallbacks of Word 2010 shapes (vml.py)
    "w10": "urn:schemas-microsoft-com:office:word",
}
XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

EMU_PER_PT = 12700
TWIPS_PER_PT = 20


# The stand-in written after each font family's name while the pages stream in: the document's own
# name for its fonts (fonts.FontUsage.tag) is known only once every character has been seen, and is put
# in its place as document.xml enters the package (package.Package.stream). Three Unicode
# noncharacters, nine bytes in UTF-8 like the " 1A2B3C4D" that replaces them, so the part's size does
# not change; user text never carries them (text() and attr() drop them).
FONT_TAG = "\ufdd0\ufdd1\ufdd2"
_TAG_CHARACTERS = dict.fromkeys(map(ord, FONT_TAG))


def text(value: str) -> str:
    """User text as XML character data."""
    # the roster loader removed forbidden characters; this is the last guard
    return escape(without_xml_forbidden(value).translate(_TAG_CHARACTERS))


def attr(value: str) -> str:
    """User text as a quoted XML attribute value."""
    return quoteattr(without_xml_forbidden(value).translate(_TAG_CHARACTERS))


def font_attr(family: str) -> str:
    """A font family as a quoted attribute value, followed by the stand-in for the document's tag."""
    return '"' + escape(family, {'"': "&quot;"}) + FONT_TAG + '"'


def emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def twips(points: float) -> int:
    return round(points * TWIPS_PER_PT)


def rgb(color: str) -> str:
    """'#1a2b3c' as OOXML writes a colour: 1A2B3C."""
    return color.lstrip("#").upper()
