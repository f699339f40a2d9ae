"""Previews: the first records of a batch rendered to a PDF at once, and its pages as pictures."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

from formgen.api.render import Job, Output, RecordsLike, RenderReport, _roster_for, render
from formgen.files import atomic_path
from formgen.typeset.composer import Environment


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
