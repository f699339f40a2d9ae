"""An argparse parser that speaks to clerks in Chinese: usage line, section titles and usage errors.

argparse's own words come from gettext with no Chinese catalogue, so they are replaced here: the usage
prefix through the formatter, the section titles and -h through the parser, and the error messages by
rewording argparse's English ones (anything not recognised is shown as argparse wrote it).
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

TYPE_NAMES = {"int": "整数", "float": "数字"}

# argparse's error messages (Python 3.9–3.13 wordings) and their Chinese.
_ERRORS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "缺少必需的参数：{names}"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "无法识别的参数：{names}"),
    (re.compile(r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)"),
     "参数 {arg} 不能与 {other} 同时使用"),
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     "参数 {arg} 不能是 {value}；可选：{choices}"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), "参数 {arg} 后面要写一个值"),
    (re.compile(r"argument (?P<arg>\S+): invalid (?P<type>\w+) value: (?P<value>.+)"),
     "参数 {arg} 的值 {value} 不是{type}"),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
     "选项 {option} 不明确，可能是：{matches}"),
    (re.compile(r"argument (?P<arg>\S+): (?P<message>.+)"), "参数 {arg}：{message}"),
]


def translate_error(message: str) -> str:
    """argparse's English usage error in Chinese, or unchanged when its wording is not known."""
    for pattern, chinese in _ERRORS:
        match = pattern.fullmatch(message)
        if match:
            parts = match.groupdict()
            if "type" in parts:
                parts["type"] = TYPE_NAMES.get(parts["type"], parts["type"])
            return chinese.format(**parts)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_action(self, action):
        text = super()._format_action(action)
        if isinstance(action, argparse._SubParsersAction):
            # The commands are listed under their own title; the line naming their metavar says nothing.
            text = text.split("\n", 1)[1]
        return text


class ChineseArgumentParser(argparse.ArgumentParser):
    """Subcommand parsers made with add_subparsers are of this class too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate_error(message)}\n")
