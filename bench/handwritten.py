"""The name cards drawn by hand with ReportLab, as a developer would without formgen: the yardsticks.

- untuned: the benchmark's first script, kept as it was: the front face only; each photo drawn through
  an ImageReader (ReportLab decodes it again to hash its pixels) and each QR module a shape of its own
  through a Drawing.
- tuned: what a developer who has profiled it writes: both faces of the fold card as formgen draws them
  (front; back turned 180° with the pledge; cut and fold guides), photos decoded in JPEG draft mode and
  resampled once to 300 dpi at their placed size, embedded from a JPEG file as they are (no re-decoding,
  no ASCII85: rl_config.useA85 = 0), the QR code (ReportLab's own encoder) one vector path of module
  runs, the same fonts as formgen.
"""
from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"
URL = "https://party.example.org/m/{}"
ORGANISATION = "鄂尔多斯市示例能源有限责任公司"
PLEDGES = ("党员义务", "工作目标", "岗位职责", "作风建设", "重点工作任务")
BLANK = "＿" * 20


def run_untuned(roster: Path, photos: Path, target: Path) -> None:
    """What a competent developer writes by hand: same boxes, downsampled photos, vector QR."""
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
    pdfmetrics.registerFont(TTFont("Serif", str(FONTS / "NotoSerifSC-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("SerifBold", str(FONTS / "NotoSerifSC-Bold.ttf")))
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
        canvas.drawCentredString(ox + 100 * mm, height - oy - 89 * mm, ORGANISATION)
        widget = QrCodeWidget(URL.format(row["工号"]))
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(32 * mm, 32 * mm, transform=[32 * mm / (x1 - x0), 0, 0, 32 * mm / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, ox + 158 * mm, height - oy - 56 * mm)
        canvas.showPage()
    canvas.save()


def run_tuned(roster: Path, photos: Path, target: Path) -> None:
    from PIL import Image
    from reportlab import rl_config
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0
    for name in ("NotoSerifSC-Regular", "NotoSerifSC-Bold", "NotoSansSC-Regular", "NotoSansSC-Bold",
                 "LXGWWenKai-Regular"):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))
    rows = json.loads(roster.read_text(encoding="utf-8"))
    canvas = Canvas(str(target), invariant=1, pageCompression=1)
    page_h = 297 * mm
    photo_px = (round(25 / 25.4 * 300), round(35 / 25.4 * 300))  # 300 dpi at 25 × 35 mm

    def at(x, y):  # millimetres from the sheet's top-left → ReportLab points
        return x * mm, page_h - y * mm

    def face_front(row, photo_file, ox, oy):
        canvas.setFillColorRGB(0.784, 0.086, 0.114)
        canvas.rect(*at(ox, oy + 17), 200 * mm, 17 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("NotoSerifSC-Bold", 22)
        canvas.drawCentredString(*at(ox + 100, oy + 11), "党 员 名 片")
        canvas.drawImage(photo_file, *at(ox + 12, oy + 62), 25 * mm, 35 * mm)
        canvas.setStrokeColorRGB(0.5, 0.5, 0.5)
        canvas.setLineWidth(0.5)
        canvas.rect(*at(ox + 12, oy + 62), 25 * mm, 35 * mm, stroke=1, fill=0)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("NotoSerifSC-Bold", 34)
        canvas.drawCentredString(*at(ox + 98, oy + 38), "  ".join(row["姓名"]))
        canvas.setStrokeColorRGB(0.784, 0.086, 0.114)
        canvas.setLineWidth(0.75)
        canvas.line(*at(ox + 46, oy + 45.5), *at(ox + 150, oy + 45.5))
        canvas.setFont("NotoSansSC-Bold", 13)
        canvas.drawString(*at(ox + 46, oy + 55), "职        务")
        canvas.drawString(*at(ox + 46, oy + 64), "所属党支部")
        canvas.setFont("NotoSerifSC-Regular", 13)
        canvas.drawString(*at(ox + 78, oy + 55), row["职务"])
        canvas.drawString(*at(ox + 78, oy + 64), row["所属党支部"])
        qr = QrCodeWidget(URL.format(row["工号"])).qr
        qr.make()
        count = qr.getModuleCount()
        module = 32 * mm / (count + 4)
        left, top = at(ox + 158, oy + 25)
        path = canvas.beginPath()
        for r, cells in enumerate(qr.modules):
            c = 0
            while c < count:
                if not cells[c]:
                    c += 1
                    continue
                start = c
                while c < count and cells[c]:
                    c += 1
                path.rect(left + (start + 2) * module, top - (r + 3) * module, (c - start) * module, module)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.setFillColorRGB(0.333, 0.333, 0.333)
        canvas.setFont("NotoSansSC-Regular", 8)
        canvas.drawCentredString(*at(ox + 174, oy + 61), "扫码了解我")
        canvas.setStrokeColorRGB(0.784, 0.086, 0.114)
        canvas.setLineWidth(0.5)
        canvas.line(*at(ox + 12, oy + 80), *at(ox + 188, oy + 80))
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("NotoSerifSC-Regular", 12)
        canvas.drawCentredString(*at(ox + 100, oy + 88.5), ORGANISATION)

    def face_back(row):  # the upper half, turned 180° about its centre
        canvas.saveState()
        cx, cy = at(105, 98.5)
        canvas.translate(cx, cy)
        canvas.rotate(180)
        canvas.translate(-cx, -cy)
        ox, oy = 5, 48.5
        canvas.setFillColorRGB(0.784, 0.086, 0.114)
        canvas.rect(*at(ox, oy + 17), 200 * mm, 17 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("NotoSerifSC-Bold", 22)
        canvas.drawCentredString(*at(ox + 100, oy + 11), "党 员 承 诺")
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("LXGWWenKai-Regular", 12)
        canvas.drawString(*at(ox + 10, oy + 26), f"我是{row['所属党支部']}党员{row['姓名']}，我承诺：")
        canvas.setFont("LXGWWenKai-Regular", 11)
        for index, label in enumerate(PLEDGES):
            canvas.drawString(*at(ox + 10, oy + 35 + index * 5.3),
                              f"{'一二三四五'[index]}、{label}：{row.get(label) or BLANK}")
        canvas.restoreState()

    with tempfile.TemporaryDirectory() as scratch:
        for row in rows:
            with Image.open(photos / f"{row['工号']}.jpg") as image:
                width, height = image.size
                crop_w = min(width, round(height * 25 / 35))
                crop_h = round(crop_w * 35 / 25)
                scale = photo_px[0] / crop_w
                image.draft("RGB", (int(width * scale) + 1, int(height * scale) + 1))
                factor = image.size[0] / width
                left = round((width - crop_w) / 2 * factor)
                box = (left, 0, left + round(crop_w * factor), round(crop_h * factor))
                small = image.convert("RGB").crop(box).resize(photo_px, Image.LANCZOS)
            photo_file = str(Path(scratch) / f"{row['工号']}.jpg")
            small.save(photo_file, "JPEG", quality=88)
            face_front(row, photo_file, 5, 148.5)
            face_back(row)
            canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
            canvas.setLineWidth(0.4)
            canvas.setDash([4, 3])
            canvas.rect(*at(5, 248.5), 200 * mm, 200 * mm, stroke=1, fill=0)
            canvas.setDash([6, 2, 1, 2])
            canvas.line(*at(5, 148.5), *at(205, 148.5))
            canvas.setDash([])
            canvas.setFillColorRGB(0.6, 0.6, 0.6)
            canvas.setFont("NotoSansSC-Regular", 8)
            canvas.drawCentredString(*at(105, 44), "✂ 沿虚线剪下，沿点划线对折，立于桌面")
            canvas.showPage()
        canvas.save()
