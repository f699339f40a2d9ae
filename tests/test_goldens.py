"""Every built-in layout's composed pages, described as text and compared with the reviewed goldens.

A change in any layout's geometry — a line break, a baseline, a crop, a table row — shows up here as
a readable diff. After an intended change, rerun with --update-goldens and review the diff in git.
"""
from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from formgen.api import Job, compose, load_records
from formgen.describe import describe
from formgen.input.layouts import load_layout
from formgen.input.org import load_org
from formgen.resources import LAYOUTS_DIR
from formgen.typeset.composer import Environment

from .conftest import member, portrait

GOLDENS = Path(__file__).parent / "goldens"

MEMBERS = [member("000101", "黄𫖯", 职务="党支部书记", 党员义务="认真学习党的理论，按时交纳党费。"),
           member("000102", "乌兰巴特尔", 职务="值长", 所属党支部="生产运营党支部", 自评分=92, 支部评分=95,
                  个人工作表现="完成锅炉检修，节约成本12万元。")]
CASES = {
    "name-card": (MEMBERS, {}),
    "name-card-copy": (MEMBERS[:1], {"back": "copy"}),
    "name-card-badge": (MEMBERS, {}),
    "pledge-card": (MEMBERS, {}),
    "survey": (MEMBERS[:1], {"quarter": "2024Q3"}),
    "monthly-summary": (MEMBERS, {}),
    "certificate": ([{"姓名": "黄𫖯", "奖项": "学习之星", "颁发日期": dt.date(2024, 9, 30),
                      "证书编号": "FG-2024-XX-0001", "验证码": "https://x.org/v?s=FG-2024-XX-0001",
                      "事由": "在2024年第三季度活动中，被评为“学习之星”。"}], {}),
    "study-reminder": ([{"姓名": "王喆", "所属党支部": "机关第一党支部", "季度": "2024Q3", "政治理论": 25,
                         "业务知识": 30, "总分": 55, "及格线": 60,
                         "薄弱科目": [{"科目": "政治理论", "得分": 25, "及格线": 30, "差距": 5}],
                         "学习内容": ["党章党规", "安全生产规程"], "复测日期": dt.date(2024, 10, 20),
                         "落款日期": dt.date(2024, 10, 8)}], {}),
    "political-birthday": ([{"姓名": "黄𫖯", "所属党支部": "设备维修党支部", "入党日期": "1994年10月1日", "入党年数": 30,
                             "政治生日": "10月1日", "逢十": "逢十", "落款日期": dt.date(2024, 10, 1)}], {}),
    "branch-quarterly": ([{"所属党支部": "生产运营党支部", "支部书记": "刘䶮", "季度": "2024Q3",
                           "支部标准化建设情况": "支部建在值上，标准化达标", "支部标准化建设自评": 39, "支部标准化建设考核": 39,
                           "品牌建设自评": 19, "品牌建设考核": 19, "党建融入中心工作考核": 24, "三亮三比三创活动考核": 14,
                           "考核总分": 96, "自评总分": 97}], {}),
    "branch-quarterly-blank": ([{"所属党支部": "机关第二党支部"}], {}),
    "branch-review-report": ([{"季度": "2024Q3", "支部数": 3, "平均分": "85.33", "合格线": "85", "五星线": "90",
                               "排名": [{"名次": 1, "所属党支部": "生产运营党支部", "支部书记": "刘䶮", "得分": "96",
                                         "结论": "建议评为五星党支部"},
                                        {"名次": 2, "所属党支部": "安全环保党支部", "支部书记": "—", "得分": "85",
                                         "结论": "合格"},
                                        {"名次": 3, "所属党支部": "机关第二党支部", "支部书记": "沈佳怡", "得分": "75",
                                         "结论": "约谈"}],
                               "约谈": [{"所属党支部": "机关第二党支部", "支部书记": "沈佳怡", "得分": "75"}],
                               "五星": [{"所属党支部": "生产运营党支部", "支部书记": "刘䶮", "得分": "96"}],
                               "落款日期": dt.date(2024, 10, 10)}], {}),
    "interview-notice": ([{"姓名": "黄𫖯", "所属党支部": "设备维修党支部", "季度": "2024年第三季度", "总平均": 2.33,
                           "落款日期": dt.date(2024, 10, 10)},
                          {"姓名": "沈佳怡", "所属党支部": "机关第二党支部", "季度": "2024Q3", "得分": 75},
                          {"所属党支部": "机关第二党支部", "约谈事由": "你的岗位技能等级低于岗位要求。"}],
                         {"place": "党委会议室"}),
    "quarterly-standards": ([member("000101", "王喆", 职务="党支部书记", 季度="2024Q3", 维修日期=dt.date(2024, 7, 16),
                                    维修对象="蒋志强", 维修内容="更换卫生间水龙头", 测血压日期1="2024-07-15", 测血压对象1="周雅琴",
                                    讲解制度1="《安全生产工作规定》", 资格类别="专业技术岗位职称等级", 应具备资格="中级职称",
                                    现具备资格="高级职称", 技能结论="高于", 三违="无", 业绩指标1="月度重点工作完成率",
                                    目标值1="100%", 完成情况1="100%", 支部审定意见="同意。")], {}),
    "quarterly-standards-blank": (MEMBERS[:1], {"quarter": "2024Q3"}),
    # the stickers with the members' names (without them, only the words print: tests/test_stickers.py)
    **{name: (MEMBERS, {"name": True}) for name in ("helmet-sticker", "helmet-sticker-small", "helmet-sticker-round",
                                                    "helmet-sticker-round-small")},
}

# The bilingual layouts: members with a Mongolian name (one with a space, one with an MVS) and a
# profile with the Mongolian names.
MN_MEMBERS = [dict(MEMBERS[0], 蒙文姓名="ᠬᠤᠸᠠᠩ ᠰᠢᠤ"), dict(MEMBERS[1], 蒙文姓名="ᠤᠯᠠᠭᠠᠨᠪᠠᠭᠠᠲᠤᠷ")]
MN_ORG = {"organisation_mn": "ᠣᠷᠳᠣᠰ ᠬᠣᠲᠠ\u202fᠶᠢᠨ ᠡᠨᠧᠷᠭᠢ ᠺᠣᠮᠫᠠᠨᠢ",
          "committee_mn": "ᠣᠷᠳᠣᠰ ᠬᠣᠲᠠ\u202fᠶᠢᠨ ᠡᠨᠧᠷᠭᠢ ᠺᠣᠮᠫᠠᠨᠢ\u202fᠶᠢᠨ ᠨᠠᠮ\u202fᠤᠨ ᠬᠣᠷᠢᠶ\u180eᠠ",
          "certificate_title_mn": "ᠬᠦᠨᠳᠦᠯᠡᠯ\u202fᠦᠨ ᠭᠡᠷᠡᠴᠢᠯᠡᠬᠦ ᠪᠢᠴᠢᠭ"}
CASES.update({
    "certificate-mn": ([dict(CASES["certificate"][0][0], 蒙文姓名="ᠬᠤᠸᠠᠩ ᠰᠢᠤ")], {}),
    "name-card-mn": (MN_MEMBERS, {}),
    "name-card-badge-mn": (MN_MEMBERS, {}),
    "study-reminder-mn": ([dict(CASES["study-reminder"][0][0], 蒙文姓名="ᠸᠠᠩ ᠵᠸ")], {}),
})

VARIANT_OF = {"name-card-copy": "name-card", "branch-quarterly-blank": "branch-quarterly",
              "quarterly-standards-blank": "quarterly-standards"}  # cases that are another layout with other options
ENV = Environment.default(today=dt.date(2024, 10, 8))  # a fixed clock: goldens do not change with the date

# Every built-in layout has a golden: a layout file added without one fails here until its golden is
# written (--update-goldens) and reviewed. Layouts without a case of their own compose the members above.
ALL_CASES = sorted(set(CASES) | {path.stem for path in LAYOUTS_DIR.glob("*.yaml")})


@pytest.mark.parametrize("case", ALL_CASES)
def test_composed_pages_match_the_golden(case, tmp_path, org, request):
    rows, options = CASES.get(case, (MEMBERS, {}))
    photos = tmp_path / "photos"
    photos.mkdir()
    portrait(photos / "000101.jpg")
    layout = load_layout(VARIANT_OF.get(case, case))
    profile = {**load_org(org), **(MN_ORG if case.endswith("-mn") else {})}
    composition = compose(Job(layout, org=profile, options=options), load_records(rows, photos), env=ENV)
    assert composition.report.failed == []
    text = describe(composition.document.pages)
    golden = GOLDENS / f"{case}.txt"
    if request.config.getoption("--update-goldens"):
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"layout {case} has no golden: run pytest tests/test_goldens.py --update-goldens and review "
                    f"goldens/{case}.txt before committing it")
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"goldens/{case}.txt", "composed now", n=1))
        pytest.fail(f"the composed pages differ from goldens/{case}.txt "
                    f"(rerun with --update-goldens if intended):\n{diff[:6000]}")
