"""Commands for the campaign's rules and certificates: awards, survey-tally, keys, verify, revoke."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Optional

from formgen.campaign import awards as rules
from formgen.chinese import Quarter, parse_quarter
from formgen.campaign.ledger import Ledger
from formgen.input.org import load_org
from formgen.problems import ERROR, Problem
from formgen.campaign.scores import load_scores
from formgen.campaign.signing import Certified, init_keys, key_paths, load_or_create, make_payload, payload_hash
from formgen.writers import FORMATS

LEDGER_FILE = "ledger.sqlite3"
DEFAULT_STUDY_TOPICS = ("习近平新时代中国特色社会主义思想和党的二十大精神", "《中国共产党章程》和党内法规",
                        "本岗位业务知识和安全操作规程")


def data_dir_of(org: dict) -> Path:
    return Path(str(org.get("data_dir") or "formgen-data"))


def _quarter(text: str) -> Quarter:
    try:
        return parse_quarter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期；请写成 2024-09-30 这样的格式") from None


def citation(award: str, quarter: Quarter, org: dict) -> str:
    campaign = org.get("campaign") or "三亮三比三创"
    return f"在{quarter.label}“{campaign}”活动中，被评为“{award}”。特发此证，以资鼓励。"


def certificate_record(decision: rules.Decision, serial: str, payload: str, issue_date: dt.date, org: dict) -> dict:
    row = decision.row
    return {"姓名": row.name, "工号": row.staff_id, "所属党支部": row.branch, "奖项": decision.award,
            "季度": row.quarter.label, "证书编号": serial, "颁发日期": issue_date, "验证码": payload,
            "事由": citation(decision.award, row.quarter, org)}


def letter_record(decision: rules.Decision, pass_mark: float, retest: Optional[dt.date], topics, issue_date) -> dict:
    row = decision.row
    return {"姓名": row.name, "工号": row.staff_id, "所属党支部": row.branch, "季度": row.quarter.code,
            "政治理论": row.politics, "业务知识": row.business, "总分": row.total, "及格线": pass_mark,
            "薄弱科目": [dict(w) for w in decision.weak_subjects], "学习内容": list(topics), "复测日期": retest,
            "落款日期": issue_date}


def _print_decisions(decisions: list[rules.Decision]) -> None:
    if not decisions:
        print("没有评出任何奖项，也没有需要发劝学信的党员")
    for d in decisions:
        r = d.row
        print(f"{d.award}\t{r.branch}\t{r.staff_id}\t{r.name}\t总分{r.total:g}\t{d.why}")


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def issue_certificates(decisions, org: dict, issue_date: dt.date) -> tuple[list[dict], dict[int, str]]:
    """Serials from the ledger and signed payloads for every star; the certificate records."""
    data_dir = data_dir_of(org)
    key, created = load_or_create(data_dir)
    if created:
        print(f"已在 {key_paths(data_dir)[0].parent} 中生成签名密钥对（请妥善保管私钥，不要外传）", file=sys.stderr)
    ledger = Ledger(data_dir / LEDGER_FILE)
    prefix = str(org.get("serial_prefix") or "FG")
    verify_url = str(org.get("verify_url") or "https://example.org/v")
    records, serials = [], {}
    for index, decision in enumerate(decisions):
        if decision.award == rules.REMINDER:
            continue
        row = decision.row
        serial = ledger.issue(prefix, row.staff_id, row.name, decision.award, row.quarter.code, issue_date)
        certified = Certified(serial=serial, holder=row.name, award=decision.award, period=row.quarter.code,
                              issue_date=ledger.lookup(serial).issue_date)
        payload = make_payload(key, verify_url, certified)
        ledger.set_payload_hash(serial, payload_hash(payload))
        serials[index] = serial
        record = certificate_record(decision, serial, payload, dt.date.fromisoformat(certified.issue_date), org)
        records.append(record)
    return records, serials


def run_awards(scores: Path, quarter: Quarter, org: dict, out: Optional[Path], formats=("pdf",),
               previous_file: Optional[Path] = None, pass_mark: float = 60, issue_date: Optional[dt.date] = None,
               retest_date: Optional[dt.date] = None, background: Optional[Path] = None) -> int:
    """Decide, report, and (unless out is None: a dry run) issue and render. Returns the exit status."""
    from formgen.api import render_records

    sheet = load_scores(scores, default_quarter=quarter)
    problems = list(sheet.problems)
    previous = sheet.of(quarter.previous())
    if previous_file:
        earlier = load_scores(previous_file, default_quarter=quarter.previous())
        problems += earlier.problems
        previous = earlier.of(quarter.previous())
    current = sheet.of(quarter)
    if not current:
        found = "、".join(q.label for q in sheet.quarters()) or "无"
        print(f"错误：{scores} 中没有{quarter.label}的可用成绩（表中有成绩的季度：{found}）；未评选，也未写入任何文件",
              file=sys.stderr)
        _print_problems(problems)
        return 2
    decisions = rules.decide(current, previous, rules.Rules(pass_mark=pass_mark))
    print(f"{quarter.label}共{len(current)}名党员参加评选；上季度有{len(previous)}名党员的成绩")
    _print_decisions(decisions)
    if problems:
        print(f"成绩表中有{len(problems)}处问题：", file=sys.stderr)
        _print_problems(problems)
    rejected = any(p.level == ERROR for p in problems)
    if out is None:
        return 1 if rejected else 0
    out.mkdir(parents=True, exist_ok=True)
    issue_date = issue_date or dt.date.today()
    certificates, serials = issue_certificates(decisions, org, issue_date)
    rules.write_decisions_xlsx(decisions, problems, out / "decisions.xlsx", serials)
    print(f"已写入 {out / 'decisions.xlsx'}", file=sys.stderr)
    topics = org.get("study_topics") or DEFAULT_STUDY_TOPICS
    letters = [letter_record(d, pass_mark, retest_date, topics, issue_date)
               for d in decisions if d.award == rules.REMINDER]
    failed = False
    for layout, records, name, count in (("certificate", certificates, "certificates", "{}份证书"),
                                         ("study-reminder", letters, "letters", "{}封劝学信")):
        if not records:
            continue
        options = {"background": str(background.resolve())} if background and layout == "certificate" else {}
        report = render_records(layout, records, out / f"{name}.pdf", org=org, formats=formats, options=options)
        for path in report.outputs:
            print(f"已写入 {path}（{count.format(report.rendered)}）", file=sys.stderr)
        _print_problems(report.failed)
        failed = failed or bool(report.failed)
    return 1 if failed or rejected else 0


def cmd_awards(args: argparse.Namespace) -> int:
    formats = FORMATS if args.format == "all" else (args.format,)
    if args.background and not args.background.exists():
        raise FileNotFoundError(f"找不到背景图片文件：{args.background}；未评选，也未写入任何文件")
    return run_awards(args.scores, args.quarter, load_org(args.org), None if args.dry_run else args.output, formats,
                      args.previous, args.pass_mark, args.issue_date, args.retest_date, args.background)


def cmd_survey_tally(args: argparse.Namespace) -> int:
    return run_survey_tally(args.responses, args.roster, args.output)


def run_survey_tally(responses: Path, roster: Optional[Path], out: Path) -> int:
    from formgen.campaign.survey import COMMEND, TALK, tally, write_tally_xlsx
    from formgen.campaign.tally_report import write as write_report

    result = tally(responses, roster)
    out.mkdir(parents=True, exist_ok=True)
    write_tally_xlsx(result, out / "tally.xlsx")
    write_report(result, out / "tally.pdf")
    for verdict in (COMMEND, TALK):
        chosen = [m for m in result.members if m.verdict == verdict]
        print(f"{verdict}：" + ("、".join(f"{m.name}（{m.overall:.2f}）" for m in chosen) or "无"))
    print(f"已统计{len(result.members)}名党员；{len(result.invalid)}个回答不计入；{len(result.problems)}份答卷已略过",
          file=sys.stderr)
    _print_problems(result.problems + result.invalid)
    print(f"已写入 {out / 'tally.xlsx'} 和 {out / 'tally.pdf'}", file=sys.stderr)
    return 1 if result.problems else 0


def cmd_keys(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(load_org(args.org))
    path = init_keys(data_dir)
    print(f"已生成私钥 {path}（只有您本人能读取，请妥善保管）和公钥 {key_paths(data_dir)[1]}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from formgen.campaign.verify import VALID, verify_source

    verdicts = verify_source(args.source, data_dir_of(load_org(args.org)))
    for verdict in verdicts:
        print(verdict)
    return 0 if verdicts and all(v.status == VALID for v in verdicts) else 1


def cmd_revoke(args: argparse.Namespace) -> int:
    from formgen.campaign.verify import period_label

    ledger = Ledger(data_dir_of(load_org(args.org)) / LEDGER_FILE)
    certificate = ledger.revoke(args.serial, args.reason)
    print(f"已作废证书 {certificate.serial}（{certificate.holder}，{certificate.award}，"
          f"{period_label(certificate.period)}）；原因：{certificate.revoked_reason}")
    return 0


def add_commands(commands) -> None:
    awards = commands.add_parser("awards", help="按测试成绩评定学习之星、进步之星和劝学信；"
                                 "生成证书和劝学信")
    awards.add_argument("scores", type=Path, help="测试成绩表（.xlsx、.xls 或 .csv）")
    awards.add_argument("--quarter", type=_quarter, required=True, help="季度，如 2024Q3")
    awards.add_argument("--previous", type=Path, help="上季度成绩表（不在 scores 中时）")
    awards.add_argument("--pass-mark", type=float, default=60, help="总分低于此分发劝学信（默认 60）")
    awards.add_argument("--org", type=Path, help="单位资料（名称、数据文件夹、验证网址）")
    awards.add_argument("-o", "--output", type=Path, required=True, help="存放评定结果和证书、劝学信的文件夹")
    awards.add_argument("--dry-run", action="store_true", help="只显示评定结果，不生成文件")
    awards.add_argument("--format", choices=(*FORMATS, "all"), default="pdf", help="证书和劝学信的格式（默认 pdf）")
    awards.add_argument("--issue-date", type=_date, help="证书和劝学信上的日期（默认今天），如 2024-10-08")
    awards.add_argument("--retest-date", type=_date, help="劝学信中写明的复测日期，如 2024-10-25")
    awards.add_argument("--background", type=Path, help="证书底图（代替绘制的边框）")
    awards.set_defaults(func=cmd_awards)

    survey = commands.add_parser("survey-tally", help="统计服务调查问卷星级；五星好评和约谈名单")
    survey.add_argument("responses", type=Path, help="问卷答卷（.xlsx、.xls 或 .csv）")
    survey.add_argument("--roster", type=Path, help="名册：补上姓名和支部，并核对工号")
    survey.add_argument("-o", "--output", type=Path, required=True, help="存放 tally.xlsx 和 tally.pdf 的文件夹")
    survey.set_defaults(func=cmd_survey_tally)

    keys = commands.add_parser("keys", help="证书签名密钥")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, title="命令", metavar="命令")
    init = keys_commands.add_parser("init", help="在数据文件夹中生成密钥对")
    init.add_argument("--org", type=Path, help="单位资料（指明数据文件夹）")
    init.set_defaults(func=cmd_keys)

    verify = commands.add_parser("verify", help="验证证书：二维码文本，或证书的 PDF/图片")
    verify.add_argument("source", help="二维码文本，或 .pdf/.png/.jpg 文件")
    verify.add_argument("--org", type=Path, help="单位资料（指明数据文件夹）")
    verify.set_defaults(func=cmd_verify)

    revoke = commands.add_parser("revoke", help="按编号作废证书")
    revoke.add_argument("serial", help="证书编号，如 XX-2024-XX-0001")
    revoke.add_argument("--reason", required=True, help="作废原因")
    revoke.add_argument("--org", type=Path, help="单位资料（指明数据文件夹）")
    revoke.set_defaults(func=cmd_revoke)


def demo(samples: Path, out: Path, formats) -> int:
    """The campaign's rules on the sample scores and survey, with a data folder inside out."""
    org = load_org(samples / "org.yaml")
    org["data_dir"] = str(out / "formgen-data")
    quarter = parse_quarter("2024Q3")
    status = run_awards(samples / "scores.xlsx", quarter, org, out / "awards", formats,
                        issue_date=dt.date(2024, 10, 8), retest_date=dt.date(2024, 10, 25))
    tally_status = run_survey_tally(samples / "survey-responses.xlsx", samples / "roster.xlsx", out / "survey-tally")
    return max(status, tally_status)
