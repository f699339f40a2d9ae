"""Every built-in layout's DOCX against what Word, WPS and other readers expect of a package.

Each layout is rendered once for the module (the cases of the goldens); then every file is validated
with openxml-audit (the Open XML SDK's schema and semantic rules for Microsoft 365) as written and in
each markup-compatibility view (what Word 2010+ and LibreOffice read, and what Word 2007 and mammoth
read), opened by independent readers that must give back every member's name, and checked for what
the schemas cannot say: no ZIP64, every drawing inside its page, honest font code pages.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import mammoth
import pytest
from docx2python import docx2python
from fontTools.ttLib import TTFont
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from formgen.api import Job, Output, load_records, render
from formgen.fonts import FontBook
from formgen.input.layouts import load_layout
from formgen.input.org import load_org
from formgen.writers.docx.fonts import deobfuscate

from .conftest import make_org, portrait
from .docx_reading import MC, W, WP, texts, view, write_view, zip64_headers
from .test_goldens import ALL_CASES, CASES, ENV, MEMBERS, MN_ORG, VARIANT_OF

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
GB2312 = 1 << 18  # OS/2 ulCodePageRange1 bit 18: the code page w:charset 86 names


def names_of(case: str) -> list[str]:
    """Whom each record of the case names: the member, else the branch (a branch's own form or notice)."""
    rows, _ = CASES.get(case, (MEMBERS, {}))
    return [name for name in (row.get("姓名") or row.get("所属党支部") for row in rows) if name]


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """case → its DOCX, every built-in layout rendered once."""
    folder = tmp_path_factory.mktemp("layouts")
    photos = folder / "photos"
    photos.mkdir()
    portrait(photos / "000101.jpg")
    org = load_org(make_org(folder))
    rendered = {}
    for case in ALL_CASES:
        rows, options = CASES.get(case, (MEMBERS, {}))
        target = folder / f"{case}.docx"
        profile = {**org, **(MN_ORG if case.endswith("-mn") else {})}  # bilingual layouts print Mongolian
        report = render(Job(load_layout(VARIANT_OF.get(case, case)), org=profile, options=options),
                        load_records(rows, photos), Output(target, ("docx",)), env=ENV)
        assert report.failed == []
        rendered[case] = target
    return rendered


def audit(path: Path, file_format: FileFormat) -> list[str]:
    result = OpenXmlValidator(file_format=file_format, max_errors=50).validate(path)
    return [str(error) for error in result.errors]


def document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


@pytest.mark.parametrize("case", ALL_CASES)
def test_validates_for_microsoft_365_as_written(documents, case):
    assert audit(documents[case], FileFormat.MICROSOFT_365) == []


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("branch, file_format", [("choice", FileFormat.MICROSOFT_365),
                                                 ("fallback", FileFormat.OFFICE_2007)])
def test_each_markup_compatibility_view_validates(documents, case, branch, file_format, tmp_path):
    """The validator reads only the branch its Office version takes: each view is validated alone."""
    seen = write_view(documents[case], tmp_path / f"{branch}.docx", branch)
    assert audit(seen, file_format) == []


@pytest.mark.parametrize("case", ALL_CASES)
def test_every_word_2010_shape_has_a_fallback_with_the_same_text(documents, case):
    alternates = list(document_xml(documents[case]).iter(f"{{{MC}}}AlternateContent"))
    assert alternates
    for alternate in alternates:
        choice, fallback = alternate.find(f"{{{MC}}}Choice"), alternate.find(f"{{{MC}}}Fallback")
        assert choice.get("Requires") == "wps"
        assert fallback is not None and len(fallback) == 1  # a w:pict, never empty
        assert texts(fallback) == texts(choice)
        assert len(list(fallback.iter(f"{W}tbl"))) == len(list(choice.iter(f"{W}tbl")))


@pytest.mark.parametrize("case", ALL_CASES)
def test_paragraph_properties_in_schema_order(documents, case):
    """CT_PPr: the paragraph mark's run properties before the section properties (issue seen in every
    page-ending paragraph)."""
    for properties in document_xml(documents[case]).iter(f"{W}pPr"):
        tags = [child.tag for child in properties]
        if f"{W}sectPr" in tags and f"{W}rPr" in tags:
            assert tags.index(f"{W}rPr") < tags.index(f"{W}sectPr")


@pytest.mark.parametrize("case", ALL_CASES)
def test_no_zip64_in_a_small_package(documents, case):
    assert zip64_headers(documents[case]) == []


@pytest.mark.parametrize("case", ALL_CASES)
def test_every_drawing_stands_inside_its_page(documents, case):
    body = document_xml(documents[case]).find(f"{W}body")
    sections = list(body.iter(f"{W}sectPr"))
    pages = [p for p in body if p.tag == f"{W}p"]
    assert len(pages) == len(sections)
    for page, section in zip(pages, sections):
        size = section.find(f"{W}pgSz")
        width, height = int(size.get(f"{W}w")) * 635, int(size.get(f"{W}h")) * 635  # twips → EMU
        for anchor in page.iter(f"{WP}anchor"):
            x = int(anchor.find(f"{WP}positionH/{WP}posOffset").text)
            y = int(anchor.find(f"{WP}positionV/{WP}posOffset").text)
            extent = anchor.find(f"{WP}extent")
            right, bottom = x + int(extent.get("cx")), y + int(extent.get("cy"))
            name = anchor.find(f"{WP}docPr").get("name")
            assert 0 <= x and 0 <= y and right <= width and bottom <= height, (name, x, y, right - width,
                                                                                 bottom - height)


@pytest.mark.parametrize("case", ALL_CASES)
def test_embedded_subsets_keep_their_code_pages(documents, case):
    """Each subset keeps the code pages of the face it was cut from, and fontTable.xml declares the
    character set they name: 86 (GB2312) for the Chinese faces, 00 (Latin 1) for the Mongolian one."""
    book = FontBook()
    originals = {}
    for face in book.faces.values():
        with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
            os2 = font["OS/2"]
            originals[(face.family, face.is_bold)] = (os2.ulCodePageRange1, os2.ulCodePageRange2)
    with zipfile.ZipFile(documents[case]) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
        rels = {rel.get("Id"): rel.get("Target")
                for rel in etree.fromstring(package.read("word/_rels/fontTable.xml.rels"))}
        checked = chinese = 0
        for font in table.iter(f"{W}font"):
            charset = font.find(f"{W}charset").get(f"{W}val")
            for tag, bold in (("embedRegular", False), ("embedBold", True)):
                embed = font.find(f"{W}{tag}")
                if embed is None:
                    continue
                data = deobfuscate(package.read("word/" + rels[embed.get(f"{R}id")]), embed.get(f"{W}fontKey"))
                with TTFont(io.BytesIO(data)) as subset:
                    os2 = subset["OS/2"]
                    kept = (os2.ulCodePageRange1, os2.ulCodePageRange2)
                family = font.get(f"{W}name").rsplit(" ", 1)[0]  # without the document's tag
                assert kept == originals[(family, bold)]
                assert charset == ("86" if kept[0] & GB2312 else "00" if kept[0] & 1 else "01")
                chinese += charset == "86"
                checked += 1
    assert checked and chinese


@pytest.mark.parametrize("case", ALL_CASES)
def test_python_docx_and_docx2python_open_it_and_read_the_names(documents, case):
    document = docx.Document(str(documents[case]))
    assert document.sections
    with docx2python(documents[case]) as extracted:
        text = extracted.text
    for name in names_of(case):
        assert name in text


@pytest.mark.parametrize("case", ALL_CASES)
def test_mammoth_reads_the_fallbacks_and_gives_the_names(documents, case):
    with open(documents[case], "rb") as handle:
        text = mammoth.extract_raw_text(handle).value
    for name in names_of(case):
        assert name in text


def pandoc_3() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@pytest.mark.parametrize("case", ALL_CASES)
def test_pandoc_gives_the_names_in_its_markdown(documents, case):
    """pandoc 3 (the binary on PyPI) reads text boxes; Debian's pandoc 2.17 reads none (of any file,
    Word's own included), so of it only a clean open is asked, which ZIP64 made fail."""
    markdown = subprocess.run([pandoc_3(), "-f", "docx", "-t", "markdown", str(documents[case])],
                              capture_output=True, text=True, check=True, timeout=120).stdout
    for name in names_of(case):
        assert name in markdown
    system_pandoc = shutil.which("pandoc")
    if system_pandoc is None:
        return
    opened = subprocess.run([system_pandoc, "-f", "docx", "-t", "markdown", str(documents[case])],
                            capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0, opened.stderr


# ---- the ISO/IEC 29500 schemas ---------------------------------------------------------------------
# No package registry carries the ISO/IEC 29500-4 Transitional schemas or Word 2010's extension schemas,
# and they are not the project's to ship: these tests validate against a folder that FORMGEN_OOXML_SCHEMAS
# names, laid out as iso/ (wml.xsd, dml-*.xsd, shared-*.xsd, vml-*.xsd and xml.xsd, their imports of the
# XML namespace pointing at it), ext/ (wps.xsd, wp14.xsd, w14.xsd) and opc/ (opc-contentTypes.xsd,
# opc-relationships.xsd), and are skipped where it is not given.

SCHEMAS_ENV = "FORMGEN_OOXML_SCHEMAS"
ISO_PARTS = {"wml.xsd": W[1:-1], "dml-main.xsd": "http://schemas.openxmlformats.org/drawingml/2006/main",
             "dml-wordprocessingDrawing.xsd": WP[1:-1],
             "dml-picture.xsd": "http://schemas.openxmlformats.org/drawingml/2006/picture",
             "vml-main.xsd": "urn:schemas-microsoft-com:vml",
             "vml-officeDrawing.xsd": "urn:schemas-microsoft-com:office:office",
             "vml-wordprocessingDrawing.xsd": "urn:schemas-microsoft-com:office:word"}
WORD_2010_PARTS = {"wps.xsd": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
                   "wp14.xsd": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
                   "w14.xsd": "http://schemas.microsoft.com/office/word/2010/wordml"}


def _schema(imports: dict[Path, str]) -> etree.XMLSchema:
    """One schema importing each file for its namespace: what a view of a part may hold."""
    xs = "http://www.w3.org/2001/XMLSchema"
    root = etree.Element(f"{{{xs}}}schema", nsmap={"xsd": xs})
    for path, namespace in imports.items():
        etree.SubElement(root, f"{{{xs}}}import", namespace=namespace, schemaLocation=path.as_uri())
    return etree.XMLSchema(root)


@pytest.fixture(scope="module")
def iso_schemas() -> dict[str, etree.XMLSchema]:
    import os

    folder = os.environ.get(SCHEMAS_ENV)
    if not folder:
        pytest.skip(f"the ISO/IEC 29500 Transitional schemas are not on this machine (set {SCHEMAS_ENV}; "
                    "see the README's DOCX output section)")
    folder = Path(folder)
    iso = {folder / "iso" / name: namespace for name, namespace in ISO_PARTS.items()}
    word_2010 = {folder / "ext" / name: namespace for name, namespace in WORD_2010_PARTS.items()}
    opc = "http://schemas.openxmlformats.org/package/2006/"
    return {"fallback": _schema(iso), "choice": _schema({**iso, **word_2010}),
            "content types": _schema({folder / "opc" / "opc-contentTypes.xsd": opc + "content-types"}),
            "relationships": _schema({folder / "opc" / "opc-relationships.xsd": opc + "relationships"})}


def _errors(schema: etree.XMLSchema, xml: bytes) -> list[str]:
    schema.validate(etree.fromstring(xml))
    return [f"line {error.line}: {error.message}" for error in schema.error_log][:10]


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("branch", ["choice", "fallback"])
def test_the_document_validates_against_the_iso_schemas_in_each_view(iso_schemas, documents, case, branch):
    """Word 2010 and later read the wps text boxes (ISO schemas plus Word 2010's), Word 2007 and
    mammoth the VML fallbacks (ISO schemas alone)."""
    with zipfile.ZipFile(documents[case]) as package:
        document = view(package.read("word/document.xml"), branch)
    assert _errors(iso_schemas[branch], document) == []


@pytest.mark.parametrize("case", ALL_CASES)
def test_the_other_parts_validate_against_the_iso_schemas(iso_schemas, documents, case):
    found = {}
    with zipfile.ZipFile(documents[case]) as package:
        for name in package.namelist():
            if name == "[Content_Types].xml":
                schema = iso_schemas["content types"]
            elif name.endswith(".rels"):
                schema = iso_schemas["relationships"]
            elif name in ("word/styles.xml", "word/settings.xml", "word/fontTable.xml"):
                schema = iso_schemas["fallback"]
            else:
                continue
            found[name] = _errors(schema, view(package.read(name), "fallback"))
    assert {"[Content_Types].xml", "word/styles.xml", "word/fontTable.xml"} <= set(found)
    assert {name: errors for name, errors in found.items() if errors} == {}
