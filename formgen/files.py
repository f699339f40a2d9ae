"""Files written safely: write-then-rename, never over an input or a file nobody asked for, and file
names every system accepts."""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sys
import time
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator, Sequence

# Temporary files are hidden and carry the writing process's id: .名片~4711-1a2b3c.pdf.part
_PART = ".part"
STALE_AFTER = 24 * 3600  # seconds: a temporary file this old is a killed run's, whatever its process id says
_OLD_STYLE_STALE_AFTER = 3600  # temporaries named before they carried a process id


class WouldOverwrite(ValueError):
    """Writing would replace an input file, or a file that the clerk did not ask to replace."""


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # signalling is no probe on Windows (it ends the process): age alone decides there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the temporary files that killed runs left beside target (same name, same suffix); the
    files that were removed."""
    folder, removed = target.parent, []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    new_prefix, old_prefix = f".{target.stem}~", f".{target.stem}-"
    ending = target.suffix + _PART
    now = time.time()
    for name in names:
        if not name.endswith(ending):
            continue
        path = folder / name
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue
        if name.startswith(new_prefix):
            pid_text = name[len(new_prefix):].split("-", 1)[0]
            stale = age > STALE_AFTER or (pid_text.isdigit() and not _alive(int(pid_text)))
        else:
            stale = name.startswith(old_prefix) and age > _OLD_STYLE_STALE_AFTER
        if stale:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _temporary_beside(target: Path) -> Path:
    """A new, empty, hidden file beside target, with the permissions any new file gets."""
    for _ in range(100):
        path = target.parent / f".{target.stem}~{os.getpid()}-{secrets.token_hex(3)}{target.suffix}{_PART}"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(descriptor)
        return path
    raise FileExistsError(errno.EEXIST, "没有可用的临时文件名", str(target))


def _named(exc: OSError, target: Path) -> OSError:
    """An error of writing that names no file (disk full, quota) names the file being written."""
    if exc.filename and not str(exc.filename).endswith(_PART):
        return exc
    named = type(exc)(exc.errno, exc.strerror or str(exc), str(target))
    named.__cause__ = exc
    return named


def _target_of(exc: OSError, temporaries: list[Path], targets: list[Path]) -> Path:
    """The target whose temporary (or a temporary of it) the error names; else the first."""
    name = Path(str(exc.filename or "")).name
    for temporary, target in zip(temporaries, targets):
        if name and temporary.stem.split("~")[0] in name and name.endswith(_PART):
            return target
    return targets[0]


@contextlib.contextmanager
def atomic_paths(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary paths beside each target, renamed onto the targets together only when the block
    succeeds: a crash, a full disk or a failed batch leaves every target as it was (all new or all old),
    and never a half-written file. Temporaries of killed runs beside the targets are removed first."""
    targets = [Path(t) for t in targets]
    temporaries: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_parts(target)
            temporaries.append(_temporary_beside(target))
        try:
            yield list(temporaries)
        except OSError as exc:
            raise _named(exc, _target_of(exc, temporaries, targets)) from None
        for temporary, target in zip(temporaries, targets):
            try:
                os.replace(temporary, target)
            except OSError as exc:
                raise _named(exc, target) from None
    finally:
        for temporary in temporaries:
            with contextlib.suppress(FileNotFoundError, OSError):
                if temporary.exists():
                    temporary.unlink()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside target; renamed onto target only if the block succeeds, so that a crash
    or a failed batch never leaves a half-written file behind."""
    with atomic_paths([Path(target)]) as (temporary,):
        yield temporary


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, case on Windows and relative paths)."""
    try:
        if Path(a).exists() and Path(b).exists():
            return os.path.samefile(a, b)
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
    except OSError:
        return False


def refuse_inputs(target: Path, inputs: Iterable[Path | None], what: str = "输出文件") -> None:
    """Never write over an input: the roster named as the report would be lost."""
    for source in inputs:
        if source is not None and same_file(target, source):
            raise WouldOverwrite(f"{what} {target} 就是要读取的文件 {source}，不能覆盖它；请换一个文件名")


def refuse_replacing(target: Path, force: bool, ours: bool = False, what: str = "文件") -> None:
    """A file already there is replaced only when asked (--force), or when formgen made it (ours)."""
    if Path(target).exists() and not force and not ours:
        raise WouldOverwrite(f"{what} {target} 已存在，没有覆盖；请换一个文件名，或加 --force 覆盖")


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
