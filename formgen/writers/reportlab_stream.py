"""A ReportLab canvas that writes each page into the file when the page is finished, not all at save.

ReportLab's document keeps every object it is given (each page with its content stream, each picture)
until save, then formats them all into one string in memory. Here each page, its content stream
(compressed) and the pictures first drawn on it are formatted when the page ends, written to the file
and let go: memory stays the same for ten pages or ten thousand. What cannot be written before the end
waits for save: the fonts (a subset holds every character of the document, the font dictionary names
every subset), the page tree (it counts the pages), the catalogue and the document information.

The objects are numbered as ReportLab numbers them and formatted by ReportLab; only the order in which
they are written, and who writes them, is ours. Internals used (ReportLab 4; see reportlab_support):
the document's object tables (`numberToId`, `idToObject`, `idToObjectNumberAndVersion`,
`objectcounter`), its page tree (`Pages`), its save steps (`GetPDFData` less the final `format`, which is
replaced here by writing object by object), and PDFIndirectObject / PDFTrailer for the formatting.
"""
from __future__ import annotations

import hashlib
import re
from array import array

from reportlab.pdfbase import pdfdoc

from formgen.writers.pdf_metadata import tail_with_content_id
from formgen.writers.reportlab_support import DocumentCanvas

# Names nothing refers to once their object is written: pages (the page tree has their numbers; no link or
# outline entry names a page in formgen's files) and ReportLab's unnamed objects (content streams).
_FORGOTTEN = re.compile(r"Page\d+|R\d+")


class _Written(pdfdoc.PDFObject):
    """What stays of a named object once it is in the file (a picture: a later page may draw it again):
    its name, and for a picture the size Canvas.drawImage reads again, not its bytes."""

    def __init__(self, obj):
        for attribute in ("width", "height"):
            if hasattr(obj, attribute):
                setattr(self, attribute, getattr(obj, attribute))

    def format(self, document):
        raise AssertionError("an object already written was formatted again")


class _Number(pdfdoc.PDFObject):
    """A reference to an object by its number, for objects whose name ReportLab has forgotten."""

    def __init__(self, number: int):
        self.number = number

    def format(self, document) -> bytes:
        return b"%d 0 R" % self.number


class _StreamedPages(pdfdoc.PDFPages):
    """The page tree of a streamed document: the pages already written are kept as their numbers."""

    def __init__(self):
        super().__init__()
        self.numbers = array("L")

    def check_format(self, document) -> None:
        if self.pages:
            raise AssertionError("a page was left unwritten")
        self.Kids = pdfdoc.PDFArray([_Number(n) for n in self.numbers])
        self.Count = len(self.numbers)


class StreamingCanvas(DocumentCanvas):
    """A DocumentCanvas writing to the file at filename as it goes (save finishes the file; close, on
    failure, lets it go unfinished). The bytes depend only on what was drawn: the same pages give the
    same file, and its ID is made from its content as DocumentCanvas makes it."""

    def __init__(self, filename: str, *args, **kwargs):
        super().__init__(filename, *args, **kwargs)
        doc = self._doc
        doc.Pages = doc.Catalog.Pages = _StreamedPages()
        doc.Reference(doc.Pages)  # numbered now, as the font dictionary is: both are written last
        self._open = {doc.idToObjectNumberAndVersion[name][0]
                      for name in (pdfdoc.BasicFonts, getattr(doc.Pages, pdfdoc.__InternalName__))}
        # The header is written first: say the highest version ReportLab can raise the file to now
        # (it raises it to 1.4 for transparency, which a colour's alpha already asks for).
        doc.ensureMinPdfVersion("transparency")
        self._header_version = doc._pdfVersion
        self._file = None
        self._digest = hashlib.sha256()
        self._offset = 0
        self._offsets = array("Q", [0])  # object number → where it starts in the file; 0: not yet written
        self._next = 1  # the first object number not yet looked at

    # ---- the file ----------------------------------------------------------------------------------

    def _begin(self) -> None:
        """The file, opened with the first object, begins with ReportLab's header."""
        header = pdfdoc.PDFFile(self._header_version).strings[0]
        self._file = open(self._filename, "wb")  # noqa: SIM115 (closed by save or close)
        self._file.write(header)
        self._digest.update(header)
        self._offset = len(header)

    def _write(self, data: bytes) -> None:
        if self._file is None:
            self._begin()
        self._file.write(data)
        self._digest.update(data)
        self._offset += len(data)

    def close(self) -> None:
        """Let the file go (as it is) without finishing it: for a failed run, before it is removed."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write_object(self, number: int) -> None:
        doc = self._doc
        name = doc.numberToId[number]
        data = pdfdoc.PDFIndirectObject(name, doc.idToObject[name]).format(doc)
        if self._file is None:
            self._begin()
        offsets = self._offsets
        if len(offsets) <= number:
            offsets.extend([0] * (number + 1 - len(offsets)))
        offsets[number] = self._offset
        self._write(data)

    def _write_finished(self) -> None:
        """Every object numbered since the last page but the open ones. Then what a later page may name
        again (a picture drawn on several pages) is remembered by its name and number, not its bytes;
        a page and its content stream are forgotten altogether (the page tree keeps the page's number)."""
        doc = self._doc
        number = self._next
        while number <= doc.objectcounter:
            if number not in self._open:
                self._write_object(number)
                name = doc.numberToId.pop(number)
                if _FORGOTTEN.fullmatch(name):
                    del doc.idToObject[name], doc.idToObjectNumberAndVersion[name]
                else:
                    doc.idToObject[name] = _Written(doc.idToObject[name])
            number += 1
        self._next = number

    # ---- pages ---------------------------------------------------------------------------------------

    def showPage(self) -> None:
        super().showPage()
        doc = self._doc
        pages = doc.Pages
        for page in pages.pages:
            # The page's dictionary is formatted now (its contents compressed, its resources named);
            # the objects it brings are written with it.
            name = getattr(page, pdfdoc.__InternalName__)
            pages.numbers.append(doc.idToObjectNumberAndVersion[name][0])
        pages.pages = []
        self._write_finished()

    # ---- the end -----------------------------------------------------------------------------------

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        self.complete_catalog()
        doc = self._doc
        # ReportLab's GetPDFData up to its format(): the fonts' objects, the information's digest,
        # the catalogue and information numbered, the outline prepared.
        for font in doc.delayedFonts:
            font.addObjects(doc)
        doc.info.invariant = doc.invariant
        doc.info.digest(doc.signature)
        doc.Reference(doc.Catalog)
        doc.Reference(doc.info)
        doc.Outlines.prepare(doc, self)
        if doc.Outlines.ready < 0:
            doc.Catalog.Outlines = None
        if doc._pdfVersion != self._header_version:
            raise AssertionError("ReportLab raised the PDF version after the header was written")
        doc.encrypt.prepare(doc)
        if doc.encrypt.info():
            raise AssertionError("a streamed document cannot be encrypted")
        try:
            # Everything not yet written, in number order; formatting one may number more (a font's
            # descriptor and file): the loop runs until none is left.
            number = 1
            while number <= doc.objectcounter:
                if number >= len(self._offsets) or not self._offsets[number]:
                    self._write_object(number)
                number += 1
            count = doc.objectcounter
            xref_offset = self._offset
            self._write(b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1))
            offsets = self._offsets
            for start in range(1, count + 1, 4096):
                self._write(b"".join(b"%010d 00000 n \n" % offsets[n]
                                     for n in range(start, min(start + 4096, count + 1))))
            trailer = pdfdoc.PDFTrailer(startxref=xref_offset, Size=count + 1, Root=doc.Reference(doc.Catalog),
                                        Info=doc.Reference(doc.info), ID=doc.ID()).format(doc)
            self._write(tail_with_content_id(self._digest, trailer))
        finally:
            self.close()
