"""Photos as phones and scanners make them: turned, CMYK, grey, transparent, huge, tiny, broken."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from formgen.typeset import imaging
from formgen.units import mm

from .conftest import portrait

W, H = mm(25), mm(35)  # the photo box of the name card


def decoded(prepared: imaging.PreparedImage) -> Image.Image:
    return Image.open(io.BytesIO(prepared.data))


def test_exif_orientation_is_applied(tmp_path):
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=(1200, 1600), orientation=6), W, H)
    image = decoded(prepared).convert("RGB")
    top = image.getpixel((image.width // 2, image.height // 5))
    bottom = image.getpixel((image.width // 2, image.height * 4 // 5))
    assert top[0] > 150 and top[2] < 100 and bottom[2] > 150 and bottom[0] < 100


def test_phone_heic_photos_are_read_upright(tmp_path):
    # An iPhone photo: HEIC, taken with the phone held upright and stored turned (orientation 6).
    prepared = imaging.prepare(portrait(tmp_path / "IMG_0412.HEIC", size=(1200, 1600), orientation=6, fmt="HEIF"),
                               W, H)
    assert prepared.format == "jpeg" and prepared.source_dpi > 300
    image = decoded(prepared).convert("RGB")
    top = image.getpixel((image.width // 2, image.height // 5))
    bottom = image.getpixel((image.width // 2, image.height * 4 // 5))
    assert top[0] > 150 and top[2] < 100 and bottom[2] > 150 and bottom[0] < 100


def test_large_photo_is_downsampled_to_300_dpi(tmp_path):
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=(3024, 4032)), W, H)
    assert prepared.format == "jpeg"
    assert 300 <= prepared.effective_dpi <= 301  # rounded up: never below 300
    assert (prepared.width, prepared.height) == (296, 414)
    assert prepared.source_dpi > 1000


@pytest.mark.parametrize("width", [305, 340])  # 310 and 345 dpi at 25 mm, 5 : 7 as the box
def test_a_photo_a_little_sharper_than_300_dpi_keeps_its_pixels(tmp_path, width):
    size = (width, width * 7 // 5)
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=size), W, H)
    assert (prepared.width, prepared.height) == size  # resampling would only soften it
    assert 300 < prepared.effective_dpi < 350


def test_a_photo_over_350_dpi_is_resampled_to_300(tmp_path):
    size = (round(25 / 25.4 * 360), round(35 / 25.4 * 360))
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=size), W, H)
    assert (prepared.width, prepared.height) == (296, 414)


def test_small_photo_is_never_upscaled(tmp_path):
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=(100, 140)), W, H)
    assert (prepared.width, prepared.height) == (100, 140)
    assert prepared.source_dpi < imaging.LOW_DPI


def _red_rows(image: Image.Image) -> float:
    """The share of the picture's rows whose middle pixel is red (the portraits' top half)."""
    rgb = image.convert("RGB")
    red = sum(1 for y in range(rgb.height) if rgb.getpixel((rgb.width // 2, y))[0] > 150)
    return red / rgb.height


def test_cover_crops_a_tall_photo_to_the_box_keeping_the_top(tmp_path):
    # A photo much taller than the box (a full-length scan): cover must cut its bottom, not its head.
    tall = portrait(tmp_path / "tall.jpg", size=(600, 1600))  # rows 0–799 red, 800–1599 blue
    top = imaging.prepare(tall, W, H, anchor="top")
    assert abs(top.width / top.height - W / H) < 0.01
    # The crop keeps rows 0–840 of 1600: all of the red half and a sliver of blue.
    assert _red_rows(decoded(top)) == pytest.approx(800 / 840, abs=0.02)
    centre = imaging.prepare(tall, W, H, anchor="center")
    assert _red_rows(decoded(centre)) == pytest.approx(0.5, abs=0.02)


def test_cover_crops_the_sides_of_a_landscape_photo(tmp_path):
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=(1600, 1200)), W, H, anchor="top")
    assert abs(prepared.width / prepared.height - W / H) < 0.01
    assert _red_rows(decoded(prepared)) == pytest.approx(0.5, abs=0.02)  # nothing cut from top or bottom


def test_contain_keeps_the_whole_picture(tmp_path):
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg", size=(1600, 1200)), W, H, fit="contain")
    assert abs(prepared.placed_w - W) < 0.01 and prepared.placed_h < H
    assert abs(prepared.width / prepared.height - 4 / 3) < 0.01


@pytest.mark.parametrize("mode", ["CMYK", "L", "P"])
def test_colour_modes_become_printable(tmp_path, mode):
    prepared = imaging.prepare(portrait(tmp_path / "p.jpg" if mode != "P" else tmp_path / "p.png", mode=mode,
                                        fmt="JPEG" if mode != "P" else "PNG"), W, H)
    image = decoded(prepared)
    assert image.mode in ("RGB", "L")
    top = image.convert("RGB").getpixel((image.width // 2, 5))
    if mode != "L":
        assert top[0] > 150 and top[2] < 100  # still red, not inverted CMYK


def _rgb_profile(red, green, blue, name="Swapped primaries") -> bytes:
    """A minimal ICC v2 display profile (matrix and gamma 2.2) with the given primaries (D50 XYZ)."""
    import struct

    def fixed(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + fixed(x) + fixed(y) + fixed(z)

    text = name.encode() + b"\0"
    description = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 12 + b"\0" * 67
    gamma = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [(b"desc", description), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*red)),
            (b"gXYZ", xyz(*green)), (b"bXYZ", xyz(*blue)), (b"rTRC", gamma), (b"gTRC", gamma), (b"bTRC", gamma)]
    offset, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp"
              + b"\0" * 24 + struct.pack(">I", 0) + fixed(0.9642) + fixed(1.0) + fixed(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + data


SRGB_D50 = ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))


@pytest.mark.parametrize("fmt, suffix", [("JPEG", ".jpg"), ("PNG", ".png")])
def test_a_photo_is_printed_in_the_colours_its_icc_profile_gives(tmp_path, fmt, suffix):
    """A camera's Adobe RGB, a phone's Display P3, a scanner's CMYK: the numbers mean the colours of the
    profile the file carries. Here a profile with red and blue primaries swapped: its red is sRGB's blue."""
    red, green, blue = SRGB_D50
    path = tmp_path / f"p{suffix}"
    Image.new("RGB", (400, 400), (230, 20, 20)).save(path, fmt, icc_profile=_rgb_profile(blue, green, red))
    r, g, b = decoded(imaging.prepare(path, mm(20), mm(20))).convert("RGB").getpixel((10, 10))
    assert b > 180 and r < 60  # blue, as the profile says, not the red of the bare numbers
    plain = tmp_path / f"plain{suffix}"  # an sRGB profile, a broken one, or none: the numbers as they are
    for profile in (_rgb_profile(red, green, blue, "sRGB IEC61966-2.1"), b"not a profile", None):
        Image.new("RGB", (400, 400), (230, 20, 20)).save(plain, fmt, **({"icc_profile": profile} if profile else {}))
        r, g, b = decoded(imaging.prepare(plain, mm(20), mm(20))).convert("RGB").getpixel((10, 10))
        assert abs(r - 230) <= 4 and b < 30


def test_sixteen_bit_grey_scans_keep_their_tones(tmp_path):
    # A scanner's 16-bit grey PNG: a dark top half over a light bottom half.
    grey = Image.new("L", (600, 800), 60)
    grey.paste(200, (0, 400, 600, 800))
    path = tmp_path / "scan.png"
    grey.point(lambda value: value * 257, mode="I").convert("I;16").save(path)
    with Image.open(path) as stored:
        assert stored.mode in ("I", "I;16")  # 16 bits a sample
    image = decoded(imaging.prepare(path, W, H)).convert("L")
    top, bottom = image.getpixel((image.width // 2, 5)), image.getpixel((image.width // 2, image.height - 5))
    assert abs(top - 60) <= 2 and abs(bottom - 200) <= 2


def test_transparency_is_flattened_on_white_or_kept_for_seals(tmp_path):
    path = tmp_path / "seal.png"
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (100, 100, 300, 300))
    image.save(path)
    flat = decoded(imaging.prepare(path, mm(40), mm(40)))
    assert flat.mode == "RGB" and flat.getpixel((2, 2)) == (255, 255, 255)
    kept = imaging.prepare(path, mm(40), mm(40), keep_alpha=True)
    assert kept.format == "png" and decoded(kept).getpixel((2, 2))[3] == 0


def test_broken_files_raise_a_clear_problem(tmp_path):
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff\xe0 nothing")
    with pytest.raises(imaging.ImageProblem, match="无法读取"):
        imaging.prepare(tmp_path / "bad.jpg", W, H)
    whole = portrait(tmp_path / "whole.jpg", size=(1200, 1600)).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(imaging.ImageProblem, match="不完整") as cut:
        imaging.prepare(tmp_path / "cut.jpg", W, H)
    assert "truncated" not in str(cut.value) and "OSError" not in str(cut.value)  # the clerk's words only
    with pytest.raises(imaging.ImageProblem, match="找不到文件"):
        imaging.prepare(tmp_path / "gone.jpg", W, H)


def test_huge_images_are_refused_before_decoding(tmp_path):
    Image.new("1", (12000, 8000)).save(tmp_path / "huge.png")
    with pytest.raises(imaging.ImageProblem, match="过大"):
        imaging.prepare(tmp_path / "huge.png", W, H)


def test_empty_and_non_picture_files_say_what_they_are(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(imaging.ImageProblem, match="空文件（0 字节）"):
        imaging.prepare(tmp_path / "empty.jpg", W, H)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    with pytest.raises(imaging.ImageProblem, match="是 PDF 文件，不是图片"):
        imaging.prepare(tmp_path / "scan.pdf", W, H)
