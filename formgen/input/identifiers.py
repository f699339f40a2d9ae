"""Identifiers (工号, 电话) typed into spreadsheet cells: the text Excel shows, and a key to match them by.

Excel keeps 000101 typed into a number cell as the number 101; a number format such as 000000 (or
"DL"000000, 000000;@, 0000000_ as WPS and Excel's dialogs write them) shows it as the clerk typed it.
The text shown is the identifier. Where one list kept the zeros and another lost them (a CSV saved from
Excel, a cell left as 常规), id_key still matches the two.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

# A format's parts: a quoted literal, an escaped character, padding (_x) and fill (*x), a bracketed code
# ([Red], [$-804], [>100]), a digit placeholder, or any other character shown as it is.
_TOKEN = re.compile(r'"([^"]*)"|\\(.)|_.|\*.|\[[^\]]*\]|([0#?])|(.)', re.S)
# Parts that make a number more than digits: decimals, thousands, exponent, percent, fraction, a date.
_NOT_AN_IDENTIFIER = set(".,%/Ee") | set("yYmMdDhHsS")


def _first_section(number_format: str) -> str:
    """The section Excel uses for a positive number: up to the first ';' outside quotes."""
    quoted = False
    for index, char in enumerate(number_format):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return number_format[:index]
    return number_format


def _formatted(digits: str, number_format: str) -> str | None:
    """digits as the format shows them, or None when the format is not one for identifiers."""
    parts: list[tuple[str, str]] = []  # ("0" | "#" | "?", "") for placeholders, ("", text) for literals
    for quoted, escaped, placeholder, other in _TOKEN.findall(_first_section(number_format)):
        if placeholder:
            parts.append((placeholder, ""))
        elif other:
            if other in _NOT_AN_IDENTIFIER or other == "@":
                return None
            parts.append(("", other))
        elif quoted or escaped:
            parts.append(("", quoted or escaped))
    if not any(kind for kind, _ in parts):
        return None
    left = digits
    shown: list[str] = []
    for kind, text in reversed(parts):  # digits fill the placeholders from the right
        if not kind:
            shown.append(text)
        elif left:
            shown.append(left[-1])
            left = left[:-1]
        else:
            shown.append({"0": "0", "#": "", "?": " "}[kind])
    first = next(index for index, (kind, _) in enumerate(parts) if kind)
    # digits beyond the placeholders go before the first of them
    shown.reverse()
    return "".join(shown[:first]) + left + "".join(shown[first:])


def identifier_text(value: Any, number_format: str = "") -> str:
    """The text of an identifier cell as Excel shows it: 101 with format 000000 → '000101', 101.0 → '101'.
    Text stays as it is; a number with a format for amounts or dates is its plain digits."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and not value.is_integer():
        return str(value)
    digits = str(int(value))
    if digits.startswith("-") or not number_format:
        return digits
    return _formatted(digits, number_format) or digits


def id_key(text: Any) -> str:
    """An identifier as compared between lists: width, case and spaces ignored, and an all-digit 工号
    without its leading zeros ('000101' and '101' are one member)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).casefold()
    return (key.lstrip("0") or "0") if key.isdigit() else key


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+\d+")  # as Excel writes it: 1.10101E+17


def lost_digits(value: Any) -> str | None:
    """Why an identifier cell no longer holds the identifier typed, or None: a number of more than 15
    digits (Excel keeps 15; the rest became zeros), or a CSV's 1.10101E+17 (Excel showed a long number
    so, and saved it so)."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        return (f"是{len(str(int(abs(value))))}位的数字：Excel 只保留15位有效数字，后面几位已经变成0；"
                f"请把这一列设为“文本”格式，重新输入后再保存")
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(value.strip()):
        return (f"“{value.strip()}”是科学计数法：Excel 把长数字显示成这样，另存为 CSV 时后面的位数已经丢失；"
                f"请在 Excel 中把这一列设为“文本”格式，重新输入后再保存")
    return None
