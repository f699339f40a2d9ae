"""The survey tally as a PDF report: a bar chart of members' averages per branch, and the lists."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from formgen.campaign.survey import COMMEND, TALK, Tally
from formgen.files import atomic_path
from formgen.fonts import default_font_book
from formgen.writers.reportlab_support import DocumentCanvas, register_face

RED = colors.HexColor("#C8161D")
GOLD = colors.HexColor("#D4A017")
GREY = colors.HexColor("#8C8C8C")
# A bar's colour says its verdict at a glance; the legend under each chart names them.
VERDICT_COLOURS = ((COMMEND, GOLD, "五星好评（平均5星）"), (None, RED, "其他"), (TALK, GREY, "约谈（平均低于3星）"))
BAR_ROOM = 26 * mm  # widest room per member: one member's bar should not fill the page


def _styles(face: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=26, alignment=1, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=13, leading=20, spaceBefore=8, textColor=RED,
                                  keepWithNext=1),
        "body": ParagraphStyle("body", fontName=face, fontSize=10.5, leading=16),
        "cell": ParagraphStyle("cell", fontName=face, fontSize=9.5, leading=13),
    }


def _colour(verdict) -> colors.Color:
    return {v: colour for v, colour, _ in VERDICT_COLOURS}.get(verdict, RED)


def _chart(members, face: str, width: float) -> Drawing:
    names = [m.name for m in members]
    values = [m.overall or 0 for m in members]
    height = 60 * mm
    drawing = Drawing(width, height, initialFontName=face)  # not Helvetica, which would not be embedded
    chart = VerticalBarChart()
    plot_width = min(width - 16 * mm, BAR_ROOM * len(members))
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, plot_width, height - 20 * mm
    chart.data = [values]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = face
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = face
    chart.categoryAxis.labels.fontSize = 7 if len(names) > 8 else 8
    chart.categoryAxis.labels.angle = 30 if len(names) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(names) > 8 else "n"
    chart.bars.strokeColor = None
    for index, member in enumerate(members):
        chart.bars[(0, index)].fillColor = _colour(member.verdict)
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = face
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    # The 三星 line, under the bars and their labels: members below it are invited to talk.
    three = chart.y + chart.height * 3 / 5
    drawing.add(Line(chart.x, three, chart.x + chart.width, three, strokeColor=GREY, strokeWidth=0.6,
                     strokeDashArray=[3, 2]))
    drawing.add(String(chart.x + chart.width + 1 * mm, three - 2.5, "3星", fontName=face, fontSize=7,
                       fillColor=GREY))
    drawing.add(chart)
    drawing.add(String(chart.x - 10 * mm, chart.y + chart.height + 4 * mm, "平均星级", fontName=face, fontSize=8))
    return drawing


def _legend(face: str, width: float) -> Drawing:
    drawing = Drawing(width, 8 * mm, initialFontName=face)
    x = 0
    for _, colour, label in VERDICT_COLOURS:
        drawing.add(Rect(x, 2 * mm, 3 * mm, 3 * mm, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 4 * mm, 2.5 * mm, label, fontName=face, fontSize=8))
        x += 4 * mm + stringWidth(label, face, 8) + 6 * mm
    return drawing


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(document.initialFontName, 9)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {document.page} 页")
    canvas.restoreState()


def _table(rows, face: str, bold: str, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), face), ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def write(result: Tally, target: Path, title: str = "创优服务调查问卷统计", pdfa: bool = False) -> None:
    """The report written to target (atomically); with pdfa it claims PDF/A-2b."""
    book = default_font_book()
    face, bold = register_face(book, "NotoSansSC-Regular"), register_face(book, "NotoSansSC-Bold")
    styles = _styles(face, bold)
    width = A4[0] - 36 * mm
    story = [Paragraph(escape(title), styles["title"])]
    quarters = sorted({m.quarter for m in result.members})
    for line in (f"季度：{'、'.join(q or '未注明' for q in quarters)}",
                 f"问题：{'、'.join(result.questions)}",
                 f"参评党员：{len(result.members)}名　无效答案：{len(result.invalid)}个　"
                 f"未计入的答卷：{len(result.problems)}份"):
        story.append(Paragraph(escape(line), styles["body"]))
    story.append(_legend(face, width))
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
            [str(p.row or ""), Paragraph(escape(p.who), styles["cell"]), Paragraph(escape(p.column or ""), styles["cell"]),
             Paragraph(escape(p.message), styles["cell"])]
            for p in result.problems + result.invalid]
        story.append(_table(rows, face, bold, [14 * mm, 26 * mm, 34 * mm, width - 74 * mm]))
    with atomic_path(Path(target)) as temporary:
        document = SimpleDocTemplate(str(temporary), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                     topMargin=18 * mm, bottomMargin=18 * mm, title=title, author="formgen",
                                     subject="调查问卷统计", initialFontName=face)
        document.build(story, onFirstPage=_page_number, onLaterPages=_page_number,
                       canvasmaker=partial(DocumentCanvas, pdfa=pdfa))
