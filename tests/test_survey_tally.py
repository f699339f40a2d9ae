"""Survey tally: stars in every spelling, invalid answers listed, roster checks, the report."""
from __future__ import annotations

import re

from openpyxl import Workbook, load_workbook

from formgen.campaign.survey import COMMEND, TALK, tally
from formgen.cli.main import main

from .conftest import make_org, pdf_text


def responses(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名", "季度", "服务态度", "业务完成质量", "是否在规定时间内完成"])
    sheet.append(["001", "王喆", "2024年第三季度", 5, "5星", "★★★★★"])       # row 2
    sheet.append(["001", "王喆", "2024Q3", "五星", 5, 5.0])                  # row 3
    sheet.append(["002", "黄𫖯", "2024Q3", 2, "二星", "★★★☆☆"])           # row 4
    sheet.append(["002", "黄𫖯", "2024Q3", 0, "6星", None])                  # row 5: three invalid
    sheet.append(["003", "赵𬌗", "2024Q3", 4, "很好", 3])                     # row 6: one invalid
    sheet.append(["999", "查无此人", "2024Q3", 5, 5, 5])                      # row 7: not on the roster
    path = tmp_path / "responses.xlsx"
    workbook.save(path)
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,所属党支部\n001,王喆,一支部\n002,黄𫖯,一支部\n003,赵𬌗,二支部\n", encoding="utf-8")
    return path, roster


def test_tally_counts_only_valid_answers(tmp_path):
    path, roster = responses(tmp_path)
    result = tally(path, roster)
    members = {m.staff_id: m for m in result.members}
    assert set(members) == {"001", "002", "003"}
    assert members["001"].overall == 5 and members["001"].verdict == COMMEND and members["001"].responses == 2
    assert members["002"].question_mean("服务态度") == 2 and members["002"].overall == 2.33
    assert members["002"].verdict == TALK
    assert members["003"].overall == 3.5 and members["003"].verdict == "" and members["003"].branch == "二支部"
    invalid = {(p.row, p.column) for p in result.invalid}
    assert invalid == {(5, "服务态度"), (5, "业务完成质量"), (5, "是否在规定时间内完成"), (6, "业务完成质量")}
    assert [(p.row, p.column) for p in result.problems] == [(7, "工号")]
    assert result.problems[0].message == "“999”不在名册中；该答卷已略过"
    messages = {(p.row, p.column): p.message for p in result.invalid}
    assert messages[(5, "服务态度")] == "回答“0”不是1–5星；不计入"
    assert messages[(5, "业务完成质量")] == "回答“6星”不是1–5星；不计入"
    assert messages[(5, "是否在规定时间内完成")] == "没有作答；不计入"
    assert messages[(6, "业务完成质量")] == "回答“很好”不是1–5星；不计入"


def test_survey_tally_command_writes_workbook_and_report(tmp_path, capsys):
    path, roster = responses(tmp_path)
    assert main(["survey-tally", str(path), "--roster", str(roster), "-o", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "五星好评：王喆（5.00）" in captured.out and "约谈：黄𫖯（2.33）" in captured.out
    assert "已统计3名党员；4个回答不计入；1份答卷已略过" in captured.err
    book = load_workbook(tmp_path / "out" / "问卷统计.xlsx")
    assert [r[2] for r in book["五星好评"].iter_rows(min_row=2, values_only=True)] == ["王喆"]
    assert [r[2] for r in book["约谈名单"].iter_rows(min_row=2, values_only=True)] == ["黄𫖯"]
    assert len(list(book["无效答卷"].iter_rows(min_row=2))) == 5
    report = re.sub(r"\s+", "", "".join(pdf_text(tmp_path / "out" / "问卷统计.pdf")))
    assert "五星好评名单" in report and "王喆" in report and "约谈名单" in report and "一支部" in report


def test_members_under_three_stars_get_a_notice_of_the_talk(tmp_path, capsys):
    path, roster = responses(tmp_path)
    org = make_org(tmp_path)
    out = tmp_path / "out"
    assert main(["survey-tally", str(path), "--roster", str(roster), "--org", str(org), "--format", "all",
                 "--set", "place=党委会议室", "-o", str(out)]) == 1  # 1: the answer sheet has problems
    assert "已写入" in capsys.readouterr().err
    pages = [re.sub(r"\s+", "", page) for page in pdf_text(out / "约谈通知.pdf")]
    assert len(pages) == 1  # 黄𫖯 alone averaged under three stars
    assert "黄𫖯同志" in pages[0] and "平均为2.33星，低于3星" in pages[0] and "2024年第三季度" in pages[0]
    assert "到党委会议室" in pages[0] and "中共鄂尔多斯市示例能源有限责任公司委员会决定对你进行约谈" in pages[0]
    assert (out / "约谈通知.docx").is_file()


def test_nobody_under_three_stars_gets_no_notice_file(tmp_path):
    path, roster = responses(tmp_path)
    roster.write_text("工号,姓名,所属党支部\n001,王喆,一支部\n003,赵𬌗,二支部\n", encoding="utf-8")  # 黄𫖯 left
    main(["survey-tally", str(path), "--roster", str(roster), "-o", str(tmp_path / "out")])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["问卷统计.pdf", "问卷统计.xlsx"]


def test_report_bars_say_the_verdict_and_headings_stay_with_their_charts(tmp_path):
    import pdfplumber

    from formgen.campaign import tally_report as tally_pdf

    branches = [f"第{n}党支部" for n in "一二三四五六七八"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名", "季度", "服务态度"])
    roster_lines = ["工号,姓名,所属党支部"]
    for index, branch in enumerate(branches):
        for offset, stars in enumerate((5, 4, 2)):  # one commended, one neither, one to talk to
            staff_id = f"{index}{offset}"
            sheet.append([staff_id, f"党员{staff_id}", "2024Q3", stars])
            roster_lines.append(f"{staff_id},党员{staff_id},{branch}")
    workbook.save(tmp_path / "responses.xlsx")
    (tmp_path / "roster.csv").write_text("\n".join(roster_lines) + "\n", encoding="utf-8")
    result = tally(tmp_path / "responses.xlsx", tmp_path / "roster.csv")
    tally_pdf.write(result, tmp_path / "tally.pdf")

    wanted = {name: colour for _, colour, name in tally_pdf.VERDICT_COLOURS}
    with pdfplumber.open(str(tmp_path / "tally.pdf")) as pdf:
        assert len(pdf.pages) > 1
        fills: dict[tuple, int] = {}
        for number, page in enumerate(pdf.pages, 1):
            for rect in page.rects:
                colour = tuple(round(c, 2) for c in rect.get("non_stroking_color") or ())
                fills[colour] = fills.get(colour, 0) + 1
            lines = [line for line in page.extract_text().splitlines() if line.strip()]
            assert lines[-1] == f"第 {number} 页"
            # A branch's heading is never the last thing on a page: its chart follows it.
            assert lines[-2] not in branches
    for name, colour in wanted.items():
        rgb = tuple(round(c, 2) for c in (colour.red, colour.green, colour.blue))
        assert fills.get(rgb) == len(branches) + 1, name  # a bar per branch, and the legend's swatch


def test_a_time_of_day_given_with_set_is_printed_as_typed(tmp_path):
    """--set time=14:30 is a time, not YAML 1.1's base-60 number 870."""
    path, roster = responses(tmp_path)
    out = tmp_path / "out"
    main(["survey-tally", str(path), "--roster", str(roster), "--set", "time=14:30", "-o", str(out)])
    page = re.sub(r"\s+", "", pdf_text(out / "约谈通知.pdf")[0])
    assert "请你于14:30到" in page and "870" not in page


def test_a_member_known_by_staff_id_alone_gets_no_notice_and_is_named(tmp_path, capsys):
    path = tmp_path / "答卷.csv"
    path.write_text("工号,季度,服务态度\n000104,2024Q3,2\n000104,2024Q3,1\n", encoding="utf-8")
    assert main(["survey-tally", str(path), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "工号 000104 平均1.5星，低于3星，但答卷中没有姓名" in err and "--roster" in err
    assert not (tmp_path / "out" / "约谈通知.pdf").exists()


def test_a_notice_file_left_from_an_earlier_run_is_said_not_removed(tmp_path, capsys):
    path, roster = responses(tmp_path)
    out = tmp_path / "out"
    main(["survey-tally", str(path), "--roster", str(roster), "-o", str(out)])
    left = (out / "约谈通知.pdf").read_bytes()
    fine = tmp_path / "好评.csv"
    fine.write_text("工号,姓名,季度,服务态度\n001,王喆,2024Q3,5\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["survey-tally", str(fine), "-o", str(out)]) == 0
    assert "约谈通知.pdf 是以前生成的，这次没有写（没有人低于3星）" in capsys.readouterr().err
    assert (out / "约谈通知.pdf").read_bytes() == left


def test_an_online_survey_sites_export_is_tallied_by_its_rating_questions_only(tmp_path):
    """问卷星 and its kind number their questions (1、您的工号：), put the submission time, duration, source
    and IP beside the answers, and may carry a comment box: the ratings are tallied, nothing else."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的工号：", "2、姓名：", "3、季度",
                  "4、服务态度", "5、业务完成质量", "6、意见建议"])
    sheet.append([1, "2024/10/8 9:01:02", "35秒", "微信", "N/A", "1.2.3.4(内蒙古-鄂尔多斯)", "000101", "王喆",
                  "2024年第三季度", 5, 5, "很好"])
    sheet.append([2, "2024/10/8 9:03:02", "40秒", "微信", "N/A", "1.2.3.5(内蒙古-鄂尔多斯)", "000102", "李堃",
                  "2024年第三季度", 2, "很差", None])
    path = tmp_path / "问卷星导出.xlsx"
    workbook.save(path)
    result = tally(path)
    assert result.questions == ["4、服务态度", "5、业务完成质量"]
    members = {m.staff_id: (m.name, m.quarter, m.overall, m.verdict) for m in result.members}
    assert members == {"000101": ("王喆", "2024年第三季度", 5, COMMEND), "000102": ("李堃", "2024年第三季度", 2, TALK)}
    assert [(p.row, p.column) for p in result.invalid if p.row] == [(3, "5、业务完成质量")]
    [notice] = [p.message for p in result.invalid if not p.row]
    assert notice == "「6、意见建议」列中没有1–5星的回答，不是评分题，没有统计"
