"""The ledger: broken, locked, foreign or emptied ledgers stop the work saying what is wrong (numbering
never restarts), migrations back it up first, a revoked award gets a new serial; verify is bounded."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PIL import Image

from formgen.campaign import ledger as ledger_module
from formgen.campaign.ledger import Ledger, LedgerError
from formgen.campaign.verify import payloads_in
from formgen.cli.main import main

DAY = dt.date(2024, 10, 8)


def issue(ledger: Ledger, holder_id: str = "000101") -> str:
    return ledger.issue("FG", holder_id, "王喆", "学习之星", "2024Q3", DAY)


@pytest.mark.parametrize("damage, said", [
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_bytes(b"not a database at all" * 100), "不是 formgen 的证书登记簿"),
    (lambda p: p.write_bytes(p.read_bytes()[:100] + b"\x00" * 4000 + p.read_bytes()[4100:]), "损坏"),
    (lambda p: sqlite3.connect(p).executescript("DROP TABLE certificates; CREATE TABLE other (x);"), "没有证书表"),
    (lambda p: sqlite3.connect(p).executescript(
        "ALTER TABLE certificates RENAME TO old; CREATE TABLE certificates (serial TEXT);"), "结构不对"),
])
def test_a_broken_ledger_stops_the_work_and_never_restarts_numbering(tmp_path, damage, said):
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path)
    for n in range(3):
        issue(ledger, f"00010{n}")
    damage(path)
    with pytest.raises(LedgerError, match=said):
        issue(Ledger(path))


def test_a_locked_ledger_is_said_after_a_bounded_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_module, "LOCK_WAIT", 0.2)
    path = tmp_path / "ledger.sqlite3"
    Ledger(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LedgerError, match="正被另一个程序使用"):
            issue(Ledger(path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_old_ledger_is_backed_up_then_migrated_and_a_revoked_award_gets_a_new_serial(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(ledger_module._TABLE + "CREATE UNIQUE INDEX one_award_per_holder_and_period "
                      "ON certificates (holder_id, award_code, period);")
    old.execute("INSERT INTO certificates (serial, prefix, year, award_code, number, holder, holder_id, award, period,"
                " issue_date) VALUES ('FG-2024-XX-0001', 'FG', 2024, 'XX', 1, '王喆', '000101', '学习之星', '2024Q3',"
                " '2024-10-08')")
    old.commit()
    old.close()
    ledger = Ledger(path)
    assert ledger.backup is not None and ledger.backup.exists()
    assert Ledger(ledger.backup, create=False).lookup("FG-2024-XX-0001").holder == "王喆"
    assert issue(ledger) == "FG-2024-XX-0001"
    ledger.revoke("FG-2024-XX-0001", "姓名印错")
    again = Ledger(path)
    assert issue(again) == "FG-2024-XX-0002"
    assert [(new, old.serial) for new, old in again.replaced] == [("FG-2024-XX-0002", "FG-2024-XX-0001")]
    assert again.lookup("FG-2024-XX-0001").revoked and not again.lookup("FG-2024-XX-0002").revoked
    assert issue(Ledger(path)) == "FG-2024-XX-0002"  # the new one is kept from now on


def test_verify_and_revoke_never_make_a_ledger(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["revoke", "FG-2024-XX-0001", "--reason", "x"]) == 2
    assert "找不到证书登记簿" in capsys.readouterr().err and not (tmp_path / "formgen-data" / "ledger.sqlite3").exists()


def test_verify_is_bounded_on_picture_bombs_and_huge_pages(tmp_path):
    bomb = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(bomb)  # small file, 144 million pixels
    with pytest.raises(ValueError, match="像素"):
        payloads_in(bomb)
    from reportlab.pdfgen import canvas

    page = tmp_path / "huge.pdf"
    sheet = canvas.Canvas(str(page), pagesize=(200 * 72, 200 * 72))
    sheet.drawString(100, 100, "x")
    sheet.save()
    assert payloads_in(page) == []  # rendered within the pixel limit: no QR code, no error


def test_scores_are_compared_as_they_are_shown(tmp_path):
    from formgen.api.campaign import run_awards
    from formgen.chinese import parse_quarter

    scores = tmp_path / "s.csv"
    scores.write_text("工号,姓名,所属党支部,政治理论,业务知识\n000101,王喆,一支部,29.999999,29.999999\n"
                      "000102,李堃,一支部,29.994,30\n", encoding="utf-8")
    result = run_awards(scores, parse_quarter("2024Q3"), {}, None)
    letters = {d.row.name: d.why for d in result.decisions if d.award == "劝学信"}
    assert "王喆" not in letters  # 60 shown, 60 compared: passes
    assert "59.99" in letters["李堃"]


@pytest.mark.parametrize("mark", ["1e309", "nan", "-5", "inf", "abc", "101"])
def test_a_pass_mark_that_decides_nothing_is_refused(tmp_path, mark, capsys):
    with pytest.raises(SystemExit):
        main(["awards", str(tmp_path / "s.csv"), "--quarter", "2024Q3", "-o", str(tmp_path), "--pass-mark", mark])
    assert "合格线" in capsys.readouterr().err
    from formgen.api.campaign import check_pass_mark

    with pytest.raises(ValueError, match="合格线"):
        check_pass_mark(float("nan"))
