"""The font book: font roles to faces, glyph coverage, fallback chains and text widths."""
from __future__ import annotations

import dataclasses
import hashlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from struct import error as struct_error
from typing import TYPE_CHECKING, Iterable, Sequence

from formgen.characters import IGNORABLE, is_default_ignorable
from formgen.resources import FONTS_DIR

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont  # fontTools is loaded only to read a font the cache does not know

BUNDLED_FONT_DIR = FONTS_DIR

# What a layout asks for (role, bold) -> the bundled face that plays it.
ROLE_FACES: dict[tuple[str, bool], str] = {
    ("title", False): "NotoSerifSC-Bold",
    ("title", True): "NotoSerifSC-Bold",
    ("heading", False): "NotoSansSC-Bold",
    ("heading", True): "NotoSansSC-Bold",
    ("body", False): "NotoSerifSC-Regular",
    ("body", True): "NotoSerifSC-Bold",
    ("sans", False): "NotoSansSC-Regular",
    ("sans", True): "NotoSansSC-Bold",
    ("kai", False): "LXGWWenKai-Regular",
    ("kai", True): "LXGWWenKai-Regular",
}
ROLES = sorted({role for role, _ in ROLE_FACES})

# Order in which the bundled faces stand in for each other when one lacks a character.
BUNDLED_ORDER = (
    "NotoSerifSC-Regular",
    "NotoSansSC-Regular",
    "NotoSerifSC-Bold",
    "NotoSansSC-Bold",
    "LXGWWenKai-Regular",
)

# The last resort for rare name characters: HanaMin B has all of CJK Extensions B–F (some 60,000
# ideographs, of which the faces above have a few hundred). It comes after --font-dir fonts, whose
# style may match the document better.
LAST_RESORT = ("HanaMinB",)

# Traditional Mongolian: shaped glyph by glyph (formgen.typeset.shaping), never a stand-in for Chinese
# text, so it is in no fallback chain.
MONGOLIAN_FACE = "NotoSansMongolian-Regular"
SCRIPT_FACES = (MONGOLIAN_FACE,)

# Characters that take no glyph of their own and never need covering.
_INVISIBLE = {"\n", "\r", "\t"}


class UncoveredCharacter(ValueError):
    """No available font has a glyph for a character."""

    def __init__(self, char: str, text: str):
        self.char = char
        self.text = text
        super().__init__(f"没有字体含有“{text}”中的字符“{char}”（U+{ord(char):04X}）")


class Advances:
    """Code point → advance in font units, for every character of a face: two arrays searched by
    bisection. Every composing process holds one per face it uses; a CJK face's 30,000 characters take
    180 KB so, against 5 MB as a dictionary of Python integers."""

    __slots__ = ("_advances", "_codes")

    def __init__(self, codes: array, advances: array):
        self._codes, self._advances = codes, advances

    @classmethod
    def of(cls, mapping: dict[int, int]) -> Advances:
        codes = sorted(mapping)
        return cls(array("I", codes), array("H", [mapping[code] for code in codes]))

    def get(self, code: int, default: int | None = None) -> int | None:
        codes = self._codes
        i = bisect_left(codes, code)
        return self._advances[i] if i < len(codes) and codes[i] == code else default

    def __contains__(self, code: int) -> bool:
        codes = self._codes
        i = bisect_left(codes, code)
        return i < len(codes) and codes[i] == code

    def __len__(self) -> int:
        return len(self._codes)

    def to_bytes(self) -> tuple[bytes, bytes]:
        return self._codes.tobytes(), self._advances.tobytes()

    @classmethod
    def from_bytes(cls, codes: bytes, advances: bytes) -> Advances:
        found = cls(array("I"), array("H"))
        found._codes.frombytes(codes)
        found._advances.frombytes(advances)
        if len(found._codes) != len(found._advances):
            raise ValueError("advances do not match their characters")
        return found


@dataclass(frozen=True)
class _Metrics:
    units_per_em: int
    widths: Advances  # code point → advance in font units, for every character the face has
    ascent: float
    descent: float
    line_ascent: float
    line_descent: float
    family: str
    is_bold: bool


_METRICS_FORMAT = 2  # bump when _Metrics changes


def _read_metrics(path: Path, index: int = 0) -> _Metrics:
    """Everything the book needs from a font file. Reading a CJK face's tables takes a good part of a
    second, in every process that composes (each worker too), so the result is kept in the user's
    cache folder, under the file's path, size and time: read back in milliseconds."""
    import marshal

    from formgen.cachedir import user_cache_dir, write_entry

    stat = path.stat()
    key = f"{_METRICS_FORMAT}|{path.resolve()}|{index}|{stat.st_size}|{stat.st_mtime_ns}"
    entry = user_cache_dir() / "fonts" / (hashlib.sha256(key.encode()).hexdigest() + ".marshal")
    try:
        stored = marshal.loads(entry.read_bytes())
        if stored[0] == key:
            fields = dict(stored[1])
            fields["widths"] = Advances.from_bytes(*fields["widths"])
            return _Metrics(**fields)
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError):
        pass  # not there yet, or not whole: read the font
    metrics = _read_font_metrics(path, index)
    fields = {field.name: getattr(metrics, field.name) for field in dataclasses.fields(metrics)}
    fields["widths"] = metrics.widths.to_bytes()
    write_entry(entry, marshal.dumps((key, fields)))
    return metrics


def _read_font_metrics(path: Path, index: int) -> _Metrics:
    from fontTools.ttLib import TTFont

    with open(path, "rb") as handle, TTFont(handle, lazy=True, fontNumber=index) as font:
        units = font["head"].unitsPerEm
        os2 = font["OS/2"]
        advances = font["hmtx"].metrics
        return _Metrics(
            units_per_em=units,
            widths=Advances.of({code: advances[glyph][0] if glyph in advances else 0
                                for code, glyph in (font.getBestCmap() or {}).items()}),
            ascent=os2.sTypoAscender / units,
            descent=-os2.sTypoDescender / units,
            line_ascent=font["hhea"].ascent / units,
            line_descent=-font["hhea"].descent / units,
            family=str(font["name"].getDebugName(1) or path.stem),
            is_bold=bool(os2.fsSelection & 0x20) or os2.usWeightClass >= 600,
        )


@dataclass
class FontFace:
    """One TrueType face: what it covers and how wide its glyphs are."""

    name: str
    path: Path
    index: int = 0  # the face's number within a .ttc collection

    @cached_property
    def _metrics(self) -> _Metrics:
        return _read_metrics(self.path, self.index)

    @property
    def units_per_em(self) -> int:
        return self._metrics.units_per_em

    @property
    def ascent(self) -> float:
        """Ascent of the ideographic em box as a fraction of the em (OS/2 typo metrics)."""
        return self._metrics.ascent

    @property
    def descent(self) -> float:
        """Descent below the baseline as a positive fraction of the em."""
        return self._metrics.descent

    @property
    def line_metrics(self) -> tuple[float, float]:
        """(ascent, descent) in ems by which word processors size a line: the hhea metrics."""
        return self._metrics.line_ascent, self._metrics.line_descent

    @property
    def family(self) -> str:
        return self._metrics.family

    @property
    def is_bold(self) -> bool:
        return self._metrics.is_bold

    @cached_property
    def _width_cache(self) -> dict[str, float]:
        return {}

    def covers(self, char: str) -> bool:
        return ord(char) in self._metrics.widths

    def char_width(self, char: str) -> float:
        """Advance width of one character in ems."""
        cached = self._width_cache.get(char)
        if cached is None:
            metrics = self._metrics
            cached = self._width_cache[char] = metrics.widths.get(ord(char), 0) / metrics.units_per_em
        return cached

    def text_width(self, text: str, size: float) -> float:
        return sum(self.char_width(c) for c in text) * size


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def why_unusable(font: TTFont) -> str | None:
    """Why a face cannot be embedded in our PDFs and DOCX files, or None when it can."""
    if "glyf" not in font:
        return "不是 TrueType 轮廓字体（CFF 轮廓无法嵌入 PDF）"
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    # The font's licence forbids embedding (ReportLab refuses the same fonts).
    if fs_type & 0x000F == 0x0002 or fs_type & 0x0300:
        return "字体授权不允许嵌入文件"
    return None


def read_faces(path: Path) -> tuple[list[tuple[str, int]], list[str]]:
    """The usable faces of a font file as (name, index in the file), and why the others were left out.

    A .ttf/.otf file is one face, named after the file; each face of a .ttc collection (Windows' simsun.ttc
    holds 宋体 and 新宋体) is named by its PostScript name.
    """
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            with TTCollection(str(path), lazy=True) as collection:
                members = [(_postscript_name(font) or f"{path.stem}-{index}", why_unusable(font))
                           for index, font in enumerate(collection.fonts)]
        else:
            with open(path, "rb") as handle, TTFont(handle, lazy=True) as font:
                members = [(path.stem, why_unusable(font))]
    except (TTLibError, OSError, KeyError, AssertionError, struct_error):
        return [], [f"{path.name}：无法作为字体读取，未使用"]
    usable = [(name, index) for index, (name, why) in enumerate(members) if why is None]
    label = (lambda name: f"{path.name}（{name}）") if len(members) > 1 else (lambda name: path.name)
    reasons = [f"{label(name)}：{why}，未使用" for name, why in members if why is not None]
    return usable, reasons


def _postscript_name(font: TTFont) -> str:
    return str(font["name"].getDebugName(6) or "") if "name" in font else ""


class FontBook:
    """All faces formgen may draw with: the bundled ones, then those of extra folders."""

    def __init__(self, extra_dirs: Sequence[Path] = (), bundled_dir: Path = BUNDLED_FONT_DIR):
        self.extra_dirs = tuple(Path(folder) for folder in extra_dirs)
        self.bundled_dir = Path(bundled_dir)
        self.faces: dict[str, FontFace] = {}
        self.skipped: list[str] = []  # extra fonts that cannot be used, with why
        for name in BUNDLED_ORDER + LAST_RESORT + SCRIPT_FACES:
            path = bundled_dir / f"{name}.ttf"
            if not path.exists():
                raise FileNotFoundError(f"bundled font missing: {path}")
            self.faces[name] = FontFace(name, path)
        self.extra_order: list[str] = []
        for folder in extra_dirs:
            self._add_folder(Path(folder))
        self._chains: dict[str, tuple[FontFace, ...]] = {}
        # primary face → {character: advance in ems of the face that draws it}: measuring is the
        # composer's innermost loop, and the fallback search need not run twice for a character.
        self._em_widths: dict[str, dict[str, float]] = {}

    def _add_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"找不到字体文件夹：{folder}")
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
                continue
            usable, reasons = read_faces(path)
            self.skipped.extend(reasons)
            for name, index in usable:
                if name not in self.faces:
                    self.faces[name] = FontFace(name, path, index)
                    self.extra_order.append(name)

    def __reduce__(self):
        # Pickled (for a worker process) as the folders it was made from, not as megabytes of metrics.
        return _book_from, (self.extra_dirs, self.bundled_dir)

    def face(self, name: str) -> FontFace:
        return self.faces[name]

    def face_for(self, role: str, bold: bool = False) -> str:
        try:
            return ROLE_FACES[(role, bold)]
        except KeyError:
            if role in self.faces:  # a face named directly, e.g. one from --font-dir
                return role
            raise ValueError(f"不认识字体“{role}”（可用：{'、'.join(ROLES)}，或 --font-dir 中字体的名称）") from None

    def chain(self, primary: str) -> tuple[FontFace, ...]:
        """The primary face, then every other face in fallback order."""
        chain = self._chains.get(primary)
        if chain is None:
            names = [primary] + [n for n in BUNDLED_ORDER + tuple(self.extra_order) + LAST_RESORT if n != primary]
            chain = self._chains[primary] = tuple(self.faces[n] for n in names)
        return chain

    def face_of_char(self, char: str, chain: Sequence[FontFace], text: str = "") -> FontFace:
        for face in chain:
            if face.covers(char):
                return face
        raise UncoveredCharacter(char, text or char)

    def split_runs(self, text: str, primary: str) -> list[tuple[FontFace, str]]:
        """Text cut into runs, each in the first face of the chain that has all its characters."""
        chain = self.chain(primary)
        runs: list[tuple[FontFace, str]] = []
        for char in text.replace("\t", " "):  # a tab pasted into a cell: no font draws it but as a box
            if is_default_ignorable(char):
                # Never drawn: a joiner or selector that shaping reads is kept where the run's face has
                # it, anything else dropped, so that no missing-glyph box is drawn and no \x00 enters
                # the text layer.
                face = runs[-1][0] if runs else chain[0]
                if not IGNORABLE.fullmatch(char) and face.covers(char):
                    runs[-1:] = [(face, (runs[-1][1] if runs else "") + char)]
                continue
            face = chain[0] if char in _INVISIBLE else self.face_of_char(char, chain, text)
            if runs and runs[-1][0] is face:
                runs[-1] = (face, runs[-1][1] + char)
            else:
                runs.append((face, char))
        return runs

    def uncovered(self, text: str, primary: str = "NotoSerifSC-Regular") -> list[str]:
        """Characters of text that no face covers."""
        chain = self.chain(primary)
        missing = []
        for char in dict.fromkeys(text):
            if char in _INVISIBLE or is_default_ignorable(char):
                continue
            if not any(face.covers(char) for face in chain):
                missing.append(char)
        return missing

    def char_width(self, char: str, primary: str, size: float) -> float:
        if is_default_ignorable(char):
            return 0.0
        chain = self.chain(primary)
        return self.face_of_char(char, chain).char_width(char) * size

    def text_width(self, text: str, primary: str, size: float) -> float:
        widths = self._em_widths.get(primary)
        if widths is None:
            widths = self._em_widths[primary] = {}
        total = 0.0
        for char in text.replace("\t", " "):  # measured as split_runs draws it
            em = widths.get(char)
            if em is None and is_default_ignorable(char):
                em = widths[char] = 0.0  # never drawn (split_runs drops it or keeps it for shaping)
            elif em is None:
                chain = self.chain(primary)
                face = chain[0] if char in _INVISIBLE else self.face_of_char(char, chain, text)
                em = widths[char] = face.char_width(char)
            total += em
        return total * size

    def iter_faces(self) -> Iterable[FontFace]:
        return self.faces.values()


_DEFAULT_BOOK: FontBook | None = None


def _book_from(extra_dirs: tuple[Path, ...], bundled_dir: Path) -> FontBook:
    """A book unpickled: the process's shared default book when it is that one."""
    if not extra_dirs and bundled_dir == BUNDLED_FONT_DIR:
        return default_font_book()
    return FontBook(extra_dirs, bundled_dir)


def default_font_book() -> FontBook:
    """The shared book of bundled faces (loading metrics is slow, so it is made once)."""
    global _DEFAULT_BOOK
    if _DEFAULT_BOOK is None:
        _DEFAULT_BOOK = FontBook()
    return _DEFAULT_BOOK
