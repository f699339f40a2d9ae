"""The page's routes: each step of a clerk's work. Rendering is never done here: the routes save
uploads, record choices and hand jobs to the worker, which calls formgen.api."""
from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, g, get_flashed_messages, jsonify, redirect,
                   render_template, request, send_file, session, url_for)

from formgen import clock
from formgen.input.layouts import builtin_layouts, load_layout
from formgen.input.records import Roster
from formgen.problems import ERROR, LEVEL_LABELS
from formgen.web import catalogue, flows, security
from formgen.web.forms import field_groups, option_fields, read_options
from formgen.web.jobs import DONE, FAILED
from formgen.web.wording import for_page
from formgen.web.uploads import (CERTIFICATE_SUFFIXES, ROSTER_SUFFIXES, SHEET_SUFFIXES, UploadError, extract_photos,
                                 is_zip, safe_name_keeping_suffix, save_replacing, save_stream,
                                 suffix_of)

routes = Blueprint("routes", __name__)


def services():
    return current_app.extensions["formgen"]


def workspace():
    return services().workspace(g.sid)


def _layouts():
    return {layout.name: layout for layout in builtin_layouts()}


def _offered():
    """The layouts printed from the roster (step ④); the others are made on their own pages."""
    return catalogue.from_roster(_layouts())


def _chosen_layout():
    name = workspace().state().get("layout") or "name-card"
    layouts = _offered()
    return layouts.get(name) or layouts.get("name-card") or next(iter(layouts.values()))


def _fail(message: str, endpoint: str):
    flash(for_page(message), "error")
    return redirect(url_for(endpoint))


@routes.route("/login", methods=["GET", "POST"])
def login():
    secret = current_app.config["ACCESS_SECRET"]
    if secret is None:
        return redirect(url_for("routes.home"))
    if request.method == "POST":
        given = request.form.get("password", "")
        if security.check_secret(given, secret):
            session.clear()
            session["signed_in"] = True
            security.session_id()
            return redirect(url_for("routes.home"))
        flash("密码或访问码不对，请再试一次", "error")
    return render_template("login.html")


@routes.route("/favicon.ico")
def favicon():
    """The page's icon, where browsers look for it whatever the page says."""
    return current_app.send_static_file("favicon.ico")


@routes.route("/")
def home():
    space = workspace()
    state = space.state()
    return render_template("home.html", state=state, has_roster=space.roster_file() is not None,
                           has_photos=space.has_photos(), org=services().org.values(), layout=_chosen_layout())


# ---- 1. the roster -------------------------------------------------------------------------------------

@routes.route("/roster", methods=["GET"])
def roster_page():
    space = workspace()
    layout = _chosen_layout()
    summary = None
    if space.roster_file():
        try:
            summary = flows.roster_summary(space, layout)
        except ValueError as exc:
            flash(for_page(str(exc)), "error")
    every = list(_offered().values()) + [item for name, item in _layouts().items() if name in catalogue.MADE_ON]
    return render_template("roster.html", summary=summary, state=space.state(), layout=layout,
                           groups=field_groups(layout, every))


@routes.route("/roster", methods=["POST"])
def roster_upload():
    upload = request.files.get("roster")
    if upload is None or not upload.filename:
        return _fail("请先选择名册文件（Excel 或 CSV）再点“上传”", "routes.roster_page")
    space = workspace()
    folder = Path(tempfile.mkdtemp(dir=_mk(space.root)))  # the roster before is kept until this one is good
    try:
        suffix = suffix_of(upload.filename, ROSTER_SUFFIXES, "名册")
        stored = save_stream(upload.stream, folder / flows.stored_name(upload.filename, suffix),
                             services().limits.sheet, upload.filename)
        flows.check_roster_file(stored, upload.filename)
    except (UploadError, ValueError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _fail(str(exc), "routes.roster_page")
    space.replace_folder("roster", folder)
    space.update(roster_file=stored.name, roster_name=upload.filename, sheet="", header_map={})
    flash(f"已上传名册“{upload.filename}”", "ok")
    return redirect(url_for("routes.roster_page"))


def _mk(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


@routes.route("/roster/columns", methods=["POST"])
def roster_columns():
    space = workspace()
    if not space.roster_file():
        return _fail("请先上传名册", "routes.roster_page")
    header_map = {}
    for key, value in request.form.items():
        if key.startswith("map-") and value:
            header_map[key[4:]] = value
    space.update(header_map=header_map, sheet=request.form.get("sheet", ""))
    flash("已按您的选择读取各列", "ok")
    return redirect(url_for("routes.roster_page"))


# ---- 2. photos -----------------------------------------------------------------------------------------

@routes.route("/photos", methods=["GET"])
def photos_page():
    space = workspace()
    matches = None
    if space.roster_file():
        try:
            matches = flows.photo_matches(space)
        except ValueError as exc:
            flash(for_page(str(exc)), "error")
    return render_template("photos.html", matches=matches, has_roster=space.roster_file() is not None,
                           state=space.state())


@routes.route("/photos", methods=["POST"])
def photos_upload():
    files = [f for f in request.files.getlist("photos") if f and f.filename]
    if not files:
        return _fail("请先选择照片压缩包（.zip）或照片文件", "routes.photos_page")
    space = workspace()
    limits = services().limits
    new = Path(tempfile.mkdtemp(dir=_mk(space.root)))
    skipped: list[str] = []
    try:
        for upload in files:
            name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if name.lower().endswith(".zip"):
                archive = save_stream(upload.stream, new.parent / f".upload-{new.name}.zip", limits.zip_total,
                                      upload.filename)
                try:
                    if not is_zip(archive):
                        raise UploadError(f"“{upload.filename}”不是 zip 压缩包；请用“发送到 → 压缩(zipped)文件夹”"
                                          "压缩照片文件夹后上传")
                    skipped += extract_photos(archive, new, limits).skipped
                finally:
                    archive.unlink(missing_ok=True)
            else:
                from formgen.input.photos import PHOTO_SUFFIXES

                suffix_of(name, PHOTO_SUFFIXES, "照片")
                save_stream(upload.stream, new / safe_name_keeping_suffix(name), limits.picture, upload.filename)
        count = sum(1 for p in new.rglob("*") if p.is_file())
        if not count:  # the photos uploaded before stay: a zip of other files is no reason to lose them
            shown = "、".join(skipped[:5]) or "压缩包是空的"
            raise UploadError(f"“{files[0].filename}”里没有照片（{shown}）；之前上传的照片保留不变。"
                              "请压缩放照片（.jpg、.png 等）的文件夹后重新上传")
    except (UploadError, ValueError) as exc:
        shutil.rmtree(new, ignore_errors=True)
        return _fail(str(exc), "routes.photos_page")
    space.replace_folder("photos", new)
    shutil.rmtree(space.folder("thumbs"), ignore_errors=True)
    flash(f"已收到{count}张照片" + (f"；略过{len(skipped)}个不是图片的文件：{'、'.join(skipped[:5])}" if skipped else ""),
          "ok")
    return redirect(url_for("routes.photos_page"))


@routes.route("/photos/thumb/<int:index>.jpg")
def photo_thumb(index: int):
    space = workspace()
    path = flows.thumbnail(space, index)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


# ---- 3. the organisation profile ----------------------------------------------------------------------

@routes.route("/org", methods=["GET", "POST"])
def org_page():
    store = services().org
    if request.method == "POST":
        try:
            store.save(request.form.to_dict())
        except ValueError as exc:  # profile.yaml, edited by hand, cannot be read: it is not written over
            return _fail(str(exc), "routes.org_page")
        seal = request.files.get("seal")
        if seal and seal.filename:
            try:
                flows.save_seal(seal, store, services().limits)
            except (UploadError, ValueError) as exc:
                return _fail(f"单位信息已保存，但印章没有更换：{exc}", "routes.org_page")
        flash("单位信息已保存，以后每次都会用它", "ok")
        return redirect(url_for("routes.org_page"))
    from formgen.web.workspace import MONGOLIAN_FIELDS, ORG_FIELDS

    values = store.values()
    return render_template("org.html", values=values, fields=ORG_FIELDS, mongolian=MONGOLIAN_FIELDS,
                           mongolian_filled=any(values[key] for key, _, _ in MONGOLIAN_FIELDS),
                           has_seal=store.seal.is_file())


@routes.route("/org/seal.png")
def org_seal():
    store = services().org
    if not store.seal.is_file():
        abort(404)
    return send_file(store.seal, mimetype="image/png", max_age=0)


# ---- 4. the layout ------------------------------------------------------------------------------------

@routes.route("/layout", methods=["GET", "POST"])
def layout_page():
    space = workspace()
    layouts = _offered()
    if request.method == "POST":
        name = request.form.get("layout", "")
        if name in catalogue.MADE_ON:
            page, _ = catalogue.PAGES[catalogue.MADE_ON[name]]
            return _fail(f"“{_layouts()[name].spec.title}”不从名册生成，请到“{page}”页生成", "routes.layout_page")
        if name not in layouts:
            return _fail("请选择一个版式", "routes.layout_page")
        try:
            options = read_options(layouts[name], request.form)
            copies = request.form.get("copies", "").strip() or "1"
            if not copies.isdigit() or not 1 <= int(copies) <= 100:
                raise ValueError(f"每人份数要填 1 到 100 的整数，而不是“{copies}”")
            copies = int(copies)
        except ValueError as exc:
            return _fail(str(exc), "routes.layout_page")
        space.update(layout=name, options=options, copies=copies)
        flash(f"已选择版式“{layouts[name].spec.title}”", "ok")
        return redirect(url_for("routes.layout_page"))
    flows.ensure_layout_thumbnails(services(), list(layouts.values()))
    state = space.state()
    chosen = _chosen_layout().name
    fields = {name: option_fields(layout, state.get("options") or {} if name == chosen else {})
              for name, layout in layouts.items()}
    return render_template("layout.html", layouts=layouts, chosen=chosen, fields=fields,
                           copies=state.get("copies") or 1, describe=catalogue.for_clerk,
                           also=catalogue.ALSO, elsewhere=catalogue.elsewhere(_layouts().values()))


@routes.route("/layouts/<name>/thumb.png")
def layout_thumb(name: str):
    if name not in _offered():
        abort(404)
    path = flows.layout_thumbnail_path(services(), load_layout(name))
    if not path.is_file():
        # 404 while the worker is still making it (the page asks again), 410 when it cannot be made
        return "", 410 if flows.layout_thumbnail_failed(path) else 404
    return send_file(path, mimetype="image/png", max_age=0)


# ---- 5–7. check, preview, generate --------------------------------------------------------------------

def _needs_roster():
    if not workspace().roster_file():
        flash("请先上传名册", "error")
        return redirect(url_for("routes.roster_page"))
    return None


@routes.route("/check", methods=["GET", "POST"])
def check_page():
    if request.method == "POST":
        return _needs_roster() or _start(flows.start_check(services(), workspace(), g.sid, _chosen_layout()))
    return render_template("check.html", layout=_chosen_layout())


@routes.route("/preview", methods=["GET", "POST"])
def preview_page():
    if request.method == "POST":
        return _needs_roster() or _start(flows.start_preview(services(), workspace(), g.sid, _chosen_layout()))
    return render_template("preview_start.html", layout=_chosen_layout())


@routes.route("/generate", methods=["GET", "POST"])
def generate_page():
    if request.method == "POST":
        formats = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}.get(request.form.get("formats", ""))
        mode = request.form.get("mode", "one")
        if formats is None or mode not in ("one", "by", "split"):
            return _fail("请选择文件格式和分文件方式", "routes.generate_page")
        return _needs_roster() or _start(flows.start_generate(services(), workspace(), g.sid, _chosen_layout(),
                                                              formats, mode))
    return render_template("generate.html", layout=_chosen_layout())


# ---- the campaign: awards, survey tally, verify -------------------------------------------------------

def _save_sheet(field: str, kind: str):
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        raise UploadError(f"请先选择{kind}文件")
    suffix = suffix_of(upload.filename, SHEET_SUFFIXES, kind)
    space = workspace()
    target = save_replacing(upload.stream, _mk(space.folder(field)) / f"{field}{suffix}", services().limits.sheet,
                            upload.filename)
    return target, upload.filename


def _checked_sheet(slot: str, kind: str) -> tuple[Path, str]:
    """The sheet whose results the clerk confirmed: the copy kept by that check's job (request.form's
    reuse), never whatever was uploaded since, in this tab or another."""
    job = services().worker.get(g.sid, request.form.get("reuse", ""))
    copy, name = job.inputs.get(slot, (None, "")) if job is not None else (None, "")
    if copy is None or not copy.is_file():
        raise UploadError(f"这次检查的结果已过期（超过 12 小时，或 formgen 重启过）；请重新上传{kind}，先看结果再生成")
    return copy, name


@routes.route("/awards", methods=["GET", "POST"])
def awards_page():
    if request.method == "POST":
        try:
            if request.form.get("reuse"):
                scores, name = _checked_sheet("scores", "成绩表")
            else:
                scores, name = _save_sheet("scores", "成绩表")
            quarter = flows.quarter_of(request.form.get("quarter", ""))
        except (UploadError, ValueError) as exc:
            return _fail(str(exc), "routes.awards_page")
        issue = request.form.get("action") == "issue"
        return _start(flows.start_awards(services(), g.sid, scores, name, quarter, issue,
                                         request.form.get("formats", "pdf")))
    return render_template("awards.html", quarters=flows.recent_quarters())


@routes.route("/templates/<kind>.xlsx")
def blank_sheet(kind: str):
    """An empty score sheet (for 评选与证书) or answer sheet (for 问卷统计) to fill in."""
    if kind not in flows.BLANK_SHEETS:
        abort(404)
    with tempfile.TemporaryDirectory(dir=_mk(workspace().root)) as folder:
        target = Path(folder) / "blank.xlsx"
        try:
            flows.blank_sheet(kind, services().org.org(), target)
        except ValueError as exc:  # the profile's score_scale cannot be read: it says so
            return render_template("error.html", message=str(exc)), 400
        data = io.BytesIO(target.read_bytes())
    return send_file(data, as_attachment=True, download_name=flows.BLANK_SHEETS[kind], max_age=0,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@routes.route("/tally", methods=["GET", "POST"])
def tally_page():
    space = workspace()
    if request.method == "POST":
        try:
            responses, name = _save_sheet("responses", "问卷答卷")
        except (UploadError, ValueError) as exc:
            return _fail(str(exc), "routes.tally_page")
        from formgen.web.paperwork import FORMATS

        roster = space.roster_file() if request.form.get("use_roster") else None
        return _start(flows.start_tally(services(), g.sid, responses, name, roster, space.header_map(),
                                        FORMATS.get(request.form.get("formats", "pdf"), ("pdf",)),
                                        request.form.get("place", "").strip(), request.form.get("time", "").strip()))
    return render_template("tally.html", has_roster=space.roster_file() is not None)


@routes.route("/verify", methods=["GET", "POST"])
def verify_page():
    if request.method == "POST":
        upload = request.files.get("certificate")
        try:
            if upload is None or not upload.filename:
                raise UploadError("请先选择证书的 PDF 文件或照片")
            suffix = suffix_of(upload.filename, CERTIFICATE_SUFFIXES, "证书文件")
            folder = _mk(workspace().folder("verify"))
            target = save_replacing(upload.stream, folder / f"certificate{suffix}", services().limits.picture,
                                    upload.filename)
            key = request.files.get("key")
            if key is not None and key.filename:  # the issuer's 验证公钥.pem, for a certificate made elsewhere
                suffix_of(key.filename, (".pem",), "验证公钥")
                key = (save_replacing(key.stream, folder / "key.pem", services().limits.picture, key.filename),
                       key.filename)
            else:
                key = None
        except (UploadError, ValueError) as exc:
            return _fail(str(exc), "routes.verify_page")
        return _start(flows.start_verify(services(), g.sid, target, upload.filename, key))
    return render_template("verify.html")


# ---- the rest of the paperwork: certify, branch review, birthdays, stickers ---------------------------

@routes.route("/certify", methods=["GET", "POST"])
def certify_page():
    from formgen.web import paperwork

    if request.method == "POST":
        try:
            if request.form.get("reuse"):
                nominations, name = _checked_sheet("nominations", "获奖名单")
            else:
                nominations, name = _save_sheet("nominations", "获奖名单")
        except (UploadError, ValueError) as exc:
            return _fail(str(exc), "routes.certify_page")
        issue = request.form.get("action") == "issue"
        return _start(paperwork.start_certify(services(), g.sid, nominations, name, issue,
                                              request.form.get("formats", "pdf")))
    return render_template("certify.html")


@routes.route("/branch-review", methods=["GET", "POST"])
def branch_review_page():
    from formgen.web import paperwork

    space = workspace()
    if request.method == "POST":
        try:
            scores, name = _save_sheet("branch_scores", "支部考核表")
            quarter = flows.quarter_of(request.form.get("quarter", ""))
        except (UploadError, ValueError) as exc:
            return _fail(str(exc), "routes.branch_review_page")
        roster = space.roster_file() if request.form.get("use_roster") else None
        return _start(paperwork.start_branch_review(services(), g.sid, scores, name, quarter, roster,
                                                    request.form.get("formats", "pdf"),
                                                    request.form.get("place", "").strip(),
                                                    request.form.get("time", "").strip()))
    return render_template("branch_review.html", quarters=flows.recent_quarters(),
                           has_roster=space.roster_file() is not None)


@routes.route("/birthdays", methods=["GET", "POST"])
def birthdays_page():
    from formgen.campaign.birthdays import parse_month
    from formgen.web import paperwork

    if request.method == "POST":
        try:
            year, month = parse_month(request.form.get("month", ""))
        except ValueError as exc:
            return _fail(str(exc), "routes.birthdays_page")
        roster = _needs_roster() or _readable_roster("routes.birthdays_page")
        if not isinstance(roster, Roster):
            return roster
        return _start(paperwork.start_birthdays(services(), g.sid, roster, year, month,
                                                request.form.get("formats", "pdf")))
    today = clock.today()
    return render_template("birthdays.html", month=f"{today.year}-{today.month:02d}", roster_name=_roster_name())


@routes.route("/stickers", methods=["GET", "POST"])
def stickers_page():
    from formgen.web import paperwork

    if request.method == "POST":
        space = workspace()
        design = request.form.get("design", "rect")
        size = request.form.get("size", "large")
        if design not in ("rect", "round") or size not in ("large", "small"):
            return _fail("请选择标志的形状和大小", "routes.stickers_page")
        per_branch = None
        if request.form.get("mode") == "branch":
            count = request.form.get("count", "").strip()
            if not count.isdigit() or not 0 < int(count) <= 500:
                return _fail("每个支部的数量请填写 1–500 的整数，如 20", "routes.stickers_page")
            per_branch = int(count)
        emblem = None
        upload = request.files.get("emblem")
        try:
            if upload is not None and upload.filename:
                suffix = suffix_of(upload.filename, (".png", ".jpg", ".jpeg"), "党徽图片")
                folder = Path(tempfile.mkdtemp(dir=_mk(space.root)))  # the emblem before stays until this is good
                try:
                    emblem = save_stream(upload.stream, folder / flows.stored_name(upload.filename, suffix),
                                         services().limits.picture, upload.filename)
                    flows.check_picture(emblem, upload.filename, "党徽请上传 PNG（最好是透明底）或 JPG 图片")
                except BaseException:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
                emblem = space.replace_folder("emblem", folder) / emblem.name
        except (UploadError, ValueError) as exc:
            return _fail(str(exc), "routes.stickers_page")
        roster = _needs_roster() or _readable_roster("routes.stickers_page")
        if not isinstance(roster, Roster):
            return roster
        return _start(paperwork.start_stickers(services(), g.sid, roster, design, size, per_branch,
                                               bool(request.form.get("names")), emblem,
                                               request.form.get("formats", "pdf")))
    return render_template("stickers.html", roster_name=_roster_name())


def _readable_roster(endpoint: str):
    """The clerk's roster as the page reads it (its sheet and columns as chosen), or the way back to the
    page with what is wrong with it."""
    try:
        return workspace().roster(photos=False)
    except ValueError as exc:
        return _fail(f"{exc}；请到「① 名册」页改正或重新上传名册", endpoint)


def _roster_name():
    """The clerk's name of the uploaded roster, or None when there is none yet."""
    space = workspace()
    return (space.state().get("roster_name") or "名册") if space.roster_file() else None


# ---- jobs ---------------------------------------------------------------------------------------------

def _start(job):
    return redirect(url_for("routes.job_page", job_id=job.id))


def _job(job_id: str):
    job = services().worker.get(g.sid, job_id)
    if job is None:
        abort(404)
    return job


@routes.route("/jobs/<job_id>")
def job_page(job_id: str):
    job = _job(job_id)
    waiting = services().worker.waiting_before(job) if job.status not in (DONE, FAILED) else 0
    return render_template(f"job_{job.kind}.html", job=job, waiting=waiting, DONE=DONE, FAILED=FAILED,
                           LEVELS=LEVEL_LABELS, ERROR=ERROR)


@routes.route("/jobs/<job_id>/status")
def job_status(job_id: str):
    job = _job(job_id)
    data = job.status_json()
    if job.kind == "preview" and isinstance(job.result, dict):
        data["pages"] = job.result.get("pages", 0)
        data["complete"] = job.result.get("complete", False)
    return jsonify(data)


@routes.route("/jobs/<job_id>/files/<int:index>")
def job_file(job_id: str, index: int):
    job = _job(job_id)
    if job.status != DONE or not 0 <= index < len(job.downloads):
        abort(404)  # nothing is offered before the job has finished
    download = job.downloads[index]
    return send_file(download.path, as_attachment=True, download_name=download.name, max_age=0)


@routes.route("/jobs/<job_id>/pages/<int:number>.png")
def job_page_picture(job_id: str, number: int):
    job = _job(job_id)
    path = flows.preview_picture(job, number)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png", max_age=0)


@routes.app_template_global()
def messages():
    return get_flashed_messages(with_categories=True)
