"""Reading documents back for tests of the campaign's paperwork: the text of a DOCX as Word shows it."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def docx_text(path: Path) -> str:
    """Every w:t of the document joined: the text as Word shows it, whatever the runs (each text box
    once: not again from its VML fallback, which Word shows instead only when it cannot show the box)."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))

    def walk(node) -> str:
        if node.tag == FALLBACK:
            return ""
        own = node.text or "" if node.tag == f"{W}t" else ""
        return own + "".join(walk(child) for child in node)

    return walk(root)
