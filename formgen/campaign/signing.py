"""Signed certificate payloads: a short ASCII text for the QR code that anyone with the public key
can check, carrying the serial, holder, award, period and issue date — never ID numbers.

Payload: {verify_url}?s={serial}&d={data}&g={signature}&k={key}, where data is the five fields joined by
U+001F in UTF-8, signature the Ed25519 signature of those bytes, both base64url without padding, and key
the signing key's fingerprint (not signed: it only says which key to check with, so that a certificate
signed by a key the verifier does not have is told apart from one whose content was changed).
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

PRIVATE_KEY = "ed25519-private.pem"
PUBLIC_KEY = "ed25519-public.pem"
_SEPARATOR = "\x1f"
FIELDS = ("serial", "holder", "award", "period", "issue_date")


class Forged(ValueError):
    """The payload is not one we signed, or was changed after signing."""


@dataclass(frozen=True)
class Certified:
    serial: str
    holder: str
    award: str
    period: str
    issue_date: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_paths(data_dir: Path) -> tuple[Path, Path]:
    folder = Path(data_dir) / "keys"
    return folder / PRIVATE_KEY, folder / PUBLIC_KEY


def init_keys(data_dir: Path) -> Path:
    """A new key pair in data_dir/keys; the private key readable by its owner only. Never overwrites."""
    private_path, public_path = key_paths(data_dir)
    if private_path.exists():
        raise FileExistsError(f"密钥对已经存在：{private_path}；没有生成新密钥，原有密钥保持不变")
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Created with its final mode in one step: the private key is never readable by others, even briefly.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public_path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path


def load_private_key(data_dir: Path) -> Ed25519PrivateKey:
    private_path, _ = key_paths(data_dir)
    return serialization.load_pem_private_key(private_path.read_bytes(), password=None)


def load_public_key(data_dir: Path) -> Ed25519PublicKey:
    _, public_path = key_paths(data_dir)
    if not public_path.exists():
        # Never "create keys" here: a new key pair would make every genuine certificate fail to verify.
        raise FileNotFoundError(f"找不到公钥文件 {public_path}")
    return serialization.load_pem_public_key(public_path.read_bytes())


def read_public_key(path: Path) -> Ed25519PublicKey:
    """A public key file as awards ships it (验证公钥.pem), for verifying elsewhere."""
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (ValueError, TypeError):
        raise ValueError(f"{Path(path).name} 不是证书验证公钥文件（应是发证单位给出的 .pem 文件）") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{Path(path).name} 不是本系统的证书验证公钥（Ed25519）")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    """The key's fingerprint as printed on certificates and shown by verify: 4 groups of 4 hex digits of the
    SHA-256 of the raw public key, e.g. 3F2A-9C41-07BE-D5E8."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def load_or_create(data_dir: Path) -> tuple[Ed25519PrivateKey, bool]:
    private_path, _ = key_paths(data_dir)
    created = False
    if not private_path.exists():
        init_keys(data_dir)
        created = True
    return load_private_key(data_dir), created


def make_payload(key: Ed25519PrivateKey, verify_url: str, certified: Certified) -> str:
    values = [getattr(certified, name) for name in FIELDS]
    if any(_SEPARATOR in v for v in values):
        raise ValueError("证书内容（编号、姓名、奖项、季度、颁发日期）含有控制字符；无法签名")
    data = _SEPARATOR.join(values).encode("utf-8")
    signature = key.sign(data)
    key_id = fingerprint(key.public_key()).replace("-", "")
    return f"{verify_url}?s={certified.serial}&d={_b64(data)}&g={_b64(signature)}&k={key_id}"


def payload_hash(payload: str) -> str:
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Signed:
    """A payload taken apart: what it certifies, the signed bytes, the signature and the key it names."""

    certified: Certified
    data: bytes
    signature: bytes
    key_id: str  # the signing key's fingerprint without dashes; empty in payloads made before it was added


def parse_payload(payload: str) -> Signed:
    """The payload's parts, or Forged when it is no certificate payload at all."""
    try:
        query = parse_qs(urlsplit(payload.strip()).query, strict_parsing=True)
        serial, data, signature = query["s"][0], _unb64(query["d"][0]), _unb64(query["g"][0])
        fields = data.decode("utf-8").split(_SEPARATOR)
        key_id = query.get("k", [""])[0].upper()
    except (KeyError, ValueError, UnicodeDecodeError, IndexError):
        raise Forged("不是有效的证书验证码（内容已损坏，或不是本单位签发的）") from None
    if len(fields) != len(FIELDS):
        raise Forged("验证码中的证书内容不完整")
    certified = Certified(*fields)
    if certified.serial != serial:
        raise Forged(f"编号“{serial}”与签名中的证书编号“{certified.serial}”不一致")
    return Signed(certified, data, signature, key_id)


def signed_by(signed: Signed, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(signed.signature, signed.data)
    except InvalidSignature:
        return False
    return True


def parse_and_verify(payload: str, public_key: Ed25519PublicKey) -> Certified:
    """The certified fields, or Forged when the signature does not match them."""
    signed = parse_payload(payload)
    if not signed_by(signed, public_key):
        raise Forged("签名无效：证书内容被改动过，或不是用这把密钥签发的")
    return signed.certified
