"""Command line: the parser and the commands that render (list, render, check, demo, template).

Each command parses, calls formgen.api and prints; the work is done by the API.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from formgen.cli.campaign import PDFA_HELP
from formgen.cli.console import (
    describe_os_error,
    grouped,
    load_profile,
    print_problems,
    print_progress,
    say,
    speak_every_character,
    summary,
)
from formgen.cli.parser import ChineseArgumentParser
from formgen.input.yaml_safe import YamlLimit, load_yaml
from formgen.limits import MAX_COPIES
from formgen.problems import BatchRefused
from formgen.writers import FORMATS

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(ValueError):
    """The command line asks for something that cannot be done; the message says what to write instead."""


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"要写一个正整数，而不是 {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"要写一个正整数，而不是 {text!r}")
    return value


_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")


def parse_sets(pairs: Sequence[str]) -> dict[str, Any]:
    """--set key=value pairs; values read as YAML scalars or lists: 3, true, [a, b], text."""
    import yaml  # here, not at the top: `formgen --help` should not wait for it

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set 的写法是 键=值，而不是 {pair!r}")
        if _SEXAGESIMAL.fullmatch(value.strip()):  # YAML 1.1 reads 14:30 as the number 870: a time is text
            options[key.strip()] = value.strip()
            continue
        try:
            options[key.strip()] = load_yaml(value, f"--set {key.strip()}") if value.strip() else ""
        except YamlLimit as exc:
            raise UsageError(str(exc)) from None
        except yaml.YAMLError:
            options[key.strip()] = value
    return options


def parse_columns(pairs: Sequence[str]) -> dict[str, str]:
    """--column 字段=表头 pairs as {表头: 字段}: a header the roster spells its own way, read as that field."""
    from formgen.input.records import COLUMN_ALIASES

    header_map: dict[str, str] = {}
    for pair in pairs:
        field_name, sep, header = (part.strip() for part in pair.partition("="))
        if not sep or not field_name or not header:
            raise UsageError(f"--column 的写法是 字段=名册中的表头，如 --column 所属党支部=支部信息，而不是 {pair!r}")
        if header in COLUMN_ALIASES and field_name not in COLUMN_ALIASES:
            field_name, header = header, field_name  # written the other way round: 支部信息=所属党支部
        header_map[header] = field_name
    return header_map


def add_column_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--column", dest="columns", action="append", default=[], metavar="字段=表头",
                        help="名册中表头写法不同的列按哪个字段读，如 --column 所属党支部=支部信息；可重复")


def formats_of(choice: str) -> tuple[str, ...]:
    return FORMATS if choice == "all" else (choice,)


def _copies(text: str) -> int:
    try:
        copies = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是份数；请写 1–{MAX_COPIES} 的整数") from None
    if not 1 <= copies <= MAX_COPIES:
        raise argparse.ArgumentTypeError(f"份数 {copies} 不在 1–{MAX_COPIES} 之间（每条记录最多印{MAX_COPIES}份）")
    return copies


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("layout", metavar="版式",
                        help="内置版式名，如 名片 或 name-card（全部版式见 formgen list），或版式 .yaml 文件")
    parser.add_argument("data", type=Path, metavar="名册",
                        help="名册文件：.xlsx、.xls、.csv（UTF-8 或 GB18030）或 .json，如 名册.xlsx")
    parser.add_argument("--photos", type=Path, metavar="照片文件夹",
                        help="照片文件夹，含子文件夹（依次按「照片」列、工号、姓名查找），如 --photos 照片")
    parser.add_argument("--org", type=Path, metavar="单位.yaml",
                        help="单位资料文件，如 --org 单位.yaml（照 samples/org.yaml 填写）；版式中用作 org.*")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="选项=值",
                        help="设置版式选项，如 --set quarter=2024Q3、--set back=copy；可重复")
    parser.add_argument("--sheet", metavar="工作表",
                        help="要读取的工作表，如 --sheet 党员名册（默认为打开文件时显示的那一张）")
    parser.add_argument("--encoding", metavar="编码",
                        help="CSV 文件的编码，无法自动判断时使用，如 --encoding gb18030、big5、shift_jis")
    parser.add_argument("--font-dir", dest="font_dirs", action="append", type=Path, default=[], metavar="字体文件夹",
                        help="另加的 TrueType 字体文件夹，在自带字体之后使用，如 --font-dir C:\\Windows\\Fonts；可重复")
    parser.add_argument("--copies", type=_copies, metavar="份数",
                        help=f"每条记录印几份（1–{MAX_COPIES}），如 --copies 3（每名党员 3 份问卷）")
    parser.add_argument("--only", dest="only", action="append", default=[], metavar="列=值",
                        help="只要某列为某值的记录，如 --only 所属党支部=机关第一党支部；"
                             "可重复（同一列写两次：取其一即可）")
    add_column_option(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="formgen", description="由党员名册生成可直接打印的 PDF "
                                     "和可编辑的 DOCX：名片、承诺、问卷、清单、证书和劝学信。")
    commands = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")

    listing = commands.add_parser("list", help="列出内置版式及其所用的列")
    listing.set_defaults(func=cmd_list)

    render = commands.add_parser("render", help="为名册中每条记录生成版式")
    _add_data_options(render)
    render.add_argument("-o", "--output", type=Path, required=True, metavar="输出文件",
                        help="输出文件（.pdf 或 .docx），如 -o 名片.pdf；用 --split 或 --by 时为文件夹，如 -o 名片")
    per_file = render.add_mutually_exclusive_group()
    per_file.add_argument("--split", action="store_true", help="每条记录一个文件，放在 -o 文件夹中")
    per_file.add_argument("--by", dest="group_by", metavar="列",
                          help="这一列的每个值一个文件，放在 -o 文件夹中，如 --by 所属党支部")
    render.add_argument("--name", dest="name_template", metavar="文件名模板",
                        help="--split 的文件名模板，如 --name '{{ 所属党支部 }}-{{ 姓名 }}'")
    render.add_argument("--format", choices=(*FORMATS, "all"),
                        help="输出格式；默认按 -o 的扩展名，否则为 pdf")
    render.add_argument("-q", "--quiet", action="store_true", help="不显示进度，只显示汇总")
    render.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    render.add_argument("--force", action="store_true",
                        help="问题清单的文件名已被别的文件占用时覆盖它（formgen 自己以前写的问题清单总是更新）")
    render.add_argument("--jobs", type=_jobs, metavar="N",
                        help="同时排版的进程数（默认：本机全部核心；1 为只用一个）")
    render.add_argument("--no-cache", dest="cache", action="store_false",
                        help="不使用也不保存缓存（默认把处理好的照片和排好的每条记录存在本机缓存文件夹，改了几行再次生成时更快）")
    render.set_defaults(func=cmd_render)

    check = commands.add_parser("check", help="检查名册和照片，报告所有问题，不生成文件")
    _add_data_options(check)
    check.add_argument("--report", type=Path, metavar="问题清单.xlsx",
                       help="另把全部问题写成一张 Excel 问题清单，如 --report 问题清单.xlsx")
    check.add_argument("--force", action="store_true", help="--report 的文件已存在（且不是以前的问题清单）时覆盖它")
    check.add_argument("--jobs", type=_jobs, metavar="N", help="同时检查的进程数（默认：本机全部核心）")
    check.set_defaults(func=cmd_check)

    proof = commands.add_parser("proof", help="生成蒙古文校对单（PDF）：列出这批文件要印的全部蒙古文及对应汉文，"
                                "供通晓蒙古文的同志核对签字后再印制")
    _add_data_options(proof)
    proof.add_argument("-o", "--output", type=Path, required=True, metavar="校对单.pdf",
                       help="校对单文件，如 -o 蒙古文校对单.pdf")
    proof.set_defaults(func=cmd_proof)

    demo = commands.add_parser("demo", help="用 samples/ 中的示例生成全部版式")
    demo.add_argument("-o", "--output", type=Path, required=True, metavar="文件夹",
                      help="存放生成文件的文件夹，如 -o 示例")
    demo.add_argument("--format", choices=(*FORMATS, "all"), default="all", help="默认 all（PDF 和 DOCX）")
    demo.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    demo.set_defaults(func=cmd_demo)

    template = commands.add_parser("template", help="生成空白名册（.xlsx），含所选版式要用的全部列和填写说明；"
                                   "也可生成 awards 的成绩表、survey-tally 的答卷表")
    template.add_argument("layouts", nargs="+", metavar="版式",
                          help="版式名或版式 .yaml 文件，可写多个，如 名片 承诺卡；或 awards（成绩表）、"
                               "survey-tally（答卷表）")
    template.add_argument("-o", "--output", type=Path, required=True, metavar="文件.xlsx",
                          help="要写入的 .xlsx 文件，如 -o 名册模板.xlsx")
    template.add_argument("--force", action="store_true", help="文件已存在时覆盖它")
    template.add_argument("--org", type=Path, metavar="单位.yaml",
                          help="单位资料，如 --org 单位.yaml：成绩表按其中的 score_scale 写明满分（默认各科50分、总分100分）")
    template.set_defaults(func=cmd_template)

    from formgen.cli import campaign, paperwork

    campaign.add_commands(commands)
    paperwork.add_commands(commands)

    serve = commands.add_parser("serve", help="打开 formgen 网页：在浏览器中上传名册、照片，检查、预览、生成和下载")
    serve.add_argument("--host", default="127.0.0.1", metavar="地址",
                       help="监听的地址（默认 127.0.0.1，只有本机能打开；0.0.0.0 对办公室网络开放，需要密码或访问码）")
    serve.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000；0 表示任选一个空闲端口），如 --port 8080")
    serve.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    serve.add_argument("--data-dir", type=Path, metavar="文件夹", help="保存上传文件、单位信息、证书密钥和台账的文件夹"
                       "（默认：用户的应用数据文件夹中的 formgen）")
    serve.add_argument("--password", metavar="密码", help="对办公室网络开放时要输入的密码；"
                       "不给则启动时显示一个访问码；如 --password 党办2024")
    serve.set_defaults(func=cmd_serve)
    return parser


def cmd_serve(args: argparse.Namespace) -> int:
    from formgen.web.app import default_data_dir
    from formgen.web.server import serve

    password = args.password or os.environ.get("FORMGEN_PASSWORD") or None
    serve(args.host, args.port, args.data_dir or default_data_dir(), not args.no_browser, password)
    return EXIT_OK


def _option_value(value: Any) -> str:
    """An option's default as it would be written after --set: true, 3, text, [a, b]; （空） for nothing; a
    list of lists (the pledge card's headings and columns) only by its length, too long for a line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value):
            return f"[{', '.join(str(item) for item in value)}]"
        return f"（{len(value)}项的列表）"
    if isinstance(value, dict):
        return f"（{len(value)}项）"
    return str(value) if value not in (None, "") else "（空）"


def cmd_list(args: argparse.Namespace) -> int:
    from formgen.input.layouts import builtin_layouts

    for layout in builtin_layouts():
        spec = layout.spec
        also = f"（也可写作 {'、'.join(spec.aliases)}）" if spec.aliases else ""
        print(f"{spec.name:<20} {spec.title}{also}")
        if spec.description:
            print(f"{'':<20} {spec.description}")
        print(f"{'':<20} 所用的列：{'、'.join(layout.fields())}")
        if spec.options:
            shown = "  ".join(f"{k}={_option_value(v)}" for k, v in spec.options.items())
            print(f"{'':<20} 选项（--set）：{shown}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from formgen.input.layouts import load_layout
    from formgen.input.roster_template import (
        score_sheet_columns,
        survey_answer_columns,
        write_roster_template,
        write_template,
    )

    if args.output.suffix.lower() != ".xlsx":
        raise UsageError(f"名册模板要写成 .xlsx 文件，而不是“{args.output.name}”")
    if args.output.exists() and not args.force:
        # The name a clerk types is often that of the roster already filled in.
        raise UsageError(f"{args.output} 已存在，没有覆盖；请换一个文件名，或加 --force 覆盖")
    inputs = {"awards", "survey-tally"} & set(args.layouts)
    if inputs and len(args.layouts) > 1:
        first = sorted(inputs)[0]
        raise UsageError(f"{'、'.join(sorted(inputs))} 的表格要单独生成：formgen template {first} -o 文件.xlsx")
    if "awards" in inputs:
        from formgen.campaign.scores import describe_scale, scale_of
        from formgen.input.org import load_org

        scale = scale_of(load_org(args.org))
        columns = score_sheet_columns(scale)
        write_template(columns, args.output, "成绩")
        say(f"成绩{describe_scale(scale)}（单位资料中的 score_scale 可以改）")
    elif "survey-tally" in inputs:
        options = load_layout("survey").spec.options
        columns = survey_answer_columns(options["questions"], options["ratings"])
        write_template(columns, args.output, "答卷")
    else:
        columns = write_roster_template([load_layout(name) for name in args.layouts], args.output)
    required = "、".join(column.name for column in columns if column.required)
    print(f"已写入 {args.output}（{len(columns)}列"
          + (f"；红色表头为必填：{required}" if required else "") + "；各列的填写说明见第二张工作表）", file=sys.stderr)
    return EXIT_OK


def _environment(args: argparse.Namespace):
    """The bundled fonts, with those of --font-dir after them."""
    from formgen.fonts import FontBook
    from formgen.typeset.composer import Environment

    cache = getattr(args, "cache", True)  # render's --no-cache; check and others keep the default
    if not args.font_dirs:
        return Environment.default(cache=cache)
    book = FontBook(extra_dirs=args.font_dirs)
    _report_font_dirs(book, args.font_dirs)
    return Environment.default(book=book, cache=cache)


def _load(args: argparse.Namespace):
    """The job, the roster (photos found, --only applied) and the environment of a command."""
    from formgen import api
    from formgen.input import selection

    layout = api.load_layout(args.layout)
    job = api.Job(layout, org=load_profile(args.org), options=parse_sets(args.sets), copies=args.copies)
    env = _environment(args)
    roster = api.load_records(args.data, args.photos, args.sheet, find_photo_files=layout.uses_photo(),
                              header_map=parse_columns(args.columns), encoding=args.encoding)
    roster = selection.select(roster, selection.parse_filters(args.only))
    return job, roster, env


def _report_font_dirs(book, folders: Sequence[Path]) -> None:
    """Say which fonts of --font-dir were left out and why, so that a missing character is not a mystery."""
    if not book.extra_order:
        print(f"提示：{'、'.join(map(str, folders))} 中没有可用的 TrueType 字体（.ttf/.ttc）", file=sys.stderr)
    for reason in book.skipped[:10]:
        print(f"提示：字体 {reason}", file=sys.stderr)
    if len(book.skipped) > 10:
        print(f"提示：另有{len(book.skipped) - 10}个字体未使用", file=sys.stderr)


def _output_formats(args: argparse.Namespace) -> tuple[str, ...]:
    if args.format:
        return formats_of(args.format)
    if args.split or args.group_by:
        return ("pdf",)
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"-o {args.output}：请给出 .pdf 或 .docx 文件名，或用 --format 指定格式")
    return (suffix,)


def problem_list_path(output: Path, folder: bool) -> Path:
    """Where render puts its problem list: beside the documents, never among them (a folder of documents
    is often printed whole): 名片.pdf → 名片-问题清单.xlsx; the folder 名片 → 名片-问题清单.xlsx beside it."""
    if not folder:
        return output.with_name(f"{output.stem}-问题清单.xlsx")
    if output.name not in ("", ".", ".."):
        return output.with_name(f"{output.name}-问题清单.xlsx")
    resolved = output.resolve()
    if resolved.parent == resolved:  # the root of a drive has nothing beside it
        return resolved / "问题清单.xlsx"
    return resolved.parent / f"{resolved.name}-问题清单.xlsx"


def _inputs(args: argparse.Namespace) -> list[Path]:
    return [path for path in (getattr(args, "data", None), getattr(args, "org", None)) if path is not None]


def _check_name_template(template: str, columns: Sequence[str]) -> None:
    """--name before the batch: a typo in it would otherwise name every file row-N, without a word."""
    from formgen import templating
    from formgen.typeset.context import CONTEXT_NAMES

    unknown = sorted(name for name in templating.names_used(template)  # a syntax error: said in Chinese
                     if name not in CONTEXT_NAMES and name not in columns)
    if unknown:
        raise UsageError(f"--name 文件名模板中的「{'」「'.join(unknown)}」不是名册中的列"
                         f"（现有的列：{'、'.join(columns)}）；文件没有生成")


def cmd_render(args: argparse.Namespace) -> int:
    from formgen import api
    from formgen.input import selection
    from formgen.input.problem_list import check_problem_list_target, write_problem_list

    formats = _output_formats(args)  # before the roster is read: a typo here should not wait for it
    if args.pdfa and "pdf" not in formats:
        raise UsageError("--pdfa 只用于 PDF 文件；请去掉 --pdfa，或用 --format pdf 或 all")
    problem_list = problem_list_path(args.output, bool(args.split or args.group_by))
    check_problem_list_target(problem_list, _inputs(args), args.force)  # before the batch, not after it
    job, roster, env = _load(args)
    layout = job.layout
    if args.name_template:
        _check_name_template(args.name_template, roster.columns)
    required, absent = api.missing_columns(layout, roster, job.options)
    if required:
        raise UsageError(f"{roster.source} 缺少版式“{layout.spec.title}”必需的列："
                         f"{'、'.join(api.required_label(layout, column) for column in required)}"
                         + "".join(api.perhaps(column, roster) for column in required))
    stood_in_for = layout.stood_in_for(job.options) if absent else {}
    for column in absent:
        notice = api.absent_notice(layout, column, job.options, stood_in_for).removeprefix("名册中没有这一列，")
        say(f"提示：{roster.source} 中没有「{column}」列，{notice}{api.perhaps(column, roster)}")
    if args.org is None:
        say("提示：未指定 --org 单位信息文件，单位名称和二维码将留空")
    output = api.Output(args.output, formats, per_record=args.split,
                        group_by=selection.canonical_column(args.group_by), name_template=args.name_template,
                        pdfa=args.pdfa)
    try:
        report = api.render(job, roster, output, env=env, progress=None if args.quiet else print_progress,
                            jobs=args.jobs)
    except BatchRefused as refused:
        print_problems(refused.problems)
        say("没有生成任何文件")
        return EXIT_USAGE
    if report.failed or report.warnings:
        write_problem_list(report.failed + report.warnings, problem_list)
    else:
        problem_list = None
    summary(report, len(roster.records), problem_list)
    if report.rendered == 0:
        say("没有任何记录能够生成，没有写入文档")
    elif "docx" in formats and layout.turns_a_face():
        say("提示：Word 文件中倒置的一面（对折后的背面）是文字的图片，不能在 Word 里直接修改；"
            "要改背面，请改名册后重新生成")
    return EXIT_OK if not report.failed else EXIT_SOME_FAILED


def cmd_check(args: argparse.Namespace) -> int:
    from formgen import api
    from formgen.input.problem_list import check_problem_list_target, write_problem_list
    from formgen.problems import ERROR

    if args.report:
        check_problem_list_target(args.report, _inputs(args), args.force)
    job, roster, env = _load(args)
    # errors first: the missing columns, then the records
    problems = api.check(job, roster, env=env, jobs=args.jobs).problems
    for line in grouped(problems):  # the same problem of many rows on one line; the list has each
        print(line)
    errors = sum(1 for p in problems if p.level == ERROR)
    warnings = len(problems) - errors
    say(f"已检查{len(roster.records)}条记录：错误{errors}处，警告{warnings}处")
    if args.report:
        write_problem_list(problems, args.report)
        say(f"问题清单已写入 {args.report}")
    return EXIT_SOME_FAILED if errors else EXIT_OK


def cmd_proof(args: argparse.Namespace) -> int:
    from formgen.api.proof import proof

    if args.output.suffix.lower() != ".pdf":
        raise UsageError(f"校对单要写成 .pdf 文件，而不是“{args.output.name}”")
    from formgen import api
    from formgen.input import selection

    # Photos are not looked up: the proof sheet is about the Mongolian, and prints no photo.
    job = api.Job(api.load_layout(args.layout), org=load_profile(args.org), options=parse_sets(args.sets),
                  copies=args.copies)
    env = _environment(args)
    roster = api.load_records(args.data, None, args.sheet, find_photo_files=False)
    roster = selection.select(roster, selection.parse_filters(args.only))
    report = proof(job, roster, args.output, env=env, source=Path(args.data).name)
    print_problems(report.failed + [p for p in report.warnings if p.column != "照片"])
    if not report.entries:
        say("提示：这批文件不印蒙古文（此版式没有蒙古文，或没有记录能够生成）")
    say(f"共{len(roster.records)}条记录，{report.rendered}条可以生成，未生成{len(report.failed)}条；"
        f"校对单列出蒙古文{len(report.entries)}条，{report.pages}页")
    say(f"已写入 {args.output}")
    return EXIT_OK if not report.failed else EXIT_SOME_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    from formgen.api.demo import run_demo
    from formgen.cli.campaign import print_awards, print_tally

    status = EXIT_OK
    result = run_demo(args.output, formats_of(args.format), pdfa=args.pdfa)
    for layout_name, report in result.layouts:
        names = ", ".join(p.name for p in report.outputs)
        say(f"{layout_name}：已生成{report.rendered}条记录，{report.pages}页，警告{len(report.warnings)}处，"
            f"未生成{len(report.failed)}条 → {names}")
        print_problems(report.failed + report.warnings)
        if report.failed:
            status = EXIT_SOME_FAILED
    # The sample score sheet and survey carry deliberate mistakes; they are reported, not failures.
    print_awards(result.awards)
    print_tally(result.tally)
    for step in result.paperwork:
        say(f"{step.name}：" + ("、".join(p.name for p in step.outputs) or "未生成文件")
            + (f"；示例中的{len(step.problems)}处问题：" if step.problems else ""))
        print_problems(step.problems)
    return status


def main(argv: Optional[Sequence[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        speak_every_character(stream)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:  # usage, layout, profile, roster and font errors: each says what is wrong
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # Whoever read our output (`| head`) has stopped reading: stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_SOME_FAILED
    except OSError as exc:
        print(f"错误：{describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断；没有留下不完整的文件", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
