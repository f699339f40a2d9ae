"""A clerk's workspace on the server: the roster, photos and choices of one browser session, and the
organisation profile that every session shares."""
from __future__ import annotations

import json
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from formgen.files import atomic_path
from formgen.input.org import DEFAULT_ORG, load_org
from formgen.input.photos import PhotoFinder
from formgen.input.records import Roster

ORG_FIELDS = (  # the profile form, in the order a clerk fills it in: (key, label, hint)
    ("organisation", "单位全称", "如：鄂尔多斯市示例能源有限责任公司"),
    ("committee", "党委名称", "证书的颁发单位，如：中共鄂尔多斯市示例能源有限责任公司委员会"),
    ("short_name", "单位简称", "用在文件标题中，如：示例能源"),
    ("campaign", "活动名称", "如：三亮三比三创"),
    ("unit", "部门", "可不填"),
    ("qr_url_template", "名片二维码内容", "每人一个网址，{{ 工号 }}（或 {工号}）处换成各人工号，如：https://party.example.org/m/{{ 工号 }}"),
    ("verify_url", "证书验证网址", "证书二维码指向的网址，如：https://party.example.org/v"),
    ("serial_prefix", "证书编号前缀", "两三个字母，如：SLN"),
    ("letterhead", "信函红头", "劝学信顶部的红色单位名称"),
    ("birthday_greeting", "政治生日贺词", "印在政治生日贺卡上；可不填（用默认的贺词）；写 {{ 姓名 }}、{{ 入党年数 }} 处换成各人的"),
)
MONGOLIAN_FIELDS = (  # the bilingual layouts' words in traditional Mongolian; empty ones fail those layouts only
    ("organisation_mn", "单位全称（蒙古文）", "蒙汉双语名片、胸卡上的单位名称"),
    ("committee_mn", "党委名称（蒙古文）", "蒙汉双语证书的落款和劝学信的信头，下面两项不填时用它"),
    ("letterhead_mn", "信函红头（蒙古文）", "蒙汉双语劝学信的红色信头；可不填（用党委名称）"),
    ("issuer_mn", "证书落款（蒙古文）", "蒙汉双语证书的落款；可不填（用党委名称）"),
    ("certificate_title_mn", "证书标题（蒙古文）", "蒙汉双语证书的标题（荣誉证书）"),
)
PROFILE_FIELDS = ORG_FIELDS + MONGOLIAN_FIELDS  # every entry the form saves


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _lock_of(root: Path) -> threading.Lock:
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(str(root), threading.Lock())


@dataclass
class Workspace:
    """data_dir/sessions/<session id>/: state.json (what the clerk chose), roster/, photos/, scores/ …"""

    root: Path

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    def state(self) -> dict[str, Any]:
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def update(self, **changes: Any) -> dict[str, Any]:
        with _lock_of(self.root):  # two tabs of one clerk: neither change is lost
            state = {**self.state(), **changes}
            self.root.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.state_file) as temporary:
                temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            return state

    def folder(self, name: str) -> Path:
        return self.root / name

    def roster_file(self) -> Optional[Path]:
        stored = self.state().get("roster_file")
        path = self.folder("roster") / stored if stored else None
        return path if path and path.is_file() else None

    @property
    def photos(self) -> Path:
        return self.folder("photos")

    def has_photos(self) -> bool:
        return self.photos.is_dir() and bool(PhotoFinder(self.photos).photos())

    def replace_folder(self, name: str, new: Path) -> Path:
        """new (a folder filled completely) takes the place of the folder name, whole."""
        target = self.folder(name)
        old = self.root / f".old-{name}-{time.time_ns()}"
        with _lock_of(self.root):  # two uploads at once (two tabs): one after the other, never a half swap
            if target.exists():
                target.rename(old)
            new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return target

    def header_map(self) -> dict[str, str]:
        return dict(self.state().get("header_map") or {})

    def roster(self, photos: bool = True) -> Roster:
        from formgen import api

        path = self.roster_file()
        state = self.state()
        return api.load_records(path, self.photos if photos and self.has_photos() else None,
                                state.get("sheet") or None, find_photo_files=photos, header_map=self.header_map())


class OrgStore:
    """The organisation profile saved on the server (data_dir/org/), reused by every session; its
    certificates' keys and ledger in data_dir/certificates/, which nothing ever serves."""

    def __init__(self, data_dir: Path):
        self.folder = data_dir / "org"
        self.certificates = data_dir / "certificates"

    @property
    def profile(self) -> Path:
        return self.folder / "profile.yaml"

    @property
    def seal(self) -> Path:
        return self.folder / "seal.png"

    def values(self) -> dict[str, Any]:
        """The form's values: what was saved, else empty."""
        saved = load_org(self.profile) if self.profile.is_file() else dict(DEFAULT_ORG, verify_url="")
        return {key: str(saved.get(key) or "") for key, _, _ in PROFILE_FIELDS}

    def save(self, values: dict[str, str]) -> None:
        """The form's entries saved; what the profile holds beyond the form (score_scale, study_topics …,
        written into profile.yaml by hand) is kept as it was."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = self._saved()
        data.update({key: values.get(key, "").strip() for key, _, _ in PROFILE_FIELDS if key in values})
        with atomic_path(self.profile) as temporary:
            temporary.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def _saved(self) -> dict[str, Any]:
        """profile.yaml as written, without the defaults load_org adds."""
        if not self.profile.is_file():
            return {}
        load_org(self.profile)  # refuses, in Chinese, a profile that cannot be read, before it is rewritten
        from formgen.input.org import _text_of
        from formgen.input.yaml_safe import load_yaml

        data = load_yaml(_text_of(self.profile), self.profile.name) or {}
        return dict(data) if isinstance(data, dict) else {}

    def org(self) -> dict[str, Any]:
        """The profile as layouts read it (org.*), with the seal and the certificates' folder of the server."""
        org = load_org(self.profile) if self.profile.is_file() else load_org(None)
        org["seal"] = str(self.seal) if self.seal.is_file() else ""
        org["data_dir"] = str(self.certificates)
        return org
