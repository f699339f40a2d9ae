"""The DOCX package as a zip: parts written one by one with fixed dates (same input, same bytes),
and the main document streamed in, so a thousand cards never sit in memory at once."""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterator, Optional

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
COPY_CHUNK = 1 << 20


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
    def stream(self, name: str, substitute: Optional[Callable[[], tuple[bytes, bytes]]] = None
               ) -> Iterator[IO[bytes]]:
        """A part written piece by piece, whose size is not known in advance.

        The pieces go to a temporary file first and into the zip once the size is known: a zip entry
        of unknown size must be declared ZIP64 up front, which pandoc refuses and Office is reported
        to dislike in small packages. With the size known, zipfile uses ZIP64 only for a part that
        needs it (from about 3.9 GiB, leaving room for compression to grow it past 4 GiB). Memory
        stays flat; the disk holds the part once. substitute, asked once the pieces are all written,
        gives (stand-in, replacement) of the same length: each stand-in is replaced as the part is copied.
        """
        with tempfile.TemporaryFile() as spool:
            yield spool
            size = spool.tell()
            spool.seek(0)
            entry = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.file_size = size
            with self.zip.open(entry, "w") as target:
                if substitute is None:
                    shutil.copyfileobj(spool, target, COPY_CHUNK)
                else:
                    _copy_substituted(spool, target, *substitute())


def _copy_substituted(source: IO[bytes], target: IO[bytes], stand_in: bytes, replacement: bytes) -> None:
    """Copy, replacing stand_in by replacement (the same length); a stand-in cut by a chunk's end is
    completed by the next chunk, since what is held back is one byte shorter than a whole one."""
    if len(stand_in) != len(replacement):
        raise ValueError("a substitute must keep the part's size")
    keep = len(stand_in) - 1
    held = b""
    while chunk := source.read(COPY_CHUNK):
        data = (held + chunk).replace(stand_in, replacement)
        target.write(data[:len(data) - keep])
        held = data[len(data) - keep:]
    target.write(held)
