"""Each record's own value: an element marked `distinct` (a member's QR code) whose value holds nothing of
the record, or comes out the same for every record, is found before anything is composed — the batch
stops, or that record fails — rather than printing the same useless code on every card.

What a value holds of the record is found by trying: each field in turn is given a mark no roster holds,
and the fields whose mark shows in the value are the ones it is made of. This sees through templates held
in data (the profile's qr_url_template, rendered with `fill`), which reading the layout's templates cannot.
A value that holds nothing of the record is traced the same way to the profile entry or layout option it
shows (Problem.origin), so that whoever reads the problem is sent to where it is put right.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Mapping, Sequence

from formgen import templating
from formgen.problems import ERROR, Problem
from formgen.record import Record
from formgen.typeset.elements.base import Spec

MARK = "\ue000"  # a private-use character: in no roster, and not changed by any filter that keeps text
KIND_WORDS = {"qr": "二维码", "text": "文字", "blank": "填写项", "photo": "照片", "image": "图片"}


@dataclass(frozen=True)
class Refusals:
    """What cannot be printed: the whole batch (its problems), or single records (by row)."""

    batch: tuple[Problem, ...] = ()
    records: Mapping[int, Problem] = field(default_factory=dict)


def distinct_elements(elements: Sequence[Spec], path: str = "elements", whens: tuple[str, ...] = ()
                      ) -> Iterator[tuple[Spec, str, tuple[str, ...]]]:
    """(element, its place in the layout, the `when` conditions it is drawn under) of every distinct
    element outside repeats, whose items are not one per record."""
    for index, spec in enumerate(elements):
        place = f"{path}[{index}]" + (f" ({spec.name})" if spec.name else "")
        chain = whens + ((spec.when,) if spec.when else ())
        if spec.distinct:
            yield spec, place, chain
        if getattr(spec, "kind", None) == "panel":
            yield from distinct_elements(spec.children, f"{place}.children", chain)


def _value(template: str, whens: tuple[str, ...], context: dict[str, Any]) -> str | None:
    """The element's value for a record, or None when it is not drawn for it (or cannot be worked out:
    composing the record reports why)."""
    try:
        if not all(templating.evaluate(when, context) for when in whens):
            return None
        return templating.render(template, context).strip()
    except templating.TemplateProblem:
        return None


def made_of(template: str, record: Record, context_of: Callable[[Record], dict[str, Any]]) -> list[str]:
    """The record's fields the value is made of, found by marking each in turn."""
    fields = []
    for name in record.values:
        marked = replace(record, values={**record.values, name: MARK})
        try:
            shown = MARK in templating.render(template, context_of(marked))
        except templating.TemplateProblem:
            shown = True  # the field goes through a filter that reads it: it is used
        if shown:
            fields.append(name)
    return fields


def origin_of(template: str, record: Record, context_of: Callable[[Record], dict[str, Any]]) -> str:
    """Where a value that holds nothing of the record comes from: "options:KEY" or "org:KEY", the layout
    option or profile entry whose text shows in it (found by marking each, the option first, as options
    override the profile), or "" when it is the layout's own text."""
    context = context_of(record)
    for scope in ("options", "org"):
        entries = context.get(scope) or {}
        for key, text in entries.items():
            if not isinstance(text, str) or not text.strip():
                continue  # an empty entry gives way to the next one in the template: marking it would not
            marked = {**context, scope: {**entries, key: MARK + text}}
            try:
                shown = MARK in templating.render(template, marked)
            except templating.TemplateProblem:
                shown = False
            if shown:
                return f"{scope}:{key}"
    return ""


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def refusals(title: str, elements: Sequence[Spec], records: Sequence[Record], columns: Sequence[str],
             context_of: Callable[[Record], dict[str, Any]], source: str = "") -> Refusals:
    """Every distinct element's values over the batch: the batch's problems and the records refused."""
    batch: list[Problem] = []
    refused: dict[int, Problem] = {}
    for spec, place, whens in distinct_elements(elements):
        template = getattr(spec, spec.value_field)
        drawn = [(r, v) for r in records if (v := _value(template, whens, context_of(r))) is not None]
        if not drawn:
            continue
        what = f"{title}上的{KIND_WORDS.get(spec.kind, '内容')}"
        fields = made_of(template, drawn[0][0], context_of)
        values = {value for _, value in drawn}
        if not fields:
            value = next(iter(values))
            if value:  # an empty value that no field makes is no value at all: the element is left out
                batch.append(Problem(ERROR, f"{what}对每个人都一样（{value}），不随人变化，印出来没有用；它来自单位资料"
                                            f"（网页上的「单位信息」）或版式选项，要在其中写上名册的列，如 "
                                            f"https://party.example.org/m/{{{{ 工号 }}}}", source=source, place=place,
                                     origin=origin_of(template, drawn[0][0], context_of)))
            continue
        named = "、".join(f"「{name}」" for name in fields)
        empty = [record for record, _ in drawn if all(_blank(record.values.get(name)) for name in fields)]
        if len(empty) == len(drawn):
            absent = [name for name in fields if name not in columns]
            why = (f"名册中没有{'、'.join(f'「{n}」' for n in absent)}列" if absent else f"{named}列都没有填写")
            shown = f"（{next(iter(values))}）" if len(values) == 1 and next(iter(values)) else ""
            batch.append(Problem(ERROR, f"{what}要用到{named}，但{why}：每个人的{KIND_WORDS.get(spec.kind, '内容')}"
                                        f"都会一样{shown}；请在名册中补上这一列，或在单位资料（--org）、--set 中改用"
                                        f"名册中有的列", column=fields[0], source=source, place=place))
        elif len(values) == 1 and len(drawn) > 1:
            batch.append(Problem(ERROR, f"{what}对每个人都一样（{next(iter(values))}）：{named}列每行都相同",
                                 column=fields[0], source=source, place=place))
        else:
            for record in empty:
                refused.setdefault(record.row, record.problem(
                    ERROR, f"没有填写，{what}要用到它；这条记录没有生成，以免印出没有用的{KIND_WORDS.get(spec.kind, '内容')}",
                    fields[0], place))
    return Refusals(tuple(batch), refused)
