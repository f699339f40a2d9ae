"""Layout definitions: YAML files in layouts/ (or the user's own) loaded into validated Layouts."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import templating
from .elements import REGISTRY, ElementSpec
from .units import paper_size_mm

BUILTIN_LAYOUT_DIR = Path(__file__).resolve().parent.parent / "layouts"
# Names a template may use besides record fields.
CONTEXT_NAMES = {"org", "options", "record", "row", "copy", "copies", "today", "photo", "loop_index",
                 "range", "lipsum", "dict", "cycler", "joiner", "namespace"}


class LayoutError(ValueError):
    """A layout file is invalid; the message names the file and the element path."""


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


def _format_location(loc: tuple) -> str:
    parts: list[str] = []
    previous_was_index = False
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
            previous_was_index = True
            continue
        if previous_was_index and part in REGISTRY:  # pydantic's discriminator step: not part of the path
            previous_was_index = False
            continue
        previous_was_index = False
        parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def parse_layout(data: Any, path: Path) -> Layout:
    if not isinstance(data, dict):
        raise LayoutError(f"{path.name}: a layout is a mapping with name, title, page and elements")
    try:
        spec = LayoutSpec.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"{path.name}: {_format_location(error['loc'])}: {message}")
        raise LayoutError("\n".join(lines)) from None
    return Layout(spec=spec, path=path)


def resolve_layout_path(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise LayoutError(f"找不到版式文件：{candidate}")
        return candidate
    builtin = BUILTIN_LAYOUT_DIR / f"{name_or_path}.yaml"
    if builtin.exists():
        return builtin
    # Clerks type layout names, so this one message about layouts is in Chinese.
    known = "、".join(sorted(p.stem for p in BUILTIN_LAYOUT_DIR.glob("*.yaml")))
    raise LayoutError(f"没有名为“{name_or_path}”的版式（内置版式：{known}；也可以给出版式 .yaml 文件的路径）")


def load_layout(name_or_path: str | Path) -> Layout:
    path = resolve_layout_path(name_or_path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LayoutError(f"{path.name}: not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise LayoutError(f"{path.name}: layout files must be UTF-8") from None
    return parse_layout(data, path)


def builtin_layouts() -> list[Layout]:
    return [load_layout(p) for p in sorted(BUILTIN_LAYOUT_DIR.glob("*.yaml"))]


__all__ = ["Layout", "LayoutError", "LayoutSpec", "load_layout", "builtin_layouts", "Literal"]
