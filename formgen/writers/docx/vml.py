"""VML fragments: the mc:Fallback of every Word 2010 shape, as Word itself writes it.

A reader that does not know Word 2010's shapes (Word 2007, mammoth, many previewers and converters)
takes the fallback: without one it shows blank pages. Each fallback draws the same thing in VML at
the same place — a text box holding the same paragraphs (or table), a rectangle, a line, a QR code's
path — anchored to the page. Pure functions of decided values; user text comes in already built.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from formgen.writers.docx.drawing import FIRST_Z
from formgen.writers.docx.markup import attr, rgb

WRAP = '<w10:wrap anchorx="page" anchory="page"/>'


@dataclass(frozen=True)
class Place:
    """Where a shape stands on its page, in points, and its stacking order (relativeHeight)."""

    x: float
    y: float
    w: float
    h: float
    z: int
    behind: bool = False


def _pt(value: float) -> str:
    return f"{round(value, 2):g}pt"


def _style(place: Place) -> str:
    # VML puts a shape behind the text by a negative z-index; the order among them is kept.
    z = place.z - 2 * FIRST_Z if place.behind else place.z
    return attr(f"position:absolute;margin-left:{_pt(place.x)};margin-top:{_pt(place.y)};"
                f"width:{_pt(place.w)};height:{_pt(place.h)};z-index:{z};"
                "mso-position-horizontal:absolute;mso-position-horizontal-relative:page;"
                "mso-position-vertical:absolute;mso-position-vertical-relative:page")


def _fill(color: str | None) -> str:
    return f' fillcolor="#{rgb(color)}" filled="t"' if color else ' filled="f"'


def _stroke(color: str | None, width: float, dash: Iterable[float] | None) -> tuple[str, str]:
    """(attributes, child element) of a shape's line; dashes are in points, VML counts line widths."""
    if not color or width <= 0:
        return ' stroked="f"', ""
    child = ""
    if dash:
        dash = list(dash)
        pattern = " ".join(f"{round(d / width, 3):g}" for d in dash + ([] if len(dash) % 2 == 0 else dash))
        child = f'<v:stroke dashstyle="{pattern}"/>'
    return f' strokecolor="#{rgb(color)}" strokeweight="{_pt(width)}" stroked="t"', child


def in_pict(shape: str) -> str:
    return f"<w:pict>{shape}</w:pict>"


# DrawingML's text directions as VML writes them (VML has no Mongolian direction: its lines run
# top to bottom as in vert).
FLOWS = {"horz": "", "vert": "layout-flow:vertical", "mongolianVert": "layout-flow:vertical",
         "vert270": "layout-flow:vertical;mso-layout-flow-alt:bottom-to-top"}


def text_box(place: Place, content: str, vert: str = "horz") -> str:
    """A borderless, unfilled text box with no insets holding content (paragraphs or a table); vert is
    the Word 2010 box's text direction."""
    flow = f" style={attr(FLOWS[vert])}" if FLOWS[vert] else ""
    return in_pict(f'<v:rect style={_style(place)} filled="f" stroked="f">'
                   f'<v:textbox{flow} inset="0,0,0,0"><w:txbxContent>{content}</w:txbxContent></v:textbox>'
                   f"{WRAP}</v:rect>")


def rect(place: Place, fill: str | None, stroke: str | None, width: float, dash: Iterable[float] | None,
         arc: float = 0.0) -> str:
    """A rectangle, its corners rounded by arc (the radius over half the shorter side) when given."""
    stroke_attrs, stroke_child = _stroke(stroke, width, dash)
    kind = "v:roundrect" if arc else "v:rect"
    arc_attr = f' arcsize="{round(arc, 4):g}"' if arc else ""
    return in_pict(f"<{kind} style={_style(place)}{arc_attr}{_fill(fill)}{stroke_attrs}>"
                   f"{stroke_child}{WRAP}</{kind}>")


def line(place: Place, x1: float, y1: float, x2: float, y2: float, color: str, width: float,
         dash: Iterable[float] | None) -> str:
    """A straight line between two points of the page."""
    stroke_attrs, stroke_child = _stroke(color, width, dash)
    style = attr(f"position:absolute;z-index:{place.z};mso-position-horizontal-relative:page;"
                 "mso-position-vertical-relative:page")
    return in_pict(f'<v:line style={style} from="{_pt(x1)},{_pt(y1)}" to="{_pt(x2)},{_pt(y2)}"'
                   f' filled="f"{stroke_attrs}>{stroke_child}{WRAP}</v:line>')


def rectangles(place: Place, size: int, cells: Iterable[tuple[int, int, int, int]], color: str) -> str:
    """Filled rectangles (x0, y0, x1, y1) in a size × size grid stretched over the place: a QR code."""
    path = "".join(f"m{x0},{y0}l{x1},{y0},{x1},{y1},{x0},{y1}x" for x0, y0, x1, y1 in cells) + "e"
    return in_pict(f'<v:shape style={_style(place)} coordsize="{size},{size}" path="{path}"'
                   f'{_fill(color)} stroked="f">{WRAP}</v:shape>')
