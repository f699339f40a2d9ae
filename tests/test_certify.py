"""certify: certificates for awards chosen by people, from the sample list of nominations — issued with
ledger serials and signed QR codes that verify, the list's slips refused by row."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from formgen.api.certify import run_certify
from formgen.campaign.nominations import load_nominations, parse_period
from formgen.campaign.verify import VALID, verify_source
from formgen.cli.main import main
from formgen.input.org import load_org
from formgen.resources import SAMPLES_DIR

from .conftest import pdf_text
from .readback import docx_text

NOMINATIONS = SAMPLES_DIR / "nominations.xlsx"
ISSUED = ["王喆", "周雅琴", "乌兰巴特尔", "生产运营党支部", "1号机组A级检修项目"]


@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certify")
    org = {**load_org(SAMPLES_DIR / "org.yaml"), "data_dir": str(folder / "data")}
    result = run_certify(NOMINATIONS, org, folder / "out", ("pdf", "docx"), issue_date=dt.date(2024, 12, 30))
    return folder, org, result


def test_accepted_rows_get_serials_in_their_award_series(certified):
    _, _, result = certified
    assert [i.nomination.holder for i in result.issued] == ISSUED
    assert [i.serial for i in result.issued] == ["SLN-2024-CX-0001", "SLN-2024-XJ-0001", "SLN-2024-CX-0002",
                                                 "SLN-2024-WX-0001", "SLN-2024-YX-0001"]
    periods = {i.nomination.holder: i.nomination.period.code for i in result.issued}
    assert periods["王喆"] == "2024Q3" and periods["乌兰巴特尔"] == "2024Q3" and periods["周雅琴"] == "2024"


def test_unknown_awards_duplicates_and_wrong_periods_are_refused_by_row(certified):
    _, _, result = certified
    refused = sorted((p.row, p.column, p.who) for p in result.problems if p.level == "error")
    assert refused == [(8, "奖项", "黄𫖯"), (9, "奖项", "褚天佑"), (10, "奖项", "褚天佑"), (11, "期间", "赵𬌗")]
    messages = {p.row: p.message for p in result.problems}
    assert "“优秀党员”不是可以发证的奖项" in messages[8]
    assert "出现2次（第9行、第10行）" in messages[9]
    assert "按季度评选" in messages[11]
    assert all(p.source == "nominations.xlsx" for p in result.problems)
    assert result.rejected


def test_certificates_print_the_holders_and_their_qr_codes_verify(certified):
    folder, org, result = certified
    pages = [re.sub(r"\s+", "", page) for page in pdf_text(folder / "out" / "荣誉证书.pdf")]
    assert len(pages) == 5
    assert "王喆同志：" in pages[0] and "牵头完成公文无纸化流转" in pages[0] and "2024年第三季度" in pages[0]
    assert "生产运营党支部：" in pages[3] and "2024年度" in pages[3] and "五星党支部" in pages[3]
    assert "1号机组A级检修项目：" in pages[4] and "SLN-2024-YX-0001" in pages[4]
    verdicts = verify_source(str(folder / "out" / "荣誉证书.pdf"), folder / "data")
    assert [v.status for v in verdicts] == [VALID] * 5
    assert [v.certified.holder for v in verdicts] == ISSUED
    assert "2024年度" in str(verdicts[1])


def test_the_certificates_and_their_list_are_named_as_those_of_awards(certified):
    folder, _, result = certified
    assert {p.name for p in (folder / "out").iterdir()} == {"证书清单.xlsx", "荣誉证书.pdf", "荣誉证书.docx"}
    assert {p.name for p in result.outputs} == {"证书清单.xlsx", "荣誉证书.pdf", "荣誉证书.docx"}


def test_the_docx_holds_every_holder_and_the_list_every_serial(certified):
    folder, _, result = certified
    body = docx_text(folder / "out" / "荣誉证书.docx")
    for holder in ISSUED:
        assert holder in body
    from openpyxl import load_workbook

    workbook = load_workbook(folder / "out" / "证书清单.xlsx")
    serials = [row[0] for row in workbook["证书"].iter_rows(min_row=2, values_only=True)]
    assert serials == [i.serial for i in result.issued]
    assert workbook["问题"].max_row == 1 + len(result.problems)


def test_certifying_the_same_list_again_reuses_the_serials(certified, tmp_path):
    folder, org, result = certified
    again = run_certify(NOMINATIONS, org, tmp_path, ("pdf",), issue_date=dt.date(2025, 1, 5))
    assert [i.serial for i in again.issued] == [i.serial for i in result.issued]


def test_periods_as_clerks_write_them():
    assert parse_period("2024年度").code == "2024" and parse_period("２０２４").code == "2024"
    assert parse_period("2024年第三季度").code == "2024Q3" and parse_period("2024Q3").label == "2024年第三季度"
    with pytest.raises(ValueError, match="不是季度或年度"):
        parse_period("今年")


def test_a_list_without_names_is_refused_row_by_row(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("奖项,所属党支部,期间,姓名\n先进个人,机关第一党支部,2024,\n五星党支部,,2024,\n"
                    "优秀项目,设备维修党支部,2024,\n", encoding="utf-8")
    read = load_nominations(path)
    assert read.nominations == []
    assert [(p.row, p.column) for p in read.problems] == [(2, "姓名"), (3, "获奖者"), (4, "获奖者")]


def test_dry_run_issues_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["certify", str(NOMINATIONS), "-o", "out", "--dry-run"])
    assert code == 1  # rows were refused
    assert not (tmp_path / "out").exists() and not (tmp_path / "formgen-data").exists()
    output = capsys.readouterr()
    assert "共5份证书可以发放" in output.err and "第8行（黄𫖯）「奖项」列" in output.err


def test_other_headers_clerks_use(tmp_path):
    path = tmp_path / "表彰.csv"
    path.write_text("序号,获奖人,党支部,荣誉称号,推荐理由,季度\n1,王喆,机关第一党支部,“创效之星”,牵头攻关,2024年三季度\n",
                    encoding="gb18030")
    read = load_nominations(path)
    assert read.problems == []
    (nomination,) = read.nominations
    assert (nomination.holder, nomination.branch, nomination.award, nomination.reason, nomination.period.code) == (
        "王喆", "机关第一党支部", "创效之星", "牵头攻关", "2024Q3")
