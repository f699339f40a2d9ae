"""The one clock: today's date and the time written into files, SOURCE_DATE_EPOCH honoured.

Reproducible builds set SOURCE_DATE_EPOCH (seconds since 1970) so that the same input gives the same
bytes; without it the dates are real.
"""
from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """The current time (UTC-aware), or the time SOURCE_DATE_EPOCH names."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Today as the clerk's calendar has it (local date), or SOURCE_DATE_EPOCH's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return now().date()
    return dt.date.today()
