"""DrawingML fragments: anchors on the page, shapes and their geometry, pictures and text boxes.

Pure functions from numbers (points) and already-built inner XML to XML text; user text passes
through markup.text()/attr(). Ids and z-order are the caller's (the walker's).
"""
from __future__ import annotations

from typing import Iterable

from formgen.writers.docx.markup import attr, emu, rgb

WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"
RECT = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
# Word numbers the stacking order of a page's drawings (relativeHeight, and VML's z-index, which
# shares the same space) from here; a document's drawings count up from it.
FIRST_Z = 251659264


def anchor(drawing_id: int, z: int, x: float, y: float, w: float, h: float, graphic: str, name: str,
           behind: bool = False, description: str = "") -> str:
    """A drawing anchored to the page at (x, y), in front of or behind the text, wrapping nothing;
    description is its alternative text (what a picture of text says)."""
    descr = f" descr={attr(description)}" if description else ""
    return ('<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="{z}" behindDoc="{1 if behind else 0}" locked="0" layoutInCell="1" '
            'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{emu(x)}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{emu(y)}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{emu(w)}" cy="{emu(h)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{drawing_id}" name={attr(f"{name} {drawing_id}")}{descr}/><wp:cNvGraphicFramePr/>'
            f"<a:graphic>{graphic}</a:graphic></wp:anchor></w:drawing>")


def in_run(content: str) -> str:
    return f"<w:r>{content}</w:r>"


def word_2010(choice: str, fallback: str = "") -> str:
    """Content that needs Word 2010's shapes, inside AlternateContent as Word writes it."""
    fallback_xml = f"<mc:Fallback>{fallback}</mc:Fallback>" if fallback else "<mc:Fallback/>"
    return f'<mc:AlternateContent><mc:Choice Requires="wps">{choice}</mc:Choice>{fallback_xml}</mc:AlternateContent>'


def xfrm(w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def solid_fill(color: str | None) -> str:
    return f'<a:solidFill><a:srgbClr val="{rgb(color)}"/></a:solidFill>' if color else "<a:noFill/>"


def outline(color: str | None, width: float, dash: Iterable[float] | None) -> str:
    """The shape's line; dashes are in points, written relative to the line width as DrawingML wants."""
    if not color or width <= 0:
        return "<a:ln><a:noFill/></a:ln>"
    dash_xml = ""
    if dash:
        dash = list(dash)
        pairs = dash + ([] if len(dash) % 2 == 0 else dash)
        dash_xml = "<a:custDash>" + "".join(
            f'<a:ds d="{round(on / width * 100000)}" sp="{round(off / width * 100000)}"/>'
            for on, off in zip(pairs[::2], pairs[1::2])) + "</a:custDash>"
    return f'<a:ln w="{emu(width)}"><a:solidFill><a:srgbClr val="{rgb(color)}"/></a:solidFill>{dash_xml}</a:ln>'


def round_rect(adjust: int) -> str:
    return f'<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val {adjust}"/></a:avLst></a:prstGeom>'


def custom_path(width: int, height: int, commands: str, filled: bool = True) -> str:
    """A custom geometry of one path in its own coordinate space of width × height."""
    fill = "" if filled else ' fill="none"'
    return ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
            f'<a:pathLst><a:path w="{width}" h="{height}"{fill}>{commands}</a:path></a:pathLst></a:custGeom>')


def point(x: int, y: int) -> str:
    return f'<a:pt x="{x}" y="{y}"/>'


def line_commands(x1: int, y1: int, x2: int, y2: int) -> str:
    return f"<a:moveTo>{point(x1, y1)}</a:moveTo><a:lnTo>{point(x2, y2)}</a:lnTo>"


def rectangle_commands(x0: int, y0: int, x1: int, y1: int) -> str:
    return (f"<a:moveTo>{point(x0, y0)}</a:moveTo><a:lnTo>{point(x1, y0)}</a:lnTo>"
            f"<a:lnTo>{point(x1, y1)}</a:lnTo><a:lnTo>{point(x0, y1)}</a:lnTo><a:close/>")


def shape(w: float, h: float, geometry: str, fill: str | None, stroke: str | None, width: float,
          dash: Iterable[float] | None) -> str:
    """A Word 2010 shape (wps) of w × h points: geometry, fill and line."""
    return (f'<a:graphicData uri="{WPS}">'
            f"<wps:wsp><wps:cNvSpPr/><wps:spPr>{xfrm(w, h)}{geometry}{solid_fill(fill)}"
            f"{outline(stroke, width, dash)}</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>")


def picture(drawing_id: int, relationship: str, w: float, h: float, name: str) -> str:
    """A picture stretched over w × h points, its pixels in the part named by relationship."""
    return (f'<a:graphicData uri="{PICTURE}"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="{drawing_id}" name={attr(name)}/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{relationship}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f"<pic:spPr>{xfrm(w, h)}{RECT}</pic:spPr></pic:pic></a:graphicData>")


def text_box(w: float, h: float, content: str, vert: str = "horz") -> str:
    """A borderless, unfilled text box of w × h points with no insets, holding content (paragraphs
    or a table) that neither grows the box nor is shrunk to it; vert turns its text (mongolianVert,
    vert270)."""
    return (f'<a:graphicData uri="{WPS}">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
            f'{xfrm(w, h)}{RECT}<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
            f'<wps:bodyPr rot="0" vert="{vert}" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" '
            'anchorCtr="0" upright="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>')
