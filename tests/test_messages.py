"""The words a clerk sees: Chinese progress and help with examples, layouts by their Chinese names,
problems without layout internals, and the same problem of many members on one screen line."""
from __future__ import annotations

import re

import pytest

from formgen.cli.console import grouped, print_progress
from formgen.cli.main import build_parser, main
from formgen.input.layouts import builtin_aliases, builtin_layouts, load_layout
from formgen.problems import ERROR, WARNING, Problem

from .conftest import pdf_text, portrait

CHINESE_NAMES = {"名片": "name-card", "胸卡": "name-card-badge", "承诺卡": "pledge-card", "问卷": "survey",
                 "月度清单": "monthly-summary", "证书": "certificate", "劝学信": "study-reminder",
                 "政治生日贺卡": "political-birthday", "支部工作清单": "branch-quarterly",
                 "支部季度工作清单": "branch-quarterly", "支部考核情况": "branch-review-report",
                 "约谈通知": "interview-notice", "亮标准清单": "quarterly-standards", "附件3": "quarterly-standards",
                 "安全帽标志": "helmet-sticker", "小号安全帽标志": "helmet-sticker-small",
                 "圆形安全帽标志": "helmet-sticker-round", "小号圆形安全帽标志": "helmet-sticker-round-small"}


def _subcommands():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in commands.choices.items():
        yield name, sub
        for nested in sub._actions:
            if nested.__class__.__name__ == "_SubParsersAction":
                yield from ((f"{name} {n}", s) for n, s in nested.choices.items())


def test_progress_is_said_in_chinese(capsys):
    print_progress(41, 41)
    assert capsys.readouterr().err == "  已处理 41/41 条记录\n"


@pytest.mark.parametrize("name, parser", list(_subcommands()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_placeholder_is_chinese_and_every_value_has_an_example(name, parser):
    text = parser.format_help()
    # argparse's own placeholders are the option's name in capitals (PHOTOS, ORG, OUTPUT): none is left
    assert not re.search(r"\b(?!PDF\b|DOCX\b|YAML\b|GB18030\b|UTF\b|CSV\b|HEIC\b)[A-Z][A-Z_]{2,}\b", text), text
    for action in parser._actions:
        takes_value = action.nargs != 0 and action.choices is None and action.dest != "help"
        if takes_value and action.help and action.dest not in ("command", "keys_command"):
            assert "如" in action.help or "默认" in action.help, f"{name} {action.dest}: {action.help}"


def test_help_columns_line_up_as_the_terminal_shows_chinese(capsys):
    from formgen.cli.parser import display_width

    with pytest.raises(SystemExit):
        main(["render", "--help"])
    lines = capsys.readouterr().out.splitlines()
    photos = next(line for line in lines if line.startswith("  --photos 照片文件夹"))
    sheet = next(line for line in lines if line.startswith("  --sheet 工作表"))
    # the help of each option starts at the same terminal column, however wide its placeholder
    column = lambda line: display_width(re.match(r"(\s+\S+ \S+\s+)", line).group(1))  # noqa: E731
    assert column(photos) == column(sheet) == 24
    assert all(display_width(line) <= 80 for line in lines)
    assert "参数：" in lines and "选项：" in lines


def test_every_built_in_layout_declares_its_chinese_name_in_its_own_file():
    aliases = builtin_aliases()
    assert {alias: path.stem for alias, path in aliases.items()}.items() >= CHINESE_NAMES.items()
    for layout in builtin_layouts():  # a new layout names itself in Chinese too
        assert layout.spec.aliases and all(aliases[a].stem == layout.name for a in layout.spec.aliases)


def test_a_layout_is_rendered_by_its_chinese_name(tmp_path, capsys):
    assert load_layout("胸卡").name == "name-card-badge"
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n000101,王喆\n", encoding="utf-8")
    assert main(["render", "承诺卡", str(path), "-o", str(tmp_path / "承诺卡.pdf"), "-q"]) == 0
    assert "我承诺" in pdf_text(tmp_path / "承诺卡.pdf")[0]
    assert main(["render", "名牌", str(path), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "name-card（名片）" in capsys.readouterr().err


def test_the_layout_position_is_kept_out_of_the_clerks_message(tmp_path):
    from formgen.api import Job, compose

    photos = tmp_path / "photos"
    photos.mkdir()
    portrait(photos / "000101.jpg", size=(100, 140))  # 102 dpi at 25 × 35 mm
    from formgen.api import load_records

    composition = compose(Job("name-card"), load_records([{"工号": "000101", "姓名": "孙洋"}], photos))
    (warning,) = composition.report.warnings
    assert warning.message == "000101.jpg 在此尺寸下只有 102 dpi（低于 150），打印会发虚"
    assert warning.place == "elements[0] (front).children[2] (photo)"
    assert "版式位置" not in str(warning) and "elements" not in str(warning)


def test_a_failed_element_keeps_its_place_beside_the_message():
    from formgen.api import Job, compose

    composition = compose(Job("name-card"), [{"工号": "1", "姓名": "赵😀"}])
    (failed,) = composition.report.failed
    assert failed.place == "elements[0] (front).children[3] (name)" and "elements" not in failed.message


def test_the_same_problem_of_many_members_is_one_line_and_a_rare_one_is_never_pushed_off():
    many = [Problem(WARNING, "没有找到照片，印一个照片框代替", row=n, column="照片", who=f"成员{n}", source="r.csv")
            for n in range(2, 42)]
    rare = Problem(WARNING, "000110.jpg 在此尺寸下只有 102 dpi（低于 150），打印会发虚", row=42, column="照片",
                   who="孙洋", source="r.csv")
    alone = Problem(ERROR, "为空，但此版式必须填写", row=43, column="姓名", source="r.csv")
    lines = grouped(many + [rare, alone])
    assert lines == [
        "警告：r.csv 第2行（成员2）、第3行（成员3）、第4行（成员4）、第5行（成员5）、第6行（成员6）等40人「照片」列："
        "没有找到照片，印一个照片框代替",
        str(rare), str(alone)]
    assert grouped(many[:2]) == ["警告：r.csv 第2行（成员2）、第3行（成员3）共2人「照片」列：没有找到照片，印一个照片框代替"]


def test_a_face_printed_twice_says_its_problem_once(tmp_path):
    from formgen.api import Job, compose, load_records

    photos = tmp_path / "photos"
    photos.mkdir()
    portrait(photos / "000110.jpg", size=(100, 140))
    composition = compose(Job("name-card", options={"back": "copy"}),
                          load_records([{"工号": "000110", "姓名": "孙洋"}], photos))
    (warning,) = composition.report.warnings  # the front's and the copied back's photo: one warning
    assert "102 dpi" in warning.message and warning.place == "elements[0] (front).children[2] (photo)"
