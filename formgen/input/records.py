"""Rosters in: .xlsx, .xls, .csv (UTF-8, UTF-8 with BOM, GB18030) and .json become clean Records."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from formgen import limits
from formgen.characters import XML_FORBIDDEN, drop_ignorable, is_ideograph
from formgen.input.identifiers import identifier_text, lost_digits
from formgen.input.sheets import BadCell, Sheet, read_table_sheet, table_below
from formgen.problems import ERROR, WARNING, Problem, RosterError
from formgen.record import Record

# Canonical field → the headers clerks use for it (Chinese) and the English keys.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "序号": ("序号", "no", "index"),
    "工号": ("工号", "员工编号", "职工编号", "员工号", "人员编号", "职工号", "员工工号", "工作证号", "id", "staff_id",
           "employee_id"),
    "姓名": ("姓名", "名字", "党员姓名", "name"),
    # traditional Mongolian script, for the bilingual layouts
    "蒙文姓名": ("蒙文姓名", "蒙古文姓名", "蒙文名", "蒙文名字", "蒙古文名", "蒙古文名字", "姓名（蒙文）", "姓名(蒙文)",
             "姓名（蒙古文）", "姓名(蒙古文)", "mongolian_name", "name_mn"),
    "性别": ("性别", "gender", "sex"),
    "职务": ("职务", "职位", "岗位", "现任职务", "职务/岗位", "title", "position", "job_title"),
    "所属党支部": ("所属党支部", "党支部", "支部", "所在党支部", "所属支部", "所在支部", "党组织", "所在党组织",
              "党组织名称", "支部名称", "党支部名称", "所在党支部名称", "所属党支部名称", "所属党组织", "branch"),
    "单位": ("单位", "部门", "所在单位", "所在部门", "工作单位", "单位/部门", "单位名称", "部门名称", "工作部门",
           "unit", "department"),
    "照片": ("照片", "相片", "照片文件", "photo", "picture"),
    "入党日期": ("入党日期", "入党时间", "join_date"),
    "党员义务": ("党员义务", "承诺1", "pledge1", "pledge_duty"),
    "工作目标": ("工作目标", "承诺2", "pledge2", "pledge_goal"),
    "岗位职责": ("岗位职责", "承诺3", "pledge3", "pledge_post"),
    "作风建设": ("作风建设", "承诺4", "pledge4", "pledge_conduct"),
    "重点工作任务": ("重点工作任务", "承诺5", "pledge5", "pledge_task"),
    "月份": ("月份", "month"),
    "季度": ("季度", "quarter"),
    "参加支部活动情况": ("参加支部活动情况", "支部活动", "activities"),
    "个人工作表现": ("个人工作表现", "工作表现", "performance"),
    "管理效果": ("管理效果", "部门/车间/班组管理效果", "部门车间班组管理效果", "management"),
    "自评分": ("自评分", "自评", "个人自评", "个人自评分", "个人自评结论", "self_score"),
    "支部评分": ("支部评分", "支部综合评价", "支部评价", "branch_score"),
    "电话": ("电话", "联系电话", "手机", "手机号", "手机号码", "电话号码", "phone"),
}
PLEDGE_FIELDS = ("党员义务", "工作目标", "岗位职责", "作风建设", "重点工作任务")
TEXT_FIELDS = {"工号", "电话", "照片"}  # identifiers: never numbers, leading zeros kept

_ALIAS_INDEX = {}
for _canonical, _aliases in COLUMN_ALIASES.items():
    for _alias in _aliases:
        _ALIAS_INDEX[_alias.lower()] = _canonical

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def resembling_column(wanted: str, present: Iterable[str]) -> str | None:
    """A column of the roster that is perhaps the wanted one under another name (所在支部组织 for
    所属党支部): sharing most of its characters with the name or one of its Chinese spellings."""
    from difflib import SequenceMatcher

    spellings = [alias for alias in COLUMN_ALIASES.get(wanted, (wanted,)) if not alias.isascii()]
    best, best_ratio = None, 0.5
    for column in present:
        if column in COLUMN_ALIASES:
            continue  # a column that is already something else
        ratio = max(SequenceMatcher(None, column, spelling).ratio() for spelling in spellings)
        if ratio > best_ratio:
            best, best_ratio = column, ratio
    return best


def canonical_header(header: Any) -> str:
    """The field a header stands for: '自评分（百分制）' → '自评分', 'Name ' → '姓名'."""
    text = _SPACES.sub("", str(header or "")).strip()
    bare = re.sub(r"[（(][^）)]*[）)]$", "", text)
    # the marks that import templates put on a header: *姓名 (required), 姓名：, 【姓名】
    unmarked = _HEADER_MARKS.sub("", re.sub(r"[（(][^）)]*[）)]$", "", _HEADER_MARKS.sub("", text)))
    # a survey site's question number and wording: 1、您的工号： → 工号
    unmarked = _QUESTION.sub("", unmarked)
    for candidate in (text, bare, unmarked):
        found = _ALIAS_INDEX.get(candidate.lower())
        if found:
            return found
    return bare or text


_QUESTION = re.compile(r"^(?:第?\d{1,3}[、.．)）]|Q\d{1,3}[.、:：]?)?(?:请输入|请填写|请问)?(?:您的|你的)?")
_HEADER_MARKS = re.compile(r"^[*＊※★☆【\[〔<《]+|[*＊※★☆】\]〕>》:：]+$")


@dataclass(frozen=True)
class Roster:
    records: tuple[Record, ...]
    columns: tuple[str, ...]  # canonical names of the columns present
    # What reading found: problems of the file as a whole, and of single rows (naming the row)
    problems: tuple[Problem, ...]
    source: str
    photo_folder: Path | None = None  # where photos were looked for (None: no folder was given)
    path: Path | None = None  # the file read, when one was: nothing is ever written over it
    headers: tuple[tuple[str, str], ...] = ()  # each header as the file has it, with the field it became


def readable_records(roster: Roster) -> tuple[Record, ...]:
    """The records that reading found no error in: a row with an Excel error value or a cell past the
    limit was reported as not made (这条记录没有生成), so a list or a count made from the roster leaves it
    out too, rather than print it with the cell empty."""
    failed = {problem.row for problem in roster.problems if problem.level == ERROR and problem.row is not None}
    return tuple(record for record in roster.records if record.row not in failed)


HeaderMap = Mapping[str, str]  # a header as the file has it → the field it stands for (--column 字段=表头)


def _field_of(header: Any, header_map: Optional[HeaderMap]) -> str:
    """The field a header stands for: the clerk's mapping first, then the known spellings."""
    if header_map:
        text = _SPACES.sub("", str(header or "")).strip()
        for given, field_name in header_map.items():
            if _SPACES.sub("", given).strip() == text:
                return canonical_header(field_name)
    return canonical_header(header)


def clean_text(value: str) -> tuple[str, list[str]]:
    """Trimmed text with XML-forbidden characters removed (and said), and the invisible characters that
    nothing draws (zero-width spaces, BOMs … from WeChat or web pages) dropped; and what was removed."""
    removed = [f"U+{ord(c):04X}" for c in XML_FORBIDDEN.findall(value)]
    value = XML_FORBIDDEN.sub("", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return drop_ignorable(value).strip(), removed


def cell_text(value: Any) -> str:
    """A sheet cell as clean text: 101.0 (a number Excel stored as float) as 101, None as empty; an Excel
    error as Excel shows it (#N/A)."""
    if isinstance(value, BadCell):
        return value.text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))[0] if value is not None else ""


def clean_name(value: str) -> str:
    """Names lose the padding clerks put inside them: '张　敏' → '张敏'; Latin names keep one space."""
    parts = _SPACES.split(value.strip())
    if len(parts) > 1 and all(is_ideograph(p[-1]) for p in parts[:-1]) and all(is_ideograph(p[0]) for p in parts[1:]):
        return "".join(parts)
    return " ".join(parts)


def clean_value(field_name: str, value: Any, number_format: str = "") -> tuple[Any, list[str]]:
    if value is None:
        return "", []
    if isinstance(value, bool):
        return ("是" if value else "否"), []
    if isinstance(value, (int, float)):
        if field_name in TEXT_FIELDS:
            return identifier_text(value, number_format), []
        return (int(value) if float(value).is_integer() else value), []
    if isinstance(value, dt.datetime):
        return (value.date() if value.time() == dt.time(0) else value), []
    if isinstance(value, dt.date):
        return value, []
    if isinstance(value, (list, tuple, dict)):
        return value, []  # structured values from JSON or the API (lists of subjects …)
    text, removed = clean_text(str(value))
    if field_name == "姓名":
        text = clean_name(text)
    return text, removed


def _build_records(rows: Iterable[tuple[int, list[Any], list[str]]], headers: list[Any], source: str,
                   header_map: Optional[HeaderMap] = None, split_on: str = "",
                   hidden_columns: frozenset[int] | set[int] = frozenset()) -> Roster:
    """The records of the rows under the header. Text beyond the header's last column is not read, and
    said once; in a list split on a character its values may hold (split_on: the full-width comma), a row
    with more cells than headers has had a value split, so its columns stand shifted: it fails."""
    columns = [_field_of(h, header_map) for h in headers]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(columns):
        if not name:
            continue
        if name in seen and seen[name] in hidden_columns and index not in hidden_columns:
            # the clerk sees this one: a hidden column of old values before it is not what they mean
            problems.append(Problem(WARNING, f"有两列「{name}」，{_letter(seen[name])}列在 Excel 中被隐藏了；"
                                             f"读取的是显示的{_letter(index)}列", column=name, source=source))
            seen[name] = index
        elif name in seen:
            problems.append(Problem(WARNING, f"表头“{headers[index]}”与前面的「{name}」列重复；只读取第一列",
                                    column=name, source=source))
        else:
            seen[name] = index
    records: list[Record] = []
    width = max((index + 1 for index, h in enumerate(headers) if h not in (None, "")), default=0)
    beyond: list[tuple[int, str]] = []  # rows with text past the header's last column, and the first of it
    for row_number, cells, formats in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # empty rows are spacing, not members
        extra = [str(c).strip() for c in cells[width:] if c is not None and str(c).strip()]
        if extra and split_on:
            problems.append(Problem(
                ERROR, f"这一行按“{split_on}”分开后比表头多出{len(extra)}格内容：内容里的“{split_on}”也被当成了分隔符，"
                       f"各列会错位，这条记录没有生成；请把内容中的“{split_on}”改成“、”，或在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                row=row_number, source=source))
            continue
        if extra:
            beyond.append((row_number, extra[0]))
        values: dict[str, Any] = {}
        removed_by_column: dict[str, list[str]] = {}
        bad: dict[str, BadCell] = {}
        for name, index in seen.items():
            raw = cells[index] if index < len(cells) else None
            fmt = formats[index] if index < len(formats) else ""
            if isinstance(raw, BadCell):
                bad[name], raw = raw, None
            elif name in TEXT_FIELDS and lost_digits(raw):  # 1.10101E+17: the 工号 typed is gone
                bad[name], raw = BadCell(str(raw), lost_digits(raw)), None
            values[name], removed = clean_value(name, raw, fmt)
            if removed:
                removed_by_column[name] = removed
        for name in COLUMN_ALIASES:
            values.setdefault(name, "")
        record = Record(row=row_number, values=values, source=source)
        problems += [record.problem(WARNING, f"已删除无法打印的字符：{'、'.join(removed)}", name)
                     for name, removed in removed_by_column.items()]
        # A cell with no usable value would print wrong (#N/A as a name) or empty: the record fails.
        problems += [record.problem(ERROR, f"单元格{cell.reason}；这条记录没有生成", name) for name, cell in bad.items()]
        records.append(record)
    if beyond:
        rows_named = "、".join(str(row) for row, _ in beyond[:10]) + ("等" if len(beyond) > 10 else "")
        problems.append(Problem(WARNING, f"第{rows_named}行在最后一个表头右边还有内容（如“{_short(beyond[0][1])}”），"
                                         f"没有读取；要用这些内容，请给那一列加上表头", source=source))
    problems += _duplicate_ids(records)
    present = tuple(name for name in seen if name)
    shown = tuple((str(h), name) for h, name in zip(headers, columns) if h not in (None, "") and name)
    return Roster(records=tuple(records), columns=present, problems=tuple(problems), source=source, headers=shown)


def _letter(index: int) -> str:
    """A 0-based column as Excel names it: 0 → A, 27 → AB."""
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def _duplicate_ids(records: list[Record]) -> list[Problem]:
    by_id: dict[str, list[Record]] = {}
    for record in records:
        staff_id = str(record.values.get("工号") or "")
        if staff_id:
            by_id.setdefault(staff_id, []).append(record)
    problems = []
    for staff_id, group in by_id.items():
        if len(group) > 1:
            # Named once per group, and at most ten rows in each message: 20,000 rows sharing one 工号
            # must not make 20,000 messages of 20,000 row numbers.
            rows = "、".join(str(r.row) for r in group[:10]) + (f"等共{len(group)}" if len(group) > 10 else "")
            shown = group if len(group) <= 10 else group[:1]
            problems += [record.problem(WARNING, f"工号 {staff_id} 在第 {rows} 行重复出现", "工号") for record in shown]
    return problems


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _header_at(rows: list[list[Any]], header_map: Optional[HeaderMap] = None) -> Optional[int]:
    """Index of the header row: the first of the opening rows naming two known columns (or 姓名)."""
    for index, cells in enumerate(rows[:15]):
        known = {_field_of(c, header_map) for c in cells if c not in (None, "")} & set(COLUMN_ALIASES)
        if len(known) >= 2 or "姓名" in known:
            return index
    return None


def _find_header(rows: list[list[Any]], header_map: Optional[HeaderMap] = None) -> int:
    found = _header_at(rows, header_map)
    return 0 if found is None else found


def _header_cells(read: Sheet, first: int) -> tuple[list[Any], int]:
    """The header's cells and its last row. A header of two rows — a group title such as 个人信息 over 姓名
    and 性别, the other headers merged down over both rows — gives each column its lowest known name."""
    last = max([bottom for top, bottom, _, _ in read.merged if top == first] + [first])
    if last == first:
        return read.rows[first], first
    rows = read.rows[first:last + 1]
    cells = []
    for column in range(max(len(row) for row in rows)):
        names = [row[column] for row in rows if column < len(row) and row[column] not in (None, "")]
        known = [name for name in names if canonical_header(name) in COLUMN_ALIASES]
        cells.append((known or names or [None])[-1])
    return cells, last


def load_sheet(path: Path, sheet: str | None = None, header_map: Optional[HeaderMap] = None,
               encoding: str | None = None) -> Roster:
    """A roster from a spreadsheet (.xlsx, .xls, .csv): the named sheet or the one Excel shows first;
    header_map names the field of a header the roster spells its own way ({"支部信息": "所属党支部"}).
    Totals and footer rows under the table (合计：40人, 制表：…) are left out, with one notice."""
    read = read_table_sheet(path, sheet, lambda rows: _header_at(rows, header_map) is not None, "名册", encoding)
    if not any(any(c not in (None, "") for c in row) for row in read.rows):
        if read.problems:  # every line was unreadable: say why, not only that nothing is left
            raise RosterError("；".join(str(p) for p in read.problems[:3]))
        raise RosterError(f"{read.source}：{'文件' if path.suffix.lower() in ('.csv', '.txt', '.tsv') else '工作表'}是空的")
    headers, header_end = _header_cells(read, _find_header(read.rows, header_map))
    footers = table_below(read, header_end, [_field_of(h, header_map) if h not in (None, "") else "" for h in headers])
    rows = ((read.row_number(i), read.rows[i], read.formats[i] if i < len(read.formats) else [])
            for i in range(header_end + 1, len(read.rows)) if i not in footers)
    roster = _build_records(rows, headers, read.source, header_map, read.split_on_punctuation, read.hidden_columns)
    roster = replace(roster, problems=tuple(read.problems) + roster.problems)
    hidden = sorted(r.row for r in roster.records if r.row - 1 in read.hidden_rows)
    if hidden:
        # A clerk who filtered the sheet down to one branch may expect only what is shown to print.
        shown = "、".join(map(str, hidden[:10])) + ("等" if len(hidden) > 10 else "")
        roster = replace(roster, problems=roster.problems + (Problem(
            WARNING, f"第{shown}行（共{len(hidden)}行）在 Excel 中被隐藏或筛选掉了，仍会生成；"
                     f"只要其中一部分人，请用 --only，例如 --only 所属党支部=机关第一党支部", source=read.source),))
    return roster


def nesting_depth(value: Any, limit: int = limits.MAX_NESTING) -> int:
    """How deeply lists and objects sit inside each other (0 for a plain value), counted without
    recursion and only up to limit + 1: a hostile file must not exhaust the stack here either."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack += [(child, depth) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _json_int(digits: str) -> int | str:
    """A JSON integer; one too long to be a number anyone means (Python refuses to convert it) stays text."""
    return int(digits) if len(digits) <= 20 else digits


def load_json(path: Path, header_map: Optional[HeaderMap] = None) -> Roster:
    size = path.stat().st_size
    if size > limits.MAX_DATA_FILE_BYTES:
        raise RosterError(f"{path.name}：文件有 {limits.size_text(size)}，超过了名册文件的上限 "
                          f"{limits.size_text(limits.MAX_DATA_FILE_BYTES)}")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_int=_json_int)
    except UnicodeDecodeError:
        raise RosterError(f"{path.name}：不是 UTF-8 编码的 JSON 文件；请另存为 UTF-8") from None
    except json.JSONDecodeError as exc:
        raise RosterError(f"{path.name}：不是有效的 JSON 文件（第{exc.lineno}行第{exc.colno}个字符处有误）") from None
    except RecursionError:
        raise RosterError(f"{path.name}：列表或对象嵌套太深（上限{limits.MAX_NESTING}层）；不是名册") from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise RosterError(f"{path.name}：应为对象列表（或 {{\"records\": [...]}}）")
    return records_from_dicts(data, path.name, header_map)


def records_from_dicts(items: list[dict[str, Any]], source: str = "", header_map: Optional[HeaderMap] = None
                       ) -> Roster:
    """A roster from objects (a JSON file, or a caller of the API), within the limits of any roster."""
    where = source or "名册"
    if len(items) > limits.MAX_ROWS:
        raise RosterError(f"{where}：有{len(items)}条记录，超过了上限{limits.MAX_ROWS}条；请分成几个文件")
    if nesting_depth(items) > limits.MAX_NESTING:
        raise RosterError(f"{where}：列表或对象嵌套太深（上限{limits.MAX_NESTING}层）；不是名册")
    headers: list[str] = []
    for item in items:
        for key in item:
            if key not in headers:
                headers.append(key)
    if len(headers) > limits.MAX_COLUMNS:
        raise RosterError(f"{where}：有{len(headers)}个不同的字段，超过了上限{limits.MAX_COLUMNS}个")
    fields = [_field_of(h, header_map) for h in headers]
    rows = ((n + 1, [_bounded_value(item.get(h), field) for h, field in zip(headers, fields)], [])
            for n, item in enumerate(items))
    return _build_records(rows, headers, source, header_map)


def _bounded_value(value: Any, field_name: str = "") -> Any:
    """Text past the cell limit is no value to print: the record fails, naming the column."""
    if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
        from formgen.input.sheets import too_long

        return too_long(len(value))
    if field_name in COLUMN_ALIASES and isinstance(value, (list, dict)):
        # a roster's own fields are one text each: a list would print as ['李', '堃'] on the card
        shown = _short(json.dumps(value, ensure_ascii=False, default=str), 30)
        return BadCell("", f"是{'列表' if isinstance(value, list) else '对象'} {shown}，不是一项文字；请只写一个值")
    return value


def load_roster(path: Path | str, sheet: str | None = None, header_map: Optional[HeaderMap] = None,
                encoding: str | None = None) -> Roster:
    """A roster file; header_map names fields for headers spelt otherwise; encoding decides a CSV's
    encoding where its bytes cannot (--encoding)."""
    path = Path(path)
    if not path.exists():
        raise RosterError(f"{path}：找不到文件")
    if path.suffix.lower() == ".json":
        roster = load_json(path, header_map)
    else:
        roster = load_sheet(path, sheet, header_map, encoding)
    return replace(roster, path=path)
