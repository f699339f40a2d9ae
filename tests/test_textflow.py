"""Line breaking, kinsoku, alignment and shrink-to-fit."""
from __future__ import annotations

import pytest

from formgen.fonts import UncoveredCharacter, default_font_book
from formgen.typeset.textflow import NO_LINE_START, TextSetter, TextStyle, tokens
from formgen.units import Box, mm

BOOK = default_font_book()
SETTER = TextSetter(BOOK)
FACE = "NotoSerifSC-Regular"


def style(**kw):
    base = dict(face=FACE, size=12, min_size=6, line_height=1.4)
    base.update(kw)
    return TextStyle(**base)


def test_no_line_starts_with_closing_punctuation():
    text = "认真学习党的理论，严守党的纪律。按时交纳党费，积极参加组织生活！" * 3
    for width in range(60, 200, 7):  # many widths, so that punctuation falls at every position
        placed, _ = SETTER.set(text, Box(0, 0, width, 1000), style())
        for line in placed.lines[1:]:
            assert line.text[0] not in NO_LINE_START, (width, line.text)


def test_latin_words_are_not_split():
    placed, _ = SETTER.set("工作目标 safety first and zero accidents 全年", Box(0, 0, 90, 500), style())
    words = " ".join(line.text for line in placed.lines).split()
    for word in ("safety", "first", "zero", "accidents"):
        assert word in words


def test_tokens_glue_opening_brackets_to_what_follows():
    assert "（单" in tokens("我是（单位）党员")


def test_distribute_spreads_a_two_character_name_to_three():
    size = 30
    two, _ = SETTER.set("张敏", Box(0, 0, mm(100), mm(15)), style(size=size, align="distribute", distribute_chars=3))
    three, _ = SETTER.set("王小明", Box(0, 0, mm(100), mm(15)), style(size=size, align="distribute",
                                                                   distribute_chars=3))
    assert abs(two.lines[0].width - three.lines[0].width) < 0.5
    assert two.lines[0].char_space > 0
    assert abs(two.lines[0].x - three.lines[0].x) < 0.5  # both centred the same


def test_shrinks_to_fit_then_reports_it_does_not():
    text = "严格执行操作规程，确保设备安全稳定运行。" * 6
    placed, fits = SETTER.set(text, Box(0, 0, mm(80), mm(20)), style(size=14, min_size=6))
    assert fits and placed.size < 14
    assert len(placed.lines) * placed.line_height <= mm(20) + 0.01
    placed, fits = SETTER.set(text * 5, Box(0, 0, mm(80), mm(20)), style(size=14, min_size=9))
    assert not fits and placed.size == 9


def test_justify_fills_every_line_but_the_last():
    placed, _ = SETTER.set("认真学习党的理论，严守党的纪律，按时交纳党费。" * 2, Box(0, 0, 200, 500),
                           style(align="justify"))
    assert len(placed.lines) >= 2
    for line in placed.lines[:-1]:
        assert abs(line.width - 200) < 0.5
    assert placed.lines[-1].char_space == 0


def test_first_line_indent_is_two_characters():
    placed, _ = SETTER.set("第一段内容。\n第二段。", Box(0, 0, 300, 200), style(indent_chars=2))
    assert placed.lines[0].x == pytest.approx(24)
    assert placed.lines[1].x == pytest.approx(24)


def test_rare_characters_take_a_face_that_has_them():
    placed, _ = SETTER.set("黄𫖯 赵𬌗 刘䶮", Box(0, 0, 300, 50), style())
    assert placed.lines[0].text == "黄𫖯 赵𬌗 刘䶮"


def test_uncovered_character_is_named():
    with pytest.raises(UncoveredCharacter) as raised:
        SETTER.set("李😀", Box(0, 0, 300, 50), style())
    assert "U+1F600" in str(raised.value)


def test_a_short_quoted_name_stays_on_one_line():
    text = "在2024年第三季度“三亮三比三创”活动中，被评为“学习之星”。特发此证，以资鼓励。"
    for width in range(120, 420, 9):
        placed, _ = SETTER.set(text, Box(0, 0, width, 1000), style(size=14))
        for name in ("“学习之星”", "“三亮三比三创”"):
            assert any(name in line.text for line in placed.lines), (width, [l.text for l in placed.lines])


def test_no_character_is_left_alone_on_a_paragraphs_last_line():
    text = "被评为2024年度“五星党支部”。特发此证，以资鼓励。"
    checked = 0
    for width in range(100, 400, 3):  # many widths, so that the paragraph ends at every position
        placed, _ = SETTER.set(text, Box(0, 0, width, 1000), style(size=14, align="justify"))
        lines = [line.text for line in placed.lines]
        if len(lines) < 2:
            continue
        checked += 1
        assert len(lines[-1].rstrip("".join(NO_LINE_START))) >= 2, (width, lines)
        assert "".join(lines) == text  # nothing lost or doubled by the move
    assert checked > 20
