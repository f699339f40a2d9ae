"""The photo cache: hits by content and placement, misses when either changes, safe with runs at the same
time, bounded in size; render --no-cache keeps nothing."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from PIL import Image

from formgen.cli import main
from formgen.typeset import imaging
from formgen.typeset.photo_cache import PhotoCache
from tests.conftest import make_org, portrait

W, H = 25 * 72 / 25.4, 35 * 72 / 25.4  # the name card's photo box, in points


@pytest.fixture(autouse=True)
def nothing_remembered():
    """Each test starts without the process's in-memory photos, so that hits come from the folder."""
    imaging._recent.clear()
    yield
    imaging._recent.clear()


def _entries(cache: PhotoCache) -> list[Path]:
    return [path for _, _, path in cache.entries()]


def test_the_same_photo_in_the_same_box_is_read_back_not_decoded(tmp_path, monkeypatch):
    cache = PhotoCache(tmp_path / "cache")
    photo = portrait(tmp_path / "000101.jpg", size=(1200, 1600))
    first = imaging.prepare(photo, W, H, cache=cache)
    assert len(_entries(cache)) == 1
    imaging._recent.clear()

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded although cached")

    monkeypatch.setattr(imaging, "_prepare_bytes", no_decoding)
    again = imaging.prepare(photo, W, H, cache=cache)
    assert again == first  # every field, the JPEG bytes included
    renamed = tmp_path / "王喆.jpg"
    renamed.write_bytes(photo.read_bytes())
    imaging._recent.clear()
    assert imaging.prepare(renamed, W, H, cache=cache) == first  # keyed by content, not by name


def test_changed_content_or_placement_is_a_miss(tmp_path):
    cache = PhotoCache(tmp_path / "cache")
    photo = portrait(tmp_path / "000101.jpg", size=(1200, 1600))
    first = imaging.prepare(photo, W, H, cache=cache)
    Image.new("RGB", (1200, 1600), (20, 200, 20)).save(photo)  # the clerk replaced the photo, same name
    imaging._recent.clear()
    replaced = imaging.prepare(photo, W, H, cache=cache)
    assert replaced.data != first.data
    bigger = imaging.prepare(photo, 2 * W, 2 * H, cache=cache)
    assert abs(bigger.width - 2 * replaced.width) <= 1 and abs(bigger.height - 2 * replaced.height) <= 1
    assert len(_entries(cache)) == 3


def test_a_torn_or_foreign_entry_is_a_miss_and_is_replaced(tmp_path):
    cache = PhotoCache(tmp_path / "cache")
    photo = portrait(tmp_path / "000101.jpg", size=(1200, 1600))
    first = imaging.prepare(photo, W, H, cache=cache)
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes()[:-100])  # as if a run had been killed halfway (it cannot: rename)
    imaging._recent.clear()
    assert imaging.prepare(photo, W, H, cache=cache) == first
    assert entry.read_bytes().endswith(first.data)


def _prepare_all(args) -> list[bytes]:
    folder, photos = args
    cache = PhotoCache(Path(folder))
    results = []
    for _ in range(3):
        imaging._recent.clear()
        results += [imaging.prepare(Path(p), W, H, cache=cache).data for p in photos]
    return results


def test_runs_at_the_same_time_share_the_folder_safely(tmp_path):
    photos = [str(portrait(tmp_path / f"{i:06d}.jpg", size=(900 + 40 * i, 1200))) for i in range(8)]
    folder = str(tmp_path / "cache")
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        runs = pool.map(_prepare_all, [(folder, photos)] * 3)
    expected = [imaging.prepare(Path(p), W, H).data for p in photos] * 3  # no cache at all
    assert runs == [expected] * 3
    cache = PhotoCache(Path(folder))
    assert len(_entries(cache)) == 8
    assert not [p for p in Path(folder).rglob("*") if p.name.endswith(".tmp")]  # no temporaries left


def _key(photo: Path) -> str:
    placement = (round(W, 3), round(H, 3), "cover", "center", False, imaging.MAX_DPI)
    return PhotoCache.key(hashlib.sha256(photo.read_bytes()).hexdigest(), placement)


def test_the_folder_stays_under_its_limit_dropping_the_least_recently_used(tmp_path):
    photos = [portrait(tmp_path / f"{i:06d}.jpg", size=(1000 + 20 * i, 1400)) for i in range(10)]
    cache = PhotoCache(tmp_path / "cache", limit=10**9)
    for index, photo in enumerate(photos):
        imaging.prepare(photo, W, H, cache=cache)
        stamp = 1_700_000_000 + index  # used one second after the other, whatever the clock's grain
        os.utime(cache._path(_key(photo)), (stamp, stamp))
    sizes = sorted(size for _, size, _ in cache.entries())
    small = PhotoCache(cache.folder, limit=sum(sizes[-5:]))  # room for about five
    assert small.trim() > 0
    kept = {path.name for _, _, path in small.entries()}
    assert sum(size for _, size, _ in small.entries()) <= small.limit
    assert {_key(p) for p in photos[-3:]} <= kept  # the most recently used stay
    assert _key(photos[0]) not in kept
    assert small.trim() == 0  # under the limit: nothing more goes


@pytest.mark.parametrize("no_cache", [False, True])
def test_render_keeps_photos_in_the_user_cache_unless_no_cache(tmp_path, monkeypatch, no_cache):
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("FORMGEN_CACHE_DIR", str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727700000")  # the two runs' files carry the same time
    photos = tmp_path / "photos"
    photos.mkdir()
    portrait(photos / "000101.jpg", size=(1200, 1600))
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps([{"工号": "000101", "姓名": "王喆"}], ensure_ascii=False), encoding="utf-8")
    args = ["render", "name-card", str(roster), "--photos", str(photos), "--org", str(make_org(tmp_path)),
            "-o", str(tmp_path / "cards.pdf"), "-q"] + (["--no-cache"] if no_cache else [])
    assert main(args) == 0
    kept = [p for p in (folder / "photos").rglob("*") if p.is_file()] if folder.exists() else []
    assert len(kept) == (0 if no_cache else 1)
    if not no_cache:  # the second run reads it back, and writes the same bytes
        first = (tmp_path / "cards.pdf").read_bytes()
        imaging._recent.clear()
        assert main(args) == 0
        assert (tmp_path / "cards.pdf").read_bytes() == first
