"""Checking a certificate: from its QR payload text, or from a PDF or picture of it."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from formgen import limits
from formgen.campaign.ledger import Ledger
from formgen.campaign.signing import (
    Certified,
    Forged,
    fingerprint,
    load_public_key,
    parse_payload,
    read_public_key,
    signed_by,
)
from formgen.chinese import parse_quarter

VALID, REVOKED, FORGED, UNKNOWN = "valid", "revoked", "forged", "unknown"
STATUS_LABELS = {VALID: "有效", REVOKED: "已作废", FORGED: "无效", UNKNOWN: "无法确认"}


def period_label(period: str) -> str:
    """2024Q3 as 2024年第三季度, 2024 (a yearly award) as 2024年度; anything else as it is."""
    if len(period) == 4 and period.isdigit():
        return f"{period}年度"
    try:
        return parse_quarter(period).label
    except ValueError:
        return period


@dataclass(frozen=True)
class Verdict:
    status: str
    message: str
    certified: Optional[Certified] = None

    def __str__(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        if self.certified:
            c = self.certified
            what = f"证书编号 {c.serial}（{c.holder}，{c.award}，{period_label(c.period)}，{c.issue_date} 颁发）"
            return f"{label}：{what}" + (f"；{self.message}" if self.message else "")
        return f"{label}：{self.message}"


# Verifying never suggests making keys: a new key pair would make every genuine certificate fail.
NO_KEY = ("本机没有发证单位的公钥，无法验证签名：请向发证单位索取与证书一起发出的“验证公钥.pem”（核对它的指纹与证书上"
          "印的“验证密钥”相同），在网页的「验证证书」中与证书一起上传，或运行 formgen verify 证书.pdf --key 验证公钥.pem")


def known_keys(data_dir: Path, key_files: Sequence[Path] = ()) -> dict[str, Ed25519PublicKey]:
    """fingerprint → public key: the data folder's own, and the files given (--key 验证公钥.pem)."""
    keys = {}
    try:
        own = load_public_key(data_dir)
        keys[fingerprint(own)] = own
    except FileNotFoundError:
        pass
    for path in key_files:
        key = read_public_key(path)
        keys[fingerprint(key)] = key
    return keys


def _shown(key_id: str) -> str:
    return "-".join(key_id[i:i + 4] for i in range(0, len(key_id), 4))


def verify_payload(payload: str, data_dir: Path, key_files: Sequence[Path] = ()) -> Verdict:
    try:
        signed = parse_payload(payload)
    except Forged as exc:
        return Verdict(FORGED, str(exc))
    keys = known_keys(data_dir, key_files)
    if not keys:
        return Verdict(UNKNOWN, NO_KEY + (f"（这张证书的签名密钥：{_shown(signed.key_id)}）" if signed.key_id else ""),
                       signed.certified)
    if signed.key_id:
        # The payload names its key: a key we do not have is no sign of tampering, only of another issuer
        # (or of keys made anew); a key we have that the signature does not match is.
        named = next((fp for fp in keys if fp.replace("-", "") == signed.key_id), None)
        if named is None:
            return Verdict(UNKNOWN, f"由本登记簿不认识的密钥签名（密钥指纹 {_shown(signed.key_id)}），无法验证：可能是其他单位"
                                    f"签发的证书，或本单位换过密钥；请向发证单位索取“验证公钥.pem”，与证书一起验证（网页上一起上传，命令行用 --key）",
                           signed.certified)
        if not signed_by(signed, keys[named]):
            return Verdict(FORGED, "签名无效：证书内容被改动过")
    else:
        named = next((fp for fp, key in keys.items() if signed_by(signed, key)), None)
        if named is None:
            return Verdict(UNKNOWN, "签名与本机已知的公钥都对不上：或是证书内容被改动过，或是由本登记簿不认识的密钥签名"
                                    "（这张证书的验证码没有写明签名密钥）；请向发证单位核实")
    certified = signed.certified
    ledger_path = Path(data_dir) / "ledger.sqlite3"
    if not ledger_path.exists():  # never made here by verifying: a ledger is made by issuing
        return Verdict(UNKNOWN, f"签名有效（验证密钥 {named}）；但本机没有发证单位的证书登记簿 {ledger_path}，无法确认"
                                f"证书是否已作废", certified)
    record = Ledger(ledger_path, create=False).lookup(certified.serial)
    if record is None:
        return Verdict(UNKNOWN, f"签名有效（验证密钥 {named}），但本单位登记簿中没有这张证书", certified)
    if (record.holder, record.award, record.period, record.issue_date) != (
            certified.holder, certified.award, certified.period, certified.issue_date):
        return Verdict(FORGED, "签名有效，但登记簿中这个编号登记的证书内容与此不同", certified)
    if record.revoked:
        return Verdict(REVOKED, f"已于 {record.revoked_at.replace('T', ' ')} 作废，原因：{record.revoked_reason}",
                       certified)
    return Verdict(VALID, "", certified)


def payloads_in(source: Path, dpi: int = 200) -> list[str]:
    """The texts of the QR codes on every page of a PDF, or in a picture."""
    import zxingcpp
    from PIL import Image

    images = []
    if source.suffix.lower() == ".pdf":
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(str(source))
        except pypdfium2.PdfiumError as exc:
            raise ValueError(f"{source.name} 不是可以读取的 PDF 文件（{exc}）；无法验证") from exc
        try:
            if len(document) > limits.MAX_PDF_PAGES:
                raise ValueError(f"{source.name} 有{len(document)}页，超过了验证的上限{limits.MAX_PDF_PAGES}页；"
                                 f"请只给出证书所在的页")
            for number, page in enumerate(document, start=1):
                # A page of 200×200 inches at 200 dpi would be 1.6 billion pixels: the scale is lowered so
                # that no page is rendered larger than the limit.
                width, height = page.get_size()
                scale = min(dpi / 72, (limits.MAX_RENDER_PIXELS / max(width * height, 1.0)) ** 0.5)
                try:
                    images.append(page.render(scale=scale).to_pil())
                except pypdfium2.PdfiumError as exc:
                    raise ValueError(f"{source.name} 第{number}页无法读取（{exc}）；无法验证") from None
        finally:
            document.close()
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(source)
            with image:
                if image.width * image.height > limits.MAX_IMAGE_PIXELS:
                    raise ValueError(f"{source.name} 有 {image.width}×{image.height} 像素，超过了验证图片的上限"
                                     f"（{limits.MAX_IMAGE_PIXELS // 1_000_000} 百万像素）；请给出较小的证书照片")
                images = [image.convert("RGB")]
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError(f"{source.name} 的像素超过了验证图片的上限（{limits.MAX_IMAGE_PIXELS // 1_000_000} 百万像素）；"
                             f"请给出较小的证书照片") from None
        except OSError as exc:  # UnidentifiedImageError is an OSError
            raise ValueError(f"{source.name} 既不是 PDF 也不是可以读取的图片；请给出证书的 PDF、"
                             "证书照片或二维码中的网址") from exc
    found: list[str] = []
    for image in images:
        found += [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


def verify_source(source: str, data_dir: Path, key_files: Sequence[Path] = ()) -> list[Verdict]:
    """Every certificate in the source (payload text, PDF or picture), checked with the data folder's key
    and the public key files given."""
    path = Path(source)
    if "?s=" in source or not path.exists():
        return [verify_payload(source, data_dir, key_files)]
    payloads = payloads_in(path)
    if not payloads:
        return [Verdict(FORGED, f"{path.name} 中找不到二维码；无法验证")]
    return [verify_payload(p, data_dir, key_files) for p in payloads]
