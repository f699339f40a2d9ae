"""What a clerk new to the page meets, without a browser (Flask's test client): the icon, the layouts in the
order they are printed most, the header drop-down with the chosen layout's fields first, the quarter in
Chinese, blank sheets to fill in, the awards' notices apart from the rows to correct, download links that
say what each file is for (the public key verifying a certificate on another computer), and a batch
refused for a profile's QR address that points to the profile, not to the roster."""
from __future__ import annotations

import io
import re
import urllib.parse
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formgen.web.app import create_app
from tests.webpage import clerk_roster, csrf, finished


def _app(folder: Path):
    app = create_app(folder)
    app.config["TESTING"] = True
    return app, app.test_client()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    app, client = _app(tmp_path_factory.mktemp("web") / "data")
    yield app, client
    app.extensions["formgen"].worker.stop()


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.get_data(as_text=True))


def _offered(text: str) -> dict[str, tuple[str, str]]:
    """The job page's downloads: file name → (the link's words, the line under it)."""
    found = re.findall(r'<li><a class="button" href="[^"]+/files/\d+" download="([^"]+)">([^<]*)</a>'
                       r'(?:\s*<span class="note">([^<]*)</span>)?</li>', text)
    return {name: (label, note) for name, label, note in found}


def _upload_roster(client, path: Path) -> str:
    response = client.post("/roster", data={"csrf_token": csrf(client, "/roster"),
                                            "roster": (io.BytesIO(path.read_bytes()), path.name)},
                           follow_redirects=True)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_the_icon_is_served_and_linked_from_every_page(page):
    from PIL import Image

    app, client = page
    for path in ("/favicon.ico", re.search(r'<link rel="icon" href="([^"]+)"', _text(client, "/awards")).group(1)):
        with client.get(path) as response:
            assert response.status_code == 200, path
            data = response.data
        with Image.open(io.BytesIO(data)) as icon:
            assert icon.format == "ICO" and (16, 16) in icon.info["sizes"]
        assert len(data) < 4096


def test_the_layouts_come_in_the_order_clerks_print_them(page):
    app, client = page
    text = _text(client, "/layout")
    names = re.findall(r'data-layout="([^"]+)"', text)
    assert names[:6] == ["name-card", "name-card-badge", "pledge-card", "survey", "monthly-summary", "certificate"]
    bilingual = [name for name in names if name.endswith("-mn")]
    assert names[6:6 + len(bilingual)] == bilingual and bilingual[0] == "name-card-mn"
    assert "quarterly-standards" in names[6 + len(bilingual):]


def test_the_header_drop_down_offers_the_layouts_fields_first_and_the_hint_names_it(page, tmp_path):
    from formgen.input.layouts import builtin_layouts, load_layout
    from formgen.web.forms import mappable_fields

    app, client = page
    text = _upload_roster(client, clerk_roster(tmp_path / "名册.xlsx"))
    select = re.search(r'<select name="map-支部信息".*?</select>', text, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    options = {label: re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', body) for label, body in groups}
    first_label, first = groups[0][0], options[groups[0][0]]
    card = load_layout("name-card")
    assert first_label == "「党员名片」要用的"
    assert first[0] == ("姓名", "姓名（必填）")  # the required field first
    assert [value for value, _ in first] == ["姓名"] + [f for f in card.fields() if f != "姓名"]
    assert [label for label, _ in groups][1] == "名册中常见的"
    offered = [value for body in options.values() for value, _ in body]
    assert sorted(offered) == sorted(mappable_fields(builtin_layouts()))  # every field, once
    assert "是的话请把表头改成“所属党支部”，或在上表“支部信息”的右边选“所属党支部”" in text

    text, _ = finished(app, client, client.post("/check", data={"csrf_token": csrf(client, "/check")}))
    assert "或在「① 名册」页“支部信息”的右边选“所属党支部”" in text


def test_quarters_are_shown_and_read_in_chinese(page):
    from formgen.web.flows import recent_quarters

    app, client = page
    for path in ("/awards", "/branch-review"):
        text = _text(client, path)
        field = re.search(r'<input type="text" name="quarter"[^>]*>', text).group(0)
        assert f'value="{recent_quarters()[1].label}"' in field and "Q" not in field
        assert re.findall(r'<option value="([^"]+)">', text)[:2] == [q.label for q in recent_quarters()[:2]]


def test_blank_sheets_to_fill_in_and_the_awards_notices_apart_from_rows_to_correct(page, tmp_path):
    app, client = page
    for path, kind, name in (("/awards", "scores", "成绩表.xlsx"), ("/tally", "answers", "答卷.xlsx")):
        assert f'href="/templates/{kind}.xlsx"' in _text(client, path)
        with client.get(f"/templates/{kind}.xlsx") as response:
            assert response.status_code == 200
            assert urllib.parse.quote(name) in response.headers["Content-Disposition"]
            (tmp_path / name).write_bytes(response.data)
    answers = load_workbook(tmp_path / "答卷.xlsx").active
    assert [c.value for c in answers[1]][:3] == ["工号", "姓名", "季度"] and answers.max_column > 3

    # the blank score sheet, filled in as a clerk would, with a row to correct and the statistics under it
    workbook = load_workbook(tmp_path / "成绩表.xlsx")
    sheet = workbook["成绩"]
    assert [c.value for c in sheet[1]] == ["工号", "姓名", "所属党支部", "季度", "政治理论", "业务知识", "总分"]
    for row in (["000101", "王喆", "机关第一党支部", "2024年第三季度", 45, 48, 93],
                ["000102", "李堃", "机关第一党支部", "2024年第三季度", 20, 25, 45],
                ["000103", "刘䶮", "机关第一党支部", "2024年第三季度", "缺考", 30, None],
                [None, "平均分", None, None, 32.5, 36.5, 69]):
        sheet.append(row)
    filled = tmp_path / "三季度成绩.xlsx"
    workbook.save(filled)
    text, _ = finished(app, client, client.post("/awards", data={
        "csrf_token": csrf(client, "/awards"), "scores": (io.BytesIO(filled.read_bytes()), filled.name),
        "quarter": "2024年第三季度", "action": "dry"}))
    assert "评选结果：2024年第三季度" in text and "学习之星" in text and "劝学信" in text
    errors = re.search(r"<h2>没有参加评选的行（请改正成绩表后重新评选）</h2>(.*?)</table>", text, re.S).group(1)
    notices = re.search(r"<h2>提示（不用改也能评选，看一眼即可）</h2>(.*?)</ul>", text, re.S).group(1)
    assert "刘䶮" in errors and "平均分" not in errors
    assert "平均分" in notices and "是合计行或表尾" in notices and "刘䶮" not in notices


def test_download_links_say_what_each_file_is_for_and_the_key_verifies_on_another_computer(page, tmp_path):
    from formgen.resources import SAMPLES_DIR

    app, client = page
    scores = SAMPLES_DIR / "scores.xlsx"
    text, url = finished(app, client, client.post("/awards", data={
        "csrf_token": csrf(client, "/awards"), "scores": (io.BytesIO(scores.read_bytes()), scores.name),
        "quarter": "2024年第三季度", "action": "issue", "formats": "both"}))
    offered = _offered(text)
    assert offered["荣誉证书.pdf"][0] == "荣誉证书.pdf（打印用）"
    assert offered["荣誉证书.docx"][0] == "荣誉证书.docx（可编辑）"
    assert offered["评选结果.xlsx"][0] == "评选结果.xlsx"
    label, note = offered["验证公钥.pem"]
    assert label == "验证公钥.pem" and "另一台电脑" in note and "--key 验证公钥.pem" in note and "验证证书" in note
    assert all(note == "" for name, (_, note) in offered.items() if name != "验证公钥.pem")
    assert not any(re.search(r"（[^）]*（", label) for label, _ in offered.values())  # no brackets in brackets
    links = dict(re.findall(r'href="([^"]+/files/\d+)" download="([^"]+)"', text))
    files = {}
    for href, name in links.items():
        with client.get(href) as response:
            files[name] = response.data

    other_app, other = _app(tmp_path / "另一台电脑")  # a data folder with no key of its own
    try:
        def verify(*key):
            data = {"csrf_token": csrf(other, "/verify"), "certificate": (io.BytesIO(files["荣誉证书.pdf"]), "证书.pdf")}
            if key:
                data["key"] = (io.BytesIO(key[0]), key[1])
            return finished(other_app, other, other.post("/verify", data=data))[0]

        def verdicts(text):
            return re.findall(r"<li class=\"\w+\"><strong>[^<]+</strong>：([^<]+)</li>", text)

        alone = verdicts(verify())  # this computer has no key: the signature cannot be checked
        assert alone and all("无法验证" in v and "签名有效" not in v for v in alone)
        with_key = verdicts(verify(files["验证公钥.pem"], "验证公钥.pem"))
        assert len(with_key) == len(alone) and all("签名有效" in v for v in with_key)
        assert "不是证书验证公钥文件" in verify(b"not a key", "公钥.pem")
    finally:
        other_app.extensions["formgen"].worker.stop()


def _refused_roster(path: Path) -> Path:
    """A roster whose 工号 column is left empty for everyone: no member's QR code can be told apart."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["工号", "姓名"])
    for name in ("王喆", "李堃"):
        workbook.active.append([None, name])
    workbook.save(path)
    return path


def _fixes(text: str) -> list[tuple[str, str]]:
    """The links of the page's "where to put it right" list: (address, words)."""
    box = re.search(r'<ul class="fixes" id="fixes">(.*?)</ul>', text, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', box.group(1)) if box else []


def test_a_qr_code_the_same_for_everyone_points_to_the_profile_or_option_it_comes_from(page, tmp_path):
    app, client = page
    _upload_roster(client, clerk_roster(tmp_path / "名册.xlsx"))
    client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "name-card", "option-qr": ""})

    def profile(qr: str) -> None:
        client.post("/org", data={"csrf_token": csrf(client, "/org"), "organisation": "示例能源",
                                  "qr_url_template": qr})

    def check() -> str:
        return finished(app, client, client.post("/check", data={"csrf_token": csrf(client, "/check")}))[0]

    def generate() -> str:
        return finished(app, client, client.post("/generate", data={
            "csrf_token": csrf(client, "/generate"), "formats": "pdf", "mode": "one"}))[0]

    profile("https://x/m/")  # no field at all: the same address on every card
    text = check()
    assert "二维码对每个人都一样（https://x/m/）" in text
    assert _fixes(text) == [("/org#org-qr_url_template", "③ 单位信息")] and "「名片二维码内容」" in text
    assert "改好名册后重新上传" not in text
    text = generate()
    assert 'id="job-failed"' in text and 'id="downloads"' not in text
    assert _fixes(text) == [("/org#org-qr_url_template", "③ 单位信息")]
    assert 'id="org-qr_url_template"' in _text(client, "/org")  # where the link lands

    profile("https://x/m/{{ 工号 }}")  # the profile is right now; the layout's own option overrides it
    client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "name-card",
                                 "option-qr": "https://x/m/"})
    text = check()
    assert _fixes(text) == [("/layout#option-name-card-qr", "④ 版式")] and "「二维码内容」" in text
    assert 'id="option-name-card-qr"' in _text(client, "/layout")

    client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "name-card", "option-qr": ""})
    _upload_roster(client, _refused_roster(tmp_path / "没有工号的名册.xlsx"))  # now the roster is the cause
    text = check()
    assert _fixes(text) == [] and "改好名册后重新上传" in text
    assert _fixes(generate()) == [("/roster", "① 名册")]


def test_a_profile_template_naming_a_missing_field_points_to_the_profile(page, tmp_path):
    """The profile's QR address names a column the roster lacks ({员工号}): every card fails, and the page
    sends the clerk to that entry of ③ 单位信息, not to the roster."""
    app, client = page
    _upload_roster(client, clerk_roster(tmp_path / "名册.xlsx"))
    client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "name-card", "option-qr": ""})
    client.post("/org", data={"csrf_token": csrf(client, "/org"), "organisation": "示例能源",
                              "qr_url_template": "https://x/m/{员工号}"})
    text = finished(app, client, client.post("/check", data={"csrf_token": csrf(client, "/check")}))[0]
    assert "单位信息中 qr_url_template 的模板" in unescape(text) and "没有字段“员工号”" in unescape(text)
    assert _fixes(text) == [("/org#org-qr_url_template", "③ 单位信息")]
    assert "改好名册后重新上传" not in text


def test_the_roster_page_says_when_today_prints_in_place_of_an_absent_column(tmp_path):
    """① lists the chosen layout's columns: one absent is left empty, or today prints in its place (the
    survey's 季度), as the command line says it."""
    from tests.webpage import flask_app

    roster = tmp_path / "名册.csv"
    roster.write_text("姓名,工号\n王喆,000101\n", encoding="utf-8")
    with flask_app(tmp_path / "data") as (app, client):
        _upload_roster(client, roster)
        client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "survey"})
        said = dict(re.findall(r"✗ (\S+?)\s*<span class=\"muted\">([^<]*)", _text(client, "/roster")))
        assert said["季度"] == "名册中没有，这一项按今天印"
        assert said["所属党支部"] == "名册中没有，这一项将留空"
        # with the quarter chosen at ④, the survey does not read 季度 at all
        client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "survey",
                                     "option-quarter": "2024Q3"})
        said = dict(re.findall(r"✗ (\S+?)\s*<span class=\"muted\">([^<]*)", _text(client, "/roster")))
        assert "季度" not in said and said["所属党支部"] == "名册中没有，这一项将留空"
