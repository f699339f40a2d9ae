"""The certificate ledger: one SQLite file in the organisation's data folder, one row per certificate.

Serial numbers are {prefix}-{year}-{award code}-{NNNN}. Issuing the same award to the same holder for
the same period again gives back the serial it already has. Batches running at the same time never
hand out the same serial: each issue runs in an IMMEDIATE transaction, which SQLite serialises.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

AWARD_CODES = {
    "学习之星": "XX",
    "进步之星": "JB",
    "创效之星": "CX",
    "先进个人": "XJ",
    "五星党支部": "WX",
    "优秀项目": "YX",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS certificates (
    serial TEXT PRIMARY KEY,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    award_code TEXT NOT NULL,
    number INTEGER NOT NULL,
    holder TEXT NOT NULL,
    holder_id TEXT NOT NULL,
    award TEXT NOT NULL,
    period TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    payload_hash TEXT NOT NULL DEFAULT '',
    revoked INTEGER NOT NULL DEFAULT 0,
    revoked_reason TEXT NOT NULL DEFAULT '',
    revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS one_award_per_holder_and_period ON certificates (holder_id, award_code, period);
CREATE UNIQUE INDEX IF NOT EXISTS one_number_per_series ON certificates (prefix, year, award_code, number);
"""


class LedgerError(ValueError):
    pass


@dataclass(frozen=True)
class Certificate:
    serial: str
    holder: str
    holder_id: str
    award: str
    period: str
    issue_date: str
    payload_hash: str
    revoked: bool
    revoked_reason: str
    revoked_at: str


def award_code(award: str) -> str:
    try:
        return AWARD_CODES[award]
    except KeyError:
        raise LedgerError(f"未知奖项“{award}”，无法登记编号（可登记的奖项：{'、'.join(AWARD_CODES)}）") from None


class Ledger:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 60000")
        return connection

    def issue(self, prefix: str, holder_id: str, holder: str, award: str, period: str, issue_date: dt.date,
              payload_hash: str = "") -> str:
        """The serial of this award for this holder and period: the existing one, or a new one."""
        code = award_code(award)
        year = issue_date.year
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                found = connection.execute(
                    "SELECT serial FROM certificates WHERE holder_id = ? AND award_code = ? AND period = ?",
                    (holder_id, code, period)).fetchone()
                if found:
                    connection.execute("COMMIT")
                    return found[0]
                (last,) = connection.execute(
                    "SELECT COALESCE(MAX(number), 0) FROM certificates WHERE prefix = ? AND year = ? AND award_code = ?",
                    (prefix, year, code)).fetchone()
                serial = f"{prefix}-{year}-{code}-{last + 1:04d}"
                connection.execute(
                    "INSERT INTO certificates (serial, prefix, year, award_code, number, holder, holder_id, award,"
                    " period, issue_date, payload_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (serial, prefix, year, code, last + 1, holder, holder_id, award, period, issue_date.isoformat(),
                     payload_hash))
                connection.execute("COMMIT")
                return serial
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def set_payload_hash(self, serial: str, payload_hash: str) -> None:
        with closing(self._connect()) as connection:
            connection.execute("UPDATE certificates SET payload_hash = ? WHERE serial = ?", (payload_hash, serial))

    def lookup(self, serial: str) -> Optional[Certificate]:
        with closing(self._connect()) as connection:
            row = connection.execute(
                "SELECT serial, holder, holder_id, award, period, issue_date, payload_hash, revoked, revoked_reason,"
                " revoked_at FROM certificates WHERE serial = ?", (serial,)).fetchone()
        if row is None:
            return None
        return Certificate(*row[:7], bool(row[7]), row[8], row[9])

    def revoke(self, serial: str, reason: str, when: Optional[dt.datetime] = None) -> Certificate:
        if not reason.strip():
            raise LedgerError("作废证书必须写明原因；证书未作废")
        with closing(self._connect()) as connection:
            updated = connection.execute(
                "UPDATE certificates SET revoked = 1, revoked_reason = ?, revoked_at = ? WHERE serial = ?",
                (reason.strip(), (when or dt.datetime.now()).isoformat(timespec="seconds"), serial)).rowcount
        if not updated:
            raise LedgerError(f"登记簿 {self.path} 中没有编号为“{serial}”的证书；未作废任何证书")
        return self.lookup(serial)
