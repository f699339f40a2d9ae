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


def file_time() -> dt.datetime:
    """The time written into files as their creation date: local time with its UTC offset, or
    SOURCE_DATE_EPOCH's time in UTC, so that a reproducible build gives the same bytes on every machine."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = now().replace(microsecond=0)
    return moment if epoch.isdigit() else moment.astimezone()
