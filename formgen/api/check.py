"""Check: every problem a batch would meet — missing columns, photos, characters, fitting — without
writing a document."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Mapping, Optional

from formgen.api.render import Job, RecordsLike, RenderReport, _Gatherer, _roster_for, batch_composer
from formgen.api.workers import compose_records
from formgen.input.records import Roster, resembling_column
from formgen.problems import ERROR, WARNING, Problem
from formgen.typeset.composer import Environment
from formgen.typeset.layout import Layout


def missing_columns(layout: Layout, roster: Roster, options: Optional[Mapping[str, Any]] = None
                    ) -> tuple[list[str], list[str]]:
    """(required columns the roster lacks, other fields the layout prints that it lacks). A field that an
    option supplies (--set quarter=2024Q3 for 季度, --set blank=true for the texts, --set place=… for 约谈地点)
    or a word stands in for (本季度) is not missing; one today's date stands in for is (absent_notice)."""
    present = set(roster.columns)
    required = [c for c in layout.spec.required if c not in present]
    required += [group[0] for group in layout.spec.required_any if not present & set(group)]
    stood_in_for = layout.stood_in_for(options)  # an option or a word prints instead (today's: said)
    used = [c for c in layout.fields(options, printed_only=True)
            if c not in present and c not in required and stood_in_for.get(c) != "value"]
    return required, used


def absent_notice(layout: Layout, column: str, options: Optional[Mapping[str, Any]] = None,
                  stood_in_for: Optional[Mapping[str, str]] = None) -> str:
    """What printing without a column the layout uses does: leaves it empty, prints today's, or prints
    what an option or the layout gives in its place. stood_in_for: layout.stood_in_for(options), when
    the caller has it already (it walks every template)."""
    stand_in = (layout.stood_in_for(options) if stood_in_for is None else stood_in_for).get(column)
    if stand_in == "today":
        return "名册中没有这一列，这一项按今天印"
    if stand_in == "value":
        return "名册中没有这一列，这一项印选项或版式给的内容"
    return "名册中没有这一列，这一项将留空"


def required_label(layout: Layout, column: str) -> str:
    """How a missing required column is named to the clerk: with its alternatives where the layout
    takes any one of a group (「姓名」或「所属党支部」), else by its name."""
    for group in layout.spec.required_any:
        if group[0] == column:
            return "或".join(f"「{name}」" for name in group)
    return column


def perhaps(column: str, roster: Roster, or_else: str = "") -> str:
    """A hint when a column of the roster looks like the missing one under another header. or_else says
    how else to read that column as the field where the reader is ({header} and {field} filled in: the
    page's drop-down, --column)."""
    similar = resembling_column(column, roster.columns)
    if not similar:
        return ""
    return (f"（“{similar}”列是不是「{column}」？是的话请把表头改成“{column}”"
            f"{or_else.format(header=similar, field=column)}）")


def column_problems(layout: Layout, roster: Roster, options: Optional[Mapping[str, Any]] = None,
                    or_else: str = "") -> list[Problem]:
    """A missing required column is an error, a missing used one a warning (that item prints empty, or
    today's)."""
    required, absent = missing_columns(layout, roster, options)
    stood_in_for = layout.stood_in_for(options) if absent else {}
    return ([Problem(ERROR, _needed(layout, c) + perhaps(c, roster, or_else), column=c, source=roster.source)
             for c in required]
            + [Problem(WARNING, absent_notice(layout, c, options, stood_in_for) + perhaps(c, roster, or_else),
                       column=c, source=roster.source)
               for c in absent])


def _needed(layout: Layout, column: str) -> str:
    label = required_label(layout, column)
    return "版式需要这一列，名册中没有" if label == column else f"版式需要{label}列，名册中都没有"


def check(job: Job, records: RecordsLike, photos: Optional[Path | str] = None,
          env: Optional[Environment] = None, jobs: Optional[int] = None, or_else: str = "") -> RenderReport:
    """The problems of the columns, then of every record as composing finds them (by jobs processes, as
    render); nothing is written. or_else: see perhaps."""
    job = job.loaded()
    roster = _roster_for(job, records, photos)
    report = RenderReport()
    report.add(column_problems(job.layout, roster, job.options, or_else))
    absent_required = set(missing_columns(job.layout, roster, job.options)[0])
    composer, said = batch_composer(job, roster, env, refuse=False)
    report.add(said)
    gatherer = _Gatherer(roster, report, None, len(roster.records))
    with contextlib.closing(compose_records(composer, roster.records, jobs)) as composed:
        report.pages = sum(1 for _ in composer.impose(gatherer.pages(composed)))
    gatherer.rest()
    # Each record's "为空" would only repeat, once a row, that its column is missing.
    report.failed = [p for p in report.failed if p.row is None or p.column not in absent_required]
    return report
