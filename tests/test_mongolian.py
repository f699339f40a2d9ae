"""Traditional Mongolian: shaped as HarfBuzz shapes it, drawn glyph for glyph, columns left to right, the
text layer giving the input back, and records with missing or mis-encoded Mongolian failing by name.

Nobody on the project reads Mongolian, so the reference is HarfBuzz itself: `hb-shape` (the command line
tool, not the library formgen uses) shaping each word horizontally with the bundled font.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from formgen.api import Job, compose, render
from formgen.document import ShapedText
from formgen.fonts import MONGOLIAN_FACE, default_font_book
from formgen.input.org import load_org
from formgen.input.records import canonical_header
from formgen.resources import FONTS_DIR, SAMPLES_DIR

FONT = FONTS_DIR / f"{MONGOLIAN_FACE}.ttf"
NNBSP, MVS, FVS1 = "\u202f", "\u180e", "\u180b"
WORDS = {
    "mongol": "ᠮᠣᠩᠭᠣᠯ",
    "ordos": "ᠣᠷᠳᠣᠰ",
    "suffix after NNBSP": "ᠬᠣᠲᠠ" + NNBSP + "ᠶᠢᠨ",
    "MVS": "ᠰᠠᠷᠠᠨᠭᠤᠸ" + MVS + "ᠠ",
    "FVS1": "ᠠᠳ" + FVS1 + "ᠤᠭᠤ",
}


def hb_shape(text: str) -> list[dict]:
    """hb-shape's horizontal shaping of text with the bundled font: glyph id, cluster, advance, offsets."""
    tool = shutil.which("hb-shape")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("hb-shape (apt: libharfbuzz-bin) is required in CI for the Mongolian shaping tests")
        pytest.skip("hb-shape (apt: libharfbuzz-bin) is not installed: shaping not compared")
    out = subprocess.run([tool, "--no-glyph-names", "--output-format=json", "--direction=ltr", "--script=Mong",
                          "--language=mn", "--cluster-level=1", str(FONT), text],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def layout_file(folder: Path, elements: list[dict], size=(120, 120)) -> Path:
    path = folder / "mn-test.yaml"
    path.write_text(yaml.safe_dump({"name": "mn-test", "title": "测试", "page": {"size": list(size),
                                    "margins": [0, 0, 0, 0]}, "elements": elements}, allow_unicode=True),
                    encoding="utf-8")
    return path


def mongolian(name: str, box, text: str = "{{ 蒙文姓名 }}", **extra) -> dict:
    return {"kind": "mongolian", "name": name, "box": box, "text": text, **extra}


class DrawnGlyph:
    def __init__(self, keys: set[int], x: float, y: float, matrix: tuple):
        self.ids, self.x, self.y, self.matrix = keys, x, y, matrix


def _outline_index(font: TTFont) -> tuple[dict, dict]:
    """Glyph outline + advance → the ids of the glyphs with that outline, for a font's glyphs."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    by_key: dict = {}
    for gid, name in enumerate(font.getGlyphOrder()):
        coords, ends, _ = glyf[name].getCoordinates(glyf)
        by_key.setdefault((tuple(map(tuple, coords)), tuple(ends), hmtx[name][0]), set()).add(gid)
    return by_key, {name: gid for gid, name in enumerate(font.getGlyphOrder())}


@pytest.fixture(scope="module")
def original_outlines():
    return _outline_index(TTFont(FONT))[0]


def drawn_glyphs(pdf: Path, original_outlines: dict, page: int = 0) -> tuple[list[DrawnGlyph], list[str]]:
    """The Mongolian glyphs a PDF page draws, in order, each as the set of original glyph ids with its
    outline and advance; and the ActualText of its marked-content spans."""
    reader = PdfReader(str(pdf))
    pdf_page = reader.pages[page]
    fonts = {}
    for name, ref in pdf_page["/Resources"]["/Font"].items():
        font = ref.get_object()
        if MONGOLIAN_FACE in str(font["/BaseFont"]):
            subset = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
            cmap = subset["cmap"].getcmap(1, 0).cmap
            glyf, hmtx = subset["glyf"], subset["hmtx"]
            keys = {}
            for code, glyph_name in cmap.items():
                coords, ends, _ = glyf[glyph_name].getCoordinates(glyf)
                key = (tuple(map(tuple, coords)), tuple(ends), hmtx[glyph_name][0])
                keys[code] = original_outlines.get(key, {-1}) if glyph_name != ".notdef" else {0}
            fonts[name] = keys
    glyphs, actual = [], []
    current, matrix = None, (1, 0, 0, 1, 0, 0)
    for operands, operator in ContentStream(pdf_page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = fonts.get(operands[0])
        elif operator == b"Tm":
            matrix = tuple(float(v) for v in operands)
        elif operator == b"BDC" and "/ActualText" in operands[1]:
            actual.append(str(operands[1]["/ActualText"]))
        elif operator == b"Tj" and current is not None:
            data = operands[0] if isinstance(operands[0], bytes) else operands[0].original_bytes
            for code in data:
                glyphs.append(DrawnGlyph(current.get(code, {0}), matrix[4], matrix[5], matrix))
    return glyphs, actual


@pytest.fixture(scope="module")
def words_pdf(tmp_path_factory):
    """Each sample word in a column of its own (vertical), and once more set horizontally."""
    folder = tmp_path_factory.mktemp("mn")
    elements = [mongolian(f"w{i}", [5 + 12 * i, 5, 11, 110], f"{{{{ record['w{i}'] }}}}", size=16, wrap=False)
                for i in range(len(WORDS))]
    elements.append(mongolian("horizontal", [5, 100, 110, 12], "{{ record['w0'] }}", size=16,
                              direction="horizontal", wrap=False))
    layout = layout_file(folder, elements)
    record = {"姓名": "测试", **{f"w{i}": word for i, word in enumerate(WORDS.values())}}
    out = folder / "words.pdf"
    composition = compose(Job(layout), [record])
    assert composition.report.failed == []
    render(Job(layout), [record], out)
    return composition.document.pages[0], out


@pytest.mark.parametrize("label", list(WORDS))
def test_the_page_model_carries_hb_shapes_glyphs(words_pdf, label):
    page, _ = words_pdf
    index = list(WORDS).index(label)
    item = next(i for i in page.items if isinstance(i, ShapedText) and i.name == f"w{index}")
    reference = hb_shape(WORDS[label])
    scale = item.size / 1000
    assert [g.id for g in item.runs[0].glyphs] == [g["g"] for g in reference]
    assert [round(g.advance / scale) for g in item.runs[0].glyphs] == [g["ax"] for g in reference]
    assert [(round(g.dx / scale), round(g.dy / scale)) for g in item.runs[0].glyphs] == \
        [(g["dx"], g["dy"]) for g in reference]


def test_a_suffix_after_nnbsp_takes_its_suffix_form():
    """The same suffix after a plain space (a word of its own) is shaped otherwise: NNBSP is honoured."""
    joined = hb_shape("ᠬᠣᠲᠠ" + NNBSP + "ᠶᠢᠨ")
    apart = hb_shape("ᠬᠣᠲᠠ ᠶᠢᠨ")
    assert joined[5]["g"] != apart[5]["g"]


@pytest.mark.parametrize("label", list(WORDS))
def test_the_pdf_draws_exactly_hb_shapes_glyphs(words_pdf, original_outlines, label):
    """Read back from the PDF's embedded subset: every glyph drawn has the outline and advance of the
    glyph hb-shape chose, in its order; none is .notdef."""
    _, pdf = words_pdf
    glyphs, _ = drawn_glyphs(pdf, original_outlines)
    reference = [g["g"] for g in hb_shape(WORDS[label])]
    start = sum(len(hb_shape(word)) for word in list(WORDS.values())[:list(WORDS).index(label)])
    drawn = glyphs[start:start + len(reference)]
    assert len(drawn) == len(reference)
    for glyph, expected in zip(drawn, reference):
        assert 0 not in glyph.ids and -1 not in glyph.ids
        assert expected in glyph.ids


def test_columns_run_left_to_right_and_each_reads_downwards(words_pdf, original_outlines):
    _, pdf = words_pdf
    glyphs, _ = drawn_glyphs(pdf, original_outlines)
    vertical = [g for g in glyphs if g.matrix[:4] == (0, -1, 1, 0)]
    counts = [len(hb_shape(word)) for word in WORDS.values()]
    columns, start = [], 0
    for count in counts:
        columns.append(vertical[start:start + count])
        start += count
    lefts = [column[0].x for column in columns]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    for column in columns:
        ys = [g.y for g in column]
        assert all(a >= b for a, b in zip(ys, ys[1:]))  # PDF y grows upwards: the pen moves down the page
        assert len({g.x for g in column}) == 1  # one baseline per column (no offsets in these words)
    horizontal = [g for g in glyphs if g.matrix[:4] == (1, 0, 0, 1)]
    assert len(horizontal) == counts[0]
    assert [g.x for g in horizontal] == sorted(g.x for g in horizontal)


def test_the_text_layer_gives_the_input_back(words_pdf):
    _, pdf = words_pdf
    _, actual = drawn_glyphs(pdf, {})
    assert actual == list(WORDS.values()) + [WORDS["mongol"]]
    # and the glyphs' own mapping (ToUnicode), for readers that ignore ActualText
    text = PdfReader(str(pdf)).pages[0].extract_text()
    for word in WORDS.values():
        assert word in text


def test_the_mongolian_font_is_embedded_as_a_subset(words_pdf):
    _, pdf = words_pdf
    page = PdfReader(str(pdf)).pages[0]
    fonts = [ref.get_object() for ref in page["/Resources"]["/Font"].values()]
    mongolian_fonts = [f for f in fonts if MONGOLIAN_FACE in str(f["/BaseFont"])]
    assert mongolian_fonts and all("/FontFile2" in f["/FontDescriptor"] for f in mongolian_fonts)
    assert all(str(f["/BaseFont"]).split("+")[0].isupper() for f in mongolian_fonts)  # subset tag


def test_lines_break_at_spaces_only_never_at_nnbsp(tmp_path):
    words = ["ᠮᠣᠩᠭᠣᠯ", "ᠤᠯᠤᠰ" + NNBSP + "ᠤᠨ", "ᠣᠷᠳᠣᠰ", "ᠬᠣᠲᠠ" + NNBSP + "ᠶᠢᠨ"]
    layout = layout_file(tmp_path, [mongolian("mn", [10, 10, 60, 30], size=20)])
    composition = compose(Job(layout), [{"姓名": "测", "蒙文姓名": " ".join(words)}])
    item = composition.document.pages[0].items[0]
    assert len(item.runs) > 1
    assert " ".join(run.text for run in item.runs) == " ".join(words)
    assert all(run.text.split(" ")[0] in words for run in item.runs)  # every line starts with a whole word
    xs = [run.x for run in item.runs]
    assert xs == sorted(xs)  # columns placed left to right
    assert all(run.length <= item.box.h + 0.01 for run in item.runs)


def _failure(tmp_path, value, **extra):
    layout = layout_file(tmp_path, [mongolian("name-mn", [10, 10, 20, 80], **extra)])
    composition = compose(Job(layout), [{"姓名": "巴特尔", "蒙文姓名": value}])
    assert composition.document.pages == ()
    (problem,) = composition.report.failed
    return problem


def test_a_missing_mongolian_name_fails_that_record_by_name(tmp_path):
    problem = _failure(tmp_path, "")
    assert problem.who == "巴特尔" and problem.column == "蒙文姓名"
    assert "蒙古文为空" in problem.message


def test_a_missing_profile_name_names_the_profile_key(tmp_path):
    layout = layout_file(tmp_path, [mongolian("org-mn", [10, 10, 20, 80], "{{ org.organisation_mn }}")])
    composition = compose(Job(layout, org=load_org(None)), [{"姓名": "巴特尔"}])
    (problem,) = composition.report.failed
    assert "organisation_mn" in problem.message and "--org" in problem.message


def test_menksoft_encoded_text_is_named_with_what_to_do(tmp_path):
    problem = _failure(tmp_path, "\ue26c\ue2b3\ue2f1")
    assert "蒙科立" in problem.message and "U+E26C" in problem.message and "Unicode" in problem.message
    assert problem.column == "蒙文姓名"


def test_chinese_or_cyrillic_in_a_mongolian_column_fails(tmp_path):
    assert "不是传统蒙古文" in _failure(tmp_path, "巴特尔").message
    assert "西里尔" in _failure(tmp_path, "Батаа").message


def test_a_character_the_mongolian_font_lacks_fails_rather_than_printing_tofu(tmp_path):
    problem = _failure(tmp_path, "ᠪᠠᠭᠠᠲᠤᠷ7")
    assert "U+0037" in problem.message


def test_roster_headers_for_the_mongolian_name():
    for header in ("蒙文姓名", "蒙古文姓名", "姓名（蒙文）", "姓名(蒙古文)", "name_mn"):
        assert canonical_header(header) == "蒙文姓名"
    assert canonical_header("姓名") == "姓名"


BILINGUAL = ("certificate-mn", "name-card-mn", "name-card-badge-mn", "study-reminder-mn")


@pytest.fixture(scope="module")
def bilingual_records():
    import csv

    with open(SAMPLES_DIR / "roster-mn.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    letter = {"季度": "2024Q3", "政治理论": 25, "业务知识": 30, "总分": 55, "及格线": 60,
              "薄弱科目": [{"科目": "政治理论", "得分": 25, "及格线": 30, "差距": 5}], "学习内容": ["党章党规"],
              "复测日期": "2024-10-20"}
    return rows, [dict(row, **letter) for row in rows]


@pytest.mark.parametrize("layout", BILINGUAL)
def test_each_bilingual_layout_prints_every_mongolian_name(tmp_path, bilingual_records, layout):
    rows, letter_rows = bilingual_records
    records = letter_rows if layout == "study-reminder-mn" else rows
    out = tmp_path / f"{layout}.pdf"
    report = render(Job(layout, org=load_org(SAMPLES_DIR / "org.yaml")), records, out)
    assert report.failed == [] and report.rendered == len(records)
    reader = PdfReader(str(out))
    _, actual = zip(*[drawn_glyphs(out, {}, n) for n in range(len(reader.pages))]) if reader.pages else ((), ())
    spans = [text for page in actual for text in page]
    org = load_org(SAMPLES_DIR / "org.yaml")
    if layout == "study-reminder-mn":
        assert spans.count(org["letterhead_mn"]) == len(records) or len(spans) >= len(records)
    else:
        for row in rows:
            assert any(row["蒙文姓名"] == span for span in spans)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "\ufffd" not in text


def test_the_proof_sheet_lists_every_mongolian_string(tmp_path, bilingual_records):
    from formgen.api.proof import proof

    rows, _ = bilingual_records
    job = Job("name-card-mn", org=load_org(SAMPLES_DIR / "org.yaml"))
    out = tmp_path / "proof.pdf"
    report = proof(job, rows + [{"姓名": "无蒙文", "蒙文姓名": ""}], out)
    printed = {(item.name, " ".join(run.text for run in item.runs))
               for page in compose(job, rows).document.pages for item in page.items if isinstance(item, ShapedText)}
    listed = {(entry.element, entry.mongolian) for entry in report.entries}
    assert listed == printed
    organisation = [e for e in report.entries if e.element == "organisation-mn"]
    assert len(organisation) == 1 and organisation[0].count == len(rows)  # a shared string once
    reader = PdfReader(str(out))
    _, spans = zip(*[drawn_glyphs(out, {}, n) for n in range(len(reader.pages))])
    shown = " ".join(text for page in spans for text in page)  # one span per printed column
    for _, mongolian in printed:
        assert mongolian in shown
    text = "".join(page.extract_text() for page in reader.pages)
    for row in rows:
        assert row["姓名"] in text
    assert "无蒙文" in text and "为空" in text  # the failed record is named on the sheet
    assert "校对人" in text and "签字" in text


def test_the_chinese_path_is_unchanged_by_the_mongolian_face():
    """The Mongolian face stands in for no Chinese character: it is in no fallback chain."""
    book = default_font_book()
    assert all(face.name != MONGOLIAN_FACE for face in book.chain("NotoSerifSC-Regular"))


# ---- DOCX ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate_both(tmp_path_factory, bilingual_records):
    rows, _ = bilingual_records
    folder = tmp_path_factory.mktemp("mn-docx")
    from formgen.api import Output

    job = Job("certificate-mn", org=load_org(SAMPLES_DIR / "org.yaml"))
    report = render(job, rows[:2], Output(folder / "c.pdf", ("pdf", "docx")))
    assert report.failed == []
    return compose(job, rows[:2]).document, folder / "c.pdf", folder / "c.docx"


def test_docx_holds_each_column_as_a_vertical_text_box_placed_left_to_right(certificate_both):
    import re
    import zipfile

    document, _, docx = certificate_both
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    anchors = re.findall(r'<wp:positionH relativeFrom="page"><wp:posOffset>(-?\d+)</wp:posOffset>.*?'
                         r'<w:txbxContent>(.*?)</w:txbxContent>.*?vert="(\w+)"', xml)
    boxes = [(x, content) for x, content, vert in anchors if vert == "mongolianVert"]
    shaped = [item for page in document.pages for item in page.items if isinstance(item, ShapedText)]
    runs = [run for item in shaped for run in item.runs]
    assert len(boxes) == len(runs)
    texts = ["".join(re.findall(r"<w:t[^>]*>(.*?)</w:t>", content)) for _, content in boxes]
    assert texts == [run.text for run in runs]  # one column per box, in the composer's order
    start = 0
    for item in shaped:
        xs = [int(x) for x, _ in boxes[start:start + len(item.runs)]]
        assert xs == sorted(xs)
        start += len(item.runs)
    for _, content in boxes:
        assert 'w:lang w:val="mn-Mong-CN"' in content
        # the document's own subset of the face: its family followed by the document's tag
        assert all(re.search(f'w:{slot}="Noto Sans Mongolian [0-9A-F]{{8}}"', content)
                   for slot in ("ascii", "hAnsi", "eastAsia", "cs"))


def test_docx_embeds_the_mongolian_font_with_its_shaping_tables(certificate_both):
    import re
    import zipfile

    from formgen.writers.docx.fonts import deobfuscate

    _, _, docx = certificate_both
    package = zipfile.ZipFile(docx)
    table = package.read("word/fontTable.xml").decode("utf-8")
    entry = re.search(r'<w:font w:name="Noto Sans Mongolian [0-9A-F]{8}">.*?<w:embedRegular r:id="(\w+)" w:fontKey="([^"]+)"',
                      table)
    assert entry
    rels = package.read("word/_rels/fontTable.xml.rels").decode("utf-8")
    target = re.search(rf'Id="{entry.group(1)}"[^>]*Target="([^"]+)"', rels).group(1)
    font = TTFont(io.BytesIO(deobfuscate(package.read(f"word/{target}"), entry.group(2))))
    cmap = font.getBestCmap()
    assert all(code in cmap for code in (0x1820, 0x1842, 0x202F, 0x180E, 0x180B))
    assert {"init", "medi", "fina", "isol"} <= {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}


def test_libreoffice_draws_the_mongolian_where_the_pdf_has_it(certificate_both, tmp_path):
    """LibreOffice shapes the DOCX's Mongolian itself: its ink in the Mongolian part of the certificate
    matches the PDF's, pixel for pixel within half a millimetre."""
    import pypdfium2
    from PIL import ImageChops, ImageFilter

    from .test_docx_libreoffice import convert

    _, pdf, docx = certificate_both
    converted = convert(docx, tmp_path)
    dpi = 100
    box = tuple(round(v / 25.4 * dpi) for v in (20, 25, 108, 185))  # the Mongolian columns, in mm

    def ink(path):
        page = pypdfium2.PdfDocument(str(path))[0]
        image = page.render(scale=dpi / 72).to_pil().convert("L").crop(box)
        return image.point(lambda v: 255 if v < 160 else 0)

    ours, theirs = ink(pdf), ink(converted)
    grown_ours, grown_theirs = (im.filter(ImageFilter.MaxFilter(5)) for im in (ours, theirs))

    def count(im):
        return sum(im.histogram()[128:])

    missing = count(ImageChops.subtract(ours, grown_theirs))
    extra = count(ImageChops.subtract(theirs, grown_ours))
    assert count(ours) > 2000  # there is Mongolian to compare
    assert missing / count(ours) < 0.03 and extra / count(theirs) < 0.03


def test_a_glyph_that_stands_for_no_character_of_its_own_still_maps_to_unicode(tmp_path):
    """ᠭ with FVS2 is drawn as two glyphs for one letter (the letter and an extension stroke): the
    ActualText gives the word back, and every code of the subset maps to some text (PDF/A-2u)."""
    word = "ᠭ\u180cᠠ"
    assert len({g["cl"] for g in hb_shape(word)}) < len(hb_shape(word))  # a cluster of several glyphs
    layout = layout_file(tmp_path, [mongolian("mn", [10, 10, 20, 80], size=20)])
    out = tmp_path / "fvs2.pdf"
    assert render(Job(layout), [{"姓名": "测", "蒙文姓名": word}], out).failed == []
    _, actual = drawn_glyphs(out, {})
    assert actual == [word]
    page = PdfReader(str(out)).pages[0]
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        if MONGOLIAN_FACE in str(font["/BaseFont"]):
            cmap = font["/ToUnicode"].get_data().decode("latin-1")
            assert "<>" not in cmap and "200D" in cmap
