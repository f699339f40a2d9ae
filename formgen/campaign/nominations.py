"""Awards chosen by people (创效之星, 先进个人, 优秀项目, 五星党支部 …): the list of nominations read and checked
row by row before any certificate is issued.

Rules (also in the README):
- 奖项 must be one the ledger knows (学习之星, 进步之星, 创效之星, 先进个人, 五星党支部, 优秀项目); another name is
  refused, with the closest known one suggested.
- 期间 is a quarter (2024Q3, 2024年第三季度) or a year (2024, 2024年, 2024年度). 学习之星, 进步之星 and 创效之星
  are quarterly; 先进个人 and 优秀项目 yearly; 五星党支部 either.
- A member's award needs 姓名 and 所属党支部; 五星党支部 names the branch (获奖者, else 所属党支部); 优秀项目 the
  project (获奖者) and its branch.
- The same holder with the same award in the same period twice in the list: every such row is refused
  until the list is fixed. More than one 创效之星 of a branch in one quarter is a warning.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from formgen.campaign.ledger import AWARD_CODES
from formgen.campaign.tables import TableRow, read_table
from formgen.chinese import parse_quarter
from formgen.input.identifiers import id_key
from formgen.problems import ERROR, WARNING, Problem

QUARTERLY = {"学习之星", "进步之星", "创效之星"}
YEARLY = {"先进个人", "优秀项目"}
COLLECTIVE = {"五星党支部", "优秀项目"}  # held by a branch or a project, not a member
COLUMNS = {"姓名", "获奖者", "所属党支部", "奖项", "事由", "期间", "工号"}
_RENAMES = {"获奖单位": "获奖者", "获奖集体": "获奖者", "获奖项目": "获奖者", "项目名称": "获奖者", "获奖人": "获奖者",
            "获奖人员": "获奖者", "获奖对象": "获奖者", "获奖者姓名": "获奖者", "奖项名称": "奖项", "荣誉称号": "奖项",
            "称号": "奖项", "荣誉名称": "奖项", "表彰名称": "奖项", "评选期间": "期间", "年度": "期间", "评选年度": "期间",
            "时间": "期间", "季度": "期间", "评选时间": "期间", "主要事迹": "事由", "事迹": "事由", "颁奖词": "事由",
            "获奖事由": "事由", "推荐理由": "事由", "表彰事由": "事由"}


def column_name(header) -> str:
    from formgen.input.records import canonical_header

    name = canonical_header(header)
    return _RENAMES.get(name, name)


@dataclass(frozen=True)
class Period:
    code: str  # 2024Q3 or 2024: what the ledger and the signed payload hold
    label: str  # 2024年第三季度 or 2024年度
    quarterly: bool


def parse_period(text: str) -> Period:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    year = re.fullmatch(r"(\d{4})\s*(年度|年)?", cleaned)
    if year:
        return Period(year.group(1), f"{year.group(1)}年度", False)
    try:
        quarter = parse_quarter(cleaned)
    except ValueError:
        raise ValueError(f"“{text}”不是季度或年度；请写成 2024年第三季度、2024Q3 或 2024年度") from None
    return Period(quarter.code, quarter.label, True)


@dataclass(frozen=True)
class Nomination:
    row: TableRow
    award: str
    holder: str  # the name printed: a member, a branch or a project
    branch: str
    staff_id: str
    period: Period
    reason: str

    @property
    def holder_id(self) -> str:
        """What the ledger keys the holder by: the 工号, else the name within its branch."""
        if self.staff_id and not self.collective:
            return self.staff_id
        if self.award == "五星党支部" or not self.branch:
            return self.holder
        return f"{self.branch}/{self.holder}"

    @property
    def collective(self) -> bool:
        return self.award in COLLECTIVE


@dataclass
class NominationList:
    nominations: list[Nomination]
    problems: list[Problem]


def _known_award(text: str) -> Optional[str]:
    cleaned = re.sub(r"[\s“”\"'「」『』]", "", unicodedata.normalize("NFKC", text))
    if cleaned in AWARD_CODES:
        return cleaned
    return {"五星级党支部": "五星党支部", "先进个人奖": "先进个人", "优秀项目奖": "优秀项目"}.get(cleaned)


def _read(row: TableRow, problems: list[Problem]) -> Optional[Nomination]:
    def refuse(message: str, column: Optional[str] = None) -> None:
        problems.append(row.problem(ERROR, f"{message}；这一行没有发证", column))

    award_text = row.text("奖项")
    if not award_text:
        return refuse("没有填写奖项", "奖项")
    award = _known_award(award_text)
    if award is None:
        close = difflib.get_close_matches(award_text, list(AWARD_CODES), n=1, cutoff=0.3)
        hint = f"（是不是“{close[0]}”？）" if close else ""
        return refuse(f"“{award_text}”不是可以发证的奖项{hint}；可以发证的奖项：{'、'.join(AWARD_CODES)}", "奖项")
    period_text = row.text("期间")
    if not period_text:
        return refuse("没有填写期间（如 2024年第三季度 或 2024年度）", "期间")
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        return refuse(str(exc), "期间")
    if award in QUARTERLY and not period.quarterly:
        return refuse(f"{award}按季度评选，期间应写成 2024年第三季度 这样的季度，而不是“{period_text}”", "期间")
    if award in YEARLY and period.quarterly:
        return refuse(f"{award}按年度评选，期间应写成 2024年度，而不是“{period_text}”", "期间")
    name = row.text("姓名").replace("\u3000", "").replace(" ", "")
    holder_text = row.text("获奖者")
    branch = row.text("所属党支部")
    if award == "五星党支部":
        holder = holder_text or branch
        if not holder:
            return refuse("五星党支部要写明获奖的党支部（获奖者或所属党支部列）", "获奖者")
        branch = branch or holder
    elif award == "优秀项目":
        holder = holder_text
        if not holder:
            return refuse("优秀项目要在获奖者列写明项目名称", "获奖者")
    else:
        holder = name or holder_text.replace("\u3000", "").replace(" ", "")
        if not holder:
            return refuse(f"{award}要写明获奖党员的姓名", "姓名")
        if not branch:
            return refuse("没有填写所属党支部", "所属党支部")
    return Nomination(row, award, holder, branch, row.text("工号"), period, row.text("事由"))


def load_nominations(path: Path | str, sheet: Optional[str] = None) -> NominationList:
    """Every row of the list (the named sheet, else the first) checked; the refused ones reported with
    their row and column."""
    rows = read_table(path, COLUMNS, "获奖名单", rename=column_name, who_columns=("姓名", "获奖者", "所属党支部"),
                      sheet_name=sheet)
    problems: list[Problem] = []
    nominations = [n for n in (_read(row, problems) for row in rows) if n is not None]
    kept = _without_duplicates(nominations, problems)
    return NominationList(kept, sorted(problems, key=lambda p: (p.source, p.row or 0)))


def _where(rows: list[Nomination]) -> str:
    return "、".join(f"第{n.row.row}行" for n in rows)


def _without_duplicates(nominations: list[Nomination], problems: list[Problem]) -> list[Nomination]:
    groups: dict[tuple[str, str, str], list[Nomination]] = {}
    for nomination in nominations:
        groups.setdefault((id_key(nomination.holder_id), nomination.award, nomination.period.code), []).append(nomination)
    refused = set()
    for (_holder, award, _period), group in groups.items():
        if len(group) > 1:
            first = group[0]
            for nomination in group:
                problems.append(nomination.row.problem(
                    ERROR, f"{first.holder}的“{award}”（{first.period.label}）在名单中出现{len(group)}次"
                           f"（{_where(group)}）；改正之前，这些行都没有发证", "奖项"))
                refused.add(id(nomination))
    kept = [n for n in nominations if id(n) not in refused]
    by_branch: dict[tuple[str, str], list[Nomination]] = {}
    for nomination in kept:
        if nomination.award == "创效之星":
            by_branch.setdefault((nomination.branch, nomination.period.code), []).append(nomination)
    for (branch, _period), group in by_branch.items():
        if len(group) > 1:
            for nomination in group:
                problems.append(nomination.row.problem(
                    WARNING, f"{branch}{nomination.period.label}有{len(group)}名创效之星（{_where(group)}）；"
                             "创效之星每个支部每季度评一名，请核对（证书已照常发放）", "奖项"))
    return kept
