"""An argparse parser that speaks to clerks in Chinese: usage line, section titles and usage errors.

argparse's own words come from gettext with no Chinese catalogue, so they are replaced here: the usage
prefix through the formatter, the section titles and -h through the parser, and the error messages by
rewording argparse's English ones (anything not recognised is shown as argparse wrote it).
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
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


_NO_LINE_START = set("，。、；：？！）」』》")  # closing punctuation stays on the line it closes


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def wrap_columns(text: str, width: int) -> list[str]:
    """Lines of at most width terminal columns: Chinese breaks between any two characters, Latin words
    stay whole where they fit."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        # a Latin run written against a Chinese character (名册.xlsx) goes with it
        for word in re.findall(r"[\u2E80-\uFFEF][^\s\u2E80-\uFFEF]*\s*|[^\s\u2E80-\uFFEF]+\s*|\s+",
                               " ".join(paragraph.split())):
            if line and display_width(line + word.rstrip()) > width and word not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = word.lstrip()
            else:
                line += word
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with Chinese words, and columns counted as the terminal shows them (argparse
    counts characters, so Chinese placeholders pushed the help text out of line)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self):
        # Section titles end with argparse's ASCII colon; Chinese takes the full-width one.
        return re.sub(r"^(\S+):$", r"\1：", super().format_help(), flags=re.M)

    def _format_usage(self, usage, actions, groups, prefix):
        text = super()._format_usage(usage, actions, groups, prefix)
        head = re.match(r"(\S+ \S+(?: [a-z-]+)?) ", text)
        if head is None:
            return text
        # argparse wrapped the usage by characters: wrap it again by columns, its parts whole
        parts = re.findall(r"\[[^\]]*\]|\S+", text[head.end():])
        indent = " " * display_width(head.group(0))
        lines, line = [], head.group(0)
        for part in parts:
            if line.strip() and line != head.group(0) and display_width(line + part) > self._width:
                lines.append(line.rstrip())
                line = indent
            line += part + " "
        lines.append(line.rstrip())
        return "\n".join(lines) + "\n\n"

    def _split_lines(self, text, width):
        return wrap_columns(text, width)

    def _format_action(self, action):
        text = super()._format_action(action)
        if isinstance(action, argparse._SubParsersAction):
            # The commands are listed under their own title; the line naming their metavar says nothing.
            return text.split("\n", 1)[1]
        invocation = self._format_action_invocation(action)
        first, newline, rest = text.partition("\n")
        start = first.find(invocation)
        extra = display_width(invocation) - len(invocation)
        if start < 0 or extra <= 0 or not first[start + len(invocation):].strip():
            return text
        after = first[start + len(invocation):]
        padding = len(after) - len(after.lstrip(" "))
        if padding - extra >= 2:  # the help still fits beside the wide placeholder
            return first[:start + len(invocation)] + after[extra:] + newline + rest
        # Too wide to share the line: the help starts on the next one, at its column.
        column = " " * (len(first) - len(after.lstrip(" ")))
        return first[:start + len(invocation)] + "\n" + column + after.lstrip(" ") + newline + rest


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
