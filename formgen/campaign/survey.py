"""Tallying the service surveys: stars per member, question and quarter; who is commended (五星好评)
and who is called for a talk (average under three stars); every unusable answer listed with its row.

Rules: a response row names the member by 工号 (or 姓名) and the 季度; each other column is a question.
Answers count when they are a whole 1–5 (5, 5星, 五星, ★★★★★ …); 0, 6, blanks and words are listed and
left out, the rest of the row still counts. A member's overall average is the mean of all counted
answers. Commended: overall average exactly 5 (every counted answer five stars). Talk: under 3.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Mapping, Optional

from formgen.chinese import parse_quarter, parse_stars
from formgen.input.identifiers import id_key, identifier_text
from formgen.input.records import canonical_header, cell_text, load_roster
from formgen.input.sheets import read_table_sheet, table_below
from formgen.problems import ERROR, WARNING, Problem, RosterError
from formgen.xlsx_cells import append_row, save_workbook

META_COLUMNS = {"工号", "姓名", "季度", "所属党支部", "序号", "单位", "评价人", "日期", "填表日期", "提交时间", "备注",
                # what online survey sites (问卷星, 腾讯问卷, 金数据) put beside the answers in their exports
                "提交答卷时间", "答卷提交时间", "所用时间", "答题时长", "来源", "来源详情", "来自IP", "IP", "IP地址",
                "答卷编号", "编号", "开始时间", "结束时间", "开始答题时间", "填写时间", "答题时间", "作答时间",
                "填写设备", "设备", "操作系统", "浏览器", "地理位置", "所在地区", "微信昵称", "昵称", "用户ID",
                "总分", "得分"}
COMMEND, TALK = "五星好评", "约谈"


@dataclass
class MemberTally:
    staff_id: str
    name: str
    branch: str
    quarter: str
    answers: dict[str, list[int]] = field(default_factory=dict)
    responses: int = 0

    def question_mean(self, question: str) -> Optional[float]:
        values = self.answers.get(question) or []
        return round(mean(values), 2) if values else None

    @property
    def overall(self) -> Optional[float]:
        values = [v for answers in self.answers.values() for v in answers]
        return round(mean(values), 2) if values else None

    @property
    def verdict(self) -> str:
        overall = self.overall
        if overall is None:
            return ""
        if overall == 5:
            return COMMEND
        if overall < 3:
            return TALK
        return ""


@dataclass
class Tally:
    questions: list[str]
    members: list[MemberTally]
    invalid: list[Problem]
    problems: list[Problem]


def _cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


def tally(responses: Path | str, roster: Optional[Path | str] = None,
          header_map: Optional[Mapping[str, str]] = None) -> Tally:
    path = Path(responses)
    def header_in(grid) -> Optional[int]:
        return next((i for i, row in enumerate(grid[:20])
                     if {"工号", "姓名"} & {canonical_header(c) for c in row if c not in (None, "")}), None)

    sheet = read_table_sheet(path, None, lambda grid: header_in(grid) is not None, "调查答卷")
    grid, source = sheet.rows, sheet.source
    header_at = header_in(grid)
    if header_at is None:
        raise RosterError(f"{source}：找不到表头行（须有「工号」列或「姓名」列）；无法统计")
    headers = [canonical_header(c) if c not in (None, "") else "" for c in grid[header_at]]
    footers = table_below(sheet, header_at, headers)  # totals and footer rows are no one's answers
    answer_rows = [index for index in range(header_at + 1, len(grid)) if index not in footers
                   and not all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in grid[index])]
    candidates = [h for h in dict.fromkeys(headers) if h and h not in META_COLUMNS]
    # A column where no one answered with stars is no rating question (the time, the device, a comment)
    # beside those that are; where none is, every answer is listed as not counted, by its row.
    questions = [h for h in candidates if any(parse_stars(_cell(grid[i], headers.index(h))) is not None
                                              for i in answer_rows)] or candidates
    if not questions:
        present = "".join(f"「{h}」" for h in dict.fromkeys(headers) if h in META_COLUMNS)
        raise RosterError(f"{source}：表头只有{present}列，没有问题列；无法统计")
    not_rated = [h for h in candidates if h not in questions]
    # by id_key: an answer's 工号 that lost its zeros (101) is still the roster's 000101
    members_by_id: dict[str, dict] = {}
    if roster is not None:
        for record in load_roster(roster, header_map=header_map).records:
            staff_id = str(record.values.get("工号") or "")
            if staff_id:
                members_by_id[id_key(staff_id)] = record.values
    by_name = {str(v.get("姓名")): (str(v.get("工号")), v) for v in members_by_id.values()}
    result = Tally(questions=questions, members=[], invalid=[], problems=[])
    tallies: dict[tuple[str, str], MemberTally] = {}
    result.invalid += sheet.problems
    if not_rated:
        result.invalid.append(Problem(WARNING, f"{''.join(f'「{h}」' for h in not_rated)}列中没有1–5星的回答，"
                                               f"不是评分题，没有统计", source=source))
    for index in answer_rows:
        cells, row_number = grid[index], sheet.row_number(index)
        values = {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(headers) if h}
        shown_id = identifier_text(values.get("工号"), sheet.format_of(index, headers.index("工号")) if "工号" in headers else "")
        staff_id, name = cell_text(shown_id), cell_text(values.get("姓名")).replace("\u3000", "").replace(" ", "")
        branch = cell_text(values.get("所属党支部"))

        def problem(message, column=None, level=ERROR, into=result.problems):
            into.append(Problem(level, message, row=row_number, column=column, who=name or staff_id, source=source))

        if not staff_id and name in by_name:
            staff_id = by_name[name][0]
        if not staff_id and not name:
            problem("工号和姓名都没有填写；该答卷已略过", "工号")
            continue
        if members_by_id:
            if staff_id and id_key(staff_id) not in members_by_id:
                problem(f"“{staff_id}”不在名册中；该答卷已略过", "工号")
                continue
            if not staff_id:
                problem(f"“{name}”不在名册中；该答卷已略过", "姓名")
                continue
            member = members_by_id[id_key(staff_id)]
            staff_id = str(member.get("工号"))  # as the roster writes it
            name, branch = str(member.get("姓名") or name), str(member.get("所属党支部") or branch)
        raw_quarter = cell_text(values.get("季度"))
        try:
            quarter = parse_quarter(raw_quarter).label if raw_quarter else ""
        except ValueError as exc:
            problem(f"{exc}；该答卷已略过", "季度")
            continue
        key = (staff_id or name, quarter)
        entry = tallies.setdefault(key, MemberTally(staff_id, name, branch, quarter))
        entry.responses += 1
        for question in questions:
            stars = parse_stars(values.get(question))
            if stars is None:
                shown = cell_text(values.get(question))
                message = f"回答“{shown}”不是1–5星；不计入" if shown else "没有作答；不计入"
                problem(message, question, WARNING, result.invalid)
                continue
            entry.answers.setdefault(question, []).append(stars)
    result.members = sorted(tallies.values(), key=lambda m: (m.quarter, m.branch, m.staff_id, m.name))
    return result


def write_tally_xlsx(result: Tally, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = "汇总"
    append_row(summary, ["季度", "工号", "姓名", "所属党支部", "答卷数", *result.questions, "总平均", "结论"])
    for m in result.members:
        append_row(summary, [m.quarter, m.staff_id, m.name, m.branch, m.responses,
                        *[m.question_mean(q) for q in result.questions], m.overall, m.verdict])
    for title, verdict in (("五星好评", COMMEND), ("约谈名单", TALK)):
        sheet = workbook.create_sheet(title)
        append_row(sheet, ["季度", "工号", "姓名", "所属党支部", "总平均", "答卷数"])
        for m in result.members:
            if m.verdict == verdict:
                append_row(sheet, [m.quarter, m.staff_id, m.name, m.branch, m.overall, m.responses])
    invalid = workbook.create_sheet("无效答卷")
    append_row(invalid, ["来源", "行号", "姓名/工号", "问题", "说明"])
    for p in result.invalid + result.problems:
        append_row(invalid, [p.source, p.row, p.who, p.column or "", p.message])
    save_workbook(workbook, path)
