"""The encoding of a text file (CSV), decided by evidence: byte-order marks, strict UTF-8, then strict
trials of the encodings Chinese offices meet, each judged by whether its text is plausible — never
by the first that happens not to fail (GB18030 decodes almost any bytes, into mojibake)."""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from formgen.problems import RosterError

# Tried in this order when the file is not UTF-8; the first plausible one wins.
CANDIDATES = ("gb18030", "big5", "shift_jis", "cp1252")
LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "utf-16": "UTF-16", "utf-16-le": "UTF-16（无 BOM）",
          "utf-16-be": "UTF-16 BE（无 BOM）", "gb18030": "GB18030（简体中文 ANSI）",
          "big5": "Big5（繁体中文）", "shift_jis": "Shift_JIS（日文）", "cp1252": "Windows-1252（西文）"}
_PLAUSIBLE = 0.8  # of the non-ASCII characters, the share that text of that language mostly has
ENCODING_HINT = "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或用 --encoding 指明编码（如 --encoding big5）"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    guessed: bool  # decided by plausibility rather than by a BOM or strict UTF-8

    @property
    def label(self) -> str:
        return LABELS.get(self.encoding, self.encoding)


def line_of(data: bytes, offset: int) -> int:
    """The line (from 1) holding byte offset; old Mac files end lines with CR alone."""
    head = data[:offset]
    newlines = head.count(b"\n")
    return (newlines if newlines else head.count(b"\r")) + 1


def _in(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _common_chinese(char: str) -> bool:
    return _in(char, "gb2312")


def _common_traditional(char: str) -> bool:
    """Big5 level 1: the 5,401 frequent characters (lead bytes A4–C6), and Big5 punctuation."""
    try:
        code = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xA1 <= code[0] <= 0xC6


def _common_japanese(char: str) -> bool:
    """Kana, JIS punctuation and the JIS level-1 kanji (lead bytes 81–9F)."""
    try:
        code = char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return len(code) == 1 or 0x81 <= code[0] <= 0x9F


def _western(text: str) -> float:
    """Latin text has its accented letters alone between plain ones (café); mojibake has runs of them."""
    chars = [c for c in text if not c.isascii()]
    if not chars:
        return 1.0
    runs = re.findall(r"[^\x00-\x7f]+", text)
    lone = sum(1 for run in runs if len(run) == 1 and unicodedata.category(run).startswith("L"))
    return lone / len(runs)


_JUDGES = {"gb18030": _common_chinese, "big5": _common_traditional, "shift_jis": _common_japanese}


def plausibility(text: str, encoding: str) -> float:
    """The share of the text's non-ASCII characters that text in that encoding mostly holds."""
    if encoding == "cp1252":
        return _western(text)
    judge = _JUDGES[encoding]
    chars = [c for c in text if not c.isascii() and not c.isspace()]
    if not chars:
        return 1.0
    # Full-width forms and the ideographic space are common to every CJK encoding.
    good = sum(1 for c in chars if judge(c) or "\uff00" <= c <= "\uffef" or c == "\u3000")
    return good / len(chars)


_HEADER_WORDS = ("姓名", "工号", "工號", "党支部", "黨支部", "序号", "序號", "性别", "性別", "单位", "單位", "部门", "部門",
                 "职务", "職務", "氏名", "名前", "社員番号", "所属")


def _names_headers(text: str) -> bool:
    """Whether the first lines hold a header a roster or score sheet has."""
    head = "\n".join(text.splitlines()[:15])
    return any(word in head for word in _HEADER_WORDS)


def decode(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """The text of a CSV file, and how it was decoded; RosterError naming the line where bytes are bad,
    or saying that the encoding cannot be told (then --encoding decides)."""
    if encoding:
        return _decode_as(data, name, encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(data[3:], name, "utf-8", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(data, name, "utf-16")
    wide = utf16_without_bom(data)
    if wide:
        return Decoded(data.decode(wide), wide, True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    sample = data[:1 << 20]
    decoded: dict[str, str] = {}
    for candidate in CANDIDATES:
        try:
            decoded[candidate] = data.decode(candidate)
        except UnicodeDecodeError:
            continue
    # The strongest evidence: the header row reads as headers (姓名, 工号 …) in one encoding only.
    named = [c for c, text in decoded.items() if _names_headers(text)]
    if named:
        return Decoded(decoded[named[0]], named[0], True)
    scores = sorted(((plausibility(sample.decode(c, errors="ignore"), c), c) for c in decoded), reverse=True)
    if scores:
        (best, chosen), rest = scores[0], [score for score, _ in scores[1:]]
        runner_up = max(rest, default=0.0)
        if (best >= _PLAUSIBLE and runner_up < best - 0.2) or (best >= 0.5 and runner_up < 0.3):
            return Decoded(decoded[chosen], chosen, True)
    tried = list(decoded)
    line = line_of(data, utf8_error.start)
    if not tried:
        raise RosterError(f"{name}：第{line}行有既不是 UTF-8、也不是 GB18030 等常见编码的内容"
                          f"（字节 {data[utf8_error.start:utf8_error.start + 4].hex(' ')}）；{ENCODING_HINT}")
    raise RosterError(f"{name}：无法确定文件的编码（不是 UTF-8；按 {'、'.join(LABELS[c] for c in tried)} 读出的都像乱码，"
                      f"第一处非 UTF-8 内容在第{line}行）；{ENCODING_HINT}")


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 saved without its byte-order mark (some exports do); None
    when the bytes are not that. UTF-8 and GB18030 text has no zero byte, and read in the wrong byte
    order a list has no line ends: the reading with its lines (and nothing else a list never holds) is
    the one."""
    if len(data) < 8 or len(data) % 2 or 0 not in data[:4096]:  # UTF-16 is whole pairs of bytes
        return None
    found = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(char < " " and char not in "\t\r\n" for char in text[:4096]):
            continue
        breaks = text.count("\n") + text.count("\r")
        if breaks:
            found.append((breaks, encoding))
    return max(found)[1] if found else None


def _decode_as(data: bytes, name: str, encoding: str, label: str | None = None) -> Decoded:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise RosterError(f"不认识编码“{encoding}”；可用 utf-8、gb18030、big5、shift_jis、cp1252 等") from None
    try:
        return Decoded(data.decode(encoding), label or encoding, False)
    except UnicodeDecodeError as exc:
        raise RosterError(f"{name}：第{line_of(data, exc.start)}行的内容不是 {LABELS.get(encoding, encoding)} 编码"
                          f"（字节 {data[exc.start:exc.start + 4].hex(' ')}）；{ENCODING_HINT}") from None
