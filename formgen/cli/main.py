"""Command line: argument parsing and reporting only; the work is done by formgen.api."""
from __future__ import annotations

import argparse
import codecs
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from formgen import api
from formgen.input import selection
from formgen.cli.parser import ChineseArgumentParser
from formgen.compose.composer import Composer, RenderReport
from formgen.fonts import FontBook, UncoveredCharacter
from formgen.input.layouts import LayoutError, builtin_layouts, load_layout
from formgen.input.org import OrgError, load_org
from formgen.input.problem_list import write_problem_list
from formgen.problems import ERROR, WARNING, Problem
from formgen.input.records import RosterError, resembling_column
from formgen.writers import FORMATS

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
from formgen.resources import SAMPLES_DIR  # noqa: E402


class UsageError(Exception):
    pass


def parse_sets(pairs: Sequence[str]) -> dict[str, Any]:
    """--set key=value pairs; values read as YAML scalars or lists: 3, true, [a, b], text."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set 的写法是 键=值，而不是 {pair!r}")
        try:
            options[key.strip()] = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            options[key.strip()] = value
    return options


def formats_of(choice: str) -> tuple[str, ...]:
    return FORMATS if choice == "all" else (choice,)


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("layout", help="版式：内置版式名（见 formgen list）或版式 .yaml 文件")
    parser.add_argument("data", type=Path, help="名册：.xlsx、.xls、.csv（UTF-8 或 GB18030）或 .json 文件")
    parser.add_argument("--photos", type=Path, help="照片文件夹，含子文件夹（依次按「照片」列、工号、姓名查找）")
    parser.add_argument("--org", type=Path, help="单位资料（.yaml），版式中用作 org.*")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                        help="设置版式选项（options.KEY），如 --set back=copy；可重复")
    parser.add_argument("--sheet", help="要读取的工作表（默认第一个）")
    parser.add_argument("--font-dir", dest="font_dirs", action="append", type=Path, default=[],
                        help="另加的 TrueType 字体文件夹，在自带字体之后使用；可重复")
    parser.add_argument("--copies", type=int, help="每条记录印几份（如每名党员几份问卷）")
    parser.add_argument("--only", dest="only", action="append", default=[], metavar="COLUMN=VALUE",
                        help="只要 COLUMN 列为 VALUE 的记录，如 --only 所属党支部=机关第一党支部；"
                             "可重复（同一列写两次：取其一即可）")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="formgen", description="由党员名册生成可直接打印的 PDF "
                                     "和可编辑的 DOCX：名片、承诺、问卷、清单、证书和劝学信。")
    commands = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")

    listing = commands.add_parser("list", help="列出内置版式及其所用的列")
    listing.set_defaults(func=cmd_list)

    render = commands.add_parser("render", help="为名册中每条记录生成版式")
    _add_data_options(render)
    render.add_argument("-o", "--output", type=Path, required=True,
                        help="输出文件（.pdf 或 .docx）；用 --split 或 --by 时为文件夹")
    per_file = render.add_mutually_exclusive_group()
    per_file.add_argument("--split", action="store_true", help="每条记录一个文件，放在 -o 文件夹中")
    per_file.add_argument("--by", dest="group_by", metavar="COLUMN",
                          help="COLUMN 列的每个值一个文件，放在 -o 文件夹中，如 --by 所属党支部")
    render.add_argument("--name", dest="name_template",
                        help="--split 的文件名模板，如 '{{ 所属党支部 }}-{{ 姓名 }}'")
    render.add_argument("--format", choices=(*FORMATS, "all"),
                        help="输出格式；默认按 -o 的扩展名，否则为 pdf")
    render.add_argument("-q", "--quiet", action="store_true", help="不显示进度，只显示汇总")
    render.set_defaults(func=cmd_render)

    check = commands.add_parser("check", help="检查名册和照片，报告所有问题，不生成文件")
    _add_data_options(check)
    check.add_argument("--report", type=Path, metavar="FILE.xlsx", help="另把全部问题写成一张 Excel 问题清单")
    check.set_defaults(func=cmd_check)

    demo = commands.add_parser("demo", help="用 samples/ 中的示例生成全部版式")
    demo.add_argument("-o", "--output", type=Path, required=True, help="存放生成文件的文件夹")
    demo.add_argument("--format", choices=(*FORMATS, "all"), default="all", help="默认 all（PDF 和 DOCX）")
    demo.set_defaults(func=cmd_demo)

    template = commands.add_parser("template", help="生成空白名册（.xlsx），含所选版式要用的全部列和填写说明；"
                                   "也可生成 awards 的成绩表、survey-tally 的答卷表")
    template.add_argument("layouts", nargs="+", metavar="layout",
                          help="版式名或版式 .yaml 文件，可写多个；或 awards（成绩表）、survey-tally（答卷表）")
    template.add_argument("-o", "--output", type=Path, required=True, help="要写入的 .xlsx 文件")
    template.add_argument("--force", action="store_true", help="文件已存在时覆盖它")
    template.set_defaults(func=cmd_template)

    from formgen.cli import campaign as cli_awards

    cli_awards.add_commands(commands)
    return parser


def _option_value(value: Any) -> str:
    """An option's default as it would be written after --set: true, 3, text; （空） for nothing."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value not in (None, "") else "（空）"


def cmd_list(args: argparse.Namespace) -> int:
    for layout in builtin_layouts():
        spec = layout.spec
        print(f"{spec.name:<20} {spec.title}")
        if spec.description:
            print(f"{'':<20} {spec.description}")
        print(f"{'':<20} 所用的列：{'、'.join(layout.fields())}")
        if spec.options:
            shown = "  ".join(f"{k}={_option_value(v)}" for k, v in spec.options.items()
                              if not isinstance(v, (list, dict)))
            if shown:
                print(f"{'':<20} 选项（--set）：{shown}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from formgen.input.roster_template import score_sheet_columns, survey_answer_columns, write_roster_template, write_template

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
        columns = score_sheet_columns()
        write_template(columns, args.output, "成绩")
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


def _load(args: argparse.Namespace):
    layout = load_layout(args.layout)
    org = load_org(args.org)
    book = FontBook(extra_dirs=args.font_dirs) if args.font_dirs else None
    if book is not None:
        _report_font_dirs(book, args.font_dirs)
    roster = api.load_records(args.data, args.photos, args.sheet, find_photos=layout.uses_photo())
    roster = selection.select(roster, selection.parse_filters(args.only))
    if layout.uses_photo() and args.photos is None and not any(r.photo for r in roster.records):
        print("提示：此版式印照片，但没有用 --photos 指定照片文件夹；每人的照片位置将印一个照片框", file=sys.stderr)
    return layout, org, book, roster


def _report_font_dirs(book: FontBook, folders: Sequence[Path]) -> None:
    """Say which fonts of --font-dir were left out and why, so that a missing character is not a mystery."""
    if not book.extra_order:
        print(f"提示：{'、'.join(map(str, folders))} 中没有可用的 TrueType 字体（.ttf/.ttc）", file=sys.stderr)
    for reason in book.skipped[:10]:
        print(f"提示：字体 {reason}", file=sys.stderr)
    if len(book.skipped) > 10:
        print(f"提示：另有{len(book.skipped) - 10}个字体未使用", file=sys.stderr)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


SHOWN_PER_LEVEL = 20  # on screen; the problem list holds them all


def _summary(report: RenderReport, total: int, problem_list: Optional[Path]) -> None:
    print(f"共{total}条记录，已生成{report.rendered}条，{report.pages}页；"
          f"警告{len(report.warnings)}处，未生成{len(report.failed)}条", file=sys.stderr)
    for title, problems in (("未生成的记录：", report.failed), ("警告：", report.warnings)):
        if problems:
            print(title, file=sys.stderr)
            _print_problems(problems[:SHOWN_PER_LEVEL])
            if len(problems) > SHOWN_PER_LEVEL:
                print(f"  ……另有{len(problems) - SHOWN_PER_LEVEL}条，全部见问题清单", file=sys.stderr)
    if problem_list is not None:
        print(f"问题清单（可在 Excel 中排序、筛选）：{problem_list}", file=sys.stderr)
    for path in report.outputs[:20]:
        print(f"已写入 {path}", file=sys.stderr)
    if len(report.outputs) > 20:
        print(f"另外还写入了{len(report.outputs) - 20}个文件", file=sys.stderr)


def _perhaps(column: str, roster) -> str:
    """A hint when a column of the roster looks like the missing one under another header."""
    similar = resembling_column(column, roster.columns)
    return f"（“{similar}”列是不是「{column}」？是的话请把表头改成“{column}”）" if similar else ""


def _missing_columns(layout, roster) -> tuple[list[str], list[str]]:
    """(required columns the roster lacks, other used fields it lacks)."""
    present = set(roster.columns)
    required = [c for c in layout.spec.required if c not in present]
    used = [c for c in layout.fields() if c not in present and c not in required]
    return required, used


def _output_formats(args: argparse.Namespace) -> tuple[str, ...]:
    if args.format:
        return formats_of(args.format)
    if args.split or args.group_by:
        return ("pdf",)
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"-o {args.output}：请给出 .pdf 或 .docx 文件名，或用 --format 指定格式")
    return (suffix,)


def cmd_render(args: argparse.Namespace) -> int:
    formats = _output_formats(args)  # before the roster is read: a typo here should not wait for it
    layout, org, book, roster = _load(args)
    required, absent = _missing_columns(layout, roster)
    if required:
        raise UsageError(f"{roster.source} 缺少版式 {layout.name} 必需的列：{'、'.join(required)}"
                         + "".join(_perhaps(column, roster) for column in required))
    for column in absent:
        print(f"提示：{roster.source} 中没有「{column}」列，这一项将留空{_perhaps(column, roster)}", file=sys.stderr)
    if args.org is None:
        print("提示：未指定 --org 单位信息文件，单位名称和二维码将留空", file=sys.stderr)
    progress = None if args.quiet else api.print_progress
    report = api.render_records(layout, roster, args.output, org=org, options=parse_sets(args.sets),
                                formats=formats, split=args.split, name_template=args.name_template,
                                copies=args.copies, book=book, progress=progress,
                                group_by=selection.canonical_column(args.group_by))
    problem_list = None
    if report.failed or report.warnings:
        # Beside the documents, never among them: a folder of documents is often printed whole.
        stem = args.output.name if args.split or args.group_by else args.output.stem
        problem_list = args.output.with_name(f"{stem}-问题清单.xlsx")
        write_problem_list(report.failed + report.warnings, problem_list)
    _summary(report, len(roster.records), problem_list)
    if report.rendered == 0:
        print("没有任何记录能够生成，没有写入文档", file=sys.stderr)
    elif "docx" in formats and layout.turns_a_face():
        print("提示：Word 文件中倒置的一面（对折后的背面）是文字的图片，不能在 Word 里直接修改；"
              "要改背面，请改名册后重新生成", file=sys.stderr)
    return EXIT_OK if not report.failed else EXIT_SOME_FAILED


def cmd_check(args: argparse.Namespace) -> int:
    if args.report and args.report.suffix.lower() != ".xlsx":
        raise UsageError(f"问题清单要写成 .xlsx 文件，而不是“{args.report.name}”")
    layout, org, book, roster = _load(args)
    problems: list[Problem] = list(roster.problems)
    required, absent = _missing_columns(layout, roster)
    problems += [Problem(ERROR, "版式需要这一列，名册中没有" + _perhaps(c, roster), column=c, source=roster.source)
                 for c in required]
    problems += [Problem(WARNING, "名册中没有这一列，这一项将留空" + _perhaps(c, roster), column=c,
                         source=roster.source) for c in absent]
    report = RenderReport()
    composer = Composer(layout, org=org, options=parse_sets(args.sets), copies=args.copies,
                        **({"book": book} if book else {}))
    for _ in composer.compose(roster.records, report):
        pass
    problems += report.failed + report.warnings
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.level == ERROR)
    warnings = len(problems) - errors
    print(f"已检查{len(roster.records)}条记录：错误{errors}处，警告{warnings}处", file=sys.stderr)
    if args.report:
        write_problem_list(problems, args.report)
        print(f"问题清单已写入 {args.report}", file=sys.stderr)
    return EXIT_SOME_FAILED if errors else EXIT_OK


DEMO_JOBS = (
    # (layout, roster, options)
    ("name-card", "roster.xlsx", {}),
    ("name-card-badge", "roster.xlsx", {}),
    ("pledge-card", "roster.xlsx", {}),
    ("survey", "roster.xlsx", {"quarter": "2024Q3"}),
    ("monthly-summary", "roster.xlsx", {}),
)


def cmd_demo(args: argparse.Namespace) -> int:
    out: Path = args.output
    out.mkdir(parents=True, exist_ok=True)
    org = load_org(SAMPLES_DIR / "org.yaml")
    status = EXIT_OK
    for layout_name, roster_name, options in DEMO_JOBS:
        report = api.render_records(layout_name, SAMPLES_DIR / roster_name, out / f"{layout_name}.pdf", org=org,
                                    options=options, formats=formats_of(args.format),
                                    photos=SAMPLES_DIR / "photos")
        names = ", ".join(p.name for p in report.outputs)
        print(f"{layout_name}：已生成{report.rendered}条记录，{report.pages}页，警告{len(report.warnings)}处，"
              f"未生成{len(report.failed)}条 → {names}", file=sys.stderr)
        _print_problems(report.failed)
        if report.failed:
            status = EXIT_SOME_FAILED
    from formgen.cli import campaign as cli_awards

    # The sample score sheet and survey carry deliberate mistakes; they are reported, not failures.
    cli_awards.demo(SAMPLES_DIR, out, formats_of(args.format))
    return status


def describe_os_error(exc: OSError) -> str:
    """A file-system error as a clerk would say it; messages we wrote ourselves pass through."""
    if not exc.filename:
        return str(exc)
    name = exc.filename
    if isinstance(exc, FileNotFoundError):
        return f"找不到文件或文件夹：{name}"
    if isinstance(exc, PermissionError):
        return f"没有权限读写 {name}（文件是否正在 Excel、WPS 或 PDF 阅读器中打开？）"
    if isinstance(exc, IsADirectoryError):
        return f"{name} 是文件夹，这里需要一个文件"
    if isinstance(exc, NotADirectoryError):
        return f"{name} 不是文件夹"
    return f"{name}：{exc.strerror or exc}"


def speak_every_character(stream) -> None:
    """Output redirected to a file on Chinese Windows is GBK, which lacks 䶮 and 𫖯: printing such a name
    would stop the program. GBK becomes GB18030 (its superset, the same bytes for every GBK character,
    and a code for every other); any other narrow encoding shows what it lacks as \\u escapes."""
    if not hasattr(stream, "reconfigure") or not getattr(stream, "encoding", None):
        return
    try:
        name = codecs.lookup(stream.encoding).name
    except LookupError:
        return
    if name in ("gbk", "gb2312"):
        stream.reconfigure(encoding="gb18030")
    elif not name.startswith(("utf", "gb18030")):
        stream.reconfigure(errors="backslashreplace")


def main(argv: Optional[Sequence[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        speak_every_character(stream)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, LayoutError, OrgError, RosterError, UncoveredCharacter, ValueError) as exc:
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
