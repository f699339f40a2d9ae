"""The DOCX read back: editable text, fonts in all four slots and embedded, native tables, valid package."""
from __future__ import annotations

import io
import struct
import zipfile
from xml.etree import ElementTree

import docx
import pytest
from fontTools.ttLib import TTFont

from formgen.fonts import default_font_book
from formgen.input.org import load_org
from formgen.units import mm
from formgen.writers.docx.fonts import deobfuscate, font_key, obfuscate

from .conftest import RARE_NAMES, pdf_chars, render_records
from .docx_reading import emf_paths, emf_points, emf_records, view

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def cards(tmp_path_factory, module_inputs):
    roster, photos, org = module_inputs
    out = tmp_path_factory.mktemp("cards") / "cards.docx"
    report = render_records("name-card", roster, out, org=load_org(org), photos=photos, formats=("docx",))
    assert report.failed == []
    return out


def xml_of(path, part: str) -> ElementTree.Element:
    with zipfile.ZipFile(path) as package:
        return ElementTree.fromstring(package.read(part))


def all_text(path) -> str:
    """Every paragraph's text, text boxes included, as python-docx's XML layer holds it."""
    document = docx.Document(str(path))
    return "".join(node.text or "" for node in document.element.body.iter(f"{W}t"))


def test_reopens_and_gives_back_every_name(cards):
    text = all_text(cards)
    for name in RARE_NAMES:
        assert name in text


def test_one_section_per_page_with_exact_size(cards):
    document = docx.Document(str(cards))
    assert len(document.sections) == len(RARE_NAMES)
    for section in document.sections:
        assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5
        assert section.left_margin == 0 and section.top_margin == 0


def test_every_run_names_its_font_in_all_four_slots(cards):
    body = xml_of(cards, "word/document.xml")
    fonts = list(body.iter(f"{W}rFonts"))
    assert fonts
    for element in fonts:
        values = {element.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")}
        assert len(values) == 1 and None not in values


def test_fonts_are_embedded_obfuscated_subsets_with_the_characters_used(cards):
    table = xml_of(cards, "word/fontTable.xml")
    rels = {rel.get("Id"): rel.get("Target") for rel in xml_of(cards, "word/_rels/fontTable.xml.rels")}
    settings = xml_of(cards, "word/settings.xml")
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    embedded = []
    with zipfile.ZipFile(cards) as package:
        types = package.read("[Content_Types].xml").decode()
        assert "application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
        for font in table.iter(f"{W}font"):
            for tag in ("embedRegular", "embedBold"):
                element = font.find(f"{W}{tag}")
                if element is None:
                    continue
                data = package.read("word/" + rels[element.get(f"{R}id")])
                plain = deobfuscate(data, element.get(f"{W}fontKey"))
                face = TTFont(io.BytesIO(plain))
                assert face["name"].getDebugName(1) == font.get(f"{W}name")
                embedded.append((font.get(f"{W}name"), face.getBestCmap(), len(data)))
    families = {name.rsplit(" ", 1)[0] for name, _, _ in embedded}  # each named with the document's tag
    assert {"Noto Serif SC", "Noto Sans SC"} <= families
    serif = [cmap for name, cmap, _ in embedded if name.startswith("Noto Serif SC ")]
    assert any(all(ord(c) in cmap for c in "黄𫖯赵𬌗0123456789") for cmap in serif)
    assert all(size < 2_000_000 for _, _, size in embedded)  # subsets, not whole 15 MB faces


def paragraph_of(path, text: str) -> ElementTree.Element:
    """The paragraph whose runs read exactly text."""
    for paragraph in xml_of(path, "word/document.xml").iter(f"{W}p"):
        if "".join(t.text or "" for t in paragraph.iter(f"{W}t")) == text:
            return paragraph
    raise AssertionError(f"no paragraph reads {text!r}")


def test_paragraphs_state_the_layouts_alignment(cards):
    name = paragraph_of(cards, "王喆")
    assert name.find(f"{W}pPr/{W}jc").get(f"{W}val") == "distribute"
    # The word processor spreads the name; no character spacing is frozen into its runs.
    assert name.find(f".//{W}rPr/{W}spacing") is None
    # The indents leave the width of three characters (34 pt each) in the 104 mm box for the two.
    indent = name.find(f"{W}pPr/{W}ind")
    left, right = int(indent.get(f"{W}left")), int(indent.get(f"{W}right"))
    text_box_width = mm(104) + 72
    assert abs((text_box_width * 20 - left - right) - 3 * 34 * 20) <= 2
    organisation = paragraph_of(cards, "鄂尔多斯市示例能源有限责任公司")
    assert organisation.find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    title = paragraph_of(cards, "技术员")
    assert title.find(f"{W}pPr/{W}jc").get(f"{W}val") == "left"


def test_obfuscation_round_trips_and_changes_the_head():
    data = bytes(range(64))
    key = font_key("Noto Serif SC", False)
    hidden = obfuscate(data, key)
    assert hidden[:32] != data[:32] and hidden[32:] == data[32:]
    assert deobfuscate(hidden, key) == data


def test_drawing_ids_are_unique(cards):
    ids = [element.get("id") for element in xml_of(cards, "word/document.xml").iter(f"{WP}docPr")]
    assert len(ids) == len(set(ids)) > 20


def test_a_table_is_a_native_table_with_merged_cells(tmp_path, org):
    out = tmp_path / "m.docx"
    render_records("monthly-summary", [{"姓名": "王喆", "自评分": 95}], out, org=load_org(org), formats=("docx",))
    with zipfile.ZipFile(out) as package:
        body = ElementTree.fromstring(view(package.read("word/document.xml"), "choice"))
    tables = list(body.iter(f"{W}tbl"))
    assert len(tables) == 1
    table = tables[0]
    assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    widths = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
    assert widths == [round(mm(w) * 20) for w in (38, 54, 34, 54)]
    assert any(e.get(f"{W}val") == "3" for e in table.iter(f"{W}gridSpan"))
    merges = [e.get(f"{W}val") for e in table.iter(f"{W}vMerge")]
    assert merges.count("restart") == 2 and merges.count(None) == 2
    for cell in table.iter(f"{W}tc"):
        assert cell.find(f"{W}p") is not None  # every cell holds a paragraph
    heights = [e.get(f"{W}hRule") for e in table.iter(f"{W}trHeight")]
    assert heights and set(heights) == {"exact"}
    assert "95 分" in all_text(out)


def test_user_text_is_escaped_and_forbidden_characters_never_reach_the_xml(tmp_path):
    out = tmp_path / "x.docx"
    render_records("pledge-card", [{"姓名": "<b>李&明</b>", "职务": "值\x0b长"}], out, formats=("docx",))
    with zipfile.ZipFile(out) as package:
        raw = package.read("word/document.xml").decode()
    ElementTree.fromstring(raw)  # well-formed
    assert "&lt;b&gt;李&amp;明&lt;/b&gt;" in raw and "\x0b" not in raw
    assert "<b>李&明</b>" in all_text(out)


def test_same_input_gives_the_same_bytes(tmp_path, roster, photos, org):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        render_records("name-card", roster, out, org=load_org(org), photos=photos, formats=("docx",))
    assert first.read_bytes() == second.read_bytes()


def turned_pictures(path) -> list[tuple[str, str]]:
    """(alternative text, picture part) of every metafile picture: the turned texts."""
    body = xml_of(path, "word/document.xml")
    rels = {rel.get("Id"): rel.get("Target") for rel in xml_of(path, "word/_rels/document.xml.rels")}
    found = []
    for anchor in body.iter(f"{WP}anchor"):
        blip = anchor.find(f".//{A}blip")
        if blip is not None and rels[blip.get(f"{R}embed")].endswith(".emf"):
            found.append((anchor.find(f"{WP}docPr").get("descr"), rels[blip.get(f"{R}embed")]))
    return found


def test_pictures_are_stored_once(tmp_path, photos, org):
    rows = [{"工号": f"00020{i}", "姓名": f"张{i}", "单位": f"第{i}车间", "照片": "000101.jpg"}
            for i in range(6)]  # one photo, six QR codes, six pledges
    out = tmp_path / "same.docx"
    render_records("name-card", rows, out, org=load_org(org), photos=photos, formats=("docx",))
    with zipfile.ZipFile(out) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len([n for n in media if n.endswith(".jpeg")]) == 1
    # The turned heading is the same on every card and stored once; each pledge names its member.
    turned = turned_pictures(out)
    assert len({part for text, part in turned if text == "党员承诺"}) == 1
    assert len([text for text, _ in turned if text == "党员承诺"]) == 6
    pledges = {text: part for text, part in turned if text.startswith("我是")}
    assert sorted(pledges) == [f"我是第{i}车间党员，我承诺：" for i in range(6)]
    assert len(set(pledges.values())) == 6
    assert len([n for n in media if n.endswith(".emf")]) == len({part for _, part in turned})


def test_pictures_are_named_after_their_element_at_every_use(cards):
    """The selection pane shows a picture by its element's name, its first use too (not its part's)."""
    body = xml_of(cards, "word/document.xml")
    names = [anchor.find(f"{WP}docPr").get("name") for anchor in body.iter(f"{WP}anchor")
             if anchor.find(f".//{A}blip") is not None]
    headings = [n for n in names if n.startswith("pledge-heading ")]
    assert len(headings) == len(list(body.iter(f"{W}sectPr")))  # one on every card
    assert not [n for n in names if n.startswith("media/")]


def test_turned_back_face_is_a_metafile_of_glyph_outlines_where_the_pdf_has_the_text(tmp_path, org):
    """Word plays a metafile with the fonts installed on the PC only: the turned face names no font and
    holds no text, only filled outlines, which stand where the PDF has the turned characters."""
    rows = [{"工号": "000105", "姓名": "黄𫖯", "职务": "党支部书记", "所属党支部": "机关第一党支部"}]
    out = tmp_path / "copy.pdf"
    render_records("name-card", rows, out, org=load_org(org), options={"back": "copy"}, formats=("pdf", "docx"))
    docx_path = out.with_suffix(".docx")
    with zipfile.ZipFile(docx_path) as package:
        assert 'Extension="emf" ContentType="image/x-emf"' in package.read("[Content_Types].xml").decode()
        metafiles = {n: package.read(n) for n in package.namelist() if n.endswith(".emf")}
    for data in metafiles.values():
        kinds = {kind for kind, _ in emf_records(data)}
        assert not kinds & {82, 84, 83}  # no font, no text records of any kind
        assert {59, 60} <= kinds and kinds & {62, 63}  # paths, filled
    turned = dict(turned_pictures(docx_path))
    assert {"黄𫖯", "党支部书记", "机关第一党支部"} <= set(turned)
    # Where the name's outlines land on the page, against where the PDF has the name turned upside down.
    body = xml_of(docx_path, "word/document.xml")
    anchor = next(a for a in body.iter(f"{WP}anchor") if a.find(f"{WP}docPr").get("descr") == "黄𫖯")
    left = int(anchor.find(f"{WP}positionH/{WP}posOffset").text) / 12700
    top = int(anchor.find(f"{WP}positionV/{WP}posOffset").text) / 12700
    points = emf_points(metafiles["word/" + turned["黄𫖯"]])
    to_pt = 72 / 2540
    xs = [left + x * to_pt for x, _ in points]
    ys = [top + y * to_pt for _, y in points]
    chars = [c for c in pdf_chars(out) if c["text"] in "黄𫖯" and c["matrix"][0] < 0]
    assert len(chars) == 2
    # The outlines lie within the turned characters' em boxes (1 mm of slack) and fill most of them.
    x0, x1 = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
    y0, y1 = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
    assert x0 - mm(1) <= min(xs) and max(xs) <= x1 + mm(1)
    assert y0 - mm(1) <= min(ys) and max(ys) <= y1 + mm(1)
    assert max(xs) - min(xs) > 0.8 * (x1 - x0) and max(ys) - min(ys) > 0.7 * (y1 - y0)
    # Both characters are drawn: outlines on both halves of the spread-out name.
    middle = (x0 + x1) / 2
    assert any(x < middle - mm(5) for x in xs) and any(x > middle + mm(5) for x in xs)


def turned_item(width: float, fake_bold: bool = False):
    from formgen.document import Run, Text, TextLine
    from formgen.units import Box

    run = Run("党员", "NotoSerifSC-Regular", 0.0, 24.0, fake_bold=fake_bold)
    return Text(Box(10, 10, width, 30), (TextLine((run,), 0.0, 20.0, 24.0),), 12.0, 14.0, rotation=180)


def square(face, char):
    """A stand-in outline: the em square, so that every glyph's place is known exactly."""
    return (("M", (0.0, 0.0)), ("L", (1.0, 0.0)), ("L", (1.0, 1.0)), ("L", (0.0, 1.0)), ("Z",))


def test_a_face_without_bold_is_emboldened_by_stroking_its_outline():
    from formgen.writers.docx.emf import turned_text_emf

    plain = {kind for kind, _ in emf_records(turned_text_emf(turned_item(100), square, lambda f, c: 12.0,
                                                             (0, 0, 0, 0)))}
    bold = emf_records(turned_text_emf(turned_item(100, fake_bold=True), square, lambda f, c: 12.0, (0, 0, 0, 0)))
    assert 62 in plain and 63 not in plain and 38 not in plain  # filled only
    pens = [body for kind, body in bold if kind == 38]
    assert len(pens) == 1 and {kind for kind, _ in bold} >= {63}
    assert struct.unpack_from("<I", pens[0], 8)[0] == round(12 / 30 * 2540 / 72)  # a thirtieth of the size


def test_turned_outlines_stand_turned_about_the_box_centre_in_16_or_32_bit_records():
    from formgen.writers.docx.emf import turned_text_emf

    small = turned_text_emf(turned_item(100), square, lambda f, c: 12.0, (0, 0, 0, 0))
    kinds = {kind for kind, _ in emf_records(small)}
    assert 89 in kinds and 6 not in kinds  # 16-bit line records: every coordinate fits
    # Two squares merged into one 24 × 12 pt bar; the line's baseline is 20 pt below the box top, so
    # turned about the 30 pt high box, the bar runs from 10 to 22 pt below the top, over the whole width.
    xs = [x for x, _ in emf_points(small)]
    ys = [y for _, y in emf_points(small)]
    to_units = 2540 / 72
    assert (min(xs), max(xs)) == (round(76 * to_units), round(100 * to_units))
    assert (min(ys), max(ys)) == (round(10 * to_units), round(22 * to_units))
    wide = turned_text_emf(turned_item(1000), square, lambda f, c: 12.0, (0, 0, 0, 0))
    kinds = {kind for kind, _ in emf_records(wide)}
    assert 6 in kinds and 89 not in kinds  # a picture over 327 mm wide needs 32-bit coordinates


def filled_area(figures, even_odd: bool) -> float:
    """The area a path's figures cover when filled by the even-odd or the non-zero rule (Skia's)."""
    import pathops

    path = pathops.Path()
    path.fillType = pathops.FillType.EVEN_ODD if even_odd else pathops.FillType.WINDING
    for figure in figures:
        for kind, points in figure:
            if kind == "M":
                path.moveTo(*points[0])
            elif kind == "L":
                for point in points:
                    path.lineTo(*point)
            else:
                for k in range(0, len(points), 3):
                    path.cubicTo(*points[k], *points[k + 1], *points[k + 2])
        path.close()
    path.simplify()
    return path.area


def test_turned_faces_fill_the_same_by_the_even_odd_rule(tmp_path, org):
    """LibreOffice fills metafile paths by the even-odd rule whatever they ask: overlapping strokes
    within a glyph (Noto Serif SC draws most ideographs so) and glyphs reaching into each other (the
    rows of ＿ of a pledge left blank) must not leave holes, i.e. cover the same area by either rule."""
    rows = [{"工号": "000105", "姓名": "黄𫖯", "职务": "党支部书记", "所属党支部": "机关第一党支部"}]
    for back in ("pledge", "copy"):
        out = tmp_path / f"{back}.docx"
        render_records("name-card", rows, out, org=load_org(org), options={"back": back}, formats=("docx",))
        with zipfile.ZipFile(out) as package:
            metafiles = [package.read(n) for n in package.namelist() if n.endswith(".emf")]
        assert len(metafiles) >= 3
        for data in metafiles:
            for figures in emf_paths(data):
                non_zero = filled_area(figures, even_odd=False)
                assert non_zero > 0
                assert filled_area(figures, even_odd=True) == pytest.approx(non_zero, rel=1e-4)


def test_glyphs_that_overlap_their_neighbours_are_merged():
    from formgen.writers.docx.emf import turned_text_emf

    # 12 pt squares 6 pt apart: two overlap by half, covering 18 × 12 pt.
    data = turned_text_emf(turned_item(100), square, lambda f, c: 6.0, (0, 0, 0, 0))
    [figures] = emf_paths(data)
    expected = 18 * 12 * (2540 / 72) ** 2
    assert filled_area(figures, even_odd=True) == pytest.approx(expected, rel=1e-3)
    assert filled_area(figures, even_odd=False) == pytest.approx(expected, rel=1e-3)


def _flattened(outline, steps: int) -> list[list[tuple[float, float]]]:
    """An outline's contours as polylines, each cubic curve cut into steps lines."""
    contours, current, last = [], [], (0.0, 0.0)
    for segment in outline:
        kind = segment[0]
        if kind == "M":
            current, last = [segment[1]], segment[1]
        elif kind == "L":
            current.append(segment[1])
            last = segment[1]
        elif kind == "C":
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = last, *segment[1:]
            for i in range(1, steps + 1):
                t = i / steps
                u = 1 - t
                current.append((u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
                                u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3))
            last = segment[3]
        else:
            contours.append(current + current[:1])
    return contours


def _distance_to_segments(point, segments) -> float:
    px, py = point
    best = float("inf")
    for (ax, ay), (bx, by) in segments:
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
        best = min(best, (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2)
    return best ** 0.5


def test_glyph_outlines_are_drawn_by_fewer_curves_within_a_thousandth_of_an_em(monkeypatch):
    """The turned faces' metafiles draw each run of a font's quadratic curves by as few cubic ones as
    stay within 0.001 em of it (a fifth of a printer dot at 22 pt): every point of the drawn outline
    lies that close to the font's own, and far fewer points are written."""
    from formgen.writers.docx import outlines

    book = default_font_book()
    fitted = outlines.GlyphOutlines(book)
    monkeypatch.setattr(outlines, "OUTLINE_TOLERANCE", 0.0)
    exact = outlines.GlyphOutlines(book)
    for face in ("LXGWWenKai-Regular", "NotoSerifSC-Regular"):
        written = {"exact": 0, "fitted": 0}
        for char in "党承诺严纪律":
            font_outline = exact.outline(face, char)
            monkeypatch.setattr(outlines, "OUTLINE_TOLERANCE", 0.001)
            drawn = fitted.outline(face, char)
            monkeypatch.setattr(outlines, "OUTLINE_TOLERANCE", 0.0)
            for name, outline in (("exact", font_outline), ("fitted", drawn)):
                written[name] += sum(3 if s[0] == "C" else 1 for s in outline if s[0] != "Z")
            # Each drawn contour near the font's: segments bucketed by 0.02 em cells for the search.
            cells: dict[tuple[int, int], list] = {}
            for contour in _flattened(font_outline, 24):
                for a, b in zip(contour, contour[1:]):
                    for cx in range(int(min(a[0], b[0]) // 0.02) - 1, int(max(a[0], b[0]) // 0.02) + 2):
                        for cy in range(int(min(a[1], b[1]) // 0.02) - 1, int(max(a[1], b[1]) // 0.02) + 2):
                            cells.setdefault((cx, cy), []).append((a, b))
            drawn_contours = _flattened(drawn, 6)
            assert len(drawn_contours) == len(_flattened(font_outline, 1))
            far = max(_distance_to_segments(p, cells.get((int(p[0] // 0.02), int(p[1] // 0.02)), ()))
                      for contour in drawn_contours for p in contour)
            assert far <= 0.0011, (face, char, far)
        assert written["fitted"] < 0.85 * written["exact"], (face, written)


def test_each_document_names_its_fonts_for_itself_and_the_same_input_the_same(tmp_path):
    """Word and LibreOffice keep the first embedded font of a name for every document opened after it:
    two documents holding different characters name their subsets differently (the runs, the font table
    and the faces themselves agree), and the same document written twice is the same bytes."""
    one = [{"工号": "000101", "姓名": "王喆", "所属党支部": "机关第一党支部"}]
    other = [{"工号": "000102", "姓名": "黄𫖯", "所属党支部": "设备维修党支部"}]
    paths = []
    for n, rows in enumerate((one, other, one)):
        out = tmp_path / f"{n}.docx"
        render_records("name-card-badge", rows, out, formats=("docx",))
        paths.append(out)
    names = []
    for path in paths:
        table = {font.get(f"{W}name") for font in xml_of(path, "word/fontTable.xml").iter(f"{W}font")}
        used = {element.get(f"{W}ascii") for element in xml_of(path, "word/document.xml").iter(f"{W}rFonts")}
        assert used <= table and len(table) >= 2
        names.append(table)
    assert names[0].isdisjoint(names[1]) and names[0] == names[2]
    assert {name.rsplit(" ", 1)[0] for name in names[1]} >= {"Noto Serif SC", "Noto Sans SC"}
    assert paths[0].read_bytes() == paths[2].read_bytes()
    with zipfile.ZipFile(paths[1]) as package:
        assert "\ufdd0".encode() not in package.read("word/document.xml")  # no stand-in left behind


def test_a_stand_in_cut_by_a_chunk_boundary_is_still_replaced(monkeypatch):
    import io

    from formgen.writers.docx import package as package_module
    from formgen.writers.docx.markup import FONT_TAG

    monkeypatch.setattr(package_module, "COPY_CHUNK", 4)
    stand_in = FONT_TAG.encode()
    source = b"ab" + stand_in + b"c" + stand_in + stand_in + b"d" * 7 + stand_in
    target = io.BytesIO()
    package_module._copy_substituted(io.BytesIO(source), target, stand_in, b" 1A2B3C4D")
    assert target.getvalue() == source.replace(stand_in, b" 1A2B3C4D")
