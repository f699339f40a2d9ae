"""Writers: each walks the finished pages and emits one format; adding a format is one module here."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from formgen.document import Document

FORMATS = ("pdf", "docx")


class NothingToWrite(ValueError):
    """The document has no page (every record failed): no file is written."""


def writer_for(fmt: str) -> Callable[[Document, Path], None]:
    if fmt == "pdf":
        from formgen.writers.pdf import write
    elif fmt == "docx":
        from formgen.writers.docx.painter import write
    else:
        raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
    return write


def format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: the extension must be one of .{', .'.join(FORMATS)}")
    return suffix
