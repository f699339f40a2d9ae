"""Where the DOCX puts text so that word processors draw it where the composer did.

Measured rules of the renderers (LibreOffice; Word where documented), kept apart from the XML so
that each can be checked and changed on its own.
"""
from __future__ import annotations

from formgen.document import Text, TextLine

# Room given to text boxes beyond the composed box on the right: the composer has broken the lines, and
# a small difference in another renderer's widths must not wrap them again.
TEXT_BOX_SLACK = 72.0
# The least room (points) left around a centred or right-aligned line, or spread over a distributed
# one, for the paragraph to be aligned by the word processor rather than placed by its indent.
ALIGN_MARGIN = 0.5


def room(wanted: float, available: float) -> float:
    """Extra room to give a box: what is wanted, as far as the page has it (never negative)."""
    return max(0.0, min(wanted, available))


def baseline_in_line(size: float, line_height: float, ascent: float, descent: float) -> float:
    """Where LibreOffice puts the baseline inside a line of exact height, from the line's top.

    Measured: the line is shared between ascent and descent in the font's own proportion (hhea
    metrics), whatever the line height; not centred on the em box as the composer places it.
    """
    return line_height * ascent / (ascent + descent)


def first_line_top(item: Text, ascent: float, descent: float) -> float:
    """Where the first line box must start (from the item's box top) for the baselines to agree;
    ascent and descent are the first run's face's line metrics in ems."""
    return item.lines[0].baseline - baseline_in_line(item.size, item.line_height, ascent, descent)


def alignment(line: TextLine, item: Text, container: float) -> tuple[str, float, float, bool]:
    """(w:jc, left indent, right indent, keep the composer's char spacing) for one composed line.

    The paragraph states the layout's alignment, so an edited line re-aligns as the layout meant,
    and its indents leave exactly the room the composer aligned the line in, so the unedited line
    lands where the composer put it. Where that room is too tight to be safe against another
    renderer's rounding, the line is placed by its indent alone. Justified lines are placed so too:
    each composed line is a paragraph of its own, which Word would not stretch as a last line, so
    the composer's char spacing stretches it.
    """
    box_width = item.box.w
    start, end = line.x, line.x + line.width
    characters = len(line.text)
    if item.align == "distribute" and characters > 1 and line.char_space > ALIGN_MARGIN / (characters - 1):
        return "distribute", start, container - end, False
    if item.align == "center":
        centre = (start + end) / 2
        half = min(centre, box_width - centre)
        if half - line.width / 2 >= ALIGN_MARGIN:
            return "center", centre - half, container - (centre + half), True
    if item.align == "right" and start >= ALIGN_MARGIN:
        return "right", 0.0, container - end, True
    return "left", start, 0.0, True
