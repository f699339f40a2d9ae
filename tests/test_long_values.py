"""The longest values members really have, read back from the printed pages: each stays in its own box."""
from __future__ import annotations

import pytest

from formgen.input.org import load_org
from formgen.units import mm

from .conftest import pdf_chars, render_records

# 30 characters, as a branch of a large unit is written out in full on its own rolls
LONG_BRANCH = "鄂尔多斯市示例能源有限责任公司发电运行部集控运行第一党总支部"
LONG_TITLE = "集控运行部值长兼安全生产监督员"  # 15 characters


def member(staff_id: str, name: str) -> dict:
    return {"工号": staff_id, "姓名": name, "职务": LONG_TITLE, "所属党支部": LONG_BRANCH,
            "单位": "发电运行部（集控运行二值）"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, module_inputs):
    """layout → its PDF, for one member with the long values."""
    _, photos, org = module_inputs
    folder = tmp_path_factory.mktemp("long")
    records = [member("000101", "乌兰巴特尔·其木格")]
    result = {}
    for layout in ("survey", "name-card"):
        out = folder / f"{layout}.pdf"
        report = render_records(layout, records, out, org=load_org(org), photos=photos,
                                options={"quarter": "2024Q3"})
        assert report.failed == []
        result[layout] = (out, report)
    return result


def chars_of(text: str, chars: list[dict]) -> list[dict]:
    """The characters of one printed value among those of its place on the page."""
    return [c for c in chars if c["text"] in text]


def printed(chars: list[dict]) -> str:
    return "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))


def test_a_long_branch_on_the_survey_stays_right_of_its_label_and_inside_its_rule(rendered):
    out, report = rendered["survey"]
    chars = pdf_chars(out)
    label_end = max(c["x1"] for c in chars if c["text"] == "部" and mm(95) < c["x0"] < mm(130)
                    and mm(70) < c["top"] < mm(84))
    branch = chars_of(LONG_BRANCH, [c for c in chars if mm(68) < c["top"] < mm(84) and c["x0"] > mm(120)])
    assert printed(branch) == LONG_BRANCH  # all of it, in reading order
    assert min(c["x0"] for c in branch) >= max(label_end, mm(130)) - 0.5
    assert max(c["x1"] for c in branch) <= mm(190) + 0.5
    assert not [p for p in report.problems if "放不下" in p.message]


def test_a_long_branch_on_the_name_card_keeps_clear_of_the_qr_code(rendered):
    out, _ = rendered["name-card"]
    chars = pdf_chars(out)
    # the front: the lower half of the sheet; the branch field is 78–152 mm across the card (5 mm in)
    front = [c for c in chars if c["top"] > mm(148.5) and c["x0"] > mm(82)]
    branch = chars_of(LONG_BRANCH, [c for c in front if mm(205) < c["top"] < mm(216)])
    assert printed(branch) == LONG_BRANCH
    assert max(c["x1"] for c in branch) <= mm(157) + 0.5  # the QR code's column starts at 160 mm
    assert max(c["bottom"] for c in branch) <= mm(148.5 + 66) + 0.5
    title = chars_of(LONG_TITLE, [c for c in front if mm(197) < c["top"] < mm(206)])
    assert printed(title) == LONG_TITLE  # 15 characters still fit on their one line


def test_a_spread_name_too_long_for_its_box_is_never_broken_over_lines():
    from formgen.fonts import default_font_book
    from formgen.typeset.textflow import TextSetter, TextStyle
    from formgen.units import Box

    style = TextStyle(face="NotoSerifSC-Bold", size=34, min_size=16, line_height=1.2, align="distribute",
                      distribute_chars=3, valign="middle", wrap=False)
    placed, fits = TextSetter(default_font_book()).set("乌兰巴特尔·其木格" * 3, Box(0, 0, mm(104), mm(18)), style)
    assert not fits and len(placed.lines) == 1


def test_a_five_star_branch_with_a_30_character_name_gets_its_certificate_and_its_code_verifies(tmp_path):
    import datetime as dt

    import openpyxl

    from formgen.api.certify import run_certify
    from formgen.campaign.verify import VALID, verify_source
    from formgen.resources import SAMPLES_DIR

    sheet = openpyxl.Workbook()
    sheet.active.append(["序号", "所属党支部", "姓名", "获奖者", "奖项", "事由", "期间"])
    sheet.active.append([1, LONG_BRANCH, None, LONG_BRANCH, "五星党支部", "全年无违章，党建工作考核第一", "2024年度"])
    sheet.save(tmp_path / "名单.xlsx")
    org = {**load_org(SAMPLES_DIR / "org.yaml"), "data_dir": str(tmp_path / "data")}
    result = run_certify(tmp_path / "名单.xlsx", org, tmp_path / "out", ("pdf",), issue_date=dt.date(2024, 12, 30))
    assert [p.message for p in result.problems if p.level == "error"] == []
    verdicts = verify_source(str(tmp_path / "out" / "荣誉证书.pdf"), tmp_path / "data")
    assert [(v.status, v.certified.holder) for v in verdicts] == [(VALID, LONG_BRANCH)]
