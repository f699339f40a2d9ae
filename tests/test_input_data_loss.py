"""Nothing lost: inputs never written over, files nobody asked for never replaced, broken CSV quotes and
long fields reported by their line, full disks naming the file, killed runs' temporaries cleaned."""
from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from formgen import limits
from formgen.api import Job, Output, render
from formgen.cli.main import main
from formgen.input.records import load_roster


def roster_csv(path: Path, count: int = 5) -> Path:
    path.write_text("工号,姓名,所属党支部\n" + "".join(f"{100 + n:06d},成员{n},机关第一党支部\n" for n in range(count)),
                    encoding="utf-8")
    return path


def test_check_report_never_writes_over_the_roster(tmp_path, capsys, monkeypatch):
    workbook = Workbook()
    workbook.active.append(["工号", "姓名"])
    for n in range(20):
        workbook.active.append([f"{n:06d}", f"成员{n}"])
    roster = tmp_path / "r.xlsx"
    workbook.save(roster)
    before = roster.read_bytes()
    monkeypatch.chdir(tmp_path)
    for report in (roster, tmp_path / "." / "r.xlsx", Path("r.xlsx")):
        assert main(["check", "name-card-badge", str(roster), "--report", str(report)]) == 2
        assert "就是要读取的文件" in capsys.readouterr().err
    assert roster.read_bytes() == before and len(load_roster(roster).records) == 20


def test_a_file_formgen_did_not_write_is_replaced_only_with_force(tmp_path, capsys):
    roster = roster_csv(tmp_path / "r.csv")
    out = tmp_path / "卡片.pdf"
    own = tmp_path / "卡片-问题清单.xlsx"
    Workbook().save(own)  # a clerk's own workbook under that name
    mine = own.read_bytes()
    assert main(["render", "name-card-badge", str(roster), "-o", str(out), "-q"]) == 2
    assert "已存在，没有覆盖" in capsys.readouterr().err and own.read_bytes() == mine and not out.exists()
    assert main(["render", "name-card-badge", str(roster), "-o", str(out), "-q", "--force"]) == 0
    assert own.read_bytes() != mine and load_workbook(own).active["A1"].value == "级别"
    # formgen's own earlier list is out of date: it is replaced without asking
    assert main(["render", "name-card-badge", str(roster), "-o", str(out), "-q"]) == 0
    report = tmp_path / "检查.xlsx"
    Workbook().save(report)
    assert main(["check", "name-card-badge", str(roster), "--report", str(report)]) == 2
    assert main(["check", "name-card-badge", str(roster), "--report", str(report), "--force"]) == 0


@pytest.mark.parametrize("opened_at", [1, 7, 150, 299])
def test_an_unbalanced_quote_costs_its_own_line_only(tmp_path, opened_at):
    lines = [f"{n:06d},成员{n},机关第一党支部" for n in range(300)]
    lines[opened_at - 1] = f'{opened_at - 1:06d},"成员{opened_at - 1},机关第一党支部'  # a quote never closed
    path = tmp_path / "r.csv"
    path.write_text("工号,姓名,所属党支部\n" + "\n".join(lines) + "\n", encoding="utf-8")
    roster = load_roster(path)
    line = opened_at + 1  # the header is line 1
    assert len(roster.records) == 299
    assert all(r.values["姓名"].startswith("成员") and "\n" not in r.values["姓名"] for r in roster.records)
    assert all(r.row == int(r.values["工号"]) + 2 for r in roster.records)  # rows named by their lines
    errors = [p for p in roster.problems if p.level == "error"]
    assert [(p.row, p.source) for p in errors] == [(line, "r.csv")] and "引号" in errors[0].message


def test_quoted_cells_over_a_few_lines_are_still_cells(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('工号,姓名,党员义务\n000101,王喆,"一、学习\n二、工作\n三、作风"\n000102,李堃,无\n', encoding="utf-8")
    roster = load_roster(path)
    assert [r.values["党员义务"] for r in roster.records] == ["一、学习\n二、工作\n三、作风", "无"]
    assert [r.row for r in roster.records] == [2, 5] and not roster.problems


def test_a_field_past_the_cell_limit_fails_its_row_not_the_roster(tmp_path):
    huge = "喆" * (limits.MAX_CELL_CHARS + 1) * 5  # over csv's own 131,072 characters as well
    path = tmp_path / "r.csv"
    path.write_text(f"工号,姓名,党员义务\n000101,王喆,{huge}\n000102,李堃,无\n", encoding="utf-8")
    roster = load_roster(path)
    assert [r.values["姓名"] for r in roster.records] == ["王喆", "李堃"]
    [error] = [p for p in roster.problems if p.level == "error"]
    assert (error.row, error.column, error.who) == (2, "党员义务", "王喆")
    assert str(limits.MAX_CELL_CHARS) in error.message
    out = tmp_path / "out.pdf"
    report = render(Job("name-card-badge"), roster, Output(out, ("pdf",)))
    assert report.rendered == 1 and len(report.failed) == 1


def test_a_full_disk_names_the_file_and_leaves_both_formats_as_they_were(tmp_path, monkeypatch, capsys):
    from formgen import writers

    roster = roster_csv(tmp_path / "r.csv")
    out = tmp_path / "卡片.pdf"
    assert main(["render", "name-card-badge", str(roster), "-o", str(out), "--format", "all", "-q"]) == 0
    before = {path.name: path.read_bytes() for path in tmp_path.glob("卡片.*")}
    assert set(before) == {"卡片.pdf", "卡片.docx"}
    real = writers.writer_for

    def full_disk(fmt):
        if fmt != "docx":
            return real(fmt)

        def write(pages, info, target, book):
            Path(target).write_bytes(b"PK half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return write

    monkeypatch.setattr(sys.modules["formgen.api.render"], "writer_for", full_disk)
    roster_csv(roster, 7)
    assert main(["render", "name-card-badge", str(roster), "-o", str(out), "--format", "all", "-q"]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "卡片.docx" in err and "Errno" not in err
    assert {path.name: path.read_bytes() for path in tmp_path.glob("卡片.*")} == before  # both old
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_temporaries_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    roster = roster_csv(tmp_path / "r.csv")
    dead = tmp_path / ".卡片~999999999-abcdef.pdf.part"  # no such process
    old = tmp_path / ".卡片-k3j4h5g6.pdf.part"  # named before temporaries carried a process id
    live = tmp_path / f".卡片~{os.getppid()}-abcdef.pdf.part"  # a run still writing
    other = tmp_path / ".别的~999999999-abcdef.pdf.part"
    for path in (dead, old, live, other):
        path.write_bytes(b"%PDF half")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    render(Job("name-card-badge"), roster, Output(tmp_path / "卡片.pdf", ("pdf",)))
    assert not dead.exists() and not old.exists() and live.exists() and other.exists()


def test_split_into_the_current_folder_puts_the_problem_list_beside_it(tmp_path, monkeypatch, capsys):
    roster = roster_csv(tmp_path / "r.csv", 2)
    folder = tmp_path / "卡片"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert main(["render", "name-card", str(roster), "--split", "-o", "."]) == 0
    err = capsys.readouterr().err
    assert "共2条记录，已生成2条" in err and len(list(folder.glob("*.pdf"))) == 2
    assert (tmp_path / "卡片-问题清单.xlsx").exists()  # warnings (no photos): beside the folder, not in it
