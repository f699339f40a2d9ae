"""The page's safety without a browser: zips extracted safely, CSRF, sessions kept apart, the signing key
never served, old jobs cleaned, the office network behind a password; and --column on the CLI."""
from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import pytest

from formgen.web.app import create_app
from formgen.web.uploads import Limits, UploadError, _entry_name, extract_photos
from tests.conftest import portrait
from tests.webpage import clerk_roster, csrf, flask_app


def _zip(path: Path, entries: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in entries.items():
            bundle.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            bundle.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("name", ["../evil.jpg", "照片/../../evil.jpg", "/abs/evil.jpg", "C:/Windows/evil.jpg",
                                  "..\\..\\evil.jpg"])
def test_a_zip_pointing_outside_its_folder_is_refused_whole(tmp_path, name):
    archive = _zip(tmp_path / "p.zip", {"000101.jpg": b"x", name: b"x"})
    with pytest.raises(UploadError, match="指向压缩包以外的位置"):
        extract_photos(archive, tmp_path / "out", Limits())
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.jpg").exists()


def test_links_bombs_and_too_many_entries_are_refused(tmp_path):
    with pytest.raises(UploadError, match="链接"):
        extract_photos(_zip(tmp_path / "l.zip", {}, links=("照片/王喆.jpg",)), tmp_path / "o1", Limits())
    bomb = _zip(tmp_path / "b.zip", {"000101.jpg": b"\0" * (5 * 1024 * 1024)})
    with pytest.raises(UploadError, match="异常地大"):
        extract_photos(bomb, tmp_path / "o2", Limits())
    many = _zip(tmp_path / "m.zip", {f"{i}.jpg": b"x" for i in range(11)})
    with pytest.raises(UploadError, match="文件太多"):
        extract_photos(many, tmp_path / "o3", Limits(zip_entries=10))
    big = _zip(tmp_path / "t.zip", {f"{i}.jpg": bytes(range(256)) * 40 for i in range(3)})
    with pytest.raises(UploadError, match="解压后超过"):
        extract_photos(big, tmp_path / "o4", Limits(zip_total=20_000))


def test_photos_keep_their_branch_folders_and_other_files_are_skipped(tmp_path):
    photo = portrait(tmp_path / "a.jpg").read_bytes()
    archive = _zip(tmp_path / "p.zip", {"照片/机关第一党支部/王喆.jpg": photo, "照片/说明.docx": b"x",
                                        "__MACOSX/._王喆.jpg": b"x", "照片/CON.jpg": photo})
    result = extract_photos(archive, tmp_path / "out", Limits())
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in result.files) == [
        "照片/_CON.jpg", "照片/机关第一党支部/王喆.jpg"]
    assert result.skipped == ["照片/说明.docx（不是图片）"]


def test_names_that_chinese_windows_wrote_in_gbk_are_read_as_chinese():
    info = zipfile.ZipInfo("照片/王喆.jpg".encode("gbk").decode("cp437"))
    info.flag_bits = 0  # Windows' own zip says nothing about the encoding
    assert _entry_name(info) == "照片/王喆.jpg"


@pytest.fixture
def client(tmp_path):
    with flask_app(tmp_path / "data") as pair:
        yield pair


def _upload_roster(client, tmp_path) -> None:
    roster = clerk_roster(tmp_path / "名册.xlsx")
    response = client.post("/roster", data={"csrf_token": csrf(client, "/roster"), "roster": (roster.open("rb"), "名册.xlsx")},
                           follow_redirects=True)
    assert "4 名党员" in response.get_data(as_text=True)


def test_a_state_changing_request_without_the_csrf_token_is_refused(client, tmp_path):
    _app, web = client
    roster = clerk_roster(tmp_path / "名册.xlsx")
    response = web.post("/roster", data={"roster": (roster.open("rb"), "名册.xlsx")})
    assert response.status_code == 400 and "安全校验未通过" in response.get_data(as_text=True)
    response = web.post("/org", data={"csrf_token": "guess", "organisation": "x"})
    assert response.status_code == 400
    assert "default-src 'self'" in web.get("/").headers["Content-Security-Policy"]


def test_one_sessions_files_and_jobs_are_not_anothers(client, tmp_path):
    app, first = client
    _upload_roster(first, tmp_path)
    response = first.post("/check", data={"csrf_token": csrf(first, "/check")})
    job_url = response.headers["Location"]
    worker = app.extensions["formgen"].worker
    job = worker.jobs[job_url.rsplit("/", 1)[-1]]
    while job.finished is None:
        job.folder.exists()  # the worker runs; the test waits on the job, not on a clock
    assert first.get(job_url).status_code == 200
    with first.get(job_url + "/files/0") as download:  # the problem list
        assert download.status_code == 200 and download.data[:2] == b"PK"
    second = app.test_client()
    assert second.get(job_url).status_code == 404
    assert second.get(job_url + "/files/0").status_code == 404
    assert "4 名党员" not in second.get("/roster").get_data(as_text=True)


def test_the_signing_key_is_never_served(client, tmp_path):
    app, web = client
    data_dir = app.extensions["formgen"].data_dir
    from formgen.campaign.signing import init_keys

    key = init_keys(data_dir / "certificates")
    assert key.is_file()
    for path in ("/certificates/keys/" + key.name, "/static/../certificates/keys/" + key.name,
                 "/jobs/../certificates/keys/" + key.name, "/static/%2e%2e/certificates/keys/" + key.name,
                 "/org/seal.png/../../certificates/keys/" + key.name):
        response = web.get(path)
        assert response.status_code in (404, 308) and b"PRIVATE KEY" not in response.data


def test_stopping_the_worker_finishes_the_running_job_and_drops_those_waiting(tmp_path):
    import threading

    from formgen.web.jobs import DONE, FAILED, Worker

    worker = Worker(tmp_path, keep_seconds=60)
    started, release, ran = threading.Event(), threading.Event(), []

    def slow(job):
        started.set()
        release.wait(30)
        ran.append("slow")

    first = worker.submit("a", "render", "t", slow)
    waiting = worker.submit("a", "render", "t", lambda job: ran.append("waiting"))
    assert started.wait(30)
    threading.Timer(0.2, release.set).start()  # the running job ends while stop() waits for it
    worker.stop()
    assert ran == ["slow"] and first.status == DONE
    assert waiting.status == FAILED and "没有开始" in waiting.message
    assert not worker._thread.is_alive()


def test_finished_jobs_are_cleaned_after_their_time(client):
    app, _web = client
    worker = app.extensions["formgen"].worker
    job = worker.submit("someone", "check", "t", lambda job: (job.folder / "x.pdf").write_bytes(b"%PDF"))
    while job.finished is None:
        pass
    assert job.folder.is_dir()
    assert worker.clean(now=job.finished + worker.keep_seconds + 1) == [job.id]
    assert not job.folder.exists() and worker.get("someone", job.id) is None


def test_the_office_network_needs_the_password(tmp_path):
    app = create_app(tmp_path / "data", host="0.0.0.0", password="党办2024")
    web = app.test_client()
    response = web.get("/roster")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = web.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert "密码或访问码不对" in web.post("/login", data={"csrf_token": token, "password": "x"},
                                          follow_redirects=True).get_data(as_text=True)
    web.post("/login", data={"csrf_token": token, "password": "党办2024"})
    assert web.get("/roster").status_code == 200
    app.extensions["formgen"].worker.stop()
    generated = create_app(tmp_path / "data2", host="0.0.0.0")
    assert generated.config["ACCESS_TOKEN_GENERATED"] and len(generated.config["ACCESS_SECRET"]) >= 16
    assert create_app(tmp_path / "data3").config["ACCESS_SECRET"] is None  # 127.0.0.1: this PC only


def test_an_upload_over_the_limit_is_refused_in_chinese(tmp_path):
    app = create_app(tmp_path / "data", limits=Limits(request=1000))
    web = app.test_client()
    token = csrf(web, "/roster")
    response = web.post("/roster", data={"csrf_token": token, "roster": (io.BytesIO(b"x" * 5000), "名册.csv")})
    assert response.status_code == 413 and "上传的文件太大" in response.get_data(as_text=True)
    app.extensions["formgen"].worker.stop()


def test_column_option_reads_a_header_as_a_field(tmp_path, capsys):
    from formgen.cli import main
    from tests.conftest import pdf_text

    roster = clerk_roster(tmp_path / "名册.xlsx")
    out = tmp_path / "卡.pdf"
    assert main(["render", "name-card", str(roster), "-o", str(out), "-q", "--column", "所属党支部=支部信息"]) == 0
    assert "生产运营党支部" in "".join(pdf_text(out)).replace(" ", "")
    assert main(["check", "name-card", str(roster), "--column", "支部信息=所属党支部"]) == 0  # either way round
    assert "「所属党支部」" not in capsys.readouterr().out
    assert main(["check", "name-card", str(roster), "--column", "所属党支部"]) == 2
    assert "--column 的写法是 字段=名册中的表头" in capsys.readouterr().err


@pytest.mark.parametrize("shown, kept", [("../../名册.xlsx", "名册.xlsx"), ("C:\\Users\\办公室\\名册.xlsx", "名册.xlsx"),
                                         ("con.xlsx", "_con.xlsx"), ("..xlsx", "unnamed.xlsx"),
                                         ("名册<2024>.xlsx", "名册_2024_.xlsx"), ("C:名册.xlsx", "C_名册.xlsx")])
def test_an_uploads_own_name_is_made_safe_and_loses_its_folders(shown, kept):
    from formgen.web.flows import stored_name

    assert stored_name(shown, ".xlsx") == kept


# An old browser's full Windows path is left out here: Werkzeug's multipart parser unescapes its
# backslashes (3.1.9: C:\Users\… arrives as C:Users…) before the page sees it; stored_name is tested above.
@pytest.mark.parametrize("name, kept", [("../../名册.xlsx", "名册.xlsx"), ("con.xlsx", "_con.xlsx"),
                                        ("..xlsx", "unnamed.xlsx"), ("名册<2024>.xlsx", "名册_2024_.xlsx")])
def test_a_roster_is_kept_under_its_own_name_made_safe_inside_its_folder(client, tmp_path, name, kept):
    app, web = client
    roster = clerk_roster(tmp_path / "名册.xlsx")
    response = web.post("/roster", data={"csrf_token": csrf(web, "/roster"), "roster": (roster.open("rb"), name)},
                        follow_redirects=True)
    assert "4 名党员" in response.get_data(as_text=True)
    sessions = app.extensions["formgen"].data_dir / "sessions"
    stored = [p for p in sessions.rglob("*.xlsx")]
    assert [(p.name, p.parent.name) for p in stored] == [(kept, "roster")]


def _picture_bomb() -> bytes:
    """A PNG of a few hundred bytes that claims 100,000 × 100,000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(1000))) + \
        chunk(b"IEND", b"")


def test_a_picture_bomb_as_a_photo_or_a_seal_is_refused_not_an_error_page(client, tmp_path):
    from tests.webpage import MEMBERS

    _app, web = client
    _upload_roster(web, tmp_path)
    photo = f"{MEMBERS[0][0]}.png"
    response = web.post("/photos", data={"csrf_token": csrf(web, "/photos"),
                                         "photos": (io.BytesIO(_picture_bomb()), photo)}, follow_redirects=True)
    assert response.status_code == 200
    thumbnails = [web.get(f"/photos/thumb/{i}.jpg").status_code for i in range(len(MEMBERS))]
    assert 500 not in thumbnails and thumbnails[0] == 404  # the photo page says what is wrong with it
    response = web.post("/org", data={"csrf_token": csrf(web, "/org"), "organisation": "示例能源",
                                      "seal": (io.BytesIO(_picture_bomb()), "印章.png")}, follow_redirects=True)
    assert "不是可用的图片（不是图片、已损坏或过大）" in response.get_data(as_text=True)
    assert web.get("/org/seal.png").status_code == 404
