"""photo and image: pictures cropped and resampled for their box; a labelled frame when missing."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal, Optional

from pydantic import Field

from formgen.document import Image, Item, Rect
from formgen.typeset import imaging
from formgen.typeset.composed_cache import note_file
from formgen.typeset.elements.base import BoxSpec, BuildContext, Template
from formgen.typeset.textflow import TextStyle
from formgen.units import Box


class PictureSpec(BoxSpec):
    fit: Literal["cover", "contain"] = "cover"
    anchor: Literal[tuple(imaging.ANCHORS)] = "center"  # type: ignore[valid-type]
    frame: bool = False  # a thin border around the picture
    behind: bool = False  # under text (backgrounds)
    keep_alpha: bool = False  # keep transparency (seals); otherwise flattened onto white
    max_dpi: float = Field(default=imaging.MAX_DPI, gt=50, le=1200)


class PhotoSpec(PictureSpec):
    kind: Literal["photo"]
    value_field: ClassVar[Optional[str]] = "src"
    prints_photo: ClassVar[bool] = True
    src: Template = ""  # default: the record's photo
    placeholder: str = "照片"
    anchor: Literal[tuple(imaging.ANCHORS)] = "top"  # type: ignore[valid-type]  # keep the head


class ImageSpec(PictureSpec):
    kind: Literal["image"]
    value_field: ClassVar[Optional[str]] = "src"
    src: Template  # a path, relative to the layout's folder
    optional: bool = False  # a missing file is silently skipped


def _picture(path: Path, spec: PictureSpec, box: Box, ctx: BuildContext) -> list[Item]:
    prepared = imaging.prepare(path, box.w, box.h, spec.fit, spec.anchor, spec.keep_alpha, spec.max_dpi,
                               cache=ctx.photo_cache)
    if prepared.source_dpi < imaging.LOW_DPI:
        ctx.warn(f"{path.name} 在此尺寸下只有 {prepared.source_dpi:.0f} dpi（低于 {imaging.LOW_DPI:.0f}），打印会发虚",
                 "照片" if isinstance(spec, PhotoSpec) else None)
    placed = Box(box.x + (box.w - prepared.placed_w) / 2, box.y + (box.h - prepared.placed_h) / 2,
                 prepared.placed_w, prepared.placed_h)
    items: list[Item] = [Image(box=placed, data=prepared.data, format=prepared.format,
                               pixel_width=prepared.width, pixel_height=prepared.height, key=prepared.key,
                               behind=spec.behind, name=spec.name)]
    if spec.frame:
        items.append(Rect(placed, stroke="#808080", width=0.5, name=f"{spec.name}-frame" if spec.name else None))
    return items


def _placeholder(spec: PhotoSpec, box: Box, ctx: BuildContext) -> list[Item]:
    style = TextStyle(face=ctx.book.face_for("sans"), size=12, min_size=6, line_height=1.2, align="center",
                      valign="middle", color="#808080")
    items: list[Item] = [Rect(box, stroke="#808080", width=0.75, dash=(3, 2),
                              name=f"{spec.name}-placeholder" if spec.name else "photo-placeholder")]
    if spec.placeholder:
        items.append(ctx.set_text(spec.placeholder, box, style, None))
    return items


def build_photo(spec: PhotoSpec, ctx: BuildContext) -> list[Item]:
    box = ctx.box(spec.box)
    source = ctx.render(spec.src).strip() if spec.src else ""
    path = (ctx.base_dir / source) if source else ctx.photo
    if path is None:
        if not ctx.missing_photo_said:
            ctx.warn("没有找到照片，印一个照片框代替", "照片")
        return _placeholder(spec, box, ctx)
    try:
        return _picture(path, spec, box, ctx)
    except imaging.ImageProblem as exc:
        ctx.warn(f"照片 {path.name} {exc}；印一个照片框代替", "照片")
        return _placeholder(spec, box, ctx)


def build_image(spec: ImageSpec, ctx: BuildContext) -> list[Item]:
    source = ctx.render(spec.src).strip()
    if not source:
        return []
    path = Path(source)
    if not path.is_absolute():
        path = ctx.base_dir / path
    note_file(path)  # an optional picture added later is printed on a re-run
    if not path.exists() and spec.optional:
        return []
    try:
        return _picture(path, spec, ctx.box(spec.box), ctx)
    except imaging.ImageProblem as exc:
        ctx.warn(f"图片 {source} {exc}，已略过", None)
        return []
