"""Cards imposed on a sheet are cut apart cleanly: a gutter between them, a bleed on what runs to the
edge, crop marks beyond the bleed, and everything else a safe margin inside the trim."""
from __future__ import annotations

import pytest

from formgen.api import Job, compose
from formgen.document import Matrix, Rect, Rule, Text
from formgen.input.layouts import LayoutError, load_layout, parse_layout
from formgen.input.org import load_org
from formgen.units import Box, mm, to_mm

SAFE = 3.0  # mm inside the trim for everything but the bleed
ORG = {**load_org(None), "organisation": "鄂尔多斯市示例能源有限责任公司",
       "qr_url_template": "https://party.example.org/m/{{ 工号 }}"}
MEMBERS = [{"工号": f"0001{n:02d}", "姓名": name, "职务": "运行值班员", "所属党支部": "煤矿机电运输第二党支部"}
           for n, name in enumerate(["乌兰巴特尔", "其木格", "额尔敦", "王喆", "李堃", "刘䶮", "陈㛃", "黄𫖯", "赵𬌗", "张敏"])]


# the Mongolian names of the bilingual badge, in the traditional script
MN_NAMES = ["ᠤᠯᠠᠭᠠᠨᠪᠠᠭᠠᠲᠤᠷ", "ᠴᠢᠮᠡᠭ", "ᠡᠷᠳᠡᠨᠢ", "ᠸᠠᠩ ᠵᠸ", "ᠯᠢ ᠺᠦᠨ", "ᠯᠢᠤ ᠶᠠᠨ", "ᠴᠧᠨ ᠵᠢᠶᠧ", "ᠬᠤᠸᠠᠩ ᠹᠦ", "ᠵᠠᠤ ᠰᠢ",
            "ᠵᠠᠩ ᠮᠢᠨ"]
BADGES = {
    "name-card-badge": (ORG, MEMBERS),
    "name-card-badge-mn": ({**ORG, "organisation_mn": "ᠣᠷᠳᠣᠰ ᠬᠣᠲᠠ\u202fᠶᠢᠨ ᠡᠨᠧᠷᠭᠢ ᠺᠣᠮᠫᠠᠨᠢ"},
                           [dict(member, 蒙文姓名=name) for member, name in zip(MEMBERS, MN_NAMES)]),
}


@pytest.fixture(scope="module", params=sorted(BADGES))
def sheet(request):
    layout = load_layout(request.param)
    org, members = BADGES[request.param]
    composition = compose(Job(layout, org=org), members)
    assert not composition.report.failed and composition.report.rendered == 10
    page = composition.document.pages[0]
    spec = layout.spec.imposition
    width, height = layout.spec.page.size_mm()
    gap_x, gap_y = spec.gap
    left = (210 - (spec.columns * width + (spec.columns - 1) * gap_x)) / 2
    top = (297 - (spec.rows * height + (spec.rows - 1) * gap_y)) / 2
    trims = [(left + c * (width + gap_x), top + r * (height + gap_y), width, height)
             for r in range(spec.rows) for c in range(spec.columns)]
    return page, trims, spec


def _card_of(box, trims):
    cx, cy = to_mm(box.x + box.w / 2), to_mm(box.y + box.h / 2)
    return next(i for i, (x, y, w, h) in enumerate(trims) if x - 2 <= cx <= x + w + 2 and y - 2 <= cy <= y + h + 2)


def _box_of(item) -> Box:
    """An item's box; a rule's is the one its two ends span."""
    if isinstance(item, Rule):
        return Box(min(item.x1, item.x2), min(item.y1, item.y2), abs(item.x2 - item.x1), abs(item.y2 - item.y1))
    return item.box


def _mm_box(box):
    return to_mm(box.x), to_mm(box.y), to_mm(box.x + box.w), to_mm(box.y + box.h)


def test_the_bands_bleed_past_the_trim_but_never_reach_a_neighbour(sheet):
    page, trims, spec = sheet
    bands = [item for item in page.items if isinstance(item, Rect) and item.name == "band"]
    assert len(bands) == 10
    for band in bands:
        x0, y0, x1, y1 = _mm_box(band.box)
        tx, ty, tw, th = trims[_card_of(band.box, trims)]
        assert x0 == pytest.approx(tx - spec.bleed) and x1 == pytest.approx(tx + tw + spec.bleed)
        assert y0 == pytest.approx(ty - spec.bleed)
        for other in bands:
            if other is not band:  # never touching: white between every two bands
                ox0, oy0, ox1, oy1 = _mm_box(other.box)
                assert x1 <= ox0 - 1.9 or ox1 <= x0 - 1.9 or y1 <= oy0 or oy1 <= y0


def test_everything_else_keeps_a_safe_margin_inside_the_trim(sheet):
    page, trims, _ = sheet
    for item in page.items:
        if isinstance(item, Rule) and item.name == "crop-mark" or getattr(item, "name", None) in ("band", "heading"):
            continue
        box = _box_of(item)
        x0, y0, x1, y1 = _mm_box(box)
        tx, ty, tw, th = trims[_card_of(box, trims)]
        for x, y in ((x0, y0), (x1, y1)):
            assert tx + SAFE - 0.01 <= x <= tx + tw - SAFE + 0.01, (item.name, x)
            assert ty + SAFE - 0.01 <= y <= ty + th - SAFE + 0.01, (item.name, y)


def test_the_qr_code_stands_clear_of_the_cut_and_of_the_name_rule(sheet):
    page, trims, _ = sheet
    codes = [item for item in page.items if isinstance(item, Matrix)]
    rules = [item for item in page.items if isinstance(item, Rule) and item.name == "name-rule"]
    names = [item for item in page.items if isinstance(item, Text) and item.name == "name"]
    assert len(codes) == len(rules) == len(names) == 10
    for code in codes:
        card = _card_of(code.box, trims)
        tx, ty, tw, th = trims[card]
        x0, y0, x1, y1 = _mm_box(code.box)
        assert tx + tw - x1 >= 4.9 and y0 - ty >= 4  # a few millimetres from the cut and the band
        rule = next(r for r in rules if _card_of(_box_of(r), trims) == card)
        assert x0 - to_mm(max(rule.x1, rule.x2)) >= 2.9
        name = next(n for n in names if _card_of(n.box, trims) == card)
        assert all(to_mm(name.box.x + line.x + line.width) <= x0 - 2.9 for line in name.lines)


def test_crop_marks_start_beyond_the_bleed(sheet):
    page, trims, spec = sheet
    marks = [item for item in page.items if isinstance(item, Rule) and item.name == "crop-mark"]
    assert marks
    lefts, rights = min(t[0] for t in trims), max(t[0] + t[2] for t in trims)
    tops, bottoms = min(t[1] for t in trims), max(t[1] + t[3] for t in trims)
    for mark in marks:
        xs, ys = sorted((to_mm(mark.x1), to_mm(mark.x2))), sorted((to_mm(mark.y1), to_mm(mark.y2)))
        outside = (ys[1] <= tops - spec.bleed or ys[0] >= bottoms + spec.bleed
                   or xs[1] <= lefts - spec.bleed or xs[0] >= rights + spec.bleed)
        assert outside and 0 <= min(xs[0], ys[0]) and max(xs[1], ys[1]) <= 297


@pytest.mark.parametrize("imposition, said", [
    ({"gap": [1, 2], "bleed": 1}, "gap：间距 [1.0, 2.0] 容不下两边各 1 毫米的出血"),
    ({"gap": [4, 4], "bleed": 2, "mark_offset": 1.5}, "mark_offset：裁切线离卡片 1.5 毫米，会画在 2 毫米的出血上"),
])
def test_an_imposition_without_room_for_its_bleed_is_a_layout_error(tmp_path, imposition, said):
    with pytest.raises(LayoutError, match=said.replace("[", r"\[").replace("]", r"\]")):
        parse_layout({"name": "t", "title": "t", "page": {"size": [90, 54]},
                      "imposition": {"columns": 2, "rows": 5, **imposition},
                      "elements": [{"kind": "rect", "box": [0, 0, 9, 9]}]}, tmp_path / "t.yaml")


def test_cards_without_a_bleed_may_still_touch(tmp_path):
    layout = parse_layout({"name": "t", "title": "t", "page": {"size": [90, 54]},
                           "imposition": {"columns": 2, "rows": 5},
                           "elements": [{"kind": "rect", "box": [0, 0, 90, 54], "fill": "#C8161D"}]}, tmp_path / "t.yaml")
    page = compose(Job(layout), [{"姓名": "甲"}, {"姓名": "乙"}]).document.pages[0]
    first, second = [item.box for item in page.items if isinstance(item, Rect)][:2]
    assert second.x == pytest.approx(first.x + mm(90))
