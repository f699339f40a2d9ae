"""Layout files in: the built-in layouts/ and the user's own YAML, read and validated into Layouts."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from formgen.files import safe_file_name
from formgen.input.schema_messages import in_chinese
from formgen.input.yaml_safe import YamlProblem, read_yaml_file
from formgen.resources import LAYOUTS_DIR, require
from formgen.typeset.elements import REGISTRY
from formgen.typeset.layout import Layout, LayoutSpec

BUILTIN_LAYOUT_DIR = LAYOUTS_DIR


class LayoutError(ValueError):
    """A layout file is invalid; the message names the file and the element path."""


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
        raise LayoutError(f"{path.name}：版式文件应为一个映射，含 name、title、page 和 elements 等项")
    try:
        spec = LayoutSpec.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path.name}：{_format_location(error['loc']) or '版式'}：{in_chinese(error)}" for error in exc.errors()]
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
    aliases = builtin_aliases()
    if str(name_or_path) in aliases:
        return aliases[str(name_or_path)]
    # Clerks type layout names, so this one message about layouts is in Chinese.
    named: dict[Path, list[str]] = {}
    for alias, path in aliases.items():
        named.setdefault(path, []).append(alias)
    known = "、".join(f"{p.stem}（{'、'.join(named[p])}）" if p in named else p.stem
                     for p in sorted(require(BUILTIN_LAYOUT_DIR, "*.yaml").glob("*.yaml")))
    raise LayoutError(f"没有名为“{name_or_path}”的版式（内置版式：{known}；也可以给出版式 .yaml 文件的路径）")


def builtin_aliases() -> dict[str, Path]:
    """The other names (aliases: [名片]) each built-in layout file declares, and its file."""
    found: dict[str, Path] = {}
    for path in sorted(BUILTIN_LAYOUT_DIR.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # reported when that layout itself is loaded
        for alias in (data.get("aliases") or []) if isinstance(data, dict) else []:
            found.setdefault(str(alias), path)
    return found


def document_name(layout: Layout) -> str:
    """A layout's document named as clerks call the layout (its first alias): 名片, 胸卡, 亮标准清单 …"""
    return safe_file_name(layout.spec.aliases[0]) if layout.spec.aliases else layout.name


def load_layout(name_or_path: str | Path) -> Layout:
    path = resolve_layout_path(name_or_path)
    try:
        data = read_yaml_file(path)
    except YamlProblem as exc:
        raise LayoutError(str(exc)) from None
    return parse_layout(data, path)


def builtin_layouts() -> list[Layout]:
    """Every layout of the layouts folder; none at all is an incomplete installation, said as such."""
    return [load_layout(p) for p in sorted(require(BUILTIN_LAYOUT_DIR, "*.yaml").glob("*.yaml"))]
