"""Benchmark: name cards with photos and QR codes, formgen against hand-written ReportLab scripts.

Every side runs in a process of its own, one after the other and in turn (each repeat runs every side
once), so that a busy moment of the machine falls on all of them; the medians are printed, with the
ratios the targets are stated in. Peak memory is the largest sum of resident memory over the process
and its workers, sampled every 20 ms. Photos are generated once into bench/out/photos-WxH.

    python bench/bench_name_cards.py [--records 1000 10000] [--photo-size 1200x1600] [--jobs N]
                                     [--repeat 3] [--docx] [--sides tuned formgen ...]

Sides: untuned and tuned (bench/handwritten.py), formgen-1 (one job), formgen (--jobs N), rerun (the
same with one row changed, on the cache the formgen run filled: its photos and composed records), docx
(formgen's DOCX, --jobs N). Every formgen side but rerun starts with no photo and no composed record in
its cache folder and the fonts' tables already kept (they are read once per machine). Also timed once per run: `formgen --help`, and the first page of a preview of every
built-in layout in a fresh process.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "喆堃伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
BRANCHES = ["机关第一党支部", "机关第二党支部", "生产运营党支部", "设备维修党支部", "安全环保党支部"]
URL = "https://party.example.org/m/{}"
SIDES = ("untuned", "tuned", "formgen-1", "formgen", "rerun", "docx")


def make_inputs(count: int, photo_size: tuple[int, int]) -> tuple[Path, Path]:
    """A roster and one distinct phone-sized photo per member (kept between runs)."""
    from PIL import Image, ImageDraw

    photos = OUT / f"photos-{photo_size[0]}x{photo_size[1]}"
    photos.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    rows = []
    for i in range(count):
        staff_id = f"{i + 1:06d}"
        rows.append({"工号": staff_id, "姓名": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                     "职务": rng.choice(["技术员", "值长", "安全员", "党支部书记"]),
                     "所属党支部": rng.choice(BRANCHES)})
        path = photos / f"{staff_id}.jpg"
        if not path.exists():
            w, h = photo_size
            image = Image.new("RGB", (w, h), tuple(rng.randrange(150, 250) for _ in range(3)))
            draw = ImageDraw.Draw(image)
            draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.5), fill=(90, 90, 90))
            draw.rectangle((w * 0.15, h * 0.55, w * 0.85, h), fill=(70, 70, 110))
            for _ in range(200):  # texture, so the JPEG is not trivially small
                x, y = rng.randrange(w), rng.randrange(h)
                draw.point((x, y), fill=tuple(rng.randrange(256) for _ in range(3)))
            image.save(path, quality=85)
    roster = OUT / f"roster-{count}.json"
    roster.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return roster, photos


def one_row_changed(roster: Path) -> Path:
    """The roster after a clerk fixed one member's name."""
    rows = json.loads(roster.read_text(encoding="utf-8"))
    rows[len(rows) // 2]["姓名"] = "王喆"
    changed = roster.with_name(roster.stem + "-fixed.json")
    changed.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return changed


# ---- the children -------------------------------------------------------------------------------

def run_formgen(roster: Path, photos: Path, target: Path, jobs: int) -> None:
    from formgen.api import Job, Output, load_records, render
    from formgen.input.org import load_org

    org = {**load_org(None), "organisation": "鄂尔多斯市示例能源有限责任公司",
           "qr_url_template": URL.format("{{ 工号 }}")}
    report = render(Job("name-card", org=org), load_records(roster, photos),
                    Output(target, (target.suffix.lstrip("."),)), jobs=jobs)
    assert not report.failed, report.failed[:3]


def child(which: str, roster: Path, photos: Path, target: Path, jobs: int) -> None:
    start = time.perf_counter()
    if which in ("untuned", "tuned"):
        sys.path.insert(0, str(HERE))
        import handwritten

        (handwritten.run_untuned if which == "untuned" else handwritten.run_tuned)(roster, photos, target)
    else:
        run_formgen(roster, photos, target, jobs)
    print(json.dumps({"seconds": time.perf_counter() - start, "bytes": target.stat().st_size}))


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, changed = {root}, True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(which: str, roster: Path, photos: Path, target: Path, jobs: int, cache: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMGEN_CACHE_DIR": str(cache)}
    process = subprocess.Popen([sys.executable, __file__, "--child", which, str(roster), str(photos), str(target),
                                str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env=env)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{which} failed:\n{err}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mb": peak[0] / 2**20}


def warm_fonts(size: tuple[int, int], folder: Path) -> Path:
    """A cache folder holding what is kept of the fonts (read once per machine), but no photo and no
    composed record: every side then starts as a clerk's second batch on the machine would, with its
    photos and records not yet seen."""
    roster, photos = make_inputs(5, size)
    for side, target in (("formgen-1", OUT / "warm-up.pdf"), ("docx", OUT / "warm-up.docx")):
        measure(side, roster, photos, target, 1, folder)
    for kept in ("photos", "composed"):
        shutil.rmtree(folder / kept, ignore_errors=True)
    return folder


def run_batch(count: int, size: tuple[int, int], jobs: int, repeat: int, sides: list[str]) -> dict[str, list]:
    roster, photos = make_inputs(count, size)
    fixed = one_row_changed(roster)
    results: dict[str, list] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="formgen-bench-fonts-") as fonts:
        base = warm_fonts(size, Path(fonts) / "cache")
        for round_ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="formgen-bench-cache-") as scratch:
                for side in sides:
                    if side == "rerun":
                        continue
                    cache = Path(scratch) / side
                    shutil.copytree(base, cache)  # fonts known, photos not
                    target = OUT / {"docx": "formgen.docx"}.get(side, f"{side}.pdf")
                    results[side].append(measure(side, roster, photos, target, 1 if side == "formgen-1" else jobs,
                                                 cache))
                    if side == "formgen" and "rerun" in sides:  # the same cache, now holding the photos
                        results["rerun"].append(measure("rerun", fixed, photos, OUT / "rerun.pdf", jobs, cache))
                print(f"  round {round_ + 1}/{repeat} done", flush=True)
    return results


# ---- the one-off timings ------------------------------------------------------------------------

def time_help(times: int = 5) -> float:
    runs = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "formgen", "--help"], capture_output=True, check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


PREVIEW_CHILD = """
import json, sys, time
sys.path.insert(0, ".")
from tests.test_goldens import CASES  # a record or two that each layout can print (imports pytest: not timed)
start = time.perf_counter()
from formgen.api import Job, load_records, preview_page as preview
from formgen.input.layouts import builtin_layouts
from formgen.input.org import load_org
org = load_org("samples/org.yaml")
roster = load_records("samples/roster.xlsx", photos="samples/photos")
layout = sys.argv[1]
rows, options = CASES.get(layout, (None, {}))
job = Job(layout, org=org, options=options)
records = roster if rows is None else load_records(rows, "samples/photos")
ready = time.perf_counter()
png = preview(job, records, dpi=96)
first = time.perf_counter()
preview(job, records, dpi=96)
again = time.perf_counter()
print(json.dumps({"cold": first - start, "compose_and_draw": first - ready, "warm": again - first, "bytes": len(png)}))
"""


def time_previews() -> dict[str, dict]:
    sys.path.insert(0, str(ROOT))
    from formgen.input.layouts import builtin_layouts

    found = {}
    for layout in builtin_layouts():
        result = subprocess.run([sys.executable, "-c", PREVIEW_CHILD, layout.name], capture_output=True, text=True,
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if result.returncode:
            found[layout.name] = {"error": result.stderr.strip().splitlines()[-1]}
        else:
            found[layout.name] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


# ---- the report ---------------------------------------------------------------------------------

def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(count: int, results: dict[str, list], jobs: int) -> None:
    labels = {"untuned": "hand-written, untuned", "tuned": "hand-written, tuned", "formgen-1": "formgen PDF, 1 job",
              "formgen": f"formgen PDF, {jobs} jobs", "rerun": "formgen, one row changed",
              "docx": f"formgen DOCX, {jobs} jobs"}
    print(f"\n{count} cards (medians of {len(next(iter(results.values())))})")
    print(f"{'':<28}{'seconds':>9}{'peak MB':>9}{'KB/card':>9}")
    for side, runs in results.items():
        print(f"{labels[side]:<28}{_median(runs, 'seconds'):>9.2f}{_median(runs, 'peak_mb'):>9.0f}"
              f"{_median(runs, 'bytes') / 1024 / count:>9.1f}")

    def ratio(a: str, b: str, text: str) -> None:
        if a in results and b in results:
            # The ratio of each round's pair, then the median: both sides of a pair saw the same machine.
            pairs = [x["seconds"] / y["seconds"] for x, y in zip(results[a], results[b])]
            spread = f"  (rounds {min(pairs):.2f}–{max(pairs):.2f})" if len(pairs) > 1 else ""
            print(f"{text:<52}{statistics.median(pairs):>6.2f}×{spread}")

    ratio("formgen", "tuned", f"formgen ({jobs} jobs) / tuned script  [target ≤ 0.6]")
    ratio("formgen-1", "tuned", "formgen (1 job) / tuned script")
    ratio("formgen", "untuned", f"formgen ({jobs} jobs) / untuned script")
    ratio("formgen", "formgen-1", f"{jobs} jobs / 1 job (scaling)")
    ratio("rerun", "formgen", "one row changed / first run  [target ≤ 0.2]")
    ratio("docx", "formgen", "DOCX / PDF  [target ≤ 1.5]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000])
    parser.add_argument("--photo-size", default="1200x1600", help="generated photo size in pixels, WxH")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="formgen's --jobs (default: all cores)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docx", action="store_true", help="also time formgen's DOCX output")
    parser.add_argument("--sides", nargs="+", choices=SIDES, help="which sides to run (default: all but docx)")
    parser.add_argument("--no-extras", action="store_true", help="skip the --help and preview timings")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        which, roster, photos, target, jobs = args.child
        child(which, Path(roster), Path(photos), Path(target), int(jobs))
        return
    size = tuple(int(v) for v in args.photo_size.lower().split("x"))
    sides = args.sides or [s for s in SIDES if s != "docx" or args.docx]
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average before: {' '.join(load)}")
    for count in args.records:
        print(f"preparing {count} records with {size[0]}×{size[1]} photos …", flush=True)
        report(count, run_batch(count, size, args.jobs, args.repeat, sides), args.jobs)
    if not args.no_extras:
        print(f"\nformgen --help: {time_help():.2f} s (median of 5, interpreter start included)")
        print("first page of a preview (PNG, 96 dpi), fresh process: cold = imports + fonts + compose + draw;"
              " warm = the same call again in that process")
        for name, timing in time_previews().items():
            if "error" in timing:
                print(f"  {name:<20} failed: {timing['error']}")
            else:
                print(f"  {name:<20} cold {timing['cold']:.2f} s   compose and draw {timing['compose_and_draw']:.2f} s"
                      f"   warm {timing['warm']:.2f} s")
    with open("/proc/loadavg") as handle:
        print(f"load average after: {' '.join(handle.read().split()[:3])}")


if __name__ == "__main__":
    main()
