"""The font book: roles, coverage, fallback to --font-dir, and the failure that names the character."""
from __future__ import annotations

import re
import zipfile

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from formgen.fonts import FontBook, default_font_book

from .conftest import pdf_text, render_records

PRIVATE = "\ue000"  # a private-use character no bundled font has


def make_font(path, family: str, chars: str, fs_type: int = 0) -> None:
    """A tiny TrueType font whose glyphs are squares, covering chars; fs_type is its embedding licence."""
    glyphs = [".notdef"] + [f"g{ord(c):X}" for c in chars]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({ord(c): f"g{ord(c):X}" for c in chars})
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)); pen.lineTo((100, 700)); pen.lineTo((900, 700)); pen.lineTo((900, 0)); pen.closePath()
    square = pen.glyph()
    builder.setupGlyf({name: square for name in glyphs})
    builder.setupHorizontalMetrics({name: (1000, 100) for name in glyphs})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": family.replace(" ", "")})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, fsType=fs_type)
    builder.setupPost()
    builder.save(str(path))


def test_roles_map_to_bundled_faces():
    book = default_font_book()
    assert book.face_for("body") == "NotoSerifSC-Regular"
    assert book.face_for("body", bold=True) == "NotoSerifSC-Bold"
    assert book.face_for("heading") == "NotoSansSC-Bold"
    assert book.face_for("kai") == "LXGWWenKai-Regular"
    with pytest.raises(ValueError, match="不认识字体"):
        book.face_for("comic")


def test_bundled_faces_cover_the_rare_names():
    book = default_font_book()
    for face in ("NotoSerifSC-Regular", "NotoSansSC-Bold", "LXGWWenKai-Regular"):
        assert book.uncovered("喆堃䶮㛃𫖯𬌗〇★□", face) == []
    assert book.uncovered("李😀" + PRIVATE) == ["😀", PRIVATE]


# The first and last ideograph of CJK Extensions B, C, D, E and F, and two name characters of Extension B
# that the Noto and LXGW faces lack.
EXTENSIONS_B_TO_F = "".join(chr(c) for c in (0x20000, 0x2A6D6, 0x2A700, 0x2B734, 0x2B740, 0x2B81D, 0x2B820,
                                             0x2CEA1, 0x2CEB0, 0x2EBE0)) + "𡈼𪚥"


def test_every_extension_b_to_f_ideograph_has_a_face():
    book = default_font_book()
    assert book.uncovered(EXTENSIONS_B_TO_F) == []
    runs = book.split_runs("王𡈼", "NotoSansSC-Bold")
    assert [(face.name, text) for face, text in runs] == [("NotoSansSC-Bold", "王"), ("HanaMinB", "𡈼")]


def test_a_rare_name_prints_and_extracts_exactly(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "rare.pdf"
    report = render_records("name-card-badge", [{"姓名": "王𡈼", "工号": "1"}, {"姓名": "𪚥明", "工号": "2"}], out,
                            formats=("pdf", "docx"))
    assert report.failed == [] and report.rendered == 2
    text = re.sub(r"\s+", "", pdf_text(out)[0])
    assert "王𡈼" in text and "𪚥明" in text
    page = PdfReader(out).pages[0]
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("HanaMinB") for name in fonts)
    # The name is bold; HanaMin B has no bold, so its characters are thickened as word processors do.
    assert page.get_contents().get_data().count(b"2 Tr") == 2
    with zipfile.ZipFile(tmp_path / "rare.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    # the document's own subset of the face: the family followed by the document's tag
    rare_runs = re.findall(r"<w:r><w:rPr><w:rFonts w:ascii=\"HanaMinB [0-9A-F]{8}\"[^>]*/>(.*?)</w:rPr>", document)
    # Each name twice: in the Word 2010 text box and in its VML fallback.
    assert len(rare_runs) == 4 and all(props.startswith("<w:b/>") for props in rare_runs)


def test_font_dir_comes_before_the_last_resort_face(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    make_font(fonts / "MySong.ttf", "MySong", "𡈼")
    book = FontBook(extra_dirs=[fonts])
    assert [face.name for face, _ in book.split_runs("王𡈼", "NotoSerifSC-Regular")] == ["NotoSerifSC-Regular",
                                                                                       "MySong"]


def test_font_dir_fills_what_the_bundled_fonts_lack(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    make_font(fonts / "Extra.ttf", "Extra", PRIVATE)
    book = FontBook(extra_dirs=[fonts])
    runs = book.split_runs(f"王{PRIVATE}喆", "NotoSerifSC-Regular")
    assert [(face.name, text) for face, text in runs] == [
        ("NotoSerifSC-Regular", "王"), ("Extra", PRIVATE), ("NotoSerifSC-Regular", "喆")]
    out = tmp_path / "x.pdf"
    report = render_records("pledge-card", [{"姓名": f"王{PRIVATE}喆"}], out, book=book)
    assert report.failed == []
    assert f"王{PRIVATE}喆" in re.sub(r"\s+", "", pdf_text(out)[0])


def test_without_the_font_the_record_fails_naming_the_code_point(tmp_path):
    report = render_records("pledge-card", [{"姓名": f"王{PRIVATE}"}, {"姓名": "李堃"}], tmp_path / "y.pdf")
    assert report.rendered == 1
    assert "U+E000" in str(report.failed[0]) and report.failed[0].row == 1


def test_cff_fonts_in_font_dir_are_skipped_with_a_reason(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "Broken.otf").write_bytes(b"OTTO not really a font")
    book = FontBook(extra_dirs=[fonts])
    assert "Broken" not in book.faces
    assert any("Broken.otf" in reason for reason in book.skipped)


def test_font_collections_are_read_face_by_face_and_restricted_faces_left_out(tmp_path):
    """Windows keeps 宋体 in simsun.ttc: a .ttc in --font-dir gives each of its faces."""
    members = tmp_path / "members"
    members.mkdir()
    make_font(members / "a.ttf", "Coll Song", PRIVATE)
    make_font(members / "b.ttf", "Coll Locked", PRIVATE, fs_type=0x0002)  # licence: no embedding
    collection = TTCollection()
    collection.fonts = [TTFont(members / "a.ttf"), TTFont(members / "b.ttf")]
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    collection.save(fonts / "coll.ttc")

    book = FontBook(extra_dirs=[fonts])
    assert book.extra_order == ["CollSong"]
    assert book.skipped == ["coll.ttc（CollLocked）：字体授权不允许嵌入文件，未使用"]

    out = tmp_path / "x.pdf"
    report = render_records("pledge-card", [{"姓名": f"王{PRIVATE}"}], out, book=book, formats=("pdf", "docx"))
    assert report.failed == []
    assert f"王{PRIVATE}" in re.sub(r"\s+", "", pdf_text(out)[0])
    with zipfile.ZipFile(tmp_path / "x.docx") as package:
        table = package.read("word/fontTable.xml").decode("utf-8")
        assert re.search(r'<w:font w:name="Coll Song [0-9A-F]{8}">(?:(?!</w:font>).)*<w:embedRegular ', table, re.S)
        embedded = [name for name in package.namelist() if name.startswith("word/fonts/")]
    assert len(embedded) >= 2  # Noto Serif SC and the collection's face


def test_font_dir_reasons_reach_the_clerk(tmp_path, capsys):
    from formgen.cli.main import main

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "Broken.ttf").write_bytes(b"not a font")
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名\n1,王喆\n", encoding="utf-8")
    assert main(["check", "pledge-card", str(roster), "--font-dir", str(fonts)]) == 0
    err = capsys.readouterr().err
    assert "中没有可用的 TrueType 字体" in err and "Broken.ttf：无法作为字体读取" in err


@pytest.mark.parametrize("name", ["NotoSansSC-Regular", "HanaMinB"])
def test_the_book_s_advances_are_the_font_s_for_every_character(name):
    """The book keeps each face's advances in arrays (read back from the cache folder): every character
    of the font's character map is covered, with its advance; nothing else is."""
    face = default_font_book().face(name)
    with TTFont(str(face.path), lazy=True) as font:
        advances = font["hmtx"].metrics
        expected = {code: advances[glyph][0] for code, glyph in font.getBestCmap().items()}
    widths = face._metrics.widths
    assert len(widths) == len(expected)
    assert all(widths.get(code) == advance for code, advance in expected.items())
    for code in (0, 0xE000, 0x10FFFF, max(expected) + 1):
        assert (code in widths) == (code in expected)


def test_in_every_layout_a_character_no_font_has_fails_only_its_record_naming_it():
    """Whatever element meets the character first — text, a table cell measured for its row height, a
    choice — the record fails naming the character, never as an internal error, and nothing draws it."""
    from formgen.api import Job, compose
    from formgen.describe import describe
    from formgen.input.layouts import load_layout
    from formgen.resources import LAYOUTS_DIR

    for name in sorted(path.stem for path in LAYOUTS_DIR.glob("*.yaml")):
        layout = load_layout(name)
        fields = layout.fields()
        base = {**{field: "" for field in fields}, **{column: "值" for column in layout.spec.required}}
        plain = compose(Job(name), [{**base, field: "值"} for field in fields]).report
        text_fields = [f for row, f in enumerate(fields, 1) if row not in {p.row for p in plain.failed}]
        hostile = compose(Job(name), [{**base, field: f"值{PRIVATE}"} for field in text_fields])
        for problem in hostile.report.failed:
            assert "U+E000" in problem.message and "内部错误" not in problem.message, (name, str(problem))
            assert problem.column in (text_fields[problem.row - 1], None), (name, str(problem))
        drawn = [line for line in describe(hostile.document.pages).splitlines()
                 if not line.lstrip().startswith(("qr ", "page "))]  # a QR code's content and the page's
        # label (whose record it is) are data, not drawn text
        assert not [line for line in drawn if PRIVATE in line or "\\ue000" in line], name


def test_an_ideographic_variation_selector_prints_the_usual_form_and_says_so(tmp_path):
    """葛 + U+E0100 (a registry's variant form): the record prints 葛, in the PDF and the DOCX, and a warning
    names the column and the character, instead of failing as a character no font has."""
    out = tmp_path / "ivs.pdf"
    report = render_records("name-card-badge", [{"姓名": "葛\U000E0100亮", "工号": "1"}, {"姓名": "王喆", "工号": "2"}],
                            out, formats=("pdf", "docx"))
    assert report.failed == [] and report.rendered == 2
    notices = [p for p in report.warnings if p.column == "姓名"]
    assert [(p.row, p.who) for p in notices] == [(1, "葛\U000E0100亮")]
    assert "“葛”后带有异体字选择符（U+E0100）" in notices[0].message and "印为通常的“葛”" in notices[0].message
    assert "葛亮" in re.sub(r"\s+", "", pdf_text(out)[0])
    with zipfile.ZipFile(tmp_path / "ivs.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "葛" in document and "\U000E0100" not in document
