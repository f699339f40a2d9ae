"""Previews: the first records of a batch rendered to a PDF at once, and its pages as pictures; or one
page as a PNG at once, composing only the records on it."""
from __future__ import annotations

import io
import itertools
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Optional

from formgen.api.render import Job, Output, RecordsLike, RenderReport, _roster_for, render
from formgen.files import atomic_path
from formgen.typeset.composer import Composer, Environment
from formgen.writers import NothingToWrite, writer_for


def preview(job: Job, records: RecordsLike, target: Path, first: Optional[int] = None,
            photos: Optional[Path | str] = None, env: Optional[Environment] = None) -> RenderReport:
    """The batch (or only its first records) rendered as one PDF at target, to be looked at; the report
    holds the problems of the records rendered."""
    job = job.loaded()
    roster = _roster_for(job, records, photos)
    if first is not None and first < len(roster.records):
        kept = roster.records[:first]
        rows = {record.row for record in kept}
        roster = replace(roster, records=kept,
                         problems=tuple(p for p in roster.problems if p.row is None or p.row in rows))
    return render(job, roster, Output(target, ("pdf",)), env=env)


def page_count(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def page_picture(pdf: Path, index: int, target: Path, width: int = 900) -> Path:
    """Page index (from 0) of the PDF as a PNG about width pixels wide, written whole at target."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[index]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
    with atomic_path(target) as temporary:
        image.save(temporary, format="PNG", optimize=True)
    return target


def preview_page(job: Job, records: RecordsLike, page: int = 0, dpi: float = 96,
                 photos: Optional[Path | str] = None, env: Optional[Environment] = None) -> bytes:
    """Page number page (from 0) of the batch as printed, as PNG bytes at dpi: the records are composed
    one by one only until that page is full (one record for a card, ten for a sheet of badges), the page
    is written as a one-page PDF and PDFium draws it, so the preview is the PDF the batch would print.
    Records that fail are left out as in render; NothingToWrite when there is no such page."""
    import pypdfium2

    job = job.loaded()
    roster = _roster_for(job, records, photos)
    env = env or Environment.default()
    composer = Composer(job.layout, env, job.org, job.options, job.copies)
    pages = composer.impose(p for result in composer.compose(roster.records) for p in result.pages)
    wanted = next(itertools.islice(pages, page, None), None)
    if wanted is None:
        raise NothingToWrite(f"no page {page + 1}: the batch has fewer pages")
    with tempfile.TemporaryDirectory(prefix="formgen-preview-") as folder:
        target = Path(folder) / "preview.pdf"
        writer_for("pdf")([wanted], composer.info(), target, env.book)
        document = pypdfium2.PdfDocument(target.read_bytes())
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
