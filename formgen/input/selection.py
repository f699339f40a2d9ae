"""Choosing and grouping a roster's records: one branch's members, or one file per branch."""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Optional, Sequence

from formgen.input.records import Roster, RosterError, canonical_header
from formgen.record import Record


def cell_text(record: Record, column: str) -> str:
    """A value as the roster shows it, trimmed."""
    value = record.values.get(column)
    return ("" if value is None else str(value)).strip()


def _key(text: str) -> str:
    """A value as compared: full-width and half-width forms alike (NFKC)."""
    return unicodedata.normalize("NFKC", text).strip()


def _values(records, column: str) -> list[str]:
    """The distinct non-blank values of a column, as first written, in order of first appearance."""
    seen: dict[str, str] = {}
    for record in records:
        text = cell_text(record, column)
        if text:
            seen.setdefault(_key(text), text)
    return list(seen.values())


def canonical_column(name: Optional[str]) -> Optional[str]:
    """A column as the user wrote it (支部, branch) under the roster's canonical name (所属党支部)."""
    return canonical_header(name) if name else None


def parse_filters(pairs: Sequence[str]) -> dict[str, list[str]]:
    """'所属党支部=机关第一党支部' pairs; a column named twice keeps either value."""
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        column, sep, value = pair.partition("=")
        if not sep or not column.strip():
            raise ValueError(f"--only 的写法是 列名=值，例如 --only 所属党支部=机关第一党支部，而不是 {pair!r}")
        filters.setdefault(canonical_header(column), []).append(_key(value))
    return filters


def _require_column(roster: Roster, column: str, option: str) -> None:
    if column not in roster.columns:
        raise RosterError(f"{roster.source or '名册'} 中没有「{column}」列，无法按这一列{option}"
                          f"（现有的列：{'、'.join(roster.columns)}）")


def select(roster: Roster, filters: dict[str, list[str]]) -> Roster:
    """The records whose every filtered column holds one of the wanted values."""
    if not filters:
        return roster
    for column in filters:
        _require_column(roster, column, "挑选")
    chosen = [r for r in roster.records if all(_key(cell_text(r, c)) in wanted for c, wanted in filters.items())]
    if not chosen:
        column, wanted = next(iter(filters.items()))
        present = _values(roster.records, column)
        raise RosterError(f"{roster.source or '名册'} 中没有「{column}」为“{'”或“'.join(wanted)}”的记录"
                          f"（这一列现有的值：{'、'.join(present[:20]) or '无'}）；未写入任何文件")
    # Problems of rows left out are not this batch's; the file's own problems still are.
    rows = {record.row for record in chosen}
    return replace(roster, records=tuple(chosen),
                   problems=tuple(p for p in roster.problems if p.row is None or p.row in rows))


def group(roster: Roster, column: str) -> list[tuple[str, list[Record]]]:
    """The records by the value of one column, in order of first appearance; blanks as 未填写<column>."""
    _require_column(roster, column, "分组")
    labels = {_key(value): value for value in _values(roster.records, column)}
    groups: dict[str, list[Record]] = {}
    for record in roster.records:
        label = labels.get(_key(cell_text(record, column))) or f"未填写{column}"
        groups.setdefault(label, []).append(record)
    return list(groups.items())
