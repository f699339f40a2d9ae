"""The organisation profile: names and URL templates that every layout may use as org.*."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from formgen.input.yaml_safe import YamlLimit, load_yaml

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


class OrgError(ValueError):
    pass


def load_org(path: Path | str | None) -> dict[str, Any]:
    """The profile at path over the defaults; every known key is present (empty when not given)."""
    profile = dict(DEFAULT_ORG)
    if path is None:
        return profile
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), path.name) or {}
    except FileNotFoundError:
        raise OrgError(f"找不到单位信息文件：{path}") from None
    except YamlLimit as exc:
        raise OrgError(str(exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise OrgError(f"{path.name}: not a valid UTF-8 YAML profile: {exc}") from None
    if not isinstance(data, dict):
        raise OrgError(f"{path.name}：单位信息文件应由“名称: 值”这样的行组成")
    profile.update({str(k): ("" if v is None else v) for k, v in data.items()})
    seal = str(profile.get("seal") or "")
    if seal and not Path(seal).is_absolute():
        profile["seal"] = str((path.parent / seal).resolve())
    profile["_base_dir"] = str(path.parent.resolve())
    return profile
