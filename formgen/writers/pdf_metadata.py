"""What a formgen PDF says about itself: dates, the XMP packet, the sRGB output profile, the file ID.

Pure functions over bytes and text (no ReportLab): reportlab_support puts them into the file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

LANG = "zh-CN"  # every document formgen writes is in Chinese
SRGB_CONDITION = "sRGB IEC61966-2.1"

# XML 1.0 cannot hold these, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Metadata:
    """The document information as the Info dictionary holds it; the XMP packet repeats it exactly."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    moment: dt.datetime  # creation and modification time, zone-aware
    lang: str = LANG
    pdfa: bool = False  # claim PDF/A-2b conformance


def pdf_date(moment: dt.datetime) -> str:
    """D:YYYYMMDDHHmmSS+HH'mm' (ISO 32000-1 7.9.4)."""
    offset = _offset_minutes(moment)
    sign = "+" if offset >= 0 else "-"
    return "D:%s%s%02d'%02d'" % (moment.strftime("%Y%m%d%H%M%S"), sign, abs(offset) // 60, abs(offset) % 60)


def xmp_date(moment: dt.datetime) -> str:
    """The same instant as pdf_date, as XMP writes dates (ISO 8601 with the offset)."""
    offset = _offset_minutes(moment)
    sign = "+" if offset >= 0 else "-"
    return "%s%s%02d:%02d" % (moment.strftime("%Y-%m-%dT%H:%M:%S"), sign, abs(offset) // 60, abs(offset) % 60)


def _offset_minutes(moment: dt.datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("a file's time needs its zone")
    return int(offset.total_seconds()) // 60


def _xml(text: str) -> str:
    return escape(_NOT_XML.sub("", text), {'"': "&quot;"})


def xmp_packet(meta: Metadata) -> bytes:
    """The document's XMP metadata packet (UTF-8), property for property what the Info dictionary says
    (ISO 19005-2 6.6.2.3), plus the language and, for PDF/A, the conformance claim."""
    date = xmp_date(meta.moment)
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        + (' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">' if meta.pdfa else ">"),
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(meta.title)}</rdf:li></rdf:Alt></dc:title>',
        f"<dc:creator><rdf:Seq><rdf:li>{_xml(meta.author)}</rdf:li></rdf:Seq></dc:creator>",
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(meta.subject)}</rdf:li></rdf:Alt>'
        "</dc:description>",
        f"<dc:language><rdf:Bag><rdf:li>{_xml(meta.lang)}</rdf:li></rdf:Bag></dc:language>",
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{_xml(meta.creator)}</xmp:CreatorTool>",
        f"<pdf:Producer>{_xml(meta.producer)}</pdf:Producer>",
        f"<pdf:Keywords>{_xml(meta.keywords)}</pdf:Keywords>",
    ]
    if meta.pdfa:
        lines += ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    lines += ["</rdf:Description>", "</rdf:RDF>", "</x:xmpmeta>", '<?xpacket end="w"?>']
    return "\n".join(lines).encode("utf-8")


# The profile's own creation date: fixed, so that the same input gives the same bytes.
_PROFILE_DATE = (2024, 1, 1, 0, 0, 0)


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile (LittleCMS's built-in sRGB, through Pillow's ImageCms; "No copyright, use
    freely"), with a fixed creation date and its profile ID (an MD5, ICC.1:2010 7.2.18) filled in."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = b"".join(part.to_bytes(2, "big") for part in _PROFILE_DATE)
    data[84:100] = bytes(16)
    hashed = bytearray(data)
    hashed[44:48] = bytes(4)  # profile flags, rendering intent and the ID itself are left out of the ID
    hashed[64:68] = bytes(4)
    data[84:100] = hashlib.md5(hashed, usedforsecurity=False).digest()
    return bytes(data)


_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def with_content_id(data: bytes) -> bytes:
    """The file with its trailer ID (both halves: a new file) made from its content: the same document
    gets the same ID, another document another one (ISO 32000-1 14.4)."""
    start = max(0, len(data) - 4096)
    return data[:start] + tail_with_content_id(hashlib.sha256(data[:start]), data[start:])


def tail_with_content_id(head, tail: bytes) -> bytes:
    """The end of a file (its trailer) with the ID made from the content, when head is the SHA-256 of
    every byte before tail: the file need not be in memory. The ID is that of all bytes before it."""
    found = None
    for found in _TRAILER_ID.finditer(tail):
        pass
    if found is None:
        raise ValueError("the PDF has no trailer ID to replace")
    digest = head.copy()
    digest.update(tail[: found.start()])
    text = digest.hexdigest()[: len(found.group(1))].upper().encode()
    replaced = b"/ID [<%s><%s>]" % (text, text)
    # Same length, after the cross-reference table: no offset moves.
    replaced = replaced.ljust(found.end() - found.start())
    return tail[: found.start()] + replaced + tail[found.end():]
