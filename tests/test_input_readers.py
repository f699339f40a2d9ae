"""Rosters read as Excel shows them, or refused naming file, row and column: error values, formulas never
calculated, the sheet shown on opening, Excel's _xHHHH_ escapes, invisible characters, encodings decided
by evidence, footers and totals rows, files whose names do not say what they hold."""
from __future__ import annotations

import random

import pytest
from openpyxl import Workbook

from formgen.api import Job, Output, render
from formgen.fonts import default_font_book
from formgen.input.records import load_roster
from formgen.problems import RosterError
from tests.conftest import pdf_text


def workbook_of(rows, path, title="名册"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?"])
def test_an_excel_error_value_fails_its_record_naming_the_cell(tmp_path, error):
    path = workbook_of([["工号", "姓名", "职务"], ["000101", error, "主任"], ["000102", "李堃", error],
                        ["000103", "刘䶮", "科员"]], tmp_path / "r.xlsx")
    roster = load_roster(path)
    errors = [(p.row, p.column) for p in roster.problems if p.level == "error"]
    assert errors == [(2, "姓名"), (3, "职务")]
    assert all(error in p.message for p in roster.problems if p.level == "error")
    report = render(Job("name-card-badge"), roster, Output(tmp_path / "out.pdf", ("pdf",)))
    assert report.rendered == 1 and len(report.failed) == 2
    text = "".join(pdf_text(tmp_path / "out.pdf")).replace(" ", "")
    assert error not in text and "刘䶮" in text and "李堃" not in text


def test_a_formula_without_a_saved_value_says_open_and_save(tmp_path):
    path = workbook_of([["工号", "姓名", "所属党支部"], ["000101", '=CONCAT("王","喆")', "机关第一党支部"]], tmp_path / "r.xlsx")
    [problem] = [p for p in load_roster(path).problems if p.level == "error"]
    assert problem.column == "姓名" and "没有计算结果的公式" in problem.message and "保存" in problem.message


def test_the_sheet_shown_on_opening_is_read_not_a_hidden_first_one(tmp_path):
    workbook = Workbook()
    old = workbook.active
    old.title = "旧名单"
    old.append(["工号", "姓名"])
    old.append(["000999", "已调离"])
    old.sheet_state = "hidden"
    new = workbook.create_sheet("2024名单")
    new.append(["工号", "姓名"])
    new.append(["000101", "王喆"])
    workbook.active = 1
    workbook.save(tmp_path / "r.xlsx")
    roster = load_roster(tmp_path / "r.xlsx")
    assert [r.values["姓名"] for r in roster.records] == ["王喆"]
    assert any("被隐藏" in p.message and "2024名单" in p.message for p in roster.problems)
    assert [r.values["姓名"] for r in load_roster(tmp_path / "r.xlsx", sheet="旧名单").records] == ["已调离"]


def _saved_with_notes_shown(path, rows, notes=("1. 工号请填写6位数字", "2. 姓名中不要有空格")):
    """A workbook saved while its 填写说明 sheet was the one shown, as a clerk reading the notes leaves it."""
    workbook = Workbook()
    data = workbook.active
    data.title = "党员名册"
    for row in rows:
        data.append(row)
    hidden = workbook.create_sheet("旧名单")  # hidden sheets are never read in its place
    hidden.append(["工号", "姓名", "季度", "服务态度", "奖项", "期间"])
    hidden.append(["000999", "已调离", "2024Q3", 5, "先进个人", "2024年度"])
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("填写说明")
    for line in notes:
        sheet.append([line])
    workbook.active = 2
    workbook.save(path)
    return path


def test_a_workbook_saved_with_its_notes_sheet_shown_is_read_from_the_sheet_with_the_table(tmp_path):
    path = _saved_with_notes_shown(tmp_path / "r.xlsx", [["工号", "姓名"], ["000101", "王喆"]])
    roster = load_roster(path)
    assert [r.values["姓名"] for r in roster.records] == ["王喆"]
    [notice] = [p for p in roster.problems if "填写说明" in p.message]
    assert notice.message == "打开文件时显示的工作表“填写说明”中没有名册的表头，读取的是工作表“党员名册”；要读取别的工作表，请用 --sheet"
    report = render(Job("name-card-badge"), roster, Output(tmp_path / "out.pdf", ("pdf",)))
    assert report.rendered == 1 and "王喆" in "".join(pdf_text(tmp_path / "out.pdf")).replace(" ", "")
    assert [r.values["姓名"] for r in load_roster(path, sheet="旧名单").records] == ["已调离"]  # named: read


def test_answers_and_nominations_saved_with_their_notes_sheet_shown_are_read(tmp_path):
    from formgen.campaign.nominations import load_nominations
    from formgen.campaign.survey import tally

    answers = _saved_with_notes_shown(tmp_path / "答卷.xlsx", [["工号", "姓名", "季度", "服务态度"],
                                                             ["000101", "王喆", "2024Q3", 5]])
    assert [(m.name, m.overall) for m in tally(answers).members] == [("王喆", 5)]
    nominations = _saved_with_notes_shown(tmp_path / "获奖名单.xlsx", [["奖项", "姓名", "所属党支部", "期间"],
                                                                   ["先进个人", "王喆", "一支部", "2024年度"]])
    assert [n.holder for n in load_nominations(nominations).nominations] == ["王喆"]


def test_an_xls_exported_by_a_program_is_read_from_the_sheet_it_shows(tmp_path):
    """xlwt (as office systems export .xls) marks the sheet shown on opening as selected only."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("说明").write(0, 0, "本表由人事系统导出")
    sheet = book.add_sheet("党员名册")
    for column, header in enumerate(["工号", "姓名"]):
        sheet.write(0, column, header)
    sheet.write(1, 0, 101, xlwt.easyxf(num_format_str="000000"))
    sheet.write(1, 1, "王喆")
    book.set_active_sheet(1)
    book.save(str(tmp_path / "导出.xls"))
    roster = load_roster(tmp_path / "导出.xls")
    assert [(r.values["工号"], r.values["姓名"]) for r in roster.records] == [("000101", "王喆")]
    assert any("读取的是打开文件时显示的工作表“党员名册”" in p.message for p in roster.problems)


def test_of_two_columns_under_one_header_the_one_excel_shows_is_read(tmp_path):
    """Old names kept in a hidden column before the real one: the clerk sees, and means, the visible one."""
    import xlwt

    workbook = Workbook()
    for row in (["工号", "姓名", "姓名", "职务"], ["000101", "王哲", "王喆", "值长"]):
        workbook.active.append(row)
    workbook.active.column_dimensions["B"].hidden = True
    workbook.save(tmp_path / "r.xlsx")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名册")
    for row, cells in enumerate((["工号", "姓名", "姓名", "职务"], ["000101", "王哲", "王喆", "值长"])):
        for column, value in enumerate(cells):
            sheet.write(row, column, value)
    sheet.col(1).hidden = True
    book.save(str(tmp_path / "r.xls"))
    for name in ("r.xlsx", "r.xls"):
        roster = load_roster(tmp_path / name)
        assert [r.values["姓名"] for r in roster.records] == ["王喆"]
        assert "有两列「姓名」，B列在 Excel 中被隐藏了；读取的是显示的C列" in [p.message for p in roster.problems]
    shown = workbook_of([["工号", "姓名", "姓名"], ["000101", "王喆", "王哲"]], tmp_path / "both.xlsx")
    assert [r.values["姓名"] for r in load_roster(shown).records] == ["王喆"]  # both shown: the first, as before


def test_excel_escapes_in_strings_are_the_characters_they_stand_for(tmp_path):
    path = workbook_of([["工号", "姓名"], ["000101", "王_x000B_喆_x000D_"], ["000102", "李_x5803_"]], tmp_path / "r.xlsx")
    roster = load_roster(path)
    assert [r.values["姓名"] for r in roster.records] == ["王喆", "李堃"]
    assert "U+000B" in str(next(p for p in roster.problems if p.row == 2))  # said, as any control character


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u200e"]


def test_invisible_characters_are_never_drawn_nor_in_the_text_layer(tmp_path):
    rng = random.Random(15)
    names = ["王喆", "李堃", "刘䶮", "张敏"]
    dirty = ["".join(c + (rng.choice(INVISIBLE) if rng.random() < 0.7 else "") for c in name) for name in names]
    path = tmp_path / "r.csv"
    path.write_text("\ufeff工号,姓名\n" + "".join(f"00010{i},{name}\n" for i, name in enumerate(dirty)), encoding="utf-8")
    roster = load_roster(path)
    assert [r.values["姓名"] for r in roster.records] == names
    # At the font book too, for text that reaches it without cleaning (a layout's own text, --set):
    book = default_font_book()
    for char in INVISIBLE:
        runs = book.split_runs(f"王{char}喆", "NotoSerifSC-Regular")
        assert "".join(part for _, part in runs) == "王喆" and book.uncovered(f"王{char}喆") == []
    report = render(Job("name-card-badge", options={"slogan": "不忘\u200b初心\ufeff"}),
                    [{"工号": "1", "姓名": "王\u200d喆"}], Output(tmp_path / "out.pdf", ("pdf",)))
    assert report.rendered == 1 and not report.failed
    text = "".join(pdf_text(tmp_path / "out.pdf")).replace(" ", "")
    assert "\x00" not in text and not any(c in text for c in INVISIBLE) and "王喆" in text


ENCODED = [
    ("gb18030", "工号,姓名,所属党支部\n000101,王喆,机关第一党支部\n000102,李堃,生产运营党支部\n", None),
    ("gb18030", "姓名\n王喆\n李堃\n张敏\n", None),
    ("big5", "工號,姓名,所屬黨支部\n000101,陳大文,機關第一黨支部\n000102,林美玲,生產運營黨支部\n", "Big5"),
    ("shift_jis", "社員番号,氏名\n000101,山田太郎\n000102,鈴木花子\n", "Shift_JIS"),
    ("cp1252", "工号,姓名\n000101,José Müller\n000102,François Gérard\n".replace("工号", "id").replace("姓名", "name"),
     "Windows-1252"),
    # UTF-16 saved without its byte-order mark, either way round; 一 (U+4E00) has a zero byte of its own
    ("utf-16-le", "工号,姓名,所属党支部\n000101,王一喆,机关第一党支部\n000102,李堃,生产运营党支部\n", "UTF-16（无 BOM）"),
    ("utf-16-be", "工号,姓名,所属党支部\n000101,王一喆,机关第一党支部\n000102,李堃,生产运营党支部\n", "UTF-16 BE（无 BOM）"),
]


@pytest.mark.parametrize("encoding, text, named", ENCODED)
def test_encodings_are_decided_by_evidence_and_named(tmp_path, encoding, text, named):
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode(encoding))
    roster = load_roster(path)
    second = text.splitlines()[1].split(",")
    assert second[-1] in [str(v) for v in roster.records[0].values.values()]
    notices = [p.message for p in roster.problems if "编码" in p.message]
    assert (named in notices[0]) if named else not notices


def test_an_undecidable_encoding_says_so_and_encoding_decides(tmp_path):
    rng = random.Random(3)
    path = tmp_path / "r.csv"
    path.write_bytes("工号,姓名\n".encode("utf-8") + bytes(rng.randrange(0x80, 0x100) for _ in range(40)) + b",x\n")
    with pytest.raises(RosterError, match="--encoding"):
        load_roster(path)
    assert load_roster(path, encoding="latin-1").records


def test_encoding_errors_name_the_line_of_the_bad_bytes(tmp_path):
    lines = ["工号,姓名"] + [f"00010{n},成员{n}" for n in range(6)]
    data = "\n".join(lines).encode("utf-8")
    cut = data.index("成员3".encode("utf-8"))
    path = tmp_path / "r.csv"
    path.write_bytes(data[:cut] + b"\xff\xfe\xfd" + data[cut:])  # on line 5
    with pytest.raises(RosterError, match="第5行"):
        load_roster(path, encoding="utf-8")
    with pytest.raises(RosterError, match="第5行"):
        load_roster(path)


def test_a_csv_starting_with_a_bracket_is_a_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("<姓名>,工号\n王喆,000101\n", encoding="utf-8")
    assert load_roster(path).records[0].values["工号"] == "000101"


@pytest.mark.parametrize("suffix", [".xls", ".csv", ".et"])
def test_an_xlsx_under_another_name_is_read(tmp_path, suffix):
    path = workbook_of([["工号", "姓名"], ["000101", "王喆"]], tmp_path / "r.xlsx")
    renamed = path.rename(tmp_path / f"r{suffix}")
    assert [r.values["姓名"] for r in load_roster(renamed).records] == ["王喆"]


@pytest.mark.parametrize("footer", [["合计：3人"], ["总计", None, 3], ["制表：张三", None, "审核：李四"], ["备注：含预备党员"],
                                    ["填表人：王五"], ["2024年10月8日"]])
def test_totals_and_footer_rows_are_no_members(tmp_path, footer):
    rows = [["序号", "工号", "姓名", "所属党支部"], [1, "000101", "王喆", "一支部"], [2, "000102", "李堃", "一支部"],
            [3, "000103", "刘䶮", "二支部"], footer]
    roster = load_roster(workbook_of(rows, tmp_path / "r.xlsx"))
    assert [r.values["姓名"] for r in roster.records] == ["王喆", "李堃", "刘䶮"]
    [notice] = [p for p in roster.problems if "合计行或表尾" in p.message]
    assert "第5行" in notice.message
    shown = [str(value) for value in footer if value is not None]
    assert f"第5行“{' '.join(shown)}”" in notice.message  # its values apart, as they stand in the row


def test_a_totals_row_merged_across_the_table_is_no_member(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in [["党员名册"], ["工号", "姓名", "所属党支部"], ["000101", "王喆", "一支部"], ["000102", "李堃", None],
                ["40人"]]:
        sheet.append(row)
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("C3:C4")  # a branch merged down: its members' branch
    sheet.merge_cells("A5:C5")  # a totals line merged across: no one's
    workbook.save(tmp_path / "r.xlsx")
    roster = load_roster(tmp_path / "r.xlsx")
    assert [(r.values["姓名"], r.values["所属党支部"]) for r in roster.records] == [("王喆", "一支部"), ("李堃", "一支部")]
    assert any("第5行" in p.message and "40人" in p.message for p in roster.problems)


def test_a_totals_row_merged_over_a_few_columns_is_named_once(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in [["序号", "工号", "姓名", "性别", "职务", "所在支部", "联系电话"], [1, "000101", "王喆", "男", "值长", "一支部", "1"],
                ["合计：1人"]]:
        sheet.append(row)
    sheet.merge_cells("A3:B3")  # under half the table: filled like any merge, then found a footer
    workbook.save(tmp_path / "r.xlsx")
    roster = load_roster(tmp_path / "r.xlsx")
    assert [r.values["姓名"] for r in roster.records] == ["王喆"]
    [notice] = [p for p in roster.problems if "合计行或表尾" in p.message]
    assert "第3行“合计：1人”" in notice.message


def test_a_statistics_row_of_formulas_never_calculated_is_named_by_its_words_alone(tmp_path):
    path = workbook_of([["工号", "姓名", "自评分"], ["000101", "王喆", 90], ["平均分", "=AVERAGE(C2:C2)"]],
                       tmp_path / "r.xlsx")  # written by a program: the formula has no saved value
    [notice] = [p for p in load_roster(path).problems if "合计行或表尾" in p.message]
    assert notice.message.startswith("第3行“平均分”是合计行或表尾")


def test_a_staff_number_alone_is_a_member_missing_a_name_not_a_footer(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名\n000101,王喆\n000102,\n", encoding="utf-8")
    assert [r.values["工号"] for r in load_roster(path).records] == ["000101", "000102"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_list_of_one_column_is_read_row_by_row_not_as_footers(tmp_path, suffix):
    """The quick start's 支部名单 (one column, 所属党支部) for blank branch forms: each row holds only its
    first value, as every row of a one-column list does; a 制表 line under it is still no branch."""
    rows = [["所属党支部"], ["机关第一党支部"], ["生产运营党支部"], ["制表：张三"]]
    if suffix == ".csv":
        path = tmp_path / "支部名单.csv"
        path.write_text("".join(f"{row[0]}\n" for row in rows), encoding="utf-8")
    else:
        path = workbook_of(rows, tmp_path / "支部名单.xlsx")
    roster = load_roster(path)
    assert [r.values["所属党支部"] for r in roster.records] == ["机关第一党支部", "生产运营党支部"]
    [notice] = [p for p in roster.problems if "合计行或表尾" in p.message]
    assert "第4行“制表：张三”" in notice.message and "机关第一党支部" not in notice.message
    report = render(Job("branch-quarterly", options={"quarter": "2024Q3"}), roster,
                    Output(tmp_path / "支部工作清单.pdf", ("pdf",)))
    assert report.rendered == 2
    pages = pdf_text(tmp_path / "支部工作清单.pdf")
    assert len(pages) == 2 and "机关第一党支部" in pages[0].replace(" ", "") and "生产运营党支部" in pages[1].replace(" ", "")


def test_a_file_of_no_roster_kind_is_refused_naming_every_kind_a_roster_may_be(tmp_path):
    """A roster may be JSON too (the help says so); a score sheet may not."""
    from formgen.campaign.scores import load_scores

    path = tmp_path / "名册.pdf"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(RosterError, match=r"名册.pdf：名册只能是 \.xlsx、\.xls、\.csv 或 \.json 文件，不能是“\.pdf”"):
        load_roster(path)
    with pytest.raises(RosterError, match=r"成绩表只能是 \.xlsx、\.xls 或 \.csv 文件"):
        load_scores(path)


def test_a_json_roster_is_read_or_refused_in_chinese_naming_where(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('[{"姓名": "王喆", "工号": ' + "9" * 5000 + '}, {"姓名": "李堃"}]', encoding="utf-8")
    assert [r.values["姓名"] for r in load_roster(path).records] == ["王喆", "李堃"]  # no number anyone means
    path.write_text('[{"姓名": "王喆",\n "工号": }]', encoding="utf-8")
    with pytest.raises(RosterError, match="r.json：不是有效的 JSON 文件（第2行第8个字符处有误）"):
        load_roster(path)
    path.write_bytes('[{"姓名": "王喆"}]'.encode("gbk"))
    with pytest.raises(RosterError, match="不是 UTF-8 编码的 JSON 文件"):
        load_roster(path)


def test_a_list_in_a_json_rosters_own_field_fails_its_record_never_prints_as_python(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('[{"姓名": "王喆", "工号": "000101"}, {"姓名": ["李", "堃"], "工号": "000102"},'
                    ' {"姓名": "刘䶮", "所属党支部": {"名称": "一支部"}}, {"姓名": "张敏", "科目": ["政治理论"]}]',
                    encoding="utf-8")
    roster = load_roster(path)
    errors = [(p.row, p.column, p.message) for p in roster.problems if p.level == "error"]
    assert errors == [(2, "姓名", '单元格是列表 ["李", "堃"]，不是一项文字；请只写一个值；这条记录没有生成'),
                      (3, "所属党支部", '单元格是对象 {"名称": "一支部"}，不是一项文字；请只写一个值；这条记录没有生成')]
    assert roster.records[3].values["科目"] == ["政治理论"]  # a layout's own list stays a list
    report = render(Job("name-card-badge"), roster, Output(tmp_path / "out.pdf", ("pdf",)))
    assert report.rendered == 2
    text = "".join(pdf_text(tmp_path / "out.pdf"))
    assert "[" not in text and "王喆" in text.replace(" ", "") and "张敏" in text.replace(" ", "")


def test_a_tab_pasted_into_a_cell_is_a_space_never_a_missing_glyph_box(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,职务\n000101,王喆,\"值长\t副主任\"\n", encoding="utf-8")
    assert load_roster(path).records[0].values["职务"] == "值长 副主任"
    # At the font book too (a --set value or a layout's own text): drawn and measured as a space.
    book = default_font_book()
    assert [part for _, part in book.split_runs("值长\t副主任", "NotoSerifSC-Regular")] == ["值长 副主任"]
    assert book.text_width("值长\t副主任", "NotoSerifSC-Regular", 10) == book.text_width("值长 副主任",
                                                                                        "NotoSerifSC-Regular", 10)
    report = render(Job("name-card-badge", options={"slogan": "不忘\t初心"}), [{"工号": "1", "姓名": "王喆"}],
                    Output(tmp_path / "out.pdf", ("pdf",)))
    assert report.rendered == 1 and "\t" not in "".join(pdf_text(tmp_path / "out.pdf"))


@pytest.mark.parametrize("delimiter", ["|", "，"])
def test_a_list_separated_by_bars_or_full_width_commas_reads_as_columns(tmp_path, delimiter):
    """Typed with a Chinese input method (姓名，工号) or exported with bars: the header tells the separator;
    a full-width comma inside a value of a comma-separated file stays punctuation."""
    path = tmp_path / "名单.csv"
    rows = ["姓名", "工号", "所属党支部"], ["王喆", "000101", "机关第一党支部"], ["李堃", "000102", "生产运营党支部"]
    path.write_text("\n".join(delimiter.join(row) for row in rows) + "\n", encoding="utf-8")
    roster = load_roster(path)
    assert roster.columns[:3] == ("姓名", "工号", "所属党支部")
    assert [(r.values["姓名"], r.values["所属党支部"]) for r in roster.records] == [
        ("王喆", "机关第一党支部"), ("李堃", "生产运营党支部")]
    commas = tmp_path / "逗号.csv"
    commas.write_text("姓名,个人工作表现\n王喆,完成检修，表现良好\n", encoding="utf-8")
    assert [r.values["个人工作表现"] for r in load_roster(commas).records] == ["完成检修，表现良好"]


def test_a_full_width_comma_inside_a_value_fails_its_row_rather_than_shifting_its_columns(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("姓名，工号，所属党支部，岗位职责\n王喆，000101，机关第一党支部，认真学习，严守纪律\n"
                    "李堃，000102，生产运营党支部，严守纪律\n", encoding="utf-8")
    roster = load_roster(path)
    assert [r.values["姓名"] for r in roster.records] == ["李堃"]
    (problem,) = [p for p in roster.problems if p.level == "error"]
    assert problem.row == 2 and "比表头多出1格内容" in problem.message and "改成“、”" in problem.message


def test_a_title_row_with_a_full_width_comma_does_not_decide_the_separator(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("机关第一党支部，2024年党员名册\n姓名,工号,所属党支部\n王喆,000101,机关第一党支部\n", encoding="utf-8")
    roster = load_roster(path)
    assert [(r.values["姓名"], r.values["工号"]) for r in roster.records] == [("王喆", "000101")]


def test_text_beyond_the_last_header_is_said_once_not_lost_silently(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,工号\n王喆,000101,调入\n李堃,000102\n刘䶮,000103,,借调\n", encoding="utf-8")
    roster = load_roster(path)
    assert len(roster.records) == 3
    (said,) = [p.message for p in roster.problems if "最后一个表头右边" in p.message]
    assert said.startswith("第2、4行") and "“调入”" in said


def test_utf16_without_bom_is_told_even_when_the_text_is_mostly_chinese(tmp_path):
    text = "姓名,个人工作表现\n" + "".join(f"王喆,认真完成月度检修计划保障机组安全稳定运行积极参加支部活动{i}\n"
                                        for i in range(40))
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode("utf-16-le"))
    assert len(load_roster(path).records) == 40
    path.write_bytes(text.encode("utf-16-le")[:-1])
    with pytest.raises(RosterError, match="编码"):  # a byte short: not UTF-16, and said in Chinese
        load_roster(path)


@pytest.mark.parametrize("text", [
    "姓名，工号，所属党支部，备注\n王喆，000101，机关第一党支部，党龄10年;优秀\n李堃，000102，机关第一党支部，无\n",
    "姓名|工号|所属党支部|职务\n王喆|000101|机关第一党支部|书记\n李堃|000102|机关第一党支部|组织委员,宣传委员\n",
])
def test_a_value_holding_a_comma_or_semicolon_does_not_decide_the_separator(tmp_path, text):
    path = tmp_path / "名册.csv"
    path.write_text(text, encoding="utf-8")
    roster = load_roster(path)
    assert [(r.values["姓名"], r.values["工号"]) for r in roster.records] == [("王喆", "000101"), ("李堃", "000102")]


@pytest.mark.parametrize("pledge", ["认真学习党的理论，严守党的纪律，按时交纳党费，积极参加组织生活。" * 4,
                                    '"学习理论,严守纪律，按时交纳党费，积极参加组织生活，当好表率。"'])
def test_a_long_pledge_full_of_full_width_commas_does_not_decide_the_separator(tmp_path, pledge):
    """The one member's row of a comma-separated list holds more full-width commas than the header has
    commas (a pasted paragraph, with an ASCII comma of its own in quotes): it is still one cell."""
    path = tmp_path / "名册.csv"
    path.write_text(f"工号,姓名,所属党支部,党员义务\n000101,王喆,机关第一党支部,{pledge}\n", encoding="utf-8-sig")
    [record] = load_roster(path).records
    assert (record.values["姓名"], record.values["党员义务"]) == ("王喆", pledge.strip('"'))


def test_a_staff_id_exported_as_a_text_formula_is_the_text_excel_shows(tmp_path):
    """Systems export ="000101" so that Excel keeps the zeros; formgen reads what Excel shows."""
    path = tmp_path / "导出.csv"
    path.write_text('"工号","姓名","职务"\n="000101","王喆","=""值长"""\n="000102","李堃",=SUM(1)\n', encoding="gb18030")
    roster = load_roster(path)
    assert [(r.values["工号"], r.values["职务"]) for r in roster.records] == [("000101", "值长"), ("000102", "=SUM(1)")]


def test_utf16_without_bom_with_a_zero_byte_character_on_every_line(tmp_path):
    """一 (U+4E00) is a zero byte and N: a list of 第一党支部 rows, full-width commas, has as many of those as
    line ends; the reading with its lines is the one."""
    text = "姓名，所属党支部，备注\n" + "".join(f"王{i}，机关第一党支部，按时参加支部组织生活会\n" for i in range(30))
    path = tmp_path / "名册.csv"
    for encoding in ("utf-16-le", "utf-16-be"):
        path.write_bytes(text.encode(encoding))
        roster = load_roster(path)
        assert len(roster.records) == 30 and roster.records[0].values["所属党支部"] == "机关第一党支部"
