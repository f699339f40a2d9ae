"""Reading back what the DOCX writer wrote: markup-compatibility views, metafile records, zip headers."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def view(xml: bytes, branch: str) -> bytes:
    """The part as a reader that takes every mc:Choice ("choice": Word 2010 and later, LibreOffice) or
    every mc:Fallback ("fallback": Word 2007, mammoth) sees it (ISO/IEC 29500-3), without the
    markup-compatibility attributes, so that it can be validated on its own."""
    root = etree.fromstring(xml)
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        chosen = alternate.find(f"{{{MC}}}Choice" if branch == "choice" else f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        at = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate(list(chosen) if chosen is not None else []):
            parent.insert(at + offset, child)
    root.attrib.pop(f"{{{MC}}}Ignorable", None)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_view(source: Path, target: Path, branch: str) -> Path:
    """A copy of the package whose document.xml is one markup-compatibility view."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "word/document.xml":
                data = view(data, branch)
            copy.writestr(info.filename, data)
    return target


def texts(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def emf_records(data: bytes) -> list[tuple[int, bytes]]:
    """(type, body) of every record of an enhanced metafile, checking its framing and header."""
    records, offset = [], 0
    while offset < len(data):
        kind, size = struct.unpack_from("<II", data, offset)
        assert size >= 8 and size % 4 == 0 and offset + size <= len(data)
        records.append((kind, data[offset + 8:offset + size]))
        offset += size
    assert records[0][0] == 1 and records[-1][0] == 14  # EMR_HEADER first, EMR_EOF last
    signature, _, total, count, handles = struct.unpack_from("<IIIIH", records[0][1], 32)
    assert signature == 0x464D4520 and total == len(data) and count == len(records)
    created = sum(1 for kind, _ in records if kind in (38, 39, 82))  # pens, brushes, fonts
    assert handles == created + 1  # handle 0 is reserved
    return records


def emf_points(data: bytes) -> list[tuple[int, int]]:
    """Every point of every path record (moves, lines, curves), in the metafile's units."""
    points = []
    for kind, body in emf_records(data):
        if kind in (27, 54):
            points.append(struct.unpack_from("<2i", body))
        elif kind in (5, 6, 88, 89):
            count = struct.unpack_from("<I", body, 16)[0]
            fmt = "h" if kind in (88, 89) else "i"
            values = struct.unpack_from(f"<{2 * count}{fmt}", body, 20)
            points += list(zip(values[::2], values[1::2]))
    return points


def emf_paths(data: bytes) -> list[list[list[tuple[str, list[tuple[int, int]]]]]]:
    """Every path of a metafile (EMR_BEGINPATH … EMR_ENDPATH) as its figures, each a list of
    ("M" | "L" | "C", points) in the metafile's units, as a player traces them."""
    paths, figures = [], None
    for kind, body in emf_records(data):
        if kind == 59:  # EMR_BEGINPATH
            figures = []
        elif kind == 60:  # EMR_ENDPATH
            paths.append([figure for figure in figures if figure])
            figures = None
        elif figures is not None and kind == 27:  # EMR_MOVETOEX
            figures.append([("M", [struct.unpack_from("<2i", body)])])
        elif figures is not None and kind in (5, 6, 88, 89):
            count = struct.unpack_from("<I", body, 16)[0]
            fmt = "h" if kind in (88, 89) else "i"
            values = struct.unpack_from(f"<{2 * count}{fmt}", body, 20)
            figures[-1].append(("L" if kind in (6, 89) else "C", list(zip(values[::2], values[1::2]))))
    return paths


def zip64_headers(path: Path) -> list[str]:
    """The entries whose local or central header carries a ZIP64 extra field (id 1)."""
    found = []
    with zipfile.ZipFile(path) as package, open(path, "rb") as raw:
        for info in package.infolist():
            if _has_zip64(info.extra):
                found.append(f"{info.filename} (central directory)")
            raw.seek(info.header_offset)
            header = raw.read(30)
            name_length, extra_length = struct.unpack_from("<HH", header, 26)
            raw.seek(info.header_offset + 30 + name_length)
            if _has_zip64(raw.read(extra_length)):
                found.append(f"{info.filename} (local header)")
    return found


def _has_zip64(extra: bytes) -> bool:
    offset = 0
    while offset + 4 <= len(extra):
        field, size = struct.unpack_from("<HH", extra, offset)
        if field == 1:
            return True
        offset += 4 + size
    return False
