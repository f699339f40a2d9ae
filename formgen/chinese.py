"""Chinese numerals, dates, quarters and star ratings, as forms and certificates write them."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

DIGITS = "〇一二三四五六七八九"
_NUMERAL_VALUES = {c: i for i, c in enumerate(DIGITS)} | {"零": 0, "两": 2}


def cn_number(n: int) -> str:
    """0–99 as written in dates and lists: 十, 十五, 二十, 二十三."""
    if not 0 <= n <= 99:
        raise ValueError(f"{n} is outside 0–99")
    if n < 10:
        return DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + ("" if units == 0 else DIGITS[units])


def parse_cn_number(text: str) -> int:
    """一 … 九十九 (and Arabic digits) back to an int."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERAL_VALUES[tens] if tens else 1) * 10 + (_NUMERAL_VALUES[units] if units else 0)
    if len(text) == 1 and text in _NUMERAL_VALUES:
        return _NUMERAL_VALUES[text]
    raise ValueError(f"“{text}”不是中文数字")


def cn_year(year: int) -> str:
    """2024 → 二〇二四: years are read digit by digit."""
    return "".join(DIGITS[int(d)] for d in str(year))


def cn_date(day: dt.date) -> str:
    """2024-09-30 → 二〇二四年九月三十日, the way certificates and letters are dated."""
    return f"{cn_year(day.year)}年{cn_number(day.month)}月{cn_number(day.day)}日"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int  # 1–4

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{DIGITS[self.q]}季度"

    @property
    def name(self) -> str:
        return f"第{DIGITS[self.q]}季度"

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.q - 2, 1)

    @property
    def last_day(self) -> dt.date:
        following = dt.date(self.year + (self.q == 4), 1 if self.q == 4 else 3 * self.q + 1, 1)
        return following - dt.timedelta(days=1)

    @staticmethod
    def of(day: dt.date) -> "Quarter":
        return Quarter(day.year, (day.month - 1) // 3 + 1)


_QUARTER_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})\s*[-_/ ]?\s*[Qq](?P<q>[1-4])$"),
    re.compile(r"^(?P<year>\d{4})\s*年?\s*第?(?P<q>[1-4一二三四])\s*季度?$"),
    re.compile(r"^第?(?P<q>[1-4一二三四])\s*季度$"),
)


def parse_quarter(text: str, default_year: int | None = None) -> Quarter:
    """'2024Q3', '2024-Q3', '2024年第三季度', '2024年第3季度', '2024年三季度'; '三季度' with a default year."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        q = parse_cn_number(match.group("q"))
        year = match.groupdict().get("year")
        if year is None:
            if default_year is None:
                raise ValueError(f"“{text}”没有写年份；请写成 2024Q3 或 2024年第三季度")
            return Quarter(default_year, q)
        return Quarter(int(year), q)
    raise ValueError(f"“{text}”不是季度（请写成 2024Q3 或 2024年第三季度）")


_STAR_WORDS = {"五": 5, "四": 4, "三": 3, "二": 2, "两": 2, "一": 1}


def parse_stars(value: object) -> int | None:
    """A star rating 1–5 from 5, '5', 5.0, '5星', '五星', '★★★★★' or '★★★☆☆'; None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and 1 <= value <= 5 else None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if set(text) <= {"★", "☆"}:
        count = text.count("★")
        return count if 1 <= count <= 5 else None
    text = text.removesuffix("星级").removesuffix("星").strip()
    if text in _STAR_WORDS:
        return _STAR_WORDS[text]
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def stars(n: int, total: int = 5) -> str:
    """3 → ★★★☆☆."""
    n = max(0, min(total, int(n)))
    return "★" * n + "☆" * (total - n)


def to_number(value: object) -> float | None:
    """Scores as offices type them: 85, ' 85 ', '８５', '85.5', '85分'; None when blank."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("分").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None


def parse_score(value: object) -> float | None:
    """A 百分制 score as clerks type it: 95, '95分', '９５', '87.5', '九十五', '一百'; None when blank or
    not a number at all."""
    try:
        number = to_number(value)
    except ValueError:
        text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("分").strip()
        if text in ("一百", "百"):
            return 100.0
        try:
            return float(parse_cn_number(text))
        except (ValueError, KeyError):
            return None
    return number
