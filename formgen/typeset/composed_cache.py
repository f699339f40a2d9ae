"""Composed records kept on disk, so that a re-run after fixing one row composes that row only.

An entry's name is a hash of everything composing a record reads that is not a file: formgen's own code,
the layout, the profile, the options, the copies, today's date, the fonts (each file by size and time)
and the record itself. The files composing read (the member's photo, a layout's emblem, the seal) are
listed in the entry, each with its size and modification time taken before it was read: an entry whose
files have changed since is a miss, so a photo replaced under the same name is printed anew.

An entry holds the record's pages and problems, pickled, and is read by an unpickler that builds the
page model's classes and nothing else: a file planted in the cache folder cannot run code. Entries are
written whole or not at all (temporary file, rename), checked by length and hash when read, and the
folder is kept under a size limit like the photos' (the entries used least recently go first).
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import pathlib
import pickle
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from formgen.cachedir import (
    CacheFolder,
    framed,
    mark_used,
    read_entry,
    unframed,
    user_cache_dir,
    write_entry,
)

DEFAULT_LIMIT = 256 * 1024 * 1024  # bytes: some 25,000 name cards, their prepared photos included
MAX_ENTRY = 512 * 1024  # bytes: a card with its photo is about 10 KB
_MAGIC = b"formgen-composed 2\n"  # change when the format of an entry changes

# What an entry may be built of: the page model, problems, and the values they hold.
_ALLOWED = {
    "formgen.document": {"Run", "TextLine", "Text", "Glyph", "GlyphRun", "ShapedText", "Image", "Matrix",
                         "Rule", "Rect", "Cell", "Table", "Page"},
    "formgen.units": {"Box"},
    "formgen.problems": {"Problem"},
    "datetime": {"date", "datetime", "time", "timedelta"},
    "decimal": {"Decimal"},
    "pathlib": {"Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath"},
}

# A file as composing found it: (path, size, modification time in ns), or (path, None, None) if absent.
FileState = tuple[str, Optional[int], Optional[int]]


def file_state(path: Path | str) -> FileState:
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path), None, None)
    return (str(path), stat.st_size, stat.st_mtime_ns)


_NOTED: ContextVar[Optional[list[FileState]]] = ContextVar("formgen_files_noted", default=None)


def note_file(path: Path | str) -> None:
    """Composing depends on this file (it is read, or looked for): the entry being made lists it as it
    is now, before it is read, so that a change made while it is read is a change all the same."""
    noted = _NOTED.get()
    if noted is not None:
        noted.append(file_state(path))


@contextmanager
def files_noted() -> Iterator[list[FileState]]:
    """The files noted while composing one record."""
    noted: list[FileState] = []
    token = _NOTED.set(noted)
    try:
        yield noted
    finally:
        _NOTED.reset(token)


@dataclass(frozen=True)
class Entry:
    pages: tuple
    problems: tuple
    files: tuple[FileState, ...]  # the files composing read, as they were

    def still_current(self) -> bool:
        return files_unchanged(self.files)


def files_unchanged(files) -> bool:
    """Whether every file is as the entry found it (its size and time; absent still absent)."""
    return all(file_state(path) == (path, size, mtime) for path, size, mtime in files)


@dataclass(frozen=True)
class ComposedCache(CacheFolder):
    """A folder of composed records, at most limit bytes."""

    limit: int = DEFAULT_LIMIT

    @staticmethod
    def default() -> "ComposedCache":
        return ComposedCache(user_cache_dir() / "composed")

    def current(self, key: str) -> bool:
        """Whether an entry is there and made from the files as they are now (not yet whether its pages
        read back): to plan the batch, from the entry's first line alone."""
        blob = read_entry(self._path(key))
        found = unframed(blob, _MAGIC) if blob is not None else None
        if found is None:
            return False
        files = found[0].get("files")
        return isinstance(files, list) and files_unchanged(files)

    def get(self, key: str) -> Optional[Entry]:
        """The entry, or None when absent, not whole, not of ours, or made from files since changed."""
        path = self._path(key)
        blob = read_entry(path)
        entry = _parse(blob) if blob is not None else None
        if entry is None or not entry.still_current():
            return None
        mark_used(path)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Store an entry; a cache that cannot be written (read-only, full disk) is no error. A record
        whose pages carry large pictures (a certificate's background of several MB) is not kept: each
        entry would hold its own copy, and composing it again from the photo cache is as quick."""
        data = pickle.dumps((entry.pages, entry.problems, entry.files), protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > MAX_ENTRY:
            return
        header = {"length": len(data), "sha256": hashlib.sha256(data).hexdigest(), "files": entry.files}
        write_entry(self._path(key), framed(_MAGIC, header, data))


class _PageModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a composed record")


def _parse(blob: bytes) -> Optional[Entry]:
    found = unframed(blob, _MAGIC)
    if found is None:
        return None
    fields, data = found
    if hashlib.sha256(data).hexdigest() != fields.get("sha256"):
        return None
    try:
        pages, problems, files = _PageModelUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 (anything a foreign or older entry raises is a miss)
        return None
    return Entry(tuple(pages), tuple(problems), tuple(tuple(state) for state in files))


# ---- keys ---------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A value as the key sees it: JSON where it can be, its type and repr where not (a date, a Decimal)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time, decimal.Decimal, pathlib.PurePath)):
        return [type(value).__name__, str(value)]
    return [type(value).__name__, repr(value)]


def digest(*parts: Any) -> str:
    text = json.dumps([_plain(part) for part in parts], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(_MAGIC + text.encode("utf-8", "surrogatepass")).hexdigest()


# The libraries whose results composing keeps: pictures, QR codes, shaping, templates, the layout schema.
COMPOSING_LIBRARIES = ("pillow", "pillow-heif", "zxing-cpp", "uharfbuzz", "jinja2", "pydantic")


@lru_cache(maxsize=1)
def code_identity() -> str:
    """formgen's own code, each module by name, size and time, and the versions of the libraries it
    composes with: an upgrade (or an edit) is a new cache."""
    from importlib import metadata

    package = Path(__file__).resolve().parent.parent
    states = sorted(file_state(path)[1:] + (str(path.relative_to(package)),) for path in package.rglob("*.py"))
    versions = []
    for name in COMPOSING_LIBRARIES:
        try:
            versions.append([name, metadata.version(name)])
        except metadata.PackageNotFoundError:
            versions.append([name, None])
    return digest(states, versions)


def fonts_identity(book: Any) -> list:
    """Every face of a font book, in its order, with its file as it is."""
    return [[name, face.index, file_state(face.path)] for name, face in book.faces.items()] + [book.extra_order]
