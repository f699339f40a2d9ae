"""The PDF read back: text layer, fonts, pictures, QR codes and page sizes."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from formgen.input.org import load_org
from formgen.units import mm

from .conftest import (
    RARE_NAMES,
    decode_qr,
    pdf_chars,
    pdf_text,
    render_page,
    render_records,
)


@pytest.fixture(scope="module")
def name_cards(tmp_path_factory, module_inputs) -> Path:
    roster, photos, org = module_inputs
    out = tmp_path_factory.mktemp("name_cards") / "cards.pdf"
    report = render_records("name-card", roster, out, org=load_org(org), photos=photos)
    assert report.failed == []
    return out


def test_every_rare_name_extracts_exactly(name_cards):
    """Names beyond U+FFFF (𫖯, 𬌗) come back from the text layer as the same characters."""
    pages = pdf_text(name_cards)
    assert len(pages) == len(RARE_NAMES)
    for page, name in zip(pages, RARE_NAMES):
        flat = re.sub(r"\s+", "", page)
        assert name in flat, (name, flat[:80])


def test_supplementary_plane_character_has_surrogate_pair_in_tounicode(tmp_path):
    from formgen.writers.reportlab_support import to_unicode_cmap

    cmap = to_unicode_cmap("F1+0", [0x9EC4, 0x2B5AF])
    assert "<00> <9EC4>" in cmap
    assert "<01> <D86DDDAF>" in cmap  # U+2B5AF as UTF-16BE surrogates


def test_fonts_are_embedded_and_subset(name_cards):
    reader = PdfReader(str(name_cards))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for base_name, font in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+.+", base_name), base_name  # the subset tag
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, base_name


def test_page_size_is_exact_a4(name_cards):
    with pdfplumber.open(str(name_cards)) as pdf:
        for page in pdf.pages:
            assert abs(page.width - mm(210)) < mm(0.5) and abs(page.height - mm(297)) < mm(0.5)


def test_print_dialogs_open_at_actual_size(name_cards):
    """Fit-to-page would shrink the cards off their cut and fold lines."""
    from pypdf import PdfReader

    preferences = PdfReader(name_cards).trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/PrintScaling"] == "/None" and preferences["/DisplayDocTitle"].value is True


def test_qr_decodes_to_the_templated_url(name_cards):
    image = render_page(name_cards, 0, dpi=200)
    assert "https://party.example.org/m/000101" in decode_qr(image)


def test_photos_are_upright_and_resampled(name_cards):
    with pdfplumber.open(str(name_cards)) as pdf:
        page = pdf.pages[1]  # 000102: a 3024×4032 phone photo stored sideways with EXIF orientation 6
        images = [i for i in page.images if i["height"] > mm(30)]
        assert len(images) == 1
        photo = images[0]
        assert abs(photo["width"] - mm(25)) < 0.5 and abs(photo["height"] - mm(35)) < 0.5
        dpi = photo["srcsize"][0] / (photo["width"] / 72)
        assert 250 <= dpi <= 350
    rendered = render_page(name_cards, 1, dpi=100)
    scale = 100 / 72
    left, top = photo["x0"] * scale, photo["top"] * scale
    width, height = photo["width"] * scale, photo["height"] * scale
    upper = rendered.getpixel((int(left + width / 2), int(top + height * 0.2)))
    lower = rendered.getpixel((int(left + width / 2), int(top + height * 0.8)))
    assert upper[0] > 150 and upper[2] < 100, upper  # red on top: EXIF rotation applied
    assert lower[2] > 150 and lower[0] < 100, lower


def test_back_face_is_turned_upside_down(name_cards):
    chars = pdf_chars(name_cards, 0)
    front = [c for c in chars if c["text"] == "名" and c["top"] > mm(148.5)]
    back = [c for c in chars if c["text"] == "诺" and c["top"] < mm(148.5)]
    assert front and back
    assert front[0]["matrix"][0] > 0  # upright
    assert back[0]["matrix"][0] < 0 and back[0]["matrix"][3] < 0  # turned 180°


def test_same_input_gives_the_same_bytes(tmp_path, roster, photos, org, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")  # otherwise the files carry their own time
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        render_records("pledge-card", roster, out, org=load_org(org), photos=photos)
    assert first.read_bytes() == second.read_bytes()


def test_markup_like_text_is_printed_verbatim(tmp_path, org):
    hostile = [{"工号": "1", "姓名": "<b>李&明</b>", "职务": "<i>值长</i> &amp; 安全员", "所属党支部": "a<br/>b"}]
    out = tmp_path / "x.pdf"
    report = render_records("pledge-card", hostile, out, org=load_org(org))
    assert report.failed == []
    text = re.sub(r"\s+", "", pdf_text(out)[0])
    assert "<b>李&明</b>" in text
    assert "<i>值长</i>&amp;安全员" in text


def test_repeated_pictures_are_stored_once(tmp_path, photos, org):
    rows = [{"工号": f"00020{i}", "姓名": f"张{i}", "所属党支部": "一支部", "照片": "000101.jpg"}
            for i in range(5)]  # one photo, five QR codes
    out = tmp_path / "same.pdf"
    render_records("name-card", rows, out, org=load_org(org), photos=photos)
    reader = PdfReader(str(out))
    names = set()
    for page in reader.pages:
        for name, xobject in page["/Resources"].get("/XObject", {}).items():
            names.add(xobject.idnum)
    assert len(names) == 1


def test_image_streams_are_binary_not_ascii85(name_cards):
    data = name_cards.read_bytes()
    assert b"/ASCII85Decode" not in data
    assert b"/DCTDecode" in data
