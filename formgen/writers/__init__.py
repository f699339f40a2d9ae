"""Writers of the page model: each walks the finished pages and emits one format, deciding nothing.

A writer is a module with `write(pages, info, target, book) -> page count`, registered here by the
format's name (its file extension); adding a format is one module and one line in WRITERS. Modules are
imported when first used, so that a command that writes nothing starts quickly.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:  # the font book imports fontTools: not for `formgen --help`
    from formgen.document import DocumentInfo, Page
    from formgen.fonts import FontBook

WRITERS: dict[str, str] = {
    "pdf": "formgen.writers.pdf",
    "docx": "formgen.writers.docx",
}
FORMATS = tuple(WRITERS)


class NothingToWrite(ValueError):
    """The document has no page (every record failed): no file is written."""


class Writer(Protocol):
    def __call__(self, pages: Iterable["Page"], info: "DocumentInfo", target: Path, book: "FontBook") -> int: ...


def writer_for(fmt: str) -> Writer:
    try:
        module = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})") from None
    return importlib.import_module(module).write
