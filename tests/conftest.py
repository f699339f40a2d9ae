"""Shared fixtures: small rosters, generated photos, and readers for what formgen writes."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

@pytest.fixture(scope="session", autouse=True)
def photo_cache_of_the_tests(tmp_path_factory):
    """Prepared photos go to a folder of the test run's own, never to the user's cache folder."""
    before = os.environ.get("FORMGEN_CACHE_DIR")
    os.environ["FORMGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("FORMGEN_CACHE_DIR", None)
    else:
        os.environ["FORMGEN_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def composed_records_of_the_test(tmp_path_factory, monkeypatch):
    """Each test composes its records afresh: a record composed by an earlier test (perhaps with a part
    of formgen replaced for that test) is never read back; within a test, a re-run reads its own."""
    from formgen.typeset.composed_cache import ComposedCache

    folder = tmp_path_factory.mktemp("composed")
    monkeypatch.setattr(ComposedCache, "default", staticmethod(lambda: ComposedCache(folder)))


RARE_NAMES = ["王喆", "李堃", "刘䶮", "陈㛃", "黄𫖯", "赵𬌗"]


def portrait(path: Path, size=(600, 800), mode="RGB", orientation: int | None = None, fmt="JPEG") -> Path:
    """A test picture whose top half is red and bottom half blue, so orientation can be checked."""
    width, height = size
    image = Image.new("RGB", (width, height), (220, 30, 30))
    ImageDraw.Draw(image).rectangle((0, height // 2, width, height), fill=(30, 30, 220))
    if orientation == 6:  # stored turned 90° clockwise-for-display: the viewer must rotate it back
        image = image.transpose(Image.Transpose.ROTATE_90)
    if mode != "RGB":
        image = image.convert(mode)
    kwargs = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    image.save(path, format=fmt, **kwargs)
    return path


def make_photos(folder: Path) -> Path:
    """Photos for the fixture roster: a plain JPEG, a phone photo turned by EXIF, a CMYK scan, a PNG
    with transparency named after the member."""
    folder.mkdir()
    portrait(folder / "000101.jpg")
    portrait(folder / "000102.jpg", size=(3024, 4032), orientation=6)
    portrait(folder / "000103.jpg", mode="CMYK")
    portrait(folder / "李堃.png", mode="RGBA", fmt="PNG")
    return folder


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    return make_photos(tmp_path / "photos")


def member(staff_id: str, name: str, **extra) -> dict:
    values = {"工号": staff_id, "姓名": name, "职务": "技术员", "所属党支部": "机关第一党支部", "单位": "综合办公室"}
    values.update(extra)
    return values


def make_roster(folder: Path) -> Path:
    """A roster of the rare names, as JSON."""
    rows = [member(f"0001{i + 1:02d}", name) for i, name in enumerate(RARE_NAMES)]
    rows[0]["党员义务"] = "认真学习党的理论，严守党的纪律，按时交纳党费。"
    path = folder / "roster.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return make_roster(tmp_path)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    return make_org(tmp_path)


@pytest.fixture(scope="module")
def module_inputs(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(roster, photos, profile) shared by a module's tests that only read what is rendered from them."""
    folder = tmp_path_factory.mktemp("inputs")
    return make_roster(folder), make_photos(folder / "photos"), make_org(folder)


def make_org(folder: Path) -> Path:
    path = folder / "org.yaml"
    path.write_text(
        "organisation: 鄂尔多斯市示例能源有限责任公司\n"
        "committee: 中共鄂尔多斯市示例能源有限责任公司委员会\n"
        "short_name: 示例能源\n"
        'qr_url_template: "https://party.example.org/m/{{ 工号 }}"\n',
        encoding="utf-8",
    )
    return path


def pdf_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_chars(path: Path, page: int = 0) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return list(pdf.pages[page].chars)


def render_page(path: Path, page: int = 0, dpi: int = 150) -> Image.Image:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def decode_qr(image: Image.Image) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image)]


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/*.txt from the composer's current output")


def render_records(layout, records, out, org=None, options=None, formats=("pdf",), photos=None, book=None,
                   copies=None):
    """formgen.api.render with the keyword arguments most tests need: one file, the given formats."""
    from formgen.api import Job, Output, render
    from formgen.typeset.composer import Environment

    env = Environment.default(book=book) if book is not None else None
    job = Job(layout, options=options or {}, copies=copies) if org is None else \
        Job(layout, org=org, options=options or {}, copies=copies)
    return render(job, records,
                  Output(out, tuple(formats)), photos=photos, env=env)
