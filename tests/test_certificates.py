"""Certificates end to end: serials in the ledger, signed QR payloads, verification, revocation."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import stat

import pytest

from formgen.campaign.ledger import Ledger
from formgen.campaign.signing import (
    Certified,
    Forged,
    fingerprint,
    init_keys,
    load_private_key,
    load_public_key,
    make_payload,
    parse_and_verify,
    read_public_key,
)
from formgen.campaign.verify import FORGED, REVOKED, UNKNOWN, VALID, verify_payload
from formgen.cli.main import main

from .conftest import decode_qr, pdf_text, render_page
from .test_rules import workbook_with


def test_keys_are_private_and_never_overwritten(tmp_path):
    path = init_keys(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        init_keys(tmp_path)


def test_a_changed_byte_is_forged(tmp_path):
    init_keys(tmp_path)
    payload = make_payload(load_private_key(tmp_path), "https://x.org/v",
                           Certified("FG-2024-XX-0001", "黄𫖯", "学习之星", "2024Q3", "2024-09-30"))
    assert payload.isascii() and len(payload) < 300
    assert parse_and_verify(payload, load_public_key(tmp_path)).holder == "黄𫖯"
    data = re.search(r"&d=([^&]+)", payload).group(1)
    for position in (0, len(data) // 2, len(data) - 2):
        changed = data[:position] + ("A" if data[position] != "A" else "B") + data[position + 1:]
        with pytest.raises(Forged):
            parse_and_verify(payload.replace(data, changed), load_public_key(tmp_path))
    with pytest.raises(Forged):
        parse_and_verify("https://x.org/v?s=1", load_public_key(tmp_path))


def test_reissue_reuses_the_serial(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    day = dt.date(2024, 9, 30)
    first = ledger.issue("FG", "001", "甲", "学习之星", "2024Q3", day)
    assert first == "FG-2024-XX-0001"
    assert ledger.issue("FG", "001", "甲", "学习之星", "2024Q3", day) == first
    assert ledger.issue("FG", "002", "乙", "学习之星", "2024Q3", day) == "FG-2024-XX-0002"
    assert ledger.issue("FG", "001", "甲", "进步之星", "2024Q3", day) == "FG-2024-JB-0001"
    assert ledger.issue("FG", "001", "甲", "学习之星", "2024Q4", day) == "FG-2024-XX-0003"


def _issue_many(args):
    path, worker = args
    ledger = Ledger(path)
    return [ledger.issue("FG", f"{worker}-{n}", "某", "学习之星", "2024Q3", dt.date(2024, 9, 30)) for n in range(25)]


def test_concurrent_batches_never_share_a_serial(tmp_path):
    path = tmp_path / "l.sqlite3"
    Ledger(path)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        serials = [s for batch in pool.map(_issue_many, [(path, w) for w in range(4)]) for s in batch]
    assert len(serials) == 100 and len(set(serials)) == 100


@pytest.fixture
def issued(tmp_path, monkeypatch):
    """The awards command run on a small score sheet, in a working folder of its own."""
    monkeypatch.chdir(tmp_path)
    q2 = [["001", "王喆", "一支部", 40, 40, 80], ["002", "黄𫖯", "一支部", 20, 20, 40]]
    q3 = [["001", "王喆", "一支部", 45, 40, 85], ["002", "黄𫖯", "一支部", 25, 25, 50],
          ["003", "赵𬌗", "一支部", 40, 30, 70]]
    workbook_with({"2024年第二季度": q2, "2024年第三季度": q3}).save(tmp_path / "scores.xlsx")
    code = main(["awards", "scores.xlsx", "--quarter", "2024Q3", "-o", "out", "--issue-date", "2024-09-30",
                 "--retest-date", "2024-10-20"])
    assert code == 0
    return tmp_path


def test_letters_left_from_an_earlier_run_are_said(issued, capsys):
    """A quarter in which nobody fails writes no 劝学信: last quarter's in the folder is named, not used
    unknowingly, and never removed."""
    q4 = [["001", "王喆", "一支部", 45, 40, 85]]
    workbook_with({"2024年第四季度": q4}).save(issued / "q4.xlsx")
    capsys.readouterr()
    assert main(["awards", "q4.xlsx", "--quarter", "2024Q4", "-o", "out", "--issue-date", "2024-12-30"]) == 0
    err = capsys.readouterr().err
    assert "劝学信.pdf 是以前生成的，这次没有写（没有人需要劝学信）" in err
    assert (issued / "out" / "劝学信.pdf").exists()


def test_awards_writes_certificates_letters_and_decisions(issued):
    certificates = [re.sub(r"\s+", "", p) for p in pdf_text(issued / "out" / "荣誉证书.pdf")]
    assert len(certificates) == 2  # 学习之星 王喆, 进步之星 黄𫖯 (40 → 50)
    assert "王喆同志：" in certificates[0] and "被评为“学习之星”" in certificates[0]
    assert "二〇二四年九月三十日" in certificates[0] and "FG-2024-XX-0001" in certificates[0]
    assert "黄𫖯同志：" in certificates[1] and "进步之星" in certificates[1]
    letter = re.sub(r"\s+", "", "".join(pdf_text(issued / "out" / "劝学信.pdf")))
    assert letter.count("同志：") == 1 and "黄𫖯同志：" in letter
    assert "政治理论得分25分，比合格要求低5分" in letter and "二〇二四年十月二十日" in letter
    assert (issued / "out" / "评选结果.xlsx").exists()


def test_certificate_qr_verifies_and_revocation_shows(issued, capsys):
    payloads = decode_qr(render_page(issued / "out" / "荣誉证书.pdf", 0, dpi=200))
    assert len(payloads) == 1 and "s=FG-2024-XX-0001" in payloads[0]
    data_dir = issued / "formgen-data"
    assert verify_payload(payloads[0], data_dir).status == VALID
    capsys.readouterr()
    assert main(["verify", str(issued / "out" / "荣誉证书.pdf")]) == 0
    assert capsys.readouterr().out.splitlines() == [  # both certificates in the PDF
        "有效：证书编号 FG-2024-XX-0001（王喆，学习之星，2024年第三季度，2024-09-30 颁发）",
        "有效：证书编号 FG-2024-JB-0001（黄𫖯，进步之星，2024年第三季度，2024-09-30 颁发）"]
    assert main(["revoke", "FG-2024-XX-0001", "--reason", "成绩更正"]) == 0
    assert capsys.readouterr().out == "已作废证书 FG-2024-XX-0001（王喆，学习之星，2024年第三季度）；原因：成绩更正\n"
    verdict = verify_payload(payloads[0], data_dir)
    assert verdict.status == REVOKED and verdict.message.endswith(" 作废，原因：成绩更正")
    assert main(["verify", payloads[0]]) == 1
    shown = capsys.readouterr().out
    assert shown.startswith("已作废：证书编号 FG-2024-XX-0001（王喆，学习之星，2024年第三季度，2024-09-30 颁发）；已于 ")
    assert shown.endswith(" 作废，原因：成绩更正\n")
    tampered = verify_payload(payloads[0].replace("&g=", "&g=A"), data_dir)
    assert tampered.status == FORGED and str(tampered) == "无效：签名无效：证书内容被改动过"


def test_verifying_a_file_that_is_not_a_certificate_says_so(issued, capsys):
    capsys.readouterr()
    assert main(["verify", "scores.xlsx"]) == 2
    assert capsys.readouterr().err == ("错误：scores.xlsx 既不是 PDF 也不是可以读取的图片；"
                                       "请给出证书的 PDF、证书照片或二维码中的网址\n")
    (issued / "broken.pdf").write_bytes(b"%PDF-1.7 nothing else")
    assert main(["verify", "broken.pdf"]) == 2
    assert capsys.readouterr().err.startswith("错误：broken.pdf 不是可以读取的 PDF 文件")


def test_a_payload_signed_by_another_key_is_not_said_to_be_tampered_and_an_unknown_serial_is_not_valid(
        issued, tmp_path):
    other = tmp_path / "other"
    init_keys(other)
    foreign = make_payload(load_private_key(other), "https://x.org/v",
                           Certified("FG-2024-XX-0001", "王喆", "学习之星", "2024Q3", "2024-09-30"))
    verdict = verify_payload(foreign, issued / "formgen-data")
    other_print = fingerprint(load_public_key(other))
    assert verdict.status == UNKNOWN and "改动" not in verdict.message
    assert verdict.message.startswith(f"由本登记簿不认识的密钥签名（密钥指纹 {other_print}），无法验证")
    # a payload made before payloads named their key: both readings are said, neither is claimed
    old = foreign.split("&k=")[0]
    assert "或是证书内容被改动过，或是由本登记簿不认识的密钥签名" in verify_payload(old, issued / "formgen-data").message
    unknown = make_payload(load_private_key(issued / "formgen-data"), "https://x.org/v",
                           Certified("FG-2024-XX-0099", "王喆", "学习之星", "2024Q3", "2024-09-30"))
    verdict = verify_payload(unknown, issued / "formgen-data")
    own = fingerprint(load_public_key(issued / "formgen-data"))
    assert verdict.status == UNKNOWN and verdict.message == f"签名有效（验证密钥 {own}），但本单位登记簿中没有这张证书"


def test_verifying_elsewhere_never_suggests_making_keys_and_uses_the_shipped_public_key(issued, tmp_path,
                                                                                         monkeypatch, capsys):
    """The certificates, their 验证公钥.pem and the fingerprint printed on each go to a verifier elsewhere."""
    shipped = issued / "out" / "验证公钥.pem"
    own = fingerprint(load_public_key(issued / "formgen-data"))
    assert shipped.read_bytes() == (issued / "formgen-data" / "keys" / "ed25519-public.pem").read_bytes()
    pages = [re.sub(r"\s+", "", page) for page in pdf_text(issued / "out" / "荣誉证书.pdf")]
    assert all(f"验证密钥：{own}" in page for page in pages)
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    certificates = str(issued / "out" / "荣誉证书.pdf")
    capsys.readouterr()
    assert main(["verify", certificates]) == 1
    said = capsys.readouterr().out
    assert "keys init" not in said and "生成" not in said
    assert said.startswith("无法确认：证书编号 FG-2024-XX-0001（王喆，学习之星，2024年第三季度，2024-09-30 颁发）；"
                           "本机没有发证单位的公钥，无法验证签名：请向发证单位索取")
    assert f"--key 验证公钥.pem（这张证书的签名密钥：{own}）" in said
    assert main(["keys", "init"]) == 0  # a clerk who makes keys here all the same
    capsys.readouterr()
    assert main(["verify", certificates]) == 1
    said = capsys.readouterr().out
    assert "无效" not in said and "改动" not in said and f"由本登记簿不认识的密钥签名（密钥指纹 {own}）" in said
    assert main(["verify", certificates, "--key", str(shipped)]) == 1  # signed right; no ledger here
    said = capsys.readouterr().out.splitlines()
    assert said[0] == ("无法确认：证书编号 FG-2024-XX-0001（王喆，学习之星，2024年第三季度，2024-09-30 颁发）；"
                       f"签名有效（验证密钥 {own}）；但本机没有发证单位的证书登记簿 formgen-data{os.sep}ledger.sqlite3，"
                       "无法确认证书是否已作废")
    with pytest.raises(ValueError, match="不是证书验证公钥文件"):
        read_public_key(issued / "scores.xlsx")


def test_dry_run_writes_nothing(issued, capsys):
    code = main(["awards", "scores.xlsx", "--quarter", "2024Q3", "-o", "dry", "--dry-run"])
    assert code == 0 and not (issued / "dry").exists()
    assert "学习之星" in capsys.readouterr().out
