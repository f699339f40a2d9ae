"""Layout + records → pages: every placement decision, per record, then N-up imposition."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from formgen import templating
from formgen.document import Item, Page, Rule, translate
from formgen.compose.elements import BuildContext, ElementFailed, build_elements
from formgen.fonts import FontBook, default_font_book
from formgen.compose.layout import Layout
from formgen.problems import ERROR, WARNING, Problem, RecordFailed
from formgen.input.records import Record
from formgen.compose.textflow import TextSetter
from formgen.units import mm


@dataclass
class RenderReport:
    """What happened to each record of a batch."""

    rendered: int = 0
    failed: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    outputs: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.failed + self.warnings


@dataclass
class Composer:
    layout: Layout
    org: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # --set values over the layout's defaults
    book: FontBook = field(default_factory=default_font_book)
    copies: Optional[int] = None
    today: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        self.setter = TextSetter(self.book)
        self._reported: set[int] = set()  # records whose load-time problems are already reported
        self.merged_options = {**self.layout.spec.options, **self.options}

    @property
    def card_size(self) -> tuple[float, float]:
        w, h = self.layout.spec.page.size_mm()
        return mm(w), mm(h)

    def context(self, record: Record, copy: int = 1) -> dict[str, Any]:
        return {
            **record.values,
            "record": record.values,
            "row": record.row,
            "org": self.org,
            "options": self.merged_options,
            "copy": copy,
            "copies": self.copies or self.layout.spec.copies,
            "today": self.today,
            "photo": str(record.photo) if record.photo else "",
        }

    def check_required(self, record: Record) -> None:
        for column in self.layout.spec.required:
            value = record.values.get(column)
            if value is None or str(value).strip() == "":
                raise RecordFailed(record.problem(ERROR, "为空，但此版式必须填写", column))

    def compose_record(self, record: Record) -> list[Page]:
        """The record's pages; raises RecordFailed when it cannot be drawn, warnings go on the record."""
        self.check_required(record)
        width, height = self.card_size
        top, right, bottom, left = (mm(v) for v in self.layout.spec.page.margins)
        pages: list[Page] = []
        for copy in range(1, (self.copies or self.layout.spec.copies) + 1):
            ctx = BuildContext(
                book=self.book, setter=self.setter, values=self.context(record, copy),
                base_dir=self.layout.base_dir, page_width=width, page_height=height,
                margins=(top, right, bottom, left),
                warn=lambda message, column: record.problem(WARNING, message, column),
                photo=record.photo,
            )
            try:
                items = build_elements(self.layout.spec.elements, ctx)
            except ElementFailed as exc:
                raise RecordFailed(record.problem(ERROR, str(exc), exc.column)) from None
            label = record.who
            pages.append(Page(width, height, _drawing_order(items), label=label))
            pages += [Page(width, height, tuple(extra), label=label) for extra in ctx.overflow_pages]
        return pages

    def file_name(self, record: Record) -> str:
        try:
            name = templating.render(self.layout.spec.file_name, self.context(record))
        except templating.TemplateProblem:
            name = ""
        return name or f"row-{record.row}"

    def document_title(self) -> str:
        source = self.layout.spec.document_title or self.layout.spec.title
        try:
            return templating.render(source, {"org": self.org, "options": self.merged_options,
                                              "today": self.today})
        except templating.TemplateProblem:
            return self.layout.spec.title

    def compose(self, records: Iterable[Record], report: RenderReport) -> Iterator[Page]:
        """All pages of a batch, imposed on sheets when the layout asks; failures go to the report."""
        pages = self._record_pages(records, report)
        if self.layout.spec.imposition is None:
            yield from pages
        else:
            yield from self._impose(pages)

    def _record_pages(self, records: Iterable[Record], report: RenderReport) -> Iterator[Page]:
        for record in records:
            before = 0 if id(record) not in self._reported else len(record.problems)
            self._reported.add(id(record))
            try:
                pages = self.compose_record(record)
            except RecordFailed:
                pages = []
            except Exception as exc:  # a bug must not cost the other records their pages
                record.problem(ERROR, f"排版时出现内部错误（{exc.__class__.__name__}: {exc}），请把这条信息报告给维护人员")
                pages = []
            new = record.problems[before:]
            failed = [p for p in new if p.level == ERROR]
            report.failed += failed
            report.warnings += [p for p in new if p.level == WARNING]
            if failed:
                continue
            report.rendered += 1
            yield from pages

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
