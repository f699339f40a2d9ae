"""Every built-in layout: it loads, renders each record, and says what it should where it should."""
from __future__ import annotations

import re

import pdfplumber
import pytest

from formgen.input.layouts import (
    LayoutError,
    builtin_layouts,
    load_layout,
    parse_layout,
)
from formgen.input.org import load_org
from formgen.units import mm

from .conftest import (
    RARE_NAMES,
    decode_qr,
    pdf_chars,
    pdf_text,
    render_page,
    render_records,
)

LAYOUTS = ["name-card", "name-card-badge", "pledge-card", "survey", "monthly-summary"]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_builtin_layouts_load():
    names = {layout.name for layout in builtin_layouts()}
    assert set(LAYOUTS) <= names


@pytest.mark.parametrize("name", LAYOUTS)
def test_each_layout_prints_every_name(tmp_path, roster, photos, org, name):
    out = tmp_path / f"{name}.pdf"
    report = render_records(name, roster, out, org=load_org(org), photos=photos, options={"quarter": "2024Q3"})
    assert report.failed == [] and report.rendered == len(RARE_NAMES)
    text = flat("".join(pdf_text(out)))
    for member in RARE_NAMES:
        assert member in text, (name, member)
    with pdfplumber.open(str(out)) as pdf:
        for page in pdf.pages:
            assert abs(page.width - mm(210)) < mm(0.5) and abs(page.height - mm(297)) < mm(0.5)


def test_badge_puts_ten_cards_on_a_sheet_with_crop_marks(tmp_path, photos, org):
    rows = [{"工号": f"{i:06d}", "姓名": f"党员{i}", "所属党支部": "一支部"} for i in range(12)]
    out = tmp_path / "badges.pdf"
    render_records("name-card-badge", rows, out, org=load_org(org), photos=photos)
    pages = pdf_text(out)
    assert len(pages) == 2
    assert flat(pages[0]).count("党员名片") == 10 and flat(pages[1]).count("党员名片") == 2
    codes = decode_qr(render_page(out, 0, dpi=300))
    assert sorted(codes) == sorted(f"https://party.example.org/m/{i:06d}" for i in range(10))
    with pdfplumber.open(str(out)) as pdf:
        lines = pdf.pages[0].lines
        short = [l for l in lines if abs(l["x1"] - l["x0"]) + abs(l["bottom"] - l["top"]) < mm(5)]
        assert len(short) >= 12  # marks at every cut, outside the grid


def test_name_card_back_can_copy_the_front(tmp_path, roster, photos, org):
    out = tmp_path / "copy.pdf"
    render_records("name-card", roster, out, org=load_org(org), photos=photos, options={"back": "copy"})
    text = flat(pdf_text(out)[0])
    # upside-down text extracts right to left
    assert text.count("王喆") == 1 and text.count("喆王") == 1 and "我承诺" not in text
    codes = decode_qr(render_page(out, 0, dpi=200))
    assert codes.count("https://party.example.org/m/000101") == 2


def test_pledge_card_empty_commitments_become_ruled_lines(tmp_path, org):
    rows = [{"姓名": "王喆", "单位": "综合办公室", "党员义务": "按时交纳党费。", "工作目标": ""}]
    out = tmp_path / "p.pdf"
    render_records("pledge-card", rows, out, org=load_org(org))
    text = flat(pdf_text(out)[0])
    assert "我是综合办公室党员，我承诺：" in text
    assert "按时交纳党费。" in text
    with pdfplumber.open(str(out)) as pdf:
        rules = [l for l in pdf.pages[0].lines if abs(l["top"] - l["bottom"]) < 0.1 and l["x1"] - l["x0"] > mm(150)]
    assert len(rules) == 4 * 3  # four empty commitments, three lines each


def test_long_pledge_shrinks_and_stays_on_one_page(tmp_path, org):
    pledge = "严格执行操作规程，确保设备安全稳定运行。"
    rows = [{"姓名": "王喆", "岗位职责": pledge * 12, "工作目标": pledge}]
    out = tmp_path / "p.pdf"
    report = render_records("pledge-card", rows, out, org=load_org(org))
    assert len(pdf_text(out)) == 1
    assert not any("仍放不下" in p.message for p in report.warnings)
    sizes = {}
    for char in pdf_chars(out):
        if char["text"] == "确":
            sizes.setdefault(round(char["size"], 1), 0)
            sizes[round(char["size"], 1)] += 1
    assert sizes[13.0] == 1 and min(sizes) < 13  # the long one shrank, the short one did not
    rows[0]["岗位职责"] = pledge * 60
    report = render_records("pledge-card", rows, tmp_path / "q.pdf", org=load_org(org))
    assert len(pdf_text(tmp_path / "q.pdf")) == 1
    assert any("仍放不下" in p.message and p.column == "岗位职责" for p in report.warnings)


def test_monthly_summary_table_merges_and_fills(tmp_path, org):
    rows = [{"姓名": "王喆", "所属党支部": "机关第一党支部", "月份": "2024-10", "自评分": 95, "支部评分": 92.5,
             "个人工作表现": "完成月度检修计划。"}]
    out = tmp_path / "m.pdf"
    render_records("monthly-summary", rows, out, org=load_org(org))
    text = flat(pdf_text(out)[0])
    assert "党员（10）月工作业绩总结清单" in text
    assert "95分" in text and "92.5分" in text and "完成月度检修计划。" in text
    assert "签字（盖章）" in text and "个人自评结论（百分制）" in text


def test_monthly_summary_refuses_a_score_outside_100_naming_row_and_column(tmp_path, org):
    rows = [{"姓名": "王喆", "月份": 10, "自评分": 120, "支部评分": 90},
            {"姓名": "李堃", "月份": 10, "自评分": "九十五", "支部评分": "92分"}]
    out = tmp_path / "m.pdf"
    report = render_records("monthly-summary", rows, out, org=load_org(org))
    assert report.rendered == 1 and len(report.failed) == 1
    problem = report.failed[0]
    assert (problem.row, problem.column, problem.who) == (1, "自评分", "王喆")
    assert "120 超出百分制（0–100）" in str(problem)
    text = flat(pdf_text(out)[0])
    assert "李堃" in text and "95分" in text and "92分" in text


def test_monthly_summary_blank_and_long_text_continues(tmp_path, org):
    rows = [{"姓名": "王喆", "个人工作表现": "完成月度检修计划，保障机组安全运行。" * 30}]
    out = tmp_path / "m.pdf"
    render_records("monthly-summary", rows, out, org=load_org(org))
    pages = pdf_text(out)
    assert len(pages) == 2
    assert "支部综合评价" in flat(pages[1])
    blank = tmp_path / "b.pdf"
    render_records("monthly-summary", rows, blank, org=load_org(org), options={"blank": True})
    text = flat(pdf_text(blank)[0])
    assert "王喆" in text and "检修" not in text and "党员（）月" in text


def test_a_row_taller_than_a_page_shrinks_its_text(tmp_path, org):
    rows = [{"姓名": "王喆", "个人工作表现": "完成月度检修计划，保障机组安全运行。" * 120}]
    out = tmp_path / "m.pdf"
    report = render_records("monthly-summary", rows, out, org=load_org(org))
    assert report.rendered == 1
    with pdfplumber.open(str(out)) as pdf:
        for page in pdf.pages:
            assert all(c["bottom"] <= page.height - mm(19) for c in page.chars)
        # The table's text is 12 pt; the performance text alone had to shrink to fit one page's row.
        sizes = {round(c["size"], 1) for page in pdf.pages for c in page.chars if c["text"] == "检"}
        label = {round(c["size"], 1) for page in pdf.pages for c in page.chars if c["text"] == "签"}
    assert max(sizes) < 12 and label == {12.0}, (sizes, label)


@pytest.mark.parametrize("change, message", [
    ({"elements": [{"kind": "text", "box": [0, 0, 10, 10], "text": "x", "size": -1}]},
     "bad.yaml：elements[0].size：应大于 0"),
    ({"elements": [{"kind": "text", "box": [0, 0, 10, 10], "text": "x", "colour": "#000000"}]},
     "bad.yaml：elements[0].colour：不认识这一项"),
    ({"elements": [{"kind": "sticker", "box": [0, 0, 10, 10]}]}, "bad.yaml：elements[0]：没有“sticker”这种元素（kind）"),
    ({"elements": [{"kind": "panel", "box": [0, 0, 10, 10], "children": [
        {"kind": "qr", "box": [0, 0, 0, 10], "content": "x"}]}]},
     "bad.yaml：elements[0].children[0].box：宽和高都应大于 0（毫米）"),
    ({"elements": [{"kind": "text", "box": [0, 0, 10, 10], "text": "{{ 姓名 "}]}, "bad.yaml：elements[0].text："),
])
def test_layout_errors_name_file_and_element_path(tmp_path, change, message):
    data = {"name": "bad", "title": "坏的", **change}
    with pytest.raises(LayoutError) as raised:
        parse_layout(data, tmp_path / "bad.yaml")
    assert message in str(raised.value)


def test_unknown_field_in_a_template_is_an_error_not_blank(tmp_path):
    layout = parse_layout({"name": "typo", "title": "t", "elements": [
        {"kind": "text", "box": [0, 0, 50, 10], "text": "{{ 姓明 }}"}]}, tmp_path / "typo.yaml")
    report = render_records(layout, [{"姓名": "王喆"}], tmp_path / "t.pdf")
    assert report.rendered == 0
    assert "姓明" in str(report.failed[0]) and "没有字段" in str(report.failed[0])


def test_templates_are_sandboxed(tmp_path):
    layout = parse_layout({"name": "evil", "title": "t", "elements": [
        {"kind": "text", "box": [0, 0, 50, 10], "text": "{{ 姓名.__class__.__mro__ }}"}]}, tmp_path / "e.yaml")
    report = render_records(layout, [{"姓名": "王喆"}], tmp_path / "e.pdf")
    assert report.rendered == 0 and "unsafe" in str(report.failed[0]).lower()


def test_load_layout_from_a_users_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\ntitle: 我的\nelements:\n  - {kind: text, box: [10, 10, 50, 10], text: '{{ 姓名 }}'}\n",
                    encoding="utf-8")
    assert load_layout(str(path)).name == "mine"


def test_layout_errors_are_said_in_chinese_with_their_place(tmp_path):
    data = {"name": "My Card", "title": "我的卡片", "page": {"size": [90, -54], "margins": [5, 5, 5]}, "colour": "red",
            "elements": [{"kind": "text", "box": [0, 0, 90], "text": "{{ 姓名 }}", "size": "big"},
                         {"kind": "picture", "box": [0, 0, 10, 10]},
                         {"kind": "text", "box": [0, 0, 10, 10], "text": "x", "align": "middle", "color": "red"},
                         {"box": [0, 0, 10, 10]}]}
    with pytest.raises(LayoutError) as raised:
        parse_layout(data, tmp_path / "bad.yaml")
    said = str(raised.value).splitlines()
    assert said == [
        "bad.yaml：name：只能用小写英文字母、数字和连字符（-），以字母或数字开头，如 my-card",
        "bad.yaml：page.size：宽和高都应大于 0（毫米）",
        "bad.yaml：page.margins[3]：缺少第4项",
        "bad.yaml：elements[0].size：应为数字",
        "bad.yaml：elements[0].box[3]：缺少第4项",
        "bad.yaml：elements[1]：没有“picture”这种元素（kind）；可用的有：“text”、“blank”、“checkbox”、“photo”、"
        "“image”、“qr”、“line”、“rect”、“table”、“flow”、“frame”、“mongolian”、“panel”、“repeat”",
        "bad.yaml：elements[2].color：应为 #RRGGBB 形式的颜色，如 #C8161D",
        "bad.yaml：elements[2].align：应为以下之一：“left”、“center”、“right”、“justify”、“distribute”",
        "bad.yaml：elements[3]：缺少 kind（元素的种类，如 text、photo、qr）",
        "bad.yaml：colour：不认识这一项（是否拼写有误？这里可以写的项见 README 的版式说明）",
    ]


def test_a_flat_required_any_is_said_as_groups(tmp_path):
    with pytest.raises(LayoutError, match=r"required_any\[0\]：应为若干组，每组是一个列表，如 \[\[姓名, 所属党支部\]\]"):
        parse_layout({"name": "t", "title": "t", "required_any": ["姓名", "工号"],
                      "elements": [{"kind": "rect", "box": [0, 0, 9, 9]}]}, tmp_path / "t.yaml")
