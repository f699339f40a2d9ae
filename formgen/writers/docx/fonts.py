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
"""
from __future__ import annotations

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


class FontUsage:
    """Which characters each face draws, gathered while the document is written."""

    def __init__(self, book: FontBook):
        self.book = book
        self.chars: dict[str, set[str]] = {}

    def add(self, face: str, text: str) -> None:
        self.chars.setdefault(face, set()).update(text)

    def family(self, face: str) -> tuple[str, bool]:
        entry = self.book.face(face)
        return entry.family, entry.is_bold

    def embedded(self) -> list[EmbeddedFont]:
        fonts = []
        for face, used in sorted(self.chars.items()):
            family, bold = self.family(face)
            entry = self.book.face(face)
            edits = SCRIPT_EDIT_CHARACTERS if face in SCRIPT_FACES else EDIT_CHARACTERS
            data = subset_font(entry.path, used | set(edits), entry.index)
            key = font_key(family, bold)
            fonts.append(EmbeddedFont(family=family, bold=bold, key=key, data=obfuscate(data, key),
                                      charset=charset_of(data)))
        return fonts
