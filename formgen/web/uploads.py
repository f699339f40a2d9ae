"""Uploaded files in: size limits, kinds checked by their bytes, and zips of photos extracted safely."""
from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterable

from formgen.files import safe_file_name
from formgen.input.photos import PHOTO_SUFFIXES

MB = 1024 * 1024
ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".json")
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
CERTIFICATE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")


class UploadError(ValueError):
    """An upload refused; the message tells the clerk why and what to do, in Chinese."""


@dataclass(frozen=True)
class Limits:
    """How much one upload may be: each kind of file, and what a zip of photos may unpack to."""

    sheet: int = 20 * MB
    picture: int = 30 * MB  # one photo, a seal, a certificate picture or PDF
    zip_total: int = 500 * MB  # all the files of one zip, unpacked
    zip_entries: int = 5000
    zip_ratio: int = 200  # an entry unpacking to more than 200× its packed size is a bomb, not a photo
    request: int = 600 * MB  # a whole request (Flask refuses more before reading it)


def suffix_of(file_name: str, allowed: Iterable[str], what: str) -> str:
    """The lower-case extension of a clerk's file name, when it is one of allowed; the name itself is
    never used as a path."""
    suffix = PurePosixPath(file_name.replace("\\", "/")).suffix.lower()
    allowed = tuple(allowed)
    if suffix not in allowed:
        shown = "、".join(allowed)
        raise UploadError(f"“{file_name}”不是{what}：只能上传 {shown} 文件")
    return suffix


def save_stream(stream: BinaryIO, target: Path, limit: int, file_name: str) -> Path:
    """The upload copied to target, refusing it (and leaving nothing) once it passes limit bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with open(target, "wb") as out:
            while True:
                chunk = stream.read(1024 * 1024)
                if not chunk:
                    break
                written += len(chunk)
                if written > limit:
                    raise UploadError(f"“{file_name}”太大（超过 {limit // MB} MB），没有上传")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if written == 0:
        target.unlink(missing_ok=True)
        raise UploadError(f"“{file_name}”是空文件，没有上传")
    return target


def save_replacing(stream: BinaryIO, target: Path, limit: int, file_name: str) -> Path:
    """save_stream onto target only once the upload is whole and within limit: a refused upload (too big,
    empty, cut off) leaves the file uploaded before in place."""
    import secrets

    partial = target.with_name(f".upload-{secrets.token_hex(6)}{target.suffix}")
    save_stream(stream, partial, limit, file_name)
    try:
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def is_zip(path: Path) -> bool:
    """Whether the file is a zip: one with files in it, or an empty one."""
    with open(path, "rb") as handle:
        return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def safe_name_keeping_suffix(name: str, limit: int = 120) -> str:
    """safe_file_name that shortens a long name before its extension, never through it: 王喆的证件照…（many
    characters）.jpg stays a .jpg, which is how the photo is found."""
    suffix = PurePosixPath(name).suffix
    if not suffix or len(suffix.encode("utf-8")) > 16:
        return safe_file_name(name, limit)
    return safe_file_name(name[:-len(suffix)], limit - len(suffix.encode("utf-8"))) + safe_file_name(suffix)


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as the clerk's PC wrote it: zips made by Chinese Windows store names in GBK
    without saying so (no UTF-8 flag), which zipfile reads as code page 437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_parts(name: str) -> list[str] | None:
    """The entry's folders and file name made safe, or None for a name that points outside the folder
    (absolute, a drive, `..`)."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        return None
    return [safe_file_name(part) for part in parts[:-1]] + [safe_name_keeping_suffix(part) for part in parts[-1:]]


@dataclass
class Extracted:
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # entries left out, with why, for the clerk


def extract_photos(archive: Path, folder: Path, limits: Limits) -> Extracted:
    """The pictures of a zip into folder (its subfolders kept: one per branch is common). Refused whole
    when any entry points outside the folder, is a link, or when the zip unpacks to more than the
    limits allow; other kinds of file are skipped and listed."""
    try:
        bundle = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise UploadError("这个 .zip 文件已损坏或不是 zip 压缩包；请重新压缩照片文件夹后上传") from None
    with bundle:
        entries = bundle.infolist()
        if len(entries) > limits.zip_entries:
            raise UploadError(f"压缩包里的文件太多（{len(entries)}个，最多 {limits.zip_entries} 个）；请分批上传")
        planned: list[tuple[zipfile.ZipInfo, list[str]]] = []
        total = 0
        result = Extracted()
        for info in entries:
            name = _entry_name(info)
            parts = _safe_parts(name)
            if parts is None:
                raise UploadError(f"压缩包中的“{name}”指向压缩包以外的位置，这个压缩包不安全，没有解压；"
                                  "请直接压缩照片文件夹后上传")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UploadError(f"压缩包中的“{name}”是一个链接（快捷方式），这个压缩包没有解压；"
                                  "请只压缩照片文件本身")
            if info.is_dir() or not parts:
                continue
            if any(part.startswith(".") or part == "__MACOSX" for part in parts):
                continue  # the hidden files macOS and some tools add
            if PurePosixPath(parts[-1]).suffix.lower() not in PHOTO_SUFFIXES:
                result.skipped.append(f"{name}（不是图片）")
                continue
            if info.file_size > limits.picture:
                raise UploadError(f"压缩包中的“{name}”太大（超过 {limits.picture // MB} MB）；没有解压")
            if info.compress_size and info.file_size > limits.zip_ratio * info.compress_size:
                raise UploadError(f"压缩包中的“{name}”解压后异常地大，这个压缩包没有解压")
            total += info.file_size
            if total > limits.zip_total:
                raise UploadError(f"压缩包解压后超过 {limits.zip_total // MB} MB；请分批上传")
            planned.append((info, parts))
        root = folder.resolve()
        for info, parts in planned:
            target = folder.joinpath(*parts)
            if not target.resolve().is_relative_to(root):  # made safe above; checked once more
                raise UploadError(f"压缩包中的“{_entry_name(info)}”不安全，没有解压")
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as source:
                # The declared size may lie: the copy stops at it plus one byte and is refused then.
                save_stream(_Bounded(source, info.file_size), target, limits.picture, parts[-1])
            result.files.append(target)
        return result


class _Bounded:
    """A stream that fails once more bytes come out of it than the zip declared."""

    def __init__(self, stream: BinaryIO, declared: int):
        self.stream, self.left = stream, declared

    def read(self, size: int) -> bytes:
        chunk = self.stream.read(min(size, self.left + 1))
        self.left -= len(chunk)
        if self.left < 0:
            raise UploadError("压缩包中的文件与其登记的大小不符，这个压缩包没有解压")
        return chunk
