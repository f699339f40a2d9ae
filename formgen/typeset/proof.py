"""The proof sheet (蒙古文校对单): every Mongolian string a batch will print, beside its Chinese, large and
clear, with a signature block, for a reader of Mongolian to approve before the batch is printed.

A string printed on every document (the organisation's name) is listed once; a string of one record
(a member's name) is listed with that record. Each entry shows the Mongolian as it prints (vertical
columns, left to right), larger, and its code points, so that a wrong character, a space where a
narrow no-break space belongs, or a missing vowel separator can be seen and named.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from formgen.document import Item, Page, Rect, Rule, ShapedText, Text
from formgen.fonts import MONGOLIAN_FACE, FontBook
from formgen.typeset.composer import ComposedRecord
from formgen.typeset.mongolian import MongolianStyle, setter_for
from formgen.typeset.textflow import TextSetter, TextStyle
from formgen.units import Box, mm

PAGE_W, PAGE_H = mm(210), mm(297)
MARGIN = mm(15)
MONGOLIAN_SIZE = 22.0  # points: larger than any card prints it
HEADER_H = mm(9)
SIGNATURE_H = mm(42)
FOOTER_H = mm(8)
COLUMNS = (mm(10), mm(38), mm(42), mm(72), mm(18))  # 序号, 印在, 汉文, 蒙古文, 核对
HEADINGS = ("序号", "印在", "汉文", "蒙古文（按印刷的样子）", "核对")


@dataclass(frozen=True)
class ProofEntry:
    mongolian: str  # the whole string, lines joined again at the spaces they broke at
    chinese: str
    element: str  # where it prints: the element's name
    who: str  # the record's label, or "全部 N 份" for a string on every document
    count: int  # documents that print it


def _joined(item: ShapedText) -> str:
    return " ".join(run.text for run in item.runs)


def proof_entries(results: Iterable[ComposedRecord]) -> list[ProofEntry]:
    """The Mongolian strings of the composed records: shared ones first, once each, then by record."""
    per_record: list[tuple[str, list[tuple[str, str, str]]]] = []
    for result in results:
        if result.failed:
            continue
        seen: dict[tuple[str, str], tuple[str, str, str]] = {}
        for page in result.pages:
            for item in page.items:
                if isinstance(item, ShapedText):
                    text = _joined(item)
                    # A card's back may repeat its front: one entry per string and element.
                    seen.setdefault((item.name or "", text), (text, item.gloss, item.name or ""))
        per_record.append((result.record.who, list(seen.values())))
    total = len(per_record)
    counts: dict[tuple[str, str, str], int] = {}
    for _, strings in per_record:
        for key in strings:
            counts[key] = counts.get(key, 0) + 1
    shared = [key for key, n in counts.items() if n == total and total > 1]
    entries = [ProofEntry(text, gloss, element, f"全部 {total} 份", total) for text, gloss, element in shared]
    for who, strings in per_record:
        for key in strings:
            if key not in shared:
                entries.append(ProofEntry(key[0], key[1], key[2], who, counts[key]))
    return entries


def code_points(text: str) -> str:
    names = {" ": "空格", "\u202f": "NNBSP", "\u180e": "MVS", "\u180b": "FVS1", "\u180c": "FVS2",
             "\u180d": "FVS3", "\u180f": "FVS4", "\u200d": "ZWJ", "\u200c": "ZWNJ"}
    return " ".join(f"{ord(c):04X}" + (f"({names[c]})" if c in names else "") for c in text)


class ProofSheet:
    """Lays out the entries on A4 pages with a table head on each and the signature block at the end."""

    def __init__(self, book: FontBook, title: str, subtitle: str, problems: Sequence[str] = ()):
        self.book = book
        self.setter = TextSetter(book)
        self.mongolian = setter_for(book)
        self.title, self.subtitle, self.problems = title, subtitle, list(problems)

    def style(self, size: float, align: str = "left", font: str = "NotoSansSC-Regular", color: str = "#000000",
              wrap: bool = True, valign: str = "top") -> TextStyle:
        return TextStyle(face=font, size=size, min_size=size * 0.6, line_height=1.35, align=align, valign=valign,
                         wrap=wrap, color=color)

    def text(self, content: str, box: Box, style: TextStyle, name: Optional[str] = None) -> Text:
        return self.setter.set(content, box, style, name=name)[0]

    def shaped(self, content: str, box: Box, gloss: str) -> ShapedText:
        style = MongolianStyle(face=MONGOLIAN_FACE, size=MONGOLIAN_SIZE, min_size=9, line_height=1.45)
        return self.mongolian.set(content, box, style, name="proof", gloss=gloss)[0]

    def entry_height(self, entry: ProofEntry) -> float:
        """The least row height (points) in which the string fits at full size in its cell."""
        width = COLUMNS[3] - mm(4)
        style = MongolianStyle(face=MONGOLIAN_FACE, size=MONGOLIAN_SIZE, min_size=MONGOLIAN_SIZE, line_height=1.45)
        height = mm(24)
        while height < mm(150):
            _, fits = self.mongolian.set(entry.mongolian, Box(0, 0, width, height), style)
            if fits:
                break
            height += mm(6)
        return height + mm(12)  # room for the code points below

    def pages(self, entries: Sequence[ProofEntry]) -> list[Page]:
        pages: list[list[Item]] = []
        y = self._new_page(pages, first=True)
        bottom = PAGE_H - MARGIN - FOOTER_H
        for number, entry in enumerate(entries, 1):
            height = self.entry_height(entry)
            if y + height > bottom:
                y = self._new_page(pages)
            pages[-1].extend(self._row(number, entry, y, height))
            y += height
        if self.problems:
            y = self._problems(pages, y)
        if y + SIGNATURE_H > bottom:
            y = self._new_page(pages)
        pages[-1].extend(self._signature(y + mm(6), len(entries)))
        total = len(pages)
        result = []
        for index, items in enumerate(pages, 1):
            items.append(self.text(f"第 {index} 页，共 {total} 页", Box(MARGIN, PAGE_H - MARGIN - mm(5), PAGE_W - 2 * MARGIN,
                                                                       mm(5)), self.style(8, "center", color="#555555")))
            result.append(Page(PAGE_W, PAGE_H, tuple(items), label=f"校对单 {index}"))
        return result

    def _new_page(self, pages: list[list[Item]], first: bool = False) -> float:
        items: list[Item] = []
        y = MARGIN
        if first:
            items.append(self.text(self.title, Box(MARGIN, y, PAGE_W - 2 * MARGIN, mm(11)),
                                   self.style(20, "center", "NotoSansSC-Bold", wrap=False), "proof-title"))
            y += mm(12)
            items.append(self.text(self.subtitle, Box(MARGIN, y, PAGE_W - 2 * MARGIN, mm(12)),
                                   self.style(9, "left", color="#333333"), "proof-subtitle"))
            y += mm(13)
        x = MARGIN
        for width, heading in zip(COLUMNS, HEADINGS):
            box = Box(x, y, width, HEADER_H)
            items.append(Rect(box, stroke="#000000", fill="#EEEEEE", width=0.5))
            items.append(self.text(heading, Box(x + mm(1), y, width - mm(2), HEADER_H),
                                   self.style(9, "center", "NotoSansSC-Bold", wrap=False, valign="middle")))
            x += width
        pages.append(items)
        return y + HEADER_H

    def _row(self, number: int, entry: ProofEntry, y: float, height: float) -> list[Item]:
        items: list[Item] = []
        x = MARGIN
        for width in COLUMNS:
            items.append(Rect(Box(x, y, width, height), stroke="#000000", width=0.5))
            x += width
        x0, x1, x2, x3, x4 = (MARGIN + sum(COLUMNS[:i]) for i in range(5))
        pad = mm(2)
        items.append(self.text(str(number), Box(x0, y + pad, COLUMNS[0], mm(6)), self.style(10, "center")))
        where = f"{entry.who}\n{entry.element}" if entry.element else entry.who
        items.append(self.text(where, Box(x1 + pad, y + pad, COLUMNS[1] - 2 * pad, height - 2 * pad),
                               self.style(9)))
        items.append(self.text(entry.chinese or "（未给出汉文）", Box(x2 + pad, y + pad, COLUMNS[2] - 2 * pad,
                                                                 height - 2 * pad), self.style(11, font="NotoSerifSC-Regular")))
        cell = Box(x3 + pad, y + pad, COLUMNS[3] - 2 * pad, height - mm(12) - pad)
        items.append(self.shaped(entry.mongolian, cell, entry.chinese))
        items.append(self.text(code_points(entry.mongolian), Box(x3 + pad, y + height - mm(11), COLUMNS[3] - 2 * pad,
                                                                 mm(10)), self.style(5, color="#666666")))
        items.append(self.text("□ 无误\n□ 有误", Box(x4 + pad, y + pad, COLUMNS[4] - 2 * pad, mm(12)),
                               self.style(9)))
        return items

    def _problems(self, pages: list[list[Item]], y: float) -> float:
        bottom = PAGE_H - MARGIN - FOOTER_H
        content = "以下记录没有生成，也不在上表中，请改好名册或单位信息文件后重新生成校对单：\n" + "\n".join(self.problems)
        style = self.style(8, color="#C8161D")
        lines = self.setter.lines_at(content, style, 8, PAGE_W - 2 * MARGIN)
        height = len(lines) * 8 * 1.35 + mm(2)
        if y + mm(4) + height > bottom:
            y = self._new_page(pages)
        pages[-1].append(self.text(content, Box(MARGIN, y + mm(4), PAGE_W - 2 * MARGIN, height), style,
                                   "proof-problems"))
        return y + mm(4) + height

    def _signature(self, y: float, count: int) -> list[Item]:
        width = PAGE_W - 2 * MARGIN
        items: list[Item] = [Rect(Box(MARGIN, y, width, SIGNATURE_H - mm(6)), stroke="#000000", width=0.75)]
        lines = (f"校对意见：以上 {count} 条蒙古文   □ 全部无误，同意印制     □ 有误，已在对应条目标注",
                 "校对人（通晓蒙古文）签字：", "日期：")
        for index, line in enumerate(lines):
            top = y + mm(4) + index * mm(10)
            items.append(self.text(line, Box(MARGIN + mm(4), top, width - mm(8), mm(7)),
                                   self.style(11, wrap=False, valign="middle")))
        for index, (start, end) in enumerate(((mm(62), mm(130)), (mm(30), mm(90)))):
            rule_y = y + mm(4) + (index + 1) * mm(10) + mm(6)
            items.append(Rule(MARGIN + start, rule_y, MARGIN + end, rule_y, width=0.5))
        return items
