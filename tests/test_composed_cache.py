"""The composed-record cache: a re-run composes only the rows that changed, and prints what a run
without the cache prints; every input composing reads is part of an entry's name or listed in it."""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle

import pytest

from formgen.api import Job, Output, compose, load_records, render
from formgen.api import workers
from formgen.cli import main
from formgen.fonts import FontBook
from formgen.input.org import load_org
from formgen.typeset import imaging
from formgen.typeset.composed_cache import ComposedCache
from formgen.typeset.composer import Composer, Environment
from tests.conftest import make_org, member, pdf_text, portrait
from tests.test_fonts import make_font


@pytest.fixture(autouse=True)
def nothing_remembered():
    imaging._recent.clear()
    yield
    imaging._recent.clear()


@pytest.fixture
def composed(monkeypatch):
    """The records composed afresh (not read from the cache), by name, in order."""
    names: list[str] = []
    original = Composer._compose_afresh

    def counting(self, record):
        names.append(record.who)
        return original(self, record)

    monkeypatch.setattr(Composer, "_compose_afresh", counting)
    return names


@pytest.fixture
def inputs(tmp_path):
    return inputs_of(tmp_path)


def inputs_of(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    rows = [member(f"0001{i:02d}", name) for i, name in enumerate(["王喆", "李堃", "刘䶮", "黄𫖯"], 1)]
    for row in rows:
        portrait(photos / f"{row['工号']}.jpg", size=(900, 1200))
    return rows, photos, load_org(make_org(tmp_path))


def env_with(folder, **changes) -> Environment:
    base = Environment.default(today=dt.date(2026, 12, 1))
    return Environment(changes.get("book", base.book), changes.get("today", base.today), base.photo_cache,
                       ComposedCache(folder))


def run(rows, photos, org, target, env, options=None, jobs=1):
    report = render(Job("name-card", org=org, options=options or {}), load_records(rows, photos),
                    Output(target, ("pdf",)), env=env, jobs=jobs)
    assert report.failed == []
    return target.read_bytes()


def test_a_rerun_with_one_row_fixed_composes_that_row_and_prints_as_a_run_without_cache(
        inputs, tmp_path, composed, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")
    rows, photos, org = inputs
    env = env_with(tmp_path / "cache")
    run(rows, photos, org, tmp_path / "first.pdf", env)
    assert composed == ["王喆", "李堃", "刘䶮", "黄𫖯"]
    composed.clear()
    rows[2] = {**rows[2], "姓名": "刘䶮䶮", "职务": "党支部书记"}
    again = run(rows, photos, org, tmp_path / "again.pdf", env)
    assert composed == ["刘䶮䶮"]
    without = Environment(env.book, env.today, None, None)
    assert again == run(rows, photos, org, tmp_path / "without.pdf", without)
    assert "党支部书记" in "".join(pdf_text(tmp_path / "again.pdf"))


def test_a_photo_replaced_under_the_same_name_is_printed_anew(inputs, tmp_path, composed):
    rows, photos, org = inputs
    env = env_with(tmp_path / "cache")
    job = Job("name-card", org=org)
    first = compose(job, load_records(rows, photos), env=env).document.pages
    composed.clear()
    photo = photos / "000102.jpg"
    stat = photo.stat()
    portrait(photo, size=(1200, 900))  # the clerk put a better photo in its place
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    again = compose(job, load_records(rows, photos), env=env).document.pages
    assert composed == ["李堃"]
    pictures = [[item.data for item in page.items if type(item).__name__ == "Image"] for page in (first[1], again[1])]
    assert pictures[0] != pictures[1]
    assert again[0] == first[0] and again[3] == first[3]


@pytest.mark.parametrize("change", ["option", "profile", "today", "fonts", "photo folder"])
def test_what_composing_reads_besides_the_record_is_part_of_the_name(inputs, tmp_path, composed, change):
    rows, photos, org = inputs
    folder = tmp_path / "cache"
    compose(Job("name-card", org=org), load_records(rows, photos), env=env_with(folder))
    composed.clear()
    options, env = {}, env_with(folder)
    if change == "option":
        options = {"back": "copy"}
    elif change == "profile":
        org = {**org, "organisation": "鄂尔多斯市另一能源公司"}
    elif change == "today":
        env = env_with(folder, today=dt.date(2027, 1, 4))
    elif change == "fonts":
        extra = tmp_path / "fonts"
        extra.mkdir()
        make_font(extra / "MySong.ttf", "MySong", "𡈼")  # a --font-dir, though no record needs it
        env = env_with(folder, book=FontBook([extra]))
    else:
        moved = tmp_path / "elsewhere"
        photos.rename(moved)
        photos = moved
    compose(Job("name-card", org=org, options=options), load_records(rows, photos), env=env)
    assert len(composed) == len(rows)


def test_the_entry_lists_the_files_composing_read(inputs, tmp_path):
    rows, photos, org = inputs
    env = env_with(tmp_path / "cache")
    composer = Composer(Job("name-card", org=org).loaded().layout, env, org)
    record = load_records(rows[:1], photos).records[0]
    composer.compose_record(record)
    entry = env.composed_cache.get(composer.cache_key(record))
    assert entry is not None and [path for path, _, _ in entry.files] == [str(photos / "000101.jpg")]


def _only_entry(folder):
    (path,) = [p for p in folder.rglob("*") if p.is_file()]
    return path


def test_a_torn_entry_is_a_miss_and_is_made_again(inputs, tmp_path, composed):
    rows, photos, org = inputs
    folder = tmp_path / "cache"
    job = Job("name-card", org=org)
    first = compose(job, load_records(rows[:1], photos), env=env_with(folder)).document.pages
    entry = _only_entry(folder)
    entry.write_bytes(entry.read_bytes()[:-50])
    composed.clear()
    assert compose(job, load_records(rows[:1], photos), env=env_with(folder)).document.pages == first
    assert composed == ["王喆"]


class _Planted:
    def __reduce__(self):
        return (os.system, ("touch planted-marker",))


def test_an_entry_naming_anything_but_the_page_model_is_refused_not_run(inputs, tmp_path, monkeypatch):
    """A file planted in the cache folder, well formed but for what it unpickles, runs no code."""
    import hashlib

    monkeypatch.chdir(tmp_path)
    rows, photos, org = inputs
    folder = tmp_path / "cache"
    compose(Job("name-card", org=org), load_records(rows[:1], photos), env=env_with(folder))
    entry = _only_entry(folder)
    data = pickle.dumps(((_Planted(),), (), ()))
    header = json.dumps({"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}).encode()
    entry.write_bytes(b"formgen-composed 1\n" + header + b"\n" + data)
    assert ComposedCache(folder).get(entry.name) is None
    assert not (tmp_path / "planted-marker").exists()
    composition = compose(Job("name-card", org=org), load_records(rows[:1], photos), env=env_with(folder))
    assert composition.report.failed == [] and len(composition.document.pages) == 1


def test_a_rerun_of_a_large_batch_composes_here_without_workers(tmp_path, monkeypatch, composed):
    rows = [member(f"{i:06d}", f"王{i}") for i in range(workers.PARALLEL_FROM + 2)]
    org = load_org(make_org(tmp_path))
    env = env_with(tmp_path / "cache")
    run(rows, None, org, tmp_path / "first.pdf", env, jobs=1)
    composed.clear()
    rows[5] = {**rows[5], "姓名": "李堃"}

    def no_pool(*args, **kwargs):
        raise AssertionError("workers started for one changed row")

    monkeypatch.setattr(workers, "_in_pool", no_pool)
    run(rows, None, org, tmp_path / "again.pdf", env, jobs=2)
    assert composed == ["李堃"]


def test_the_folder_is_kept_under_its_limit(inputs, tmp_path):
    rows, photos, org = inputs
    small = ComposedCache(tmp_path / "cache", limit=20_000)
    env = Environment(env_with(tmp_path).book, dt.date(2026, 12, 1), None, small)
    run(rows, photos, org, tmp_path / "cards.pdf", env)
    assert 0 < sum(size for _, size, _ in small.entries()) <= small.limit


@pytest.mark.parametrize("no_cache", [False, True])
def test_render_keeps_composed_records_unless_no_cache(inputs, tmp_path, monkeypatch, no_cache):
    rows, photos, _ = inputs
    folder = tmp_path / "composed"
    monkeypatch.setattr(ComposedCache, "default", staticmethod(lambda: ComposedCache(folder)))
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    args = ["render", "name-card", str(roster), "--photos", str(photos), "--org", str(make_org(tmp_path)),
            "-o", str(tmp_path / "cards.pdf"), "-q"] + (["--no-cache"] if no_cache else [])
    assert main(args) == 0
    kept = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    assert len(kept) == (0 if no_cache else len(rows))


def test_a_record_read_back_has_its_pages_and_warnings(inputs, tmp_path, composed):
    """What an entry holds reads back equal to what was composed: its pages, and its warnings, which
    name the roster the record now comes from."""
    rows, photos, org = inputs
    portrait(photos / "000101.jpg", size=(120, 160))  # too small for the box: a warning of composing
    folder = tmp_path / "cache"
    job = Job("name-card", org=org)
    first = compose(job, load_records(rows[:1], photos), env=env_with(folder))
    assert any("dpi" in problem.message for problem in first.report.problems)
    roster = tmp_path / "名册（改）.json"
    roster.write_text(json.dumps(rows[:1], ensure_ascii=False), encoding="utf-8")
    composed.clear()
    again = compose(job, load_records(roster, photos), env=env_with(folder))
    assert composed == []
    assert again.document.pages == first.document.pages
    assert [p.message for p in again.report.problems] == [p.message for p in first.report.problems]
    assert {p.source for p in again.report.problems} == {roster.name}


def test_entries_made_from_files_since_changed_do_not_plan_the_batch(tmp_path, monkeypatch, composed):
    """Photos copied again (every file newer): the records are composed anew, on every core asked for —
    the stale entries are no reason to compose in one process."""
    rows = [member(f"{i:06d}", f"王{i}") for i in range(workers.PARALLEL_FROM + 2)]
    photos = tmp_path / "photos"
    photos.mkdir()
    for row in rows:
        portrait(photos / f"{row['工号']}.jpg", size=(60, 80))
    org = load_org(make_org(tmp_path))
    env = env_with(tmp_path / "cache")
    run(rows, photos, org, tmp_path / "first.pdf", env, jobs=1)
    for path in photos.iterdir():
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    pooled = []
    monkeypatch.setattr(workers, "_in_pool", lambda composer, records, count: pooled.append(count) or iter(
        composer.compose(records)))
    run(rows, photos, org, tmp_path / "again.pdf", env, jobs=2)
    assert pooled == [2]


def test_a_record_with_large_pictures_is_not_kept(tmp_path, monkeypatch):
    """Each entry would hold its own copy of a large background: such records are composed again (from the
    photo cache) rather than kept."""
    from formgen.typeset import composed_cache

    rows, photos, org = inputs_of(tmp_path)
    monkeypatch.setattr(composed_cache, "MAX_ENTRY", 1000)  # a card with its photo is more than this
    folder = tmp_path / "cache"
    compose(Job("name-card", org=org), load_records(rows[:1], photos), env=env_with(folder))
    assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]


def test_a_member_added_above_leaves_the_others_entries_as_they_were(inputs, tmp_path, composed):
    """The row is no part of an entry where no template prints it: a member inserted at the top is the one
    record composed, and the others' warnings give their new rows."""
    rows, photos, org = inputs
    portrait(photos / "000102.jpg", size=(120, 160))  # 李堃's photo is small: a warning of composing
    env = env_with(tmp_path / "cache")
    job = Job("name-card", org=org)
    compose(job, load_records(rows, photos), env=env)
    composed.clear()
    again = compose(job, load_records([member("000109", "赵𬌗")] + rows, photos), env=env)
    assert composed == ["赵𬌗"]
    assert [(p.row, p.who) for p in again.report.problems if "dpi" in p.message] == [(3, "李堃")]


def test_a_layout_that_prints_the_row_keeps_it_in_the_entry(tmp_path, composed):
    from formgen.input.layouts import parse_layout

    layout = parse_layout({"name": "numbered", "title": "序号", "elements": [
        {"kind": "text", "box": [0, 0, 50, 10], "text": "{{ row }}. {{ 姓名 }}"}]}, tmp_path / "numbered.yaml")
    env = env_with(tmp_path / "cache")
    compose(Job(layout), load_records([member("1", "王喆"), member("2", "李堃")]), env=env)
    composed.clear()
    again = compose(Job(layout), load_records([member("3", "刘䶮"), member("1", "王喆"), member("2", "李堃")]), env=env)
    assert composed == ["刘䶮", "王喆", "李堃"]
    assert "2.王喆" in "".join(line.text for page in again.document.pages[1:2] for item in page.items
                               for line in item.lines).replace(" ", "")


@pytest.mark.parametrize("text, extra, org", [
    ("{{ '第{row}号' | fill }} {{ 姓名 }}", {}, {}),                                # a string the layout fills in
    ("{{ 备注 | fill }} {{ 姓名 }}", {"备注": "第{row}号"}, {}),                     # a roster cell filled in
    ("{{ org.label | fill }} {{ 姓名 }}", {}, {"label": "第{{\nrow }}号"}),          # a profile text, over two lines
])
def test_a_row_reached_through_fill_keeps_it_in_the_entry(tmp_path, text, extra, org):
    from formgen.input.layouts import parse_layout

    layout = parse_layout({"name": "n", "title": "t", "elements": [{"kind": "text", "box": [0, 0, 80, 10],
                                                                    "text": text}]}, tmp_path / "n.yaml")
    env = env_with(tmp_path / "cache")
    rows = [{**member("1", "王喆"), **extra}, {**member("2", "李堃"), **extra}]
    compose(Job(layout, org=org), load_records(rows), env=env)
    rows = [{**member("3", "刘䶮"), **extra}] + rows  # a member inserted at the top
    again = compose(Job(layout, org=org), load_records(rows), env=env).document.pages
    printed = ["".join(line.text for item in page.items for line in item.lines).replace(" ", "") for page in again]
    assert printed == ["第1号刘䶮", "第2号王喆", "第3号李堃"]
