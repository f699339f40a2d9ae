"""Quarterly test results as offices keep them: title rows, a sheet per quarter or a 季度 column, 总分
as a formula or missing, numbers stored as text, often no 工号 — read into clean rows, every bad row
reported, each score checked against its full marks (the scale)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from formgen.chinese import Quarter, parse_quarter, to_number
from formgen.input.identifiers import id_key, identifier_text
from formgen.input.records import canonical_header, cell_text
from formgen.input.sheets import Sheet, read_sheets, table_below
from formgen.problems import ERROR, WARNING, Problem

SUBJECTS = ("政治理论", "业务知识")
# Full marks of each subject and of 总分: the score template's own (formgen template awards); a profile's
# score_scale changes them, e.g. {政治理论: 100, 业务知识: 100, 总分: 200}
SCALE: dict[str, float] = {"政治理论": 50.0, "业务知识": 50.0, "总分": 100.0}
NOTES_SHEETS = {"填写说明", "说明"}  # sheets of explanations beside the scores (formgen template writes one)
SCORE_COLUMNS = (*SUBJECTS, "总分")
_EXTRA_ALIASES = {"理论知识": "政治理论", "政治理论知识": "政治理论", "业务知识测试": "业务知识", "合计": "总分",
                  "总成绩": "总分", "成绩": "总分"}


_SCALE_HINT = "（满分不同的测试，请在单位资料中写明 score_scale）"


def score_header(header: Any) -> str:
    name = canonical_header(header)
    return _EXTRA_ALIASES.get(name, name)


@dataclass(frozen=True)
class ScoreRow:
    source: str  # file and sheet, as messages name them
    row: int
    staff_id: str
    name: str
    branch: str
    politics: float
    business: float
    total: float
    quarter: Quarter

    @property
    def scores(self) -> dict[str, float]:
        return {"政治理论": self.politics, "业务知识": self.business, "总分": self.total}

    @property
    def member(self) -> tuple[str, ...]:
        """Who the row is about: the 工号 when there is one, else the 姓名 within the 所属党支部."""
        return ("工号", self.staff_id) if self.staff_id else ("姓名", self.branch, self.name)

    @property
    def holder_id(self) -> str:
        """The member as the certificate ledger knows them: the 工号, else 所属党支部·姓名."""
        return self.staff_id or f"{self.branch}·{self.name}"

    @property
    def id_order(self) -> tuple:
        """The last tie-break: the smaller 工号; rows without one after them, in the sheet's order."""
        return (self.staff_id == "", self.staff_id, self.source, self.row)


class ScaleError(ValueError):
    """A profile's score_scale that cannot be used."""


def scale_of(org: Optional[Mapping[str, Any]]) -> dict[str, float]:
    """The full marks the profile sets (score_scale), over the template's; 总分 defaults to the subjects' sum
    when only they are given."""
    given = (org or {}).get("score_scale") or {}
    if not isinstance(given, Mapping):
        raise ScaleError("单位资料中的 score_scale 应写成 {政治理论: 50, 业务知识: 50, 总分: 100} 这样")
    scale = dict(SCALE)
    for key, value in given.items():
        if key not in SCALE:
            raise ScaleError(f"单位资料中的 score_scale 有“{key}”，可设置的是：{'、'.join(SCALE)}")
        try:
            number = to_number(value)
        except ValueError:
            number = None
        if number is None or number <= 0:
            raise ScaleError(f"单位资料中的 score_scale 的“{key}”应是大于 0 的满分，而不是“{value}”")
        scale[key] = float(number)
    if "总分" not in given and any(s in given for s in SUBJECTS):
        scale["总分"] = sum(scale[s] for s in SUBJECTS)
    return scale


def describe_scale(scale: Mapping[str, float]) -> str:
    """满分：政治理论50分、业务知识50分，总分100分."""
    return ("满分：" + "、".join(f"{s}{scale[s]:g}分" for s in SUBJECTS) + f"，总分{scale['总分']:g}分")


@dataclass
class ScoreSheet:
    rows: list[ScoreRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def quarters(self) -> list[Quarter]:
        return sorted({row.quarter for row in self.rows})

    def of(self, quarter: Quarter) -> list[ScoreRow]:
        return [row for row in self.rows if row.quarter == quarter]


def _header_index(grid: list[list[Any]]) -> Optional[int]:
    for index, cells in enumerate(grid[:20]):
        names = {score_header(c) for c in cells if c not in (None, "")}
        if "姓名" in names and names & set(SCORE_COLUMNS):
            return index
    return None


def _quarter_of_sheet(title: str) -> Optional[Quarter]:
    try:
        return parse_quarter(title)
    except ValueError:
        return None


def _read_sheet(sheet: Sheet, sheet_quarter: Optional[Quarter], default_quarter: Optional[Quarter],
                result: ScoreSheet, scale: Mapping[str, float]) -> None:
    header_at = _header_index(sheet.rows)
    if header_at is None:
        result.problems.append(Problem(ERROR, "找不到表头行（须有「姓名」列和成绩列）；整个工作表已略过",
                                       source=sheet.source))
        return
    sheet_rows, source = sheet.rows, sheet.source
    columns = {}
    for index, cell in enumerate(sheet_rows[header_at]):
        name = score_header(cell)
        if name and name not in columns:
            columns[name] = index
    # A branch merged over its members' rows belongs to each; totals and footer rows are no one's.
    footers = table_below(sheet, header_at, [score_header(c) if c not in (None, "") else "" for c in sheet_rows[header_at]])
    result.problems += sheet.problems
    for required in ("姓名", "所属党支部", *SUBJECTS):  # 工号 when there is one: members are matched without
        if required not in columns:
            result.problems.append(Problem(ERROR, "工作表中没有这一列；整个工作表已略过", column=required,
                                           source=source))
            return
    for index in range(header_at + 1, len(sheet_rows)):
        cells = sheet_rows[index]
        if index in footers or all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        row = _read_row(cells, columns, sheet.row_number(index), source, sheet_quarter, default_quarter, result,
                        scale, staff_id_format=sheet.format_of(index, columns["工号"]) if "工号" in columns else "")
        if row is not None:
            result.rows.append(row)


def _cell(cells: list[Any], columns: dict[str, int], name: str) -> Any:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def _read_row(cells, columns, row_number, source, sheet_quarter, default_quarter,
              result: ScoreSheet, scale: Mapping[str, float], staff_id_format: str = "") -> Optional[ScoreRow]:
    def problem(message: str, column: Optional[str] = None, level: str = ERROR) -> None:
        result.problems.append(Problem(level, message, row=row_number, column=column, who=name, source=source))

    name = cell_text(_cell(cells, columns, "姓名")).replace(" ", "").replace("\u3000", "")
    staff_id = cell_text(identifier_text(_cell(cells, columns, "工号"), staff_id_format))  # 000101, as shown
    branch = cell_text(_cell(cells, columns, "所属党支部"))
    if not name:
        problem("没有填写；该行已略过", "姓名")
        return None
    if not branch:
        problem("没有填写；该行已略过", "所属党支部")
        return None
    quarter = sheet_quarter
    if "季度" in columns:
        raw = cell_text(_cell(cells, columns, "季度"))
        try:
            quarter = parse_quarter(raw, default_year=default_quarter.year if default_quarter else None)
        except ValueError as exc:
            problem(f"{exc}；该行已略过", "季度")
            return None
    quarter = quarter or default_quarter
    if quarter is None:
        problem("无法确定季度：请把工作表命名为“2024年第三季度”这样的名称，或增加「季度」列，或用 --quarter 指定；"
                "该行已略过")
        return None
    values: dict[str, Optional[float]] = {}
    for column in SCORE_COLUMNS:
        raw = _cell(cells, columns, column)
        try:
            number = to_number(raw)
        except ValueError:
            problem(f"成绩“{cell_text(raw)}”不是数字；该行已略过", column)
            return None
        if number is not None and not math.isfinite(number):
            problem(f"成绩“{cell_text(raw)}”不是有限的数字；该行已略过", column)
            return None
        # Scores count to two decimals, as shown: 29.999999 is 30 in every comparison and on every page,
        # never "60分，低于合格线60分".
        values[column] = None if number is None else round(number, 2)
    for subject in SUBJECTS:
        if values[subject] is None:
            problem("没有填写成绩；该行已略过", subject)
            return None
        if not 0 <= values[subject] <= scale[subject]:
            problem(f"成绩“{values[subject]:g}”超出满分：{subject}满分{scale[subject]:g}分（0–{scale[subject]:g}）；"
                    f"该行已略过{_SCALE_HINT}", subject)
            return None
    computed = round(values["政治理论"] + values["业务知识"], 2)
    total = values["总分"]
    if total is None:
        # Missing, or a formula no program ever calculated (no cached value): the sum is what it means.
        total = computed
    if not 0 <= total <= scale["总分"]:
        problem(f"总分“{total:g}”超出满分{scale['总分']:g}分（0–{scale['总分']:g}）；该行已略过{_SCALE_HINT}", "总分")
        return None
    if abs(total - computed) > 0.01:
        problem(f"总分“{total:g}”不等于政治理论与业务知识之和（{computed:g}）；以表中填写的总分为准", "总分",
                WARNING)
    return ScoreRow(source=source, row=row_number, staff_id=staff_id, name=name, branch=branch,
                    politics=values["政治理论"], business=values["业务知识"], total=total, quarter=quarter)


def load_scores(path: Path | str, default_quarter: Optional[Quarter] = None,
                scale: Mapping[str, float] = SCALE) -> ScoreSheet:
    """Every sheet of a score file: a sheet named after a quarter holds that quarter's scores; every score
    within its full marks (scale)."""
    path = Path(path)
    result = ScoreSheet()
    workbook = path.suffix.lower() in (".xlsx", ".xlsm", ".xls")
    sheets = [sheet for sheet in read_sheets(path, what="成绩表") if sheet.rows and sheet.title not in NOTES_SHEETS]
    quarters = [_quarter_of_sheet(sheet.title) if workbook else None for sheet in sheets]
    for sheet, quarter in zip(sheets, quarters):
        if quarter is None and any(quarters) and not _has_quarter_column(sheet):
            # Beside sheets named after quarters, a 汇总 or 排名 sheet repeats their rows: read under
            # --quarter, every member would be twice in that quarter and all left out.
            result.problems.append(Problem(
                WARNING, f"工作表“{sheet.title}”的名称不是季度，也没有「季度」列，而别的工作表按季度命名，"
                         f"这张表没有读取；如果是某个季度的成绩，请把工作表改名为“2024年第三季度”这样",
                source=sheet.source))
            continue
        _read_sheet(sheet, quarter, default_quarter, result, scale)
    _drop_duplicates(result)
    return result


def _has_quarter_column(sheet: Sheet) -> bool:
    header_at = _header_index(sheet.rows)
    return header_at is not None and "季度" in {score_header(c) for c in sheet.rows[header_at] if c not in (None, "")}


def _drop_duplicates(sheet: ScoreSheet) -> None:
    """Rows that cannot be told apart in one quarter — a 工号 twice, or a 姓名 twice in one 所属党支部 without
    工号 to tell them apart — are all reported and left out until the sheet is fixed."""
    by_id: dict[tuple, list[ScoreRow]] = {}
    by_name: dict[tuple, list[ScoreRow]] = {}
    for row in sheet.rows:
        if row.staff_id:
            by_id.setdefault((row.quarter, id_key(row.staff_id)), []).append(row)
        by_name.setdefault((row.quarter, row.branch, row.name), []).append(row)
    left_out: set[int] = set()
    for (quarter, _), rows in by_id.items():
        if len(rows) > 1:
            for row in rows:
                sheet.problems.append(Problem(ERROR, f"“{row.staff_id}”在{quarter.label}出现{len(rows)}次（{_where(rows)}）；"
                                              f"改正之前，这些行都已略过", row=row.row, column="工号",
                                              who=row.name, source=row.source))
            left_out.update(id(row) for row in rows)
    for (quarter, branch, name), rows in by_name.items():
        if len(rows) > 1 and any(not row.staff_id for row in rows):
            for row in rows:
                sheet.problems.append(Problem(
                    ERROR, f"{branch}在{quarter.label}有{len(rows)}行“{name}”（{_where(rows)}），没有工号可以区分："
                           f"是重复录入，还是两位同名党员？请删去重复的一行，或填上各自的工号；改正之前，这些行都已略过",
                    row=row.row, column="姓名", who=row.name, source=row.source))
            left_out.update(id(row) for row in rows)
    sheet.rows = [row for row in sheet.rows if id(row) not in left_out]


def _where(rows: list[ScoreRow]) -> str:
    sources = {r.source for r in rows}
    return "、".join((f"第{r.row}行" if len(sources) == 1 else f"{r.source} 第{r.row}行") for r in rows)
