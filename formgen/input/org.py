"""The organisation profile: names and URL templates that every layout may use as org.*."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from formgen.input.yaml_safe import YamlLimit, load_yaml
from formgen.problems import RosterError

DEFAULT_ORG: dict[str, Any] = {
    "organisation": "",
    "committee": "",
    "short_name": "",
    "campaign": "三亮三比三创",
    "unit": "",
    "qr_url_template": "",
    "verify_url": "https://example.org/v",
    "serial_prefix": "FG",
    "data_dir": "formgen-data",
    "letterhead": "",
    "seal": "",
    # traditional Mongolian (Unicode) for the bilingual layouts: empty ones fail the records that need them
    "organisation_mn": "",
    "committee_mn": "",
    "letterhead_mn": "",
    "issuer_mn": "",
    "certificate_title_mn": "",
}


# Keys that name a file, relative to the profile's own folder (the profile is often copied elsewhere)
PATH_KEYS = {"seal": "印章图片"}
# What the bundled sample profile holds that a real one must not keep: shown as the clerk knows them
SAMPLE_KEYS = {"serial_prefix": "证书编号前缀", "organisation": "单位全称", "committee": "党委名称",
               "short_name": "单位简称", "letterhead": "信函红头", "qr_url_template": "名片二维码内容",
               "verify_url": "证书验证网址", "seal": "印章图片"}


class OrgError(ValueError):
    pass


def _text_of(path: Path) -> str:
    """The profile's text: UTF-8 as written by formgen, or the ANSI (GBK) that Notepad on a Chinese Windows
    saves by default, told apart as a CSV's encoding is."""
    from formgen.input.encodings import decode

    return decode(path.read_bytes(), path.name).text


def load_org(path: Path | str | None) -> dict[str, Any]:
    """The profile at path over the defaults; every known key is present (empty when not given)."""
    profile = dict(DEFAULT_ORG)
    if path is None:
        return profile
    path = Path(path)
    try:
        data = load_yaml(_text_of(path), path.name) or {}
    except FileNotFoundError:
        raise OrgError(f"找不到单位信息文件：{path}") from None
    except YamlLimit as exc:
        raise OrgError(str(exc)) from None
    except RosterError:
        raise OrgError(f"{path.name}：读不出文件的编码；请用记事本打开，“另存为”时编码选 UTF-8") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"第{where.line + 1}行附近" if where is not None else ""
        raise OrgError(f"{path.name}：{line}的写法有误，单位信息文件应由“名称: 值”这样的行组成；"
                       f"值中含有冒号、# 等符号时请加引号") from None
    if not isinstance(data, dict):
        raise OrgError(f"{path.name}：单位信息文件应由“名称: 值”这样的行组成")
    profile.update({str(k): ("" if v is None else v) for k, v in data.items()})
    for key, what in PATH_KEYS.items():
        named = str(profile.get(key) or "").strip()
        if not named:
            continue
        found = Path(named) if Path(named).is_absolute() else (path.parent / named).resolve()
        if not found.is_file():
            where = "" if Path(named).is_absolute() else f"（相对路径从单位信息文件所在的文件夹 {path.parent.resolve()} 算起）"
            raise OrgError(f"{path.name} 中 {key}（{what}）写的“{named}”找不到：{found}{where}；请把文件放到那里，"
                           f"或改写 {key} 的路径；不用时删去这一行")
        profile[key] = str(found)
    profile["_base_dir"] = str(path.parent.resolve())
    profile["_path"] = str(path.resolve())
    return profile


def sample_values(profile: dict[str, Any]) -> list[str]:
    """What a profile other than the bundled sample still holds of the sample's values (its serial prefix
    SLN, its company's names, its URLs, its fake seal), as the clerk knows them; nothing for the sample
    itself, whose runs are tries."""
    from formgen.resources import SAMPLES_DIR

    sample_path = SAMPLES_DIR / "org.yaml"
    own = profile.get("_path")
    if not own or not sample_path.is_file() or Path(own) == sample_path.resolve():
        return []
    sample = load_org(sample_path)
    kept = []
    for key, what in SAMPLE_KEYS.items():
        value, theirs = str(profile.get(key) or ""), str(sample.get(key) or "")
        if key in PATH_KEYS:
            same = bool(value) and Path(value).name == Path(theirs).name and \
                Path(value).read_bytes() == Path(theirs).read_bytes()
        else:
            same = bool(value) and value == theirs
        if same:
            kept.append(f"{what}（{key}）“{Path(value).name if key in PATH_KEYS else value}”")
    return kept
