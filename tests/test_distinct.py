"""A member's own value (the QR code of a name card) that holds nothing of the member, or comes out the
same for everyone, stops the batch or fails that member before anything is printed; a caption is drawn
only with what it captions."""
from __future__ import annotations

import re

import pytest

from formgen.api import Job, check, compose, load_records, render
from formgen.cli.main import main
from formgen.input.layouts import LayoutError, parse_layout
from formgen.input.org import load_org
from formgen.problems import BatchRefused

from .conftest import decode_qr, pdf_text, render_page

QR_BY_ID = {**load_org(None), "qr_url_template": "https://party.example.org/m/{{ 工号 }}", "organisation": "示例能源"}
NO_IDS = [{"姓名": "乌兰巴特尔", "所属党支部": "生产运营党支部"}, {"姓名": "其木格", "所属党支部": "生产运营党支部"},
          {"姓名": "额尔敦", "所属党支部": "机关第一党支部"}]


@pytest.mark.parametrize("layout", ["name-card", "name-card-badge"])
def test_a_qr_template_naming_a_column_the_roster_lacks_stops_the_batch(tmp_path, layout):
    out = tmp_path / "cards.pdf"
    with pytest.raises(BatchRefused) as refused:
        render(Job(layout, org=QR_BY_ID), NO_IDS, out)
    (problem,) = refused.value.problems
    assert problem.column == "工号" and problem.row is None
    assert "二维码要用到「工号」，但名册中没有「工号」列" in problem.message
    assert "都会一样（https://party.example.org/m/）" in problem.message
    assert not out.exists()
    # check says the same, as an error, and goes on checking the rest
    report = check(Job(layout, org=QR_BY_ID), NO_IDS)
    assert [p.message for p in report.failed] == [problem.message]


def test_the_command_line_writes_nothing_and_exits_2(tmp_path, capsys):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,所属党支部\n乌兰巴特尔,生产运营党支部\n其木格,生产运营党支部\n", encoding="utf-8")
    org = tmp_path / "单位.yaml"
    org.write_text('qr_url_template: "https://party.example.org/m/{{ 工号 }}"\n', encoding="utf-8")
    out = tmp_path / "名片.pdf"
    assert main(["render", "名片", str(path), "--org", str(org), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "名册中没有「工号」列" in err and "没有生成任何文件" in err and not out.exists()
    assert main(["check", "名片", str(path), "--org", str(org)]) == 1
    assert "名册中没有「工号」列" in capsys.readouterr().out


def test_a_member_whose_value_is_empty_fails_and_the_others_get_their_own(tmp_path):
    rows = [{"工号": "000101", "姓名": "乌兰巴特尔"}, {"姓名": "其木格"}, {"工号": "000103", "姓名": "额尔敦"}]
    out = tmp_path / "badges.pdf"
    report = render(Job("name-card-badge", org=QR_BY_ID), rows, out)
    assert report.rendered == 2
    (failed,) = report.failed
    assert (failed.row, failed.who, failed.column) == (2, "其木格", "工号")
    assert "没有填写，党员名片（胸卡）上的二维码要用到它" in failed.message
    assert sorted(decode_qr(render_page(out, 0, dpi=300))) == ["https://party.example.org/m/000101",
                                                               "https://party.example.org/m/000103"]


@pytest.mark.parametrize("rows, options, said", [
    (NO_IDS, {"qr": "https://party.example.org/"}, "对每个人都一样（https://party.example.org/），不随人变化"),
    ([{"工号": "1", "姓名": "甲"}, {"工号": "1", "姓名": "乙"}], {}, "对每个人都一样（https://party.example.org/m/1）"),
])
def test_a_value_the_same_for_everyone_stops_the_batch(rows, options, said):
    with pytest.raises(BatchRefused) as refused:
        compose(Job("name-card", org=QR_BY_ID, options=options), rows)
    assert said in refused.value.problems[0].message


@pytest.mark.parametrize("org, options, origin", [
    ({**QR_BY_ID, "qr_url_template": "https://party.example.org/m/"}, {}, "org:qr_url_template"),
    (QR_BY_ID, {"qr": "https://party.example.org/m/"}, "options:qr"),  # the option overrides the profile
    (QR_BY_ID, {}, ""),  # made of 工号, which the roster lacks: the roster is put right, not the profile
])
def test_a_refused_value_says_which_profile_entry_or_option_it_comes_from(org, options, origin):
    with pytest.raises(BatchRefused) as refused:
        compose(Job("name-card", org=org, options=options), NO_IDS)
    assert [problem.origin for problem in refused.value.problems] == [origin]


def test_a_qr_made_of_another_column_through_the_profile_is_followed(tmp_path):
    org = {**load_org(None), "qr_url_template": "https://party.example.org/m/{{ 所属党支部 }}/{{ 姓名 }}"}
    composition = compose(Job("name-card", org=org), NO_IDS)
    assert composition.report.failed == []
    codes = [item.content for page in composition.document.pages for item in page.items
             if getattr(item, "name", None) == "qr"]
    assert len(set(codes)) == 3 and codes[0].endswith("/乌兰巴特尔")


def test_no_qr_configured_is_no_error_and_prints_no_caption(tmp_path):
    out = tmp_path / "cards.pdf"
    report = render(Job("name-card"), NO_IDS[:1], out)  # no profile: no QR template
    assert report.failed == []
    assert "扫码了解我" not in re.sub(r"\s+", "", pdf_text(out)[0])
    with_qr = tmp_path / "with.pdf"
    render(Job("name-card", org=QR_BY_ID), [{"工号": "000101", "姓名": "乌兰巴特尔"}], with_qr)
    assert "扫码了解我" in re.sub(r"\s+", "", pdf_text(with_qr)[0])


def test_a_certificate_without_a_verification_code_says_nothing_of_scanning(tmp_path):
    out = tmp_path / "c.pdf"
    render(Job("certificate"), [{"姓名": "王喆", "奖项": "先进个人", "事由": "在2024年度工作中表现突出。"}], out)
    text = re.sub(r"\s+", "", pdf_text(out)[0])
    assert "王喆同志" in text and "扫码验证" not in text


def test_only_with_names_an_element_drawn_before_it(tmp_path):
    base = {"name": "t", "title": "t"}
    good = parse_layout({**base, "elements": [
        {"kind": "qr", "name": "code", "box": [0, 0, 20, 20], "content": "{{ 工号 }}", "optional": True},
        {"kind": "text", "only_with": "code", "box": [0, 20, 20, 5], "text": "扫码"}]}, tmp_path / "t.yaml")
    drawn = compose(Job(good), [{"工号": "1", "姓名": "甲"}, {"工号": "", "姓名": "乙"}]).document.pages
    assert [[type(i).__name__ for i in page.items] for page in drawn] == [["Matrix", "Text"], []]
    with pytest.raises(LayoutError, match="之前没有名为 'code' 的元素"):
        parse_layout({**base, "elements": [{"kind": "text", "only_with": "code", "box": [0, 0, 9, 9], "text": "x"}]},
                     tmp_path / "t.yaml")
    with pytest.raises(LayoutError, match="distinct：rect 元素没有自己的取值"):
        parse_layout({**base, "elements": [{"kind": "rect", "distinct": True, "box": [0, 0, 9, 9]}]},
                     tmp_path / "t.yaml")


def test_a_text_marked_distinct_is_held_to_it_too(tmp_path):
    layout = parse_layout({"name": "t", "title": "工作证", "elements": [
        {"kind": "text", "name": "number", "distinct": True, "box": [0, 0, 40, 9], "text": "编号 {{ 工号 }}"}]},
        tmp_path / "t.yaml")
    with pytest.raises(BatchRefused, match="工作证上的文字要用到「工号」，但名册中没有「工号」列"):
        compose(Job(layout), load_records(NO_IDS))
