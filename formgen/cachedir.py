"""formgen's folder in the user's cache, and entries written into it whole or not at all."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

CACHE_DIR_ENV = "FORMGEN_CACHE_DIR"  # a folder of one's own (tests, benchmarks, a shared server)


def user_cache_dir() -> Path:
    """%LOCALAPPDATA%\\formgen\\Cache on Windows, ~/Library/Caches/formgen on macOS,
    $XDG_CACHE_HOME/formgen (~/.cache/formgen) elsewhere; FORMGEN_CACHE_DIR when set."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs  # knows each system's rules (Windows' known folders, XDG), so we need not

    return Path(platformdirs.user_cache_dir("formgen", appauthor=False))


def write_entry(path: Path, blob: bytes) -> bool:
    """blob written to a temporary beside path and renamed onto it: a reader sees the old entry, the
    new one, or none, never half of one. False when it could not be written (read-only, full disk,
    or on Windows a reader holding the entry open): a cache that cannot be written is no error."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False


TRIM_TO = 0.8  # of the limit, once over it: not a trim on every run
STALE_TEMPORARY = 3600  # seconds: a temporary this old is a killed run's


def entries_of(folder: Path) -> list[tuple[float, int, Path]]:
    """(last used, size, path) of every entry of a cache folder sharded as folder/ab/abcd…; temporaries
    left by killed runs are removed once stale."""
    found = []
    try:
        shards = list(os.scandir(folder))
    except OSError:
        return []
    for shard in shards:
        if not shard.is_dir():
            continue
        with contextlib.suppress(OSError):
            for entry in os.scandir(shard.path):
                stat = entry.stat()
                if entry.name.endswith(".tmp"):
                    if time.time() - stat.st_mtime > STALE_TEMPORARY:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                    continue
                found.append((stat.st_mtime, stat.st_size, Path(entry.path)))
    return found


def trim_folder(folder: Path, limit: int) -> int:
    """Remove the least recently used entries while the folder is over limit bytes; the bytes removed."""
    entries = entries_of(folder)
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return 0
    removed = 0
    for _, size, path in sorted(entries):
        if total - removed <= limit * TRIM_TO:
            break
        with contextlib.suppress(OSError):  # another run removed it, or (Windows) is reading it
            path.unlink()
            removed += size
    return removed


def framed(magic: bytes, header: dict[str, Any], data: bytes) -> bytes:
    """An entry's bytes: what it is (magic), a line of JSON about it (its length among them), its data."""
    return magic + json.dumps(header, sort_keys=True).encode() + b"\n" + data


def unframed(blob: bytes, magic: bytes) -> Optional[tuple[dict[str, Any], bytes]]:
    """(header, data) of an entry made by framed, or None when it is not one of magic's or not whole
    (its header's length is not its data's)."""
    if not blob.startswith(magic):
        return None
    header, newline, data = blob[len(magic):].partition(b"\n")
    if not newline:
        return None
    try:
        fields = json.loads(header)
    except ValueError:
        return None
    if not isinstance(fields, dict) or fields.get("length") != len(data):
        return None
    return fields, data


def read_entry(path: Path) -> Optional[bytes]:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def mark_used(path: Path) -> None:
    """An entry read now is removed last when the folder is trimmed."""
    with contextlib.suppress(OSError):
        os.utime(path)


@dataclass(frozen=True)
class CacheFolder:
    """A folder of entries named by their keys (in subfolders by the key's first two characters), kept
    under limit bytes by trim."""

    folder: Path
    limit: int

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every entry."""
        return entries_of(self.folder)

    def trim(self) -> int:
        """Remove the least recently used entries while the folder is over its limit; the bytes removed."""
        return trim_folder(self.folder, self.limit)
