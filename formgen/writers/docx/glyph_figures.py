"""Glyph outlines made ready for a metafile's paths: each glyph's points at a size, prepared once for
the whole document, and neighbouring glyphs merged only where their boxes meet.

A glyph's own contours are merged when it is read (outlines.py), so glyphs whose boxes meet no other's
are drawn as they are; a run of glyphs that reach into each other (a row of ＿ for a line to write on,
tight tracking) is merged into one outline, as overlapping figures would show holes where they cross in
a renderer filling by the even-odd rule.
"""
from __future__ import annotations

from array import array
from typing import Callable, Iterable, NamedTuple, TypeVar

import pathops

from formgen.writers.docx.outlines import Outline, merged, outline_of_path

UNITS_PER_POINT = 2540 / 72  # hundredths of a millimetre per point
# Prepared glyphs kept at most (a few entries per character and size): a bound for documents of many sizes.
KEPT = 20000


class Figures(NamedTuple):
    """Closed figures as one flat run of coordinates (x, y, x, y …) in hundredths of a millimetre, y
    down, relative to an origin. parts lays them out as (kind, first point, point count): "M" a move,
    "L" lines, "C" cubic curves (three points each), "Z" a close; box bounds every point (x0, y0, x1, y1)."""
    coords: array
    parts: tuple[tuple[str, int, int], ...]
    box: tuple[float, float, float, float]


def figures_of(outline: Outline, scale_x: float, scale_y: float) -> Figures:
    """An outline's figures, its x and y scaled (a negative scale runs backwards)."""
    coords = array("d")
    parts: list[tuple[str, int, int]] = []
    for segment in outline:
        kind = segment[0]
        first = len(coords) // 2
        if kind == "Z":
            parts.append(("Z", first, 0))
            continue
        for x, y in segment[1:]:
            coords.append(x * scale_x)
            coords.append(y * scale_y)
        count = len(segment) - 1
        if kind != "M" and parts and parts[-1][0] == kind:
            kind, first, before = parts.pop()
            count += before
        parts.append((kind, first, count))
    if not coords:
        return Figures(coords, (), (0.0, 0.0, 0.0, 0.0))
    xs, ys = coords[0::2], coords[1::2]
    return Figures(coords, tuple(parts), (min(xs), min(ys), max(xs), max(ys)))


# A glyph to draw: its figures and its origin in the picture (hundredths of a millimetre).
Placed = tuple[Figures, float, float]
T = TypeVar("T")


class TurnedGlyphs:
    """Glyphs made ready for turned pictures, kept while a document is written, so that a glyph is
    prepared once however often it is drawn: each outline's figures at a size, turned 180° (font x and
    y both run backwards, y down on the page); what the metafile writer derives from them; the
    merged figures of glyphs that meet, by their places (the same row of ＿ on every card)."""

    def __init__(self):
        # Keyed by identity, each entry holding what its key's ids are of, so that no id is taken for
        # another object's while it is kept.
        self._figures: dict[tuple[int, float], tuple[Outline, Figures]] = {}
        self._derived: dict[tuple[int, object], tuple[Figures, object]] = {}
        self._merged: dict[tuple, tuple[tuple[Figures, ...], Figures]] = {}

    def _room(self) -> None:
        if len(self._figures) + len(self._derived) + len(self._merged) >= KEPT:
            self._figures.clear()
            self._derived.clear()
            self._merged.clear()

    def figures(self, outline: Outline, size: float) -> Figures:
        key = (id(outline), size)
        found = self._figures.get(key)
        if found is None or found[0] is not outline:
            self._room()
            scale = size * UNITS_PER_POINT
            found = self._figures[key] = (outline, figures_of(outline, -scale, scale))
        return found[1]

    def derived(self, figures: Figures, key: object, make: Callable[[Figures, object], T]) -> T:
        """make(figures, key), kept as long as figures are."""
        entry = self._derived.get((id(figures), key))
        if entry is None or entry[0] is not figures:
            self._room()
            entry = self._derived[(id(figures), key)] = (figures, make(figures, key))
        return entry[1]

    def unoverlapped(self, placed: Iterable[Placed]) -> list[Placed]:
        """The glyphs of a run as figures that overlap no other: a glyph whose box meets no other glyph's
        as it is, and every group of glyphs whose boxes meet merged into one (placed at the origin), in
        the order of each group's first glyph in the run."""
        glyphs = [glyph for glyph in placed if glyph[0].parts]
        result: list[Placed] = []
        for indices in _meeting(glyphs):
            if len(indices) == 1:
                result.append(glyphs[indices[0]])
                continue
            group = tuple(glyphs[i] for i in indices)
            key = tuple((id(f), x, y) for f, x, y in group)
            found = self._merged.get(key)
            if found is None or any(a is not b for a, (b, _, _) in zip(found[0], group)):
                self._room()
                path = pathops.Path()
                for glyph in group:
                    _trace(path, *glyph)
                found = self._merged[key] = (tuple(f for f, _, _ in group),
                                             figures_of(outline_of_path(merged(path)), 1.0, 1.0))
            result.append((found[1], 0.0, 0.0))
        return result


def _meeting(glyphs: list[Placed]) -> list[list[int]]:
    """The placed glyphs in groups whose boxes meet (touching is meeting), each in the glyphs' order,
    the groups in the order of their first glyph."""
    boxes = [(f.box[0] + x, f.box[1] + y, f.box[2] + x, f.box[3] + y) for f, x, y in glyphs]
    group = list(range(len(glyphs)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = i = group[group[i]]
        return i

    # A sweep along x: only the boxes still open where a box starts can meet it.
    open_boxes: list[int] = []
    for i in sorted(range(len(boxes)), key=lambda i: boxes[i][0]):
        x0, y0, x1, y1 = boxes[i]
        open_boxes = [j for j in open_boxes if boxes[j][2] >= x0]
        for j in open_boxes:
            if boxes[j][1] <= y1 and y0 <= boxes[j][3]:
                group[root(j)] = root(i)
        open_boxes.append(i)
    members: dict[int, list[int]] = {}
    for i in range(len(glyphs)):
        members.setdefault(root(i), []).append(i)
    return sorted(members.values())


def _trace(path: "pathops.Path", figures: Figures, x: float, y: float) -> None:
    """Adds figures placed at (x, y) to path."""
    coords = figures.coords
    for kind, first, count in figures.parts:
        at = 2 * first
        if kind == "M":
            path.moveTo(coords[at] + x, coords[at + 1] + y)
        elif kind == "L":
            for k in range(at, at + 2 * count, 2):
                path.lineTo(coords[k] + x, coords[k + 1] + y)
        elif kind == "C":
            for k in range(at, at + 2 * count, 6):
                path.cubicTo(coords[k] + x, coords[k + 1] + y, coords[k + 2] + x, coords[k + 3] + y,
                             coords[k + 4] + x, coords[k + 5] + y)
        else:
            path.close()
