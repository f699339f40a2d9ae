"""The rest of the paperwork's pages as a clerk uses them in Chromium — 按名单发证, 支部考核, 政治生日,
安全帽标志: the samples uploaded, the problems read on screen by row and column, every offered file
downloaded and read back (the PDFs' text, the workbooks' cells). One server and one browser for the module."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formgen.resources import SAMPLES_DIR
from tests.conftest import pdf_text
from tests.webpage import chromium, download, need_browser, new_page, problems, python_formgen, running_server, shot

expect = pytest.importorskip("playwright.sync_api").expect
SHOTS = bool(os.environ.get("FORMGEN_WEB_SCREENSHOTS"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    with running_server(python_formgen(), tmp_path_factory.mktemp("web-data")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as browser:
        yield browser


def flat(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", text) for text in pdf_text(pdf)]


def sheet(path: Path, name: str) -> list[tuple]:
    """A sheet's rows below its header, blank rows left out."""
    workbook = load_workbook(path, read_only=True)
    try:
        rows = list(workbook[name].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:] if any(cell is not None for cell in row)]


def table(page, selector: str) -> list[list[str]]:
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()]
            for row in page.locator(f"{selector} tbody tr").all()]


def test_certify_checks_the_list_then_issues_certificates(server, browser, tmp_path):
    page = new_page(browser)
    page.goto(server + "certify")
    page.set_input_files("#nominations-file", str(SAMPLES_DIR / "nominations.xlsx"))
    page.click("#certify-check")
    page.wait_for_selector("#nominations")
    assert page.inner_text("h1") == "检查获奖名单：nominations.xlsx"
    rows = table(page, "#nominations")
    assert [row[3] for row in rows] == ["王喆", "周雅琴", "乌兰巴特尔", "生产运营党支部", "1号机组A级检修项目"]
    assert {row[0] for row in rows} == {"（生成时登记）"}
    found = problems(page)
    assert page.locator("#problems thead th").nth(2).inner_text() == "获奖者"
    assert {(p["row"], p["who"], p["column"]) for p in found} == {
        ("8", "黄𫖯", "奖项"), ("9", "褚天佑", "奖项"), ("10", "褚天佑", "奖项"), ("11", "赵𬌗", "期间")}
    assert "“优秀党员”不是可以发证的奖项" in found[0]["message"]
    assert page.locator("#downloads").count() == 0  # checking issues nothing
    shot(page, "10-certify", SHOTS)

    page.click("#certify-issue-now")
    page.wait_for_selector("#downloads")
    serials = [row[0] for row in table(page, "#nominations")]
    assert all(re.fullmatch(r"[A-Z]+-\d{4}-[A-Z]{2}-\d{4}", s) for s in serials), serials
    listing = sheet(download(page, tmp_path, ".xlsx", "证书", "清单"), "证书")
    assert [(r["证书编号"], r["获奖者"], r["来源"]) for r in listing] == [
        (serial, row[3], "nominations.xlsx") for serial, row in zip(serials, rows)]
    pages = flat(download(page, tmp_path, ".pdf", "证书"))
    assert len(pages) == 5
    for text, serial, row in zip(pages, serials, rows):
        assert serial in text and row[3] in text and row[1] in text


def test_branch_review_ranks_lists_the_problems_and_offers_its_four_files(server, browser, tmp_path):
    page = new_page(browser)
    page.goto(server + "branch-review")
    page.set_input_files("#branch-scores-file", str(SAMPLES_DIR / "branch-scores.xlsx"))
    page.fill("input[name=quarter]", "2024Q3")
    page.fill("input[name=place]", "党委会议室")
    page.click("#review-start")
    page.wait_for_selector("#ranking")
    assert "共 6 个党支部参加考核，平均 87.33 分" in page.inner_text(".summary")
    ranking = table(page, "#ranking")
    assert [row[1] for row in ranking][:3] == ["生产运营党支部", "机关第一党支部", "设备维修党支部"]
    talks = [row[1] for row in ranking if row[4] == "约谈"]
    assert talks == ["物资供应党支部", "机关第二党支部"]
    assert page.locator("#ranking tr.error").count() == 2
    found = problems(page)
    assert page.locator("#problems thead th").nth(2).inner_text() == "党支部"
    by_row = {p["row"]: p for p in found}
    assert by_row["11"]["who"] == "后勤服务党支部" and by_row["11"]["column"] == "“三亮三比三创”活动落实情况考核分"
    assert "“缺”不是数字" in by_row["11"]["message"]
    assert by_row["9"]["column"] == "党支部" and "出现2次" in by_row["9"]["message"]
    assert by_row["8"]["level"] == "警告" and by_row["8"]["column"] == "考核总分"
    shot(page, "11-review", SHOTS)

    results = download(page, tmp_path, ".xlsx", "考核")
    assert [r["所属党支部"] for r in sheet(results, "排名")] == [row[1] for row in ranking]
    assert [(r["姓名"], r["所属党支部"]) for r in sheet(results, "约谈名单")] == [
        ("高峰", "物资供应党支部"), ("沈佳怡", "机关第二党支部")]
    assert {r["来源"] for r in sheet(results, "排名")} == {"branch-scores.xlsx"}
    report = "".join(flat(download(page, tmp_path, ".pdf", "考核情况")))
    assert "平均得分87.33分" in report and "物资供应党支部高峰（84分）" in report
    forms = flat(download(page, tmp_path, ".pdf", "工作清单"))
    assert len(forms) == 6 and "生产运营党支部" in forms[0]
    notices = flat(download(page, tmp_path, ".pdf", "约谈通知"))
    assert len(notices) == 2
    assert "高峰" in notices[0] and "沈佳怡" in notices[1] and all("到党委会议室" in n for n in notices)


def test_birthdays_and_stickers_from_the_roster_uploaded_at_step_one(server, browser, tmp_path):
    page = new_page(browser)
    page.goto(server + "birthdays")
    assert "还没有上传名册" in page.inner_text("#roster-used")
    expect(page.locator("#birthdays-start")).to_be_disabled()
    page.goto(server + "roster")
    page.set_input_files("#roster-file", str(SAMPLES_DIR / "roster.xlsx"))
    page.click("#roster-upload")
    expect(page.locator("main")).to_contain_text("20 名党员")

    page.goto(server + "birthdays")
    assert "roster.xlsx" in page.inner_text("#roster-used")
    page.fill("input[name=month]", "2024-10")
    page.click("#birthdays-start")
    page.wait_for_selector("#downloads")
    assert "2024年10月过政治生日的党员共 6 名（名册共 20 人）" in page.inner_text(".summary")
    listed = [row for selector in ("table.birthdays",) for row in table(page, selector)]
    assert len(listed) == 6 and ["10月1日", "刘䶮", "1994年10月1日", "30 周年 逢十", ""] in listed
    found = problems(page)
    assert [(p["row"], p["who"], p["column"]) for p in found] == [("15", "冯丽娟", "入党日期"), ("18", "蒋志强", "入党日期")]
    assert "“不详”不是可以读取的入党日期" in found[0]["message"]
    shot(page, "12-birthdays", SHOTS)
    names = [row[1] for row in listed]
    members = sheet(download(page, tmp_path, ".xlsx", "政治生日"), "名单")
    assert sorted(r["姓名"] for r in members) == sorted(names) and {r["来源"] for r in members} == {"roster.xlsx"}
    cards = flat(download(page, tmp_path, ".pdf", "贺卡"))
    assert len(cards) == 3 and all(any(name in card for card in cards) for name in names)

    page.goto(server + "stickers")
    page.select_option("select[name=design]", "rect")
    page.select_option("select[name=size]", "large")
    page.check("input[name=mode][value=member]")
    page.check("#sticker-names")
    page.click("#stickers-start")
    page.wait_for_selector("#downloads")
    assert "长方形" in page.inner_text("h1") and "印姓名" in page.inner_text("h1")
    assert "共 20 个标志，2 张 A4" in page.inner_text(".summary")
    shot(page, "13-stickers", SHOTS)
    sheets = flat(download(page, tmp_path, ".pdf", "标志"))
    assert len(sheets) == 2 and "".join(sheets).count("共产党员") == 20
    assert all(name in "".join(sheets) for name in names)
