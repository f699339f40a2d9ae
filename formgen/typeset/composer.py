"""Layout + records → pages: every placement decision, per record, then N-up imposition."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

from formgen import clock, limits, templating
from formgen.characters import ideograph_variants
from formgen.document import DocumentInfo, Item, Page, Rule, translate
from formgen.fonts import FontBook, default_font_book
from formgen.problems import ERROR, WARNING, Problem, RecordFailed
from formgen.record import Record
from formgen.typeset.context import template_context
from formgen.typeset.distinct import Refusals, refusals
from formgen.typeset.elements import build_elements
from formgen.typeset.elements.base import BuildContext, ElementFailed, template_sources
from formgen.typeset.layout import Layout
from formgen.typeset import composed_cache
from formgen.typeset.composed_cache import ComposedCache
from formgen.typeset.photo_cache import PhotoCache
from formgen.typeset.textflow import TextSetter
from formgen.units import mm


@dataclass(frozen=True)
class Environment:
    """What composing reads from outside the layout and the records: the fonts, today's date, the
    folder of photos prepared before and that of records composed before (None: nothing kept).

    One object to inject (as Typst's World), so that tests and reruns compose the same pages.
    """

    book: FontBook
    today: dt.date
    photo_cache: Optional[PhotoCache] = None
    composed_cache: Optional[ComposedCache] = None  # records composed before, by what composing read

    @staticmethod
    def default(book: Optional[FontBook] = None, today: Optional[dt.date] = None,
                cache: bool = True) -> "Environment":
        """The bundled fonts (or book), today, and the photo and composed-record caches in the user's
        cache folder unless cache is off."""
        return Environment(book or default_font_book(), today or clock.today(),
                           PhotoCache.default() if cache else None, ComposedCache.default() if cache else None)

    def trim_caches(self) -> None:
        """Each cache back under its size limit, after a batch that may have taken it over."""
        for cache in (self.photo_cache, self.composed_cache):
            if cache is not None:
                cache.trim()


@dataclass(frozen=True)
class ComposedRecord:
    """One record's pages, and what composing it found; no pages when it failed."""

    record: Record
    pages: tuple[Page, ...]
    problems: tuple[Problem, ...]

    @property
    def failed(self) -> bool:
        return any(problem.level == ERROR for problem in self.problems)


class Composer:
    def __init__(self, layout: Layout, env: Optional[Environment] = None, org: Optional[Mapping[str, Any]] = None,
                 options: Optional[Mapping[str, Any]] = None, copies: Optional[int] = None,
                 missing_photo_said: bool = False):
        self.layout = layout
        self.missing_photo_said = missing_photo_said  # once for the batch: no warning per record
        self.refused: Mapping[int, Problem] = {}  # rows not to compose, and why (see refusals)
        self.env = env or Environment.default()
        self.org = dict(org or {})
        self.options = {**layout.spec.options, **(options or {})}  # --set values over the layout's defaults
        if copies is not None and (isinstance(copies, bool) or not isinstance(copies, int)
                                   or not 1 <= copies <= limits.MAX_COPIES):
            raise ValueError(f"每条记录的份数应为 1–{limits.MAX_COPIES} 的整数，而不是 {copies!r}")
        self.copies = copies or layout.spec.copies
        self.setter = TextSetter(self.env.book)
        self._planned: dict[int, tuple[Record, str]] = {}  # keys worked out to plan the batch, not again

    def __getstate__(self) -> dict[str, Any]:
        """A worker gets the composer without the keys the batch was planned with."""
        return {**self.__dict__, "_planned": {}}

    @property
    def card_size(self) -> tuple[float, float]:
        w, h = self.layout.spec.page.size_mm()
        return mm(w), mm(h)

    def context(self, record: Record, copy: int = 1) -> dict[str, Any]:
        return template_context(record, self.org, self.options, copy, self.copies, self.env.today)

    def _check_required(self, record: Record) -> None:
        for column in self.layout.spec.required:
            if _empty(record.values.get(column)):
                raise RecordFailed(record.problem(ERROR, "为空，但此版式必须填写", column))
        for group in self.layout.spec.required_any:
            if all(_empty(record.values.get(column)) for column in group):
                raise RecordFailed(record.problem(ERROR, f"{'和'.join(group)}都为空；此版式至少要填写其中一项", group[0]))

    def _variant_notices(self, record: Record) -> list[Problem]:
        """A printed value asking for a variant form of an ideograph (an IVS, as some registries write
        names): the usual form is printed, and the clerk is told which character of which column."""
        notices = []
        for column in self._printed_fields:
            value = record.values.get(column)
            for char, selector in ideograph_variants(value) if isinstance(value, str) else ():
                notices.append(record.problem(
                    WARNING, f"“{char}”后带有异体字选择符（U+{ord(selector):04X}），要求该字的一种异体字形；"
                             f"formgen 不能按选择符选用字形，印为通常的“{char}”，请核对", column))
        return notices

    @cached_property
    def _printed_fields(self) -> list[str]:
        return self.layout.fields(self.options, printed_only=True)

    def refusals(self, records: Sequence[Record], columns: Sequence[str], source: str = "") -> Refusals:
        """What cannot be printed before composing anything (distinct elements); the records refused are
        remembered and fail when composed."""
        found = refusals(self.layout.spec.title, self.layout.spec.elements, records, columns, self.context, source)
        self.refused = found.records
        return found

    def compose_record(self, record: Record) -> ComposedRecord:
        """The record's pages; a record that cannot be drawn has none, and an error says why. From the
        cache when this record was composed before from the same inputs."""
        if record.row in self.refused:
            return ComposedRecord(record, (), (self.refused[record.row],))
        cache = self.env.composed_cache
        if cache is None:
            return self._compose_afresh(record)
        key = self.cache_key(record)
        entry = cache.get(key)
        if entry is not None:
            # The roster may have been saved under another name since: its problems name this one.
            problems = tuple(replace(problem, source=record.source, row=record.row) for problem in entry.problems)
            return ComposedRecord(record, entry.pages, problems)
        with composed_cache.files_noted() as files:
            result = self._compose_afresh(record)
        if not result.failed:  # a failure is quick to find again, and may be a bug since fixed
            cache.put(key, composed_cache.Entry(result.pages, result.problems, tuple(files)))
        return result

    def is_cached(self, record: Record) -> bool:
        """Whether the cache has a current entry for the record (made from the files as they are now)."""
        cache = self.env.composed_cache
        if cache is None or record.row in self.refused:
            return False
        key = self.cache_key(record)
        self._planned[id(record)] = (record, key)  # compose_record takes it from here
        return cache.current(key)

    def cache_key(self, record: Record) -> str:
        """The record's entry: its values, its photo's path (its file is listed in the entry) and its row
        where a template may print it; not the roster's file name, which composing does not print (a
        member added above, or the roster sorted, leaves the others' entries as they were)."""
        planned = self._planned.pop(id(record), None)
        if planned is not None and planned[0] is record:
            return planned[1]
        photo = str(record.photo) if record.photo else None
        row = record.row if self._prints_row else None
        return composed_cache.digest(self._batch_identity, row, record.values, photo)

    @cached_property
    def _prints_row(self) -> bool:
        """Whether a template may print the record's row number: the word `row` in one of the layout's
        templates (a string it fills in included) or in a text of the profile or the options, or a
        `fill` of anything but the profile's and options' texts (a roster cell filled in as a template
        may name it too)."""
        if any(_ROW.search(source) or templating.fills_more_than(source, ("org", "options"))
               for source, _ in template_sources(self.layout.spec)):
            return True
        return any(_ROW.search(text) for text in _strings_in([self.org, self.options]))

    @cached_property
    def _batch_identity(self) -> str:
        """Everything but the record that composing reads, files aside (those each entry lists)."""
        return composed_cache.digest(
            composed_cache.code_identity(), self.layout.spec.model_dump(mode="json"), str(self.layout.path),
            self.org, self.options, self.copies, self.missing_photo_said, self.env.today,
            composed_cache.fonts_identity(self.env.book))

    def _compose_afresh(self, record: Record) -> ComposedRecord:
        problems: list[Problem] = []
        try:
            pages = self._pages(record, problems)
        except RecordFailed as failed:
            pages = []
            problems.append(failed.problem)
        except Exception as exc:  # a bug must not cost the other records their pages
            pages = []
            problems.append(record.problem(
                ERROR, f"排版时出现内部错误（{exc.__class__.__name__}: {exc}），请把这条信息报告给维护人员"))
        failed = any(problem.level == ERROR for problem in problems)
        return ComposedRecord(record, () if failed else tuple(pages), _once(problems))

    def _pages(self, record: Record, problems: list[Problem]) -> list[Page]:
        self._check_required(record)
        problems += self._variant_notices(record)
        width, height = self.card_size
        top, right, bottom, left = (mm(v) for v in self.layout.spec.page.margins)
        pages: list[Page] = []
        budget = [limits.MAX_ELEMENTS_PER_RECORD]  # for all copies of the record together
        for copy in range(1, self.copies + 1):
            ctx = BuildContext(
                budget=budget,
                book=self.env.book, setter=self.setter, values=self.context(record, copy),
                base_dir=self.layout.base_dir, page_width=width, page_height=height,
                margins=(top, right, bottom, left),
                report=lambda message, column, place: problems.append(
                    record.problem(WARNING, message, column, place)),
                photo=record.photo, missing_photo_said=self.missing_photo_said,
                photo_cache=self.env.photo_cache,
            )
            try:
                items = build_elements(self.layout.spec.elements, ctx)
            except ElementFailed as exc:
                problem = record.problem(ERROR, str(exc), exc.column, exc.place or "")
                raise RecordFailed(replace(problem, origin=exc.origin) if exc.origin else problem) from None
            label = record.who
            pages.append(Page(width, height, _drawing_order(items), label=label))
            pages += [Page(width, height, tuple(extra), label=label) for extra in ctx.overflow_pages]
        return pages

    def compose(self, records: Iterable[Record]) -> Iterator[ComposedRecord]:
        """Each record composed on its own, in order: one record's failure is not the next one's."""
        for record in records:
            yield self.compose_record(record)

    def impose(self, pages: Iterable[Page]) -> Iterator[Page]:
        """The pages as printed: on sheets, N-up, when the layout asks; otherwise as they are."""
        if self.layout.spec.imposition is None:
            yield from pages
        else:
            yield from self._impose(pages)

    def file_name(self, record: Record, template: Optional[str] = None) -> str:
        """A file name for the record's own file (--split): the given template, else the layout's."""
        try:
            name = templating.render(template or self.layout.spec.file_name, self.context(record))
        except templating.TemplateProblem:
            name = ""
        return name or f"row-{record.row}"

    def document_title(self) -> str:
        source = self.layout.spec.document_title or self.layout.spec.title
        try:
            return templating.render(source, {"org": self.org, "options": self.options, "today": self.env.today})
        except templating.TemplateProblem:
            return self.layout.spec.title

    def info(self, title: Optional[str] = None) -> DocumentInfo:
        """The document's metadata: its title, the profile's committee as author, the layout as subject."""
        author = str(self.org.get("committee") or self.org.get("organisation") or "")
        return DocumentInfo(title=self.document_title() if title is None else title, author=author,
                            subject=self.layout.spec.title)

    def _impose(self, pages: Iterable[Page]) -> Iterator[Page]:
        spec = self.layout.spec.imposition
        sheet_w, sheet_h = (mm(v) for v in spec.sheet_mm())
        card_w, card_h = self.card_size
        gap_x, gap_y = mm(spec.gap[0]), mm(spec.gap[1])
        grid_w = spec.columns * card_w + (spec.columns - 1) * gap_x
        grid_h = spec.rows * card_h + (spec.rows - 1) * gap_y
        left, top = (sheet_w - grid_w) / 2, (sheet_h - grid_h) / 2
        per_sheet = spec.columns * spec.rows
        slots = [(left + c * (card_w + gap_x), top + r * (card_h + gap_y))
                 for r in range(spec.rows) for c in range(spec.columns)]
        marks = _crop_marks(slots, card_w, card_h, mm(spec.mark_length), mm(spec.mark_offset)) \
            if spec.crop_marks else []
        batch: list[Page] = []
        for page in pages:
            batch.append(page)
            if len(batch) == per_sheet:
                yield _sheet(batch, slots, marks, sheet_w, sheet_h)
                batch = []
        if batch:
            yield _sheet(batch, slots, marks, sheet_w, sheet_h)


_ROW = re.compile(r"\brow\b")


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings_in(item)


def _empty(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def _once(problems: list[Problem]) -> tuple[Problem, ...]:
    """A record's problems, each said once: a face printed twice (the folded card's copied back) finds the
    same small photo twice, at two places in the layout; the first place is kept."""
    seen: dict[tuple, Problem] = {}
    for problem in problems:
        seen.setdefault((problem.level, problem.column, problem.message), problem)
    return tuple(seen.values())


def _drawing_order(items: list[Item]) -> tuple[Item, ...]:
    """Backgrounds first, then everything else in the order declared."""
    behind = [i for i in items if getattr(i, "behind", False)]
    return tuple(behind + [i for i in items if not getattr(i, "behind", False)])


def _sheet(cards: list[Page], slots, marks, width: float, height: float) -> Page:
    items: list[Item] = []
    for card, (x, y) in zip(cards, slots):
        items += [translate(item, x, y) for item in card.items]
    return Page(width, height, tuple(items) + tuple(marks), label=", ".join(c.label for c in cards))


def _crop_marks(slots, card_w: float, card_h: float, length: float, offset: float) -> list[Rule]:
    """Short hairlines outside each card corner, in the gutter, never over a card."""
    xs = sorted({x for x, _ in slots} | {x + card_w for x, _ in slots})
    ys = sorted({y for _, y in slots} | {y + card_h for _, y in slots})
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    marks: list[Rule] = []
    for x in xs:
        marks.append(Rule(x, top - offset - length, x, top - offset, width=0.25, name="crop-mark"))
        marks.append(Rule(x, bottom + offset, x, bottom + offset + length, width=0.25, name="crop-mark"))
    for y in ys:
        marks.append(Rule(left - offset - length, y, left - offset, y, width=0.25, name="crop-mark"))
        marks.append(Rule(right + offset, y, right + offset + length, y, width=0.25, name="crop-mark"))
    return marks
