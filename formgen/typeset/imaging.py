"""Photo preparation: orient, crop to the box, flatten colour, resample to print resolution, encode."""
from __future__ import annotations

import functools
import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from PIL import Image as PILImage
from PIL import ImageOps

from formgen.typeset.composed_cache import file_state, note_file
from formgen.typeset.photo_cache import PhotoCache

# Phones (iPhones by default) save HEIC; libheif (pillow_heif) decodes it with the rotation already
# applied. It is loaded by the first such photo, not by every process that might meet one (8 MB each).
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1")


def _is_heif(prefix: bytes) -> bool:
    return prefix[4:8] == b"ftyp" and prefix[8:12] in _HEIF_BRANDS


def _heif_loaded() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()  # pillow_heif's opener and saver take the places of the two below


def _open_heif(fp, filename):
    _heif_loaded()
    factory, _ = PILImage.OPEN["HEIF"]
    return factory(fp, filename)


def _save_heif(image, fp, filename):
    _heif_loaded()
    save = PILImage.SAVE.get("HEIF")
    if save is None or save is _save_heif:
        raise OSError("this libheif cannot write HEIF")
    save(image, fp, filename)


PILImage.register_open("HEIF", _open_heif, _is_heif)
PILImage.register_save("HEIF", _save_heif)
PILImage.register_extensions("HEIF", [".heic", ".heics", ".heif", ".heifs", ".hif"])
PILImage.register_mime("HEIF", "image/heif")

MAX_DPI = 300.0  # photos are resampled down to this at their placed size (rounded up: never below it)
# A photo up to this much sharper than MAX_DPI is kept as it is: resampling 320 dpi to 300 would only
# soften it, for a few hundred bytes.
HEADROOM = 350 / 300
LOW_DPI = 150.0  # below this a photo prints visibly soft: warn
JPEG_QUALITY = 88
MAX_PIXELS = 80_000_000  # larger images are refused rather than risk memory exhaustion

_ANCHORS = {
    "center": (0.5, 0.5), "top": (0.5, 0.0), "bottom": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5),
    "top-left": (0.0, 0.0), "top-right": (1.0, 0.0), "bottom-left": (0.0, 1.0), "bottom-right": (1.0, 1.0),
}
ANCHORS = tuple(_ANCHORS)
FITS = ("cover", "contain")


class ImageProblem(ValueError):
    """A picture file that cannot be used."""


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    format: str  # "jpeg" | "png"
    width: int
    height: int
    key: str
    effective_dpi: float  # resolution at the placed size, after resampling
    source_dpi: float  # resolution the source would have given at the placed size
    placed_w: float  # points: the drawn size (smaller than the box for "contain")
    placed_h: float


def _crop_for_cover(width: int, height: int, aspect: float, anchor: str) -> tuple[int, int, int, int]:
    fx, fy = _ANCHORS[anchor]
    if width / height > aspect:  # too wide: trim the sides
        new_w = max(1, round(height * aspect))
        left = round((width - new_w) * fx)
        return (left, 0, left + new_w, height)
    new_h = max(1, round(width / aspect))
    top = round((height - new_h) * fy)
    return (0, top, width, top + new_h)


def _flatten(image: PILImage.Image, keep_alpha: bool) -> PILImage.Image:
    """RGB (or RGBA when transparency matters) with any alpha composited over white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        if keep_alpha:
            return rgba
        background = PILImage.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode == "CMYK":
        # Adobe CMYK JPEGs are stored inverted; PIL undoes that, so a plain conversion is right.
        return image.convert("RGB")
    if image.mode == "L":
        return image
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        return _to_eight_bit_grey(image)
    return image.convert("RGB")


def _in_srgb(image: PILImage.Image, profile: Optional[bytes]) -> PILImage.Image:
    """The picture's colours in sRGB, which print and screen assume for pictures without a profile: a
    camera's Adobe RGB or a phone's Display P3 photo, or a scanner's CMYK, by the ICC profile it carries
    (read as plain numbers, Adobe RGB's red prints brick-dull). A profile that cannot be used is passed
    over: the numbers as they are."""
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower().replace(" ", ""):
            return image  # already sRGB: nothing to convert
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode=mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


@functools.lru_cache(maxsize=1)
def _srgb_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_eight_bit_grey(image: PILImage.Image) -> PILImage.Image:
    """16-bit and 32-bit grey scans as 8-bit L. PIL's own conversion clips every value above 255, which
    turns a 16-bit scan white; the values are scaled down instead."""
    wide = image if image.mode == "F" else image.convert("I")
    high = wide.getextrema()[1]
    if image.mode.startswith("I;16") or 255 < high <= 65535:
        scale = 1 / 257
    else:
        scale = 255 / high if high > 255 else 1
    return wide.point(lambda value: value * scale).convert("L")


def prepare(path: Path, box_w: float, box_h: float, fit: str = "cover", anchor: str = "center",
            keep_alpha: bool = False, max_dpi: float = MAX_DPI, cache: Optional[PhotoCache] = None) -> PreparedImage:
    """The picture at path, ready to place in a box of box_w × box_h points; from the cache when the same
    file (by content) was prepared for the same placement before."""
    note_file(path)
    placement = (round(box_w, 3), round(box_h, 3), fit, anchor, keep_alpha, max_dpi)
    # The same file (by size and time) drawn on every page, a certificate's background of several MB,
    # is read and hashed once per process, not once per record.
    state = file_state(path)
    digest = _digests.get(state) if state[1] else None
    remembered = _recent.get((digest, placement)) if digest else None
    if remembered is not None:
        return remembered
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        raise ImageProblem("找不到文件") from None
    except OSError as exc:
        raise ImageProblem(f"无法读取（{exc.__class__.__name__}: {exc}）") from None
    if not content:
        raise ImageProblem("是空文件（0 字节），可能没有拷贝完整；请重新拷贝这张照片")
    digest = hashlib.sha256(content).hexdigest()
    if len(_digests) >= _RECENT:
        _digests.clear()
    _digests[state] = digest
    remembered = _recent.get((digest, placement))
    if remembered is not None:
        return remembered
    key = PhotoCache.key(digest, placement) if cache is not None else ""
    fields = cache.get(key) if cache is not None else None
    if fields is not None:
        prepared = PreparedImage(**{name: fields[name] for name in _FIELDS})
    else:
        prepared = _prepare_bytes(content, Path(path), *placement)
        if cache is not None:
            cache.put(key, {**{name: getattr(prepared, name) for name in _FIELDS}, "length": len(prepared.data)})
    _remember((digest, placement), prepared)
    return prepared


_FIELDS = ("data", "format", "width", "height", "key", "effective_dpi", "source_dpi", "placed_w", "placed_h")
_recent: dict[tuple, PreparedImage] = {}  # this process's last few: the same photo on a card's two faces
_digests: dict[tuple, str] = {}  # (path, size, time) → content hash, for the files of _recent
_RECENT = 64


def _remember(key: tuple, prepared: PreparedImage) -> None:
    if len(_recent) >= _RECENT:
        del _recent[next(iter(_recent))]
    _recent[key] = prepared


def _prepare_bytes(content: bytes, path: Path, box_w: float, box_h: float, fit: str, anchor: str,
                   keep_alpha: bool, max_dpi: float) -> PreparedImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(content)) as opened:
                return _prepare_open(opened, box_w, box_h, fit, anchor, keep_alpha, max_dpi)
    except ImageProblem:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageProblem("图片过大，无法安全处理") from None
    except PILImage.UnidentifiedImageError:
        raise ImageProblem(_not_a_picture(path)) from None
    except (OSError, ValueError, SyntaxError) as exc:  # PIL's ways of saying "broken or truncated file"
        cut = "truncated" in str(exc).lower() or "end of file" in str(exc).lower()
        raise ImageProblem("无法读取，文件不完整（可能没有复制或传送完）；请重新复制这张照片" if cut else
                           "无法读取，文件已损坏；请换一张照片，或在画图等软件中打开后另存为 JPG") from None


def _not_a_picture(path: Path) -> str:
    kind = {".pdf": "PDF 文件", ".doc": "Word 文件", ".docx": "Word 文件", ".xls": "Excel 文件",
            ".xlsx": "Excel 文件"}.get(path.suffix.lower())
    if kind:
        return f"是 {kind}，不是图片；请把照片另存为 JPG 或 PNG"
    return "无法读取，不是能识别的图片格式或已损坏；照片请用 JPG、PNG、HEIC、BMP、TIFF 或 WEBP"


def _prepare_open(image: PILImage.Image, box_w: float, box_h: float, fit: str, anchor: str,
                  keep_alpha: bool, max_dpi: float) -> PreparedImage:
    if image.width * image.height > MAX_PIXELS:
        raise ImageProblem(f"图片过大（{image.width}×{image.height} 像素）")
    orientation = image.getexif().get(0x0112, 1)
    turned = orientation in (5, 6, 7, 8)
    src_w, src_h = (image.height, image.width) if turned else (image.width, image.height)
    aspect = box_w / box_h
    if fit == "cover":
        crop = _crop_for_cover(src_w, src_h, aspect, anchor)
        crop_w, crop_h = crop[2] - crop[0], crop[3] - crop[1]
        placed_w, placed_h = box_w, box_h
    else:
        crop_w, crop_h = src_w, src_h
        scale = min(box_w / src_w, box_h / src_h)
        placed_w, placed_h = src_w * scale, src_h * scale
    source_dpi = crop_w / (placed_w / 72.0)
    if source_dpi <= max_dpi * HEADROOM:
        target_w, target_h = crop_w, crop_h
    else:
        target_w = min(crop_w, max(1, math.ceil(placed_w / 72.0 * max_dpi - 1e-6)))
        target_h = min(crop_h, max(1, math.ceil(placed_h / 72.0 * max_dpi - 1e-6)))
    if image.format == "JPEG" and target_w < crop_w:
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding: most of the work saved.
        scale = target_w / crop_w
        want = (max(1, int(image.width * scale) + 1), max(1, int(image.height * scale) + 1))
        image.draft(image.mode if image.mode in ("RGB", "L") else None, want)
    image.load()
    profile = image.info.get("icc_profile")
    if orientation != 1:
        image = ImageOps.exif_transpose(image) or image  # (a copy of the pixels even when nothing turns)
    image = _flatten(_in_srgb(image, profile), keep_alpha)
    if fit == "cover":
        # Recompute the crop on the decoded (possibly draft-reduced) pixels.
        crop = _crop_for_cover(image.width, image.height, aspect, anchor)
        image = image.crop(crop)
    if image.width > target_w or image.height > target_h:
        # reducing_gap: a box-filter reduction by a whole factor first, then Lanczos over the last
        # factor of three or less; the same picture to the eye at a fraction of the time.
        image = image.resize((target_w, target_h), PILImage.LANCZOS, reducing_gap=3.0)
    effective_dpi = image.width / (placed_w / 72.0)
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG", optimize=False)
        fmt = "png"
    else:
        # optimize: Huffman tables made for this picture, a tenth smaller and not one pixel different.
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        fmt = "jpeg"
    data = buffer.getvalue()
    return PreparedImage(data=data, format=fmt, width=image.width, height=image.height,
                         key=hashlib.sha1(data).hexdigest(), effective_dpi=effective_dpi,
                         source_dpi=source_dpi, placed_w=placed_w, placed_h=placed_h)
