"""The survey tally as a PDF report: a bar chart of members' averages per branch, and the lists."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..fonts import default_font_book
from ..survey import COMMEND, TALK, Tally
from .atomic import atomic_path
from .pdf import _register

RED = colors.HexColor("#C8161D")


def _styles(face: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=26, alignment=1, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=13, leading=20, spaceBefore=8, textColor=RED),
        "body": ParagraphStyle("body", fontName=face, fontSize=10.5, leading=16),
    }


def _chart(members, face: str, width: float) -> Drawing:
    names = [m.name for m in members]
    values = [m.overall or 0 for m in members]
    height = 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 14 * mm, width - 16 * mm, height - 20 * mm
    chart.data = [values]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = face
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = face
    chart.categoryAxis.labels.fontSize = 7 if len(names) > 8 else 8
    chart.categoryAxis.labels.angle = 30 if len(names) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(names) > 8 else "n"
    chart.bars[0].fillColor = RED
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = face
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(0, height - 5 * mm, "平均星级", fontName=face, fontSize=8))
    return drawing


def _table(rows, face: str, bold: str, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), face), ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def write(result: Tally, target: Path, title: str = "创优服务调查问卷统计") -> None:
    book = default_font_book()
    face, bold = _register(book, "NotoSansSC-Regular"), _register(book, "NotoSansSC-Bold")
    styles = _styles(face, bold)
    width = A4[0] - 36 * mm
    story = [Paragraph(escape(title), styles["title"])]
    quarters = sorted({m.quarter for m in result.members})
    story.append(Paragraph(escape(f"季度：{'、'.join(q or '未注明' for q in quarters)}　问题：{'、'.join(result.questions)}"
                                  f"　答卷成员：{len(result.members)}　无效答案：{len(result.invalid)}"), styles["body"]))
    branches: dict[str, list] = {}
    for member in result.members:
        branches.setdefault(member.branch or "未注明支部", []).append(member)
    for branch, members in sorted(branches.items()):
        story += [Paragraph(escape(branch), styles["heading"]), _chart(members, face, width)]
    for verdict, heading in ((COMMEND, "五星好评名单"), (TALK, "约谈名单（平均低于三星）")):
        chosen = [m for m in result.members if m.verdict == verdict]
        story.append(Paragraph(escape(heading), styles["heading"]))
        if chosen:
            rows = [["季度", "工号", "姓名", "所属党支部", "平均星级", "答卷数"]] + [
                [m.quarter, m.staff_id, m.name, m.branch, f"{m.overall:.2f}", str(m.responses)] for m in chosen]
            story.append(_table(rows, face, bold, [30 * mm, 20 * mm, 24 * mm, 46 * mm, 20 * mm, 16 * mm]))
        else:
            story.append(Paragraph("无", styles["body"]))
    if result.invalid or result.problems:
        story += [Spacer(1, 4 * mm), Paragraph("无效答案与未计入的答卷", styles["heading"])]
        rows = [["行号", "姓名/工号", "列", "说明"]] + [
            [str(p.row or ""), p.who, p.column or "", Paragraph(escape(p.message), styles["body"])]
            for p in result.problems + result.invalid]
        story.append(_table(rows, face, bold, [14 * mm, 26 * mm, 34 * mm, width - 74 * mm]))
    with atomic_path(Path(target)) as temporary:
        document = SimpleDocTemplate(str(temporary), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                     topMargin=18 * mm, bottomMargin=18 * mm, title=title, author="formgen",
                                     invariant=1, initialFontName=face)
        document.build(story)
