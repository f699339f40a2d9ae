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
