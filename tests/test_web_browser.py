"""The web page as a clerk uses it, in Debian's headless Chromium: one server for the module, started
and stopped here."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import pdf_text
from tests.webpage import MEMBERS, bad_zip, chromium, clerk_roster, need_browser, photos_zip, python_formgen, running_server

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "previews" / "web"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    with running_server(python_formgen(), tmp_path_factory.mktemp("web-data")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clerk-files")
    return {"roster": clerk_roster(folder / "党员名册.xlsx"), "photos": photos_zip(folder / "照片.zip", folder / "p"),
            "folder": folder}


def new_page(browser):
    # bypass_csp: Playwright's waiting functions evaluate text, which the page's own policy forbids.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900}, accept_downloads=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(120_000)  # two cores shared with other work: slow, never wrong
    return page


def shot(page, name: str, keep: bool) -> None:
    """The clerk's guide: each step's screenshot, written to docs/previews/web when asked for
    (FORMGEN_WEB_SCREENSHOTS=1)."""
    if keep:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def walk_to_name_cards(page, url: str, files: dict[str, Path], out: Path, screenshots: bool = False) -> Path:
    """From an unseen roster with an unrecognised branch column and a photos zip to a downloaded name-card
    PDF, as a clerk clicks through the page."""
    page.goto(url)
    shot(page, "0-home", screenshots)
    page.click("text=① 名册")
    page.set_input_files("#roster-file", str(files["roster"]))
    page.click("#roster-upload")
    assert "4 名党员" in page.inner_text("main")
    assert "未识别" in page.inner_text("tr.unknown")  # 支部信息 is not a header formgen knows
    page.select_option("select[data-column='支部信息']", "所属党支部")
    shot(page, "1-roster", screenshots)
    page.click("#columns-save")
    assert "✓ 所属党支部" in page.inner_text(".fields")
    page.click("text=② 照片")
    page.set_input_files("#photos-file", str(files["photos"]))
    page.click("#photos-upload")
    assert page.locator("#faces img").count() == 3
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
    if screenshots:  # the sample pictures are made once, in the worker
        page.wait_for_function("Array.from(document.querySelectorAll('img[data-retry]')).every(i => i.naturalWidth > 0)",
                               timeout=120_000)
    shot(page, "4-layout", screenshots)
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


def test_a_clerk_goes_from_roster_and_photos_to_name_cards(server, browser, files, tmp_path, request):
    page = new_page(browser)
    pdf = walk_to_name_cards(page, server, files, tmp_path, screenshots=bool(os.environ.get("FORMGEN_WEB_SCREENSHOTS")))
    assert pdf.name == "党员名片.pdf"
    check_name_cards(pdf)


def test_per_branch_documents_come_as_one_zip(server, browser, files, tmp_path):
    page = new_page(browser)
    page.goto(server)
    page.click("text=① 名册")
    page.set_input_files("#roster-file", str(files["roster"]))
    page.click("#roster-upload")
    page.select_option("select[data-column='支部信息']", "所属党支部")
    page.click("#columns-save")
    page.click("text=⑦ 生成")
    page.check("input[name=formats][value=both]")
    page.check("input[name=mode][value=by]")
    page.click("#generate-start")
    page.wait_for_selector("#downloads", timeout=300_000)
    with page.expect_download() as download:
        page.click("#downloads a >> nth=0")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert sorted(zipfile.ZipFile(target).namelist()) == [
        "机关第一党支部.docx", "机关第一党支部.pdf", "生产运营党支部.docx", "生产运营党支部.pdf"]


def test_awards_then_verify_a_certificate(server, browser, tmp_path, request):
    samples = Path(__file__).resolve().parent.parent / "samples"
    keep = bool(os.environ.get("FORMGEN_WEB_SCREENSHOTS"))
    page = new_page(browser)
    page.goto(server + "awards")
    page.set_input_files("#scores-file", str(samples / "scores.xlsx"))
    page.fill("input[name=quarter]", "2024Q3")
    page.click("#awards-dry")
    page.wait_for_selector("#decisions", timeout=120_000)
    decisions = page.inner_text("#decisions")
    assert "学习之星" in decisions and "劝学信" in decisions
    assert page.locator("#problems tbody tr").count() > 0  # the sample sheet's deliberate mistakes
    assert page.locator("#downloads").count() == 0  # a dry run issues nothing
    shot(page, "8-awards", keep)
    page.click("#awards-issue-now")
    page.wait_for_selector("#downloads", timeout=300_000)
    links = page.inner_text("#downloads")
    assert "荣誉证书" in links and "劝学信" in links and "评选结果" in links
    with page.expect_download() as download:
        page.click("#downloads a:has-text('荣誉证书')")
    certificate = tmp_path / "证书.pdf"
    download.value.save_as(certificate)
    assert "荣誉证书" in "".join(pdf_text(certificate)).replace(" ", "")

    page.click("text=验证证书")
    page.set_input_files("#certificate-file", str(certificate))
    page.click("#verify-start")
    page.wait_for_selector("#verdicts", timeout=120_000)
    verdicts = page.inner_text("#verdicts")
    assert verdicts.startswith("有效") and "证书编号" in verdicts
    shot(page, "9-verify", keep)

    forged = tmp_path / "假证书.png"
    import qrcode

    qrcode.make("https://party.example.org/v?s=SLN-2024-XX-0001&d=eA&g=eA").save(forged)
    page.click("text=验证证书")
    page.set_input_files("#certificate-file", str(forged))
    page.click("#verify-start")
    page.wait_for_selector("#verdicts", timeout=120_000)
    assert page.inner_text("#verdicts").startswith("无效")


def test_bad_uploads_get_a_chinese_message_and_nothing_else_breaks(server, browser, files, tmp_path):
    page = new_page(browser)
    page.goto(server + "roster")
    fake = tmp_path / "名册.xlsx"
    fake.write_text("这只是一段文字，不是名册。\n", encoding="utf-8")
    page.set_input_files("#roster-file", str(fake))
    page.click("#roster-upload")
    assert "不是真正的 Excel 工作簿" in page.inner_text(".flash.error")
    page.set_input_files("#roster-file", str(files["roster"]))
    page.click("#roster-upload")
    assert "4 名党员" in page.inner_text("main")

    page.goto(server + "photos")
    page.set_input_files("#photos-file", str(bad_zip(tmp_path / "坏.zip")))
    page.click("#photos-upload")
    assert "指向压缩包以外的位置" in page.inner_text(".flash.error")
    assert not (tmp_path.parent / "outside.jpg").exists()
    page.set_input_files("#photos-file", str(files["photos"]))
    page.click("#photos-upload")
    assert page.locator("#faces img").count() == 2  # no mapping in this session: names and 工号 still match


def test_two_clerks_at_once_get_their_own_outputs(server, browser, tmp_path):
    from openpyxl import Workbook

    pages = []
    for clerk, names in (("一", ["赵一", "钱一"]), ("二", ["孙二", "李二", "周二"])):
        workbook = Workbook()
        workbook.active.append(["姓名", "所属党支部"])
        for name in names:
            workbook.active.append([name, f"第{clerk}党支部"])
        workbook.save(tmp_path / f"{clerk}.xlsx")
        page = new_page(browser)
        page.goto(server + "roster")
        page.set_input_files("#roster-file", str(tmp_path / f"{clerk}.xlsx"))
        page.click("#roster-upload")
        page.goto(server + "layout")
        page.check("input[data-layout=survey]")
        page.click("#layout-save")
        page.goto(server + "generate")
        pages.append((page, names))
    for page, _ in pages:  # both asked for before either has finished
        page.click("#generate-start")
    job_urls = []
    for page, names in pages:
        page.wait_for_selector("#downloads", timeout=300_000)
        job_urls.append(page.url)
        with page.expect_download() as download:
            page.click("#downloads a >> nth=0")
        target = tmp_path / f"{names[0]}.pdf"
        download.value.save_as(target)
        text = "".join(pdf_text(target)).replace(" ", "")
        assert all(name in text for name in names)
        others = {"赵一", "钱一", "孙二", "李二", "周二"} - set(names)
        assert not any(name in text for name in others)
    # One clerk's job is not found from the other's session.
    first, _ = pages[0]
    response = first.goto(job_urls[1])
    assert response.status == 404 and "找不到" in first.inner_text("main")
