"""Signed certificate payloads: a short ASCII text for the QR code that anyone with the public key
can check, carrying the serial, holder, award, period and issue date — never ID numbers.

Payload: {verify_url}?s={serial}&d={data}&g={signature}, where data is the five fields joined by
U+001F in UTF-8 and signature the Ed25519 signature of those bytes, both base64url without padding.
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
        raise FileNotFoundError(f"找不到公钥文件 {public_path}；请先运行 formgen keys init 生成密钥")
    return serialization.load_pem_public_key(public_path.read_bytes())


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
    return f"{verify_url}?s={certified.serial}&d={_b64(data)}&g={_b64(signature)}"


def payload_hash(payload: str) -> str:
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def parse_and_verify(payload: str, public_key: Ed25519PublicKey) -> Certified:
    """The certified fields, or Forged when the signature does not match them."""
    try:
        query = parse_qs(urlsplit(payload.strip()).query, strict_parsing=True)
        serial, data, signature = query["s"][0], _unb64(query["d"][0]), _unb64(query["g"][0])
        fields = data.decode("utf-8").split(_SEPARATOR)
    except (KeyError, ValueError, UnicodeDecodeError, IndexError):
        raise Forged("不是有效的证书验证码（内容已损坏，或不是本单位签发的）") from None
    if len(fields) != len(FIELDS):
        raise Forged("验证码中的证书内容不完整")
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise Forged("签名无效：证书内容被改动过，或不是本单位签发的") from None
    certified = Certified(*fields)
    if certified.serial != serial:
        raise Forged(f"编号“{serial}”与签名中的证书编号“{certified.serial}”不一致")
    return certified
