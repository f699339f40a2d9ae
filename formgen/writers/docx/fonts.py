"""Fonts inside a DOCX: subset to the characters used (plus what small edits need) and obfuscated.

ECMA-376 Part 1 §17.8.1: an embedded font is stored as an .odttf part whose first 32 bytes are XORed
with a key taken from the GUID named by w:fontKey. Word and LibreOffice then render the document with
these fonts on a computer that has none of them installed.

Subset size trade-off: a whole Noto Serif SC face is 15 MB, so embedding it in every file is out of
the question. Each face is cut down to the characters the document uses, plus ASCII, digits, full-width
digits and letters, common Chinese punctuation and the characters of dates (〇一二…年月日): a name
corrected to one already in the file, a changed score or date, or a fixed punctuation mark still
renders with our font; a character that appears nowhere in the document falls back to whatever font
the reader's computer has. A typical card's faces come to tens of kilobytes.

Each document names its subsets for itself ("Noto Serif SC 1A2B3C4D": the family and a tag made from the
characters each face holds). Word and LibreOffice keep one embedded font per family name for as long as
they run — the first document's ([MS-OI29500] 2.1.260: "only one embedded font will be used ... across
all documents"; LibreOffice writes each to a file named after the family and keeps the first) — so two
cards or a card and a certificate open together would otherwise draw the second one's characters that
the first lacks, rare names among them, in some other font or not at all.
"""
from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass

from fontTools.ttLib import TTFont

from formgen.fonts import SCRIPT_FACES, FontBook

EDIT_CHARACTERS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width ASCII
    + "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·￥％＿　□▣★☆√×"
    + "〇一二三四五六七八九十百千万年月日时分秒第季度同志签字盖章"
)
# A script face (traditional Mongolian) keeps its whole alphabet, controls and punctuation: correcting a
# Mongolian name in the document must not fall back to another font, which would show it unshaped.
SCRIPT_EDIT_CHARACTERS = ("".join(chr(c) for c in range(0x1800, 0x18AB)) + " \u202f\u200c\u200d")
_NAMESPACE = uuid.UUID("6f1a4c3e-2b7d-4e59-9a0c-3d8e5f6a7b10")


@dataclass(frozen=True)
class EmbeddedFont:
    family: str
    bold: bool
    key: str  # "{GUID}" as written in w:fontKey
    data: bytes  # obfuscated subset
    charset: str  # w:charset as fontTable.xml writes it: the code page the face declares (charset_of)


# Windows character sets by OS/2 ulCodePageRange1 bit, in the order a face is said to be one of them:
# GB2312 (86 hex, 134), Big5 (88 hex, 136), Latin 1 (00, ANSI).
CODE_PAGE_CHARSETS = ((18, "86"), (20, "88"), (0, "00"))


def charset_of(font_data: bytes) -> str:
    """The w:charset a face is honestly declared with, from its own code-page bits."""
    with TTFont(io.BytesIO(font_data), lazy=True) as font:
        pages = font["OS/2"].ulCodePageRange1 if "OS/2" in font and font["OS/2"].version >= 1 else 0
    for bit, charset in CODE_PAGE_CHARSETS:
        if pages & 1 << bit:
            return charset
    return "01"  # DEFAULT_CHARSET: none declared


def font_key(family: str, bold: bool) -> str:
    """A GUID derived from the face, so the same document always gets the same bytes."""
    return "{" + str(uuid.uuid5(_NAMESPACE, f"{family}/{bold}")).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the GUID's 16 bytes read from its last hex pair to its first."""
    hex_digits = key.strip("{}").replace("-", "")
    key_bytes = bytes(int(hex_digits[i:i + 2], 16) for i in range(30, -2, -2))
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


deobfuscate = obfuscate  # XOR is its own inverse


def subset_font(path, characters: set[str], index: int = 0) -> bytes:
    """The font's glyphs for characters, as a TrueType file; index picks the face of a .ttc collection.

    HarfBuzz's subsetter (the one browsers and Google Fonts use) cuts a CJK face in milliseconds, where
    fontTools takes one to two seconds a face: most of a thousand cards' DOCX time otherwise. Kept: every
    name record (the family name is how the document finds the font), every layout feature, the .notdef
    outline; dropped: hinting, and tables HarfBuzz does not know (FontForge's FFTM)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    wanted = hb.SubsetInput()
    for char in characters:
        wanted.unicode_set.add(ord(char))
    wanted.sets(hb.SubsetInputSets.NAME_ID).add_range(0, 32767)
    wanted.sets(hb.SubsetInputSets.NAME_LANG_ID).add_range(0, 65535)
    features = wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    features.invert()  # the empty set turned round: every feature (Mongolian joining forms, vertical forms)
    # NO_PRUNE_UNICODE_RANGES: the face's OS/2 ranges stay as they are (fontTable.xml declares charset 86,
    # GB2312, and Windows font matching reads these bits).
    wanted.flags = (hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.NAME_LEGACY
                    | hb.SubsetFlags.NO_PRUNE_UNICODE_RANGES)
    result = hb.subset(face, wanted)
    if result is None:
        raise ValueError(f"HarfBuzz could not subset {path}")
    return bytes(result.blob.data)


def renamed(font_data: bytes, family: str, tag: str) -> bytes:
    """The face with the family it is known by followed by the tag (" 1A2B3C4D"), in every name
    record that names it: the family the document's runs and font table name is the one the face says."""
    # recalcTimestamp off: head.modified stays the face's own, so the same input gives the same bytes
    with TTFont(io.BytesIO(font_data), lazy=True, recalcTimestamp=False) as font:
        for record in font["name"].names:
            if record.nameID in (1, 3, 4, 16, 18, 21):  # families, full names and the unique name
                old = record.toUnicode()
                record.string = old.replace(family, family + tag, 1) if family in old else old + tag
            elif record.nameID == 6:  # the PostScript name: no spaces, family and style around a hyphen
                base, dash, style = record.toUnicode().partition("-")
                record.string = base + tag.strip() + dash + style
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


class FontUsage:
    """Which characters each face draws, gathered while the document is written."""

    def __init__(self, book: FontBook):
        self.book = book
        self.chars: dict[str, set[str]] = {}

    def add(self, face: str, text: str) -> None:
        self.chars.setdefault(face, set()).update(text)

    def family(self, face: str) -> tuple[str, bool]:
        """The face's family (as the font says it) and whether it is the bold one; the document's runs
        write it followed by markup.FONT_TAG, which becomes tag() when the document is complete."""
        entry = self.book.face(face)
        return entry.family, entry.is_bold

    def tag(self) -> str:
        """" 1A2B3C4D": what follows each family's name in this document, the same for the same faces
        holding the same characters (so the same input gives the same bytes) and different otherwise."""
        digest = hashlib.sha256()
        for face, used in sorted(self.chars.items()):
            digest.update(f"{self.book.face(face).family}/{face}\0{''.join(sorted(used))}\0".encode("utf-8",
                                                                                                    "surrogatepass"))
        return " " + digest.hexdigest()[:8].upper()

    def embedded(self) -> list[EmbeddedFont]:
        fonts = []
        tag = self.tag()
        for face, used in sorted(self.chars.items()):
            family, bold = self.family(face)
            entry = self.book.face(face)
            edits = SCRIPT_EDIT_CHARACTERS if face in SCRIPT_FACES else EDIT_CHARACTERS
            data = renamed(subset_font(entry.path, used | set(edits), entry.index), family, tag)
            key = font_key(family + tag, bold)
            fonts.append(EmbeddedFont(family=family + tag, bold=bold, key=key, data=obfuscate(data, key),
                                      charset=charset_of(data)))
        return fonts
