"""The Python API: the same four verbs as the command line."""
from __future__ import annotations

import datetime as dt
import re

import formgen
from formgen.api import Job
from formgen.document import Image, Matrix, Table, Text
from formgen.input.org import load_org

from .conftest import pdf_text


def test_load_compose_write(tmp_path, roster, photos, org):
    layout = formgen.load_layout("name-card")
    records = formgen.load_records(roster, photos=photos)
    composition = formgen.compose(Job(layout, org=load_org(org)), records)
    document, report = composition.document, composition.report
    pages = document.pages
    assert report.rendered == 6 and len(pages) == 6
    first = pages[0]
    names = {item.name: item for item in first.items if getattr(item, "name", None)}
    assert isinstance(names["name"], Text) and names["name"].text == "王喆"
    assert isinstance(names["photo"], Image)
    assert isinstance(names["qr"], Matrix) and names["qr"].content == "https://party.example.org/m/000101"
    assert formgen.write(document, tmp_path / "cards.pdf") == 6
    assert "王喆" in re.sub(r"\s+", "", pdf_text(tmp_path / "cards.pdf")[0])


def test_records_can_be_plain_dicts(tmp_path):
    report = formgen.render(Job("monthly-summary"), [{"姓名": "王喆", "自评分": 90}], tmp_path / "m.pdf")
    assert report.rendered == 1 and report.outputs == [tmp_path / "m.pdf"]


def test_photos_are_looked_up_only_for_layouts_that_print_them(tmp_path):
    rows = [{"姓名": "王喆", "所属党支部": "机关第一党支部", "照片": "000101.jpg"}]
    survey = formgen.render(Job("survey", options={"quarter": "2024Q3"}), rows, tmp_path / "s.pdf")
    assert survey.rendered == 1 and survey.warnings == []
    pledge = formgen.render(Job("pledge-card"), rows, tmp_path / "p.pdf")
    assert [p.column for p in pledge.warnings] == ["照片"]  # no photo folder given: a frame instead
    assert "没有指定照片文件夹" in pledge.warnings[0].message and pledge.warnings[0].row is None  # said once


def test_table_model_has_merged_cells():
    pages = formgen.compose(Job("monthly-summary"), [{"姓名": "王喆"}]).document.pages
    table = next(item for item in pages[0].items if isinstance(item, Table))
    spans = {(cell.row, cell.col): (cell.row_span, cell.col_span) for cell in table.cells}
    assert spans[(1, 1)] == (1, 3)  # the activity text spans three columns
    assert spans[(4, 0)] == (2, 1)  # 个人自评结论 spans the score row and the signature row
    assert len(table.column_widths) == 4 and len(table.row_heights) == 8


def test_letter_flows_onto_a_second_page_keeping_the_signature_with_text(tmp_path, org):
    record = {"姓名": "王喆", "所属党支部": "机关第一党支部", "季度": "2024Q3", "政治理论": 22, "业务知识": 30,
              "总分": 52, "及格线": 60, "薄弱科目": [{"科目": "政治理论", "得分": 22, "及格线": 30, "差距": 8}],
              "学习内容": ["党章党规", "岗位安全操作规程"] * 6, "复测日期": dt.date(2024, 10, 20),
              "落款日期": dt.date(2024, 9, 30)}
    out = tmp_path / "letter.pdf"
    report = formgen.render(Job("study-reminder", org=load_org(org)), [record], out)
    assert report.failed == []
    pages = [re.sub(r"\s+", "", p) for p in pdf_text(out)]
    assert len(pages) == 2
    assert "王喆同志：" in pages[0] and "总分为52分" in pages[0] and "政治理论得分22分，比合格要求低8分" in pages[0]
    assert "二〇二四年十月二十日" in "".join(pages)
    assert pages[0].endswith("—1—") and pages[1].endswith("—2—")  # GB/T 9704 page numbers
    last = pages[1].removesuffix("—2—")
    assert last.endswith("机关第一党支部二〇二四年九月三十日")
    assert len(last) > len("机关第一党支部二〇二四年九月三十日")  # not a page of signature alone


def test_certificate_for_a_member_and_for_a_branch(tmp_path, org):
    records = [
        {"姓名": "黄𫖯", "奖项": "学习之星", "颁发日期": dt.date(2024, 9, 30), "证书编号": "SLN-2024-XX-0001",
         "事由": "在2024年第三季度“三亮三比三创”活动中，被评为“学习之星”。特发此证，以资鼓励。"},
        {"获奖者": "生产运营党支部" * 4, "奖项": "五星党支部", "颁发日期": dt.date(2024, 12, 31),
         "事由": "被评为“五星党支部”。"},
    ]
    out = tmp_path / "cert.pdf"
    report = formgen.render(Job("certificate", org=load_org(org)), records, out)
    assert report.failed == [] and report.warnings == []
    first, second = (re.sub(r"\s+", "", p) for p in pdf_text(out))
    assert "黄𫖯同志：" in first and "二〇二四年九月三十日" in first and "SLN-2024-XX-0001" in first
    assert "生产运营党支部" * 4 + "：" in second and "同志" not in second and "二〇二四年十二月三十一日" in second
