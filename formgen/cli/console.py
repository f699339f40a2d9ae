"""What the command line prints: problems, batch summaries, file-system errors, in the clerks' Chinese."""
from __future__ import annotations

import codecs
import errno
import sys
from pathlib import Path
from typing import Optional, Sequence

from formgen.problems import LEVEL_LABELS, Problem

SHOWN_PER_LEVEL = 20  # lines on screen; the problem list holds them all
NAMED_PER_GROUP = 5  # members named on a line that stands for many


def say(message: str) -> None:
    """A line for the clerk on stderr, where progress and problems go (stdout carries results)."""
    print(message, file=sys.stderr)


def print_problems(problems: Sequence[Problem]) -> None:
    for line in grouped(problems):
        say(f"  {line}")


def _groups(problems: Sequence[Problem]) -> list[list[Problem]]:
    """The same problem (level, file, column, message) of several rows together, in order of first sight;
    a problem of no row stands alone."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        key = (problem.level, problem.source, problem.column, problem.message)
        groups.setdefault(key if problem.row is not None else (id(problem),), []).append(problem)
    return list(groups.values())


def _line(group: list[Problem]) -> str:
    first = group[0]
    if len(group) == 1:
        return str(first)
    named = "、".join(f"第{p.row}行" + (f"（{p.who}）" if p.who else "") for p in group[:NAMED_PER_GROUP])
    count = f"等{len(group)}人" if len(group) > NAMED_PER_GROUP else f"共{len(group)}人"
    column = f"「{first.column}」列" if first.column else ""
    source = f"{first.source} " if first.source else ""
    return f"{LEVEL_LABELS.get(first.level, first.level)}：{source}{named}{count}{column}：{first.message}"


def grouped(problems: Sequence[Problem]) -> list[str]:
    """The problems as screen lines, the same problem of many records on one line naming them, so that a
    problem of one record is never pushed off the screen by one that all the others share."""
    return [_line(group) for group in _groups(problems)]


def print_progress(done: int, total: int) -> None:
    if total >= 20 and (done % 50 == 0 or done == total):
        print(f"  已处理 {done}/{total} 条记录", file=sys.stderr, flush=True)


def summary(report, total: int, problem_list: Optional[Path]) -> None:
    """The batch in one line, then the first problems of each level, the problem list and the files."""
    say(f"共{total}条记录，已生成{report.rendered}条，{report.pages}页；"
        f"警告{len(report.warnings)}处，未生成{len(report.failed)}条")
    for title, problems in (("未生成的记录：", report.failed), ("警告：", report.warnings)):
        if problems:
            say(title)
            groups = _groups(problems)
            for group in groups[:SHOWN_PER_LEVEL]:
                say(f"  {_line(group)}")
            if len(groups) > SHOWN_PER_LEVEL:
                hidden = sum(len(group) for group in groups[SHOWN_PER_LEVEL:])
                say(f"  ……另有{hidden}条，全部见问题清单")
    if problem_list is not None:
        say(f"问题清单（可在 Excel 中排序、筛选）：{problem_list}")
    for path in report.outputs[:20]:
        say(f"已写入 {path}")
    if len(report.outputs) > 20:
        say(f"另外还写入了{len(report.outputs) - 20}个文件")


def load_profile(path: Optional[Path]) -> dict:
    """The organisation profile for a command that prints or issues, with a warning when a copy of the
    sample still holds the sample's values (serial prefix SLN, the sample company, its fake seal)."""
    from formgen.input.org import load_org, sample_values

    profile = load_org(path)
    kept = sample_values(profile)
    if kept:
        say(f"警告：{Path(path).name} 中仍是示例的内容：{'、'.join(kept)}；请改成本单位的（示例只供试用）")
    return profile


def describe_os_error(exc: OSError) -> str:
    """A file-system error as a clerk would say it; messages we wrote ourselves pass through."""
    if not exc.filename:
        return str(exc)
    name = exc.filename
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法写入 {name}；原有的文件没有改动。请腾出磁盘空间后重新运行"
    if exc.errno == getattr(errno, "EDQUOT", None):
        return f"超出了磁盘配额，无法写入 {name}；原有的文件没有改动。请删除不用的文件或联系管理员后重新运行"
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
        stream.reconfigure(encoding="gb18030", errors="backslashreplace")
    else:
        # Even UTF-8 cannot encode a file name's undecodable bytes (a GBK name on a UTF-8 system):
        # shown as escapes, never an error that ends the run after the documents were written.
        stream.reconfigure(errors="backslashreplace")
