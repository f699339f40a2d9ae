"""formgen's folder in the user's cache, and entries written into it whole or not at all."""
from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

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
