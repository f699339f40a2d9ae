"""What is wrong with a layout file, in Chinese: pydantic's validation errors said by their kind.

The layout schema's own checks raise ValueError with Chinese text already; pydantic's built-in errors
(a missing item, an unknown one, a value of the wrong type or out of range) are said here by their
error type, with the values pydantic gives in their context. An error type not known here keeps
pydantic's English, behind a Chinese lead-in, rather than being lost.
"""
from __future__ import annotations

import re
from typing import Any

_LIMITS = {"greater_than": ("gt", "应大于 {}"), "greater_than_equal": ("ge", "应不小于 {}"),
           "less_than": ("lt", "应小于 {}"), "less_than_equal": ("le", "应不大于 {}")}
_TYPES = {
    "string_type": "应为文字", "int_type": "应为整数", "int_parsing": "应为整数",
    "int_from_float": "应为整数（不能有小数）", "float_type": "应为数字", "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表，如 [10, 20]", "tuple_type": "应为列表，如 [10, 20, 30, 40]",
    "dict_type": "应为“名称: 值”的映射", "model_type": "应为“名称: 值”的映射",
    "model_attributes_type": "应为“名称: 值”的映射", "finite_number": "应为有限的数字",
}


def _choices(expected: Any) -> str:
    """pydantic's "'left', 'center' or 'right'" as 「left」「center」「right」."""
    return "、".join(f"“{name}”" for name in re.findall(r"'([^']*)'", str(expected))) or str(expected)


def in_chinese(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        position = error["loc"][-1] if error.get("loc") else None
        return f"缺少第{position + 1}项" if isinstance(position, int) else "缺少这一项（必须填写）"
    if kind == "extra_forbidden":
        return "不认识这一项（是否拼写有误？这里可以写的项见 README 的版式说明）"
    if kind == "union_tag_invalid":
        return f"没有“{ctx.get('tag')}”这种元素（kind）；可用的有：{_choices(ctx.get('expected_tags'))}"
    if kind == "union_tag_not_found":
        return "缺少 kind（元素的种类，如 text、photo、qr）"
    if kind == "literal_error":
        return f"应为以下之一：{_choices(ctx.get('expected'))}"
    if kind in _LIMITS:
        key, text = _LIMITS[kind]
        return text.format(ctx.get(key))
    if kind == "too_short":
        return f"至少要有{ctx.get('min_length')}项"
    if kind == "too_long":
        return f"至多{ctx.get('max_length')}项"
    if kind == "string_pattern_mismatch":
        if tuple(error.get("loc") or ()) == ("name",):
            return "只能用小写英文字母、数字和连字符（-），以字母或数字开头，如 my-card"
        if "#" in str(ctx.get("pattern", "")):
            return "应为 #RRGGBB 形式的颜色，如 #C8161D"
        return f"格式不对（应符合 {ctx.get('pattern')}）"
    if kind in ("list_type", "tuple_type") and "required_any" in (error.get("loc") or ()):
        return "应为若干组，每组是一个列表，如 [[姓名, 所属党支部]]（每组至少填写一项）"
    if kind in _TYPES:
        return _TYPES[kind]
    if kind in ("value_error", "assertion_error"):
        return str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return f"不符合版式的要求（{error.get('msg', '')}）"
