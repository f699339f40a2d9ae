"""Problems found in the input, each naming the record, the column and what is wrong."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    level: str  # "error" fails the record; "warning" does not
    message: str
    row: int | None = None  # the row as the user sees it in the spreadsheet
    column: str | None = None
    who: str = ""  # the record's name, to find it without counting rows
    source: str = ""  # file name, or layout element

    def __str__(self) -> str:
        place = []
        if self.source:
            place.append(self.source)
        if self.row is not None:
            place.append(f"row {self.row}" + (f" ({self.who})" if self.who else ""))
        elif self.who:
            place.append(self.who)
        if self.column:
            place.append(f"column {self.column}")
        prefix = ", ".join(place)
        return f"{self.level}: {prefix}: {self.message}" if prefix else f"{self.level}: {self.message}"


class RecordFailed(Exception):
    """A record cannot be rendered; carries the problem that says why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
