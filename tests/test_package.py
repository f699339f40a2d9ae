"""The package is whole: the sdist and wheel are built offline, the wheel installed into a fresh virtualenv
outside the checkout, and every command run from another folder."""
from __future__ import annotations

import csv
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import pdf_text

CHECKOUT = Path(__file__).resolve().parent.parent
COPIED_OUT = shutil.ignore_patterns(".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__",
                                    ".pytest_cache", "formgen-data", "tests", "bench")


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _clean_env() -> dict[str, str]:
    """The environment of a clerk's shell: no PYTHONPATH pointing at a checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _fresh_venv(root: Path, wheel: Path) -> Path:
    """A virtualenv holding only the given wheel; the dependencies (already installed for the tests) are
    borrowed from this interpreter's site folders through a .pth file written after the install, so that
    nothing is downloaded and pip sees no other formgen."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = _bin(venv, "python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", "--disable-pip-version-check", str(wheel)], check=True, env=_clean_env())
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    borrowed = [p for p in site.getsitepackages() + [site.getusersitepackages()] if Path(p).is_dir()]
    Path(purelib, "zz-borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    return venv


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel built from a copy of the checkout, as `python -m build` does (the wheel from
    the sdist, which proves the sdist complete); once per test session."""
    root = tmp_path_factory.mktemp("build")
    source = root / "source"
    shutil.copytree(CHECKOUT, source, ignore=COPIED_OUT)
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(root / "dist"), str(source)],
                   check=True, capture_output=True, env=_clean_env())
    return {"wheel": next((root / "dist").glob("formgen-*.whl")), "sdist": next((root / "dist").glob("formgen-*.tar.gz")),
            "source": source}


@pytest.fixture(scope="session")
def installed(built, tmp_path_factory) -> Path:
    return _fresh_venv(tmp_path_factory.mktemp("wheel-venv"), built["wheel"])


def run(venv: Path, *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(_bin(venv, "formgen")), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=_clean_env(), timeout=timeout)


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory) -> Path:
    """A working folder that is neither the checkout nor the virtualenv."""
    return tmp_path_factory.mktemp("clerk-desktop")


def test_the_wheel_carries_every_layout_font_licence_and_sample(built):
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    for folder in ("layouts", "fonts", "samples"):
        for path in (CHECKOUT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"formgen/_data/{path.relative_to(CHECKOUT).as_posix()}" in names, path
    assert {"formgen/_data/fonts/OFL-NotoSansSC.txt", "formgen/_data/fonts/HanaMinB.ttf"} <= names
    web = [n for n in names if n.startswith("formgen/web/templates/") or n.startswith("formgen/web/static/")]
    assert "formgen/web/templates/roster.html" in web and "formgen/web/static/app.js" in web
    assert any(n.endswith(".dist-info/licenses/fonts/OFL-NotoSerifSC.txt") for n in names)
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)


def test_installed_package_runs_from_the_virtualenv_not_the_checkout(installed, elsewhere):
    python = _bin(installed, "python")
    where = subprocess.run([str(python), "-c", "import formgen, formgen.resources as r; "
                            "print(formgen.__file__); print(r.DATA_ROOT)"], cwd=elsewhere, check=True,
                           capture_output=True, text=True, env=_clean_env()).stdout.split("\n")
    assert Path(where[0]).is_relative_to(installed) and Path(where[1]).is_relative_to(installed)
    assert Path(where[1]).name == "_data"


def test_list_shows_every_layout(installed, elsewhere):
    result = run(installed, "list", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    for layout in sorted((CHECKOUT / "layouts").glob("*.yaml")):
        assert layout.stem in result.stdout


def test_demo_writes_every_document(installed, elsewhere):
    result = run(installed, "demo", "-o", "演示", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    out = elsewhere / "演示"
    for name in ("名片", "胸卡", "承诺卡", "问卷", "月度清单"):
        assert (out / f"{name}.pdf").stat().st_size > 10_000 and (out / f"{name}.docx").is_file()
    assert (out / "评选" / "荣誉证书.pdf").is_file() and (out / "问卷统计" / "问卷统计.pdf").is_file()
    assert "杨晓光" in "".join(pdf_text(out / "名片.pdf"))


def test_render_check_awards_tally_and_verify_from_another_folder(installed, elsewhere):
    roster = elsewhere / "名册.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工号", "姓名", "职务", "支部"])
        writer.writerows([["000101", "王喆", "技术员", "机关第一党支部"], ["000102", "李堃", "主任", "生产运营党支部"]])
    result = run(installed, "check", "name-card", "名册.csv", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "已检查2条记录" in result.stderr
    result = run(installed, "render", "name-card", "名册.csv", "-o", "名片.pdf", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    text = "".join(pdf_text(elsewhere / "名片.pdf")).replace(" ", "")  # names are spread over their box
    assert "王喆" in text and "李堃" in text and "生产运营党支部" in text

    samples = CHECKOUT / "samples"
    result = run(installed, "awards", str(samples / "scores.xlsx"), "--quarter", "2024Q3", "-o", "评选", cwd=elsewhere)
    assert result.returncode == 1, result.stderr  # the sample sheet carries deliberate mistakes
    assert (elsewhere / "评选" / "评选结果.xlsx").is_file()
    result = run(installed, "verify", str(elsewhere / "评选" / "荣誉证书.pdf"), cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("有效")

    result = run(installed, "survey-tally", str(samples / "survey-responses.xlsx"), "--roster",
                 str(samples / "roster.xlsx"), "-o", "问卷统计", cwd=elsewhere)
    assert result.returncode == 1, result.stderr  # the sample answers include responses left out
    assert (elsewhere / "问卷统计" / "问卷统计.pdf").is_file()


def test_an_editable_install_reads_the_folders_of_the_source_tree(built, tmp_path):
    """What `pip install -e .` builds (PEP 660), installed into a virtualenv of its own."""
    import warnings

    from pyproject_hooks import BuildBackendHookCaller, BuildBackendWarning

    source = built["source"]
    hooks = BuildBackendHookCaller(str(source), "setuptools.build_meta")
    (tmp_path / "dist").mkdir()
    with warnings.catch_warnings():  # setuptools' note on folders named like the package
        warnings.simplefilter("ignore", BuildBackendWarning)
        name = hooks.build_editable(str(tmp_path / "dist"))
    venv = _fresh_venv(tmp_path, tmp_path / "dist" / name)
    assert not any("_data/" in n for n in zipfile.ZipFile(tmp_path / "dist" / name).namelist())
    python = _bin(venv, "python")
    where = subprocess.run([str(python), "-c", "import formgen.resources as r; print(r.DATA_ROOT)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True, env=_clean_env()).stdout.strip()
    assert Path(where) == source
    result = run(venv, "list", cwd=tmp_path)
    assert result.returncode == 0 and "name-card" in result.stdout, result.stderr


def test_a_package_without_its_layouts_says_so_and_fails(monkeypatch, tmp_path, capsys):
    from formgen.cli import main
    from formgen.input import layouts

    monkeypatch.setattr(layouts, "BUILTIN_LAYOUT_DIR", tmp_path / "layouts")
    assert main(["list"]) == 2
    assert "formgen 安装不完整：找不到自带的 layouts" in capsys.readouterr().err
    assert main(["render", "name-card", "x.csv", "-o", "x.pdf"]) == 2
    assert "安装不完整" in capsys.readouterr().err


def test_the_wheels_page_takes_a_clerk_from_roster_to_name_cards(installed, elsewhere, tmp_path):
    """Done when: a fresh virtualenv with only the wheel serves the page, and a walk through it in Chromium
    goes from an unseen roster (an unrecognised branch column) and a photos zip to a correct name-card PDF."""
    from tests.webpage import (check_name_cards, chromium, clerk_roster, need_browser, new_page, photos_zip,
                               running_server, walk_to_name_cards)

    need_browser()
    files = {"roster": clerk_roster(tmp_path / "名册.xlsx"), "photos": photos_zip(tmp_path / "照片.zip", tmp_path / "p")}
    with running_server([str(_bin(installed, "formgen"))], tmp_path / "data", cwd=elsewhere, env=_clean_env()) as url:
        with chromium() as browser:
            pdf = walk_to_name_cards(new_page(browser), url, files, tmp_path)
    check_name_cards(pdf)


def test_the_windows_start_script_speaks_utf8_and_starts_the_page():
    script = next((CHECKOUT / "scripts" / "windows").glob("*.cmd"))
    data = script.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")  # cmd.exe reads CRLF lines
    lines = data.decode("utf-8").splitlines()
    assert lines[:2] == ["@echo off", "chcp 65001 >nul"]  # UTF-8 before any Chinese is read
    assert "formgen serve" in [line.strip() for line in lines] and "py -m formgen serve" in [line.strip() for line in lines]
