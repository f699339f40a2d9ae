"""Commands for the rest of the campaign's paperwork: certify, branch-review, birthdays, stickers.

Each parses, calls formgen.api and prints; the rules live in formgen.campaign, the work in formgen.api.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from formgen.cli.campaign import PDFA_HELP, _date, _quarter
from formgen.cli.main import add_column_option, parse_columns
from formgen.cli.console import load_profile, print_problems, say
from formgen.limits import MAX_STICKERS_PER_BRANCH
from formgen.writers import FORMATS

if TYPE_CHECKING:
    from formgen.api.render import RenderReport


def _formats(choice: str) -> tuple[str, ...]:
    return FORMATS if choice == "all" else (choice,)


def _print_written(report: "RenderReport", what: str) -> None:
    for path in report.outputs:
        say(f"已写入 {path}（{what.format(report.rendered)}）")
    print_problems(report.failed)


# --- certify ------------------------------------------------------------------------------------------------


def cmd_certify(args: argparse.Namespace) -> int:
    from formgen.api.certify import run_certify

    if args.background and not args.background.exists():
        raise FileNotFoundError(f"找不到背景图片文件：{args.background}；未发证，也未写入任何文件")
    result = run_certify(args.nominations, load_profile(args.org), None if args.dry_run else args.output,
                         _formats(args.format), args.issue_date, args.background, args.sheet, pdfa=args.pdfa)
    if result.issued:
        for issued in result.issued:
            n = issued.nomination
            print(f"{issued.serial}\t{n.award}\t{n.period.label}\t{n.holder}\t{n.branch}")
    else:
        for n in result.nominations:
            print(f"{n.award}\t{n.period.label}\t{n.holder}\t{n.branch}")
    if not result.nominations:
        say("名单中没有可以发证的行；未写入任何文件")
    if result.problems:
        say(f"名单中有{len(result.problems)}处问题：")
        print_problems(result.problems)
    if result.keys_created:
        say(f"已在 {result.keys_created} 中生成签名密钥对（请妥善保管私钥，不要外传）")
    for path in result.outputs:
        if path.suffix == ".xlsx":
            say(f"已写入 {path}")
    if result.document:
        _print_written(result.document, "{}份证书")
    if args.dry_run and result.nominations:
        say(f"共{len(result.nominations)}份证书可以发放（--dry-run：未登记编号，未写入文件）")
    return 1 if result.rejected or result.failed else 0


# --- birthdays ----------------------------------------------------------------------------------------------


def _month(text: str) -> tuple[int, int]:
    from formgen.campaign.birthdays import parse_month

    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_birthdays(args: argparse.Namespace) -> int:
    from formgen.api.birthdays import run_birthdays
    from formgen.cli.main import parse_sets

    year, month = args.month
    result = run_birthdays(args.data, year, month, load_profile(args.org), None if args.dry_run else args.output,
                           _formats(args.format), args.sheet, args.only, args.issue_date, parse_sets(args.sets),
                           pdfa=args.pdfa, header_map=parse_columns(args.columns))
    print(f"{year}年{month}月过政治生日的党员：{len(result.birthdays)}名（名册共{result.members}人）")
    for branch, birthdays in result.by_branch().items():
        print(f"{branch}（{len(birthdays)}名）")
        for b in birthdays:
            mark = f"  {b.mark}" if b.mark else ""
            note = f"  （{b.note}）" if b.note else ""
            print(f"  {b.date_text}\t{b.record.values.get('姓名', '')}\t{b.joined.text}入党\t入党{b.years}周年{mark}{note}")
    if result.problems:
        say(f"有{len(result.problems)}处问题（这些党员不在名单中）：")
        print_problems(result.problems)
    for path in result.outputs:
        if path.suffix == ".xlsx":
            say(f"已写入 {path}")
    if result.document:
        _print_written(result.document, "{}张贺卡")
    return 1 if result.failed else 0


# --- branch-review ------------------------------------------------------------------------------------------


def cmd_branch_review(args: argparse.Namespace) -> int:
    from formgen.api.branch_review import FORMS, NOTICES, REPORT, NoBranchScores, run_branch_review
    from formgen.cli.main import parse_sets

    try:
        result = run_branch_review(args.scores, args.quarter, load_profile(args.org),
                                   None if args.dry_run else args.output, _formats(args.format), args.roster,
                                   args.pass_mark, args.five_star_mark, args.issue_date, parse_sets(args.sets),
                                   pdfa=args.pdfa, roster_columns=parse_columns(args.columns))
    except NoBranchScores as exc:
        say(f"错误：{exc}")
        print_problems(exc.problems)
        return 2
    review = result.review
    print(f"{review.quarter.label}共{len(review.ranking)}个党支部参加考核，平均{review.average:g}分")
    for r in review.ranking:
        s = r.score
        secretary = s.secretary or "（支部书记未知）"
        print(f"{r.place}\t{s.branch}\t{secretary}\t{s.total:g}分\t{r.verdict}")
    print("约谈：" + ("、".join(f"{r.score.branch}{r.score.secretary}" for r in review.talks) or "无"))
    print("建议评为五星党支部：" + ("、".join(r.score.branch for r in review.five_stars) or "无"))
    if review.problems:
        say(f"考核表中有{len(review.problems)}处问题：")
        print_problems(review.problems)
    for path in result.outputs:
        if path.suffix == ".xlsx":
            say(f"已写入 {path}")
    words = {REPORT: "{}份考核情况", FORMS: "{}份支部季度工作清单", NOTICES: "{}份约谈通知"}
    for name, report in result.documents.items():
        _print_written(report, words[name])
    return 1 if result.rejected or result.failed else 0


# --- stickers -----------------------------------------------------------------------------------------------


def cmd_stickers(args: argparse.Namespace) -> int:
    from formgen.api.stickers import NoEmblem, TooManyStickers, run_stickers
    from formgen.cli.main import problem_list_path
    from formgen.input.layouts import load_layout
    from formgen.input.problem_list import check_problem_list_target, write_problem_list

    formats = _formats(args.format) if args.format else (args.output.suffix.lower().lstrip(".") or "pdf",)
    if any(fmt not in FORMATS for fmt in formats):
        raise ValueError(f"-o {args.output}：请给出 .pdf 或 .docx 文件名，或用 --format 指定格式")
    problem_list = problem_list_path(args.output, False)  # 安全帽标志.pdf → 安全帽标志-问题清单.xlsx
    check_problem_list_target(problem_list, [args.data], False)
    try:
        result = run_stickers(args.data, args.output, formats, args.design, args.size, args.per_branch,
                              args.emblem, args.name, None, args.sheet, args.only, pdfa=args.pdfa,
                              header_map=parse_columns(args.columns))
    except (NoEmblem, TooManyStickers) as exc:
        say(f"错误：{exc}")
        return 2
    if result.problems:
        print_problems(result.problems)
    if not args.emblem:
        say("提示：未指定 --emblem 党徽图片，标志只印文字（党徽图案有规定，本程序不会自行绘制）")
    if not result.records:
        why = "原因见上面的提示" if result.problems else f"{args.data.name} 中没有任何党员或支部"
        say(f"错误：没有可以印的标志（{why}），没有生成文件")
        return 2
    say(f"共{result.records}个标志：{load_layout(result.layout).spec.title}")
    _print_written(result.report, "{}个标志")
    problems = result.problems + result.report.problems
    if problems:  # as render does: every row left out and why, to sort and filter in Excel
        write_problem_list(problems, problem_list)
        say(f"问题清单（可在 Excel 中排序、筛选）：{problem_list}")
    return 1 if result.report.failed else 0


def _per_branch(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数量；请写 1–{MAX_STICKERS_PER_BRANCH} 的整数") from None
    if not 1 <= count <= MAX_STICKERS_PER_BRANCH:
        raise argparse.ArgumentTypeError(f"数量 {count} 不在 1–{MAX_STICKERS_PER_BRANCH} 之间（每个支部的上限）")
    return count


def add_commands(commands) -> None:
    certify = commands.add_parser("certify", help="按获奖名单发证：创效之星、先进个人、优秀项目、五星党支部等；"
                                  "登记编号、签名二维码，可用 formgen verify 验证")
    certify.add_argument("nominations", type=Path, metavar="获奖名单",
                         help="获奖名单（.xlsx、.xls 或 .csv）：姓名或获奖者、所属党支部、奖项、事由、期间，如 获奖名单.xlsx")
    certify.add_argument("--sheet", metavar="工作表",
                         help="要读取的工作表（默认为打开文件时显示的那一张），如 branch-review 写的 支部考核结果.xlsx 中的 五星党支部")
    certify.add_argument("--org", type=Path, metavar="单位.yaml",
                         help="单位资料（名称、数据文件夹、验证网址、印章），如 单位.yaml")
    certify.add_argument("-o", "--output", type=Path, required=True, metavar="文件夹",
                         help="存放证书（荣誉证书.pdf）和证书清单（证书清单.xlsx）的文件夹，如 证书")
    certify.add_argument("--issue-date", type=_date, metavar="日期", help="证书上的日期（默认今天），如 2024-10-08")
    certify.add_argument("--background", type=Path, metavar="图片", help="证书底图（代替绘制的边框），如 底图.png")
    certify.add_argument("--format", choices=(*FORMATS, "all"), default="pdf", help="证书的格式（默认 pdf）")
    certify.add_argument("--dry-run", action="store_true", help="只检查名单，不登记编号，不生成文件")
    certify.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    certify.set_defaults(func=cmd_certify)

    review = commands.add_parser("branch-review", help="党支部季度考核：排名、低于85分的约谈名单（支部书记）、"
                                 "建议五星党支部；生成 支部考核结果.xlsx、支部考核情况、支部季度工作清单和约谈通知")
    review.add_argument("scores", type=Path, metavar="考核表",
                        help="各支部考核分（.xlsx、.xls 或 .csv），每个支部一行，如 支部考核.xlsx")
    review.add_argument("--quarter", type=_quarter, required=True, metavar="季度", help="季度，如 2024Q3")
    review.add_argument("--roster", type=Path, metavar="名册",
                        help="名册：表中没有「支部书记」列时，按职务找出各支部书记，如 名册.xlsx")
    add_column_option(review)
    review.add_argument("--pass-mark", type=float, default=85, metavar="分数", help="低于此分约谈支部书记（默认 85）")
    review.add_argument("--five-star-mark", type=float, default=90, metavar="分数",
                        help="达到此分建议评为五星党支部（默认 90）")
    review.add_argument("--org", type=Path, metavar="单位.yaml", help="单位资料（党委名称、信头），如 单位.yaml")
    review.add_argument("-o", "--output", type=Path, required=True, metavar="文件夹",
                        help="存放支部考核结果.xlsx、支部考核情况.pdf、支部季度工作清单.pdf 和约谈通知.pdf 的文件夹，如 支部考核")
    review.add_argument("--set", dest="sets", action="append", default=[], metavar="选项=值",
                        help="约谈通知的选项，如 --set place=党委会议室 --set time=2024年10月15日上午9时")
    review.add_argument("--issue-date", type=_date, metavar="日期", help="考核情况和约谈通知上的日期（默认今天），如 2024-10-10")
    review.add_argument("--format", choices=(*FORMATS, "all"), default="pdf", help="文件格式（默认 pdf）")
    review.add_argument("--dry-run", action="store_true", help="只显示排名和名单，不生成文件")
    review.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    review.set_defaults(func=cmd_branch_review)

    stickers = commands.add_parser("stickers", help="安全帽“共产党员”标志：每人一个，或每个支部若干个；"
                                   "长方形或圆形，A4 不干胶，带裁切线")
    stickers.add_argument("data", type=Path, metavar="名册",
                          help="名册（每人一个），或支部清单（所属党支部、数量），如 名册.xlsx")
    stickers.add_argument("-o", "--output", type=Path, required=True, metavar="文件",
                          help="输出文件（.pdf 或 .docx），如 安全帽标志.pdf")
    stickers.add_argument("--design", choices=("rect", "round"), default="rect", help="rect 长方形（默认）或 round 圆形")
    stickers.add_argument("--size", choices=("large", "small"), default="large",
                          help="large（默认）：长方形 90×30 mm（每张16个）、圆形直径50 mm（15个）；"
                               "small：60×20 mm（33个）、直径40 mm（24个）")
    stickers.add_argument("--per-branch", type=_per_branch, metavar="数量",
                          help=f"每个支部印几个（1–{MAX_STICKERS_PER_BRANCH}，不印姓名），如 20")
    stickers.add_argument("--emblem", type=Path, metavar="图片", help="党徽图片（.png 或 .jpg），如 党徽.png；不给时只印文字")
    stickers.add_argument("--name", action="store_true", help="在标志上印党员姓名（每人一个时）")
    stickers.add_argument("--sheet", metavar="工作表", help="要读取的工作表（默认为打开文件时显示的那一张）")
    stickers.add_argument("--only", dest="only", action="append", default=[], metavar="列=值",
                          help="只要某列为某值的记录，如 --only 所属党支部=机关第一党支部")
    add_column_option(stickers)
    stickers.add_argument("--format", choices=(*FORMATS, "all"), help="输出格式；默认按 -o 的扩展名")
    stickers.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    stickers.set_defaults(func=cmd_stickers)

    birthdays = commands.add_parser("birthdays", help="列出某月过政治生日的党员（按支部，含入党年数、逢十），"
                                    "并为每人生成政治生日贺卡")
    birthdays.add_argument("data", type=Path, metavar="名册",
                           help="名册（.xlsx、.xls、.csv 或 .json），须有「入党日期」列，如 名册.xlsx")
    birthdays.add_argument("--month", type=_month, required=True, metavar="月份", help="月份，如 2024-10 或 2024年10月")
    birthdays.add_argument("--org", type=Path, metavar="单位.yaml",
                           help="单位资料（贺词 birthday_greeting、党委名称），如 单位.yaml")
    birthdays.add_argument("-o", "--output", type=Path, required=True, metavar="文件夹",
                           help="存放名单（政治生日名单.xlsx）和贺卡（政治生日贺卡.pdf）的文件夹，如 政治生日")
    birthdays.add_argument("--sheet", metavar="工作表", help="要读取的工作表（默认为打开文件时显示的那一张）")
    birthdays.add_argument("--only", dest="only", action="append", default=[], metavar="列=值",
                           help="只要某列为某值的党员，如 --only 所属党支部=机关第一党支部")
    birthdays.add_argument("--set", dest="sets", action="append", default=[], metavar="选项=值",
                           help="贺卡的版式选项，如 --set title=政治生日快乐")
    add_column_option(birthdays)
    birthdays.add_argument("--issue-date", type=_date, metavar="日期", help="贺卡上的日期（默认今天），如 2024-10-01")
    birthdays.add_argument("--format", choices=(*FORMATS, "all"), default="pdf", help="贺卡的格式（默认 pdf）")
    birthdays.add_argument("--dry-run", action="store_true", help="只列出名单，不生成文件")
    birthdays.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    birthdays.set_defaults(func=cmd_birthdays)
