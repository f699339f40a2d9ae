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
    ("study-reminder", {"letterhead": False}, ["季度", "政治理论", "业务知识", "总分", "及格线", "薄弱科目",
                                               "学习内容", "复测日期", "落款日期"]),
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
