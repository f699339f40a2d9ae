"""The DOCX writer: the finished pages as an editable Word document with its fonts inside.

walker.py walks pages and items; drawing.py (DrawingML), vml.py (the fallbacks) and wordml.py are the
XML fragments it puts together (placement.py decides where text goes so word processors draw it where
the composer did); parts.py holds the package's fixed parts and package.py writes the zip; fonts.py
embeds font subsets; emf.py draws turned text from outlines.py's glyph outlines, made ready by
glyph_figures.py. The package is written part by part: python-docx re-hashes every picture already in a
package for each one it adds, which is quadratic in the number of cards.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from formgen.document import DocumentInfo, Page
from formgen.files import atomic_path
from formgen.fonts import FontBook
from formgen.writers import NothingToWrite
from formgen.writers.docx import parts
from formgen.writers.docx.markup import DECLARATION, FONT_TAG, XMLNS
from formgen.writers.docx.package import Package
from formgen.writers.docx.walker import DEFAULT_FACE, PageWalker


def write(pages: Iterable[Page], info: DocumentInfo, target: Path, book: FontBook) -> int:
    """Write all pages as one DOCX (atomically); returns the page count.

    Pages are taken one at a time and document.xml is streamed into the package, so a thousand cards
    never sit in memory at once; each picture is stored when first used, and the parts that depend on
    what the pages used (fonts, relationships) follow the document.
    """
    pages = iter(pages)
    current = next(pages, None)
    if current is None:
        raise NothingToWrite("nothing to write: no page was rendered")
    count = 0
    with atomic_path(Path(target)) as temporary, Package(temporary) as package:
        def store(name: str, data: bytes) -> None:
            # JPEG and PNG are compressed already; metafiles are not.
            package.put(f"word/{name}", data, compress=name.endswith(".emf"))

        walker = PageWalker(book, store)
        try:
            # each font family is named with the document's tag, known once every page is written
            substitute = lambda: (FONT_TAG.encode("utf-8"), walker.fonts.tag().encode("ascii"))  # noqa: E731
            with package.stream("word/document.xml", substitute) as stream:
                stream.write((DECLARATION + f'<w:document {XMLNS} mc:Ignorable="w14"><w:body>').encode())
                while current is not None:  # one page ahead, to know which page is the last
                    following = next(pages, None)
                    stream.write(walker.page(current, last=following is None).encode("utf-8"))
                    count, current = count + 1, following
                stream.write(b"</w:body></w:document>")
            _put_parts(package, walker, info, book)
        finally:
            walker.outlines.close()
    return count


def _put_parts(package: Package, walker: PageWalker, info: DocumentInfo, book: FontBook) -> None:
    """Every part after document.xml: what refers to the fonts and pictures the pages used."""
    embedded = walker.fonts.embedded()
    font_rels, families, charsets = [], {}, {}
    for n, font in enumerate(embedded, 1):
        rid = f"rIdFont{n}"
        font_rels.append((rid, parts.REL_FONT, f"fonts/font{n}.odttf"))
        families.setdefault(font.family, []).append(("embedBold" if font.bold else "embedRegular", rid, font.key))
        charsets.setdefault(font.family, font.charset)
    document_rels = [("rIdStyles", parts.REL_STYLES, "styles.xml"),
                     ("rIdSettings", parts.REL_SETTINGS, "settings.xml"),
                     ("rIdFontTable", parts.REL_FONT_TABLE, "fontTable.xml"),
                     ("rIdTheme", parts.REL_THEME, "theme/theme1.xml")]
    document_rels += [(walker.media_ids[key], parts.REL_IMAGE, name) for key, name in walker.media.items()]
    extensions = {name.rsplit(".", 1)[1] for name in walker.media.values()}
    package.put("[Content_Types].xml", parts.content_types(extensions, bool(embedded)))
    package.put("_rels/.rels", parts.relationships([("rId1", parts.REL_DOCUMENT, "word/document.xml"),
                                                    ("rId2", parts.REL_CORE, "docProps/core.xml")]))
    package.put("docProps/core.xml", parts.core_properties(info.title, info.author, info.subject))
    package.put("word/_rels/document.xml.rels", parts.relationships(document_rels))
    default = book.face(DEFAULT_FACE).family
    if default + walker.fonts.tag() in families:
        default += walker.fonts.tag()  # the document's own subset of it
    package.put("word/styles.xml", parts.styles(default))
    package.put("word/settings.xml", parts.settings(bool(embedded)))
    package.put("word/fontTable.xml", parts.font_table(sorted(families.items()), charsets))
    package.put("word/theme/theme1.xml", parts.theme(default))
    package.put("word/_rels/fontTable.xml.rels", parts.relationships(font_rels))
    for n, font in enumerate(embedded, 1):
        package.put(f"word/fonts/font{n}.odttf", font.data)
