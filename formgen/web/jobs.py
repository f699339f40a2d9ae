"""Jobs: rendering and the campaign's work run in a worker thread, off the request threads, each job in a
folder of its own that is removed some time after it finished."""
from __future__ import annotations

import queue
import secrets
import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


# What a file of each kind is for, said after its name on the download link (荣誉证书.pdf（打印用）).
KIND_WORDS = {".pdf": "打印用", ".docx": "可编辑", ".zip": "压缩包"}


def file_label(name: str) -> str:
    """A download link's words: the file's name, and what a file of its kind is for."""
    kind = KIND_WORDS.get(Path(name).suffix.lower())
    return f"{name}（{kind}）" if kind else name


@dataclass
class Download:
    """A finished file a job offers: where it is, the name the clerk's browser saves it under, the link's
    words and, for a file whose use is not plain from its name, one line that says it."""

    path: Path
    name: str
    label: str = ""
    note: str = ""


@dataclass
class Job:
    id: str
    owner: str  # the session that asked for it; nobody else sees it
    kind: str  # check, preview, generate, awards, tally, verify, thumbnail
    title: str
    folder: Path
    work: Callable[["Job"], Any]
    status: str = QUEUED
    done: int = 0
    total: int = 0
    message: str = ""  # what went wrong, for the clerk
    result: Any = None
    downloads: list[Download] = field(default_factory=list)
    fixes: list[dict] = field(default_factory=list)  # where on the page to put right what stopped it
    inputs: dict[str, tuple[Path, str]] = field(default_factory=dict)  # slot → (its copy, the clerk's name)
    created: float = field(default_factory=time.time)
    finished: Optional[float] = None

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def offer(self, path: Path, name: str, label: str = "", note: str = "") -> None:
        """A file to download, offered once the job has finished (every writer writes whole files)."""
        self.downloads.append(Download(path, name, label or file_label(name), note))

    def status_json(self) -> dict:
        return {"status": self.status, "done": self.done, "total": self.total, "message": self.message}


class Worker:
    """One thread takes the jobs in turn: ReportLab's font registry and the shared font book are not
    made for several threads at once, and two cores are busy enough with one batch."""

    def __init__(self, root: Path, keep_seconds: float):
        self.root = root
        self.keep_seconds = keep_seconds
        self.jobs: dict[str, Job] = {}
        self._queue: "queue.Queue[Optional[Job]]" = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="formgen-worker", daemon=True)
        self._thread.start()

    def submit(self, owner: str, kind: str, title: str, work: Callable[[Job], Any],
               prepare: Optional[Callable[[Job], Any]] = None) -> Job:
        """The job queued; prepare(job), when given, runs first, here in the asking request: it copies the
        clerk's files into the job's folder, so that a job waiting its turn never reads a file that a
        later upload replaced or removed."""
        self.clean()
        job_id = secrets.token_hex(16)
        folder = self.root / owner / job_id
        folder.mkdir(parents=True)
        job = Job(job_id, owner, kind, title, folder, work)
        if prepare is not None:
            try:
                prepare(job)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        with self._lock:
            self.jobs[job_id] = job
        self._queue.put(job)
        return job

    def get(self, owner: str, job_id: str) -> Optional[Job]:
        """The job, only for the session that owns it."""
        job = self.jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def waiting_before(self, job: Job) -> int:
        with self._lock:
            return sum(1 for other in self.jobs.values()
                       if other.status in (QUEUED, RUNNING) and other.created < job.created)

    def latest(self, owner: str, kind: str) -> Optional[Job]:
        mine = [job for job in self.jobs.values() if job.owner == owner and job.kind == kind]
        return max(mine, key=lambda job: job.created) if mine else None

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            job.status = RUNNING
            try:
                job.result = job.work(job)
                job.status = DONE
            except Exception as exc:  # each job's failure is its own; the worker goes on
                job.downloads.clear()  # nothing of a failed job is offered
                job.message = clerk_message(exc)
                job.status = FAILED
            finally:
                job.finished = time.time()

    def clean(self, now: Optional[float] = None) -> list[str]:
        """Jobs finished longer ago than keep_seconds are forgotten and their folders removed."""
        now = time.time() if now is None else now
        with self._lock:
            old = [job for job in self.jobs.values()
                   if job.finished is not None and now - job.finished > self.keep_seconds]
            for job in old:
                del self.jobs[job.id]
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)
        return [job.id for job in old]

    def stop(self, wait: float = 120.0) -> None:
        """Ends the worker (the server stopping, a test ending): the job running is finished, those not
        begun are dropped, and the thread is waited for, so that no job is still drawing while the
        program exits (a thread in PDFium or ReportLab then can take the process down)."""
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.message = "网页服务已停止，这项任务没有开始；请重新打开网页后再做一次"
                job.status = FAILED
                job.finished = time.time()
        self._queue.put(None)
        if self._thread is not threading.current_thread():
            self._thread.join(wait)


def clerk_message(exc: BaseException) -> str:
    """ValueErrors of formgen speak Chinese already (rosters, layouts, fonts, profiles); a file that could
    not be read or written is said in Chinese with what to do; anything else is a fault of formgen, said
    as such with its technical text for whoever looks into it (never a traceback)."""
    if isinstance(exc, OSError) and not _chinese(exc.strerror or str(exc)):
        where = f"“{Path(str(exc.filename)).name}”" if exc.filename else ""
        reason = exc.strerror or type(exc).__name__
        return (f"读写文件{where}时出错（{reason}），没有完成；请确认这台电脑的磁盘还有空间、"
                "文件没有被其他程序打开，然后重试")
    if isinstance(exc, (ValueError, OSError)) and _chinese(str(exc)):
        from formgen.web.wording import for_page

        return for_page(str(exc))
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"formgen 内部出错，没有完成：{detail}；请重试，如果还是不行，请把这段话告诉负责 formgen 的同事"


def _chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)
