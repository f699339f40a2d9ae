"""The organisation profile as clerks copy it around: a file it names that is not there is an error naming
the key and the path looked at; a copy of the sample still holding the sample's values is flagged."""
from __future__ import annotations

import shutil

import pytest

from formgen.cli.main import main
from formgen.input.org import OrgError, load_org, sample_values
from formgen.resources import SAMPLES_DIR

REAL = ("organisation: 鄂尔多斯市某能源有限责任公司\ncommittee: 中共鄂尔多斯市某能源有限责任公司委员会\n"
        "serial_prefix: EDS\nverify_url: https://dangjian.example.cn/v\n")


def test_a_seal_the_profile_names_is_looked_for_beside_the_profile(tmp_path):
    (tmp_path / "印章.png").write_bytes((SAMPLES_DIR / "seal-sample.png").read_bytes())
    profile = tmp_path / "单位.yaml"
    profile.write_text(REAL + "seal: 印章.png\n", encoding="utf-8")
    assert load_org(profile)["seal"] == str((tmp_path / "印章.png").resolve())


@pytest.mark.parametrize("written", ["seal-sample.png", "图片/印章.png"])
def test_a_file_the_profile_names_that_is_not_there_is_an_error_naming_key_and_path(tmp_path, written):
    elsewhere = tmp_path / "复制到这里"
    elsewhere.mkdir()
    profile = elsewhere / "单位.yaml"
    profile.write_text(REAL + f"seal: {written}\n", encoding="utf-8")
    with pytest.raises(OrgError) as refused:
        load_org(profile)
    message = str(refused.value)
    assert message.startswith(f"单位.yaml 中 seal（印章图片）写的“{written}”找不到：{(elsewhere / written).resolve()}")
    assert f"相对路径从单位信息文件所在的文件夹 {elsewhere.resolve()} 算起" in message
    absolute = tmp_path / "不存在.png"
    profile.write_text(REAL + f"seal: {absolute}\n", encoding="utf-8")
    with pytest.raises(OrgError, match="找不到") as refused:
        load_org(profile)
    assert "相对路径" not in str(refused.value)


def test_the_command_line_stops_before_printing_without_the_seal(tmp_path, capsys):
    profile = tmp_path / "单位.yaml"
    profile.write_text(REAL + "seal: seal.png\n", encoding="utf-8")
    roster = tmp_path / "r.csv"
    roster.write_text("姓名\n王喆\n", encoding="utf-8")
    assert main(["render", "证书", str(roster), "--org", str(profile), "-o", str(tmp_path / "c.pdf")]) == 2
    assert "seal（印章图片）写的“seal.png”找不到" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()


def _sample_copy(folder):
    shutil.copy(SAMPLES_DIR / "org.yaml", folder / "单位.yaml")
    shutil.copy(SAMPLES_DIR / "seal-sample.png", folder / "seal-sample.png")
    return folder / "单位.yaml"


def test_a_copy_of_the_sample_still_holding_its_values_is_flagged_and_the_sample_is_not(tmp_path):
    kept = sample_values(load_org(_sample_copy(tmp_path)))
    assert kept[0] == "证书编号前缀（serial_prefix）“SLN”"
    assert "单位全称（organisation）“鄂尔多斯市示例能源有限责任公司”" in kept and "印章图片（seal）“seal-sample.png”" in kept
    assert sample_values(load_org(SAMPLES_DIR / "org.yaml")) == []  # trying the samples is no real run
    real = tmp_path / "real.yaml"
    real.write_text(REAL, encoding="utf-8")
    assert sample_values(load_org(real)) == [] and sample_values(load_org(None)) == []


@pytest.mark.parametrize("command", [
    ["check", "名片", str(SAMPLES_DIR / "roster.xlsx")],
    ["awards", str(SAMPLES_DIR / "scores.xlsx"), "--quarter", "2024Q3", "--dry-run", "-o", "x"],
])
def test_every_command_that_prints_or_issues_flags_the_sample_values(tmp_path, capsys, command):
    profile = _sample_copy(tmp_path)
    main([*command, "--org", str(profile)])
    err = capsys.readouterr().err
    assert err.count("警告：单位.yaml 中仍是示例的内容：证书编号前缀（serial_prefix）“SLN”") == 1
    assert "请改成本单位的" in err


def test_a_profile_that_cannot_be_read_says_why_in_chinese(tmp_path):
    path = tmp_path / "单位.yaml"
    path.write_text("organisation: 示例公司\nqr_url_template: https://x/m/{{ 工号 }\n  bad: [\n", encoding="utf-8")
    with pytest.raises(OrgError, match=r"单位.yaml：第\d+行附近的写法有误"):
        load_org(path)
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(OrgError, match="单位.yaml：读不出文件的编码；请用记事本打开"):
        load_org(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_profile_saved_by_notepad_is_read_in_any_of_its_encodings(tmp_path, encoding):
    path = tmp_path / "单位.yaml"
    path.write_bytes("organisation: 鄂尔多斯市示例能源有限责任公司\ncommittee: 中共示例委员会\n".encode(encoding))
    assert load_org(path)["organisation"] == "鄂尔多斯市示例能源有限责任公司"
