"""Units, boxes and paper sizes: one coordinate convention, top-left origin, in points."""
from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_MM = 72.0 / 25.4


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * POINTS_PER_MM


def to_mm(points: float) -> float:
    """Points to millimetres."""
    return points / POINTS_PER_MM


@dataclass(frozen=True)
class Box:
    """A rectangle in points; (x, y) is its top-left corner, y grows downwards."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def moved(self, dx: float, dy: float) -> "Box":
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def inset(self, left: float, top: float, right: float, bottom: float) -> "Box":
        return Box(self.x + left, self.y + top, max(0.0, self.w - left - right), max(0.0, self.h - top - bottom))

    def turned_half(self, cx: float, cy: float) -> "Box":
        """This box after a 180° turn of the page area about (cx, cy)."""
        return Box(2 * cx - self.right, 2 * cy - self.bottom, self.w, self.h)

    @staticmethod
    def from_mm(x: float, y: float, w: float, h: float) -> "Box":
        return Box(mm(x), mm(y), mm(w), mm(h))


# ISO 216 sizes in millimetres (portrait).
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "B5": (176.0, 250.0),
}


def paper_size_mm(name: str, landscape: bool = False) -> tuple[float, float]:
    """(width, height) in mm of a named paper size."""
    try:
        w, h = PAPER_SIZES_MM[name.upper()]
    except KeyError:
        raise ValueError(f"不认识纸张大小 {name!r}（可用：{'、'.join(PAPER_SIZES_MM)}，或写 [宽, 高] 毫米）") from None
    return (h, w) if landscape else (w, h)
