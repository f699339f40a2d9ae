"""What every element kind shares: the strict spec base, text style fields and the build context."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Callable, ClassVar, Iterator, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from formgen import limits, templating
from formgen.document import Item, Text
from formgen.fonts import FontBook, UncoveredCharacter
from formgen.typeset.photo_cache import PhotoCache
from formgen.typeset.textflow import TextSetter, TextStyle
from formgen.units import Box, mm

MM = float
# A colour as layouts write it: #RRGGBB.
Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


class TemplateSource(str):
    """A layout string that is a jinja template: tools that read layouts find templates by this type."""


class ExpressionSource(str):
    """A layout string that is a jinja expression (`when`, `over`, a list of choices)."""


def _compiled(kind: type, compile_source):
    """A validator that reports a template's syntax error as a layout error and marks the string."""
    def check(value: str) -> str:
        try:
            compile_source(value)
        except templating.TemplateProblem as exc:
            raise ValueError(str(exc)) from None
        return kind(value)

    return check


# Strings that are jinja templates or expressions: syntax errors surface when the layout loads.
Template = Annotated[str, AfterValidator(_compiled(TemplateSource, templating.compile_template))]
Expression = Annotated[str, AfterValidator(_compiled(ExpressionSource, templating.compile_expression))]


class ElementFailed(Exception):
    """An element cannot be drawn for this record (the record fails, the batch goes on); place is where
    in the layout, filled in by whoever builds the element when the raiser does not know it."""

    def __init__(self, message: str, column: str | None = None, place: str | None = None, origin: str = ""):
        self.column = column
        self.place = place
        self.origin = origin  # "org:KEY" or "options:KEY": the entry whose template failed (Problem.origin)
        super().__init__(message)


class Spec(BaseModel):
    """Base of every element spec: unknown keys are errors, templates are checked on load.

    What tools need to know about a kind without naming it is declared here and overridden by the kind:
    whether it prints the record's photo, whether it turns its children upside down, and which names it
    gives its children's templates.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Optional[str] = None
    when: Optional[Expression] = None  # the element is drawn only when this is true
    # drawn only when the element of that name (earlier in the layout) drew something: a caption under
    # a QR code that may be left out
    only_with: Optional[str] = None
    # each record's own value (a member's QR code): a value that holds nothing of the record, or is the same
    # for every record, stops the batch (or fails that record) before anything is printed
    distinct: bool = False

    prints_photo: ClassVar[bool] = False
    value_field: ClassVar[Optional[str]] = None  # the template that makes the element's value, for distinct

    @model_validator(mode="after")
    def _distinct_has_a_value(self):
        if self.distinct and self.value_field is None:
            raise ValueError(f"distinct：{getattr(self, 'kind', 'element')} 元素没有自己的取值，不能要求每人不同")
        return self

    def turns_upside_down(self) -> bool:
        return False

    def bound_names(self) -> frozenset[str]:
        return frozenset()


def specs_in(value: Any) -> Iterator[Spec]:
    """Every element spec in a layout's tree (or any part of it), parents before children."""
    if isinstance(value, Spec):
        yield value
    if isinstance(value, BaseModel):
        for field_name in type(value).model_fields:
            yield from specs_in(getattr(value, field_name))
    elif isinstance(value, (list, tuple)):
        for child in value:
            yield from specs_in(child)


def template_sources(value: Any) -> Iterator[tuple[str, set[str]]]:
    """(template or expression, the names it reads) for every one in a layout's tree, in file order."""
    if isinstance(value, TemplateSource):
        yield value, templating.names_used(value)
    elif isinstance(value, ExpressionSource):
        yield value, templating.names_in_expression(value)
    elif isinstance(value, BaseModel):
        for field_name in type(value).model_fields:
            yield from template_sources(getattr(value, field_name))
    elif isinstance(value, (list, tuple)):
        for child in value:
            yield from template_sources(child)


def _check_box(value: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if value[2] <= 0 or value[3] <= 0:
        raise ValueError("宽和高都应大于 0（毫米）")
    return value


class BoxSpec(Spec):
    box: tuple[MM, MM, MM, MM]  # x, y, width, height in mm, relative to the enclosing panel

    @field_validator("box")
    @classmethod
    def _box_has_size(cls, value):
        return _check_box(value)


class TextStyleSpec(BaseModel):
    """How text looks; shared by text, blank, checkbox and table cells."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    font: str = "body"  # title | heading | body | sans | kai, or a face name from --font-dir
    size: float = Field(default=12.0, gt=0, le=400)  # points
    min_size: Optional[float] = Field(default=None, gt=0)  # shrink-to-fit floor; default: 60% of size
    bold: bool = False
    color: Color = "#000000"
    align: Literal["left", "center", "right", "justify", "distribute"] = "left"
    valign: Literal["top", "middle", "bottom"] = "top"
    line_height: float = Field(default=1.4, gt=0.5, le=4)  # multiple of the size
    wrap: bool = True
    indent: float = Field(default=0, ge=0)  # first-line indent, in characters
    hanging: float = Field(default=0, ge=0)  # the other lines' indent, in characters ("一、" items wrap under their text)
    distribute_chars: Optional[int] = Field(default=None, ge=2)  # distribute: spread to this many characters


@dataclass
class BuildContext:
    """Everything an element needs to turn its spec into items for one record."""

    book: FontBook
    setter: TextSetter
    values: dict[str, Any]  # template context: record fields, org, options …
    base_dir: Path  # the layout's folder, for relative picture paths
    page_width: float
    page_height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left in points
    # Receives each warning: (message, column, place in the layout)
    report: Callable[[str, Optional[str], str], None]
    photo: Optional[Path] = None
    missing_photo_said: bool = False  # the batch already says that nobody's photo was found: no warning each
    photo_cache: Optional[PhotoCache] = None  # prepared photos kept between runs
    origin: tuple[float, float] = (0.0, 0.0)  # points: where the enclosing panel starts
    path: str = "elements"  # where in the layout we are, for messages
    overflow_pages: list[list[Item]] = field(default_factory=list)  # continuation pages (long tables)
    drawn: set[str] = field(default_factory=set)  # names of the elements that drew something (only_with)
    # Elements this record may still build, shared by every nested context of the record: repeats inside
    # repeats cannot make millions of elements.
    budget: list[int] = field(default_factory=lambda: [limits.MAX_ELEMENTS_PER_RECORD])

    def box(self, spec_box: tuple[float, float, float, float]) -> Box:
        x, y, w, h = spec_box
        return Box(mm(x) + self.origin[0], mm(y) + self.origin[1], mm(w), mm(h))

    def point(self, xy: tuple[float, float]) -> tuple[float, float]:
        return (mm(xy[0]) + self.origin[0], mm(xy[1]) + self.origin[1])

    def warn(self, message: str, column: Optional[str]) -> None:
        """A warning of this record, with the element's place in the layout kept beside the message."""
        self.report(message, column, self.path)

    def render(self, template: str) -> str:
        try:
            return templating.render(template, self.values)
        except templating.TemplateProblem as exc:
            origin = self.origin_of(exc.source)
            scope, _, key = origin.partition(":")
            message = str(exc)
            if origin and message.startswith("模板 ") and "：" in message:
                # named as the clerk typed it in the profile or --set ({员工号}), not as Jinja reads it
                typed = str((self.values.get(scope) or {}).get(key))
                typed = "".join(c if c.isprintable() else repr(c)[1:-1] for c in typed)  # a control character as \x02
                where = {"org": "单位信息中 {} 的", "options": "版式选项 {} 的"}[scope].format(key)
                message = f"{where}模板“{typed}”：{message.split('：', 1)[1]}"
            raise ElementFailed(message, exc.column, self.path, origin) from None

    def origin_of(self, source: Optional[str]) -> str:
        """"org:KEY" or "options:KEY" when the failed template is a profile entry's or an option's own text
        (the QR address of the profile, a --set value), so that the clerk is sent there, not to the roster."""
        if not source:
            return ""
        for scope in ("options", "org"):
            for key, text in (self.values.get(scope) or {}).items():
                if isinstance(text, str) and source in (text, templating.data_template(text)):
                    return f"{scope}:{key}"
        return ""

    def evaluate(self, expression: str) -> Any:
        try:
            return templating.evaluate(expression, self.values)
        except templating.TemplateProblem as exc:
            raise ElementFailed(str(exc), place=self.path) from None

    def nested(self, **changes) -> "BuildContext":
        """A context for children; continuation pages stay shared with the parent."""
        child = replace(self, **changes)
        child.overflow_pages = self.overflow_pages
        child.drawn = self.drawn
        return child

    def text_style(self, style: TextStyleSpec, **overrides) -> TextStyle:
        values = {**style.model_dump(), **overrides}
        face = self.face(values["font"], values["bold"])
        size = values["size"]
        return TextStyle(
            face=face, size=size, min_size=values["min_size"] or min(size, max(5.0, size * 0.6)),
            line_height=values["line_height"], align=values["align"], valign=values["valign"],
            wrap=values["wrap"], indent_chars=values["indent"], hanging_chars=values["hanging"],
            distribute_chars=values["distribute_chars"],
            color=values["color"],
        )

    def face(self, role: str, bold: bool) -> str:
        try:
            return self.book.face_for(role, bold)
        except ValueError as exc:
            raise ElementFailed(str(exc)) from None

    def set_text(self, text: str, box: Box, style: TextStyle, name: Optional[str], what: str = "text") -> Text:
        """Text set into its box; a warning when even the smallest size does not fit."""
        try:
            placed, fits = self.setter.set(text, box, style, name=name)
        except UncoveredCharacter as exc:
            raise self.uncovered(exc, text) from None
        if not fits:
            self.warn(f"{WHAT.get(what, what)}缩到 {placed.size:g} 磅仍放不下：{_short(text)}",
                      self.column_of(text))
        return placed

    def uncovered(self, exc: UncoveredCharacter, text: str) -> ElementFailed:
        """The record fails naming the character no font has, and the column it came from."""
        return ElementFailed(f"字符“{exc.char}”（U+{ord(exc.char):04X}）没有任何可用字体能打印；请用 --font-dir "
                             "加入含有该字的字体", self.column_of(text, exc.char), self.path)

    def column_of(self, text: str, char: str = "") -> Optional[str]:
        """The record column a piece of text came from: the first whose value is in it; given the
        character at fault, the column whose value holds that character (None when none does)."""
        own = {key: value for key, value in self.values.items() if key not in ("org", "options")}
        found = [key for key, value in own.items() if isinstance(value, str) and value and value in text]
        if not char:
            return found[0] if found else None
        holding = [key for key in found if char in own[key]]
        # text made of a list's items (a report's ranking) comes from the list that holds the character
        return next(iter(holding), None) or next((key for key, value in own.items()
                                                  if not isinstance(value, str) and char in str(value)), None)


# What a piece of set text is, in messages.
WHAT = {"text": "文字", "choice": "选项"}


def _short(text: str, limit: int = 24) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= limit else flat[:limit] + "…"
