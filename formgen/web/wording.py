"""Messages made for the command line said as the page says them: a profile key (--org) becomes the
entry of ③ 单位信息 where it is filled in, a layout option (--set) the options of ④ 版式, and options the
page does not have (--encoding, --font-dir) give way to what a clerk can do instead, and the server's
folder of the uploaded photos is named as the page names it."""
from __future__ import annotations

import re

_PROFILE_KEYS = re.compile(r"单位信息文件（--org）的 ([a-z_、]+) 一项")
# The photos' folder on the server (a session's, or a job's copy of it): a path that means nothing to the
# clerk, who uploaded the photos on ② 照片.
_PHOTOS_FOLDER = re.compile(r"照片文件夹 [^\n]*?[\\/](?:sessions[\\/][0-9a-f]{32}|jobs[\\/][0-9a-f]{32}[\\/][0-9a-f]{32}"
                            r"[\\/]input)[\\/]photos( 中)?")
_REPLACED = (
    ("版式选项（--set）", "「④ 版式」页上这个版式的选项"),
    ("，或用 --encoding 指明编码（如 --encoding big5）", ""),
    ("请用 --font-dir 加入含有该字的字体", "请改用常见的写法，或请负责 formgen 的同事加入含有该字的字体"),
    ("，或用 --quarter 指定", "，或在本页填写季度"),
)


def for_page(text: str) -> str:
    from formgen.web.workspace import PROFILE_FIELDS

    labels = {key: label for key, label, _ in PROFILE_FIELDS}

    def entry(match: re.Match) -> str:
        keys = match.group(1).split("、")
        return "「③ 单位信息」页的" + "、".join(f"「{labels.get(key, key)}」" for key in keys) + "一项"

    text = _PROFILE_KEYS.sub(entry, text)
    text = _PHOTOS_FOLDER.sub(lambda match: "「② 照片」上传的照片" + ("中" if match.group(1) else ""), text)
    for said, meant in _REPLACED:
        text = text.replace(said, meant)
    return text
