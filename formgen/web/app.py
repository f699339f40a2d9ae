"""The web page's application: configuration, the worker, the workspace of each session."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from flask import Flask, g, render_template

from formgen.web import security
from formgen.web.jobs import Worker, clerk_message
from formgen.web.uploads import MB, Limits, UploadError
from formgen.web.workspace import OrgStore, Workspace

KEEP_JOBS = 12 * 3600  # seconds a finished job's files stay for download
KEEP_SESSIONS = 7 * 24 * 3600  # a workspace untouched this long is removed


@dataclass
class Services:
    data_dir: Path
    worker: Worker
    org: OrgStore
    limits: Limits

    def workspace(self, sid: str) -> Workspace:
        return Workspace(self.data_dir / "sessions" / sid)


def default_data_dir() -> Path:
    """Where the page keeps its files when --data-dir is not given: the user's application data."""
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "formgen"


def _secret_key(data_dir: Path) -> bytes:
    """The key that signs session cookies, kept so that a restart does not lose the clerks' work."""
    path = data_dir / "web-secret.key"
    if not path.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def sweep(data_dir: Path, now: Optional[float] = None) -> None:
    """Job folders and workspaces left from earlier runs, older than their keeping time, removed."""
    import shutil
    import time

    now = time.time() if now is None else now
    for folder, keep in ((data_dir / "jobs", KEEP_JOBS), (data_dir / "sessions", KEEP_SESSIONS)):
        if not folder.is_dir():
            continue
        for owner in folder.iterdir():
            for item in ([owner] if folder.name == "sessions" else list(owner.iterdir()) if owner.is_dir() else []):
                if now - item.stat().st_mtime > keep:
                    shutil.rmtree(item, ignore_errors=True)


def create_app(data_dir: Path, host: str = "127.0.0.1", password: Optional[str] = None,
               limits: Limits = Limits()) -> Flask:
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    sweep(data_dir)
    app = Flask(__name__)
    secret, generated = security.access_secret(host, password)
    app.config.update(
        SECRET_KEY=_secret_key(data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="formgen_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=KEEP_SESSIONS),
        MAX_CONTENT_LENGTH=limits.request,
        ACCESS_SECRET=secret,
        ACCESS_TOKEN_GENERATED=generated,
    )
    services = Services(data_dir, Worker(data_dir / "jobs", KEEP_JOBS), OrgStore(data_dir), limits)
    app.extensions["formgen"] = services
    security.install(app)

    from formgen.web.routes import routes

    app.register_blueprint(routes)

    @app.errorhandler(413)
    def _too_large(error):
        return render_template("error.html", message=f"上传的文件太大（一次最多 {limits.request // MB} MB）；"
                                                     "请分批上传"), 413

    @app.errorhandler(400)
    def _bad_request(error):
        return render_template("error.html", message=error.description or "请求有误"), 400

    @app.errorhandler(404)
    def _not_found(error):
        return render_template("error.html", message="找不到这个页面或文件（生成的文件保留 12 小时，formgen 重启后也找不到以前的任务）；"
                                                     "请回到相应的步骤重新生成"), 404

    @app.errorhandler(500)
    def _fault(error):
        # Whatever went wrong is said in Chinese on the page's own error page, never as a traceback; the
        # traceback goes to the server's window (Flask logs it) for whoever looks into it.
        original = getattr(error, "original_exception", None) or error
        return render_template("error.html", message=clerk_message(original)), 500

    @app.errorhandler(UploadError)
    def _upload_error(error):
        return render_template("error.html", message=str(error)), 400

    @app.context_processor
    def _everywhere():
        return {"signed_in": security.signed_in(app.config["ACCESS_SECRET"]), "sid": getattr(g, "sid", None)}

    return app
