"""Reading documents back for tests of the campaign's paperwork: the text of a DOCX as Word shows it."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """Every w:t of the document joined: the text as Word shows it, whatever the runs."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    return "".join(node.text or "" for node in root.iter(f"{W}t"))
