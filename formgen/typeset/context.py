"""What a layout's templates see: the record's fields by name, and these names beside them."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from formgen import templating
from formgen.record import Record

# Names the composer gives every template besides the record's fields, and the sandbox's own globals.
CONTEXT_NAMES = frozenset({"record", "row", "org", "options", "copy", "copies", "today", "photo"}
                          | set(templating.ENVIRONMENT.globals))


def template_context(record: Record, org: Mapping[str, Any], options: Mapping[str, Any], copy: int,
                     copies: int, today: dt.date) -> dict[str, Any]:
    return {
        **record.values,
        "record": record.values,
        "row": record.row,
        "org": org,
        "options": options,
        "copy": copy,
        "copies": copies,
        "today": today,
        "photo": str(record.photo) if record.photo else "",
    }
