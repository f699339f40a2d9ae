"""The command line end to end: exit codes, summaries, hostile rosters, split files."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from formgen.cli.main import main
from formgen.cli.parser import translate_error
from formgen.input.records import load_roster
from formgen.resources import SAMPLES_DIR as SAMPLES

from .conftest import pdf_text, portrait


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "formgen", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A roster with every kind of trouble a real one has, and its photo folder."""
    photos = tmp_path / "photos"
    photos.mkdir()
    portrait(photos / "good.jpg")
    (photos / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    whole = portrait(tmp_path / "whole.jpg", size=(1200, 1600)).read_bytes()
    (photos / "truncated.jpg").write_bytes(whole[: len(whole) // 3])
    Image.new("1", (12000, 8000)).save(photos / "huge.png")  # 96 megapixels
    rows = [
        ["000101", "<b>李&明</b>", "值长", "机关第一党支部", "good.jpg"],        # row 2
        ["000102", "王\x07喆", "技术员", "机关第一党支部", "corrupt.jpg"],      # row 3: control char
        [None, None, None, None, None],                                        # row 4: empty
        ["000103", "赵😀", "安全员", "生产运营党支部", "good.jpg"],           # row 5: emoji: fails
        ["000104", "刘䶮", "技术员", "生产运营党支部", "missing.jpg"],         # row 6
        ["000105", "陈㛃", "技术员", "生产运营党支部", "truncated.jpg"],       # row 7
        ["000106", "黄𫖯", "技术员", "生产运营党支部", "huge.png"],            # row 8
        ["000101", "张敏", "技术员", "生产运营党支部", ""],                    # row 9: duplicate 工号
        ["000107", "", "技术员", "生产运营党支部", ""],                        # row 10: no name: fails
    ]
    lines = ["工号,姓名,职务,所属党支部,照片"] + [",".join(cell or "" for cell in row) for row in rows]
    path = tmp_path / "hostile.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))  # Excel's "CSV UTF-8"
    return path, photos


def test_hostile_roster_renders_everything_that_can_be(tmp_path, hostile):
    roster, photos = hostile
    out = tmp_path / "out.pdf"
    result = run("render", "name-card", str(roster), "-o", str(out), "--photos", str(photos))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "共8条记录，已生成6条" in result.stderr
    err = result.stderr
    assert re.search(r"第5行（赵😀）「姓名」列：.*U\+1F600.*没有任何可用字体", err)
    assert re.search(r"第10行.*「姓名」列：为空", err)
    assert re.search(r"第3行（王喆）「姓名」列：.*U\+0007", err)
    assert re.search(r"第3行（王喆）「照片」列：.*corrupt\.jpg", err)
    assert re.search(r"第7行.*truncated\.jpg", err)
    assert re.search(r"第8行.*huge\.png.*过大", err)
    assert re.search(r"第2行.*000101.*第 2、9 行", err) and re.search(r"第9行.*000101", err)
    # The photo folder was given: the missing photo is reported once, as missing from that folder.
    row6 = [line for line in err.splitlines() if "第6行" in line and "「照片」列" in line]
    assert any("missing.jpg" in line and str(photos) in line for line in row6)
    assert not any("--photos" in line for line in row6)
    pages = [re.sub(r"\s+", "", p) for p in pdf_text(out)]
    assert len(pages) == 6
    assert "<b>李&明</b>" in pages[0]
    assert "王喆" in pages[1]
    assert not any("赵" in p for p in pages)


def test_all_failed_writes_no_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n1,😀\n", encoding="utf-8")
    out = tmp_path / "none.pdf"
    assert main(["render", "name-card", str(path), "-o", str(out), "-q"]) == 1
    assert not out.exists()
    assert not list(tmp_path.glob("*.part"))


def test_usage_errors_exit_2(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("工号,职务\n1,值长\n", encoding="utf-8")
    assert main(["render", "name-card", str(path), "-o", str(tmp_path / "x.pdf")]) == 2
    assert re.search(r"^错误：.*r\.csv 缺少版式“党员名片”必需的列：姓名", capsys.readouterr().err, re.M)
    assert main(["render", "no-such-layout", str(path), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no-such-layout" in capsys.readouterr().err
    assert main(["render", "name-card", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "x.pdf")]) == 2
    assert re.search(r"^错误：.*missing\.xlsx：找不到文件", capsys.readouterr().err, re.M)
    assert main(["render", "name-card", str(path), "-o", str(tmp_path / "x.txt")]) == 2
    assert ".pdf 或 .docx" in capsys.readouterr().err
    assert not list(tmp_path.glob("x.*"))


def test_split_writes_one_safe_file_per_record(tmp_path, roster, org):
    out = tmp_path / "split"
    code = main(["render", "pledge-card", str(roster), "-o", str(out), "--split", "--org", str(org),
                 "--name", "{{ 所属党支部 }}/{{ 姓名 }}:承诺", "-q"])
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 6
    assert "机关第一党支部_王喆_承诺.pdf" in files
    for name in files:
        assert not re.search(r'[<>:"/\\|?*]', name)


@pytest.mark.parametrize("template, said", [
    ("{{ 支部 }}-{{ 姓名 }}", "--name 文件名模板中的「支部」不是名册中的列"),
    ("{{ 姓名 ", "模板 '{{ 姓名'：写法有误"),
])
def test_a_mistyped_file_name_template_is_said_before_anything_is_written(tmp_path, capsys, template, said):
    """A field the roster lacks, or a brace missing, named every file row-N without a word."""
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名,所属党支部\n000101,王喆,一支部\n000102,李堃,二支部\n", encoding="utf-8")
    out = tmp_path / "split"
    assert main(["render", "survey", str(roster), "-o", str(out), "--split", "--name", template, "-q"]) == 2
    assert said in capsys.readouterr().err and not out.exists()
    assert main(["render", "survey", str(roster), "-o", str(out), "--split", "--name", "{{ 工号 }}-{{ copy }}",
                 "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["000101-1.pdf", "000102-1.pdf"]


def test_check_reports_without_writing(tmp_path, hostile, capsys):
    roster, photos = hostile
    code = main(["check", "name-card", str(roster), "--photos", str(photos)])
    captured = capsys.readouterr()
    assert code == 1
    assert "U+1F600" in captured.out and "missing.jpg" in captured.out
    assert not list(tmp_path.glob("*.pdf"))


def test_copies_and_set_options(tmp_path, roster, org):
    out = tmp_path / "survey.pdf"
    code = main(["render", "survey", str(roster), "-o", str(out), "--org", str(org), "--copies", "2",
                 "--set", "quarter=2024Q3", "--set", "questions=[服务态度, 工作效率]", "-q"])
    assert code == 0
    pages = [re.sub(r"\s+", "", p) for p in pdf_text(out)]
    assert len(pages) == 12
    assert "机关党员第三季度创优服务调查问卷" in pages[0]
    assert "2024年第三季度" in pages[0]
    assert "工作效率" in pages[0] and "业务完成质量" not in pages[0]
    assert "□5星" in pages[0] and "□1星" in pages[0]


def test_list_shows_every_layout(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("name-card", "name-card-badge", "pledge-card", "survey", "monthly-summary"):
        assert name in out


def test_sheet_option_and_split_docx(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本文件第二个工作表是名册"])
    sheet = workbook.create_sheet("名册")
    sheet.append(["工号", "姓名"])
    sheet.append(["000101", "王喆"])
    sheet.append(["000102", "李堃"])
    workbook.save(tmp_path / "r.xlsx")
    out = tmp_path / "split"
    assert main(["render", "pledge-card", str(tmp_path / "r.xlsx"), "--sheet", "名册", "-o", str(out), "--split",
                 "--format", "all", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["000101-王喆-承诺.docx", "000101-王喆-承诺.pdf",
                                                    "000102-李堃-承诺.docx", "000102-李堃-承诺.pdf"]
    assert main(["render", "pledge-card", str(tmp_path / "r.xlsx"), "--sheet", "无此表", "-o", str(out / "x.pdf")]) == 2


def test_qr_content_too_long_fails_the_record_clearly(tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text('[{"工号": "1", "姓名": "王喆"}, {"工号": "2", "姓名": "李堃"}]', encoding="utf-8")
    out = tmp_path / "x.pdf"
    code = main(["render", "name-card", str(path), "-o", str(out), "--set", "qr=" + "很长的内容" * 200 + "{{ 姓名 }}",
                 "-q"])  # each member's own code, each too long
    assert code == 1 and not out.exists()  # every record fails, so nothing is written
    errors = [line.strip() for line in capsys.readouterr().err.splitlines() if line.strip().startswith("错误")]
    # the same problem of both records: one line naming both
    assert len(errors) == 1 and "第1行（王喆）、第2行（李堃）共2人" in errors[0], errors
    assert "二维码内容太长（3006 字节）" in errors[0]


def test_demo_renders_every_sample(tmp_path, capsys):
    """The README's set-up command: every layout, the award rules and the tally from samples/."""
    from openpyxl import load_workbook

    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out), "--format", "pdf"]) == 0
    err = capsys.readouterr().err
    # the summary lists its warnings, not only their number: the sample photo too small to print sharply
    assert re.search(r"name-card：已生成20条记录，20页，警告2处.*\n.*第11行（孙洋）「照片」列：000110\.jpg 在此尺寸下只有 "
                     r"102 dpi（低于 150），打印会发虚\n", err)
    members = load_roster(SAMPLES / "roster.xlsx").records
    for name, per_page in (("名片", 1), ("胸卡", 10), ("承诺卡", 1), ("问卷", 1), ("月度清单", 1)):
        pages = [re.sub(r"\s+", "", page) for page in pdf_text(out / f"{name}.pdf")]
        assert len(pages) >= -(-len(members) // per_page), name
        text = "".join(pages)
        missing = [m.who for m in members if m.who not in text]
        assert missing == [], (name, missing)
    certificates = re.sub(r"\s+", "", "".join(pdf_text(out / "评选" / "荣誉证书.pdf")))
    assert "学习之星" in certificates and "进步之星" in certificates
    assert "同志：" in "".join(pdf_text(out / "评选" / "劝学信.pdf"))
    assert (out / "评选" / "评选结果.xlsx").exists() and (out / "问卷统计" / "问卷统计.xlsx").exists()
    # the rest of the paperwork, each document named as clerks call it
    texts = {name: re.sub(r"\s+", "", "".join(pdf_text(out / name))) for name in (
        "亮标准清单.pdf", "安全帽标志.pdf", "圆形安全帽标志.pdf", "小号安全帽标志.pdf", "小号圆形安全帽标志.pdf",
        "支部考核/支部考核情况.pdf", "支部考核/支部季度工作清单.pdf", "支部考核/约谈通知.pdf", "政治生日/政治生日贺卡.pdf",
        "按名单发证/荣誉证书.pdf")}
    assert "党员季度亮标准管理清单" in texts["亮标准清单.pdf"]
    assert all("共产党员" in texts[name] for name in texts if name.endswith("安全帽标志.pdf"))
    assert "平均得分" in texts["支部考核/支部考核情况.pdf"] and "高峰同志：" in texts["支部考核/约谈通知.pdf"]
    assert "生产运营党支部" in texts["支部考核/支部季度工作清单.pdf"] and "刘䶮同志：" in texts["政治生日/政治生日贺卡.pdf"]
    assert "1号机组A级检修项目：" in texts["按名单发证/荣誉证书.pdf"]
    for workbook, sheet in (("支部考核/支部考核结果.xlsx", "五星党支部"), ("政治生日/政治生日名单.xlsx", "名单"),
                            ("按名单发证/证书清单.xlsx", "证书")):
        assert sheet in load_workbook(out / workbook).sheetnames, workbook
    # every file and folder a clerk opens has a Chinese name that Windows accepts (formgen-data is the
    # program's own ledger and keys)
    names = [p.relative_to(out) for p in out.rglob("*") if "formgen-data" not in p.relative_to(out).parts]
    assert [n for n in names if not re.search(r"[\u4e00-\u9fff]", n.name)] == []
    assert [n for n in names if re.search(r'[<>:"\\|?*]', n.name)] == []


def _branch_roster(tmp_path: Path) -> Path:
    path = tmp_path / "branches.csv"
    path.write_text("工号,姓名,支部\n1,王喆,机关第一党支部\n2,李堃,生产运营党支部\n3,刘䶮,机关第一党支部\n"
                    "4,黄𫖯,\n5,赵敏,生产／运营\n", encoding="utf-8")
    return path


def test_by_branch_writes_one_file_per_branch_in_every_format(tmp_path, capsys):
    out = tmp_path / "cards"
    assert main(["render", "name-card-badge", str(_branch_roster(tmp_path)), "-o", str(out),
                 "--by", "支部", "--format", "all", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}.{fmt}" for stem in ("机关第一党支部", "生产运营党支部", "未填写所属党支部", "生产／运营")
        for fmt in ("pdf", "docx"))
    first = re.sub(r"\s+", "", "".join(pdf_text(out / "机关第一党支部.pdf")))
    assert "王喆" in first and "刘䶮" in first and "李堃" not in first
    assert "黄𫖯" in re.sub(r"\s+", "", "".join(pdf_text(out / "未填写所属党支部.pdf")))
    # Four branches, one badge sheet each, counted once although written as PDF and DOCX.
    assert "共5条记录，已生成5条，4页" in capsys.readouterr().err


def test_only_keeps_the_chosen_records_and_says_what_exists_when_none_match(tmp_path, capsys):
    roster = _branch_roster(tmp_path)
    out = tmp_path / "one.pdf"
    assert main(["render", "name-card-badge", str(roster), "-o", str(out), "--only", "所属党支部=机关第一党支部",
                 "--only", "支部=生产运营党支部", "-q"]) == 0
    text = re.sub(r"\s+", "", "".join(pdf_text(out)))
    assert all(name in text for name in ("王喆", "刘䶮", "李堃")) and "黄𫖯" not in text and "赵敏" not in text
    capsys.readouterr()
    assert main(["render", "name-card-badge", str(roster), "-o", str(tmp_path / "none.pdf"),
                 "--only", "支部=机关一支部"]) == 2
    err = capsys.readouterr().err
    assert "没有「所属党支部」为“机关一支部”的记录" in err and "机关第一党支部、生产运营党支部、生产／运营）" in err
    assert not (tmp_path / "none.pdf").exists()
    assert main(["check", "name-card-badge", str(roster), "--only", "职称=高级"]) == 2
    assert "没有「职称」列" in capsys.readouterr().err


def test_help_and_usage_errors_speak_chinese(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["render", "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：formgen render")
    assert "显示本帮助并退出" in help_text and "照片文件夹" in help_text
    assert "show this help" not in help_text and "usage:" not in help_text

    with pytest.raises(SystemExit) as exited:
        main(["render", "name-card", "roster.xlsx"])
    assert exited.value.code == 2
    assert "formgen render：错误：缺少必需的参数：-o/--output" in capsys.readouterr().err

    with pytest.raises(SystemExit) as exited:
        main(["render", "name-card", "roster.xlsx", "-o", "x.pdf", "--copies", "三"])
    assert exited.value.code == 2
    assert "参数 --copies：“三”不是份数" in capsys.readouterr().err


def help_of(capsys, command: str) -> str:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return "".join(capsys.readouterr().out.split())  # argparse's wrapping undone (spaces too)


def test_the_sheet_read_by_default_is_the_one_the_help_names(tmp_path, capsys):
    """certify, stickers and birthdays read the sheet Excel shows on opening, as render does — their help
    said the first sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    for title, name in (("旧名单", "甲某"), ("新名单", "乙某")):
        sheet = workbook.active if title == "旧名单" else workbook.create_sheet(title)
        sheet.title = title
        sheet.append(["姓名", "所属党支部", "入党日期", "奖项", "事由", "期间"])
        sheet.append([name, "一支部", "2000-10-01", "先进个人", "事由", "2024"])
    workbook.active = 1
    workbook.save(tmp_path / "两表.xlsx")
    capsys.readouterr()
    assert main(["birthdays", str(tmp_path / "两表.xlsx"), "--month", "2024-10", "-o", str(tmp_path / "bd"),
                 "--dry-run"]) == 0
    assert "乙某" in capsys.readouterr().out
    assert main(["certify", str(tmp_path / "两表.xlsx"), "-o", str(tmp_path / "cf"), "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert "乙某" in listed and "甲某" not in listed
    for command in ("certify", "stickers", "birthdays", "render"):
        text = help_of(capsys, command)
        assert "默认为打开文件时显示的那一张" in text and "默认第一个" not in text


def test_the_pass_mark_help_allows_the_profiles_scale(tmp_path, capsys):
    """--pass-mark goes up to 总分's full marks, which score_scale may make 200: the help said 0–100."""
    assert "0–100" not in help_of(capsys, "awards")
    assert "0至总分的满分" in help_of(capsys, "awards")
    (tmp_path / "org.yaml").write_text(f"data_dir: {tmp_path / 'data'}\nscore_scale: {{政治理论: 100, 业务知识: 100}}\n",
                                       encoding="utf-8")
    (tmp_path / "s.csv").write_text("姓名,所属党支部,季度,政治理论,业务知识\n王喆,一支部,2024Q3,90,80\n李堃,一支部,2024Q3,60,60\n",
                                    encoding="utf-8")
    assert main(["awards", str(tmp_path / "s.csv"), "--quarter", "2024Q3", "--org", str(tmp_path / "org.yaml"),
                 "-o", str(tmp_path / "out"), "--dry-run", "--pass-mark", "150"]) == 0
    out = capsys.readouterr().out
    assert "合格线150分" in out


@pytest.mark.parametrize("message, chinese", [
    ("unrecognized arguments: --bogus", "无法识别的参数：--bogus"),
    ("argument --by: not allowed with argument --split", "参数 --by 不能与 --split 同时使用"),
    ("argument --format: invalid choice: 'rtf' (choose from 'pdf', 'docx', 'all')",
     "参数 --format 不能是 'rtf'；可选：'pdf', 'docx', 'all'"),
    ("argument --pass-mark: invalid float value: 'x'", "参数 --pass-mark 的值 'x' 不是数字"),
    ("argument -o/--output: expected one argument", "参数 -o/--output 后面要写一个值"),
    ("something argparse says one day", "something argparse says one day"),
])
def test_argparse_messages_are_reworded(message, chinese):
    assert translate_error(message) == chinese


def test_list_names_fields_and_option_defaults_as_they_are_written(capsys):
    assert main(["list"]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"^monthly-summary +党员月工作业绩总结清单（也可写作 月度清单）$", listing, re.M)
    assert "所用的列：姓名、工号、月份" in listing
    assert "month=（空）  blank=false" in listing


def test_list_shows_the_options_that_are_lists_too(capsys):
    """The survey's questions are the option clerks change most (--set 'questions=[…]'): listed with the
    others, as they would be written after --set; a list of lists by its length."""
    assert main(["list"]) == 0
    listing = capsys.readouterr().out
    assert "quarter=（空）  questions=[服务态度, 业务完成质量, 是否在规定时间内完成]  ratings=[5星, 4星, 3星, 2星, 1星]" in listing
    assert "选项（--set）：commitments=（5项的列表）" in listing
    assert "checklist=（4项的列表）" in listing


@pytest.mark.parametrize("layout, columns, not_printed", [
    ("interview-notice", ["季度", "工号", "姓名", "所属党支部", "总平均"], "职务"),  # survey-tally's 约谈名单
    ("certificate", ["姓名", "奖项", "事由", "颁发日期"], "所属党支部"),
])
def test_no_column_is_said_to_be_left_empty_that_the_layout_never_prints(tmp_path, capsys, layout, columns,
                                                                        not_printed):
    (tmp_path / "list.csv").write_text(",".join(columns) + "\n" + ",".join(["2024Q3", "000101", "王喆", "一支部", "2.5"]
                                                                            if layout == "interview-notice" else
                                                                            ["王喆", "学习之星", "成绩优异", "2024-10-08"]) + "\n",
                                       encoding="utf-8")
    assert main(["render", layout, str(tmp_path / "list.csv"), "-o", str(tmp_path / "out.pdf"), "-q"]) == 0
    said = capsys.readouterr().err
    assert f"没有「{not_printed}」列" not in said
    assert not_printed not in "".join(pdf_text(tmp_path / "out.pdf"))


def test_roster_template_has_the_layouts_columns_and_reads_back(tmp_path, capsys):
    from openpyxl import load_workbook

    from formgen.input.records import load_roster

    out = tmp_path / "名册模板.xlsx"
    assert main(["template", "name-card", "monthly-summary", "-o", str(out)]) == 0
    assert "红色表头为必填：姓名" in capsys.readouterr().err
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["名册", "填写说明"]
    sheet = workbook["名册"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["工号", "姓名", "职务", "所属党支部", "单位", "照片"]
    assert {"党员义务", "重点工作任务", "月份", "自评分", "支部评分"} <= set(headers)
    assert sheet["B1"].font.color.rgb.endswith("C00000") and "必填" in sheet["B1"].comment.text
    assert sheet.column_dimensions["A"].number_format == "@"  # 工号 typed 000101 stays text
    score_column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[headers.index("自评分")]
    checks = [v for v in sheet.data_validations.dataValidation if score_column + "2" in str(v.sqref)]
    assert [(v.type, v.formula1, v.formula2) for v in checks] == [("decimal", "0", "100")]

    # A clerk fills in a row; the roster reads it with no problem and the card renders.
    sheet.append({1: "000101", 2: "王喆", 3: "党支部书记", 4: "机关第一党支部"})
    workbook.save(out)
    roster = load_roster(out)
    assert [(r.values["工号"], r.values["姓名"]) for r in roster.records] == [("000101", "王喆")]
    assert roster.problems == ()


def test_a_roster_template_says_which_columns_one_of_which_is_needed(tmp_path):
    """约谈通知 goes to 姓名 or else to 所属党支部's secretary: neither header is red, both notes say it."""
    from openpyxl import load_workbook

    out = tmp_path / "约谈名单.xlsx"
    assert main(["template", "interview-notice", "-o", str(out)]) == 0
    notes = {row[0]: row[3] for row in load_workbook(out)["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert "姓名、所属党支部至少填写一项" in notes["姓名"] and "姓名、所属党支部至少填写一项" in notes["所属党支部"]
    assert "至少" not in notes["约谈事由"]


def test_roster_template_never_overwrites_a_roster_unasked(tmp_path, capsys):
    out = tmp_path / "名册.xlsx"
    out.write_bytes(b"the roster, filled in")
    assert main(["template", "pledge-card", "-o", str(out)]) == 2
    assert "已存在，没有覆盖" in capsys.readouterr().err and out.read_bytes() == b"the roster, filled in"
    assert main(["template", "pledge-card", "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"PK")
    assert main(["template", "no-such-layout", "-o", str(tmp_path / "t.xlsx")]) == 2
    assert "没有名为“no-such-layout”的版式" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()


def test_names_beyond_gbk_do_not_stop_output_redirected_on_chinese_windows(tmp_path):
    """A file that cmd.exe redirects to is GBK, which has no 䶮 or 𫖯; the output is GB18030 instead."""
    import os

    samples = Path(__file__).resolve().parent.parent / "samples"
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-m", "formgen", "survey-tally", str(samples / "survey-responses.xlsx"),
                           "--roster", str(samples / "roster.xlsx"), "-o", str(tmp_path)], env=env,
                          capture_output=True, timeout=120)
    assert done.returncode == 1  # one answer sheet names no member: reported, the rest tallied
    out = done.stdout.decode("gb18030")
    assert "刘䶮（5.00）" in out and "黄𫖯（5.00）" in out
    assert "已写入" in done.stderr.decode("gb18030")


def test_upper_case_extensions_as_windows_shows_them(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n000101,王喆\n", encoding="utf-8")
    for name, magic in (("名片.PDF", b"%PDF"), ("名片.Docx", b"PK")):
        assert main(["render", "pledge-card", str(path), "-o", str(tmp_path / name), "-q"]) == 0
        assert (tmp_path / name).read_bytes().startswith(magic)


def test_problems_go_to_a_workbook_beside_the_output_and_the_screen_stays_short(tmp_path, capsys):
    from openpyxl import load_workbook

    rows = "".join(f"{100 + n:06d},成员{n}\n" for n in range(30))  # 30 members, one photo: 29 warnings
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n" + rows + "000999,\n", encoding="utf-8")  # and one with no name: an error
    photos = tmp_path / "photos"
    photos.mkdir()
    portrait(photos / "000129.jpg")
    out = tmp_path / "名片.pdf"
    assert main(["render", "name-card-badge", str(path), "--photos", str(photos), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    # The same warning of 29 members is one line naming the first of them, not 20 lines and a remainder.
    assert err.count("「照片」列：没有找到照片") == 1 and "……另有" not in err
    assert "警告：r.csv 第2行（成员0）、第3行（成员1）、第4行（成员2）、第5行（成员3）、第6行（成员4）等29人「照片」列：" \
           "没有找到照片" in err
    listing = tmp_path / "名片-问题清单.xlsx"
    assert f"问题清单（可在 Excel 中排序、筛选）：{listing}" in err
    sheet = load_workbook(listing).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0] == ["级别", "文件", "行", "姓名", "列", "问题", "版式位置"]
    assert table[1][:5] == ["错误", "r.csv", 32, "000999", "姓名"]  # errors first
    # where in the layout, for whoever edits layouts: in its own column, not in the clerk's message
    assert table[2][5] == "没有找到照片，印一个照片框代替" and table[2][6] == "elements[2] (photo)"
    assert len(table) == 1 + 1 + 29 and {row[0] for row in table[2:]} == {"警告"}

    report = tmp_path / "检查.xlsx"
    assert main(["check", "name-card-badge", str(path), "--photos", str(photos), "--report", str(report)]) == 1
    # check's screen groups the same problem as render's does; its workbook has a row for each
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4 and "第32行（000999）「姓名」列：为空" in printed[0]
    assert "等29人「照片」列：没有找到照片" in printed[3]
    assert load_workbook(report).active.max_row == 1 + 1 + 2 + 29


def test_templates_for_the_score_sheet_and_the_survey_answers_read_back(tmp_path, capsys):
    from openpyxl import load_workbook

    from formgen.campaign.scores import load_scores
    from formgen.campaign.survey import tally
    from formgen.chinese import parse_quarter

    scores = tmp_path / "成绩表.xlsx"
    assert main(["template", "awards", "-o", str(scores)]) == 0
    workbook = load_workbook(scores)
    workbook.active.append(["000101", "王喆", "机关第一党支部", "2024Q3", 45, 40])
    workbook.save(scores)
    sheet = load_scores(scores)
    assert [(r.name, r.total) for r in sheet.of(parse_quarter("2024Q3"))] == [("王喆", 85)]
    assert sheet.problems == []

    answers = tmp_path / "答卷.xlsx"
    assert main(["template", "survey-tally", "-o", str(answers)]) == 0
    workbook = load_workbook(answers)
    sheet = workbook.active
    assert [v.formula1 for v in sheet.data_validations.dataValidation] == ['"5星,4星,3星,2星,1星"'] * 3
    sheet.append(["000101", "王喆", "2024Q3", "5星", "4星", "5星"])
    workbook.save(answers)
    result = tally(answers)
    assert result.questions == ["服务态度", "业务完成质量", "是否在规定时间内完成"]
    assert [(m.name, round(m.overall, 2)) for m in result.members] == [("王喆", 4.67)]

    assert main(["template", "awards", "name-card", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "要单独生成" in capsys.readouterr().err


def test_the_clerk_is_told_the_turned_face_of_a_docx_is_a_picture(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n000101,王喆\n", encoding="utf-8")
    assert main(["render", "name-card", str(path), "-o", str(tmp_path / "n.docx"), "-q"]) == 0
    assert "倒置的一面（对折后的背面）是文字的图片" in capsys.readouterr().err
    assert main(["render", "name-card", str(path), "-o", str(tmp_path / "n.pdf"), "-q"]) == 0
    assert main(["render", "pledge-card", str(path), "-o", str(tmp_path / "p.docx"), "-q"]) == 0
    assert "倒置的一面" not in capsys.readouterr().err


def test_a_forgotten_photo_folder_is_said_once(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,照片\n000101,王喆,000101.jpg\n000102,李堃,\n", encoding="utf-8")
    assert main(["render", "pledge-card", str(path), "-o", str(tmp_path / "p.pdf"), "-q"]) == 0
    err = capsys.readouterr().err
    assert err.count("没有指定照片文件夹（网页上在「② 照片」上传，命令行用 --photos 照片文件夹）") == 1 and "没有找到照片" not in err


@pytest.mark.parametrize("with_folder", [False, True])
def test_check_says_once_that_nobody_has_a_photo(tmp_path, capsys, with_folder):
    """Without --photos (or with a folder where nobody's photo is), one line for the batch, not one per member."""
    path = tmp_path / "r.csv"
    path.write_text("姓名\n" + "".join(f"成员{n}\n" for n in range(40)), encoding="utf-8")
    folder = tmp_path / "照片"
    folder.mkdir()
    portrait(folder / "000101.jpg")  # named by a 工号 the roster does not have
    extra = ["--photos", str(folder)] if with_folder else []
    assert main(["check", "name-card-badge", str(path), *extra]) == 0
    photo_lines = [line for line in capsys.readouterr().out.splitlines() if "照片" in line]
    expected = (f"照片文件夹 {folder} 中没有找到任何人的照片" if with_folder
                else "此版式印照片，但没有指定照片文件夹（网页上在「② 照片」上传，命令行用 --photos 照片文件夹）；每人的照片位置印一个照片框")
    assert sum(expected in line for line in photo_lines) == 1
    assert not any("没有找到照片" in line for line in photo_lines)
    # with a folder, the picture nobody got is named once too (a 工号 missing from the roster)
    assert len(photo_lines) == (2 if with_folder else 1), photo_lines


def test_a_member_without_a_photo_among_others_is_still_named(tmp_path):
    from formgen.api import Job, compose, load_records

    folder = tmp_path / "photos"
    folder.mkdir()
    portrait(folder / "王喆.jpg")
    composition = compose(Job("name-card-badge"), load_records([{"姓名": "王喆"}, {"姓名": "李堃"}], folder))
    assert [(p.who, p.message) for p in composition.report.warnings] == [("李堃", "没有找到照片，印一个照片框代替")]


def test_a_column_under_another_header_is_suggested(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,所在支部组织,备注\n000101,王喆,机关第一党支部,\n", encoding="utf-8")
    assert main(["render", "name-card-badge", str(path), "-o", str(tmp_path / "b.pdf"), "-q"]) == 0
    err = capsys.readouterr().err
    assert ("r.csv 中没有「所属党支部」列，这一项将留空（“所在支部组织”列是不是「所属党支部」？"
            "是的话请把表头改成“所属党支部”）") in err
    assert "「职务」列，这一项将留空\n" in err  # nothing like 职务 in this roster: no guess


def test_check_says_a_missing_required_column_once_not_for_every_row(tmp_path, capsys):
    roster = tmp_path / "名册.csv"
    roster.write_text("工号,职务\n" + "".join(f"{100 + i:06d},技术员\n" for i in range(30)), encoding="utf-8")
    assert main(["check", "name-card", str(roster)]) == 1
    out = capsys.readouterr().out
    assert out.count("「姓名」列：版式需要这一列，名册中没有") == 1
    assert "为空" not in out


def test_check_groups_the_same_problem_of_many_members(tmp_path, capsys):
    roster = tmp_path / "名册.csv"
    roster.write_text("工号,姓名,职务\n" + "".join(f"{100 + i:06d},,技术员\n" for i in range(12)), encoding="utf-8")
    assert main(["check", "name-card", str(roster)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "为空，但此版式必须填写" in line]
    assert len(lines) == 1
    assert "第2行" in lines[0] and "等12人" in lines[0] and "第13行" not in lines[0]


def test_a_layout_needing_one_of_two_columns_names_both_when_both_are_missing(tmp_path, capsys):
    roster = tmp_path / "名册.csv"
    roster.write_text("工号,职务\n000101,技术员\n000102,值长\n", encoding="utf-8")
    assert main(["render", "interview-notice", str(roster), "-o", str(tmp_path / "通知.pdf")]) == 2
    assert "必需的列：「姓名」或「所属党支部」" in capsys.readouterr().err
    assert not (tmp_path / "通知.pdf").exists()
    assert main(["check", "interview-notice", str(roster)]) == 1
    out = capsys.readouterr().out
    assert "版式需要「姓名」或「所属党支部」列，名册中都没有" in out
    assert "都为空" not in out
