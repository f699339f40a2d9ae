"""Prepared photos kept on disk by content, so that a re-run after fixing one row decodes no photo again.

An entry's name is a hash of the photo file's bytes and of how it is placed (box size, fit, anchor,
alpha, resolution), so a changed photo is a new entry and a renamed one is not. Entries are written to a
temporary file and renamed into place (atomic on Windows and POSIX): runs at the same time (two clerks,
the web page and the command line) never see half an entry, and an entry that does not check out (its
length or picture hash wrong) is read as a miss. The folder is kept under a size limit by removing the
entries used least recently.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
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

DEFAULT_LIMIT = 512 * 1024 * 1024  # bytes: some 20,000 card photos
_MAGIC = b"formgen-photo 3\n"  # change when the preparation or this format changes


@dataclass(frozen=True)
class PhotoCache(CacheFolder):
    """A folder of prepared photos, at most limit bytes."""

    limit: int = DEFAULT_LIMIT

    @staticmethod
    def default() -> "PhotoCache":
        return PhotoCache(user_cache_dir() / "photos")

    @staticmethod
    def key(content_hash: str, placement: tuple) -> str:
        return hashlib.sha256(_MAGIC + content_hash.encode() + repr(placement).encode()).hexdigest()

    def get(self, key: str) -> Optional[dict[str, Any]]:
        """The entry's fields (data included), or None when absent or not whole."""
        path = self._path(key)
        blob = read_entry(path)
        fields = _parse(blob) if blob is not None else None
        if fields is not None:
            mark_used(path)
        return fields

    def put(self, key: str, fields: dict[str, Any]) -> None:
        """Store an entry; a cache that cannot be written (read-only, full disk) is no error."""
        data: bytes = fields["data"]
        write_entry(self._path(key), framed(_MAGIC, {k: v for k, v in fields.items() if k != "data"}, data))


def _parse(blob: bytes) -> Optional[dict[str, Any]]:
    found = unframed(blob, _MAGIC)
    if found is None:
        return None
    fields, data = found
    if hashlib.sha1(data).hexdigest() != fields.get("key"):
        return None
    fields["data"] = data
    return fields
