"""Print quality of the photos in a name-card PDF: effective resolution and fidelity, measured from the file.

For each photo embedded in the PDF: its pixels over its placed size on the page (effective dpi), and
how close its decoded pixels are to a reference made from the original photo (the same crop, resampled
with Lanczos to the same pixel size, never compressed): PSNR in dB and SSIM of the luminance (7×7
windows, the usual constants). Prints the minimum, median and maximum over the photos.

    python bench/photo_quality.py bench/out/formgen.pdf bench/out/photos-1200x1600 [--count 50]
"""
from __future__ import annotations

import argparse
import io
import statistics
from pathlib import Path

import numpy as np
from PIL import Image


def _box_mean(a: np.ndarray, size: int = 7) -> np.ndarray:
    """The mean over every size × size window (valid windows only), by summed-area tables."""
    s = np.pad(a, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (s[size:, size:] - s[:-size, size:] - s[size:, :-size] + s[:-size, :-size]) / (size * size)


def ssim(x: np.ndarray, y: np.ndarray) -> float:
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = _box_mean(x), _box_mean(y)
    vx, vy = _box_mean(x * x) - mx * mx, _box_mean(y * y) - my * my
    cov = _box_mean(x * y) - mx * my
    return float((((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))).mean())


def psnr(x: np.ndarray, y: np.ndarray) -> float:
    mse = float(((x - y) ** 2).mean())
    return float("inf") if mse == 0 else 10 * np.log10(255 ** 2 / mse)


def luminance(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float64)


def reference(photo: Path, size: tuple[int, int], aspect: float) -> Image.Image:
    """The original photo cropped as the name card crops it (cover of the placed box's aspect, anchored
    at the top) and resampled to size with Lanczos from the full-resolution pixels."""
    with Image.open(photo) as original:
        image = original.convert("RGB")
    width, height = image.size
    if width / height > aspect:
        crop_w = round(height * aspect)
        left = (width - crop_w) // 2
        image = image.crop((left, 0, left + crop_w, height))
    else:
        image = image.crop((0, 0, width, round(width / aspect)))
    return image.resize(size, Image.LANCZOS)


def main() -> None:
    import pdfplumber

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("photos", type=Path, help="the photos the cards were made from, named by 工号")
    parser.add_argument("--count", type=int, default=50, help="cards measured (from the first)")
    args = parser.parse_args()
    dpis, psnrs, ssims = [], [], []
    with pdfplumber.open(str(args.pdf)) as pdf:
        for number, page in enumerate(pdf.pages[:args.count], start=1):
            for placed in page.images:
                data = placed["stream"].get_data()
                embedded = Image.open(io.BytesIO(data))
                embedded.load()
                dpis.append(embedded.width / ((placed["x1"] - placed["x0"]) / 72))
                aspect = (placed["x1"] - placed["x0"]) / (placed["bottom"] - placed["top"])
                ref = reference(args.photos / f"{number:06d}.jpg", embedded.size, aspect)
                a, b = luminance(embedded), luminance(ref)
                psnrs.append(psnr(a, b))
                ssims.append(ssim(a, b))
    for label, values, unit in (("effective dpi", dpis, ""), ("PSNR", psnrs, " dB"), ("SSIM", ssims, "")):
        print(f"{label:<14} min {min(values):.3f}{unit}  median {statistics.median(values):.3f}{unit}  "
              f"max {max(values):.3f}{unit}  ({len(values)} photos)")


if __name__ == "__main__":
    main()
