"""Blank workbooks for clerks to fill in: a roster with the columns chosen layouts read, a test-score
sheet for `formgen awards`, an answer sheet for `formgen survey-tally`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence

from formgen.input.records import COLUMN_ALIASES, TEXT_FIELDS
from formgen.typeset.layout import Layout
from formgen.xlsx_cells import append_row, save_workbook

DATA_SHEET = "名册"
NOTES_SHEET = "填写说明"
ROWS_CHECKED = 5000  # rows whose typed values Excel checks (scores 0–100, months 1–12)

# What to write in a column, shown as the header's note and on the notes sheet.
FIELD_NOTES = {
    "工号": "员工编号；按文本保存，前面的 0 会保留。照片可用工号命名，如 000101.jpg",
    "姓名": "生僻字照常填写；两个字的名字不要加空格",
    "蒙文姓名": "传统蒙古文（Unicode，用 Windows 自带或其他 Unicode 蒙古文输入法录入；蒙科立旧编码不能用）",
    "职务": "如 党支部书记、值长",
    "所属党支部": "如 机关第一党支部；--by 所属党支部 按支部分别出文件",
    "单位": "承诺中“我是___党员”的单位",
    "照片": "照片文件名，可不写扩展名；不填时按工号、再按姓名在照片文件夹中查找",
    "党员义务": "承诺一：党员义务", "工作目标": "承诺二：工作目标", "岗位职责": "承诺三：岗位职责",
    "作风建设": "承诺四：作风建设", "重点工作任务": "承诺五：重点工作任务（未填写的承诺印横线，手写）",
    "月份": "1–12 的整数，也可用 --set month=10 统一指定",
    "季度": "如 2024Q3 或 2024年第三季度",
    "自评分": "个人自评，百分制 0–100", "支部评分": "支部综合评价，百分制 0–100",
    "获奖者": "集体奖项（五星党支部、优秀项目）的获奖单位；个人奖项填姓名列",
    "奖项": "如 先进个人、五星党支部", "事由": "证书正文", "颁发日期": "日期，如 2024-09-30",
    "证书编号": "可不填", "验证码": "可不填；由 formgen awards 生成",
}
# 附件3 (quarterly-standards), the branch form and the notices: what to write.
FIELD_NOTES.update({
    "维修日期": "本季度为外地党员职工维修水电设施的日期", "维修对象": "为谁维修", "维修内容": "如 更换水龙头",
    **{f"测血压日期{n}": f"第{n}个月为支部职工测量血压的日期" for n in (1, 2, 3)},
    **{f"测血压对象{n}": f"第{n}个月为谁测量" for n in (1, 2, 3)},
    **{f"讲制度日期{n}": f"第{n}个月为支部党员讲解公司制度的日期" for n in (1, 2, 3)},
    **{f"讲解制度{n}": f"第{n}个月讲解的制度，如《安全生产工作规定》" for n in (1, 2, 3)},
    "资格类别": "从下拉列表中选：专业技术岗位职称等级、操作岗位技能等级、注册安全工程师（安全岗位）",
    "应具备资格": "岗位要求的职称或技能等级，如 中级职称、高级工", "现具备资格": "本人现有的职称或技能等级",
    "技能结论": "从下拉列表中选：高于（给予激励）、符合、低于（限期取得）", "取得期限": "结论为低于时，限期取得的日期",
    "三违": "本年度有无违章指挥、违章作业、违反劳动纪律：无 或 有", "三违说明": "有“三违”时写明情况",
    **{f"业绩指标{n}": f"支部审定的第{n}项季度个人业绩指标" for n in (1, 2, 3)},
    **{f"目标值{n}": f"第{n}项指标的目标" for n in (1, 2, 3)},
    **{f"完成情况{n}": f"第{n}项指标的完成情况" for n in (1, 2, 3)},
    "支部审定意见": "支部对本季度亮标准情况的审定意见；不填时留横线手写",
    "支部书记": "党支部书记姓名", "约谈事由": "约谈的原因，如 技能等级低于岗位要求且未按期取得",
    "约谈时间": "如 2024年10月15日上午9时；不填时留空手写", "约谈地点": "如 党委会议室",
})
for _item in ("支部标准化建设", "品牌建设", "党建融入中心工作", "三亮三比三创活动"):
    FIELD_NOTES.update({f"{_item}情况": f"{_item}：本季度主要工作及完成情况", f"{_item}自评": f"{_item}：支部自评分",
                        f"{_item}考核": f"{_item}：考核分"})
FIELD_CHOICES = {"资格类别": ("专业技术岗位职称等级", "操作岗位技能等级", "注册安全工程师"),
                 "技能结论": ("高于", "符合", "低于"), "三违": ("无", "有")}
DATE_FIELDS = {"颁发日期", "入党日期", "复测日期", "维修日期", "取得期限", "落款日期",
               *(f"{what}{n}" for what in ("测血压日期", "讲制度日期") for n in (1, 2, 3))}
WIDE_FIELDS = {"党员义务", "工作目标", "岗位职责", "作风建设", "重点工作任务", "参加支部活动情况", "个人工作表现",
               "管理效果", "事由"}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    used_by: tuple[str, ...]  # layout titles, or the command that reads the sheet
    note: str = ""  # what to write, on the header's note and the notes sheet
    choices: tuple[str, ...] = ()  # offered as a drop-down list
    between: Optional[tuple[float, float]] = None  # the numbers Excel accepts (a score's 0 to full marks)


SCORE_NOTES = {
    "工号": "可不填：没有工号时，按所属党支部内的姓名对应各季度成绩（同一支部有同名党员时须填工号）",
    "所属党支部": "学习之星、进步之星按支部评选",
    "季度": "如 2024Q3；也可以每个季度一张工作表，表名写季度（如 2024年第三季度），就不用这一列",
    "政治理论": "政治理论测试得分（满分{政治理论:g}分，与业务知识合计为总分）",
    "业务知识": "业务知识测试得分（满分{业务知识:g}分）",
    "总分": "满分{总分:g}分；可不填（按两科之和计算）；填了与两科之和不符会提示",
}


def score_sheet_columns(scale: Mapping[str, float]) -> list[Column]:
    """What `formgen awards` reads: one row per member and quarter; each score checked from 0 to its full
    marks (scale: formgen.campaign.scores.scale_of — the template's 50, 50 and 100, or the profile's)."""
    used_by = ("formgen awards（学习之星、进步之星、劝学信）",)
    return [Column(name, name in ("姓名", "所属党支部", "政治理论", "业务知识"), used_by,
                   SCORE_NOTES.get(name, "").format(**scale), between=(0, scale[name]) if name in scale else None)
            for name in ("工号", "姓名", "所属党支部", "季度", "政治理论", "业务知识", "总分")]


def survey_answer_columns(questions: Sequence[str], ratings: Sequence[str]) -> list[Column]:
    """What `formgen survey-tally` reads: one row per answered form, one column per question."""
    used_by = ("formgen survey-tally（五星好评、约谈名单）",)
    return ([Column("工号", False, used_by), Column("姓名", True, used_by), Column("季度", False, used_by)]
            + [Column(question, False, used_by, f"从下拉列表中选：{'、'.join(ratings)}", tuple(ratings))
               for question in questions])


def columns_for(layouts: Sequence[Layout]) -> list[Column]:
    """The columns the layouts read, in the order clerks know them (工号, 姓名, 职务, …), then the rest."""
    used_by: dict[str, list[str]] = {}
    required: set[str] = set()
    one_of: dict[str, str] = {}  # a column of a group of which a row fills at least one: the note saying so
    for layout in layouts:
        names = layout.fields() + (["照片"] if layout.uses_photo() else [])
        for name in names:
            used_by.setdefault(name, []).append(layout.spec.title)
        required.update(layout.spec.required)
        for group in layout.spec.required_any:
            for name in group:
                one_of[name] = f"{'、'.join(group)}至少填写一项"
    known = [name for name in COLUMN_ALIASES if name in used_by]
    order = known + [name for name in used_by if name not in COLUMN_ALIASES]
    return [Column(name, name in required, tuple(dict.fromkeys(used_by[name])),
                   "；".join(note for note in (FIELD_NOTES.get(name, ""), one_of.get(name, "")) if note),
                   FIELD_CHOICES.get(name, ()))
            for name in order]


def write_roster_template(layouts: Sequence[Layout], path: Path) -> list[Column]:
    """A roster for the layouts (see write_template). Returns the columns written."""
    columns = columns_for(layouts)
    write_template(columns, path, DATA_SHEET)
    return columns


def write_template(columns: Sequence[Column], path: Path, sheet_title: str) -> None:
    """Writes the workbook: a sheet of headers (notes on each, formats and checks on the rows below) and
    a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.freeze_panes = "A2"
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = Comment(_note(column), "formgen", width=260, height=110)
        width = 40 if column.name in WIDE_FIELDS else max(10, 2 * len(column.name) + 4)
        sheet.column_dimensions[letter].width = width
        # The column's own style: Excel gives it to every cell typed in the column, with no empty cells made.
        if column.name in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"  # text: 000101 keeps its zeros
        elif column.name in DATE_FIELDS:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.name in WIDE_FIELDS:
            sheet.column_dimensions[letter].alignment = Alignment(wrap_text=True, vertical="top")
        check = _validation(column, DataValidation)
        if check is not None:
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{ROWS_CHECKED + 1}")

    notes = workbook.create_sheet(NOTES_SHEET)
    append_row(notes, ["列", "必填", "用于", "填写说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        append_row(notes, [column.name, "是" if column.required else "", "、".join(column.used_by), column.note])
    append_row(notes, [])
    append_row(notes, ["第一行是表头，不要改动；上面可以插入一行标题。红色的列必须填写。"])
    for letter, width in zip("ABCD", (16, 6, 40, 70)):
        notes.column_dimensions[letter].width = width

    save_workbook(workbook, path)


def _note(column: Column) -> str:
    lines = [f"{column.name}{'（必填）' if column.required else ''}"]
    if column.note:
        lines.append(column.note)
    lines.append("用于：" + "、".join(column.used_by))
    return "\n".join(lines)


def _validation(column: Column, DataValidation):
    """Excel's own check on what is typed, for the columns with a fixed range or a list of answers."""
    name = column.name
    if column.choices:
        return DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle=name, error="请从下拉列表中选择")
    if column.between is not None:
        low, high = (f"{limit:g}" for limit in column.between)
        return DataValidation(type="decimal", operator="between", formula1=low, formula2=high,
                              showErrorMessage=True, errorTitle=name, error=f"请填写 {low}–{high} 的分数")
    if name in ("自评分", "支部评分"):
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                              showErrorMessage=True, errorTitle=name, error="请填写 0–100 的分数")
    if name == "月份":
        return DataValidation(type="whole", operator="between", formula1="1", formula2="12",
                              showErrorMessage=True, errorTitle=name, error="请填写 1–12 的整数")
    return None
