"""The certificate ledger: one SQLite file in the organisation's data folder, one row per certificate.

Serial numbers are {prefix}-{year}-{award code}-{NNNN}. Issuing the same award to the same holder for
the same period again gives back the serial it already has — unless that one was revoked: then a new
serial is given (and the revoked one stays revoked). Batches running at the same time never
hand out the same serial: each issue runs in an IMMEDIATE transaction, which SQLite serialises.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

AWARD_CODES = {
    "学习之星": "XX",
    "进步之星": "JB",
    "创效之星": "CX",
    "先进个人": "XJ",
    "五星党支部": "WX",
    "优秀项目": "YX",
}

_TABLE = """
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
CREATE UNIQUE INDEX IF NOT EXISTS one_number_per_series ON certificates (prefix, year, award_code, number);
"""
# Version 2: a revoked certificate no longer holds its holder's place, so that issuing the award again
# gives a new serial instead of printing the revoked one once more.
_CURRENT_INDEX = """
CREATE UNIQUE INDEX IF NOT EXISTS one_valid_award_per_holder_and_period
    ON certificates (holder_id, award_code, period) WHERE revoked = 0;
"""
SCHEMA_VERSION = 2
_COLUMNS = {"serial", "prefix", "year", "award_code", "number", "holder", "holder_id", "award", "period",
            "issue_date", "payload_hash", "revoked", "revoked_reason", "revoked_at"}
_SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_WAIT = 15  # seconds to wait for another run that is using the ledger


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
    """The ledger file. Anything wrong with it — empty, damaged, locked, not formgen's — stops the work
    with a LedgerError that says what and what to do: numbering never restarts silently, which would
    issue again the serials of certificates already printed."""

    def __init__(self, path: Path | str, create: bool = True):
        self.path = Path(path)
        self.backup: Optional[Path] = None  # the copy made before the ledger's structure was changed
        self.replaced: list[tuple[str, Certificate]] = []  # (new serial, the revoked certificate it replaces)
        exists = self.path.exists()
        if not exists and not create:
            raise LedgerError(f"找不到证书登记簿 {self.path}；请用 --org 指明发证时所用的单位信息文件（其中的 data_dir）")
        if exists:
            self._check_file()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            if exists:
                self._check_and_migrate(connection)
            else:
                connection.executescript(_TABLE + _CURRENT_INDEX + f"PRAGMA user_version = {SCHEMA_VERSION};")

    def _check_file(self) -> None:
        with open(self.path, "rb") as handle:
            head = handle.read(16)
        if not head:
            raise LedgerError(f"证书登记簿 {self.path} 是空文件（0 字节），可能已损坏或被清空；为免再次发出已印证书的编号，"
                              f"没有重新开始编号。请从备份恢复登记簿；确实从未发过证书时，删除这个文件后重试")
        if head != _SQLITE_HEADER:
            raise LedgerError(f"{self.path} 不是 formgen 的证书登记簿（文件内容不是登记簿数据库），可能已损坏或被替换；"
                              f"请从备份恢复，没有发放任何编号")

    def _check_and_migrate(self, connection: sqlite3.Connection) -> None:
        (status,) = connection.execute("PRAGMA quick_check").fetchone()
        if status != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({status})")
        columns = {row[1] for row in connection.execute("PRAGMA table_info(certificates)")}
        if not columns:
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if tables:
                raise LedgerError(f"{self.path} 不是 formgen 的证书登记簿（里面没有证书表，只有：{'、'.join(tables[:5])}）；"
                                  f"请检查 --org 中的 data_dir")
            connection.executescript(_TABLE + _CURRENT_INDEX + f"PRAGMA user_version = {SCHEMA_VERSION};")
            return
        if not _COLUMNS <= columns:
            missing = "、".join(sorted(_COLUMNS - columns))
            raise LedgerError(f"证书登记簿 {self.path} 的结构不对（缺少 {missing}），不是这个版本的 formgen 能读写的；"
                              f"请从备份恢复，或联系维护人员。没有发放任何编号")
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise LedgerError(f"证书登记簿 {self.path} 由更新版本的 formgen 写过（结构版本 {version}）；请使用新版本的 formgen")
        if version < SCHEMA_VERSION:
            backup = self._backup(version)
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("DROP INDEX IF EXISTS one_award_per_holder_and_period")
                connection.execute(_CURRENT_INDEX.strip().rstrip(";"))
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            self.backup = backup

    def _backup(self, version: int) -> Path:
        """A copy of the ledger as it was, beside it, before its structure is changed."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        with closing(sqlite3.connect(self.path, timeout=LOCK_WAIT)) as source, \
                closing(sqlite3.connect(backup)) as copy:
            source.backup(copy)
        return backup

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=LOCK_WAIT, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {LOCK_WAIT * 1000}")
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection whose every SQLite error becomes a LedgerError saying what is wrong."""
        try:
            with closing(self._connect()) as connection:
                yield connection
        except LedgerError:
            raise
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LedgerError(f"证书登记簿 {self.path} 正被另一个程序使用（也许另一次发证正在进行）；"
                                  f"等了{LOCK_WAIT}秒仍未结束，请稍后重试。没有发放任何编号") from None
            raise LedgerError(f"证书登记簿 {self.path} 无法读写（{exc}）；没有发放任何编号") from None
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"证书登记簿 {self.path} 已损坏（{exc}）；请从备份恢复（如 {self.path.name}.*.bak）。"
                              f"没有发放任何编号，已印证书的编号不会重复") from None

    def issue(self, prefix: str, holder_id: str, holder: str, award: str, period: str, issue_date: dt.date,
              payload_hash: str = "") -> str:
        """The serial of this award for this holder and period: the existing one, or a new one."""
        code = award_code(award)
        year = issue_date.year
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                found = connection.execute(
                    "SELECT serial FROM certificates WHERE holder_id = ? AND award_code = ? AND period = ?"
                    " AND revoked = 0", (holder_id, code, period)).fetchone()
                if found:
                    connection.execute("COMMIT")
                    return found[0]
                (last,) = connection.execute(
                    "SELECT COALESCE(MAX(number), 0) FROM certificates WHERE prefix = ? AND year = ? AND award_code = ?",
                    (prefix, year, code)).fetchone()
                serial = f"{prefix}-{year}-{code}-{last + 1:04d}"
                revoked = connection.execute(
                    "SELECT serial, holder, holder_id, award, period, issue_date, payload_hash, revoked,"
                    " revoked_reason, revoked_at FROM certificates WHERE holder_id = ? AND award_code = ?"
                    " AND period = ? AND revoked = 1", (holder_id, code, period)).fetchall()
                self.replaced += [(serial, Certificate(*row[:7], bool(row[7]), row[8], row[9])) for row in revoked]
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
        with self._connection() as connection:
            connection.execute("UPDATE certificates SET payload_hash = ? WHERE serial = ?", (payload_hash, serial))

    def lookup(self, serial: str) -> Optional[Certificate]:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT serial, holder, holder_id, award, period, issue_date, payload_hash, revoked, revoked_reason,"
                " revoked_at FROM certificates WHERE serial = ?", (serial,)).fetchone()
        if row is None:
            return None
        return Certificate(*row[:7], bool(row[7]), row[8], row[9])

    def revoke(self, serial: str, reason: str, when: Optional[dt.datetime] = None) -> Certificate:
        if not reason.strip():
            raise LedgerError("作废证书必须写明原因；证书未作废")
        with self._connection() as connection:
            updated = connection.execute(
                "UPDATE certificates SET revoked = 1, revoked_reason = ?, revoked_at = ? WHERE serial = ?",
                (reason.strip(), (when or dt.datetime.now()).isoformat(timespec="seconds"), serial)).rowcount
        if not updated:
            raise LedgerError(f"登记簿 {self.path} 中没有编号为“{serial}”的证书；未作废任何证书")
        return self.lookup(serial)
