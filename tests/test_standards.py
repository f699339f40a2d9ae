"""附件3 党员季度亮标准管理清单: filled from the sample sheet (dates as Excel dates and text, drop-down
verdicts, the usual slips named by row and column), printed blank from a roster, and the sheet that
`formgen template quarterly-standards` writes filled in and read back."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from formgen.api import Job, Output, compose, render
from formgen.cli.main import main
from formgen.document import Rule
from formgen.resources import SAMPLES_DIR

from .conftest import pdf_text
from .readback import docx_text


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    out = tmp_path_factory.mktemp("standards") / "清单.pdf"
    report = render(Job("quarterly-standards"), SAMPLES_DIR / "standards.xlsx", Output(out, ("pdf", "docx")))
    return out, report


def flat(path) -> list[str]:
    return [re.sub(r"\s+", "", page) for page in pdf_text(path)]


def test_each_member_gets_a_form_and_each_slip_is_named(filled):
    out, report = filled
    assert report.rendered == 5
    assert [(p.row, p.who, p.column) for p in report.failed] == [(5, "黄𫖯", "技能结论"), (7, "周雅琴", "讲制度日期1")]
    assert "“较好”不是高于、符合、低于之一" in report.failed[0].message
    assert "“7月5日”不是日期" in report.failed[1].message
    pages = flat(out)
    assert len(pages) == 5
    assert [re.search(r"姓名(\S+?)所属党支部", p).group(1) for p in pages] == ["王喆", "李堃", "张敏", "吴建国", "郑晓东"]


def test_the_form_holds_the_three_standards_and_the_verdicts(filled):
    out, _ = filled
    wang, li, zhang = flat(out)[:3]
    assert "党员季度亮标准管理清单（2024年第三季度）" in wang
    assert "服务职工“三个一”" in wang and "更换卫生间水龙头" in wang and "2024.09.13" in wang
    assert "2024.09.06" in wang  # typed as the text 2024/9/6
    assert "▣专业技术岗位职称等级" in wang and "▣高于岗位要求（给予激励）" in wang and "▣无□有" in wang
    assert "月度重点工作完成率100%100%" in wang and "完成本季度亮标准各项任务，同意。" in wang
    assert "▣低于（限期取得，期限：二〇二五年六月三十日）" in li
    # nothing filled in yet: no box ticked, no date, every part left to write on
    assert "▣" not in zhang and "2024." not in zhang and "张敏" in zhang
    assert "李堃" in docx_text(out.with_suffix(".docx"))


def test_printed_blank_from_a_roster_with_lines_to_write_on():
    composition = compose(Job("quarterly-standards", options={"quarter": "2024Q3"}), SAMPLES_DIR / "roster.xlsx")
    assert composition.report.failed == [] and len(composition.document.pages) == 20
    first = composition.document.pages[0]
    rules = [i for i in first.items if isinstance(i, Rule) and i.name == "opinion-lines-rule"]
    assert len(rules) == 3


def test_the_template_is_the_sheet_the_form_reads(tmp_path):
    from openpyxl import load_workbook

    template = tmp_path / "清单.xlsx"
    assert main(["template", "quarterly-standards", "-o", str(template)]) == 0
    workbook = load_workbook(template)
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    for column in ("姓名", "职务", "所属党支部", "维修日期", "测血压对象3", "讲解制度2", "资格类别", "技能结论", "取得期限",
                   "三违", "业绩指标3", "完成情况3", "支部审定意见"):
        assert column in header
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert '"高于,符合,低于"' in lists and '"无,有"' in lists
    values = {"姓名": "赵𬌗", "职务": "财务主管", "所属党支部": "机关第二党支部", "维修日期": dt.datetime(2024, 8, 2),
              "技能结论": "符合", "三违": "有", "三违说明": "8月一次违反劳动纪律"}
    sheet.append([values.get(name) for name in header])
    workbook.save(template)
    out = tmp_path / "赵.pdf"
    report = render(Job("quarterly-standards", options={"quarter": "2024Q3"}), template, Output(out))
    assert report.failed == []
    (page,) = flat(out)
    assert "赵𬌗" in page and "2024.08.02" in page and "□符合" not in page and "▣符合" in page
    assert "□无▣有：8月一次违反劳动纪律" in page
