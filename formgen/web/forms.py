"""Form fields built from a layout's own options, and the fields a roster column may be mapped to."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from formgen.input.records import COLUMN_ALIASES
from formgen.typeset.layout import Layout

# Chinese labels (and choices) for the options the layouts have; an option of a layout added later
# still gets a field, labelled with its own name.
OPTION_LABELS: dict[str, tuple[str, Optional[dict[str, str]]]] = {
    "back": ("背面印什么", {"pledge": "党员承诺", "copy": "正面的副本"}),
    "qr": ("二维码内容（空着就用单位信息里的）", None),
    "heading": ("抬头文字", None),
    "quarter": ("季度（如 2024年第三季度；空着就用名册的「季度」列或本季度）", None),
    "month": ("月份（如 10；空着就用名册的「月份」列）", None),
    "blank": ("空白表格，留给手写", None),
    "background": ("证书底图", None),
    "seal": ("印章图片", None),
    "title": ("标题", None),
    "letterhead": ("印红色信头", None),
    "closing": ("结束语", None),
    "title_mn": ("蒙古文标题（空着就用默认的）", None),
    "pass_mark": ("合格线（分）", None),
    "greeting": ("贺词（空着就用单位信息里的）", None),
    "time": ("约谈时间（空着留给手写）", None),
    "place": ("约谈地点（空着留给手写）", None),
    "interviewer": ("约谈人", None),
    "issuer": ("落款", None),
    "materials": ("需要准备的材料", None),
    "text": ("标志上的文字", None),
    "name": ("印上党员姓名", None),
    "cut_lines": ("印裁切线", None),
}
HIDDEN_OPTIONS = {"background", "seal", "emblem"}  # file paths on the server: not for a form


@dataclass(frozen=True)
class OptionField:
    name: str
    label: str
    kind: str  # text, number, checkbox, select
    value: Any
    choices: Optional[dict[str, str]] = None


def option_fields(layout: Layout, chosen: Mapping[str, Any]) -> list[OptionField]:
    """One field per simple option of the layout (lists and tables of options stay as the layout has them)."""
    fields = []
    for name, default in layout.spec.options.items():
        if name in HIDDEN_OPTIONS or isinstance(default, (list, dict)):
            continue
        label, choices = OPTION_LABELS.get(name, (name, None))
        value = chosen.get(name, default)
        if isinstance(default, bool):
            kind = "checkbox"
        elif isinstance(default, (int, float)):
            kind = "number"
        elif choices:
            kind = "select"
        else:
            kind = "text"
        fields.append(OptionField(name, label, kind, value, choices))
    return fields


def read_options(layout: Layout, form: Mapping[str, str]) -> dict[str, Any]:
    """The options as the form gave them, each of its default's type."""
    options: dict[str, Any] = {}
    for field in option_fields(layout, {}):
        raw = form.get(f"option-{field.name}")
        if field.kind == "checkbox":
            options[field.name] = raw is not None
        elif raw is None:
            continue
        elif field.kind == "number":
            try:
                options[field.name] = type(field.value)(raw)
            except ValueError:
                raise ValueError(f"「{field.label}」要填数字，而不是“{raw}”") from None
        elif field.kind == "select" and field.choices and raw not in field.choices:
            raise ValueError(f"「{field.label}」只能选 {'、'.join(field.choices.values())}")
        else:
            options[field.name] = raw.strip()
    return options


def mappable_fields(layouts: list[Layout]) -> list[str]:
    """Every field a roster column may be read as: the known ones, then those the layouts read."""
    found = dict.fromkeys(COLUMN_ALIASES)
    for layout in layouts:
        for name in layout.fields():
            if not name.isascii():
                found.setdefault(name)
    return list(found)


@dataclass(frozen=True)
class FieldGroup:
    label: str
    fields: tuple[tuple[str, str], ...]  # (field, the words the choice shows)


def field_groups(chosen: Layout, layouts: list[Layout]) -> list[FieldGroup]:
    """The fields a column may be read as, for the header drop-down: those the chosen layout reads first
    (required ones first), then the roster's usual fields, then the rest under the layout that reads them."""
    used = [name for name in chosen.fields() if not name.isascii()]
    required = [name for name in chosen.spec.required if name in used]
    groups = [FieldGroup(f"「{chosen.spec.title}」要用的",
                         tuple((name, f"{name}（必填）") for name in required)
                         + tuple((name, name) for name in used if name not in required))]
    listed = set(used)
    usual = [name for name in COLUMN_ALIASES if name not in listed]
    groups.append(FieldGroup("名册中常见的", tuple((name, name) for name in usual)))
    listed.update(usual)
    for layout in layouts:
        own = [name for name in layout.fields() if not name.isascii() and name not in listed]
        if own and layout.name != chosen.name:
            groups.append(FieldGroup(f"「{layout.spec.title}」用的", tuple((name, name) for name in own)))
            listed.update(own)
    return [group for group in groups if group.fields]
