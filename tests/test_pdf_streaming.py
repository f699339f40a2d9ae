"""The PDF writer's memory: pages go into the file as they are drawn, ReportLab's faces are kept in arrays.

What is kept must be the same document: the streamed file holds the pages, pictures and fonts a file
written at save holds, and the compact face tables answer every question ReportLab asks as its own did.
"""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from formgen.api import Job, compose, load_records
from formgen.fonts import default_font_book
from formgen.input.org import load_org
from formgen.typeset.composer import Environment
from formgen.writers.pdf import PdfPainter
from formgen.writers.reportlab_faces import CachedFace, CodeTable
from formgen.writers.reportlab_stream import StreamingCanvas
from formgen.writers.reportlab_support import DocumentCanvas, register_face


@pytest.fixture(scope="module")
def pages(module_inputs):
    """Name cards of members with distinct photos, QR codes and rare characters."""
    roster, photos, org = module_inputs
    composition = compose(Job("name-card", org=load_org(org)), load_records(roster, photos),
                          env=Environment.default(cache=False))
    assert composition.report.failed == []
    return composition.document.pages


def _canvas(kind, path):
    book = default_font_book()
    return kind(str(path), pageCompression=1, initialFontName=register_face(book, "NotoSansSC-Regular"))


def _draw(canvas, pages, after_page=lambda: None):
    painter = PdfPainter(canvas, default_font_book())
    for page in pages:
        painter.page(page)
        after_page()
    canvas.save()


def test_each_page_is_in_the_file_when_drawn_and_not_kept(pages, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")
    path = tmp_path / "streamed.pdf"
    canvas = _canvas(StreamingCanvas, path)
    sizes, held = [], []

    def after_page():
        canvas._file.flush()  # what the page handed to the file, past Python's buffer of a few pages
        sizes.append(path.stat().st_size)
        doc = canvas._doc
        # What ReportLab still holds: the open objects and, for each picture, its name and size only.
        held.append(sum(not type(obj).__name__ == "_Written" for obj in doc.idToObject.values()))
        assert doc.Pages.pages == []

    _draw(canvas, pages * 3, after_page)
    assert all(a < b for a, b in zip(sizes, sizes[1:])), sizes  # every page made the file longer
    assert len(set(held)) == 1, held  # the same few objects after the first page and the last
    assert len(PdfReader(path).pages) == 3 * len(pages)


def _content(reader, index):
    return reader.pages[index].get_contents().get_data()


def test_the_streamed_file_holds_what_reportlab_writes_at_save(pages, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")
    at_save, streamed = tmp_path / "at-save.pdf", tmp_path / "streamed.pdf"
    _draw(_canvas(DocumentCanvas, at_save), pages)
    _draw(_canvas(StreamingCanvas, streamed), pages)
    before, after = PdfReader(at_save), PdfReader(streamed)
    assert len(after.pages) == len(before.pages) == len(pages)
    drawn = 0
    for index in range(len(pages)):
        assert _content(after, index) == _content(before, index)
        assert after.pages[index].mediabox == before.pages[index].mediabox
        pictures = [(x.name, x.data) for x in after.pages[index].images]
        assert pictures == [(x.name, x.data) for x in before.pages[index].images]
        drawn += len(pictures)
        fonts = after.pages[index]["/Resources"]["/Font"]
        old_fonts = before.pages[index]["/Resources"]["/Font"]
        assert sorted(fonts) == sorted(old_fonts)
        for name in fonts:
            new, old = fonts[name].get_object(), old_fonts[name].get_object()
            assert new["/BaseFont"] == old["/BaseFont"] and list(new["/Widths"]) == list(old["/Widths"])
            assert (new["/FontDescriptor"]["/FontFile2"].get_data()
                    == old["/FontDescriptor"]["/FontFile2"].get_data())
    assert drawn >= 2  # the members' photos, compared byte for byte
    assert after.metadata.title == before.metadata.title
    assert after.trailer["/ID"][0] != before.trailer["/ID"][0]  # each file's ID is made from its own bytes


def test_the_streamed_file_is_the_same_bytes_every_time(pages, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    _draw(_canvas(StreamingCanvas, first), pages)
    _draw(_canvas(StreamingCanvas, second), pages)
    assert first.read_bytes() == second.read_bytes()
    data = first.read_bytes()
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref:xref + 4] == b"xref"
    # Every entry of the cross-reference table points at its object.
    table = data[xref:].split(b"trailer", 1)[0].splitlines()[3:]
    for number, entry in enumerate(table, start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number), number


def test_a_failed_run_lets_the_file_go(pages, tmp_path):
    path = tmp_path / "broken.pdf"
    canvas = _canvas(StreamingCanvas, path)
    PdfPainter(canvas, default_font_book()).page(pages[0])
    canvas.close()
    path.unlink()  # on Windows this fails while the file is open
    assert not path.exists()


# ---- the faces ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["NotoSansMongolian-Regular", "NotoSansSC-Regular"])
def faces(request):
    """One face as ReportLab reads it, and the same face kept compact (read twice: the cache, then again)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    path = str(default_font_book().face(request.param).path)
    CachedFace(path)  # fills the cache folder
    return TTFontFace(path), CachedFace(path)


def test_compact_tables_answer_as_reportlab_s_own(faces):
    plain, compact = faces
    assert isinstance(compact.charToGlyph, CodeTable)
    assert dict(compact.charToGlyph.items()) == plain.charToGlyph
    assert dict(compact.charWidths.items()) == plain.charWidths
    assert {glyph: sorted(chars) for glyph, chars in compact.glyphToChar.items()} == \
        {glyph: sorted(chars) for glyph, chars in plain.glyphToChar.items()}
    assert len(compact.hmetrics) == len(plain.hmetrics)
    assert all(compact.hmetrics[g] == plain.hmetrics[g] for g in range(len(plain.hmetrics)))
    assert list(compact.glyphPos) == plain.glyphPos
    for code in (0x20, 0xA0, 0x4E00, 0x1820, 0x10FFFF, -1):
        assert (code in compact.charToGlyph) == (code in plain.charToGlyph)
        assert compact.charWidths.get(code, "none") == plain.charWidths.get(code, "none")


def test_a_subset_of_the_compact_face_is_reportlab_s_subset(faces):
    plain, compact = faces
    codes = sorted(plain.charToGlyph)
    subset = [0] + codes[:40] + codes[len(codes) // 2:len(codes) // 2 + 40] + codes[-40:]
    assert compact.makeSubset(subset) == plain.makeSubset(subset)


def test_string_widths_are_reportlab_s(faces, request):
    """The Python width (the face's widths are arrays) is what ReportLab's C accelerator gives."""
    from types import SimpleNamespace

    from reportlab.lib.rl_accel import instanceStringWidthTTF
    from reportlab.pdfbase import pdfmetrics

    plain, _ = faces
    face_name = request.node.callspec.params["faces"]
    font = pdfmetrics.getFont(register_face(default_font_book(), face_name))
    for text in ("王喆 党支部书记 ABC 𫖯", "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ", "\u00a0x"):
        assert font.stringWidth(text, 12) == pytest.approx(
            instanceStringWidthTTF(SimpleNamespace(face=plain), text, 12), rel=1e-12, abs=1e-12)


def test_code_table_takes_later_codes():
    table = CodeTable({5: 50, 1: 10})
    table[0x100000] = 7
    table[1] = 11
    assert table[1] == 11 and table[5] == 50 and table[0x100000] == 7
    assert sorted(table) == [1, 5, 0x100000] and len(table) == 3
    with pytest.raises(KeyError):
        table[2]  # noqa: B018
    assert table.get(2, "none") == "none" and 2 not in table


def test_a_text_drawn_again_is_the_same_operators_as_drawn_afresh(pages, tmp_path, monkeypatch):
    """The painter draws a text it has drawn before (every card's heading) from the operators it kept:
    the file is the same bytes as one whose every text is drawn afresh."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")
    kept, afresh = tmp_path / "kept.pdf", tmp_path / "afresh.pdf"
    _draw(_canvas(StreamingCanvas, kept), pages * 2)
    monkeypatch.setattr(PdfPainter, "text", PdfPainter._text_afresh)
    _draw(_canvas(StreamingCanvas, afresh), pages * 2)
    assert kept.read_bytes() == afresh.read_bytes()
    # and the kept operators were used: the heading of every card is one text the painter knows
    canvas = _canvas(StreamingCanvas, tmp_path / "count.pdf")
    painter = PdfPainter(canvas, default_font_book())
    for page in pages * 2:
        painter.page(page)
    canvas.save()
    texts = [item for page in pages for item in page.items if type(item).__name__ == "Text"]
    assert len(painter._drawn) < 2 * len(texts)
