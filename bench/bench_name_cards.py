"""Benchmark: 1,000 name cards with photos and QR codes, formgen against a hand-written ReportLab script.

Prints wall time, peak memory (RSS) and bytes per card for each, and their ratio. Each side runs in its
own process so that its peak memory is its own. Photos are generated once into bench/out/photos.

    python bench/bench_name_cards.py [--records 1000] [--photo-size 1500x2000] [--docx]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
FONT = ROOT / "fonts" / "NotoSerifSC-Regular.ttf"
FONT_BOLD = ROOT / "fonts" / "NotoSerifSC-Bold.ttf"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "喆堃伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
BRANCHES = ["机关第一党支部", "机关第二党支部", "生产运营党支部", "设备维修党支部", "安全环保党支部"]
URL = "https://party.example.org/m/{}"


def make_inputs(count: int, photo_size: tuple[int, int]) -> Path:
    """A roster and one distinct phone-sized photo per member (cached between runs)."""
    from PIL import Image, ImageDraw

    photos = OUT / f"photos-{photo_size[0]}x{photo_size[1]}"
    photos.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    rows = []
    for i in range(count):
        staff_id = f"{i + 1:06d}"
        rows.append({"工号": staff_id, "姓名": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                     "职务": rng.choice(["技术员", "值长", "安全员", "党支部书记"]),
                     "所属党支部": rng.choice(BRANCHES)})
        path = photos / f"{staff_id}.jpg"
        if not path.exists():
            w, h = photo_size
            image = Image.new("RGB", (w, h), tuple(rng.randrange(150, 250) for _ in range(3)))
            draw = ImageDraw.Draw(image)
            draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.5), fill=(90, 90, 90))
            draw.rectangle((w * 0.15, h * 0.55, w * 0.85, h), fill=(70, 70, 110))
            for _ in range(200):  # texture, so the JPEG is not trivially small
                x, y = rng.randrange(w), rng.randrange(h)
                draw.point((x, y), fill=tuple(rng.randrange(256) for _ in range(3)))
            image.save(path, quality=85)
    roster = OUT / f"roster-{count}.json"
    roster.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return roster


def run_formgen(roster: Path, photos: Path, target: Path) -> None:
    from formgen.api import Job, Output, load_records, render
    from formgen.input.org import load_org

    org = {**load_org(None), "organisation": "鄂尔多斯市示例能源有限责任公司",
           "qr_url_template": URL.format("{{ 工号 }}")}
    report = render(Job("name-card", org=org), load_records(roster, photos),
                    Output(target, (target.suffix.lstrip("."),)))
    assert not report.failed, report.failed[:3]


def run_reportlab(roster: Path, photos: Path, target: Path) -> None:
    """What a competent developer writes by hand: same boxes, downsampled photos, vector QR."""
    import io

    from PIL import Image
    from reportlab import rl_config
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont("Serif", str(FONT)))
    pdfmetrics.registerFont(TTFont("SerifBold", str(FONT_BOLD)))
    rows = json.loads(roster.read_text(encoding="utf-8"))
    canvas = Canvas(str(target), invariant=1)
    height = 297 * mm
    for row in rows:
        ox, oy = 5 * mm, 148.5 * mm
        canvas.setFillColorRGB(0.78, 0.09, 0.11)
        canvas.rect(ox, height - oy - 17 * mm, 200 * mm, 17 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("SerifBold", 22)
        canvas.drawCentredString(ox + 100 * mm, height - oy - 11 * mm, "党员名片")
        with Image.open(photos / f"{row['工号']}.jpg") as image:
            image.draft("RGB", (300, 420))
            image = image.convert("RGB")
            image.thumbnail((296, 413))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=88)
        canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), ox + 12 * mm, height - oy - 62 * mm,
                         25 * mm, 35 * mm)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("SerifBold", 34)
        canvas.drawString(ox + 60 * mm, height - oy - 38 * mm, row["姓名"])
        canvas.setFont("Serif", 13)
        canvas.drawString(ox + 46 * mm, height - oy - 55 * mm, "职务  " + row["职务"])
        canvas.drawString(ox + 46 * mm, height - oy - 64 * mm, "所属党支部  " + row["所属党支部"])
        canvas.setFont("Serif", 12)
        canvas.drawCentredString(ox + 100 * mm, height - oy - 89 * mm, "鄂尔多斯市示例能源有限责任公司")
        widget = QrCodeWidget(URL.format(row["工号"]))
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(32 * mm, 32 * mm, transform=[32 * mm / (x1 - x0), 0, 0, 32 * mm / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, ox + 158 * mm, height - oy - 56 * mm)
        canvas.showPage()
    canvas.save()


def child(which: str, roster: Path, photos: Path, target: Path) -> None:
    start = time.perf_counter()
    (run_formgen if which == "formgen" else run_reportlab)(roster, photos, target)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kib / 1024, "bytes": target.stat().st_size}))


def measure(which: str, roster: Path, photos: Path, target: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", which, str(roster), str(photos), str(target)],
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--photo-size", default="1500x2000", help="generated photo size in pixels, WxH")
    parser.add_argument("--docx", action="store_true", help="also time formgen's DOCX output")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        which, roster, photos, target = args.child
        child(which, Path(roster), Path(photos), Path(target))
        return
    size = tuple(int(v) for v in args.photo_size.lower().split("x"))
    print(f"preparing {args.records} records with {size[0]}×{size[1]} photos …", flush=True)
    roster = make_inputs(args.records, size)
    photos = OUT / f"photos-{size[0]}x{size[1]}"
    rows = [("hand-written ReportLab", measure("reportlab", roster, photos, OUT / "reportlab.pdf")),
            ("formgen PDF", measure("formgen", roster, photos, OUT / "formgen.pdf"))]
    if args.docx:
        rows.append(("formgen DOCX", measure("formgen", roster, photos, OUT / "formgen.docx")))
    print(f"{'':<24}{'seconds':>10}{'peak MB':>10}{'KB/card':>10}")
    for label, r in rows:
        print(f"{label:<24}{r['seconds']:>10.2f}{r['peak_mb']:>10.0f}{r['bytes'] / 1024 / args.records:>10.1f}")
    base, ours = rows[0][1], rows[1][1]
    print(f"time ratio formgen/ReportLab: {ours['seconds'] / base['seconds']:.2f}×  "
          f"(size ratio {ours['bytes'] / base['bytes']:.2f}×)")


if __name__ == "__main__":
    main()
