"""The branches' quarterly review: each branch's 考核 score over the four items, the ranking, the
branches under the pass mark (their secretaries are called for a talk, 约谈) and the suggested 五星党支部.

Rules (also in the README):
- Items: 支部标准化建设, 品牌建设, 党建融入中心工作, 三亮三比三创活动 (the campaign's 落实情况). A branch's score is
  its 考核总分: the total column when there is one (a total that is not the sum of the items is used but
  reported), else the sum of the items' 考核 scores. 自评 scores are shown, never ranked.
- Ranking by score, highest first; equal scores share a place (1, 2, 2, 4), listed by branch name.
- Under the pass mark (default 85; exactly 85 passes): 约谈 for the branch secretary.
- At or above the five-star mark (default 90): suggested 五星党支部 — a suggestion; people decide, and
  `formgen certify` issues the certificate.
- A branch twice in one quarter: every such row is reported and takes part in nothing until fixed; rows
  without a branch, or with a score that is no number or out of range (below 0, a total over 100), are
  reported and left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from formgen.campaign.tables import TableRow, read_table
from formgen.chinese import Quarter, parse_quarter, to_number
from formgen.input.records import canonical_header
from formgen.problems import ERROR, WARNING, Problem

ITEMS = ("支部标准化建设", "品牌建设", "党建融入中心工作", "三亮三比三创活动")
TALK, FIVE_STAR, PASSED = "约谈", "建议评为五星党支部", "合格"
_ITEM_SPELLINGS = {"标准化建设": "支部标准化建设", "支部品牌建设": "品牌建设", "党建品牌建设": "品牌建设",
                   "党建融入中心": "党建融入中心工作", "融入中心工作": "党建融入中心工作",
                   "三亮三比三创活动落实情况": "三亮三比三创活动", "三亮三比三创落实情况": "三亮三比三创活动",
                   "三亮三比三创": "三亮三比三创活动", "活动落实情况": "三亮三比三创活动", "活动开展情况": "三亮三比三创活动",
                   "落实情况": "三亮三比三创活动"}
_SELF = ("自评分", "自评得分", "自评")
_REVIEW = ("考核分", "考核得分", "考核", "得分", "评分")
_NOTE = ("工作情况", "完成情况", "主要内容", "情况")
_TOTALS = {"总分": "考核总分", "考核总分": "考核总分", "合计": "考核总分", "考核得分": "考核总分", "得分": "考核总分",
           "考核分": "考核总分", "总得分": "考核总分", "自评总分": "自评总分", "自评合计": "自评总分",
           "自评分": "自评总分", "书记": "支部书记", "党支部书记": "支部书记", "支部书记姓名": "支部书记"}


def column_name(header: Any) -> str:
    """The field a header of a branch score sheet stands for: 品牌建设（考核分）→ 品牌建设考核."""
    raw = re.sub(r"[\s“”\"「」（）()]", "", str(header or ""))
    for spelling, item in sorted(((*_ITEM_SPELLINGS.items(), *((i, i) for i in ITEMS))), key=lambda p: -len(p[0])):
        if raw.startswith(spelling):
            rest = raw[len(spelling):]
            if rest in _REVIEW or rest == "":
                return f"{item}考核"
            if rest in _SELF:
                return f"{item}自评"
            if rest in _NOTE:
                return f"{item}情况"
    name = canonical_header(header)
    return _TOTALS.get(name, _TOTALS.get(raw, name))


HEADER_NAMES = {"所属党支部", "支部书记", "季度", "考核总分", "自评总分", *(f"{i}考核" for i in ITEMS)}


@dataclass(frozen=True)
class BranchScore:
    row: TableRow
    branch: str
    secretary: str
    quarter: Quarter
    items: dict[str, Optional[float]]  # 考核 score per item (None: not given)
    self_items: dict[str, Optional[float]]
    total: float
    self_total: Optional[float]
    notes: dict[str, str] = field(default_factory=dict)  # 情况 per item, for the branch's form


@dataclass(frozen=True)
class Ranked:
    place: int
    score: BranchScore
    verdict: str  # 约谈, 建议评为五星党支部 or 合格


@dataclass
class Review:
    quarter: Quarter
    ranking: list[Ranked]
    problems: list[Problem]
    pass_mark: float
    five_star_mark: float

    @property
    def talks(self) -> list[Ranked]:
        return [r for r in self.ranking if r.verdict == TALK]

    @property
    def five_stars(self) -> list[Ranked]:
        return [r for r in self.ranking if r.verdict == FIVE_STAR]

    @property
    def average(self) -> Optional[float]:
        scores = [r.score.total for r in self.ranking]
        return round(sum(scores) / len(scores), 2) if scores else None


def _number(row: TableRow, column: str, problems: list[Problem]) -> tuple[bool, Optional[float]]:
    """(usable, value) of a score cell; a value that is no number or negative is reported."""
    raw = row.values.get(column)
    try:
        value = to_number(raw)
    except ValueError:
        problems.append(row.problem(ERROR, f"分数“{row.text(column)}”不是数字；该行已略过", column))
        return False, None
    if value is not None and value < 0:
        problems.append(row.problem(ERROR, f"分数“{value:g}”小于0；该行已略过", column))
        return False, None
    return True, value


def _read_row(row: TableRow, quarter: Quarter, secretaries: Mapping[str, str],
              problems: list[Problem]) -> Optional[BranchScore]:
    branch = row.text("所属党支部")
    if not branch:
        problems.append(row.problem(ERROR, "没有填写党支部；该行已略过", "所属党支部"))
        return None
    raw_quarter = row.text("季度") or row.sheet
    try:
        row_quarter = parse_quarter(raw_quarter, default_year=quarter.year) if raw_quarter else quarter
    except ValueError:
        if row.text("季度"):
            problems.append(row.problem(ERROR, f"“{raw_quarter}”不是季度；该行已略过", "季度"))
            return None
        row_quarter = quarter  # a sheet named otherwise (支部考核): the quarter asked
    if row_quarter != quarter:
        return None
    items: dict[str, Optional[float]] = {}
    self_items: dict[str, Optional[float]] = {}
    for item in ITEMS:
        for target, column in ((items, f"{item}考核"), (self_items, f"{item}自评")):
            usable, value = _number(row, column, problems)
            if not usable:
                return None
            target[item] = value
    usable, total = _number(row, "考核总分", problems)
    if not usable:
        return None
    usable, self_total = _number(row, "自评总分", problems)
    if not usable:
        return None
    given = [v for v in items.values() if v is not None]
    computed = sum(given) if given else None
    if total is None:
        if computed is None:
            problems.append(row.problem(ERROR, "没有考核分（各项考核分或考核总分）；该行已略过", "考核总分"))
            return None
        total = computed
    elif computed is not None and abs(total - computed) > 0.01:
        problems.append(row.problem(WARNING, f"考核总分“{total:g}”不等于各项考核分之和（{computed:g}）；以表中填写的总分为准",
                                    "考核总分"))
    if total > 100:
        problems.append(row.problem(ERROR, f"考核总分“{total:g}”超过100分；该行已略过", "考核总分"))
        return None
    if self_total is None and any(v is not None for v in self_items.values()):
        self_total = sum(v for v in self_items.values() if v is not None)
    secretary = row.text("支部书记").replace("\u3000", "").replace(" ", "") or secretaries.get(branch, "")
    notes = {item: row.text(f"{item}情况") for item in ITEMS}
    return BranchScore(row, branch, secretary, quarter, items, self_items, total, self_total, notes)


def load_branch_scores(path: Path | str, quarter: Quarter, secretaries: Mapping[str, str] = {}
                       ) -> tuple[list[BranchScore], list[Problem]]:
    """The quarter's rows of every sheet (a sheet per quarter, or a 季度 column), each bad row reported."""
    rows = read_table(path, HEADER_NAMES, "支部考核表", rename=column_name, who_columns=("所属党支部",),
                      all_sheets=True)
    problems: list[Problem] = []
    scores = [s for s in (_read_row(row, quarter, secretaries, problems) for row in rows) if s is not None]
    groups: dict[str, list[BranchScore]] = {}
    for score in scores:
        groups.setdefault(score.branch, []).append(score)
    for branch, group in groups.items():
        if len(group) > 1:
            where = "、".join(f"第{s.row.row}行" for s in group)
            for score in group:
                problems.append(score.row.problem(ERROR, f"“{branch}”在{quarter.label}出现{len(group)}次（{where}）；"
                                                         "改正之前，这些行都已略过", "所属党支部"))
    kept = [s for s in scores if len(groups[s.branch]) == 1]
    return kept, sorted(problems, key=lambda p: (p.source, p.row or 0))


def review(scores: list[BranchScore], quarter: Quarter, problems: list[Problem], pass_mark: float = 85,
           five_star_mark: float = 90) -> Review:
    ordered = sorted(scores, key=lambda s: (-s.total, s.branch))
    ranking: list[Ranked] = []
    for index, score in enumerate(ordered):
        place = ranking[-1].place if ranking and ranking[-1].score.total == score.total else index + 1
        verdict = TALK if score.total < pass_mark else (FIVE_STAR if score.total >= five_star_mark else PASSED)
        ranking.append(Ranked(place, score, verdict))
    return Review(quarter, ranking, problems, pass_mark, five_star_mark)


def secretaries_from(records) -> dict[str, str]:
    """Each branch's secretary from a roster: the member whose 职务 names the 支部书记 (not a 副书记)."""
    found: dict[str, str] = {}
    for record in records:
        values = record.values
        title, branch = str(values.get("职务") or ""), str(values.get("所属党支部") or "")
        if branch and "支部书记" in title and "副" not in title and branch not in found:
            found[branch] = str(values.get("姓名") or "")
    return found
