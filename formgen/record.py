"""One record to compose: a member's row as the roster gave it, with its photo once found."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from formgen.problems import Problem


@dataclass(frozen=True)
class Record:
    row: int  # as the user sees it: the spreadsheet row, or the item number in a JSON list
    values: Mapping[str, Any]
    source: str = ""
    photo: Optional[Path] = None

    @property
    def who(self) -> str:
        """The name that messages give the record, to find it without counting rows."""
        return str(self.values.get("姓名") or self.values.get("工号") or "")

    def problem(self, level: str, message: str, column: Optional[str] = None, place: str = "") -> Problem:
        """A problem of this record (made here, kept by whoever reports it); place: where in the layout."""
        return Problem(level, message, row=self.row, column=column, who=self.who, source=self.source, place=place)
