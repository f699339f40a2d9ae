"""What a clerk uploaded or asked for is never lost or mixed up (Flask's test client): a job waiting its
turn keeps the files it was asked with, an upload refused leaves the earlier one in place, a long file name
keeps its kind, and anything that goes wrong is said in Chinese."""
from __future__ import annotations

import io
import re
import threading
import zipfile
from html import unescape
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import pdf_text, portrait
from tests.webpage import MEMBERS, clerk_roster, csrf, finished, flask_app


@pytest.fixture
def web(tmp_path):
    with flask_app(tmp_path / "data") as pair:
        yield pair


def _post(client, path: str, data: dict, follow: bool = True):
    return client.post(path, data={"csrf_token": csrf(client, "/roster"), **data}, follow_redirects=follow,
                       content_type="multipart/form-data")


def _flashes(response) -> list[str]:
    return re.findall(r'class="flash[^"]*"[^>]*>(.*?)</div>', unescape(response.get_data(as_text=True)), re.S)


def _photos_zip(entries: dict[str, bytes]) -> io.BytesIO:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as bundle:
        for name, content in entries.items():
            bundle.writestr(name, content)
    data.seek(0)
    return data


def _one_member_roster(path: Path) -> Path:
    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "所属党支部"])
    workbook.active.append(["000999", "赵新", "机关第一党支部"])
    workbook.save(path)
    return path


def test_a_job_waiting_its_turn_prints_the_roster_and_photos_it_was_asked_with(web, tmp_path):
    app, client = web
    roster = clerk_roster(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": (roster.open("rb"), "名册.xlsx")})
    first = MEMBERS[0][0]
    _post(client, "/photos", {"photos": (io.BytesIO(portrait(tmp_path / "a.jpg").read_bytes()), f"{first}.jpg")})
    gate = threading.Event()  # another clerk's batch keeps the worker busy
    app.extensions["formgen"].worker.submit("another clerk", "check", "busy", lambda job: gate.wait())
    asked = _post(client, "/generate", {"formats": "pdf", "mode": "one"}, follow=False)
    # while it waits, the clerk brings a corrected roster under another name, and other photos
    _post(client, "/roster", {"roster": (_one_member_roster(tmp_path / "新名册.xlsx").open("rb"), "新名册.xlsx")})
    _post(client, "/photos", {"photos": (io.BytesIO(portrait(tmp_path / "b.jpg").read_bytes()), "000999.jpg")})
    gate.set()
    text, url = finished(app, client, asked)
    assert "已生成 4 条" in text, re.findall(r'id="job-failed">(.*?)</div>', text)
    with client.get(url + "/files/0") as download:
        (tmp_path / "cards.pdf").write_bytes(download.data)
    pages = [page.replace(" ", "") for page in pdf_text(tmp_path / "cards.pdf")]
    assert [name in page for (_, name, _, _), page in zip(MEMBERS, pages)] == [True] * 4
    import pdfplumber

    with pdfplumber.open(str(tmp_path / "cards.pdf")) as document:
        assert len(document.pages[0].images) == 1  # the photo uploaded before it was asked for


def test_a_roster_that_cannot_be_read_as_chosen_is_said_on_the_page_and_a_fault_in_chinese(web, tmp_path,
                                                                                           monkeypatch):
    app, client = web
    roster = clerk_roster(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": (roster.open("rb"), "名册.xlsx")})
    _post(client, "/roster/columns", {"sheet": "旧表"})  # a sheet the workbook no longer has
    for path, form in (("/birthdays", {"month": "2024-10"}), ("/stickers", {"design": "rect", "size": "large"})):
        response = _post(client, path, form)
        assert response.status_code == 200, path
        assert any("没有名为“旧表”的工作表" in flash and "① 名册" in flash for flash in _flashes(response)), path
    app.config["TESTING"] = False  # a fault of formgen itself, as the clerk meets it

    def broken(space):
        raise KeyError("x")

    monkeypatch.setattr("formgen.web.flows.photo_matches", broken)
    response = client.get("/photos")
    text = unescape(response.get_data(as_text=True))
    assert response.status_code == 500 and "formgen 内部出错" in text and "Traceback" not in text
    assert 'lang="zh-CN"' in text and "Internal Server Error" not in text


def test_a_file_that_cannot_be_written_is_said_in_chinese_with_what_to_do():
    from formgen.web.jobs import clerk_message

    message = clerk_message(OSError(28, "No space left on device", "/data/jobs/ab/cd/党员名片.pdf"))
    assert message.startswith("读写文件“党员名片.pdf”时出错") and "磁盘还有空间" in message and "/data" not in message
    assert clerk_message(ValueError("名册.xlsx：文件是空的")) == "名册.xlsx：文件是空的"
    assert clerk_message(ValueError("could not convert")).startswith("formgen 内部出错")


def _stored_photos(app) -> list[str]:
    sessions = app.extensions["formgen"].data_dir / "sessions"
    return sorted(p.relative_to(folder).as_posix() for folder in sessions.glob("*/photos")
                  for p in folder.rglob("*") if p.is_file())


def test_a_zip_without_photos_leaves_the_photos_uploaded_before(web, tmp_path):
    app, client = web
    photo = portrait(tmp_path / "a.jpg").read_bytes()
    _post(client, "/photos", {"photos": (_photos_zip({"照片/000101.jpg": photo}), "照片.zip")})
    assert _stored_photos(app) == ["照片/000101.jpg"]
    for data, message in ((_photos_zip({"照片/说明.docx": b"x"}), "说明.docx"), (_photos_zip({}), "压缩包是空的")):
        response = _post(client, "/photos", {"photos": (data, "照片.zip")})
        (flash,) = _flashes(response)
        assert "里没有照片" in flash and message in flash and "之前上传的照片保留不变" in flash
        assert _stored_photos(app) == ["照片/000101.jpg"]


def test_a_photo_with_a_very_long_name_keeps_its_extension_and_is_seen_as_a_photo(web, tmp_path):
    app, client = web
    roster = clerk_roster(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": (roster.open("rb"), "名册.xlsx")})
    photo = portrait(tmp_path / "a.jpg").read_bytes()
    long_name = MEMBERS[0][1] + "的证件照片" * 10 + ".jpg"  # 王喆的证件照片…: 154 bytes
    _post(client, "/photos", {"photos": (io.BytesIO(photo), long_name)})
    (kept,) = _stored_photos(app)
    assert kept.endswith(".jpg") and kept.startswith(MEMBERS[0][1]) and len(kept.encode()) <= 120
    _post(client, "/photos", {"photos": (_photos_zip({"照片/" + long_name: photo}), "照片.zip")})
    (kept,) = _stored_photos(app)
    assert kept.startswith("照片/" + MEMBERS[0][1]) and kept.endswith(".jpg")
    unused = re.search(r'<ul id="unused-list">(.*?)</ul>', unescape(client.get("/photos").get_data(as_text=True)), re.S)
    assert unused and kept in unused.group(1)  # a photo nobody matched, listed for the clerk to rename


def test_the_profile_form_keeps_what_it_does_not_show_and_fills_in_the_mongolian(web, tmp_path):
    import yaml

    from formgen.input.org import load_org
    from formgen.resources import SAMPLES_DIR

    app, client = web
    store = app.extensions["formgen"].org
    store.folder.mkdir(parents=True)
    store.profile.write_text("organisation: 示例能源\nscore_scale: {政治理论: 100, 业务知识: 100}\n", encoding="utf-8")
    roster = SAMPLES_DIR / "roster-mn.csv"
    _post(client, "/roster", {"roster": (roster.open("rb"), roster.name)})
    _post(client, "/layout", {"layout": "name-card-mn"})
    text, _ = finished(app, client, _post(client, "/check", {}, follow=False))
    assert "「③ 单位信息」页的「单位全称（蒙古文）」" in text and "--org" not in text
    mongolian = load_org(SAMPLES_DIR / "org.yaml")["organisation_mn"]
    form = {key: value for key, value in store.values().items()}
    response = _post(client, "/org", {**form, "organisation_mn": mongolian})
    assert "单位信息已保存" in _flashes(response)[0]
    saved = yaml.safe_load(store.profile.read_text(encoding="utf-8"))
    assert saved["score_scale"] == {"政治理论": 100, "业务知识": 100} and saved["organisation"] == "示例能源"
    assert load_org(store.profile)["organisation_mn"] == mongolian
    text, _ = finished(app, client, _post(client, "/check", {}, follow=False))
    assert re.search(r"错误 0 处", text), re.findall(r'id="check-summary"[^>]*>(.*?)</p>', text, re.S)


def test_certificates_are_issued_from_the_sheet_whose_results_were_confirmed(web, tmp_path):
    from formgen.resources import SAMPLES_DIR

    app, client = web
    scores = SAMPLES_DIR / "scores.xlsx"
    checked, checked_url = finished(app, client, _post(client, "/awards", {
        "scores": (scores.open("rb"), scores.name), "quarter": "2024年第三季度", "action": "dry"}, follow=False))
    assert "褚天佑" in checked
    other = Workbook()
    other.active.append(["工号", "姓名", "所属党支部", "季度", "政治理论", "业务知识", "总分"])
    other.active.append(["000999", "赵新", "机关第一党支部", "2024年第三季度", 50, 50, 100])
    other.save(tmp_path / "别的成绩表.xlsx")  # checked afterwards, in another tab
    _post(client, "/awards", {"scores": ((tmp_path / "别的成绩表.xlsx").open("rb"), "别的成绩表.xlsx"),
                              "quarter": "2024年第三季度", "action": "dry"})
    job_id = checked_url.rsplit("/", 1)[-1]
    assert f'name="reuse" value="{job_id}"' in checked  # the confirm button of the first tab
    issued, _ = finished(app, client, _post(client, "/awards", {"reuse": job_id, "quarter": "2024Q3",
                                                                "action": "issue"}, follow=False))
    assert "褚天佑" in issued and "赵新" not in issued and "荣誉证书.pdf" in issued
    response = _post(client, "/awards", {"reuse": "0" * 32, "quarter": "2024Q3", "action": "issue"})
    assert any("已过期" in flash and "重新上传成绩表" in flash for flash in _flashes(response))


def test_a_photo_that_cannot_be_read_is_named_on_the_photos_page(web, tmp_path):
    app, client = web
    roster = clerk_roster(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": (roster.open("rb"), "名册.xlsx")})
    (good, first, _, _), (bad, second, _, _) = MEMBERS[:2]
    _post(client, "/photos", {"photos": [(io.BytesIO(portrait(tmp_path / "a.jpg").read_bytes()), f"{good}.jpg"),
                                         (io.BytesIO(b"not a picture"), f"{bad}.jpg")]})
    text = unescape(client.get("/photos").get_data(as_text=True))
    assert "1 人有照片" in text and "3 人没有可用的照片" in text
    figure = re.search(rf'<figure class="none" data-row="\d+">\s*<div class="nophoto">(.*?)</div>\s*<figcaption>{second}',
                       text)
    assert figure and figure.group(1) == "照片无法读取"
    hints = re.search(r"<h3>照片的提示</h3>(.*?)</ul>", text, re.S).group(1)
    assert f"{second}：照片“{bad}.jpg”无法读取（不是图片或已损坏）；请换一张" in hints
    assert f"{second}（第4行，照片无法读取）" in re.search(r'<p id="missing-list">(.*?)</p>', text).group(1)


def test_a_job_gone_since_says_why_and_what_to_do(web):
    _app, client = web
    response = client.get("/jobs/" + "0" * 32 + "/files/0")
    text = unescape(response.get_data(as_text=True))
    assert response.status_code == 404 and "formgen 重启后" in text and "重新生成" in text


def test_a_roster_with_a_password_is_said_to_have_one(web, tmp_path):
    _app, client = web
    roster = clerk_roster(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": (roster.open("rb"), "名册.xlsx")})
    # what Excel saves for 用密码进行加密: an OLE2 file holding the workbook as an EncryptedPackage stream
    locked = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    response = _post(client, "/roster", {"roster": (io.BytesIO(locked), "党员名册（加密）.xlsx")})
    (flash,) = _flashes(response)
    assert flash.startswith("党员名册（加密）.xlsx：文件设置了打开密码") and "清除密码" in flash
    assert "4 名党员" in unescape(response.get_data(as_text=True))  # the roster before is still the one read
    text = "这只是一段文字，不是名册。\n".encode()
    (flash,) = _flashes(_post(client, "/roster", {"roster": (io.BytesIO(text), "名册.xlsx")}))
    assert flash.startswith("名册.xlsx：不是 Excel 工作簿") and "另存为 .xlsx" in flash


def test_the_photos_folder_is_named_as_the_page_names_it_not_by_its_path_on_the_server(web, tmp_path):
    app, client = web
    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "所属党支部", "照片"])
    workbook.active.append(["000101", "王喆", "机关第一党支部", "../../别人的/000101.jpg"])
    workbook.save(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": ((tmp_path / "名册.xlsx").open("rb"), "名册.xlsx")})
    _post(client, "/photos", {"photos": (io.BytesIO(portrait(tmp_path / "a.jpg").read_bytes()), "000102.jpg")})
    photos = unescape(client.get("/photos").get_data(as_text=True))
    checked, _ = finished(app, client, _post(client, "/check", {}, follow=False))
    for text in (photos, checked):
        assert "照片“../../别人的/000101.jpg”不在「② 照片」上传的照片中，没有使用" in text
        assert str(app.extensions["formgen"].data_dir) not in text


def test_an_emblem_that_is_no_picture_and_copies_that_are_no_number_are_said_on_their_page(web, tmp_path):
    _app, client = web
    roster = clerk_roster(tmp_path / "名册.xlsx")
    _post(client, "/roster", {"roster": (roster.open("rb"), "名册.xlsx")})
    response = _post(client, "/stickers", {"design": "rect", "size": "large", "emblem": (io.BytesIO(b"hello"), "党徽.png")})
    (flash,) = _flashes(response)
    assert flash.startswith("“党徽.png”不是可用的图片") and "PNG" in flash
    assert "<h1>安全帽" in unescape(response.get_data(as_text=True))  # back on the page, no job started
    (flash,) = _flashes(_post(client, "/layout", {"layout": "name-card", "copies": "两份"}))
    assert flash == "每人份数要填 1 到 100 的整数，而不是“两份”"
