"""The DOCX package as a zip: parts written one by one with fixed dates (same input, same bytes),
and the main document streamed in, so a thousand cards never sit in memory at once."""
from __future__ import annotations

import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class Package:
    """A zip being written at path; use as a context manager."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def put(self, name: str, data: bytes | str, compress: bool = True) -> None:
        part = zipfile.ZipInfo(name, date_time=FIXED_DATE)
        part.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.zip.writestr(part, data.encode("utf-8") if isinstance(data, str) else data)

    @contextmanager
    def stream(self, name: str) -> Iterator[IO[bytes]]:
        """A part written piece by piece: its size is not known in advance."""
        entry = zipfile.ZipInfo(name, date_time=FIXED_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with self.zip.open(entry, "w", force_zip64=True) as stream:
            yield stream
