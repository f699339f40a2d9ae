"""Hostile input is refused in bounded time, naming the limit: template loops and output, YAML depth and
aliases, nested repeats, copies, huge cells, whole-column merges, far styled cells, repeated 工号;
user text in every workbook formgen writes stays text; photos only from the photos folder."""
from __future__ import annotations

import os
import re
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from formgen import limits
from formgen.api import Job, Output, compose, render
from formgen.cli.main import main, parse_sets
from formgen.input.layouts import LayoutError, load_layout
from formgen.input.org import OrgError, load_org
from formgen.input.photos import find_photos
from formgen.input.records import load_roster
from formgen.input.roster_template import write_roster_template
from formgen.problems import RosterError
from formgen.resources import LAYOUTS_DIR
from formgen.templating import TemplateProblem, evaluate, render as render_template
from tests.conftest import portrait


@pytest.mark.parametrize("template, limit", [
    ("{% for i in range(99999) %}x{% endfor %}", "range"),
    ("{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}", "循环"),
    ("{% set l = range(9000)|list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}", "循环"),
    ("{{ 姓名 * 100000000 }}", "上限"),
    ("{{ '%999999999d' % 1 }}", "宽度"),
    ("{{ '{:>999999999}'.format(1) }}", "宽度"),
    ("{{ 姓名|center(999999999) }}", "center"),
    ("{{ 姓名.ljust(999999999) }}", "ljust"),
    ("{{ 2 ** 99999999 }}", "指数"),
    ("{% for i in range(5000) %}{{ 姓名 * 50 }}{% endfor %}", "输出"),
])
def test_templates_are_bounded(template, limit):
    with pytest.raises(TemplateProblem, match=limit):
        render_template(template, {"姓名": "王喆"})
    assert render_template("{% for c in 姓名 %}{{ c }}{% endfor %}", {"姓名": "王喆"}) == "王喆"
    assert evaluate("range(3)|list", {}) == [0, 1, 2]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def billion_laughs(levels: int = 9) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, limit", [(billion_laughs(), "展开别名"), ("x: " + nested(5000), "嵌套"),
                                         ("x: " + nested(40), "嵌套")])
def test_yaml_is_bounded_in_layouts_profiles_and_set(tmp_path, text, limit):
    layout = tmp_path / "mine.yaml"
    layout.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutError, match=limit):
        load_layout(layout)
    with pytest.raises(OrgError, match=limit):
        load_org(layout)
    with pytest.raises(ValueError, match="--set x：嵌套"):
        parse_sets(["x=" + nested(5000)])


def test_nested_repeats_stop_at_the_element_limit(tmp_path):
    layout = tmp_path / "repeat.yaml"
    layout.write_text("""
name: repeat-bomb
title: 重复
page: {size: A4}
elements:
  - kind: repeat
    over: "range(1000)"
    step: [0, 0]
    children:
      - kind: repeat
        over: "range(1000)"
        step: [0, 0]
        children:
          - kind: text
            box: [0, 0, 10, 10]
            text: "{{ 姓名 }}"
""", encoding="utf-8")
    composition = compose(Job(layout), [{"姓名": "王喆"}])
    [failed] = composition.report.failed
    assert str(limits.MAX_ELEMENTS_PER_RECORD) in failed.message and not composition.document.pages


@pytest.mark.parametrize("copies", [-3, 0, 5000, limits.MAX_COPIES + 1])
def test_copies_are_refused_outside_the_limit_on_the_command_line_and_in_the_api(tmp_path, copies, capsys):
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名\n000101,王喆\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["render", "survey", str(roster), "-o", str(tmp_path / "o.pdf"), "--copies", str(copies)])
    assert stopped.value.code == 2 and "份数" in capsys.readouterr().err
    with pytest.raises(ValueError, match="份数"):
        render(Job("survey", copies=copies), roster, Output(tmp_path / "o.pdf", ("pdf",)))
    assert not (tmp_path / "o.pdf").exists()


def write_xlsx_parts(path: Path, sheet_xml: str, shared: str | None = None) -> Path:
    """A minimal .xlsx written by hand, for what openpyxl would not write."""
    workbook = Workbook()
    workbook.save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode("utf-8")
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared.encode("utf-8")
        content_types = parts["[Content_Types].xml"].decode()
        if "sharedStrings" not in content_types:
            parts["[Content_Types].xml"] = content_types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode()
            rels = parts["xl/_rels/workbook.xml.rels"].decode()
            parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rIdS" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>'
         '{merges}</worksheet>')


def cells(row: int, *values: str) -> str:
    return f'<row r="{row}">' + "".join(f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>'
                                        for i, v in enumerate(values)) + "</row>"


def test_a_whole_column_merge_and_a_far_styled_cell_make_no_phantom_records(tmp_path):
    rows = cells(1, "工号", "姓名", "所属党支部") + cells(2, "000101", "王喆", "一支部") + cells(3, "000102", "李堃")
    rows += '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    path = write_xlsx_parts(tmp_path / "r.xlsx", SHEET.format(
        rows=rows, merges='<mergeCells count="1"><mergeCell ref="C2:C1048576"/></mergeCells>'))
    roster = load_roster(path)
    assert [(r.values["姓名"], r.values["所属党支部"]) for r in roster.records] == [("王喆", "一支部"), ("李堃", "一支部")]


def test_a_small_file_unpacking_to_a_huge_one_is_refused(tmp_path):
    huge = "喆" * (limits.MAX_UNZIPPED_BYTES // 3 + 10)
    shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              f"<si><t>{huge}</t></si></sst>")
    path = write_xlsx_parts(tmp_path / "r.xlsx", SHEET.format(rows=cells(1, "姓名") + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
                                                               merges=""), shared)
    assert path.stat().st_size < limits.MAX_UNZIPPED_BYTES // 50
    with pytest.raises(RosterError, match="解压后超过"):
        load_roster(path)


def test_twenty_thousand_rows_sharing_one_staff_number_make_one_message(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n" + "".join(f"000101,成员{n}\n" for n in range(20_000)), encoding="utf-8")
    roster = load_roster(path)
    duplicates = [p for p in roster.problems if "重复" in p.message]
    assert len(roster.records) == 20_000 and len(duplicates) == 1 and len(duplicates[0].message) < 200
    assert "共20000" in duplicates[0].message


HOSTILE = ["=HYPERLINK(\"http://x\",\"点\")", "=1+1", "=cmd|' /C calc'!A0", "控\x01制\x1f符"]


def test_user_text_is_text_in_every_workbook_formgen_writes(tmp_path):
    from formgen.input.problem_list import write_problem_list
    from formgen.problems import Problem

    listing = tmp_path / "问题清单.xlsx"
    write_problem_list([Problem("error", text, row=2, column=text, who=text, source=text) for text in HOSTILE], listing)
    scores = tmp_path / "scores.csv"
    scores.write_text("工号,姓名,所属党支部,政治理论,业务知识\n" + "".join(
        f"00010{i},\"{t.replace(chr(34), chr(34) * 2)}\",一支部,{40 + i},{40 + i}\n" for i, t in enumerate(HOSTILE[:3]))
        + "000109,,一支部,40,40\n", encoding="utf-8")
    from formgen.api.campaign import run_awards
    from formgen.chinese import parse_quarter
    from formgen.input.org import load_org as org_of

    org = dict(org_of(None), data_dir=str(tmp_path / "data"))
    run_awards(scores, parse_quarter("2024Q3"), org, tmp_path / "awards")
    from formgen.campaign.survey import tally, write_tally_xlsx

    answers = tmp_path / "answers.csv"
    answers.write_text("工号,姓名,所属党支部,季度,服务态度\n" + "".join(
        f"00010{i},\"{t.replace(chr(34), chr(34) * 2)}\",一支部,2024Q3,{t[:2]}\n" for i, t in enumerate(HOSTILE[:3])),
        encoding="utf-8")
    write_tally_xlsx(tally(answers), tmp_path / "tally.xlsx")
    from formgen.api.birthdays import run_birthdays
    from formgen.api.branch_review import run_branch_review
    from formgen.api.certify import run_certify

    branches = tmp_path / "branches.csv"
    branches.write_text("党支部,季度,支部书记,考核总分\n" + "".join(
        f"\"{t.replace(chr(34), chr(34) * 2)}\",2024Q3,\"{t.replace(chr(34), chr(34) * 2)}\",{80 + i}\n"
        for i, t in enumerate(HOSTILE[:3])) + "=2+2,2024Q3,王喆,分\n", encoding="utf-8")
    run_branch_review(branches, parse_quarter("2024Q3"), org, tmp_path / "review")
    nominations = tmp_path / "nominations.csv"
    nominations.write_text("获奖者,所属党支部,奖项,事由,期间\n" + "".join(
        f"\"{t.replace(chr(34), chr(34) * 2)}\",一支部,学习之星,\"{t.replace(chr(34), chr(34) * 2)}\",2024年第三季度\n"
        for t in HOSTILE[:3]) + "=3+3,一支部,优秀党员,事由,2024年第三季度\n", encoding="utf-8")
    run_certify(nominations, org, tmp_path / "certify")
    members = tmp_path / "members.csv"
    members.write_text("姓名,所属党支部,入党日期\n" + "".join(
        f"\"{t.replace(chr(34), chr(34) * 2)}\",\"{t.replace(chr(34), chr(34) * 2)}\",2008-10-0{i + 1}\n"
        for i, t in enumerate(HOSTILE[:3])) + "=4+4,一支部,不详\n", encoding="utf-8")
    run_birthdays(members, 2024, 10, org, tmp_path / "birthdays")
    written = [listing, tmp_path / "awards" / "评选结果.xlsx", tmp_path / "tally.xlsx",
               tmp_path / "review" / "支部考核结果.xlsx", tmp_path / "certify" / "证书清单.xlsx",
               tmp_path / "birthdays" / "政治生日名单.xlsx"]
    for path in written[3:]:  # the names and branches are there, as text
        cells = [c.value for s in load_workbook(path).worksheets for row in s.iter_rows() for c in row]
        assert "=1+1" in cells, path.name
    for path in written:
        workbook = load_workbook(path)
        formulas = [c.coordinate for s in workbook.worksheets for row in s.iter_rows() for c in row
                    if c.data_type == "f"]
        assert formulas == [], path.name
        with zipfile.ZipFile(path) as package:
            assert not any(b"<f>" in package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/"))
    texts = [c.value for row in load_workbook(listing).active.iter_rows() for c in row]
    assert "=1+1" in texts and "控<U+0001>制<U+001F>符" in texts


def test_photos_come_from_the_photos_folder_only(tmp_path):
    folder = tmp_path / "照片"
    folder.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = portrait(outside / "secret_face.jpg")
    portrait(folder / "000101.jpg")
    (folder / "link.jpg").symlink_to(secret)
    (folder / "机关").symlink_to(outside, target_is_directory=True)
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名,照片\n000101,王喆,\n000102,李堃,../outside/secret_face.jpg\n"
                      f"000103,刘䶮,{secret}\n000104,张敏,link.jpg\n000105,赵敏,机关/secret_face.jpg\n", encoding="utf-8")
    found = find_photos(load_roster(roster), folder)
    photos = {r.values["姓名"]: r.photo for r in found.records}
    assert photos["王喆"] == folder / "000101.jpg"
    assert [photos[name] for name in ("李堃", "刘䶮", "张敏", "赵敏")] == [None] * 4
    refused = [p for p in found.problems if p.column == "照片" and "不在照片文件夹" in p.message]
    assert {p.who for p in refused} >= {"李堃", "刘䶮"}
    assert any("文件夹以外的链接" in p.message for p in found.problems)


@pytest.mark.skipif(sys.platform == "win32", reason="file names are Unicode on Windows")
def test_gbk_named_photos_are_found_and_said_without_an_error(tmp_path, capsys):
    folder = tmp_path / "照片"
    folder.mkdir()
    name = os.fsdecode("王喆.jpg".encode("gb18030"))
    portrait(folder / name)
    portrait(folder / os.fsdecode("无人.jpg".encode("gb18030")))
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名\n000101,王喆\n", encoding="utf-8")
    found = find_photos(load_roster(roster), folder)
    assert found.records[0].photo == folder / name
    assert any("无人.jpg" in p.message for p in found.problems)
    assert main(["render", "name-card-badge", str(roster), "--photos", str(folder), "-o", str(tmp_path / "o.pdf")]) == 0
    assert "无人.jpg" in capsys.readouterr().err


def test_control_characters_in_set_and_the_profile_reach_the_problem_list(tmp_path, capsys):
    org = tmp_path / "org.yaml"
    org.write_text('organisation: "单位\\x01名"\nqr_url_template: "{{ 工号 }\\x02"\n', encoding="utf-8")
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名\n000101,王喆\n", encoding="utf-8")
    out = tmp_path / "o.pdf"
    status = main(["render", "name-card-badge", str(roster), "-o", str(out), "--org", str(org),
                   "--set", "slogan={{ 姓名 }\x03"])
    err = capsys.readouterr().err
    assert status == 1 and "共1条记录" in err
    texts = [str(c.value) for row in load_workbook(tmp_path / "o-问题清单.xlsx").active.iter_rows() for c in row]
    assert any("工号 }" in t and "x02" in t.lower() for t in texts)  # the record's error, quoting the character


def test_a_deep_json_roster_is_refused_with_a_message(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('[{"姓名": ' + nested(100_000) + "}]", encoding="utf-8")
    with pytest.raises(RosterError, match="嵌套"):
        load_roster(path)
    path.write_text('[{"姓名": "王喆", "x": ' + nested(40) + "}]", encoding="utf-8")
    with pytest.raises(RosterError, match="嵌套"):
        load_roster(path)


def test_a_roster_template_of_a_hostile_layout_holds_text(tmp_path):
    layout = load_layout("name-card")
    path = tmp_path / "t.xlsx"
    write_roster_template([layout], path)
    assert all(c.data_type != "f" for s in load_workbook(path).worksheets for row in s.iter_rows() for c in row)


def test_sticker_counts_are_bounded_per_branch_and_per_run(tmp_path, capsys):
    from formgen.api.stickers import TooManyStickers, sticker_records
    from formgen.record import Record

    def branches(*counts):
        return [Record(row=i + 2, values={"所属党支部": f"支部{i}", "数量": c}, source="支部.xlsx")
                for i, c in enumerate(counts)]

    stickers, problems = sticker_records(branches(2, 10 ** 9, "1e309", limits.MAX_STICKERS_PER_BRANCH), None)
    assert len(stickers) == 2 + limits.MAX_STICKERS_PER_BRANCH
    assert [(p.row, p.column) for p in problems] == [(3, "数量"), (4, "数量")]
    assert f"超过{limits.MAX_STICKERS_PER_BRANCH}个" in problems[0].message and "不是整数" in problems[1].message
    many = branches(*[limits.MAX_STICKERS_PER_BRANCH] * (limits.MAX_STICKERS // limits.MAX_STICKERS_PER_BRANCH + 1))
    with pytest.raises(TooManyStickers, match="上限"):
        sticker_records(many, None)
    roster = tmp_path / "r.csv"
    roster.write_text("姓名,所属党支部\n王喆,机关第一党支部\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["stickers", str(roster), "-o", str(tmp_path / "s.pdf"), "--per-branch", str(10 ** 9)])
    assert "不在 1–500 之间" in capsys.readouterr().err and not (tmp_path / "s.pdf").exists()


@pytest.mark.parametrize("content, said", [
    ("name:\tx\n", "第1行第6列格式有误：不能用 Tab 缩进"),
    ("name: !!python/object/apply:os.system ['echo']\n", "第1行第7列格式有误：不支持以 ! 开头的标记"),
    ("name: x\n  title: a: b\n", "第2行"),
    ("name: x\n页面: [1, .nan]\n", "“页面[1]”的值不是数字"),
    (bytes(range(256)), "既不是 UTF-8 也不是 GB18030 编码"),
])
def test_a_layout_file_that_cannot_be_read_says_where_in_chinese(tmp_path, content, said):
    path = tmp_path / "版式.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(LayoutError) as refused:
        load_layout(path)
    message = str(refused.value)
    assert message.startswith("版式.yaml：") and said in message, message
    assert not re.search(r"[A-Za-z]{4,}", message.removeprefix("版式.yaml：").replace("Tab", "")), message


def test_a_layout_saved_in_gbk_is_read(tmp_path):
    path = tmp_path / "版式.yaml"
    text = (LAYOUTS_DIR / "name-card.yaml").read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    assert load_layout(path).spec.title == "党员名片"
