"""Files written safely: write-then-rename, and file names every system accepts."""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside target; renamed onto target only if the block succeeds, so that a crash
    or a failed batch never leaves a half-written file behind."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".part",
                                         dir=target.parent)
    os.close(handle)
    # mkstemp makes the file private; the result should have the permissions any new file gets.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, limit: int = 120) -> str:
    """A file name that Windows, macOS and Linux all accept; Chinese stays Chinese."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    encoded = name.encode("utf-8")[:limit]
    name = encoded.decode("utf-8", "ignore").rstrip(". ")
    return name or "unnamed"


class UniqueNames:
    """Safe file names not used yet in one folder, compared without case as Windows does."""

    def __init__(self):
        self._used: set[str] = set()

    def __call__(self, name: str) -> str:
        base = safe_file_name(name)
        stem, n = base, 2
        while stem.lower() in self._used:
            stem, n = f"{base}-{n}", n + 1
        self._used.add(stem.lower())
        return stem
