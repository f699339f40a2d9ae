"""Each member's photo in a folder (and its subfolders): by the 照片 column, else by 工号, then by 姓名."""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from formgen.input.records import Roster
from formgen.problems import WARNING, Problem, RosterError
from formgen.record import Record

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif", ".gif")


def readable_name(name: str) -> str:
    """A file name as the clerk saw it on Windows: names written in GBK (a folder copied from Windows to
    a system that expects UTF-8 names) read as GB18030, not as undecodable bytes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("gb18030", errors="replace")
    return name


def _inside(path: Path, folder: Path) -> bool:
    """Whether path, once links are followed, is inside folder (itself resolved)."""
    try:
        return path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError, ValueError):
        return False


def _key(text: str) -> str:
    """Names compared as people read them: any case, no spaces (`王 喆.jpg` is 王喆's), full-width
    digits as digits."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _number_key(text: str) -> str | None:
    """A 工号 without its leading zeros: a roster that lost them (101) still finds 000101.jpg."""
    return (text.lstrip("0") or "0") if text.isdigit() else None


class PhotoFinder:
    """Photos are often kept one folder per branch (照片/机关第一党支部/王伟.jpg): the whole tree is
    searched, and where two files share a name the one in a folder named after the member's branch or
    unit is taken."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._by_name: dict[str, list[Path]] = {}
        self._by_stem: dict[str, list[Path]] = {}
        self._by_number: dict[str, list[Path]] = {}
        if folder is None:
            return
        if folder.is_file():  # a zip of photos as they were sent, or one photo
            packed = folder.suffix.lower() in (".zip", ".rar", ".7z")
            raise RosterError(f"照片文件夹 {folder} 是{'压缩文件' if packed else '一个文件'}，不是文件夹；"
                              + ("请先解压，再用 --photos 给出解压出的文件夹" if packed else "请用 --photos 给出照片所在的文件夹"))
        if not folder.is_dir():
            raise RosterError(f"找不到照片文件夹：{folder}")
        self._root = folder.resolve()
        files = [path for path in sorted(folder.rglob("*")) if path.is_file()
                 and not any(part.startswith(".") for part in path.relative_to(folder).parts)]
        # A link inside the folder that points out of it (to someone's documents) is never a photo.
        self.outside = [path for path in files if not _inside(path, self._root)]
        files = [path for path in files if path not in self.outside]
        # Files of every kind are indexed: a scan saved as PDF is still found by its name (pictures are
        # preferred where both exist), so that the warning names the file and says what is wrong with it.
        for path in files:
            name = readable_name(path.name)
            self._by_name.setdefault(_key(name), []).append(path)
            self._by_stem.setdefault(_key(Path(name).stem), []).append(path)
            number = _number_key(_key(Path(name).stem))
            if number is not None:
                self._by_number.setdefault(number, []).append(path)

    def shown(self, path: Path) -> str:
        """A photo as messages name it: its place in the folder, readable."""
        try:
            return readable_name(str(path.relative_to(self.folder)))
        except ValueError:
            return readable_name(path.name)

    def photos(self) -> list[Path]:
        """Every picture in the folder tree."""
        return sorted({path for paths in self._by_name.values() for path in paths
                       if path.suffix.lower() in PHOTO_SUFFIXES})

    def _candidates(self, name: str) -> list[Path]:
        key = _key(name)
        return self._photos_only(self._by_name.get(key) or self._by_stem.get(key)
                                 or self._by_stem.get(Path(key).stem) or [])

    @staticmethod
    def _photos_only(found: list[Path]) -> list[Path]:
        """Pictures where there are any; otherwise the other files, so that a warning can name them."""
        photos = [path for path in found if path.suffix.lower() in PHOTO_SUFFIXES]
        return photos or found

    def _choose(self, record: Record, name: str, candidates: list[Path]) -> tuple[Path, list[Problem]]:
        if len(candidates) == 1:
            return candidates[0], []
        groups = {_key(str(record.values.get(column) or "")) for column in ("所属党支部", "单位")} - {""}
        in_group = [path for path in candidates
                    if groups & {_key(part) for part in path.relative_to(self.folder).parts[:-1]}]
        if len(in_group) == 1:
            return in_group[0], []
        chosen = (in_group or candidates)[0]
        listed = "、".join(self.shown(path) for path in candidates[:5])
        return chosen, [record.problem(WARNING, f"照片文件夹中有{len(candidates)}张“{name}”的照片（{listed}），"
                                                f"用了 {self.shown(chosen)}；"
                                                f"请用工号命名照片，或在「照片」列写明文件名", "照片")]

    def find(self, record: Record) -> tuple[Path | None, list[Problem]]:
        """The record's photo (None when there is none), and what the search found wrong."""
        named = str(record.values.get("照片") or "").strip()
        if named:
            direct = Path(named)
            if self.folder is None:  # said once for the batch by whoever forgot the folder (the CLI)
                return None, []
            # Photos come from the photos folder only: the roster (perhaps uploaded by anyone) must not
            # reach other files by an absolute path, by ../, or by a link that points out of the folder.
            inside = direct if direct.is_absolute() else self.folder / direct
            if inside.is_file() and _inside(inside, self._root):  # inside the folder: 机关第一党支部/王喆.jpg
                return inside, []
            outside = inside.is_file() or ".." in direct.parts
            # A path typed on Windows (D:\照片\王喆.jpg) names its file after the last separator of either kind.
            candidates = self._candidates(re.split(r"[\\/]", named)[-1])
            if not candidates and outside:
                return None, [record.problem(WARNING, f"照片“{named}”不在照片文件夹 {self.folder} 中，没有使用；"
                                                      f"请把照片放进照片文件夹，在「照片」列只写文件名", "照片")]
            if not candidates:
                return None, [record.problem(WARNING, f"照片文件夹 {self.folder} 中找不到照片“{named}”", "照片")]
            return self._choose(record, named, candidates)
        if self.folder is None:
            return None, []
        staff_id = str(record.values.get("工号") or "").strip()
        name = str(record.values.get("姓名") or "").strip()
        number = _number_key(_key(staff_id))
        for value, candidates in ((staff_id, self._candidates(staff_id) if staff_id else []),
                                  (staff_id, self._photos_only(self._by_number.get(number, [])) if number else []),
                                  (name, self._candidates(name) if name else [])):
            if candidates:
                return self._choose(record, value, candidates)
        return None, []


def find_photos(roster: Roster, folder: Path | None) -> Roster:
    """The roster with each record's photo found, in the photos folder only;
    what the search found wrong joins the roster's problems."""
    finder = PhotoFinder(folder)
    records, problems = [], []
    for record in roster.records:
        photo, found = finder.find(record)
        records.append(replace(record, photo=photo) if photo is not None else record)
        problems += found
    problems += shared_photos(records)
    if folder is not None:
        unused = unused_photos(finder, records, roster.source)
        problems += [unused] if unused else []
        if finder.outside:
            listed = "、".join(finder.shown(path) for path in finder.outside[:5])
            problems.append(Problem(WARNING, f"照片文件夹中的{len(finder.outside)}个文件（{listed}）是指向文件夹以外的链接，"
                                             f"没有使用", source=roster.source))
    return replace(roster, records=tuple(records), problems=roster.problems + tuple(problems), photo_folder=folder)


def shared_photos(records: list[Record]) -> list[Problem]:
    """One photo found for several members (two 王伟, both matched by 王伟.jpg) would print one face
    on the other's card: each of them is warned."""
    by_photo: dict[Path, list[Record]] = {}
    for record in records:
        if record.photo is not None:
            by_photo.setdefault(record.photo.resolve(), []).append(record)
    problems = []
    for path, group in by_photo.items():
        if len(group) > 1:
            rows = "、".join(f"第{r.row}行（{r.who}）" for r in group[:10]) + (f"等{len(group)}人" if len(group) > 10 else "")
            shown = group if len(group) <= 10 else group[:1]  # never a quadratic list of messages
            problems += [record.problem(WARNING, f"照片 {readable_name(path.name)} 同时用于{rows}，可能印错人；"
                                                 f"请用工号命名照片，或在「照片」列写明文件名", "照片") for record in shown]
    return problems


def unused_photos(finder: PhotoFinder, records: list[Record], source: str) -> Problem | None:
    """Pictures in the folder that no member got, as one warning: often a 工号 mistyped in the roster or
    in a file name."""
    used = {record.photo.resolve() for record in records if record.photo is not None}
    unused = [path for path in finder.photos() if path.resolve() not in used]
    if not unused or finder.folder is None:
        return None
    listed = "、".join(finder.shown(path) for path in unused[:10])
    listed += "等" if len(unused) > 10 else ""
    return Problem(WARNING, f"照片文件夹中有{len(unused)}张照片没有对应名册中的任何人：{listed}；"
                            f"可能是名册或文件名中的工号、姓名有误", source=source)
