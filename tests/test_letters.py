"""劝学信 on one page whenever the text allows: the spacing tightens (GB/T 9704) rather than leave the
closing, the signature and the date alone on a second page; a letter that cannot fit still keeps its date
with the text and numbers its pages."""
from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from formgen.api import Job, compose
from formgen.document import Text
from formgen.input.layouts import parse_layout
from formgen.units import to_mm

from .conftest import pdf_text

SUBJECTS = ("政治理论", "业务知识")
NAMES = ("周雅琴", "乌兰巴特尔", "吴建国", "其木格", "额尔敦", "巴特", "那仁高娃", "张敏", "王喆", "陈㛃", "黄𫖯",
         "阿拉坦仓", "斯琴", "孙洋", "敖登格日乐", "刘䶮", "赵𬌗")
BRANCHES = ("机关第一党支部", "生产运营党支部", "设备维修党支部", "安全环保党支部", "煤矿机电运输第二党支部")
TOPICS = ("习近平新时代中国特色社会主义思想和党的二十大精神", "《中国共产党章程》和党内法规", "本岗位业务知识和安全操作规程")


def letter(n: int, weak: int, topics=TOPICS, retest=True) -> dict:
    """A letter as `awards` makes it, one weak subject or two, scores below the pass mark of 60."""
    politics, business = (19 + n % 9, 25 + n % 5) if weak == 2 else (15 + n % 10, 36 + n % 8)
    shortfalls = [{"科目": s, "得分": score, "及格线": 30, "差距": 30 - score}
                  for s, score in zip(SUBJECTS, (politics, business)) if score < 30]
    return {"姓名": NAMES[n % len(NAMES)], "工号": f"0001{n:02d}", "所属党支部": BRANCHES[n % len(BRANCHES)],
            "季度": "2024Q3", "政治理论": politics, "业务知识": business, "总分": politics + business, "及格线": 60,
            "薄弱科目": sorted(shortfalls, key=lambda w: -w["差距"]), "学习内容": list(topics),
            "复测日期": dt.date(2024, 10, 25) if retest else None, "落款日期": dt.date(2024, 10, 8)}


# The walkthrough's seventeen letters: one or two weak subjects, with and without a retest date, branch
# names short and long, names of two to five characters.
SEVENTEEN = [letter(n, weak, retest=n % 4 != 3) for n, weak in zip(range(17), itertools.cycle((1, 2, 2)))]


def _pages_of_each(composition) -> list[int]:
    counts: dict[str, int] = {}
    for page in composition.document.pages:
        counts[page.label] = counts.get(page.label, 0) + 1
    return list(counts.values())


def test_the_seventeen_letters_take_one_page_each(tmp_path):
    from formgen.api import render

    composition = compose(Job("study-reminder"), SEVENTEEN)
    assert composition.report.failed == [] and len(composition.document.pages) == 17
    out = tmp_path / "劝学信.pdf"
    report = render(Job("study-reminder"), SEVENTEEN, out)
    pages = [re.sub(r"\s+", "", page) for page in pdf_text(out)]
    assert report.pages == 17 and len(pages) == 17
    for page, record in zip(pages, SEVENTEEN):
        # the whole letter on its page: the greeting, the closing, the branch and the date; no page number
        assert page.startswith(f"劝学信{record['姓名']}同志：")
        assert "学无止境" in page and page.endswith(f"{record['所属党支部']}二〇二四年十月八日")
        assert "—1—" not in page


def test_the_spacing_tightens_only_as_much_as_needed():
    short = letter(0, 1, topics=TOPICS[:1], retest=False)
    spacing = {}
    for name, record in (("short", short), ("long", SEVENTEEN[1])):
        items = [i for i in compose(Job("study-reminder"), [record]).document.pages[0].items
                 if isinstance(i, Text) and i.name == "body"]
        spacing[name] = round(to_mm(items[0].line_height), 2)
    assert spacing["short"] == round(to_mm(16 * 1.8), 2)  # the layout's own spacing where it fits
    assert round(to_mm(16 * 1.5), 2) <= spacing["long"] < spacing["short"]


def test_a_letter_too_long_for_one_page_keeps_its_date_with_the_text_and_numbers_its_pages():
    many = letter(2, 2, topics=[f"第{n}项学习内容：{TOPICS[n % 3]}" for n in range(1, 13)])
    pages = compose(Job("study-reminder"), [many]).document.pages
    assert len(pages) == 2
    texts = [["".join(line.text for line in item.lines) for item in page.items if isinstance(item, Text)]
             for page in pages]
    second = "".join(texts[1])
    assert "二〇二四年十月八日" in second and "学无止境" in second  # the closing goes with the signature
    assert any(t == "— 1 —" for t in texts[0]) and any(t == "— 2 —" for t in texts[1])
    body = [i for i in pages[0].items if isinstance(i, Text) and i.name == "body"]
    assert round(to_mm(body[0].line_height), 2) == round(to_mm(16 * 1.8), 2)  # no tightening for nothing


@pytest.mark.parametrize("min_line_height, pages", [(None, 2), (1.4, 1)])
def test_any_flow_may_tighten_to_its_min_line_height(tmp_path, min_line_height, pages):
    flow = {"kind": "flow", "name": "body", "box": [20, 20, 100, 60], "size": 12, "line_height": 2.0,
            "paragraphs": [{"text": "{{ 正文 }}"}, {"text": "落款", "align": "right", "keep_with_previous": True}]}
    if min_line_height:
        flow["min_line_height"] = min_line_height
    layout = parse_layout({"name": "t", "title": "t", "elements": [flow]}, tmp_path / "t.yaml")
    # 60 mm hold 7 lines at 2.0 × 12 pt; the text takes 8
    text = "字" * (8 * 23 - 5)
    assert len(compose(Job(layout), [{"正文": text}]).document.pages) == pages


def test_a_wrapped_list_item_continues_under_its_text():
    items = [i for i in compose(Job("study-reminder"), [SEVENTEEN[1]]).document.pages[0].items
             if isinstance(i, Text) and i.name == "body"]
    lines = [line for item in items for line in item.lines]
    first = next(n for n, line in enumerate(lines) if "".join(r.text for r in line.runs).startswith("一、习近平"))
    # "一、" is indented two characters, its continuation four: under 习, not under 一
    assert to_mm(lines[first].x) == pytest.approx(to_mm(2 * 16), abs=0.05)
    assert to_mm(lines[first + 1].x) == pytest.approx(to_mm(4 * 16), abs=0.05)
