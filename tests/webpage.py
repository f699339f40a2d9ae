"""Helpers for the web page's tests: a server started and stopped by the tests, Debian's Chromium driven
by Playwright, and the files a clerk would bring (a roster with a column of its own, a zip of photos)."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Iterator, Optional, Sequence

import pytest

from tests.conftest import portrait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a container, offline: no sandbox, and none of the background connections that
# this machine's closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--lang=zh-CN"]
MEMBERS = [("000101", "王喆", "党支部书记", "机关第一党支部"), ("000102", "李堃", "技术员", "机关第一党支部"),
           ("000103", "刘䶮", "主任", "生产运营党支部"), ("000104", "张敏", "班长", "生产运营党支部")]


def need_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    pytest.importorskip("playwright.sync_api")


@contextlib.contextmanager
def running_server(command: Sequence[str], data_dir: Path, cwd: Optional[Path] = None,
                   env: Optional[dict] = None) -> Iterator[str]:
    """`formgen serve` on a free port of 127.0.0.1, until the block ends; its address."""
    process = subprocess.Popen([*command, "serve", "--no-browser", "--port", "0", "--data-dir", str(data_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                               cwd=cwd, env=env or {**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        seen = []
        for line in process.stdout:
            seen.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if found:
                break
        else:
            raise AssertionError("formgen serve did not start:\n" + "".join(seen))
        yield found.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def python_formgen() -> list[str]:
    return [sys.executable, "-m", "formgen"]


def clerk_roster(path: Path) -> Path:
    """A roster as an office keeps it: a title row, and the branch under a header formgen does not know."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名册"
    sheet.append(["2024年党员名册"])
    sheet.append(["工号", "姓名", "职务", "支部信息"])
    for staff_id, name, title, branch in MEMBERS:
        sheet.append([staff_id, name, title, branch])
    for row in sheet.iter_rows(min_row=3, max_col=1):
        row[0].number_format = "@"
    workbook.save(path)
    return path


def photos_zip(path: Path, work: Path) -> Path:
    """Photos of three of the four members (folders per branch) and one that nobody matches."""
    work.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as bundle:
        for staff_id, folder in (("000101", "机关第一党支部"), ("000103", "生产运营党支部")):
            bundle.write(portrait(work / f"{staff_id}.jpg"), f"照片/{folder}/{staff_id}.jpg")
        bundle.write(portrait(work / "li.jpg"), "照片/李堃.jpg")
        bundle.write(portrait(work / "stranger.jpg"), "照片/009999.jpg")
    return path


def bad_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("照片/000101.jpg", b"x")
        bundle.writestr("../../outside.jpg", b"x")
    return path
