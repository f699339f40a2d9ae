"""WordprocessingML fragments: runs, paragraphs, tables and cells, section properties.

Pure functions from decided values (points, font families, alignments) to XML text; user text
passes through markup.text()/attr(). What to decide (alignment, indents) is placement's job.
"""
from __future__ import annotations

from typing import Callable

from formgen.document import Cell, Table
from formgen.writers.docx.markup import attr, font_attr, rgb, text, twips

# A paragraph that takes (almost) no room: it carries a page's drawings, or fills an empty cell.
TINY_SPACING = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'


def run(value: str, family: str, bold: bool, size: float, color: str, char_space: float) -> str:
    """A run naming its font in all four slots, so no script falls back to another font."""
    name = font_attr(family)
    props = (f"<w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>"
             + ("<w:b/><w:bCs/>" if bold else "")
             + f'<w:color w:val="{rgb(color)}"/>'
             + (f'<w:spacing w:val="{twips(char_space)}"/>' if char_space else "")
             + f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
             + '<w:lang w:eastAsia="zh-CN"/>')
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text(value)}</w:t></w:r>'


def shaped_run(value: str, family: str, size: float, color: str, language: str) -> str:
    """A run of shaped script (traditional Mongolian): the word processor shapes it again from the text,
    with the same font (embedded) named in all four slots, and the language said."""
    name = font_attr(family)
    props = (f"<w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>"
             f'<w:color w:val="{rgb(color)}"/>'
             f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
             f'<w:lang w:val={attr(language)} w:eastAsia="zh-CN" w:bidi={attr(language)}/>')
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text(value)}</w:t></w:r>'


def paragraph(runs: str, jc: str, left: float, right: float, line_height: float, size: float) -> str:
    """One composed line: exact line height, the given alignment and indents, no wrapping of words."""
    spacing = f'<w:spacing w:before="0" w:after="0" w:line="{twips(line_height)}" w:lineRule="exact"/>'
    # Autospace stays on: the composer has measured lines with it (LibreOffice cannot switch it off).
    ppr = ('<w:pPr><w:wordWrap w:val="0"/>'
           f'<w:snapToGrid w:val="0"/>{spacing}<w:ind w:left="{twips(left)}" w:right="{twips(right)}" '
           f'w:firstLine="0"/><w:jc w:val="{jc}"/><w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr></w:pPr>')
    return f"<w:p>{ppr}{runs}</w:p>"


def page_paragraph(drawings: str, section: str) -> str:
    """The one small paragraph that carries a page's anchored drawings; section ends the page's
    section (empty on the last page, whose section is the body's own)."""
    # CT_PPr: the paragraph mark's run properties come before the section properties.
    ppr = f'<w:pPr>{TINY_SPACING}<w:rPr><w:sz w:val="2"/></w:rPr>{section}</w:pPr>'
    return f"<w:p>{ppr}{drawings}</w:p>"


def box_end_paragraph() -> str:
    """The paragraph a text box must end with after a table, as small as can be."""
    return f'<w:p><w:pPr>{TINY_SPACING}<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'


def section(width: float, height: float) -> str:
    """A section of the page's exact size with no margins."""
    orient = ' w:orient="landscape"' if width > height else ""
    return (f'<w:sectPr><w:type w:val="nextPage"/><w:pgSz w:w="{twips(width)}" w:h="{twips(height)}"'
            f'{orient}/>'
            '<w:pgMar w:top="0" w:right="0" w:bottom="0" w:left="0" w:header="0" w:footer="0" w:gutter="0"/>'
            '<w:cols w:space="0"/><w:docGrid w:linePitch="1"/></w:sectPr>')


def table(item: Table, body: Callable[[Cell, float], str]) -> str:
    """A fixed-layout table of exact column widths and row heights; body(cell, width inside the
    padding) gives a cell's paragraphs."""
    border = round(item.border_width * 8)
    edge = f'w:val="single" w:sz="{border}" w:space="0" w:color="{rgb(item.border_color)}"' if border \
        else 'w:val="nil"'
    borders = "".join(f"<w:{side} {edge}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in item.column_widths)
    props = (f'<w:tblPr><w:tblW w:w="{twips(item.box.w)}" w:type="dxa"/>'
             f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
             '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="0000"/></w:tblPr>')
    starts = {(c.row, c.col): c for c in item.cells}
    covered: dict[tuple[int, int], Cell] = {}
    for cell in item.cells:
        for r in range(cell.row + 1, cell.row + cell.row_span):
            covered[(r, cell.col)] = cell
    rows = []
    for r, height in enumerate(item.row_heights):
        cells, c = [], 0
        while c < len(item.column_widths):
            if (r, c) in starts:
                cell = starts[(r, c)]
                cells.append(table_cell(cell, item, body, restart=cell.row_span > 1))
                c += cell.col_span
            elif (r, c) in covered:
                cell = covered[(r, c)]
                cells.append(table_cell(cell, item, body, continued=True))
                c += cell.col_span
            else:
                c += 1
        rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{twips(height)}" w:hRule="exact"/></w:trPr>'
                    + "".join(cells) + "</w:tr>")
    return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def table_cell(cell: Cell, item: Table, body: Callable[[Cell, float], str], restart: bool = False,
               continued: bool = False) -> str:
    """A cell, or (continued) the part of a cell merged down into a later row."""
    width = sum(item.column_widths[cell.col:cell.col + cell.col_span])
    left, top, right, bottom = cell.padding
    props = f'<w:tcW w:w="{twips(width)}" w:type="dxa"/>'
    if cell.col_span > 1:
        props += f'<w:gridSpan w:val="{cell.col_span}"/>'
    if restart:
        props += '<w:vMerge w:val="restart"/>'
    elif continued:
        props += "<w:vMerge/>"
    if cell.fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{rgb(cell.fill)}"/>'
    props += (f'<w:tcMar><w:top w:w="{twips(top)}" w:type="dxa"/><w:left w:w="{twips(left)}" w:type="dxa"/>'
              f'<w:bottom w:w="{twips(bottom)}" w:type="dxa"/><w:right w:w="{twips(right)}" w:type="dxa"/>'
              "</w:tcMar>")
    props += f'<w:vAlign w:val="{ {"middle": "center"}.get(cell.valign, cell.valign) }"/>'
    content = cell.content
    if continued or content is None or not content.lines:
        paragraphs = f"<w:p><w:pPr>{TINY_SPACING}</w:pPr></w:p>"
    else:
        paragraphs = body(cell, width - left - right)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"
