"""Every PDF formgen writes, read back for what print shops and archives check: fonts, subset tags,
language, XMP, dates, the output intent, text search, and PDF/A-2b with --pdfa."""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import ImageCms
from pypdf import PdfReader

from formgen.api import load_records
from formgen.api.demo import run_demo
from formgen.cli.main import main
from formgen.resources import SAMPLES_DIR

from .conftest import render_records

# Every PDF formgen writes, by the layout drawn in it: what the demo writes (each sample layout, the
# awards' certificates and letters, the survey tally's report drawn with platypus), certify's
# certificates and the political-birthday cards.
LAYOUT_PDFS = {
    "name-card": "名片.pdf", "name-card-badge": "胸卡.pdf", "pledge-card": "承诺卡.pdf",
    "survey": "问卷.pdf", "monthly-summary": "月度清单.pdf", "certificate": "评选/荣誉证书.pdf",
    "study-reminder": "评选/劝学信.pdf", "political-birthday": "政治生日/政治生日贺卡.pdf",
    "name-card-mn": "蒙汉双语名片.pdf", "name-card-badge-mn": "蒙汉双语胸卡.pdf",
    "certificate-mn": "蒙汉双语证书.pdf", "study-reminder-mn": "蒙汉双语劝学信.pdf",
    "quarterly-standards": "亮标准清单.pdf", "branch-quarterly": "支部考核/支部季度工作清单.pdf",
    "branch-review-report": "支部考核/支部考核情况.pdf", "interview-notice": "支部考核/约谈通知.pdf",
    "helmet-sticker": "安全帽标志.pdf", "helmet-sticker-small": "小号安全帽标志.pdf",
    "helmet-sticker-round": "圆形安全帽标志.pdf", "helmet-sticker-round-small": "小号圆形安全帽标志.pdf",
}
PDFS = (*LAYOUT_PDFS.values(), "按名单发证/荣誉证书.pdf", "问卷统计/问卷统计.pdf")
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
EPOCH = "1727700000"  # 2024-09-30 12:40:00 UTC


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (scripts/system-deps.sh installs it)")
    return path


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """Every PDF as the clerks get them (no --pdfa), dated now."""
    out = tmp_path_factory.mktemp("plain")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        run_demo(out, ("pdf",))
        _paperwork(out)
    return out


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> Path:
    """The same PDFs through the command line with --pdfa."""
    out = tmp_path_factory.mktemp("archive")
    assert main(["demo", "-o", str(out), "--format", "pdf", "--pdfa"]) == 0
    _paperwork(out, "--pdfa")
    return out


def _paperwork(out: Path, *flags: str) -> None:
    """certify's certificates and the birthday cards, with their own data folder."""
    profile = out / "org.yaml"
    text = (SAMPLES_DIR / "org.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^seal: *", f"seal: {SAMPLES_DIR.as_posix()}/", text)
    profile.write_text(re.sub(r"(?m)^data_dir: *\S+", f"data_dir: {(out / 'data').as_posix()}", text), encoding="utf-8")
    # The sample nominations carry deliberate mistakes: exit status 1, the certificates written all the same.
    assert main(["certify", str(SAMPLES_DIR / "nominations.xlsx"), "--org", str(profile), "-o", str(out / "按名单发证"),
                 "--issue-date", "2024-12-30", *flags]) == 1
    assert main(["birthdays", str(SAMPLES_DIR / "roster.xlsx"), "--month", "2024-10", "--org", str(profile),
                 "-o", str(out / "政治生日"), *flags]) in (0, 1)


def test_every_layout_is_among_the_pdfs_checked():
    from formgen.input.layouts import builtin_layouts

    unchecked = {layout.name for layout in builtin_layouts()} - set(LAYOUT_PDFS)
    assert not unchecked, f"add a PDF drawn with {sorted(unchecked)} to LAYOUT_PDFS and the fixtures"


def _fonts(path: Path) -> list[tuple[str, str]]:
    """(name, embedded yes/no) of every font pdffonts lists."""
    listing = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows]


def _xmp(reader: PdfReader) -> ET.Element:
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in stream  # archives read the packet as it is
    return ET.fromstring(stream.get_data())


def _xmp_text(root: ET.Element, path: str) -> str | None:
    found = root.find(".//" + path, NS)
    return None if found is None else (found.text or "")


def _info_date(value: str) -> datetime:
    match = re.fullmatch(r"D:(\d{14})([+-])(\d\d)'(\d\d)'", value)
    assert match, value
    offset = timedelta(hours=int(match[3]), minutes=int(match[4])) * (1 if match[2] == "+" else -1)
    return datetime.strptime(match[1], "%Y%m%d%H%M%S").replace(tzinfo=timezone(offset))


@pytest.mark.parametrize("name", PDFS)
def test_every_font_is_embedded(written, name):
    fonts = _fonts(written / name)
    assert fonts, name
    assert [font for font, embedded in fonts if embedded != "yes"] == []
    assert b"Helvetica" not in (written / name).read_bytes()  # not even an unused resource


@pytest.mark.parametrize("name", PDFS)
def test_every_font_subset_has_its_own_tag(written, name):
    names = [font for font, _ in _fonts(written / name)]
    tags = [font.split("+")[0] for font in names]
    assert all(re.fullmatch(r"[A-Z]{6}\+.+", font) for font in names), names
    assert len(set(tags)) == len(tags), names


def test_subset_tags_come_from_face_and_content():
    from formgen.writers.reportlab_support import subset_tag

    taken: set[str] = set()
    first = subset_tag("NotoSerifSC-Regular", [0x738B, 0x5586], taken)
    assert re.fullmatch(r"[A-Z]{6}", first)
    assert subset_tag("NotoSerifSC-Regular", [0x738B, 0x5586], set()) == first  # the same in every run
    assert subset_tag("NotoSansSC-Regular", [0x738B, 0x5586], set()) != first
    assert subset_tag("NotoSerifSC-Regular", [0x738B], set()) != first
    again = subset_tag("NotoSerifSC-Regular", [0x738B, 0x5586], taken)  # taken already in this file
    assert again != first and again in taken


@pytest.mark.parametrize("name", PDFS)
def test_language_title_and_output_intent(written, name):
    reader = PdfReader(written / name)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    stream = intent["/DestOutputProfile"].get_object()
    assert stream["/N"] == 3
    data = stream.get_data()
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    assert "sRGB" in profile.profile_description and profile.xcolor_space.strip() == "RGB"
    unhashed = bytearray(data)
    for start, end in ((44, 48), (64, 68), (84, 100)):
        unhashed[start:end] = bytes(end - start)
    assert data[84:100] == hashlib.md5(unhashed).digest()  # the profile's own ID checks out


@pytest.mark.parametrize("name", PDFS)
def test_xmp_says_what_the_info_dictionary_says(written, name):
    reader = PdfReader(written / name)
    info = reader.metadata
    xmp = _xmp(reader)
    assert _xmp_text(xmp, "dc:title/rdf:Alt/rdf:li") == info["/Title"]
    assert _xmp_text(xmp, "dc:creator/rdf:Seq/rdf:li") == info["/Author"]
    assert _xmp_text(xmp, "dc:description/rdf:Alt/rdf:li") == info["/Subject"]
    assert _xmp_text(xmp, "pdf:Keywords") == info["/Keywords"]
    assert _xmp_text(xmp, "pdf:Producer") == info["/Producer"]
    assert _xmp_text(xmp, "xmp:CreatorTool") == info["/Creator"] == "formgen"
    assert _xmp_text(xmp, "dc:language/rdf:Bag/rdf:li") == "zh-CN"
    for xmp_key, info_key in (("xmp:CreateDate", "/CreationDate"), ("xmp:ModifyDate", "/ModDate")):
        assert datetime.fromisoformat(_xmp_text(xmp, xmp_key)) == _info_date(info[info_key])
    assert _xmp_text(xmp, "pdfaid:part") is None  # no archive claim unless asked


@pytest.mark.parametrize("name", PDFS)
def test_dates_are_when_the_file_was_written(written, name):
    created = _info_date(PdfReader(written / name).metadata["/CreationDate"])
    assert abs(datetime.now(timezone.utc) - created) < timedelta(hours=1), created


def test_source_date_epoch_gives_its_date_and_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    rows = [{"工号": "1", "姓名": "王喆", "所属党支部": "一支部"}]
    first, second, other = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    for out in (first, second):
        render_records("name-card-badge", rows, out)
    render_records("name-card-badge", [{**rows[0], "姓名": "李堃"}], other)
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    assert reader.metadata["/CreationDate"] == "D:20240930124000+00'00'"
    assert _xmp_text(_xmp(reader), "xmp:CreateDate") == "2024-09-30T12:40:00+00:00"
    ids = [PdfReader(path).trailer["/ID"][0] for path in (first, other)]
    assert ids[0] != ids[1]  # the ID follows the content, not only the time and title


def test_survey_report_is_reproducible_too(tmp_path, monkeypatch):
    from formgen.api.campaign import run_survey_tally

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    reports = []
    for name in ("a", "b"):
        run_survey_tally(SAMPLES_DIR / "survey-responses.xlsx", None, tmp_path / name)
        reports.append((tmp_path / name / "问卷统计.pdf").read_bytes())
    assert reports[0] == reports[1]
    assert PdfReader(tmp_path / "a" / "问卷统计.pdf").metadata["/CreationDate"] == "D:20240930124000+00'00'"


def test_every_badge_name_is_found_by_pdftotext_and_pypdf(written):
    """The letter-spaced names (王　喆) are searchable as the record has them."""
    names = [record.values["姓名"] for record in load_records(SAMPLES_DIR / "roster.xlsx").records]
    assert len(names) == 20 and "王喆" in names and "黄𫖯" in names
    path = written / "胸卡.pdf"
    poppler = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    extracted = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert [name for name in names if name not in poppler] == []
    assert [name for name in names if name not in extracted] == []


def test_actual_text_is_what_readers_get(tmp_path):
    """The span's text, not the glyphs drawn: shaped runs can use the same helper."""
    from reportlab.pdfgen.canvas import Canvas

    from formgen.fonts import default_font_book
    from formgen.writers.reportlab_support import actual_text, register_face

    path = tmp_path / "span.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.setFont(register_face(default_font_book(), "NotoSansSC-Regular"), 20)
    with actual_text(canvas, "黄𫖯"):
        canvas.drawString(72, 700, "AB")
    canvas.drawString(72, 600, "CD")
    canvas.save()
    text = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "黄𫖯" in text and "AB" not in text and "CD" in text


@pytest.mark.parametrize("name", PDFS)
def test_pdfa_output_passes_the_validator(archived, name):
    import page

    path = archived / name
    report = page.validate_pdf(str(path), profile=page.ValidationProfile.PDF_A_2B)
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
    xmp = _xmp(PdfReader(path))
    assert (_xmp_text(xmp, "pdfaid:part"), _xmp_text(xmp, "pdfaid:conformance")) == ("2", "B")


@pytest.mark.parametrize("name", PDFS)
def test_every_glyph_maps_to_unicode(archived, name):
    """The rules of PDF/A-2u (every glyph drawn has its Unicode text) hold too: only the claim is -2b."""
    import page

    report = page.validate_pdf(str(archived / name), profile=page.ValidationProfile.PDF_A_2U)
    assert {f.rule_id for f in report.failures} == {"PDFA2U-ID-CONFORMANCE-001"}, [f.message for f in report.failures]


@pytest.mark.parametrize("name", PDFS)
def test_without_pdfa_only_the_claim_is_missing(written, name):
    """The validator sees the plain files too: it fails them for the missing claim, and for nothing else."""
    import page

    report = page.validate_pdf(str(written / name), profile=page.ValidationProfile.PDF_A_2B)
    assert {f.rule_id for f in report.failures} == {"PDFA2B-ID-SCHEMA-001"}


def test_validator_rejects_an_unembedded_font(tmp_path):
    """The validator is not blind to what matters here: Helvetica named but not embedded fails."""
    import page

    from formgen.writers.reportlab_support import DocumentCanvas

    path = tmp_path / "helvetica.pdf"
    canvas = DocumentCanvas(str(path), pdfa=True)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "name")
    canvas.save()
    report = page.validate_pdf(str(path), profile=page.ValidationProfile.PDF_A_2B)
    assert not report.is_compliant
    assert any("embed" in f.message.lower() for f in report.failures), [f.message for f in report.failures]


@pytest.mark.parametrize("name", PDFS)
def test_qpdf_finds_no_structural_error(archived, name):
    done = subprocess.run([_tool("qpdf"), "--check", str(archived / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_render_awards_and_survey_tally_take_pdfa(tmp_path, org):
    rows = tmp_path / "rows.json"
    rows.write_text('[{"工号": "1", "姓名": "王喆", "所属党支部": "一支部"}]', encoding="utf-8")
    profile = tmp_path / "org.yaml"
    profile.write_text(org.read_text(encoding="utf-8") + f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    assert main(["render", "name-card-badge", str(rows), "-o", str(tmp_path / "b.pdf"), "--pdfa", "-q"]) == 0
    # The sample scores carry deliberate mistakes: exit status 1, the documents written all the same.
    assert main(["awards", str(SAMPLES_DIR / "scores.xlsx"), "--quarter", "2024Q3", "--org", str(profile),
                 "-o", str(tmp_path / "awards"), "--pdfa"]) == 1
    assert main(["survey-tally", str(SAMPLES_DIR / "survey-responses.xlsx"), "-o", str(tmp_path / "tally"),
                 "--pdfa"]) == 0
    for path in (tmp_path / "b.pdf", tmp_path / "awards" / "荣誉证书.pdf", tmp_path / "awards" / "劝学信.pdf",
                 tmp_path / "tally" / "问卷统计.pdf"):
        assert _xmp_text(_xmp(PdfReader(path)), "pdfaid:part") == "2", path


def test_pdfa_without_a_pdf_is_a_usage_error(tmp_path, capsys):
    rows = tmp_path / "rows.json"
    rows.write_text('[{"姓名": "王喆"}]', encoding="utf-8")
    assert main(["render", "survey", str(rows), "-o", str(tmp_path / "x.docx"), "--pdfa"]) == 2
    assert "--pdfa 只用于 PDF" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_dates_and_xmp_escape_text_and_keep_zones():
    from formgen.writers.pdf_metadata import Metadata, pdf_date, xmp_date, xmp_packet

    moment = datetime(2024, 9, 30, 8, 5, 1, tzinfo=timezone(-timedelta(hours=3, minutes=30)))
    assert pdf_date(moment) == "D:20240930080501-03'30'"
    assert xmp_date(moment) == "2024-09-30T08:05:01-03:30"
    packet = xmp_packet(Metadata(title="<b>李&明</b>\x01", author="委员会", subject="", keywords="a, b",
                                 creator="formgen", producer="ReportLab", moment=moment, pdfa=True))
    root = ET.fromstring(packet)
    assert _xmp_text(root, "dc:title/rdf:Alt/rdf:li") == "<b>李&明</b>"
    assert _xmp_text(root, "pdfaid:conformance") == "B"


@pytest.mark.parametrize(("data", "written"), [(b"q Q\n", b"q Q\n\nendstream\n"),
                                              (b"x\x9c\r", b"x\x9c\r\r\nendstream\n")])
def test_every_stream_ends_with_an_end_of_line_outside_its_length(data, written):
    from reportlab.pdfbase import pdfdoc

    import formgen.writers.reportlab_support  # noqa: F401  (it sets ReportLab's stream formatting)

    formatted = pdfdoc.PDFStream(content=data).format(pdfdoc.PDFDocument())
    assert formatted.endswith(b"stream\n" + written) and b"/Length %d" % len(data) in formatted
