"""Political birthdays: the members whose 入党日期 falls in a month, with their years in the Party.

Rules (also in the README):
- 入党日期 as offices type it: an Excel date, 2008-07-01, 2008/7/1, 2008.7.1, 2008年7月1日 (or 1号), 20080701,
  二〇〇八年七月一日, with a time after it as exports write (2008-07-01 00:00:00), or only the month (2008.07,
  2008-7, 2008年7月, 200807) — enough to know the month.
- A member is listed in the month of their 入党日期, with years = the month's year − the year they joined
  (a member who joined in that year or later has no birthday yet); a 入党日期 after today is reported.
- Joined on 29 February: in a year without one the birthday is kept on 28 February, and the list says so.
- Round anniversaries: every tenth year is 逢十, every fifth (5, 15, 25 …) 逢五.
- A row whose 入党日期 is empty or unreadable is reported with its row; the others are listed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from formgen.chinese import parse_cn_number
from formgen.problems import WARNING, Problem
from formgen.record import Record

COLUMN = "入党日期"
_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?|(\d{4})(\d{2})(\d{2})")
# The time an export or a CSV saved from Excel writes after a date: 2008-07-01 00:00:00, 2008/7/1 0:00
_TIME = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# A date written in Chinese numerals, as on documents: 二〇〇八年七月一日
_CN_DIGITS = "〇一二三四五六七八九"
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?")
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?|(\d{4})(\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True, order=True)
class JoinDate:
    year: int
    month: int
    day: Optional[int] = None  # None: only the month was written

    @property
    def text(self) -> str:
        return f"{self.year}年{self.month}月" + (f"{self.day}日" if self.day else "")


def parse_join_date(value: Any) -> Optional[JoinDate]:
    """The date as typed, or None when it cannot be read as one (not even a year and a month)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return JoinDate(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 10000 < value < 80000:  # an Excel date serial in a cell formatted as a number
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            return JoinDate(day.year, day.month, day.day)
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = _TIME.sub("", _arabic(unicodedata.normalize("NFKC", str(value or "")).strip()))
    full = _FULL.fullmatch(text)
    if full:
        year, month, day = (int(g) for g in (full.groups()[:3] if full.group(1) else full.groups()[3:]))
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return JoinDate(year, month, day) if year >= 1921 else None
    only_month = _MONTH.fullmatch(text)
    if only_month:
        groups = only_month.groups()
        year, month = (int(g) for g in (groups[:2] if groups[0] else groups[2:]))
        return JoinDate(year, month) if 1 <= month <= 12 and year >= 1921 else None
    return None


def _arabic(text: str) -> str:
    """二〇〇八年七月一日 → 2008年7月1日; other text as it is."""
    match = _CN_DATE.fullmatch(text)
    if not match:
        return text
    year = "".join(str(_CN_DIGITS.index(c)) if c in _CN_DIGITS else "0" for c in match.group(1))
    try:
        month, day = (parse_cn_number(part) if part else None for part in match.group(2, 3))
    except (KeyError, ValueError):
        return text
    return f"{year}年{month}月" + (f"{day}日" if day is not None else "")


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) from 2024-10, 2024/10, 2024.10, 2024年10月 or 202410."""
    match = _MONTH.fullmatch(unicodedata.normalize("NFKC", str(text)).strip())
    if match:
        groups = match.groups()
        year, month = (int(g) for g in (groups[:2] if groups[0] else groups[2:]))
        if 1 <= month <= 12:
            return year, month
    raise ValueError(f"“{text}”不是月份；请写成 2024-10 或 2024年10月")


def round_mark(years: int) -> str:
    if years and years % 10 == 0:
        return "逢十"
    if years and years % 5 == 0:
        return "逢五"
    return ""


@dataclass(frozen=True)
class Birthday:
    record: Record
    joined: JoinDate
    year: int  # the year of the birthday

    @property
    def years(self) -> int:
        return self.year - self.joined.year

    @property
    def day(self) -> Optional[int]:
        """The day of the month it is kept on this year: 29 February moves to the 28th without one."""
        if self.joined.day is None:
            return None
        return min(self.joined.day, calendar.monthrange(self.year, self.joined.month)[1])

    @property
    def date_text(self) -> str:
        return f"{self.joined.month}月{self.day}日" if self.day else f"{self.joined.month}月"

    @property
    def note(self) -> str:
        if self.joined.day and self.day != self.joined.day:
            return f"{self.joined.month}月{self.joined.day}日入党，{self.year}年没有这一天，在{self.date_text}过政治生日"
        if self.joined.day is None:
            return "入党日期只写了年月"
        return ""

    @property
    def mark(self) -> str:
        return round_mark(self.years)

    @property
    def branch(self) -> str:
        return str(self.record.values.get("所属党支部") or "")


def birthdays_in(records: Iterable[Record], year: int, month: int, today: dt.date
                 ) -> tuple[list[Birthday], list[Problem]]:
    """The month's birthdays, by branch then day then name; and the rows whose 入党日期 could not be used."""
    found: list[Birthday] = []
    problems: list[Problem] = []
    for record in records:
        raw = record.values.get(COLUMN)
        if raw in (None, ""):
            problems.append(record.problem(WARNING, "没有填写入党日期；无法确定政治生日", COLUMN))
            continue
        joined = parse_join_date(raw)
        if joined is None:
            problems.append(record.problem(WARNING, f"“{raw}”不是可以读取的入党日期；请写成 2008-07-01 或 2008年7月1日",
                                           COLUMN))
            continue
        if (joined.year, joined.month, joined.day or 1) > (today.year, today.month, today.day):
            problems.append(record.problem(WARNING, f"入党日期 {joined.text} 晚于今天；请核对", COLUMN))
            continue
        if joined.month != month or joined.year == year:
            continue
        found.append(Birthday(record, joined, year))
    found.sort(key=lambda b: (b.branch, b.day or 0, b.joined, b.record.row))
    return found, problems


def card_record(birthday: Birthday, issue_date: dt.date) -> dict:
    """What the greeting card prints for one member."""
    values = dict(birthday.record.values)
    values.update({"入党日期": birthday.joined.text, "入党年数": birthday.years, "政治生日": birthday.date_text,
                   "逢十": birthday.mark, "落款日期": issue_date})
    return values
