"""The page's flows for the rest of the paperwork, without a browser: certificates from the sample list of
nominations (checked first, then issued, and their QR codes verify), the branch review, the month's
political birthdays from the uploaded roster, and sticker sheets — each job's page and downloads read back."""
from __future__ import annotations

import io
import re

import pytest

from formgen.campaign.verify import VALID, verify_source
from formgen.resources import SAMPLES_DIR
from tests.webpage import csrf, finished, flask_app

from .conftest import pdf_text


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with flask_app(tmp_path_factory.mktemp("web") / "data") as pair:
        yield pair


def _offered(text: str) -> dict[str, str]:
    """The job page's downloads: file name → the label the link shows."""
    links = re.findall(r'href="[^"]+/files/\d+"[^>]*download="([^"]+)">([^<]*)</a>', text)
    return {name: label.strip() for name, label in links}


def _download(client, url: str, text: str, name: str) -> bytes:
    links = re.findall(r'href="([^"]+/files/\d+)"[^>]*download="([^"]+)"', text)
    found = [href for href, shown in links if shown == name]
    assert found, (name, links)
    with client.get(found[0]) as response:
        assert response.status_code == 200
        return response.data


def _sheet(name: str):
    return (io.BytesIO((SAMPLES_DIR / name).read_bytes()), name)


def test_certify_checks_the_list_then_issues_certificates_that_verify(page, tmp_path):
    app, client = page
    text, checked = finished(app, client, client.post("/certify", data={
        "csrf_token": csrf(client, "/certify"), "nominations": _sheet("nominations.xlsx"), "action": "check"}))
    assert "乌兰巴特尔" in text and "1号机组A级检修项目" in text and "（生成时登记）" in text
    assert "“优秀党员”不是可以发证的奖项" in text and "certify-issue-now" in text
    text, url = finished(app, client, client.post("/certify", data={  # the confirm button: the list checked
        "csrf_token": csrf(client, "/certify"), "reuse": checked.rsplit("/", 1)[-1], "action": "issue",
        "formats": "pdf"}))
    assert re.search(r"FG-\d{4}-CX-0001", text)
    assert _offered(text) == {"证书清单.xlsx": "证书清单.xlsx", "荣誉证书.pdf": "荣誉证书.pdf（打印用）"}
    certificates = tmp_path / "荣誉证书.pdf"
    certificates.write_bytes(_download(client, url, text, "荣誉证书.pdf"))
    assert len(pdf_text(certificates)) == 5
    data_dir = app.extensions["formgen"].org.org()["data_dir"]
    assert [v.status for v in verify_source(str(certificates), data_dir)] == [VALID] * 5


def test_branch_review_ranks_and_offers_the_report_forms_and_notices(page, tmp_path):
    app, client = page
    text, url = finished(app, client, client.post("/branch-review", data={
        "csrf_token": csrf(client, "/branch-review"), "branch_scores": _sheet("branch-scores.xlsx"),
        "quarter": "2024Q3", "place": "党委会议室", "formats": "pdf"}))
    assert "共 6 个党支部参加考核" in text and "生产运营党支部" in text and "建议评为五星党支部" in text
    assert "“燃料供应党支部”在2024年第三季度出现2次" in text
    assert _offered(text) == {"支部考核结果.xlsx": "支部考核结果.xlsx", "支部考核情况.pdf": "支部考核情况.pdf（打印用）",
                              "支部季度工作清单.pdf": "支部季度工作清单.pdf（打印用）",
                              "约谈通知.pdf": "约谈通知.pdf（打印用）"}
    notices = tmp_path / "约谈通知.pdf"
    notices.write_bytes(_download(client, url, text, "约谈通知.pdf"))
    assert "到党委会议室" in re.sub(r"\s+", "", "".join(pdf_text(notices)))


def test_birthdays_and_stickers_from_the_uploaded_roster(page, tmp_path):
    app, client = page
    response = client.post("/roster", data={"csrf_token": csrf(client, "/roster"), "roster": _sheet("roster.xlsx")},
                           follow_redirects=True)
    assert response.status_code == 200
    text, url = finished(app, client, client.post("/birthdays", data={
        "csrf_token": csrf(client, "/birthdays"), "month": "2024-10", "formats": "pdf"}))
    assert "2024年10月过政治生日的党员共 6 名" in text and "刘䶮" in text and "30 周年 逢十" in text
    assert "“不详”不是可以读取的入党日期" in text
    assert _offered(text) == {"政治生日名单.xlsx": "政治生日名单.xlsx", "政治生日贺卡.pdf": "政治生日贺卡.pdf（打印用）"}
    cards = tmp_path / "贺卡.pdf"
    cards.write_bytes(_download(client, url, text, "政治生日贺卡.pdf"))
    assert len(pdf_text(cards)) == 3
    text, url = finished(app, client, client.post("/stickers", data={
        "csrf_token": csrf(client, "/stickers"), "design": "round", "size": "large", "mode": "branch",
        "count": "3", "formats": "pdf"}))
    assert "共 15 个标志" in text and "只印文字" in text
    assert _offered(text) == {"圆形安全帽标志.pdf": "圆形安全帽标志.pdf（打印用）"}
    stickers = tmp_path / "标志.pdf"
    stickers.write_bytes(_download(client, url, text, "圆形安全帽标志.pdf"))  # named by the design asked for
    assert re.sub(r"\s+", "", "".join(pdf_text(stickers))).count("共产党员") == 15


def test_the_profile_greeting_is_printed_on_the_birthday_cards(page, tmp_path):
    app, client = page
    client.post("/roster", data={"csrf_token": csrf(client, "/roster"), "roster": _sheet("roster.xlsx")})
    values = {key: "" for key in ("organisation", "committee", "short_name")}
    client.post("/org", data={"csrf_token": csrf(client, "/org"), **values,
                              "birthday_greeting": "{{ 姓名 }}同志入党{{ 入党年数 }}年，支部全体党员祝贺你！"})
    text, url = finished(app, client, client.post("/birthdays", data={
        "csrf_token": csrf(client, "/birthdays"), "month": "2024-10", "formats": "pdf"}))
    cards = tmp_path / "贺卡.pdf"
    cards.write_bytes(_download(client, url, text, "政治生日贺卡.pdf"))
    assert "刘䶮同志入党30年，支部全体党员祝贺你！" in re.sub(r"\s+", "", "".join(pdf_text(cards)))


def test_a_layout_made_on_its_own_page_is_not_chosen_for_the_roster(page):
    app, client = page
    response = client.post("/layout", data={"csrf_token": csrf(client, "/layout"), "layout": "political-birthday"},
                           follow_redirects=True)
    assert "“政治生日贺卡”不从名册生成，请到“政治生日”页生成" in response.get_data(as_text=True)
    assert 'value="political-birthday"' not in client.get("/layout").get_data(as_text=True)


def test_every_layout_offered_for_the_roster_has_a_sample_that_fills_it():
    """A layout added later is either filled by the sample it is shown with, or made on a page of its own
    (catalogue.MADE_ON): never a card whose sample picture cannot be made."""
    from formgen.api import Job, compose, load_records
    from formgen.input.layouts import builtin_layouts
    from formgen.input.org import load_org
    from formgen.web import catalogue

    layouts = {layout.name: layout for layout in builtin_layouts()}
    assert set(catalogue.MADE_ON) <= set(layouts)
    org = load_org(SAMPLES_DIR / "org.yaml")
    for name, layout in catalogue.from_roster(layouts).items():
        roster, options = catalogue.sample_of(layout)
        first = load_records(roster, SAMPLES_DIR / "photos").records[:1]
        report = compose(Job(layout, org=org, options=options), first).report
        assert not report.failed, (name, roster.name, [str(p) for p in report.failed])
