"""--jobs: records composed in worker processes give the same files, problems and progress as one job."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from pathlib import Path

import pytest

from formgen.api import Job, Output, load_records, render
from formgen.api import workers
from formgen.input.org import load_org
from formgen.typeset.composer import Environment
from tests.conftest import make_org, make_photos, member

TODAY = dt.date(2024, 10, 1)


def _roster(folder: Path) -> Path:
    """Twelve members over two branches: photos found and missing, one who cannot be printed (😀)."""
    import json

    rows = [member(f"0001{i + 1:02d}", name, 所属党支部=("机关第一党支部" if i % 2 else "生产运营党支部"))
            for i, name in enumerate(["王喆", "李堃", "刘䶮", "陈㛃", "黄𫖯", "赵😀", "周敏", "吴静", "徐丽",
                                      "孙强", "马磊", "朱军"])]
    path = folder / "roster.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel")
    return _roster(folder), make_photos(folder / "photos"), make_org(folder)


@pytest.fixture
def in_pool(monkeypatch):
    """Even this small batch goes to the pool, in chunks of two records; files carry a fixed time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0)
    monkeypatch.setattr(workers, "CHUNK", 2)


def _render(inputs, output: Output, jobs: int, progress=None, photos=True):
    roster, folder, org = inputs
    env = Environment.default(today=TODAY, cache=False)
    return render(Job("name-card", org=load_org(org)), load_records(roster, folder if photos else None), output,
                  env=env, progress=progress, jobs=jobs)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _summary(report) -> tuple:
    return report.rendered, report.pages, [str(p) for p in report.failed], [str(p) for p in report.warnings]


def test_two_jobs_write_the_same_bytes_report_the_same_problems_and_progress(inputs, in_pool, tmp_path):
    runs = {}
    for jobs in (1, 2):
        seen: list[tuple[int, int]] = []
        out = tmp_path / f"jobs{jobs}"
        report = _render(inputs, Output(out / "cards.pdf", ("pdf", "docx")), jobs,
                         progress=lambda done, total: seen.append((done, total)))
        runs[jobs] = (_files(out), _summary(report), seen)
    assert set(runs[1][0]) == {"cards.pdf", "cards.docx"}
    assert runs[2][0] == runs[1][0]  # byte for byte
    assert runs[2][1] == runs[1][1]
    rendered, pages, failed, warnings = runs[1][1]
    assert rendered == 11 and len(failed) == 1 and "😀" in failed[0] and warnings
    assert runs[2][2] == runs[1][2] == [(n, 12) for n in range(1, 13)]


@pytest.mark.parametrize("mode", ["split", "by"])
def test_one_file_per_record_or_per_branch_the_same_with_two_jobs(inputs, in_pool, tmp_path, mode):
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        output = Output(out, ("pdf",), per_record=mode == "split", group_by="所属党支部" if mode == "by" else None)
        outputs[jobs] = (_files(out) if _render(inputs, output, jobs).outputs else {})
    assert len(outputs[1]) == (11 if mode == "split" else 2)
    assert outputs[2] == outputs[1]


def test_without_photos_the_batch_says_so_once_with_two_jobs_as_with_one(inputs, in_pool, tmp_path):
    reports = [_summary(_render(inputs, Output(tmp_path / f"{jobs}.pdf", ("pdf",)), jobs, photos=False))
               for jobs in (1, 2)]
    assert reports[0] == reports[1]
    assert sum("照片" in warning for warning in reports[0][3]) == 1
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()


def test_an_interrupted_batch_leaves_no_file_and_no_worker(inputs, in_pool, tmp_path):
    def interrupt(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _render(inputs, Output(tmp_path / "cards.pdf", ("pdf",)), 2, progress=interrupt)
    assert list(tmp_path.iterdir()) == []  # neither the PDF nor its temporary
    deadline = time.monotonic() + 30  # a loaded machine may take a moment to reap them
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert multiprocessing.active_children() == []


def test_small_batches_and_one_job_stay_in_this_process():
    assert workers.worker_count(1, 10_000) == 1
    assert workers.worker_count(None, workers.PARALLEL_FROM - 1) == 1
    assert workers.worker_count(2, 1_000) == 2
    assert workers.worker_count(None, 1_000) == workers.cores()


def test_a_font_book_travels_to_a_worker_as_its_folders(tmp_path):
    import pickle

    from formgen.fonts import FontBook, default_font_book

    assert pickle.loads(pickle.dumps(default_font_book())) is default_font_book()
    book = FontBook(extra_dirs=[tmp_path])
    assert len(pickle.dumps(book)) < 1000
    assert pickle.loads(pickle.dumps(book)).extra_dirs == (tmp_path,)


_LOADED = """
import json, sys
from formgen.api import Job, compose, load_records
from formgen.input.org import load_org
roster, photos, org = sys.argv[1:4]
composition = compose(Job("name-card", org=load_org(org)), load_records(roster, photos))
assert composition.report.rendered, composition.report.failed
print(json.dumps(sorted(m for m in ("pillow_heif", "uharfbuzz", "fontTools", "reportlab") if m in sys.modules)))
"""


def test_composing_name_cards_loads_no_library_only_other_batches_need(inputs):
    """A worker composing name cards with JPEG photos holds no HEIC decoder, HarfBuzz, fontTools or
    ReportLab (8, 4, 4 and 16 MB in each process): they come with the first HEIC photo, Mongolian line,
    font the cache folder does not know yet, and PDF writer."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-c", _LOADED, *map(str, inputs)]
    subprocess.run(command, capture_output=True, text=True, env=env, check=True)  # the fonts' tables kept
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
