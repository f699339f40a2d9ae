"""The layout schema: what a layout file may say (page, imposition, elements), strictly validated."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from formgen.typeset.context import CONTEXT_NAMES
from formgen.typeset.elements import ElementSpec
from formgen.typeset.elements.base import Spec, Template, specs_in, template_sources
from formgen.units import paper_size_mm


def _size_mm(size: Union[str, tuple[float, float]], landscape: bool) -> tuple[float, float]:
    """A paper name or [width, height] in mm; landscape turns a named size."""
    return paper_size_mm(size, landscape) if isinstance(size, str) else size


class PageSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    size: Union[str, tuple[float, float]] = "A4"  # a paper name, or [width, height] in mm
    landscape: bool = False
    margins: tuple[float, float, float, float] = (15, 15, 15, 15)  # mm: top, right, bottom, left

    @field_validator("size")
    @classmethod
    def _known_size(cls, value):
        if isinstance(value, str):
            paper_size_mm(value)
        elif value[0] <= 0 or value[1] <= 0:
            raise ValueError("宽和高都应大于 0（毫米）")
        return value

    def size_mm(self) -> tuple[float, float]:
        return _size_mm(self.size, self.landscape)


class ImpositionSpec(BaseModel):
    """Several small cards on one sheet, with crop marks to cut them apart."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sheet: Union[str, tuple[float, float]] = "A4"
    landscape: bool = False
    columns: int = Field(ge=1)
    rows: int = Field(ge=1)
    gap: tuple[float, float] = (0, 0)  # mm between cards (the gutter)
    # mm that coloured areas run past the card's edge (its trim), so that a cut a little off still leaves
    # colour to the edge; the gutter must hold both neighbours' bleed, and crop marks start beyond it
    bleed: float = Field(default=0, ge=0)
    crop_marks: bool = True
    mark_length: float = Field(default=4, gt=0)  # mm
    mark_offset: float = Field(default=1.5, ge=0)  # mm between the card's edge and its mark

    @model_validator(mode="after")
    def _room_for_the_bleed(self):
        if self.bleed and min(self.gap) < 2 * self.bleed - 1e-9:
            raise ValueError(f"gap：间距 {list(self.gap)} 容不下两边各 {self.bleed:g} 毫米的出血"
                             f"（每个间距至少要 {2 * self.bleed:g} 毫米）")
        if self.bleed and self.crop_marks and self.mark_offset <= self.bleed:
            raise ValueError(f"mark_offset：裁切线离卡片 {self.mark_offset:g} 毫米，会画在 {self.bleed:g} 毫米的出血上"
                             f"（应大于出血）")
        return self

    def sheet_mm(self) -> tuple[float, float]:
        return _size_mm(self.sheet, self.landscape)


class LayoutSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    # other names the layout is known by, as clerks say them (名片): `formgen render 名片 …`
    aliases: list[str] = []
    title: str
    description: str = ""
    page: PageSpec = PageSpec()
    imposition: Optional[ImpositionSpec] = None
    required: list[str] = []  # record fields that must not be empty
    # groups of fields of which a record must fill at least one (a notice to a member, or else to a branch)
    required_any: list[list[str]] = []
    fields: list[str] = []  # fields read indirectly (record[name]), listed for `list` and `check`
    options: dict[str, Any] = {}  # defaults for options.*, changed with --set key=value
    copies: int = Field(default=1, ge=1, le=100)
    file_name: Template = Field(default="{{ 工号 }}-{{ 姓名 }}", validate_default=True)  # for --split
    document_title: Template = ""  # the file's title metadata
    elements: list[ElementSpec]

    @model_validator(mode="after")
    def _only_with_names_an_earlier_element(self):
        seen: set[str] = set()
        for spec in specs_in(self.elements):
            if spec.only_with is not None and spec.only_with not in seen:
                raise ValueError(f"only_with：在 {spec.name or spec.kind!r} 之前没有名为 {spec.only_with!r} 的元素")
            if spec.name:
                seen.add(spec.name)
        return self


@dataclass(frozen=True)
class Layout:
    spec: LayoutSpec
    path: Path

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def elements(self) -> list[Spec]:
        """Every element of the layout, nested ones included."""
        return list(specs_in(self.spec.elements))

    def fields(self, options: Optional[Mapping[str, Any]] = None, printed_only: bool = False) -> list[str]:
        """Record fields the layout reads with these options (--set, over the layout's defaults), in order of
        first use: a field that an option stands in for (`options.quarter or 季度`) is not among them.
        printed_only leaves out what only names files (--split) and documents."""
        from formgen.typeset.reads import fields_read

        known = {"options": {**self.spec.options, **(options or {})}}
        groups = [name for group in self.spec.required_any for name in group]
        found: dict[str, None] = {name: None for name in self.spec.required + groups + self.spec.fields}
        bound = CONTEXT_NAMES | self.loop_names()
        skipped = ("file_name", "document_title") if printed_only else ()
        for field_name in type(self.spec).model_fields:
            if field_name not in skipped:
                for name in fields_read(getattr(self.spec, field_name), known):
                    if name not in bound:
                        found.setdefault(name, None)
        return list(found)

    def stood_in_for(self, options: Optional[Mapping[str, Any]] = None) -> dict[str, str]:
        """Printed fields that something else stands in for wherever they are empty, each with what:
        "value" (an option that is set, --set place=… for 约谈地点; a word such as 本季度) or "today"
        (落款日期; 季度 where no quarter is given). A roster without them prints that instead."""
        from formgen.typeset.reads import fields_read

        known = {"options": {**self.spec.options, **(options or {})}}
        read, by_value, by_anything = set(), set(), set()
        for field_name in type(self.spec).model_fields:
            if field_name not in ("file_name", "document_title"):
                tree = getattr(self.spec, field_name)
                read.update(fields_read(tree, known))
                by_value.update(fields_read(tree, known, plain="value"))
                by_anything.update(fields_read(tree, known, plain="any"))
        # read plainly somewhere: no stand-in; read plainly but for today's: today stands in
        return {name: ("today" if name in by_value else "value") for name in read - by_anything}

    def uses_photo(self) -> bool:
        """Whether any element prints the record's photo (a roster's photos are looked up only then)."""
        return (any(spec.prints_photo for spec in self.elements())
                or any("photo" in names for _, names in template_sources(self.spec)))

    def turns_a_face(self) -> bool:
        """Whether a panel is turned upside down (the back of a folded card), which the DOCX holds as a
        picture of its text rather than as editable text."""
        return any(spec.turns_upside_down() for spec in self.elements())

    def loop_names(self) -> set[str]:
        """Names that elements give their children's templates (a repeat's loop variable)."""
        return {name for spec in self.elements() for name in spec.bound_names()}
