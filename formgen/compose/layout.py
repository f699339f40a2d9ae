"""The layout schema: what a layout file may say (page, imposition, elements), strictly validated."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from formgen import templating
from formgen.compose.elements import ElementSpec
from formgen.units import paper_size_mm

# Names a template may use besides record fields.
CONTEXT_NAMES = {"org", "options", "record", "row", "copy", "copies", "today", "photo", "loop_index",
                 "range", "lipsum", "dict", "cycler", "joiner", "namespace"}


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
            raise ValueError("width and height must be > 0")
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
    gap: tuple[float, float] = (0, 0)  # mm between cards
    crop_marks: bool = True
    mark_length: float = Field(default=4, gt=0)  # mm
    mark_offset: float = Field(default=1.5, ge=0)  # mm between the card's edge and its mark

    def sheet_mm(self) -> tuple[float, float]:
        return _size_mm(self.sheet, self.landscape)


class LayoutSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    page: PageSpec = PageSpec()
    imposition: Optional[ImpositionSpec] = None
    required: list[str] = []  # record fields that must not be empty
    fields: list[str] = []  # fields read indirectly (record[name]), listed for `list` and `check`
    options: dict[str, Any] = {}  # defaults for options.*, changed with --set key=value
    copies: int = Field(default=1, ge=1, le=100)
    file_name: str = "{{ 工号 }}-{{ 姓名 }}"  # for --split
    document_title: str = ""  # template for the file's title metadata
    elements: list[ElementSpec]


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

    def fields(self) -> list[str]:
        """Record fields the layout's templates read, in order of first use."""
        found: dict[str, None] = {name: None for name in self.spec.required + self.spec.fields}
        for source in _template_sources(self.spec.model_dump(by_alias=True)):
            for name in sorted(source[1]):
                if name not in CONTEXT_NAMES and name not in self.loop_names():
                    found.setdefault(name, None)
        return list(found)

    def uses_photo(self) -> bool:
        """Whether any element prints the record's photo (a roster's photos are looked up only then)."""
        dumped = self.spec.model_dump(by_alias=True)
        return (_any_element(dumped, lambda element: element.get("kind") == "photo")
                or any("photo" in names for _, names in _template_sources(dumped)))

    def turns_a_face(self) -> bool:
        """Whether a panel is turned upside down (the back of a folded card), which the DOCX holds as a
        picture of its text rather than as editable text."""
        return _any_element(self.spec.model_dump(by_alias=True),
                            lambda element: element.get("kind") == "panel" and element.get("rotate") == 180)

    def loop_names(self) -> set[str]:
        names = set()

        def walk(value):
            if isinstance(value, dict):
                if value.get("kind") == "repeat":
                    names.add(value.get("as", "item"))
                for child in value.values():
                    walk(child)
            elif isinstance(value, list):
                for child in value:
                    walk(child)

        walk(self.spec.model_dump(by_alias=True))
        return names


def _any_element(value, predicate) -> bool:
    if isinstance(value, dict):
        return predicate(value) or any(_any_element(child, predicate) for child in value.values())
    if isinstance(value, list):
        return any(_any_element(child, predicate) for child in value)
    return False


def _template_sources(value: Any):
    """(template, names it reads) for every template and expression in a dumped spec."""
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, str) and key in ("text", "content", "src", "checked", "file_name",
                                                  "document_title"):
                yield child, templating.names_used(child)
            elif isinstance(child, str) and key in ("when", "over", "options") :
                yield child, templating.names_in_expression(child)
            else:
                yield from _template_sources(child)
    elif isinstance(value, list):
        for child in value:
            yield from _template_sources(child)

