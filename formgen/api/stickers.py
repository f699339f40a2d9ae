"""Stickers: 安全帽“共产党员”标志 sheets — one per member of a roster, or a given count per branch — in the
rectangular or round design and its size, with the user's own emblem picture or none."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence

from formgen import limits
from formgen.api.render import Job, Output, RenderReport, load_records, render
from formgen.input import selection
from formgen.input.records import readable_records
from formgen.problems import ERROR, WARNING, Problem
from formgen.record import Record

DESIGNS = {("rect", "large"): "helmet-sticker", ("rect", "small"): "helmet-sticker-small",
           ("round", "large"): "helmet-sticker-round", ("round", "small"): "helmet-sticker-round-small"}
COUNT_COLUMN = "数量"


class NoEmblem(ValueError):
    """The emblem picture given cannot be used: nothing is printed rather than a sheet without it."""


class TooManyStickers(ValueError):
    """More stickers asked for than one run prints (limits.MAX_STICKERS)."""


@dataclass
class StickersResult:
    layout: str
    records: int  # stickers asked for
    problems: list[Problem]
    report: RenderReport


def _emblem(path: Optional[Path]) -> str:
    if path is None:
        return ""
    from PIL import Image, UnidentifiedImageError

    if not path.exists():
        raise NoEmblem(f"找不到党徽图片：{path}；没有生成标志")
    try:
        with Image.open(path) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise NoEmblem(f"{path.name} 不是可以读取的图片（不是图片、已损坏或过大）；请提供党徽的 PNG 或 JPG 图片；"
                       f"没有生成标志") from None
    return str(path.resolve())


def sticker_records(records: Sequence[Record], per_branch: Optional[int]
                    ) -> tuple[list[Record] | list[dict], list[Problem]]:
    """One record per sticker: each member (their own row, for messages), or per_branch (or the row's 数量)
    stickers for each branch."""
    problems: list[Problem] = []
    has_counts = any(str(r.values.get(COUNT_COLUMN, "")).strip() for r in records)
    if per_branch is None and not has_counts:
        return list(records), problems
    counts: dict[str, int] = {}
    for record in records:
        branch = str(record.values.get("所属党支部") or "").strip()
        if not branch:
            problems.append(record.problem(WARNING, "没有填写党支部；这一行不计入", "所属党支部"))
            continue
        count = per_branch
        raw = str(record.values.get(COUNT_COLUMN, "")).strip()
        if per_branch is None:
            try:
                count = int(float(raw))
                if count < 0:
                    raise ValueError
            except (ValueError, OverflowError):
                problems.append(record.problem(WARNING, f"数量“{raw}”不是整数；这一行不计入", COUNT_COLUMN))
                continue
            if counts.get(branch, 0) + count > limits.MAX_STICKERS_PER_BRANCH:
                problems.append(record.problem(
                    ERROR, f"数量“{raw}”使这个支部超过{limits.MAX_STICKERS_PER_BRANCH}个（每个支部的上限）；"
                           f"这一行不计入", COUNT_COLUMN))
                continue
            counts[branch] = counts.get(branch, 0) + count  # a branch on several rows: the counts add up
        else:
            counts.setdefault(branch, per_branch)  # a roster: each branch once, whatever its members
    total = sum(counts.values())
    if total > limits.MAX_STICKERS:
        raise TooManyStickers(f"共要印{total}个标志，超过了一次最多{limits.MAX_STICKERS}个的上限；"
                              f"请用 --only 分几次生成")
    stickers = [{"所属党支部": branch, "姓名": ""} for branch, count in counts.items() for _ in range(count)]
    return stickers, problems


def run_stickers(data: Path, out: Path, formats: Sequence[str] = ("pdf",), design: str = "rect",
                 size: str = "large", per_branch: Optional[int] = None, emblem: Optional[Path] = None,
                 names: bool = False, org: Optional[Mapping] = None, sheet: Optional[str] = None,
                 only: Sequence[str] = (), pdfa: bool = False,
                 header_map: Optional[Mapping[str, str]] = None) -> StickersResult:
    """The sticker sheets into out (a .pdf, and .docx with formats); header_map as load_records'."""
    layout = DESIGNS[(design, size)]
    if per_branch is not None and not 1 <= per_branch <= limits.MAX_STICKERS_PER_BRANCH:
        raise TooManyStickers(f"每个支部的数量 {per_branch} 不在 1–{limits.MAX_STICKERS_PER_BRANCH} 之间")
    options = {"emblem": _emblem(emblem), "name": bool(names and per_branch is None)}
    roster = load_records(data, sheet=sheet, find_photo_files=False, header_map=header_map)
    roster = selection.select(roster, selection.parse_filters(list(only)))
    stickers, problems = sticker_records(readable_records(roster), per_branch)
    job = Job(layout, options=options) if org is None else Job(layout, org=org, options=options)
    report = render(job, stickers, Output(out, tuple(formats), pdfa=pdfa))
    return StickersResult(layout, len(stickers), list(roster.problems) + problems, report)
