"""Checking a certificate: from its QR payload text, or from a PDF or picture of it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .ledger import Ledger
from .signing import Certified, Forged, load_public_key, parse_and_verify

VALID, REVOKED, FORGED, UNKNOWN = "valid", "revoked", "forged", "unknown"


@dataclass(frozen=True)
class Verdict:
    status: str
    message: str
    certified: Optional[Certified] = None

    def __str__(self) -> str:
        if self.certified:
            c = self.certified
            what = f"{c.serial}: {c.holder}, {c.award}, {c.period}, issued {c.issue_date}"
            return f"{self.status}: {what}" + (f" — {self.message}" if self.message else "")
        return f"{self.status}: {self.message}"


def verify_payload(payload: str, data_dir: Path) -> Verdict:
    try:
        certified = parse_and_verify(payload, load_public_key(data_dir))
    except Forged as exc:
        return Verdict(FORGED, str(exc))
    record = Ledger(Path(data_dir) / "ledger.sqlite3").lookup(certified.serial)
    if record is None:
        return Verdict(UNKNOWN, "validly signed, but not in this ledger", certified)
    if (record.holder, record.award, record.period, record.issue_date) != (
            certified.holder, certified.award, certified.period, certified.issue_date):
        return Verdict(FORGED, "the ledger records different details for this serial", certified)
    if record.revoked:
        return Verdict(REVOKED, f"revoked {record.revoked_at}: {record.revoked_reason}", certified)
    return Verdict(VALID, "", certified)


def payloads_in(source: Path, dpi: int = 200) -> list[str]:
    """The texts of the QR codes on every page of a PDF, or in a picture."""
    import zxingcpp
    from PIL import Image

    images = []
    if source.suffix.lower() == ".pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(str(source))
        try:
            images = [page.render(scale=dpi / 72).to_pil() for page in document]
        finally:
            document.close()
    else:
        with Image.open(source) as image:
            images = [image.convert("RGB")]
    found: list[str] = []
    for image in images:
        found += [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


def verify_source(source: str, data_dir: Path) -> list[Verdict]:
    path = Path(source)
    if "?s=" in source or not path.exists():
        return [verify_payload(source, data_dir)]
    payloads = payloads_in(path)
    if not payloads:
        return [Verdict(FORGED, f"no QR code found in {path.name}")]
    return [verify_payload(p, data_dir) for p in payloads]
