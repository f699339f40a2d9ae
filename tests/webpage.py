"""Helpers for the web page's tests: a server started and stopped by the tests, Debian's Chromium driven
by Playwright, and the files a clerk would bring (a roster with a column of its own, a zip of photos)."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Iterator, Optional, Sequence

import pytest

from tests.conftest import pdf_text, portrait

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "previews" / "web"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a container, offline: no sandbox, and none of the background connections that
# this machine's closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--lang=zh-CN"]
# Chromium on Linux takes its own words (选择文件, the month picker's 2024年10月) from LANGUAGE, as
# Chinese Windows gives them (Debian's chromium-l10n holds them); LANG stays a UTF-8 locale that exists,
# or Chromium cannot write a Chinese file name and saves every download as "download".
CHROMIUM_ENV = {"LANG": "C.UTF-8", "LANGUAGE": "zh_CN:zh"}
MEMBERS = [("000101", "王喆", "党支部书记", "机关第一党支部"), ("000102", "李堃", "技术员", "机关第一党支部"),
           ("000103", "刘䶮", "主任", "生产运营党支部"), ("000104", "张敏", "班长", "生产运营党支部")]


def need_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    pytest.importorskip("playwright.sync_api")


@contextlib.contextmanager
def running_server(command: Sequence[str], data_dir: Path, cwd: Optional[Path] = None,
                   env: Optional[dict] = None) -> Iterator[str]:
    """`formgen serve` on a free port of 127.0.0.1, until the block ends; its address."""
    process = subprocess.Popen([*command, "serve", "--no-browser", "--port", "0", "--data-dir", str(data_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                               cwd=cwd, env=env or {**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        seen = []
        for line in process.stdout:
            seen.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if found:
                break
        else:
            raise AssertionError("formgen serve did not start:\n" + "".join(seen))
        yield found.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                             env={**os.environ, **CHROMIUM_ENV})
        try:
            yield browser
        finally:
            browser.close()


def python_formgen() -> list[str]:
    return [sys.executable, "-m", "formgen"]


def clerk_roster(path: Path) -> Path:
    """A roster as an office keeps it: a title row, and the branch under a header formgen does not know."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名册"
    sheet.append(["2024年党员名册"])
    sheet.append(["工号", "姓名", "职务", "支部信息"])
    for staff_id, name, title, branch in MEMBERS:
        sheet.append([staff_id, name, title, branch])
    for row in sheet.iter_rows(min_row=3, max_col=1):
        row[0].number_format = "@"
    workbook.save(path)
    return path


def photos_zip(path: Path, work: Path) -> Path:
    """Photos of three of the four members (folders per branch) and one that nobody matches."""
    work.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as bundle:
        for staff_id, folder in (("000101", "机关第一党支部"), ("000103", "生产运营党支部")):
            bundle.write(portrait(work / f"{staff_id}.jpg"), f"照片/{folder}/{staff_id}.jpg")
        bundle.write(portrait(work / "li.jpg"), "照片/李堃.jpg")
        bundle.write(portrait(work / "stranger.jpg"), "照片/009999.jpg")
    return path


def bad_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("照片/000101.jpg", b"x")
        bundle.writestr("../../outside.jpg", b"x")
    return path


def new_page(browser):
    # bypass_csp: Playwright's waiting functions evaluate text, which the page's own policy forbids.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900}, accept_downloads=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(120_000)  # two cores shared with other work: slow, never wrong
    from playwright.sync_api import expect

    expect.set_options(timeout=120_000)
    return page


def shot(page, name: str, keep: bool) -> None:
    """The clerk's guide: each step's screenshot, written to docs/previews/web when asked for
    (FORMGEN_WEB_SCREENSHOTS=1)."""
    if keep:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def thumbnails_arrived(page, count: int) -> None:
    """Wait until the photos page shows count thumbnails, every one of them loaded (each is made when the
    browser first asks for it)."""
    from playwright.sync_api import expect

    expect(page.locator("#faces img")).to_have_count(count)
    page.wait_for_function("n => { const all = Array.from(document.querySelectorAll('#faces img'));"
                           " return all.length === n && all.every(i => i.complete && i.naturalWidth > 0); }",
                           arg=count)


def problems(page) -> list[dict[str, str]]:
    """The problem table as the clerk reads it: level, row, who, column and message of each line."""
    names = [th.strip() for th in page.locator("#problems thead th").all_inner_texts()]
    keys = dict(zip(["级别", "行"], ["level", "row"]))
    keys.update({names[2]: "who", "列": "column", "问题": "message"})
    return [{keys[name]: cell.strip() for name, cell in zip(names, row.locator("td").all_inner_texts())}
            for row in page.locator("#problems tbody tr").all()]


def download(page, folder: Path, suffix: str, *words: str) -> Path:
    """The offered file of that kind whose link or name says one of words, downloaded into folder: found by
    its subject, not by its exact label, which may be worded otherwise."""
    for item in page.locator("#downloads li").all():
        name = item.locator("a").get_attribute("download")
        if name.endswith(suffix) and any(word in item.inner_text() for word in words):
            with page.expect_download() as started:
                item.locator("a").click()
            assert started.value.suggested_filename == name, (started.value.suggested_filename, name)
            target = folder / name
            started.value.save_as(target)
            return target
    raise AssertionError(f"no {suffix} about {words} offered: {page.inner_text('#downloads')}")


def walk_to_name_cards(page, url: str, files: dict[str, Path], out: Path, screenshots: bool = False) -> Path:
    """From an unseen roster with an unrecognised branch column and a photos zip to a downloaded name-card
    PDF, as a clerk clicks through the page."""
    from playwright.sync_api import expect

    page.goto(url)
    shot(page, "0-home", screenshots)
    page.click("text=① 名册")
    page.set_input_files("#roster-file", str(files["roster"]))
    page.click("#roster-upload")
    expect(page.locator("main")).to_contain_text("4 名党员")
    assert "未识别" in page.inner_text("tr.unknown")  # 支部信息 is not a header formgen knows
    page.select_option("select[data-column='支部信息']", "所属党支部")
    shot(page, "1-roster", screenshots)
    page.click("#columns-save")
    expect(page.locator(".fields")).to_contain_text("✓ 所属党支部")
    page.click("text=② 照片")
    page.set_input_files("#photos-file", str(files["photos"]))
    page.click("#photos-upload")
    thumbnails_arrived(page, 3)
    assert "张敏" in page.inner_text("#missing-list")
    assert "009999.jpg" in page.inner_text("#unused-list")
    shot(page, "2-photos", screenshots)
    page.click("text=③ 单位信息")
    page.fill("input[name=organisation]", "鄂尔多斯市示例能源有限责任公司")
    page.fill("input[name=short_name]", "示例能源")
    page.fill("input[name=qr_url_template]", "https://party.example.org/m/{{ 工号 }}")
    page.click("#org-save")
    shot(page, "3-org", screenshots)
    page.click("text=④ 版式")
    page.check("input[data-layout=name-card]")
    page.click("#layout-save")
    page.click("text=⑤ 检查")
    page.click("#check-start")
    page.wait_for_selector("#check-summary", timeout=120_000)
    table = page.inner_text("#problems")
    assert "张敏" in table and "没有找到照片" in table
    page.select_option("[data-filter-level]", "错误")
    assert page.locator("#problems tbody tr:visible").count() == 0  # no errors, only warnings
    page.select_option("[data-filter-level]", "")
    shot(page, "5-check", screenshots)
    page.click("text=⑥ 预览")
    page.click("#preview-start")
    page.wait_for_selector("img[data-page]:not([hidden])", timeout=120_000)
    page.wait_for_function("document.querySelector('img[data-page]').naturalWidth > 0")
    page.wait_for_function("document.querySelector('[data-page-label]').textContent.includes('共 4 页')",
                           timeout=120_000)
    page.click("[data-next]")
    page.wait_for_function("document.querySelector('[data-page-label]').textContent.startsWith('第 2 页')")
    page.reload()  # the clerk reloading is shown the page being read, not the first one again
    page.wait_for_function("document.querySelector('[data-page-label]').textContent.startsWith('第 2 页')")
    shot(page, "6-preview", screenshots)
    page.click("text=⑦ 生成")
    page.check("input[name=formats][value=pdf]")
    page.check("input[name=mode][value=one]")
    page.click("#generate-start")
    page.wait_for_selector("#downloads", timeout=300_000)
    assert "已生成 4 条" in page.inner_text("#generate-summary")
    shot(page, "7-generate", screenshots)
    with page.expect_download() as download:
        page.click("#downloads a >> nth=0")
    target = out / download.value.suggested_filename
    download.value.save_as(target)
    return target


def check_name_cards(pdf: Path) -> None:
    """The downloaded PDF: every member's name and branch in the text layer, a page each, the photos."""
    import pdfplumber

    pages = [text.replace(" ", "") for text in pdf_text(pdf)]
    assert len(pages) == len(MEMBERS)
    for (_, name, _, branch), text in zip(MEMBERS, pages):
        assert name in text and branch in text
    with pdfplumber.open(str(pdf)) as document:
        assert [len(page.images) for page in document.pages] == [1, 1, 1, 0]  # 张敏 has no photo


@contextlib.contextmanager
def flask_app(data_dir: Path):
    """The page's app in test mode and its test client; its worker stopped at the end (the job running
    finished, those waiting dropped), so that no job outlives the test."""
    from formgen.web.app import create_app

    app = create_app(data_dir)
    app.config["TESTING"] = True
    try:
        yield app, app.test_client()
    finally:
        app.extensions["formgen"].worker.stop()


def csrf(client, path: str = "/") -> str:
    """The form token of a page, as a browser would post it back (Flask's test client)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def finished(app, client, response) -> tuple[str, str]:
    """The job a form started, waited for (on the job, not on a clock): its page's text and its URL."""
    import time
    from html import unescape

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    url = response.headers["Location"]
    job = app.extensions["formgen"].worker.jobs[url.rsplit("/", 1)[-1]]
    while job.finished is None:
        time.sleep(0.02)
    return unescape(client.get(url).get_data(as_text=True)), url
