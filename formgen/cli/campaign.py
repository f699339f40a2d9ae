"""Commands for the campaign's rules and certificates: awards, survey-tally, keys, verify, revoke."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from formgen.chinese import Quarter, parse_quarter
from formgen.cli.console import load_profile, print_problems, say
from formgen.writers import FORMATS

if TYPE_CHECKING:
    from formgen.api.campaign import AwardsResult, TallyResult

PDFA_HELP = "PDF 写成 PDF/A-2b 长期存档格式（交档案室归档用）"


def _quarter(text: str) -> Quarter:
    try:
        return parse_quarter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _pass_mark(text: str) -> float:
    from formgen.api.campaign import check_pass_mark

    try:
        return check_pass_mark(float(text), float("inf"))  # its top is 总分's full marks, known with the profile
    except ValueError as exc:
        message = str(exc) if "合格线" in str(exc) else f"“{text}”不是数字；合格线请写 0–100 之间的数字"
        raise argparse.ArgumentTypeError(message) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期；请写成 2024-09-30 这样的格式") from None


def _print_decisions(decisions) -> None:
    if not decisions:
        print("没有评出任何奖项，也没有需要发劝学信的党员")
    for d in decisions:
        r = d.row
        print(f"{d.award}\t{r.branch}\t{r.staff_id}\t{r.name}\t总分{r.total:g}\t{d.why}")


def print_awards(result: AwardsResult) -> None:
    from formgen.campaign.scores import describe_scale

    print(f"{result.quarter.label}共{len(result.current)}名党员参加评选；上季度有{len(result.previous)}名党员的成绩"
          f"（{describe_scale(result.scale)}；合格线{result.pass_mark:g}分）")
    _print_decisions(result.decisions)
    if result.problems:
        say(f"成绩表中有{len(result.problems)}处问题：")
        print_problems(result.problems)
    if result.keys_created:
        say(f"已在 {result.keys_created} 中生成签名密钥对（请妥善保管私钥，不要外传）")
    counts = {"certificates": "{}份证书", "letters": "{}封劝学信"}
    for path in result.outputs:
        if path.suffix == ".xlsx":
            say(f"已写入 {path}")
    if result.public_key:
        say(f"已写入 {result.public_key}：证书的验证公钥（指纹 {result.fingerprint}，印在每张证书上）；在别处验证证书时"
            f"要用它：formgen verify 荣誉证书.pdf --key {result.public_key.name}")
    for name, report in result.documents.items():
        for path in report.outputs:
            say(f"已写入 {path}（{counts[name].format(report.rendered)}）")
        print_problems(report.failed)
    print_problems(result.left_over)


def print_tally(result: TallyResult) -> None:
    from formgen.campaign.survey import COMMEND, TALK

    tally = result.tally
    for verdict in (COMMEND, TALK):
        chosen = [m for m in tally.members if m.verdict == verdict]
        print(f"{verdict}：" + ("、".join(f"{m.name or '工号' + m.staff_id}（{m.overall:.2f}）" for m in chosen) or "无"))
    # the answers left out, not the sheet's notices beside them (the totals row skipped, the encoding guessed)
    answers_left_out = sum(1 for problem in tally.invalid if problem.row is not None)
    say(f"已统计{len(tally.members)}名党员；{answers_left_out}个回答不计入；{len(tally.problems)}份答卷已略过")
    print_problems(tally.problems + tally.invalid)
    say(f"已写入 {result.outputs[0]} 和 {result.outputs[1]}")
    if result.notices is not None:
        for path in result.notices.outputs:
            say(f"已写入 {path}（{result.notices.rendered}份约谈通知）")
        print_problems(result.notices.failed)
    print_problems(result.notice_problems)


def cmd_awards(args: argparse.Namespace) -> int:
    from formgen.api.campaign import NoScores, check_pass_mark, run_awards
    from formgen.campaign.scores import scale_of

    formats = FORMATS if args.format == "all" else (args.format,)
    if args.background and not args.background.exists():
        raise FileNotFoundError(f"找不到背景图片文件：{args.background}；未评选，也未写入任何文件")
    org = load_profile(args.org)
    try:
        check_pass_mark(args.pass_mark, scale_of(org)["总分"])
    except ValueError as exc:  # said as argparse says a bad value
        print(f"formgen awards：错误：参数 --pass-mark：{exc}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        result = run_awards(args.scores, args.quarter, org, None if args.dry_run else args.output,
                            formats, args.previous, args.pass_mark, args.issue_date, args.retest_date,
                            args.background, pdfa=args.pdfa)
    except NoScores as exc:
        say(f"错误：{exc}")
        print_problems(exc.problems)
        return 2
    print_awards(result)
    return 1 if result.failed or result.rejected else 0


def cmd_survey_tally(args: argparse.Namespace) -> int:
    from formgen.api.campaign import run_survey_tally
    from formgen.cli.main import parse_columns, parse_sets

    formats = FORMATS if args.format == "all" else (args.format,)
    result = run_survey_tally(args.responses, args.roster, args.output, pdfa=args.pdfa,
                              header_map=parse_columns(args.columns), org=load_profile(args.org), formats=formats,
                              notice_options=parse_sets(args.sets))
    print_tally(result)
    if result.notices is not None and args.org is None:
        say("提示：未指定 --org 单位信息文件，约谈通知的信头和落款（党委名称）将留空")
    return 1 if result.tally.problems or (result.notices and result.notices.failed) else 0


def cmd_keys(args: argparse.Namespace) -> int:
    from formgen.campaign.issuing import data_dir_of
    from formgen.campaign.signing import init_keys, key_paths
    from formgen.input.org import load_org

    data_dir = data_dir_of(load_org(args.org))
    path = init_keys(data_dir)
    print(f"已生成私钥 {path}（只有您本人能读取，请妥善保管）和公钥 {key_paths(data_dir)[1]}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from formgen.campaign.issuing import data_dir_of
    from formgen.campaign.verify import VALID, verify_source
    from formgen.input.org import load_org

    verdicts = verify_source(args.source, data_dir_of(load_org(args.org)), args.keys)
    for verdict in verdicts:
        print(verdict)
    return 0 if verdicts and all(v.status == VALID for v in verdicts) else 1


def cmd_revoke(args: argparse.Namespace) -> int:
    from formgen.campaign.issuing import ledger_of
    from formgen.campaign.verify import period_label
    from formgen.input.org import load_org

    ledger = ledger_of(load_org(args.org), create=False)
    certificate = ledger.revoke(args.serial, args.reason)
    print(f"已作废证书 {certificate.serial}（{certificate.holder}，{certificate.award}，"
          f"{period_label(certificate.period)}）；原因：{certificate.revoked_reason}")
    return 0


def add_commands(commands) -> None:
    awards = commands.add_parser("awards", help="按测试成绩评定学习之星、进步之星和劝学信；"
                                 "生成证书和劝学信")
    awards.add_argument("scores", type=Path, metavar="成绩表", help="测试成绩表（.xlsx、.xls 或 .csv），如 成绩.xlsx")
    awards.add_argument("--quarter", type=_quarter, required=True, metavar="季度",
                        help="评选的季度，如 --quarter 2024Q3 或 --quarter 2024年第三季度")
    awards.add_argument("--previous", type=Path, metavar="上季度成绩表",
                        help="上季度成绩表（不在同一个成绩表中时），如 --previous 二季度成绩.xlsx")
    awards.add_argument("--pass-mark", type=_pass_mark, default=60, metavar="分数",
                        help="总分低于此分发劝学信，0 至总分的满分（默认100分，单位资料的 score_scale 可以改），"
                             "如 --pass-mark 60（默认 60）")
    awards.add_argument("--org", type=Path, metavar="单位.yaml",
                        help="单位资料（名称、数据文件夹、验证网址、印章），如 --org 单位.yaml")
    awards.add_argument("-o", "--output", type=Path, required=True, metavar="文件夹",
                        help="存放评定结果和证书、劝学信的文件夹，如 -o 评选结果")
    awards.add_argument("--dry-run", action="store_true", help="只显示评定结果，不生成文件")
    awards.add_argument("--format", choices=(*FORMATS, "all"), default="pdf", help="证书和劝学信的格式（默认 pdf）")
    awards.add_argument("--issue-date", type=_date, metavar="日期",
                        help="证书和劝学信上的日期（默认今天），如 --issue-date 2024-10-08")
    awards.add_argument("--retest-date", type=_date, metavar="日期",
                        help="劝学信中写明的复测日期，如 --retest-date 2024-10-25")
    awards.add_argument("--background", type=Path, metavar="图片",
                        help="证书底图（代替绘制的边框），如 --background 证书底图.jpg")
    awards.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    awards.set_defaults(func=cmd_awards)

    survey = commands.add_parser("survey-tally", help="统计服务调查问卷星级；五星好评和约谈名单，低于3星者的约谈通知")
    survey.add_argument("responses", type=Path, metavar="答卷", help="问卷答卷（.xlsx、.xls 或 .csv），如 答卷.xlsx")
    survey.add_argument("--roster", type=Path, metavar="名册", help="名册：补上姓名和支部，并核对工号，如 --roster 名册.xlsx")
    survey.add_argument("-o", "--output", type=Path, required=True, metavar="文件夹",
                        help="存放统计表、统计报告和约谈通知的文件夹，如 -o 问卷统计")
    survey.add_argument("--org", type=Path, metavar="单位.yaml", help="单位资料（约谈通知的党委名称、信头），如 --org 单位.yaml")
    survey.add_argument("--set", dest="sets", action="append", default=[], metavar="选项=值",
                        help="约谈通知的选项，如 --set place=党委会议室 --set time=2024年10月15日上午9时")
    survey.add_argument("--format", choices=(*FORMATS, "all"), default="pdf", help="约谈通知的格式（默认 pdf）")
    survey.add_argument("--pdfa", action="store_true", help=PDFA_HELP)
    from formgen.cli.main import add_column_option

    add_column_option(survey)
    survey.set_defaults(func=cmd_survey_tally)

    keys = commands.add_parser("keys", help="证书签名密钥")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, title="命令", metavar="命令")
    init = keys_commands.add_parser("init", help="在数据文件夹中生成密钥对")
    init.add_argument("--org", type=Path, metavar="单位.yaml", help="单位资料（指明数据文件夹），如 --org 单位.yaml")
    init.set_defaults(func=cmd_keys)

    verify = commands.add_parser("verify", help="验证证书：二维码文本，或证书的 PDF/图片")
    verify.add_argument("source", metavar="证书", help="证书的 .pdf/.png/.jpg 文件，或二维码中的网址，如 荣誉证书.pdf")
    verify.add_argument("--org", type=Path, metavar="单位.yaml", help="单位资料（指明数据文件夹），如 --org 单位.yaml")
    verify.add_argument("--key", dest="keys", action="append", type=Path, default=[], metavar="验证公钥.pem",
                        help="发证单位的验证公钥（与证书一起发出），在没有登记簿的电脑上验证，如 --key 验证公钥.pem；可重复")
    verify.set_defaults(func=cmd_verify)

    revoke = commands.add_parser("revoke", help="按编号作废证书")
    revoke.add_argument("serial", metavar="证书编号", help="证书编号，如 FG-2024-XX-0001")
    revoke.add_argument("--reason", required=True, metavar="原因", help="作废原因，如 --reason 成绩更正")
    revoke.add_argument("--org", type=Path, metavar="单位.yaml", help="单位资料（指明数据文件夹），如 --org 单位.yaml")
    revoke.set_defaults(func=cmd_revoke)
