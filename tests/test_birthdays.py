"""birthdays: the month's political birthdays from the sample roster — matching the roster's own dates,
29 February kept in common years, round anniversaries marked, unreadable dates reported by row — and a
greeting card per member in PDF and DOCX."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from formgen.api.birthdays import run_birthdays
from formgen.campaign.birthdays import Birthday, JoinDate, birthdays_in, parse_join_date, parse_month, round_mark
from formgen.cli.main import main
from formgen.input.org import load_org
from formgen.record import Record
from formgen.resources import SAMPLES_DIR

from .conftest import pdf_text
from .readback import docx_text

ROSTER = SAMPLES_DIR / "roster.xlsx"


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    out = tmp_path_factory.mktemp("birthdays")
    result = run_birthdays(ROSTER, 2024, 10, load_org(SAMPLES_DIR / "org.yaml"), out, ("pdf", "docx"),
                           issue_date=dt.date(2024, 10, 1))
    return out, result


def roster_october_members() -> dict[str, int]:
    """Read straight from the workbook, independently of formgen: who joined in an October, how long ago."""
    from openpyxl import load_workbook

    sheet = load_workbook(ROSTER).active
    header = [c.value for c in sheet[1]]
    found = {}
    for cells in sheet.iter_rows(min_row=2, values_only=True):
        values = dict(zip(header, cells))
        joined = values["入党日期"]
        if isinstance(joined, dt.datetime):
            year, month = joined.year, joined.month
        else:
            match = re.match(r"(\d{4})\D+(\d{1,2})", str(joined or ""))
            if not match:
                continue
            year, month = int(match.group(1)), int(match.group(2))
        if month == 10 and year < 2024:
            found[values["姓名"].replace("\u3000", "").strip()] = 2024 - year
    return found


def test_the_list_matches_the_rosters_dates(october):
    _, result = october
    listed = {b.record.values["姓名"]: b.years for b in result.birthdays}
    assert listed == roster_october_members()
    assert len(listed) == 6


def test_listed_per_branch_by_day_with_round_anniversaries_marked(october):
    _, result = october
    groups = result.by_branch()
    assert [b.record.values["姓名"] for b in groups["机关第一党支部"]] == ["张敏", "李堃", "杨晓光"]
    marks = {b.record.values["姓名"]: b.mark for b in result.birthdays}
    assert marks == {"张敏": "逢五", "李堃": "逢十", "杨晓光": "", "赵𬌗": "", "刘䶮": "逢十", "韩国栋": ""}
    assert next(b for b in result.birthdays if b.record.values["姓名"] == "张敏").note == "入党日期只写了年月"


def test_rows_without_a_readable_date_are_reported_by_row(october):
    _, result = october
    reported = [(p.row, p.who, p.column) for p in result.problems]
    assert reported == [(15, "冯丽娟", "入党日期"), (18, "蒋志强", "入党日期")]
    assert "“不详”不是可以读取的入党日期" in result.problems[0].message


def test_the_list_and_the_cards_are_named_as_clerks_call_them(october):
    out, result = october
    from openpyxl import load_workbook

    assert {p.name for p in out.iterdir()} == {"政治生日名单.xlsx", "政治生日贺卡.pdf", "政治生日贺卡.docx"}
    assert {p.name for p in result.outputs} == {p.name for p in out.iterdir()}
    listed = [row[1] for row in load_workbook(out / "政治生日名单.xlsx")["名单"].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(roster_october_members())


def test_a_card_per_member_with_name_date_and_years(october):
    out, result = october
    pages = [re.sub(r"\s+", "", p) for p in pdf_text(out / "政治生日贺卡.pdf")]
    assert len(pages) == 3  # six cards, two to a sheet
    text = "".join(pages)
    for b in result.birthdays:
        assert f"{b.record.values['姓名']}同志：" in text
    assert "1994年10月1日，你在党旗下庄严宣誓" in text and "入党30周年的政治生日" in text
    assert "入党三十周年纪念" in text and "入党五周年纪念" in text
    assert "二〇二四年十月一日" in text and "生产运营党支部" in text
    body = docx_text(out / "政治生日贺卡.docx")
    assert "赵𬌗同志：" in body and "入党23周年" in body


def record(joined, **extra) -> Record:
    return Record(row=2, values={"姓名": "王喆", "入党日期": joined, **extra}, source="名册.xlsx")


def test_the_29th_of_february_is_kept_on_the_28th_in_common_years():
    today = dt.date(2026, 1, 1)
    (common,), _ = birthdays_in([record(dt.date(2004, 2, 29))], 2025, 2, today)
    (leap,), _ = birthdays_in([record(dt.date(2004, 2, 29))], 2024, 2, today)
    assert (common.day, common.years) == (28, 21) and "2025年没有这一天" in common.note
    assert (leap.day, leap.years, leap.note) == (29, 20, "")


@pytest.mark.parametrize("typed, expected", [
    (dt.datetime(2008, 7, 1), JoinDate(2008, 7, 1)), ("2008-07-01", JoinDate(2008, 7, 1)),
    ("2008/7/1", JoinDate(2008, 7, 1)), ("2008.7.1", JoinDate(2008, 7, 1)), ("2008年7月1日", JoinDate(2008, 7, 1)),
    ("20080701", JoinDate(2008, 7, 1)), (20080701, JoinDate(2008, 7, 1)), (39630, JoinDate(2008, 7, 1)),
    ("２００８．７", JoinDate(2008, 7)), ("2008年7月", JoinDate(2008, 7)), ("200807", JoinDate(2008, 7)),
    ("不详", None), ("2008-13-01", None), ("2008-02-30", None), ("1850-01-01", None),
    # as system exports and CSVs saved from Excel write them, and as documents do
    ("2008-07-01 00:00:00", JoinDate(2008, 7, 1)), ("2008/7/1 0:00", JoinDate(2008, 7, 1)),
    ("2008-07-01T08:30:00", JoinDate(2008, 7, 1)), ("2008年7月1号", JoinDate(2008, 7, 1)),
    ("二〇〇八年七月一日", JoinDate(2008, 7, 1)), ("一九九四年十月二十一日", JoinDate(1994, 10, 21)),
    ("二〇〇八年十二月", JoinDate(2008, 12)), ("二〇〇八年十三月", None), ("二〇〇八年二月三十日", None),
])
def test_join_dates_as_clerks_type_them(typed, expected):
    assert parse_join_date(typed) == expected


def test_not_yet_a_birthday_and_dates_after_today():
    today = dt.date(2024, 10, 8)
    found, problems = birthdays_in([record(dt.date(2024, 10, 1)), record(dt.date(2025, 10, 1))], 2024, 10, today)
    assert found == [] and [p.message for p in problems] == ["入党日期 2025年10月1日 晚于今天；请核对"]


def test_round_marks_and_months():
    assert [round_mark(n) for n in (1, 5, 10, 15, 20, 23, 50)] == ["", "逢五", "逢十", "逢五", "逢十", "", "逢十"]
    assert parse_month("2024年10月") == (2024, 10) and parse_month("2024-1") == (2024, 1)
    with pytest.raises(ValueError):
        parse_month("十月")
    assert Birthday(record("2019.10"), JoinDate(2019, 10), 2024).date_text == "10月"


def test_dry_run_lists_and_writes_nothing(tmp_path, capsys):
    code = main(["birthdays", str(ROSTER), "--month", "2024-10", "-o", str(tmp_path / "out"), "--dry-run"])
    assert code == 0 and not (tmp_path / "out").exists()
    output = capsys.readouterr()
    assert "2024年10月过政治生日的党员：6名" in output.out and "刘䶮\t1994年10月1日入党\t入党30周年  逢十" in output.out
    assert "第15行（冯丽娟）「入党日期」列" in output.err


def test_a_join_date_under_a_header_of_its_own_is_read_with_column(tmp_path, capsys):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,所属党支部,加入党组织日期\n王喆,机关第一党支部,2004-10-12\n李堃,机关第一党支部,2010-03-01\n",
                    encoding="utf-8")
    code = main(["birthdays", str(path), "--month", "2024-10", "-o", str(tmp_path / "out"), "--dry-run",
                 "--column", "入党日期=加入党组织日期"])
    output = capsys.readouterr()
    assert code == 0 and "过政治生日的党员：1名" in output.out and "王喆\t2004年10月12日入党\t入党20周年" in output.out


def test_a_row_that_reading_failed_is_not_listed_nor_given_a_card(tmp_path):
    """An Excel error in a 姓名 or 入党日期 cell was reported as 这条记录没有生成: the member is neither listed
    with an empty name nor carded, and the date is not said to be missing as well."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["姓名", "工号", "所属党支部", "入党日期"], ["#N/A", "1", "一支部", "2008-07-01"],  # error values
                ["李四", "2", "一支部", "#DIV/0!"], ["王五", "3", "一支部", "2008-07-01 00:00:00"]):
        sheet.append(row)
    path = tmp_path / "名册.xlsx"
    book.save(path)
    result = run_birthdays(path, 2024, 7, load_org(SAMPLES_DIR / "org.yaml"), tmp_path / "out",
                           issue_date=dt.date(2024, 7, 1))
    assert [b.record.values["姓名"] for b in result.birthdays] == ["王五"]
    assert sorted((p.row, p.column, p.level) for p in result.problems) == [(2, "姓名", "error"), (3, "入党日期", "error")]
    assert not result.failed and result.document.rendered == 1
    assert "王五" in "".join(pdf_text(tmp_path / "out" / "政治生日贺卡.pdf"))
