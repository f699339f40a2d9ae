"""ReportLab's TrueType faces kept small: their tables read once per machine, held in arrays, the file mapped.

ReportLab's TTFontFace holds, for a CJK face of 30,000 characters, a dictionary per character and a
tuple per glyph: about 16 MB of Python objects a face, 80 MB for the five a name card uses, in the
process that writes. The same tables in arrays take about 0.7 MB a face. ReportLab reads them through
the few operations it uses (`in`, `[]`, `get`, `keys`, indexing, `len`), which the classes here give it;
the one C helper that insists on a dict (the string width) is replaced by its Python twin in
reportlab_support.TaggedTTFont.
"""
from __future__ import annotations

import contextlib
import mmap
import os
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from typing import Any

from reportlab.pdfbase import ttfonts

_FORMAT = 3  # bump when what is kept of a face changes


def _value_array(values: list) -> array:
    """Integers as integers, anything else as doubles: what ReportLab stored, exactly."""
    if all(type(v) is int for v in values):
        return array("q", values)
    return array("d", values)


class CodeTable(MutableMapping):
    """An int → number mapping held in two arrays (sorted keys, their values); what is set later (the
    codes drawn shaped glyphs are given) goes into a small dictionary consulted first."""

    __slots__ = ("_keys", "_values", "_more")

    def __init__(self, mapping: Mapping[int, Any]):
        items = sorted(mapping.items())
        self._keys = array("L", [key for key, _ in items])
        self._values = _value_array([value for _, value in items])
        self._more: dict[int, Any] = {}

    def _index(self, key) -> int:
        keys = self._keys
        i = bisect_left(keys, key) if type(key) is int else len(keys)
        return i if i < len(keys) and keys[i] == key else -1

    def __getitem__(self, key):
        more = self._more
        if more and key in more:
            return more[key]
        i = self._index(key)
        if i < 0:
            raise KeyError(key)
        return self._values[i]

    def get(self, key, default=None):
        more = self._more
        if more and key in more:
            return more[key]
        i = self._index(key)
        return default if i < 0 else self._values[i]

    def __contains__(self, key) -> bool:
        return key in self._more or self._index(key) >= 0

    def __setitem__(self, key, value) -> None:
        self._more[key] = value

    def __delitem__(self, key) -> None:
        if key not in self._more:
            raise TypeError("a face's own characters cannot be removed")
        del self._more[key]

    def __iter__(self) -> Iterator[int]:
        more = self._more
        yield from (key for key in self._keys if key not in more)
        yield from more

    def __len__(self) -> int:
        return len(self._keys) + sum(1 for key in self._more if self._index(key) < 0)

    def __getstate__(self):
        return self._keys, self._values, self._more

    def __setstate__(self, state) -> None:
        self._keys, self._values, self._more = state


class GlyphChars(MutableMapping):
    """glyph → the characters mapped to it (ReportLab's glyphToChar), kept as (glyph, character) pairs
    in two arrays and made a dictionary again only when something asks: drawing text never does."""

    __slots__ = ("_chars", "_glyphs", "_table")

    def __init__(self, mapping: Mapping[int, list[int]]):
        pairs = [(glyph, char) for glyph, chars in mapping.items() for char in chars]
        self._glyphs = array("L", [glyph for glyph, _ in pairs])
        self._chars = array("L", [char for _, char in pairs])
        self._table: dict[int, list[int]] | None = None

    def _made(self) -> dict[int, list[int]]:
        if self._table is None:
            table: dict[int, list[int]] = {}
            for glyph, char in zip(self._glyphs, self._chars):
                table.setdefault(glyph, []).append(char)
            self._table = table
            self._glyphs = self._chars = array("L")
        return self._table

    def __getitem__(self, glyph):
        return self._made()[glyph]

    def __setitem__(self, glyph, chars) -> None:
        self._made()[glyph] = chars

    def __delitem__(self, glyph) -> None:
        del self._made()[glyph]

    def __iter__(self) -> Iterator[int]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())

    def __getstate__(self):
        return self._glyphs, self._chars, self._table

    def __setstate__(self, state) -> None:
        self._glyphs, self._chars, self._table = state


class HorizontalMetrics(Sequence):
    """ReportLab's hmetrics, (advance, left side bearing) per glyph, in two arrays."""

    __slots__ = ("_advances", "_bearings")

    def __init__(self, metrics: Sequence[tuple]):
        self._advances = _value_array([advance for advance, _ in metrics])
        self._bearings = _value_array([bearing for _, bearing in metrics])

    def __getitem__(self, glyph):
        if isinstance(glyph, slice):
            raise TypeError("horizontal metrics are read one glyph at a time")
        return self._advances[glyph], self._bearings[glyph]

    def __len__(self) -> int:
        return len(self._advances)

    def __getstate__(self):
        return self._advances, self._bearings

    def __setstate__(self, state) -> None:
        self._advances, self._bearings = state


def compact(face) -> None:
    """The face's per-character and per-glyph tables as arrays, in place (once)."""
    if isinstance(getattr(face, "charToGlyph", None), dict):
        face.charToGlyph = CodeTable(face.charToGlyph)
    if isinstance(getattr(face, "glyphToChar", None), dict):
        face.glyphToChar = GlyphChars(face.glyphToChar)
    if isinstance(getattr(face, "charWidths", None), dict):
        face.charWidths = CodeTable(face.charWidths)
    if isinstance(getattr(face, "hmetrics", None), list):
        face.hmetrics = HorizontalMetrics(face.hmetrics)
    if isinstance(getattr(face, "glyphPos", None), list):
        face.glyphPos = array("L", face.glyphPos)


class _TableBytes:
    """One table of a mapped font file, sliced without reading the rest: subsetting takes the glyphs it
    needs from `glyf`, which ReportLab would otherwise copy whole (10–30 MB for a CJK face)."""

    __slots__ = ("_data", "_start", "_length")

    def __init__(self, data, start: int, length: int):
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, part):
        if not isinstance(part, slice) or part.step not in (None, 1):
            raise TypeError("a table is read in slices")
        start, stop, _ = part.indices(self._length)
        return bytes(self._data[self._start + start:self._start + max(start, stop)])


class CachedFace(ttfonts.TTFontFace):
    """A face whose tables ReportLab has read before: what its extractInfo found (character map,
    widths, glyph offsets; a second a CJK face in pure Python) comes back from the user's cache
    folder, in arrays. The file is mapped rather than read whole: only the parts that subsetting
    touches come into memory, and every process shares them."""

    def __init__(self, filename, validate=0, subfontIndex=0):  # noqa: N803 (ReportLab's names)
        try:
            with open(filename, "rb") as handle:
                self._ttf_data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            self.filename = filename  # ReportLab's readFile keeps data already there
        except (OSError, ValueError, TypeError):
            pass  # not a plain file: ReportLab reads it as ever
        super().__init__(filename, validate=validate, subfontIndex=subfontIndex)

    def get_table(self, tag):
        if tag == "glyf" and isinstance(getattr(self, "_ttf_data", None), mmap.mmap):
            return _TableBytes(self._ttf_data, *self.get_table_pos(tag))
        return super().get_table(tag)

    def extractInfo(self, charInfo=1):  # noqa: N802 (ReportLab's name)
        import hashlib
        import pickle

        from reportlab import Version

        from formgen.cachedir import user_cache_dir, write_entry

        stat = os.stat(self.filename)
        key = f"{_FORMAT}|{Version}|{os.path.abspath(self.filename)}|{self.subfontNameX!r}|{stat.st_size}|" \
              f"{stat.st_mtime_ns}|{charInfo}"
        entry = user_cache_dir() / "fonts" / (hashlib.sha256(key.encode()).hexdigest() + ".reportlab")
        try:
            stored_key, found = pickle.loads(entry.read_bytes())  # our own folder, written below
            if stored_key == key:
                self.__dict__.update(found)
                self._pdfScale = _pdf_scale(self.unitsPerEm)
                return
        except Exception:  # absent, or not whole: read the tables
            pass
        super().extractInfo(charInfo)
        compact(self)
        # All but the file's bytes (read anyway) and the scaling function (made again from the em size).
        found = {name: value for name, value in self.__dict__.items() if name not in ("_ttf_data", "_pdfScale")}
        try:
            write_entry(entry, pickle.dumps((key, found), protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, AttributeError, TypeError):
            pass  # a ReportLab that keeps something unpicklable: read the tables every time, as before


def _pdf_scale(units_per_em: int):
    """Font units → PDF's thousandths of an em, as ReportLab's extractInfo makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


@contextlib.contextmanager
def faces_from_cache():
    """TTFont makes its face through the module's TTFontFace: ours, for the time of one registration."""
    original = ttfonts.TTFontFace
    ttfonts.TTFontFace = CachedFace
    try:
        yield
    finally:
        ttfonts.TTFontFace = original
