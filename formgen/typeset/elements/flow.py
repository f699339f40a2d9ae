"""flow: paragraphs of running text that continue on further pages (letters)."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from formgen.document import Item
from formgen.fonts import UncoveredCharacter
from formgen.typeset.elements.base import BoxSpec, BuildContext, Template, TextStyleSpec
from formgen.units import Box, mm


class ParagraphSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: Template  # newlines in the result start new paragraphs of the same style
    align: Optional[Literal["left", "center", "right", "justify", "distribute"]] = None
    indent: Optional[float] = Field(default=None, ge=0)  # characters
    hanging: Optional[float] = Field(default=None, ge=0)  # the other lines' indent, characters (list items)
    font: Optional[str] = None
    bold: Optional[bool] = None
    space_before: float = Field(default=0, ge=0)  # in lines
    keep_with_previous: bool = False  # signatures stay on the page of the text they close

class FlowSpec(BoxSpec, TextStyleSpec):
    kind: Literal["flow"]
    continue_box: Optional[tuple[float, float, float, float]] = None  # mm, on later pages; default: box
    paragraphs: list[ParagraphSpec] = Field(min_length=1)
    align: Literal["left", "center", "right", "justify", "distribute"] = "justify"
    indent: float = Field(default=2, ge=0)
    # GB/T 9704 page numbers ("— 2 —") under the text block, right on odd pages and left on even ones,
    # when the text takes more than one page
    page_numbers: bool = False
    page_number_gap: float = Field(default=7, ge=0)  # mm between the text block and the page number
    # The line spacing may tighten down to this (× size) so that a text a few lines too long for one page
    # fits on it (GB/T 9704: adjust the spacing rather than leave the signature and date alone on a page);
    # blank lines before paragraphs (space_before) shrink to one first. Default: the spacing never changes.
    min_line_height: Optional[float] = Field(default=None, gt=0.5, le=4)


# One composed line: (style, (text, first of its paragraph, ends it), whether a page may break before it)
Line = tuple[object, tuple[str, bool, bool], bool]


def build(spec: FlowSpec, ctx: BuildContext) -> list[Item]:
    first = ctx.box(spec.box)
    later = ctx.box(spec.continue_box) if spec.continue_box else first
    paragraphs = _paragraphs(spec, ctx, first.w)
    pages, line_height = _paginate(_lines(paragraphs, ctx, spec, spec.line_height, None), first, later,
                                   spec.size * spec.line_height)
    if len(pages) > 1:
        for factor, spaces in _tighter(spec):
            tried, height = _paginate(_lines(paragraphs, ctx, spec, factor, spaces), first, later, spec.size * factor)
            if len(tried) == 1:
                pages, line_height = tried, height
                break
    items_per_page = [_place(ctx, [(style, line) for style, line, _ in chunk], first if i == 0 else later,
                             line_height, spec) for i, chunk in enumerate(pages) if chunk]
    if not items_per_page:
        return []
    if spec.page_numbers and len(items_per_page) > 1:
        for number, items in enumerate(items_per_page, 1):
            items.append(_page_number(ctx, number, first if number == 1 else later, spec))
    ctx.overflow_pages.extend(items_per_page[1:])
    return items_per_page[0]


def _paragraphs(spec: FlowSpec, ctx: BuildContext, width: float) -> list[tuple[ParagraphSpec, dict, list]]:
    """(paragraph, its style overrides, its broken lines) of every paragraph with text. Lines are broken
    once: the line spacing does not change where they break."""
    found = []
    for paragraph in spec.paragraphs:
        content = ctx.render(paragraph.text).strip("\n")
        if not content.strip():
            continue
        overrides = {k: v for k, v in (("align", paragraph.align), ("indent", paragraph.indent),
                                        ("hanging", paragraph.hanging), ("font", paragraph.font),
                                        ("bold", paragraph.bold)) if v is not None}
        style = ctx.text_style(spec, valign="top", **overrides)
        try:
            broken = ctx.setter.lines_at(content, style, spec.size, width)
        except UncoveredCharacter as exc:
            raise ctx.uncovered(exc, content) from None
        found.append((paragraph, overrides, broken))
    return found


def _lines(paragraphs, ctx: BuildContext, spec: FlowSpec, factor: float, spaces: Optional[int]) -> list[Line]:
    """Every line at this line spacing (× size), with at most `spaces` blank lines before a paragraph."""
    lines: list[Line] = []
    for paragraph, overrides, broken in paragraphs:
        style = ctx.text_style(spec, valign="top", line_height=factor, **overrides)
        blank = round(paragraph.space_before)
        for _ in range(blank if spaces is None else min(blank, spaces)):
            # space before a paragraph kept with the previous one is kept with it too
            lines.append((style, ("", True, True), not paragraph.keep_with_previous))
        for n, line in enumerate(broken):
            lines.append((style, line, not (paragraph.keep_with_previous or n > 0 and n == len(broken) - 1)))
    return lines


def _tighter(spec: FlowSpec):
    """What may be tried, in order, to keep the text on one page: fewer blank lines before paragraphs,
    then the line spacing tightened in steps of 0.05 down to min_line_height."""
    if spec.min_line_height is None or spec.min_line_height >= spec.line_height:
        return
    yield spec.line_height, 1
    factor = spec.line_height
    while factor - 0.05 >= spec.min_line_height - 1e-9:
        factor = round(factor - 0.05, 2)
        yield factor, 1


def _paginate(lines: list[Line], first: Box, later: Box, line_height: float) -> tuple[list[list[Line]], float]:
    """The lines on pages of the boxes' capacity, a paragraph's last line and a kept paragraph never alone
    at the top of a page."""
    pages: list[list[Line]] = [[]]
    capacity = [max(1, int((first.h + 0.01) // line_height))]
    for entry in lines:
        if len(pages[-1]) >= capacity[-1]:
            carry: list = []
            if not entry[2]:
                # Keep a paragraph's last line, or a signature, with the text before it: pull lines
                # back until one that a page may begin with.
                while pages[-1]:
                    carry.insert(0, pages[-1].pop())
                    if carry[0][2] and carry[0][1][0]:
                        break
            pages.append(carry)
            capacity.append(max(1, int((later.h + 0.01) // line_height)))
        if not pages[-1] and not entry[1][0]:
            continue  # no blank lines at the top of a page
        pages[-1].append(entry)
    return [page for page in pages if page], line_height


def _page_number(ctx: BuildContext, number: int, block: Box, spec: FlowSpec) -> Item:
    size = 14.0  # 四号
    box = Box(block.x, block.bottom + mm(spec.page_number_gap), block.w, size * 1.5)
    style = ctx.text_style(spec, font="body", size=size, min_size=size, align="right" if number % 2 else "left",
                           indent=0, valign="top", wrap=False, line_height=1.2, bold=False)
    # a character's width in from the edge, as the standard asks
    inset = Box(box.x + size, box.y, box.w - 2 * size, box.h)
    return ctx.set_text(f"— {number} —", inset, style, f"{spec.name or 'flow'}-page-number")


def _place(ctx: BuildContext, chunk, box: Box, line_height: float, spec: FlowSpec) -> list[Item]:
    """Consecutive lines of one style become one Text item, stacked down the box."""
    items: list[Item] = []
    y = box.y
    run: list = []
    run_style = None

    def flush():
        nonlocal y, run
        if run:
            region = Box(box.x, y, box.w, line_height * len(run))
            items.append(ctx.setter.position(run, region, run_style, spec.size, spec.name, 0))
            y += line_height * len(run)
            run = []

    for style, line in chunk:
        if style is not run_style:
            flush()
            run_style = style
        run.append(line)
    flush()
    return [item for item in items if any(l.runs for l in item.lines)]
