"""Character classes the whole package agrees on: ideographs, and characters no document may hold."""
from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone surrogates; the
# non-characters U+FFFE/U+FFFF), and DEL, which no printer wants either.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def is_wide(char: str) -> bool:
    """East Asian wide or full-width: breaks like an ideograph, any may stand alone between two breaks."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def is_ideograph(char: str) -> bool:
    """A wide letter: a Han character (or kana, hangul), not wide punctuation or symbols."""
    return is_wide(char) and char.isalpha()


def without_xml_forbidden(text: str) -> str:
    return XML_FORBIDDEN.sub("", text)


# Default-ignorable characters that carry nothing in a Chinese document and are never drawn: zero-width
# space, word joiner, BOM, soft hyphen, bidi marks and embeddings, invisible operators, Hangul fillers.
# Names pasted from WeChat or web pages carry them. Variation selectors (an ideograph's form) and the
# Mongolian free variation selectors are meaningful and kept; ZWJ/ZWNJ only where a joining script uses
# them (see drop_ignorable).
IGNORABLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u200b\u200e\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\U0001bca0-\U0001bca3"
                       "\U000e0000-\U000e00ff]")
_JOINERS = re.compile("[\u200c\u200d]")


def _joins(char: str) -> bool:
    """A character of a script whose shaping ZWJ/ZWNJ steer (Mongolian, Arabic, Indic, emoji …)."""
    return bool(char) and not char.isascii() and not is_wide(char) and not unicodedata.category(char).startswith("Z")


def drop_ignorable(text: str) -> str:
    """text without the default-ignorable characters that nothing draws (ZWJ/ZWNJ kept beside letters of
    a joining script, where they choose a letter's form)."""
    text = IGNORABLE.sub("", text)
    if "\u200c" not in text and "\u200d" not in text:
        return text
    kept = []
    for index, char in enumerate(text):
        if _JOINERS.fullmatch(char):
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if not (_joins(before) or _joins(after)):
                continue
        kept.append(char)
    return "".join(kept)


def is_default_ignorable(char: str) -> bool:
    """Default_Ignorable_Code_Point (Unicode), as far as a font needs to know: never drawn."""
    code = ord(char)
    return bool(IGNORABLE.fullmatch(char)) or char in "\u200c\u200d" or 0xFE00 <= code <= 0xFE0F \
        or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F


# Variation selectors that ask for one form of an ideograph (葛 + U+E0100: the form with 匕): the bundled
# fonts and ReportLab draw the usual form only. Mongolian's free variation selectors are shaped instead.
_IDEOGRAPH_VARIANT = re.compile("(.)([\ufe00-\ufe0f\U000e0100-\U000e01ef])", re.DOTALL)


def ideograph_variants(text: str) -> list[tuple[str, str]]:
    """(ideograph, selector) for each variation selector after an ideograph in text, in order, each pair
    once; the text/emoji presentation selectors (U+FE0E, U+FE0F after 记 or ✔) choose no form of a
    character and are left out."""
    return list(dict.fromkeys(match.groups() for match in _IDEOGRAPH_VARIANT.finditer(text)
                              if is_ideograph(match.group(1)) and match.group(2) not in "\ufe0e\ufe0f"))
