"""Problems found in the input, each naming the record, the column and what is wrong."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
LEVEL_LABELS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Problem:
    level: str  # "error" fails the record; "warning" does not
    message: str
    row: int | None = None  # the row as the user sees it in the spreadsheet
    column: str | None = None
    who: str = ""  # the record's name, to find it without counting rows
    source: str = ""  # file name, or layout element
    # Where in the layout the problem arose (elements[0] (front).children[2] (photo)): for whoever edits
    # layouts, in the problem list's own column, never in the clerk's message
    place: str = ""
    # What the clerk changes to put it right when it is not the roster: "org:KEY" (an entry of the profile)
    # or "options:KEY" (an option of the layout); empty otherwise
    origin: str = ""

    def __str__(self) -> str:
        """One line in the clerks' language: 错误：roster.xlsx 第5行（赵敏）「照片」列：……"""
        place = []
        if self.source:
            place.append(self.source + " ")
        if self.row is not None:
            place.append(f"第{self.row}行" + (f"（{self.who}）" if self.who else ""))
        elif self.who:
            place.append(self.who)
        if self.column:
            place.append(f"「{self.column}」列")
        prefix = "".join(place).strip()
        label = LEVEL_LABELS.get(self.level, self.level)
        return f"{label}：{prefix}：{self.message}" if prefix else f"{label}：{self.message}"


class RecordFailed(Exception):
    """A record cannot be rendered; carries the problem that says why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class BatchRefused(ValueError):
    """The batch as a whole cannot be printed (the same QR code on every card); nothing is written."""

    def __init__(self, problems: "list[Problem]"):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class RosterError(ValueError):
    """A data file (roster, score sheet, survey answers) that cannot be read at all."""
