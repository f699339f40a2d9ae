"""Render: records through a layout into files — one file, one per record, or one per group."""
from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union

from formgen.api.workers import compose_records
from formgen.document import Document, Page
from formgen.files import UniqueNames, atomic_paths, refuse_inputs
from formgen.input import selection
from formgen.input.layouts import load_layout
from formgen.input.org import load_org
from formgen.input.photos import find_photos
from formgen.input.records import HeaderMap, Roster, load_roster, records_from_dicts
from formgen.problems import ERROR, WARNING, BatchRefused, Problem
from formgen.record import Record
from formgen.typeset.composer import ComposedRecord, Composer, Environment
from formgen.typeset.layout import Layout
from formgen.writers import FORMATS, NothingToWrite, Writer, writer_for

RecordsLike = Union[Roster, Sequence[Record], Sequence[dict], str, Path]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """What to compose: a layout (a built-in name, a file, or a loaded Layout), the organisation profile,
    the layout's options (--set) and the copies per record."""

    layout: Union[Layout, str, Path]
    org: Mapping[str, Any] = field(default_factory=lambda: load_org(None))  # every key present, empty
    options: Mapping[str, Any] = field(default_factory=dict)
    copies: Optional[int] = None

    def loaded(self) -> "Job":
        if isinstance(self.layout, Layout):
            return self
        return Job(load_layout(self.layout), self.org, self.options, self.copies)


@dataclass(frozen=True)
class Output:
    """Where the documents go: one file at path (its name kept as typed when it names the one format);
    with per_record, one file per record in the folder path; with group_by (a column such as 所属党支部),
    one file per value of that column in the folder path."""

    path: Path
    formats: tuple[str, ...] = ("pdf",)
    per_record: bool = False
    group_by: Optional[str] = None
    name_template: Optional[str] = None  # file names of per-record files, e.g. '{{ 所属党支部 }}-{{ 姓名 }}'
    pdfa: bool = False  # PDFs claim PDF/A-2b, for the archive

    def __post_init__(self):
        object.__setattr__(self, "path", Path(self.path))
        object.__setattr__(self, "formats", tuple(self.formats))
        for fmt in self.formats:
            if fmt not in FORMATS:
                raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
        if self.per_record and self.group_by:
            raise ValueError("one file per record and one file per group cannot be combined")


@dataclass
class RenderReport:
    """What happened to each record of a batch, gathered as the batch runs."""

    rendered: int = 0
    failed: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    outputs: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.failed + self.warnings

    def add(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            (self.failed if problem.level == ERROR else self.warnings).append(problem)


@dataclass(frozen=True)
class Composition:
    """A batch composed in memory: the document, and what composing it found."""

    document: Document
    report: RenderReport


def load_records(source: RecordsLike, photos: Optional[Path | str] = None, sheet: Optional[str] = None,
                 find_photo_files: bool = True, header_map: Optional[HeaderMap] = None,
                 encoding: Optional[str] = None) -> Roster:
    """A roster from a file, a list of dicts or of Records, with each record's photo found in the photos
    folder (unless find_photo_files is off: for a layout that prints none, so that its batch is not
    reported for photos it does not need). header_map gives the field of a header the file spells its
    own way: {"支部信息": "所属党支部"}; encoding a CSV's encoding, where its bytes cannot tell."""
    if isinstance(source, Roster):
        roster = source
    elif isinstance(source, (str, Path)):
        roster = load_roster(source, sheet, header_map, encoding)
    else:
        items = list(source)
        if items and isinstance(items[0], Record):
            roster = Roster(records=tuple(items), columns=tuple(items[0].values), problems=(), source="")
        else:
            roster = records_from_dicts(items, header_map=header_map)
    if not find_photo_files:
        return roster
    return find_photos(roster, Path(photos) if photos else None)


def _roster_for(job: Job, records: RecordsLike, photos: Optional[Path | str]) -> Roster:
    """A roster given as such is used as it is (its photos already found); anything else is loaded."""
    if isinstance(records, Roster):
        return records
    return load_records(records, photos, find_photo_files=job.layout.uses_photo())


class _Gatherer:
    """Collects each record's problems into the report as its pages go by: the roster's problems of a
    row are reported with that row's own, in the order of the rows."""

    def __init__(self, roster: Roster, report: RenderReport, progress: Optional[Progress], total: int):
        self.by_row: dict[int, list[Problem]] = {}
        for problem in roster.problems:
            if problem.row is None:
                report.add([problem])
            else:
                self.by_row.setdefault(problem.row, []).append(problem)
        self.report, self.progress, self.total, self.done = report, progress, total, 0
        self.inputs: list[Path | None] = []  # files never to be written over

    def pages(self, results: Iterable[ComposedRecord]) -> Iterator[Page]:
        for result in results:
            read = self.by_row.pop(result.record.row, [])
            # An error found in reading (an Excel error value, a cell past the limit) fails the record,
            # and is its reason: what composing then found (the name it lacks) would only repeat it.
            unreadable = any(problem.level == ERROR for problem in read)
            self.report.add(read + ([] if unreadable else list(result.problems)))
            failed = result.failed or unreadable
            if not failed:
                self.report.rendered += 1
            self.done += 1
            if self.progress:
                self.progress(self.done, self.total)
            if not failed:
                yield from result.pages

    def rest(self) -> None:
        """Problems of rows that were not composed (none normally): reported all the same."""
        for problems in self.by_row.values():
            self.report.add(problems)
        self.by_row.clear()


def photo_notice(layout: Layout, roster: Roster) -> Optional[Problem]:
    """When a layout prints photos and nobody's was found, that is said once for the batch, not for each
    member."""
    if not layout.uses_photo() or not roster.records or any(r.photo for r in roster.records):
        return None
    if roster.photo_folder is None:
        message = "此版式印照片，但没有指定照片文件夹（网页上在「② 照片」上传，命令行用 --photos 照片文件夹）；每人的照片位置印一个照片框"
    else:
        message = (f"照片文件夹 {roster.photo_folder} 中没有找到任何人的照片（照片用工号或姓名命名，或在「照片」列"
                   f"写明文件名）；每人的照片位置印一个照片框")
    return Problem(WARNING, message, column="照片", source=roster.source)


def batch_composer(job: Job, roster: Roster, env: Optional[Environment], refuse: bool = True
                   ) -> tuple[Composer, list[Problem]]:
    """The batch's composer, and what is said once for the whole batch rather than for every record. A
    batch that cannot be printed at all (a member's QR code the same on every card) raises BatchRefused
    before anything is composed, unless refuse is off (check reports it as an error instead)."""
    notice = photo_notice(job.layout, roster)
    composer = Composer(job.layout, env, job.org, job.options, job.copies, missing_photo_said=notice is not None)
    found = composer.refusals(roster.records, roster.columns, roster.source)
    if found.batch and refuse:
        raise BatchRefused(list(found.batch))
    return composer, list(found.batch) + ([notice] if notice else [])


def compose(job: Job, records: RecordsLike, photos: Optional[Path | str] = None,
            env: Optional[Environment] = None) -> Composition:
    """Every record composed, in memory: for callers who want the pages (and tests)."""
    job = job.loaded()
    roster = _roster_for(job, records, photos)
    composer, said = batch_composer(job, roster, env)
    report = RenderReport()
    report.add(said)
    gatherer = _Gatherer(roster, report, None, len(roster.records))
    pages = tuple(composer.impose(gatherer.pages(composer.compose(roster.records))))
    gatherer.rest()
    report.pages = len(pages)
    return Composition(Document(pages, composer.info()), report)


def write(document: Document, target: Path | str, fmt: Optional[str] = None, env: Optional[Environment] = None,
          pdfa: bool = False) -> int:
    """The document written to target, in the format its extension names unless fmt is given (a PDF
    claiming PDF/A-2b with pdfa); the number of pages."""
    target = Path(target)
    book = (env or Environment.default()).book
    fmt = fmt or target.suffix.lower().lstrip(".")
    return _writer(fmt, pdfa)(document.pages, document.info, target, book)


def _writer(fmt: str, pdfa: bool) -> Writer:
    """The format's writer, told to claim PDF/A when it writes a PDF for the archive."""
    return partial(writer_for(fmt), pdfa=True) if pdfa and fmt == "pdf" else writer_for(fmt)


def render(job: Job, records: RecordsLike, output: Union[Output, Path, str], photos: Optional[Path | str] = None,
           env: Optional[Environment] = None, progress: Optional[Progress] = None,
           jobs: Optional[int] = None) -> RenderReport:
    """Render every record that can be rendered; problems go to the report and never stop the batch.

    Records are composed by jobs processes (None: every core; 1: in this process), the pages written in
    the roster's order: the files are the same bytes whatever the number of jobs. A small batch is
    composed in this process whatever jobs says (starting workers would cost more than it saves)."""
    job = job.loaded()
    if not isinstance(output, Output):
        output = Output(Path(output), (Path(output).suffix.lower().lstrip(".") or "pdf",))
    roster = _roster_for(job, records, photos)
    env = env or Environment.default()
    composer, said = batch_composer(job, roster, env)
    report = RenderReport()
    report.add(said)
    gatherer = _Gatherer(roster, report, progress, len(roster.records))
    inputs = [roster.path, Path(photos) if photos else None]
    if not (output.per_record or output.group_by):
        for _, target in _targets(output):  # before composing: refused at once, not after the batch
            refuse_inputs(target, inputs)
    gatherer.inputs = inputs
    if output.per_record:
        _per_record(composer, roster, output, env, gatherer, jobs)
    elif output.group_by:
        _per_group(composer, selection.group(roster, output.group_by), output, env, gatherer, jobs)
    else:
        _one_file(composer, roster.records, output, env, gatherer, jobs)
    gatherer.rest()
    env.trim_caches()
    return report


def _targets(output: Output) -> list[tuple[str, Path]]:
    """(format, file) pairs: -o keeps its name (名片.PDF stays as typed) when it names the one format."""
    path, formats = output.path, output.formats
    if len(formats) == 1 and path.suffix.lower().lstrip(".") == formats[0]:
        return [(formats[0], path)]
    return [(fmt, path.with_suffix("." + fmt)) for fmt in formats]


def _one_file(composer: Composer, records: Sequence[Record], output: Output, env: Environment,
              gatherer: _Gatherer, jobs: Optional[int]) -> None:
    # closing: an interrupted or failed write stops the workers at once, not when the traceback goes.
    with contextlib.closing(compose_records(composer, records, jobs)) as composed:
        _one_file_of(composer, composed, output, env, gatherer)


def _one_file_of(composer: Composer, composed: Iterable[ComposedRecord], output: Output, env: Environment,
                 gatherer: _Gatherer) -> None:
    report = gatherer.report
    targets = _targets(output)
    pages: Iterable[Page] = composer.impose(gatherer.pages(composed))
    if len(targets) == 1:
        # One format: pages go from the composer straight to the writer, never all in memory at once.
        fmt, target = targets[0]
        try:
            report.pages = _writer(fmt, output.pdfa)(pages, composer.info(), target, env.book)
        except NothingToWrite:  # every record failed: no file at all
            return
        report.outputs.append(target)
        return
    # Several formats walk the same decisions: the pages are kept (their pictures are already small).
    kept = tuple(pages)
    if kept:
        _write_formats(Document(kept, composer.info()), [target for _, target in targets], output, env, gatherer)


def _per_record(composer: Composer, roster: Roster, output: Output, env: Environment, gatherer: _Gatherer,
                jobs: Optional[int]) -> None:
    output.path.mkdir(parents=True, exist_ok=True)
    names = UniqueNames()
    with contextlib.closing(compose_records(composer, roster.records, jobs)) as composed:
        for result in composed:
            _record_file(composer, result, output, env, gatherer, names)


def _record_file(composer: Composer, result: ComposedRecord, output: Output, env: Environment,
                 gatherer: _Gatherer, names: UniqueNames) -> None:
    record = result.record
    pages = tuple(composer.impose(gatherer.pages([result])))
    if not pages:
        return
    info = composer.info(title=f"{composer.layout.spec.title} {record.who}".strip())
    stem = output.path / names(composer.file_name(record, output.name_template))
    _write_formats(Document(pages, info), _stem_targets(stem, output.formats), output, env, gatherer)


def _per_group(composer: Composer, groups: list[tuple[str, list[Record]]], output: Output, env: Environment,
               gatherer: _Gatherer, jobs: Optional[int]) -> None:
    """One file per group, named after the group's value; a group whose records all failed writes nothing."""
    output.path.mkdir(parents=True, exist_ok=True)
    names = UniqueNames()
    # One pool for the whole batch: the groups' records in a row, cut back into groups as they return.
    every = [record for _, records in groups for record in records]
    with contextlib.closing(compose_records(composer, every, jobs)) as composed:
        for value, records in groups:
            _group_file(composer, value, itertools.islice(composed, len(records)), output, env, gatherer, names)


def _group_file(composer: Composer, value: str, composed: Iterable[ComposedRecord], output: Output,
                env: Environment, gatherer: _Gatherer, names: UniqueNames) -> None:
    """One group's file; a group whose records all failed writes nothing."""
    pages = tuple(composer.impose(gatherer.pages(composed)))
    if not pages:
        return
    info = composer.info(title=f"{composer.document_title()} {value}".strip())
    _write_formats(Document(pages, info), _stem_targets(output.path / names(value), output.formats), output,
                   env, gatherer)


def _stem_targets(stem: Path, formats: Sequence[str]) -> list[Path]:
    return [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats]


def _write_formats(document: Document, targets: Sequence[Path], output: Output, env: Environment,
                   gatherer: _Gatherer) -> None:
    """The document in every format, all replaced together (a full disk leaves the PDF and the DOCX
    both as they were, never one new and one old); its pages counted once, whatever the formats."""
    report = gatherer.report
    for target in targets:
        refuse_inputs(target, gatherer.inputs)
    with atomic_paths(targets) as temporaries:
        for index, (fmt, temporary) in enumerate(zip(output.formats, temporaries)):
            written = _writer(fmt, output.pdfa)(document.pages, document.info, temporary, env.book)
            report.pages += written if index == 0 else 0
    report.outputs += list(targets)
