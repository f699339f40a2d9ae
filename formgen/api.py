"""The public API: load a layout, load records, compose, write — and render, which does all four."""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from formgen.input import selection
from formgen.compose.composer import Composer, RenderReport
from formgen.document import Document
from formgen.fonts import FontBook, default_font_book
from formgen.compose.layout import Layout
from formgen.input.layouts import load_layout
from formgen.input.org import load_org
from formgen.input.photos import PhotoFinder, flag_shared_photos, unused_photos
from formgen.problems import Problem
from formgen.input.records import Record, Roster, load_roster, records_from_dicts
from formgen.writers import FORMATS, NothingToWrite, writer_for

RecordsLike = Union[Roster, Sequence[Record], Sequence[dict], str, Path]
Progress = Callable[[int, int], None]


def load_records(source: RecordsLike, photos: Optional[Path | str] = None, sheet: Optional[str] = None,
                 find_photos: bool = True) -> Roster:
    """A roster from a file, a list of dicts or Records; photos looked up unless find_photos is off
    (for a layout that prints none, so that its batch is not reported for photos it does not need)."""
    if isinstance(source, Roster):
        roster = source
    elif isinstance(source, (str, Path)):
        roster = load_roster(source, sheet)
    else:
        items = list(source)
        if items and isinstance(items[0], Record):
            roster = Roster(records=items, columns=list(items[0].values), problems=[], source="")
        else:
            roster = records_from_dicts(items)
    if not find_photos:
        return roster
    finder = PhotoFinder(Path(photos) if photos else None)
    searched = False
    for record in roster.records:
        if record.photo is None and not (record.photo_searched and photos is None):
            record.photo = finder.find(record)
            record.photo_searched = searched = True
    if searched:
        flag_shared_photos(roster.records)
        unused = unused_photos(finder, roster.records, roster.source) if photos else None
        if unused:
            roster.problems.append(unused)
    return roster


def compose(layout: Layout, records: Iterable[Record], report: RenderReport, org: Optional[dict] = None,
            options: Optional[dict] = None, copies: Optional[int] = None,
            book: Optional[FontBook] = None) -> Document:
    composer = Composer(layout, org=org or load_org(None), options=options or {},
                        book=book or default_font_book(), copies=copies)
    return Document(pages=composer.compose(records, report), title=composer.document_title(),
                    author=_author(org or {}), subject=layout.spec.title)


def _author(org: dict) -> str:
    """Documents are authored by the committee (or the organisation) of the profile."""
    return str(org.get("committee") or org.get("organisation") or "")


def write(document: Document, target: Path | str, book: Optional[FontBook] = None) -> int:
    return writer_for(Path(target).suffix.lower().lstrip("."))(document, Path(target), book)


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


def _targets(output: Path, formats: Sequence[str]) -> list[tuple[str, Path]]:
    """(format, file) pairs: -o keeps its name (名片.PDF stays as typed) when it names the one format."""
    if len(formats) == 1 and output.suffix.lower().lstrip(".") == formats[0]:
        return [(formats[0], output)]
    return [(fmt, output.with_suffix("." + fmt)) for fmt in formats]


def render_records(layout: Union[Layout, str, Path], records: RecordsLike, output: Path | str,
                   org: Optional[dict] = None, options: Optional[dict] = None,
                   formats: Sequence[str] = ("pdf",), split: bool = False, name_template: Optional[str] = None,
                   copies: Optional[int] = None, photos: Optional[Path | str] = None,
                   book: Optional[FontBook] = None, progress: Optional[Progress] = None,
                   group_by: Optional[str] = None) -> RenderReport:
    """Render every record that can be rendered; problems go to the report, never stop the batch.

    One file by default; with split, one file per record in the output folder; with group_by (a
    column, e.g. 所属党支部), one file per value of that column, named after it.
    """
    layout = layout if isinstance(layout, Layout) else load_layout(layout)
    roster = load_records(records, photos, find_photos=layout.uses_photo())
    org = org if org is not None else load_org(None)
    book = book or default_font_book()
    output = Path(output)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if split and group_by:
        raise ValueError("split and group_by cannot be combined")
    groups = selection.group(roster, group_by) if group_by else None
    report = RenderReport(warnings=list(roster.problems))
    total = len(roster.records)
    counted = _counting(roster.records, progress, total)
    if split:
        _render_split(layout, counted, output, org, options, formats, name_template, copies, book, report)
        return report
    composer = Composer(layout, org=org, options=options or {}, book=book, copies=copies)
    if groups is not None:
        _render_groups(layout, composer, groups, output, org, formats, book, report, progress, total)
        return report
    targets = _targets(output, formats)
    if len(targets) == 1:
        # One format: pages go from the composer straight to the writer, never all in memory at once.
        fmt, target = targets[0]
        document = Document(pages=composer.compose(counted, report), title=composer.document_title(),
                            author=_author(org), subject=layout.spec.title)
        try:
            report.pages = writer_for(fmt)(document, target, book)
        except NothingToWrite:  # every record failed: no file at all
            return report
        report.outputs.append(target)
        return report
    # Several formats walk the same decisions: the pages are kept (their pictures are already small).
    pages = list(composer.compose(counted, report))
    if not pages:
        return report
    for fmt, target in targets:
        document = Document(pages=pages, title=composer.document_title(), author=_author(org),
                            subject=layout.spec.title)
        report.pages = writer_for(fmt)(document, target, book)
        report.outputs.append(target)
    return report


def _counting(records: list[Record], progress: Optional[Progress], total: int, start: int = 0):
    for index, record in enumerate(records, start + 1):
        yield record
        if progress:
            progress(index, total)


def _render_split(layout: Layout, records: Iterable[Record], folder: Path, org: dict, options, formats,
                  name_template, copies, book, report: RenderReport) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    composer = Composer(layout, org=org, options=options or {}, book=book, copies=copies)
    used: set[str] = set()
    for record in records:
        pages = list(composer.compose([record], report))
        if not pages:
            continue
        document = Document(pages=pages, title=f"{layout.spec.title} {record.who}".strip(),
                            author=_author(org), subject=layout.spec.title)
        _write_formats(document, folder / _unique_stem(_file_name(composer, record, name_template), used),
                       formats, book, report)


def _render_groups(layout: Layout, composer: Composer, groups: list[tuple[str, list[Record]]], folder: Path,
                   org: dict, formats, book, report: RenderReport, progress: Optional[Progress], total: int) -> None:
    """One file per group, named after the group's value; a group whose records all failed writes nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    done = 0
    for value, records in groups:
        pages = list(composer.compose(_counting(records, progress, total, start=done), report))
        done += len(records)
        if not pages:
            continue
        document = Document(pages=pages, title=f"{composer.document_title()} {value}".strip(),
                            author=_author(org), subject=layout.spec.title)
        _write_formats(document, folder / _unique_stem(value, used), formats, book, report)


def _write_formats(document: Document, stem: Path, formats: Sequence[str], book, report: RenderReport) -> None:
    """The document as STEM.pdf, STEM.docx …; its pages counted once, whatever the number of formats."""
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        written = writer_for(fmt)(document, target, book)
        report.pages += written if fmt == formats[0] else 0
        report.outputs.append(target)


def _unique_stem(name: str, used: set[str]) -> str:
    """A safe file name not used yet in this folder (compared without case, as Windows does)."""
    base = safe_file_name(name)
    stem, n = base, 2
    while stem.lower() in used:
        stem, n = f"{base}-{n}", n + 1
    used.add(stem.lower())
    return stem


def _file_name(composer: Composer, record: Record, name_template: Optional[str]) -> str:
    if not name_template:
        return composer.file_name(record)
    from formgen import templating

    try:
        return templating.render(name_template, composer.context(record)) or f"row-{record.row}"
    except templating.TemplateProblem:
        return f"row-{record.row}"


def print_progress(done: int, total: int) -> None:
    if total >= 20 and (done % 50 == 0 or done == total):
        print(f"  {done}/{total} records", file=sys.stderr, flush=True)


__all__ = ["load_layout", "load_records", "compose", "write", "render_records", "RenderReport", "Problem",
           "safe_file_name", "Any"]
