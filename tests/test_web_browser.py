"""The web page as a clerk uses it, in Debian's headless Chromium: one server for the module, started
and stopped here."""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import pdf_text
from tests.webpage import (bad_zip, check_name_cards, chromium, clerk_roster, need_browser, new_page, photos_zip,
                           python_formgen, running_server, shot, thumbnails_arrived, walk_to_name_cards)

expect = pytest.importorskip("playwright.sync_api").expect


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


def test_a_clerk_goes_from_roster_and_photos_to_name_cards(server, browser, files, tmp_path, request):
    page = new_page(browser)
    pdf = walk_to_name_cards(page, server, files, tmp_path, screenshots=bool(os.environ.get("FORMGEN_WEB_SCREENSHOTS")))
    assert pdf.name == "党员名片.pdf"
    check_name_cards(pdf)


def test_the_layout_list_offers_what_prints_from_a_roster_and_points_to_the_pages_for_the_rest(server, browser):
    from formgen.input.layouts import builtin_layouts
    from formgen.web import catalogue

    layouts = {layout.name: layout for layout in builtin_layouts()}
    page = new_page(browser)
    page.goto(server + "layout")
    # every sample picture arrives, or the page gives up on one (which the next line reports)
    page.wait_for_function("document.querySelector('.nosample') || Array.from(document.querySelectorAll("
                           "'img[data-retry]')).every(i => i.complete && i.naturalWidth > 0)", timeout=300_000)
    assert page.locator("#layout-cards .nosample").all_inner_texts() == []
    offered = page.locator("[data-layout]").evaluate_all("all => all.map(i => i.value)")
    assert set(offered) == set(layouts) - set(catalogue.MADE_ON) and offered[0] == "name-card"
    cards = page.inner_text("#layout-cards")
    assert "--" not in cards and "formgen" not in cards and not re.search(r"[A-Za-z]+_[a-z]+", cards), cards
    assert "按名单发证" in page.inner_text(".layout-card:has([data-layout=certificate])")
    labels = page.locator("fieldset.options label").evaluate_all("all => all.map(l => l.textContent.trim())")
    assert labels and all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels
    elsewhere = page.inner_text("#elsewhere")
    for name in catalogue.MADE_ON:
        assert layouts[name].spec.title in elsewhere
    shot(page, "4-layout", bool(os.environ.get("FORMGEN_WEB_SCREENSHOTS")))
    page.click("#elsewhere a:has-text('支部考核')")
    expect(page.locator("h1")).to_have_text("党支部季度考核")


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
    assert "名册.xlsx：不是 Excel 工作簿" in page.inner_text(".flash.error")
    page.set_input_files("#roster-file", str(files["roster"]))
    page.click("#roster-upload")
    expect(page.locator("main")).to_contain_text("4 名党员")

    page.goto(server + "photos")
    page.set_input_files("#photos-file", str(bad_zip(tmp_path / "坏.zip")))
    page.click("#photos-upload")
    assert "指向压缩包以外的位置" in page.inner_text(".flash.error")
    assert not (tmp_path.parent / "outside.jpg").exists()
    page.set_input_files("#photos-file", str(files["photos"]))
    page.click("#photos-upload")
    thumbnails_arrived(page, 3)  # the bad zip changed nothing; the good one is used


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


def test_survey_tally(server, browser):
    samples = Path(__file__).resolve().parent.parent / "samples"
    page = new_page(browser)
    page.goto(server + "tally")
    page.set_input_files("#responses-file", str(samples / "survey-responses.xlsx"))
    page.fill("#tally-place", "党委会议室")
    page.click("#tally-start")
    page.wait_for_selector("#downloads", timeout=300_000)
    assert page.inner_text("#commend") != "无" and page.inner_text("#talk") != "无"
    talked = page.inner_text("#talk").count("、") + 1
    assert f"为约谈名单中的 {talked} 名党员生成约谈通知" in page.inner_text("#notices")
    links = page.inner_text("#downloads")
    assert "问卷统计.xlsx" in links and "问卷统计.pdf（打印用）" in links and "约谈通知.pdf" in links
    assert page.locator("#problems tbody tr").count() > 0  # the sample answers' deliberate mistakes
