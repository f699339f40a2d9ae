"""The campaign's rules: who is 学习之星, 进步之星, and who receives a 劝学信, per branch and quarter.

Rules (also in the README):
- 学习之星: the highest 总分 of the branch in the quarter. Ties: higher 政治理论, then higher 业务知识,
  then the smaller 工号 (rows without 工号 after, in the sheet's order).
- 进步之星: the largest gain in 总分 over the previous quarter among members present in both (matched
  by 工号 when both rows have one, else by 姓名 within 所属党支部); only a gain above zero counts. Ties:
  higher 总分 this quarter, then the smaller 工号. The same member may also be 学习之星.
- 劝学信: 总分 strictly below the pass mark (default 60; exactly 60 passes). A subject is weak when its
  score is below its share of the pass mark (pass mark × the subject's full marks / 总分's full marks:
  30 of 50 with the template's scale); the letter names the weak subjects, the weakest first.
- Rows that cannot be told apart in a quarter (a 工号 twice, a 姓名 twice in one branch without 工号) take
  part in nothing until the sheet is fixed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

from formgen.campaign.scores import SCALE, SUBJECTS, ScoreRow
from formgen.input.identifiers import id_key
from formgen.input.problem_list import append_problems_sheet
from formgen.problems import Problem
from formgen.xlsx_cells import append_row, save_workbook

STUDY_STAR, PROGRESS_STAR, REMINDER = "学习之星", "进步之星", "劝学信"


@dataclass(frozen=True)
class Decision:
    award: str
    row: ScoreRow
    why: str
    previous_total: Optional[float] = None
    weak_subjects: tuple[dict, ...] = ()
    tie_broken: bool = False

    @property
    def gain(self) -> Optional[float]:
        return None if self.previous_total is None else self.row.total - self.previous_total


@dataclass(frozen=True)
class Rules:
    pass_mark: float = 60
    scale: Mapping[str, float] = field(default_factory=lambda: dict(SCALE))  # full marks (scores.SCALE)

    def subject_pass_mark(self, subject: str) -> float:
        """A subject's share of the pass mark: 60 × 50 / 100 = 30 with the template's scale."""
        return self.pass_mark * self.scale[subject] / self.scale["总分"]


def _fmt(value: float) -> str:
    return f"{value:g}"


def _by_branch(rows: list[ScoreRow]) -> dict[str, list[ScoreRow]]:
    groups: dict[str, list[ScoreRow]] = {}
    for row in rows:
        groups.setdefault(row.branch, []).append(row)
    return dict(sorted(groups.items()))


def study_star(rows: list[ScoreRow]) -> Optional[Decision]:
    if not rows:
        return None
    key = lambda r: (-r.total, -r.politics, -r.business, r.id_order)  # noqa: E731
    ranked = sorted(rows, key=key)
    best = ranked[0]
    tied = [r for r in ranked if r.total == best.total]
    why = f"{best.branch}{best.quarter.label}最高总分{_fmt(best.total)}分"
    if len(tied) > 1:
        others = "、".join(r.name for r in tied[1:])
        why += f"（与{others}同分，按政治理论、业务知识、工号依次比较）"
    return Decision(STUDY_STAR, best, why, tie_broken=len(tied) > 1)


def match_previous(rows: list[ScoreRow], previous: list[ScoreRow]) -> dict[ScoreRow, ScoreRow]:
    """Each row's row of the previous quarter: by 工号 when both have one, else by 姓名 within the same
    所属党支部 (when exactly one row there has that name and no other 工号)."""
    by_id = {id_key(r.staff_id): r for r in previous if r.staff_id}  # 000101 last quarter, 101 now
    by_name: dict[tuple[str, str], list[ScoreRow]] = {}
    for r in previous:
        by_name.setdefault((r.branch, r.name), []).append(r)
    matched = {}
    for row in rows:
        if row.staff_id and id_key(row.staff_id) in by_id:
            matched[row] = by_id[id_key(row.staff_id)]
            continue
        # two different 工号 are two people, whatever their names
        candidates = [r for r in by_name.get((row.branch, row.name), []) if not (row.staff_id and r.staff_id)]
        if len(candidates) == 1:
            matched[row] = candidates[0]
    return matched


def progress_star(rows: list[ScoreRow], previous: list[ScoreRow]) -> Optional[Decision]:
    before = match_previous(rows, previous)
    gains = [(r, r.total - before[r].total) for r in rows if r in before]
    gains = [(r, g) for r, g in gains if g > 0]
    if not gains:
        return None
    gains.sort(key=lambda pair: (-pair[1], -pair[0].total, pair[0].id_order))
    best, gain = gains[0]
    tied = [r for r, g in gains if g == gain]
    old = before[best].total
    why = f"总分由{_fmt(old)}分提高到{_fmt(best.total)}分，提高{_fmt(gain)}分，为本支部最大"
    if len(tied) > 1:
        others = "、".join(r.name for r in tied[1:])
        why += f"（与{others}提高幅度相同，按本季度总分、工号依次比较）"
    return Decision(PROGRESS_STAR, best, why, previous_total=old, tie_broken=len(tied) > 1)


def weak_subjects(row: ScoreRow, rules: Rules) -> tuple[dict, ...]:
    mark = rules.subject_pass_mark
    weak = [{"科目": s, "得分": row.scores[s], "及格线": mark(s), "差距": mark(s) - row.scores[s]}
            for s in SUBJECTS if row.scores[s] < mark(s)]
    if not weak:  # below the total pass mark without a subject below its share: the lower one
        lowest = min(SUBJECTS, key=lambda s: row.scores[s] / rules.scale[s])
        weak = [{"科目": lowest, "得分": row.scores[lowest], "及格线": mark(lowest),
                 "差距": max(0.0, mark(lowest) - row.scores[lowest])}]
    return tuple(sorted(weak, key=lambda w: -w["差距"]))


def reminders(rows: list[ScoreRow], rules: Rules) -> list[Decision]:
    decisions = []
    for row in sorted(rows, key=lambda r: (r.total, r.id_order)):
        if row.total < rules.pass_mark:
            weak = weak_subjects(row, rules)
            names = "、".join(w["科目"] for w in weak)
            why = f"总分{_fmt(row.total)}分，低于合格线{_fmt(rules.pass_mark)}分；薄弱科目：{names}"
            decisions.append(Decision(REMINDER, row, why, weak_subjects=weak))
    return decisions


def decide(current: list[ScoreRow], previous: list[ScoreRow], rules: Rules = Rules()) -> list[Decision]:
    """Every decision for one quarter, branch by branch."""
    decisions: list[Decision] = []
    for _branch, rows in _by_branch(current).items():
        star = study_star(rows)
        if star:
            decisions.append(star)
        progress = progress_star(rows, previous)
        if progress:
            decisions.append(progress)
        decisions += reminders(rows, rules)
    return decisions


DECISION_COLUMNS = ("奖项", "工号", "姓名", "所属党支部", "季度", "总分", "政治理论", "业务知识", "上季度总分", "提高",
                    "依据", "来源", "行号")


def write_decisions_xlsx(decisions: list[Decision], problems: list[Problem], path: Path,
                         serials: Optional[dict[int, str]] = None) -> None:
    """评选结果.xlsx: sheet 决定 (who, what, why, with the scores) and sheet 问题 (rejected rows)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "决定"
    append_row(sheet, [*DECISION_COLUMNS, "证书编号"])
    for index, d in enumerate(decisions):
        r = d.row
        append_row(sheet, [d.award, r.staff_id, r.name, r.branch, r.quarter.label, r.total, r.politics, r.business,
                      d.previous_total, d.gain, d.why, r.source, r.row, (serials or {}).get(index, "")])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 14
    sheet.column_dimensions["K"].width = 60
    append_problems_sheet(workbook, problems)
    save_workbook(workbook, path)


