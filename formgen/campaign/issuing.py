"""Issuing certificates: a ledger serial and a signed verification payload for every award decided,
and the records that the certificate and letter layouts print."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable, Mapping, Optional

from formgen.campaign import awards as rules
from formgen.campaign.ledger import Ledger
from formgen.campaign.signing import (
    Certified,
    fingerprint,
    key_paths,
    load_or_create,
    load_public_key,
    make_payload,
    payload_hash,
)
from formgen.chinese import Quarter
from formgen.files import atomic_path
from formgen.problems import WARNING, Problem

LEDGER_FILE = "ledger.sqlite3"
DEFAULT_STUDY_TOPICS = ("习近平新时代中国特色社会主义思想和党的二十大精神", "《中国共产党章程》和党内法规",
                        "本岗位业务知识和安全操作规程")


def data_dir_of(org: Mapping) -> Path:
    """The organisation's data folder (keys and ledger), relative to the working directory."""
    return Path(str(org.get("data_dir") or "formgen-data"))


def ledger_of(org: Mapping, create: bool = True) -> Ledger:
    """The organisation's ledger; create=False for commands that only read or change existing ones."""
    return Ledger(data_dir_of(org) / LEDGER_FILE, create=create)


def citation(award: str, quarter: Quarter, org: Mapping) -> str:
    return period_citation(award, quarter.label, org)


def period_citation(award: str, period_label: str, org: Mapping, reason: str = "") -> str:
    """The certificate's text: in which period of the campaign, what for (when given), which award."""
    campaign = org.get("campaign") or "三亮三比三创"
    reason = reason.strip().rstrip("。；;，,")
    why = f"{reason}，" if reason else ""
    return f"在{period_label}“{campaign}”活动中，{why}被评为“{award}”。特发此证，以资鼓励。"


def certificate_record(decision: rules.Decision, serial: str, payload: str, issue_date: dt.date,
                       org: Mapping, key_fingerprint: str = "") -> dict:
    row = decision.row
    return {"姓名": row.name, "工号": row.staff_id, "所属党支部": row.branch, "奖项": decision.award,
            "季度": row.quarter.label, "证书编号": serial, "颁发日期": issue_date, "验证码": payload,
            "事由": citation(decision.award, row.quarter, org), "密钥指纹": key_fingerprint}


def letter_record(decision: rules.Decision, pass_mark: float, retest: Optional[dt.date], topics: Iterable[str],
                  issue_date: dt.date) -> dict:
    row = decision.row
    return {"姓名": row.name, "工号": row.staff_id, "所属党支部": row.branch, "季度": row.quarter.code,
            "政治理论": row.politics, "业务知识": row.business, "总分": row.total, "及格线": pass_mark,
            "薄弱科目": [dict(w) for w in decision.weak_subjects], "学习内容": list(topics), "复测日期": retest,
            "落款日期": issue_date}


class Issuer:
    """Serials from the organisation's ledger and signed verification payloads, one certificate at a time;
    every command that issues certificates goes through here, so that they all verify the same way."""

    def __init__(self, org: Mapping):
        self.data_dir = data_dir_of(org)
        self.key, self.created = load_or_create(self.data_dir)
        self.ledger = ledger_of(org)
        self.prefix = str(org.get("serial_prefix") or "FG")
        self.verify_url = str(org.get("verify_url") or "https://example.org/v")

    @property
    def fingerprint(self) -> str:
        """The signing key's fingerprint, printed on the certificates beside their serial."""
        return fingerprint(self.key.public_key())

    @property
    def keys_created(self) -> Optional[Path]:
        """The key folder, when its key pair was created by this issuer."""
        return key_paths(self.data_dir)[0].parent if self.created else None

    def issue(self, holder_id: str, holder: str, award: str, period: str, issue_date: dt.date
              ) -> tuple[str, str, dt.date]:
        """(serial, QR payload, issue date) of this award: the ledger's serial for the holder and period
        (the one it already has, or a new one) and the payload signed over it, dated as the ledger has it."""
        serial = self.ledger.issue(self.prefix, holder_id, holder, award, period, issue_date)
        certified = Certified(serial=serial, holder=holder, award=award, period=period,
                              issue_date=self.ledger.lookup(serial).issue_date)
        payload = make_payload(self.key, self.verify_url, certified)
        self.ledger.set_payload_hash(serial, payload_hash(payload))
        return serial, payload, dt.date.fromisoformat(certified.issue_date)


def issue_certificates(decisions: list[rules.Decision], org: Mapping, issue_date: dt.date,
                       notices: Optional[list[Problem]] = None) -> tuple[list[dict], dict[int, str], Optional[Path]]:
    """Serials from the ledger and signed payloads for every star: the certificate records, the serial of
    each decision by its index, and the key folder when its key pair was created just now. An award
    whose certificate was revoked gets a new serial, said in notices."""
    issuer = Issuer(org)
    records, serials = [], {}
    for index, decision in enumerate(decisions):
        if decision.award == rules.REMINDER:
            continue
        row = decision.row
        serial, payload, issued = issuer.issue(row.holder_id, row.name, decision.award, row.quarter.code, issue_date)
        serials[index] = serial
        records.append(certificate_record(decision, serial, payload, issued, org, issuer.fingerprint))
    if notices is not None:
        for serial, old in issuer.ledger.replaced:
            notices.append(Problem(WARNING, f"{old.holder}的{old.award}原证书 {old.serial} 已于"
                                            f"{old.revoked_at.replace('T', ' ')}作废（原因：{old.revoked_reason}），"
                                            f"这次发新编号 {serial}；作废的编号不再使用", who=old.holder))
    return records, serials, issuer.keys_created


PUBLIC_KEY_FILE = "验证公钥.pem"


def ship_public_key(org: Mapping, folder: Path) -> tuple[Path, str]:
    """The organisation's public key beside the certificates (验证公钥.pem), with its fingerprint: whoever
    verifies them elsewhere needs it, and checks it against the fingerprint printed on each certificate."""
    _, public_path = key_paths(data_dir_of(org))
    target = Path(folder) / PUBLIC_KEY_FILE
    with atomic_path(target) as temporary:
        temporary.write_bytes(public_path.read_bytes())
    return target, fingerprint(load_public_key(data_dir_of(org)))
