"""What each step of the page asks of formgen: summaries of the clerk's files, and the jobs that the
worker runs through formgen.api (check, preview, generate, awards, survey tally, verify)."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import threading
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from formgen import api, clock, limits
from formgen.api.preview import page_count, page_picture, preview
from formgen.campaign.issuing import PUBLIC_KEY_FILE
from formgen.chinese import Quarter, parse_quarter
from formgen.files import atomic_path, safe_file_name
from formgen.input.photos import PhotoFinder
from formgen.input.problem_list import write_problem_list
from formgen.input.records import load_roster
from formgen.problems import ERROR, LEVEL_LABELS, BatchRefused, Problem
from formgen.typeset.layout import Layout
from formgen.web.uploads import UploadError, is_zip, save_stream
from formgen.web.workspace import Workspace
from formgen.web.wording import for_page

# PDFium is not made for two threads at once: page pictures (request threads) and verify (the worker)
# take turns.
PDFIUM = threading.Lock()
SYSTEM = "_system"  # the owner of the page's own jobs (layout thumbnails)
GROUP_COLUMN = "所属党支部"
# The other way to read a column under another header as the field: the drop-down of the roster page.
MAP_HERE = "，或在上表“{header}”的右边选“{field}”"
MAP_ON_ROSTER_PAGE = "，或在「① 名册」页“{header}”的右边选“{field}”"


# ---- the roster and photos ----------------------------------------------------------------------------

def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, for the sheet choice; none for CSV and JSON."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm") and is_zip(path):
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            try:
                return list(workbook.sheetnames)
            finally:
                workbook.close()
        if suffix == ".xls":
            import xlrd

            return list(xlrd.open_workbook(str(path), on_demand=True).sheet_names())
    except Exception:  # the roster reader says what is wrong with the file; the choice is only left out
        return []
    return []


def stored_name(shown: str, suffix: str) -> str:
    """The clerk's own file name, made safe, under which an upload is kept: the problems and the 来源
    column of the workbooks then name the file the clerk knows (the suffix is the one already checked)."""
    stem = Path(shown.replace("\\", "/").rsplit("/", 1)[-1]).stem
    return f"{safe_file_name(stem, limit=100)}{suffix}"


def job_copy(job, source: Path, shown: str, slot: str = "") -> Path:
    """The upload copied into the job's own folder under the clerk's name (in a folder of its own per
    slot, as two uploads may share a name): the job never reads a file that a later upload may change."""
    copy = job.folder / "input" / slot / stored_name(shown, source.suffix)
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, copy)
    return copy


def job_folder_copy(job, source: Path, slot: str) -> Path:
    """A folder of uploads (the photos) as it is now, in the job's folder: each file linked where the
    disk allows (no space taken, no time spent on hundreds of photos), else copied."""
    target = job.folder / "input" / slot
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, copy)
        except OSError:  # another disk, or a file system without links
            shutil.copyfile(path, copy)
    target.mkdir(parents=True, exist_ok=True)
    return target


def submit_with_inputs(services, sid: str, kind: str, title: str, inputs: dict[str, Optional[tuple[Path, str]]],
                       work):
    """The job queued with each of inputs ({slot: (file, the clerk's name for it)} or None) copied into its
    folder now, while the request that asked for it is answered; work(job, copies) reads the copies
    ({slot: the copy, or None})."""
    copies: dict[str, Optional[Path]] = {}

    def prepare(job):
        for slot, given in inputs.items():
            copies[slot] = job_copy(job, *given, slot=slot) if given else None
            if given:
                job.inputs[slot] = (copies[slot], given[1])

    return services.worker.submit(sid, kind, title, lambda job: work(job, copies), prepare)


def check_roster_file(path: Path, shown_name: str) -> None:
    """A roster that cannot be read, or in which no column or no row is recognised, is refused with a
    message that says so (the reader tells a workbook with a password, a Word file, a text file renamed
    .xlsx apart); the clerk's file name stands in the message, never in a path."""
    try:
        roster = load_roster(path)
    except ValueError as exc:
        raise UploadError(str(exc).replace(path.name, shown_name)) from None
    if not roster.records:
        raise UploadError(f"“{shown_name}”中没有读到任何一行记录；请确认第一行是表头（姓名、工号……），下面每行一名党员")


def roster_summary(space: Workspace, layout: Layout) -> dict[str, Any]:
    """What the page shows of the roster: its sheets, each header with the field it was read as, the
    chosen layout's fields found or missing, and the row count."""
    from formgen.input.layouts import builtin_layouts
    from formgen.web.forms import mappable_fields

    roster = space.roster(photos=False)
    known = set(mappable_fields(builtin_layouts()))
    header_map = space.header_map()
    headers = [{"header": header, "field": field, "known": field in known, "mapped": header in header_map}
               for header, field in roster.headers]
    state = space.state()
    options = (state.get("options") or {}) if state.get("layout") == layout.name else {}  # chosen at ④
    required, absent = api.missing_columns(layout, roster, options)
    stood_in_for = layout.stood_in_for(options)
    wanted = [{"field": name, "present": name in roster.columns, "required": name in layout.spec.required,
               "absent": api.absent_notice(layout, name, options, stood_in_for).replace("这一列，", "，"),
               "hint": api.perhaps(name, roster, MAP_HERE) if name not in roster.columns else ""}
              for name in layout.fields(options)]
    return {"headers": headers, "wanted": wanted, "rows": len(roster.records), "sheets": sheet_names(space.roster_file()),
            "missing_required": required, "problems": [for_page(str(p)) for p in roster.problems[:20]],
            "first": [record.who for record in roster.records[:5]]}


def photo_matches(space: Workspace) -> dict[str, Any]:
    """Which member got which photo, who has none, and the photos no member got."""
    roster = space.roster(photos=True)
    folder = space.photos if space.has_photos() else None
    rows, index = [], []
    for record in roster.records:
        relative = None
        if record.photo is not None and folder is not None and record.photo.resolve().is_relative_to(folder.resolve()):
            relative = record.photo.resolve().relative_to(folder.resolve()).as_posix()
        index.append(relative)
        rows.append({"row": record.row, "who": record.who, "staff_id": record.values.get("工号", ""),
                     "branch": record.values.get(GROUP_COLUMN, ""), "photo": relative,
                     "bad": _unreadable(record.photo) if relative else ""})
    unused = []
    if folder is not None:
        used = {folder.resolve() / p for p in index if p}
        unused = [p.resolve().relative_to(folder.resolve()).as_posix()
                  for p in PhotoFinder(folder).photos() if p.resolve() not in used]
    space.update(photo_index=index)
    problems = [for_page(str(p)) for p in roster.problems if p.column == "照片"][:30]
    bad = [r for r in rows if r["bad"]]
    problems += [f"第{r['row']}行 {r['who']}：照片“{r['photo']}”{r['bad']}；请换一张 JPG 或 PNG 照片后重新上传"
                 for r in bad[:30]]
    return {"rows": rows, "missing": [r for r in rows if not r["photo"] or r["bad"]], "unused": unused,
            "has_photos": folder is not None, "problems": problems}


def _unreadable(path: Path) -> str:
    """Why the photo cannot be printed (not a picture, damaged, too many pixels), or "" when it can: only its
    header is read, which is quick for hundreds of photos."""
    from PIL import Image

    import formgen.typeset.imaging  # noqa: F401  (registers HEIC)

    try:
        with _open_picture(path):
            return ""
    except ValueError as exc:  # too many pixels: said with the size
        return f"无法使用（{exc}）"
    except (OSError, Image.DecompressionBombError):
        return "无法读取（不是图片或已损坏）"


def _open_picture(path: Path):
    """A picture opened for converting, refused (ValueError) before decoding when it has more pixels than
    any photo or seal needs: a small file can hold a picture of billions of pixels."""
    from PIL import Image

    with warnings.catch_warnings():  # the size is judged below, against our own limit
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(path)
    width, height = image.size
    if width * height > limits.MAX_IMAGE_PIXELS:
        image.close()
        raise ValueError(f"图片有{width}×{height}像素，超过了{limits.MAX_IMAGE_PIXELS}像素的上限")
    return image


def thumbnail(space: Workspace, index: int) -> Optional[Path]:
    """A small picture of the member's photo (made once), or None."""
    from PIL import Image, ImageOps

    import formgen.typeset.imaging  # noqa: F401  (registers HEIC)

    photos = space.state().get("photo_index") or []
    if not 0 <= index < len(photos) or not photos[index]:
        return None
    source = (space.photos / photos[index]).resolve()
    if not source.is_relative_to(space.photos.resolve()) or not source.is_file():
        return None
    target = space.folder("thumbs") / f"{index}.jpg"
    if not target.is_file():
        try:
            with _open_picture(source) as image:
                small = ImageOps.exif_transpose(image).convert("RGB")
                small.thumbnail((120, 160))
        except (OSError, ValueError, Image.DecompressionBombError):
            return None  # the photo page says what is wrong with it; no picture here
        with atomic_path(target) as temporary:
            small.save(temporary, format="JPEG", quality=85)
    return target


def check_picture(path: Path, shown: str, what_to_do: str) -> None:
    """An uploaded picture refused (UploadError) when it cannot be opened: not a picture, damaged, too big."""
    from PIL import Image

    try:
        with _open_picture(path) as image:
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise UploadError(f"“{shown}”不是可用的图片（不是图片、已损坏或过大）；{what_to_do}") from None


def save_seal(upload, store, limits) -> None:
    """The seal picture, checked to be a picture and kept as PNG (transparency kept)."""
    from PIL import Image

    store.folder.mkdir(parents=True, exist_ok=True)
    temporary = save_stream(upload.stream, store.folder / ".seal-upload", limits.picture, upload.filename)
    try:
        with _open_picture(temporary) as image:
            picture = image.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise UploadError(f"“{upload.filename}”不是可用的图片（不是图片、已损坏或过大）；印章请上传 PNG（最好是透明底）"
                          f"或 JPG 图片") from None
    finally:
        temporary.unlink(missing_ok=True)
    with atomic_path(store.seal) as target:
        picture.save(target, format="PNG")


# ---- layout thumbnails --------------------------------------------------------------------------------

_PENDING: set[str] = set()  # pictures being made
_FAILED: set[str] = set()  # pictures that could not be made from the samples (until the server restarts)
_PENDING_LOCK = threading.Lock()


def layout_thumbnail_failed(path: Path) -> bool:
    with _PENDING_LOCK:
        return str(path) in _FAILED


def layout_thumbnail_path(services, layout: Layout) -> Path:
    digest = hashlib.sha1(layout.path.read_bytes()).hexdigest()[:12]
    return services.data_dir / "cache" / "layouts" / f"{layout.name}-{digest}.png"


def ensure_layout_thumbnails(services, layouts: list[Layout]) -> None:
    """A picture of each layout's first page with its sample roster, made by the worker once per
    version of the layout file (layouts added later get theirs the first time the page lists them)."""
    from formgen.input.org import load_org
    from formgen.resources import SAMPLES_DIR
    from formgen.web.catalogue import sample_of

    for layout in layouts:
        target = layout_thumbnail_path(services, layout)
        with _PENDING_LOCK:
            if target.is_file() or str(target) in _PENDING or str(target) in _FAILED:
                continue
            _PENDING.add(str(target))

        def work(job, layout=layout, target=target):
            try:
                pdf = job.folder / "sample.pdf"
                roster, options = sample_of(layout)
                preview(api.Job(layout, org=load_org(SAMPLES_DIR / "org.yaml"), options=options), roster,
                        pdf, first=_first_sheet(layout), photos=SAMPLES_DIR / "photos")
                if pdf.is_file():
                    with PDFIUM:
                        page_picture(pdf, 0, target, width=320)
            finally:
                with _PENDING_LOCK:
                    _PENDING.discard(str(target))
                    if not target.is_file():
                        _FAILED.add(str(target))

        services.worker.submit(SYSTEM, "thumbnail", layout.name, work)


def _first_sheet(layout: Layout) -> int:
    """How many records fill the first sheet: one, or a sheet of cards."""
    imposition = layout.spec.imposition
    return imposition.columns * imposition.rows if imposition else 1


# ---- jobs: check, preview, generate -------------------------------------------------------------------

@dataclass(frozen=True)
class Batch:
    """Everything a rendering job reads, fixed when it is asked for: the roster (copied into the job's
    folder, so that a new upload does not change a running job), the choices and the profile."""

    layout: Layout
    roster: Path
    sheet: Optional[str]
    header_map: dict
    photos: Optional[Path]
    options: dict
    copies: Optional[int]
    org: dict

    def job(self) -> api.Job:
        return api.Job(self.layout, org=self.org, options=self.options, copies=self.copies)

    def records(self):
        return api.load_records(self.roster, self.photos if self.layout.uses_photo() else None, self.sheet,
                                find_photo_files=self.layout.uses_photo(), header_map=self.header_map)


def _batch(services, space: Workspace, layout: Layout) -> Batch:
    state = space.state()
    copies = state.get("copies")
    return Batch(layout, space.roster_file(), state.get("sheet") or None, space.header_map(),
                 space.photos if space.has_photos() else None,
                 dict(state.get("options") or {}) if state.get("layout") == layout.name else {},
                 copies if copies and copies > 1 else None, services.org.org())


def _submit(services, sid: str, kind: str, title: str, batch: Batch, work):
    """The rendering job queued with the roster and, for a layout that prints them, the photos as they are
    now: a roster or photos uploaded while it waits its turn are for the next job."""
    copied: dict[str, Batch] = {}

    def prepare(job):
        photos = batch.photos
        if photos is not None and batch.layout.uses_photo():
            photos = job_folder_copy(job, photos, "photos")
        copied["batch"] = Batch(**{**batch.__dict__, "roster": job_copy(job, batch.roster, batch.roster.name, "roster"),
                                   "photos": photos})

    def run(job):
        try:
            return work(job, copied["batch"])
        except BatchRefused as refused:  # the job fails; its page says where to put it right
            job.fixes = where_to_fix(refused.problems, batch.layout, roster_too=True)
            raise

    return services.worker.submit(sid, kind, title, run, prepare)


def where_to_fix(problems: list[Problem], layout: Layout, roster_too: bool = False) -> list[dict]:
    """The pages on which the errors are put right, each once: the profile entry (③ 单位信息) or the layout
    option (④ 版式) a value came from, and, with roster_too, the roster for the other errors. Each is
    {"page": "org" | "layout" | "roster", "anchor": the id of the entry's field, "what": its name there}."""
    from formgen.web.forms import OPTION_LABELS
    from formgen.web.workspace import PROFILE_FIELDS

    names = {key: label for key, label, _ in PROFILE_FIELDS}
    found: dict[tuple[str, str], dict] = {}
    for problem in problems:
        if problem.level != ERROR:
            continue
        scope, _, key = problem.origin.partition(":")
        if scope == "org":
            found.setdefault(("org", key), {"page": "org", "anchor": f"org-{key}", "what": names.get(key, key)})
        elif scope == "options":
            what = OPTION_LABELS.get(key, (key, None))[0].split("（")[0]
            found.setdefault(("layout", key), {"page": "layout", "anchor": f"option-{layout.name}-{key}",
                                               "what": what})
        elif roster_too:
            found.setdefault(("roster", ""), {"page": "roster", "anchor": "", "what": ""})
    return list(found.values())


def problem_rows(problems: list[Problem]) -> list[dict]:
    """The problem table: errors first, then by row."""
    ordered = sorted(problems, key=lambda p: (p.level != ERROR, p.row if p.row is not None else -1))
    return [{"level": LEVEL_LABELS.get(p.level, p.level), "error": p.level == ERROR, "row": p.row or "",
             "who": p.who, "column": p.column or "", "message": for_page(p.message)} for p in ordered]


# Files whose use is not plain from their name: one line under the link.
NOTES = {PUBLIC_KEY_FILE: "在另一台电脑上验证证书用（在「验证证书」页和证书一起选上它，"
                          "或 formgen verify 证书.pdf --key 验证公钥.pem）"}


def offer_outputs(job, outputs: list[Path]) -> None:
    """A command's files offered by the names it wrote them under, which are the clerks' names already."""
    for path in outputs:
        job.offer(path, path.name, note=NOTES.get(path.name, ""))


def _offer_problem_list(job, problems: list[Problem], stem: str) -> None:
    if problems:
        path = job.folder / "问题清单.xlsx"
        write_problem_list([dataclasses.replace(p, message=for_page(p.message)) for p in problems], path)
        job.offer(path, f"{stem}-问题清单.xlsx")


def start_check(services, space: Workspace, sid: str, layout: Layout):
    def work(job, batch: Batch):
        roster = batch.records()
        report = api.check(batch.job(), roster, or_else=MAP_ON_ROSTER_PAGE)
        _offer_problem_list(job, report.problems, layout.spec.title)
        job.fixes = where_to_fix(report.problems, layout)
        return {"records": len(roster.records), "errors": len(report.failed), "warnings": len(report.warnings),
                "pages": report.pages, "problems": problem_rows(report.problems),
                "roster_errors": any(p.level == ERROR and not p.origin for p in report.problems)}

    return _submit(services, sid, "check", f"检查：{layout.spec.title}", _batch(services, space, layout), work)


def start_preview(services, space: Workspace, sid: str, layout: Layout):
    def work(job, batch: Batch):
        roster = batch.records()
        first = max(4, _first_sheet(layout))
        quick = job.folder / "first.pdf"
        report = preview(batch.job(), roster, quick, first=first)
        with PDFIUM:
            pages = page_count(quick) if quick.is_file() else 0
        job.result = {"pdf": quick if pages else None, "pages": pages, "complete": len(roster.records) <= first,
                      "records": len(roster.records), "problems": problem_rows(report.problems)}
        if not job.result["complete"]:
            whole = job.folder / "all.pdf"
            report = preview(batch.job(), roster, whole)
            with PDFIUM:
                pages = page_count(whole) if whole.is_file() else 0
            job.result = {**job.result, "pdf": whole, "pages": pages, "complete": True,
                          "problems": problem_rows(report.problems)}
        return job.result

    return _submit(services, sid, "preview", f"预览：{layout.spec.title}", _batch(services, space, layout), work)


def preview_picture(job, number: int) -> Optional[Path]:
    """Page number (from 1) of the job's preview as a picture, made when first asked for."""
    result = job.result if isinstance(job.result, dict) else None
    if not result or not result.get("pdf") or not 1 <= number <= result.get("pages", 0):
        return None
    pdf = result["pdf"]
    target = job.folder / "pages" / f"{pdf.stem}-{number}.png"
    if not target.is_file():
        with PDFIUM:
            page_picture(pdf, number - 1, target)
    return target


def _zip_folder(folder: Path, target: Path) -> Path:
    """Every file of folder in one zip, written whole (UTF-8 names, which Windows' own unzip reads)."""
    with atomic_path(target) as temporary:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(folder).as_posix())
    return target


def start_generate(services, space: Workspace, sid: str, layout: Layout, formats: tuple[str, ...], mode: str):
    stem = safe_file_name(layout.spec.title)

    def work(job, batch: Batch):
        roster = batch.records()
        out = job.folder / "out"
        if mode == "one":
            output = api.Output(out / f"{stem}.pdf", formats)
        else:
            output = api.Output(out / stem, formats, per_record=mode == "split",
                                group_by=GROUP_COLUMN if mode == "by" else None)
        report = api.render(batch.job(), roster, output, progress=job.progress)
        if mode == "one":
            for path in report.outputs:
                job.offer(path, path.name)
        elif report.outputs:
            how = "按支部" if mode == "by" else "每人一个文件"
            bundle = _zip_folder(out / stem, job.folder / f"{stem}（{how}）.zip")
            job.offer(bundle, bundle.name, f"{bundle.name}（压缩包，{len(report.outputs)}个文件）")
        _offer_problem_list(job, report.problems, stem)
        return {"rendered": report.rendered, "records": len(roster.records), "pages": report.pages,
                "errors": len(report.failed), "warnings": len(report.warnings),
                "problems": problem_rows(report.problems)}

    title = f"生成：{layout.spec.title}"
    return _submit(services, sid, "generate", title, _batch(services, space, layout), work)


# ---- the campaign -------------------------------------------------------------------------------------

def quarter_of(text: str) -> Quarter:
    if not text.strip():
        raise ValueError(f"请选择或填写季度，如 {recent_quarters(2)[1].label}")
    return parse_quarter(text.strip())


def recent_quarters(count: int = 8) -> list[Quarter]:
    quarter = Quarter.of(clock.today())
    found = []
    for _ in range(count):
        found.append(quarter)
        quarter = quarter.previous()
    return found


BLANK_SHEETS = {"scores": "成绩表.xlsx", "answers": "答卷.xlsx"}  # kind → the name it is saved under


def blank_sheet(kind: str, org: dict, target: Path) -> None:
    """An empty sheet to fill in, as `formgen template awards` / `survey-tally` writes it: the score sheet
    with the profile's full marks, or the survey's answer sheet with a drop-down of ratings per question."""
    from formgen.input.layouts import load_layout
    from formgen.input.roster_template import score_sheet_columns, survey_answer_columns, write_template

    if kind == "scores":
        from formgen.campaign.scores import scale_of

        write_template(score_sheet_columns(scale_of(org)), target, "成绩")
    else:
        options = load_layout("survey").spec.options
        write_template(survey_answer_columns(options["questions"], options["ratings"]), target, "答卷")


def start_awards(services, sid: str, scores: Path, shown: str, quarter: Quarter, issue: bool, formats: str):
    from formgen.api.campaign import NoScores, run_awards

    chosen = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}.get(formats, ("pdf",))
    org = services.org.org()

    def work(job, copies):
        copy = copies["scores"]
        out = job.folder / "评选结果" if issue else None
        try:
            result = run_awards(copy, quarter, org, out, chosen, issue_date=clock.today())
        except NoScores as exc:
            raise ValueError(str(exc).replace(copy.name, shown)) from None
        offer_outputs(job, result.outputs)
        decisions = [{"award": d.award, "branch": d.row.branch, "staff_id": d.row.staff_id, "name": d.row.name,
                      "total": f"{d.row.total:g}", "why": d.why} for d in result.decisions]
        return {"quarter": quarter.label, "code": quarter.code, "issued": issue, "decisions": decisions,
                "problems": problem_rows(result.problems), "members": len(result.current),
                "keys_created": bool(result.keys_created)}

    title = f"{'评选并生成证书' if issue else '评选结果'}：{quarter.label}"
    return submit_with_inputs(services, sid, "awards", title, {"scores": (scores, shown)}, work)


def start_tally(services, sid: str, responses: Path, shown: str, roster: Optional[Path], header_map: dict,
                formats: Sequence[str] = ("pdf",), place: str = "", time: str = ""):
    """The answers tallied; and a 约谈通知 for each member under three stars, to be held at place and time
    (blanks to fill in by hand where not given)."""
    from formgen.api.campaign import run_survey_tally
    from formgen.campaign.survey import COMMEND, TALK

    org = services.org.org()

    def work(job, copies):
        copy = copies["responses"]
        result = run_survey_tally(copy, copies["roster"], job.folder / "问卷统计", header_map=header_map, org=org,
                                  formats=formats, notice_options={"place": place, "time": time},
                                  issue_date=clock.today())
        offer_outputs(job, result.outputs)
        tally = result.tally
        pick = lambda verdict: [f"{m.name}（{m.overall:.2f}）" for m in tally.members if m.verdict == verdict]  # noqa: E731
        notices = result.notices
        return {"members": len(tally.members), "commend": pick(COMMEND), "talk": pick(TALK),
                "notices": notices.rendered if notices else 0,
                "problems": problem_rows(list(tally.problems) + list(tally.invalid) + result.notice_problems
                                         + (list(notices.failed) if notices else []))}

    return submit_with_inputs(services, sid, "tally", "问卷统计",
                              {"responses": (responses, shown), "roster": (roster, roster.name) if roster else None},
                              work)


def start_verify(services, sid: str, certificate: Path, shown: str, key: Optional[tuple[Path, str]] = None):
    """key: the issuer's public key file the clerk gave with a certificate made elsewhere, and its name."""
    from formgen.campaign.verify import STATUS_LABELS, VALID, verify_source

    data_dir = Path(services.org.org()["data_dir"])

    def work(job, copies):
        copy = copies["certificate"]
        keys = [copies["key"]] if copies["key"] else []
        with PDFIUM:
            verdicts = verify_source(str(copy), data_dir, keys)
        return {"file": shown, "verdicts": [{"status": v.status, "label": STATUS_LABELS.get(v.status, v.status),
                                            "valid": v.status == VALID,
                                            "text": str(v).replace(copy.name, shown)} for v in verdicts]}

    return submit_with_inputs(services, sid, "verify", f"验证：{shown}", {"certificate": (certificate, shown), "key": key},
                              work)

