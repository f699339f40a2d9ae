"""A column that an option supplies is not missing: what a layout reads is worked out from its templates
with the options given, and only what is really missing is said."""
from __future__ import annotations

import pytest

from formgen.api import missing_columns
from formgen.cli.main import main
from formgen.input.layouts import load_layout, parse_layout
from formgen.input.records import records_from_dicts

ROSTER = "姓名,所属党支部\n王喆,机关第一党支部\n李堃,生产运营党支部\n"


def _layout(tmp_path, elements: list, options: dict):
    return parse_layout({"name": "t", "title": "t", "options": options, "elements": elements}, tmp_path / "t.yaml")


def test_a_field_read_only_where_an_option_decides_is_needed_only_without_it(tmp_path):
    layout = _layout(tmp_path, [
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ (options.quarter or 季度) | quarter_label }}"},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ '' if options.blank else 自评分 }}"},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{% if not options.blank %}{{ 管理效果 }}{% endif %}"},
        {"kind": "text", "box": [0, 0, 10, 10], "when": "options.back == 'copy'", "text": "{{ 职务 }}"},
        {"kind": "repeat", "over": "options.pairs", "as": "pair", "step": [0, 10],
         "children": [{"kind": "text", "box": [0, 0, 10, 10], "text": "{{ pair[0] }}{{ record[pair[1]] }}"}]},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ 姓名 }}{{ record.get('获奖者', '') }}"},
    ], {"quarter": "", "blank": False, "back": "pledge", "pairs": [["承诺", "党员义务"]]})
    assert layout.fields(printed_only=True) == ["季度", "自评分", "管理效果", "党员义务", "姓名", "获奖者"]
    assert layout.fields({"quarter": "2024Q3", "blank": True, "back": "copy", "pairs": [["安全", "安全承诺"]]}, True) == \
        ["职务", "安全承诺", "姓名", "获奖者"]
    # an option that is not a constant of the layout (the profile's, the record's) decides nothing
    undecided = _layout(tmp_path, [{"kind": "text", "box": [0, 0, 9, 9], "text": "{{ org.x or 季度 }}"}], {})
    assert undecided.fields({"x": 1}, printed_only=True) == ["季度"]


@pytest.mark.parametrize("layout, options, missing", [
    ("survey", {}, ["季度"]),
    ("survey", {"quarter": "2024Q3"}, []),
    ("monthly-summary", {}, ["月份", "参加支部活动情况", "个人工作表现", "管理效果", "自评分", "支部评分"]),
    ("monthly-summary", {"month": 10}, ["参加支部活动情况", "个人工作表现", "管理效果", "自评分", "支部评分"]),
    ("monthly-summary", {"month": 10, "blank": True}, []),
    ("name-card", {"back": "copy"}, ["职务"]),
    ("pledge-card", {"commitments": [["安全承诺", "安全承诺"]]}, ["职务", "单位", "安全承诺"]),
    # 季度 prints as 本季度 without it; 落款日期 as today (said so: absent_notice)
    ("study-reminder", {"letterhead": False}, ["政治理论", "业务知识", "总分", "及格线", "薄弱科目",
                                               "学习内容", "复测日期", "落款日期"]),
    ("interview-notice", {}, ["约谈事由", "总平均", "得分", "约谈时间", "约谈地点", "落款日期"]),
    ("interview-notice", {"time": "10月15日上午9:00", "place": "党委会议室"}, ["约谈事由", "总平均", "得分", "落款日期"]),
])
def test_the_built_in_layouts_miss_only_what_no_option_supplies(layout, options, missing):
    roster = records_from_dicts([{"姓名": "王喆", "所属党支部": "机关第一党支部"}])
    assert missing_columns(load_layout(layout), roster, options) == ([], missing)


def test_a_column_only_a_file_name_uses_is_not_said_to_leave_an_item_empty():
    roster = records_from_dicts([{"姓名": "王喆", "所属党支部": "机关第一党支部", "季度": "2024Q3"}])
    assert "工号" in load_layout("survey").fields()  # it names the files of --split
    assert missing_columns(load_layout("survey"), roster) == ([], [])


@pytest.mark.parametrize("command", ["render", "check"])
def test_options_given_on_the_command_line_silence_the_notices_they_answer(tmp_path, capsys, command):
    path = tmp_path / "r.csv"
    path.write_text(ROSTER, encoding="utf-8")
    out = ["-o", str(tmp_path / "x.pdf"), "-q"] if command == "render" else []
    assert main([command, "survey", str(path), "--set", "quarter=2024Q3", *out]) == 0
    assert main([command, "monthly-summary", str(path), "--set", "month=10", "--set", "blank=true", *out]) == 0
    captured = capsys.readouterr()
    said = captured.out + captured.err
    for column in ("季度", "月份", "自评分", "支部评分", "参加支部活动情况", "工号"):
        assert f"「{column}」" not in said, said
    assert main([command, "survey", str(path), *out]) == 0  # without the option the column is missing
    captured = capsys.readouterr()
    assert "「季度」" in captured.out + captured.err


def test_what_stands_in_for_an_empty_field_is_told_apart_from_a_blank_to_fill_in(tmp_path):
    """An option that is set, or a word, prints where the field is empty: the field is not missing.
    Today prints for it: it is missing, and said to print as of today. A literal drawn with ＿ or
    full-width spaces is a blank to fill in by hand: the field prints empty."""
    from formgen.api import absent_notice

    layout = _layout(tmp_path, [
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ record.get('地点') or options.place or '＿＿＿' }}"},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ 季度 | quarter_label if 季度 else '本季度' }}"},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ (record.get('落款日期') or today) | cn_date }}"},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ 期限 if 期限 else '　　年　　月　　日' }}"},
        {"kind": "text", "box": [0, 0, 10, 10], "text": "{{ 科目 or '本科目' }}{{ 科目 }}"},  # also read plainly
    ], {"place": ""})
    assert layout.stood_in_for() == {"季度": "value", "落款日期": "today"}
    assert layout.stood_in_for({"place": "党委会议室"}) == {"地点": "value", "季度": "value", "落款日期": "today"}
    roster = records_from_dicts([{"姓名": "王喆"}])
    assert missing_columns(layout, roster) == ([], ["地点", "落款日期", "期限", "科目"])
    assert missing_columns(layout, roster, {"place": "党委会议室"}) == ([], ["落款日期", "期限", "科目"])
    assert absent_notice(layout, "落款日期") == "名册中没有这一列，这一项按今天印"
    assert absent_notice(layout, "期限") == "名册中没有这一列，这一项将留空"
    assert absent_notice(layout, "季度") == "名册中没有这一列，这一项印选项或版式给的内容"


def test_the_notice_for_a_column_today_stands_in_for_says_so(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text(ROSTER, encoding="utf-8")
    assert main(["render", "survey", str(path), "-o", str(tmp_path / "x.pdf"), "-q"]) == 0
    assert "没有「季度」列，这一项按今天印" in capsys.readouterr().err
    assert main(["check", "interview-notice", str(path), "--set", "place=党委会议室"]) == 0
    out = capsys.readouterr().out
    assert "「落款日期」列：名册中没有这一列，这一项按今天印" in out
    assert "「约谈地点」" not in out and "「约谈时间」列：名册中没有这一列，这一项将留空" in out
