"""Regenerate the README's previews (docs/previews/*.png) and samples/outputs/ from what the demo prints.

    python scripts/previews.py            # runs the demo into a temporary folder and rewrites the pictures
    python scripts/previews.py --check    # says which pictures no longer match the demo (exit 1), writes nothing

Each picture is a page of a document the demo writes, rendered by PDFium at the picture's size (the
name card's DOCX preview is that DOCX converted by LibreOffice, then rendered the same way);
tests/test_previews.py renders the same pages and compares them with the committed pictures.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
PREVIEWS = ROOT / "docs" / "previews"
OUTPUTS = ROOT / "samples" / "outputs"
A4_WIDTH, A4_LANDSCAPE_WIDTH = 298, 468  # pixels: about 36 and 40 dpi, small enough for the README


@dataclass(frozen=True)
class Preview:
    """A picture of one page the demo writes: at a width in pixels, or at a resolution and cropped."""

    picture: Path  # where the picture goes
    source: str  # the demo's document, relative to the demo folder
    page: int = 0
    width: Optional[int] = None
    dpi: Optional[float] = None
    crop: Optional[tuple[int, int, int, int]] = None  # pixels at dpi: left, top, right, bottom
    # regions (pixels) that differ from one demo to the next: the demo makes a new signing key each time,
    # so a certificate's QR code and key fingerprint do
    varies: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def from_docx(self) -> bool:
        return self.source.endswith(".docx")


SIGNED = (50, 224, 240, 282)  # the certificate's QR code and key fingerprint at 468 px across
PAGES = [
    Preview(PREVIEWS / "name-card.png", "名片.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "pledge-card.png", "承诺卡.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "survey.png", "问卷.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "monthly-summary.png", "月度清单.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "name-card-badge.png", "胸卡.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "certificate.png", "评选/荣誉证书.pdf", width=A4_LANDSCAPE_WIDTH, varies=(SIGNED,)),
    Preview(PREVIEWS / "study-reminder.png", "评选/劝学信.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "name-card-docx.png", "名片.docx", width=A4_WIDTH),
    Preview(PREVIEWS / "certificate-mn.png", "蒙汉双语证书.pdf", width=A4_LANDSCAPE_WIDTH),
    # the bilingual certificate's Mongolian columns, large enough to read
    Preview(PREVIEWS / "certificate-mn-columns.png", "蒙汉双语证书.pdf", dpi=100, crop=(30, 60, 450, 760)),
    Preview(PREVIEWS / "quarterly-standards.png", "亮标准清单.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "branch-quarterly.png", "支部考核/支部季度工作清单.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "branch-review-report.png", "支部考核/支部考核情况.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "interview-notice.png", "支部考核/约谈通知.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "political-birthday.png", "政治生日/政治生日贺卡.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "helmet-sticker.png", "安全帽标志.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "helmet-sticker-round.png", "圆形安全帽标志.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "helmet-sticker-small.png", "小号安全帽标志.pdf", width=A4_WIDTH),
    Preview(PREVIEWS / "helmet-sticker-round-small.png", "小号圆形安全帽标志.pdf", width=A4_WIDTH),
    # samples/outputs: the first pages of what awards and survey-tally make of the sample sheets
    Preview(OUTPUTS / "荣誉证书.png", "评选/荣誉证书.pdf", width=A4_LANDSCAPE_WIDTH, varies=(SIGNED,)),
    Preview(OUTPUTS / "劝学信.png", "评选/劝学信.pdf", width=A4_WIDTH),
    Preview(OUTPUTS / "问卷统计.png", "问卷统计/问卷统计.pdf", width=331),
]
# The workbooks the demo writes, copied as they are
WORKBOOKS = {OUTPUTS / "评选结果.xlsx": "评选/评选结果.xlsx", OUTPUTS / "问卷统计.xlsx": "问卷统计/问卷统计.xlsx"}


def run_demo(folder: Path, formats=("pdf", "docx")) -> Path:
    """The demo into folder, as `formgen demo` writes it, dated as the demo dates its documents."""
    sys.path.insert(0, str(ROOT))
    from formgen.api.demo import run_demo as demo

    demo(folder, formats)
    return folder


def render(preview: Preview, demo: Path):
    """The picture of the preview's page, from the demo folder."""
    import pypdfium2

    source = demo / preview.source
    if preview.from_docx:
        source = docx_as_pdf(source)
    document = pypdfium2.PdfDocument(str(source))
    try:
        page = document[preview.page]
        if preview.crop:
            picture = page.render(scale=preview.dpi / 72).to_pil().crop(preview.crop)
        else:
            width, height = page.get_size()
            picture = page.render(scale=preview.width / width).to_pil()
            picture = picture.resize((preview.width, round(height * preview.width / width)))
    finally:
        document.close()
    return picture.convert("RGB")


def docx_as_pdf(path: Path) -> Path:
    """The DOCX as LibreOffice prints it, in a folder beside it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed for the DOCX preview: scripts/system-deps.sh installs it")
    out = path.parent / "docx-as-pdf"
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)], check=True,
                   capture_output=True, timeout=300)
    return out / f"{path.stem}.pdf"


def difference(a, b, varies=(), tile: int = 8) -> float:
    """How much two pictures differ (0–255): the mean grey difference of the tile of tile × tile pixels that
    differs most, leaving out the regions that vary from run to run. A changed word shows in its tile
    where it would vanish in the mean over the whole page."""
    from PIL import ImageChops, ImageDraw, ImageStat

    if a.size != b.size:
        return 255.0
    changed = ImageChops.difference(a.convert("L"), b.convert("L"))
    for region in varies:
        ImageDraw.Draw(changed).rectangle(region, fill=0)
    return max(ImageStat.Stat(changed.crop((x, y, x + tile, y + tile))).mean[0]
               for x in range(0, a.width, tile) for y in range(0, a.height, tile))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory() as temporary:
        demo = run_demo(Path(temporary) / "demo")
        for preview in PAGES:
            picture = render(preview, demo)
            if args.check:
                if not preview.picture.exists() or difference(picture, _open(preview.picture), preview.varies) > 2:
                    stale.append(preview.picture)
                continue
            preview.picture.parent.mkdir(parents=True, exist_ok=True)
            picture.save(preview.picture, optimize=True)
        if not args.check:
            for target, source in WORKBOOKS.items():
                shutil.copyfile(demo / source, target)
    for path in stale:
        print(f"{path.relative_to(ROOT)} does not match what the demo prints", file=sys.stderr)
    return 1 if stale else 0


def _open(path: Path):
    from PIL import Image

    with Image.open(path) as picture:
        return picture.convert("RGB")


if __name__ == "__main__":
    sys.exit(main())
