"""The README's previews and samples/outputs/ are what the demo prints: each picture is rendered again
from the demo's page and compared, tile by tile at its own low resolution (scripts/previews.py makes them)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A tile of 8 × 8 pixels whose mean grey differs by more than this holds a change (a word, a line, a
# photo); the same page rendered again by the same PDFium differs by nothing. (Another renderer differs
# far more, in every tile: the pictures are made and checked with PDFium alone.)
TOLERANCE = 2.0


def _script():
    spec = importlib.util.spec_from_file_location("previews", ROOT / "scripts" / "previews.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["previews"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


previews = _script()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return previews.run_demo(tmp_path_factory.mktemp("demo"), ("pdf",))


@pytest.mark.parametrize("preview", [p for p in previews.PAGES if not p.from_docx],
                         ids=lambda p: p.picture.name)
def test_each_preview_is_what_the_demo_prints(demo, preview):
    picture = previews.render(preview, demo)
    committed = previews._open(preview.picture)
    assert picture.size == committed.size
    changed = previews.difference(picture, committed, preview.varies)
    assert changed <= TOLERANCE, (f"{preview.picture.relative_to(ROOT)} no longer shows what the demo prints "
                                  f"(run python scripts/previews.py)")


def test_the_docx_preview_is_the_demo_name_card_as_word_processors_show_it(demo):
    """The DOCX preview is LibreOffice's page (made by the script, which needs LibreOffice); it shows the
    card the PDF shows, drawn by another renderer: compared in coarse tiles, where antialiasing evens out
    and another member's name or a missing face would not."""
    (docx,) = [p for p in previews.PAGES if p.from_docx]
    pdf_page = previews.render(previews.Preview(docx.picture, "名片.pdf", width=docx.width), demo)
    committed = previews._open(docx.picture)
    assert previews.difference(pdf_page, committed, tile=64) <= 15
    other = previews.render(previews.Preview(docx.picture, "名片.pdf", page=1, width=docx.width), demo)
    assert previews.difference(other, committed, tile=64) > 15  # the next member's card is not the same


def test_every_preview_comes_from_the_demo():
    made = {p.picture.name for p in previews.PAGES if p.picture.parent == previews.PREVIEWS}
    assert {path.name for path in previews.PREVIEWS.glob("*.png")} == made
    for path in previews.OUTPUTS.iterdir():
        assert path in {p.picture for p in previews.PAGES} | set(previews.WORKBOOKS), path.name


def test_the_sample_workbooks_are_what_the_demo_writes(demo):
    from openpyxl import load_workbook

    for committed, written in previews.WORKBOOKS.items():
        ours, theirs = load_workbook(committed), load_workbook(demo / written)
        assert ours.sheetnames == theirs.sheetnames
        for name in ours.sheetnames:
            assert [list(r) for r in ours[name].iter_rows(values_only=True)] == \
                   [list(r) for r in theirs[name].iter_rows(values_only=True)], (committed.name, name)


def test_a_changed_page_is_seen():
    """The comparison is not blind: a line of small text removed from a page is a change."""
    from PIL import ImageDraw

    committed = previews._open(previews.PREVIEWS / "survey.png")
    changed = committed.copy()
    ImageDraw.Draw(changed).rectangle((200, 395, 280, 402), fill="white")  # the committee's name, bottom right
    assert previews.difference(committed, committed) == 0
    assert previews.difference(changed, committed) > TOLERANCE
