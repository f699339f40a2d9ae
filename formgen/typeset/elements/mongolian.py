"""mongolian: traditional Mongolian text, shaped by the composer, in vertical columns (or a horizontal line).

A bilingual layout prints Mongolian beside the Chinese; a Mongolian string it needs that is missing fails
the record, naming the column or the profile key, rather than printing a placeholder.
"""
from __future__ import annotations

import re
from typing import Literal, Optional

from pydantic import Field

from formgen import templating
from formgen.document import Item
from formgen.fonts import MONGOLIAN_FACE, UncoveredCharacter
from formgen.typeset.context import CONTEXT_NAMES
from formgen.typeset.elements.base import BoxSpec, BuildContext, Color, ElementFailed, Template
from formgen.typeset.mongolian import MongolianStyle, MongolianTextProblem, setter_for

_ORG_KEY = re.compile(r"""org\s*(?:\.\s*(\w+)|\[\s*['"](\w+)['"]\s*\]|\.get\(\s*['"](\w+)['"])""")


class MongolianSpec(BoxSpec):
    kind: Literal["mongolian"]
    text: Template
    chinese: Template = ""  # what it says in Chinese: printed beside it on the proof sheet (formgen proof)
    font: str = "mongolian"  # the bundled Noto Sans Mongolian, or a face name from --font-dir
    size: float = Field(default=14.0, gt=0, le=400)
    min_size: Optional[float] = Field(default=None, gt=0)
    color: Color = "#000000"
    direction: Literal["vertical", "horizontal"] = "vertical"
    line_height: float = Field(default=1.5, gt=0.5, le=4)  # pitch of columns (lines), × size
    align: Literal["start", "center", "end"] = "start"  # along each column: top, middle, bottom
    place: Literal["start", "center", "end"] = "start"  # the columns across the box: left, centre, right
    wrap: bool = True
    optional: bool = False  # empty text leaves the element out instead of failing the record


def _source_of(spec: MongolianSpec) -> tuple[Optional[str], str]:
    """(the record column the text comes from, a description of where to fill it in), for messages."""
    columns = sorted(templating.names_used(spec.text) - CONTEXT_NAMES)
    if len(columns) == 1:
        return columns[0], f"名册的「{columns[0]}」列"
    keys = [next(k for k in match if k) for match in _ORG_KEY.findall(spec.text)]
    if keys:
        return None, "单位信息文件（--org）的 " + "、".join(dict.fromkeys(keys)) + " 一项"
    if "options." in spec.text:
        return None, "版式选项（--set）"
    return (columns[0] if columns else None), "数据"


def build(spec: MongolianSpec, ctx: BuildContext) -> list[Item]:
    content = ctx.render(spec.text).strip()
    column, where = _source_of(spec)
    if not content:
        if spec.optional:
            return []
        raise ElementFailed(f"蒙古文为空：这是蒙汉双语版式，必须印蒙古文，请在{where}填写传统蒙古文", column, ctx.path)
    face = MONGOLIAN_FACE if spec.font == "mongolian" else spec.font
    if face not in ctx.book.faces:
        raise ElementFailed(f"unknown Mongolian font {spec.font!r}", place=ctx.path)
    size = spec.size
    style = MongolianStyle(face=face, size=size, min_size=spec.min_size or min(size, max(5.0, size * 0.6)),
                           line_height=spec.line_height, vertical=spec.direction == "vertical", align=spec.align,
                           place=spec.place, wrap=spec.wrap, color=spec.color)
    gloss = ctx.render(spec.chinese).strip() if spec.chinese else ""
    try:
        placed, fits = setter_for(ctx.book).set(content, ctx.box(spec.box), style, spec.name, gloss=gloss)
    except MongolianTextProblem as exc:
        raise ElementFailed(f"{'' if column else where + '：'}{exc}", column, ctx.path) from None
    except UncoveredCharacter as exc:
        raise ElementFailed(f"{'' if column else where + '中的'}字符“{exc.char}”（U+{ord(exc.char):04X}）不是蒙古文字体能印的字符；"
                            f"蒙古文中请只用传统蒙古文字母、蒙古文标点和数字", column, ctx.path) from None
    if not fits:
        ctx.warn(f"蒙古文缩到 {placed.size:g} 磅仍放不下：{content[:24]}", column, ctx.path)
    return [placed]
