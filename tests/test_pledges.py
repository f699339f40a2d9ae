"""The pledge as the campaign words it, the same on the pledge card and on the name card's back
(我是___（单位）党员，我承诺：), and the back's numbered pledges wrapping under their own text."""
from __future__ import annotations

import pytest

from formgen.api import Job, compose
from formgen.document import Text
from formgen.typeset.textflow import TextSetter, TextStyle
from formgen.units import Box

LONG = ("坚守化验岗位，严格按照国家标准开展入厂煤、入炉煤的采样、制样和化验工作，确保每一个数据真实、准确、可追溯；"
        "认真做好热仪、定硫仪、工业分析仪等仪器设备的维护保养。")


def _texts(layout: str, record: dict) -> dict[str, Text]:
    page = compose(Job(layout), [record]).document.pages[0]
    return {item.name: item for item in page.items if isinstance(item, Text) and item.name}


def _line_text(line) -> str:
    return "".join(run.text for run in line.runs)


@pytest.mark.parametrize("record, said", [
    ({"姓名": "其木格", "单位": "燃料管理部", "所属党支部": "生产运营党支部"}, "我是燃料管理部党员，我承诺："),
    ({"姓名": "其木格", "所属党支部": "生产运营党支部"}, "我是生产运营党支部党员，我承诺："),
    ({"姓名": "其木格"}, "我是＿＿＿＿＿＿＿＿党员，我承诺："),
])
def test_the_pledge_card_and_the_card_back_say_the_same(record, said):
    card = "".join(_line_text(line) for line in _texts("pledge-card", record)["intro"].lines)
    back = "".join(_line_text(line) for line in _texts("name-card", record)["pledge-intro"].lines)
    assert card == back == said


def test_a_wrapped_pledge_on_the_card_back_continues_under_its_text():
    pledge = _texts("name-card", {"姓名": "其木格", "岗位职责": LONG})["pledge"]
    lines = pledge.lines
    third = next(n for n, line in enumerate(lines) if _line_text(line).startswith("三、"))
    assert not _line_text(lines[third]).endswith("。") and lines[third + 1].x == pytest.approx(2 * pledge.size)
    assert lines[third].x == 0 and _line_text(lines[third + 2]).startswith("四、") and lines[third + 2].x == 0


def test_hanging_lines_are_broken_to_the_width_they_are_given(tmp_path):
    from formgen.fonts import default_font_book

    book = default_font_book()
    setter = TextSetter(book)
    style = TextStyle(face=book.face_for("body"), size=10, min_size=10, line_height=1.4, hanging_chars=2)
    text, fits = setter.set("一、" + "字" * 40, Box(0, 0, 100, 200), style)
    # 100 pt hold ten characters of 10 pt; a hanging line of 2 characters in holds eight
    assert fits and [len(_line_text(line)) for line in text.lines] == [10, 8, 8, 8, 8]
    assert [line.x for line in text.lines] == [0, 20, 20, 20, 20]
    assert all(line.x + line.width <= 100 + 0.01 for line in text.lines)
