"""What a clerk can do with each built-in layout on the page: print it from the roster at step ④ (with a
sample picture made from the samples it is shown with), or have it made on the page of the paperwork
that fills it from a sheet of its own (the branch review's report, forms and notices; the birthday
cards; the stickers; the letters of the awards)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from formgen.api.demo import DEMO_JOBS
from formgen.api.stickers import DESIGNS
from formgen.resources import SAMPLES_DIR
from formgen.typeset.layout import Layout

# The pages that make layouts from their own sheet: (endpoint, the page's name in the menu, what the clerk
# brings there).
PAGES = {
    "routes.branch_review_page": ("支部考核", "上传各支部的季度考核表，得出排名、约谈名单和五星党支部建议，同时生成"),
    "routes.birthdays_page": ("政治生日", "选择月份，按名册中的入党日期列出过政治生日的党员，同时生成"),
    "routes.stickers_page": ("安全帽标志", "选择形状、大小和数量（每人一个或每个支部若干个）生成"),
    "routes.awards_page": ("评选与证书", "上传测试成绩表，评选学习之星、进步之星，同时为成绩不及格的党员生成"),
}
MADE_ON = {  # layout → the page that makes it; these are not offered at step ④
    "branch-review-report": "routes.branch_review_page",
    "branch-quarterly": "routes.branch_review_page",
    "interview-notice": "routes.branch_review_page",
    "political-birthday": "routes.birthdays_page",
    **{layout: "routes.stickers_page" for layout in DESIGNS.values()},
    "study-reminder": "routes.awards_page",
}
# Layouts printed from the roster that a page also makes, and better (registered serials, QR codes that verify).
ALSO = {"certificate": "要登记证书编号、二维码可以查验真伪的证书，请在“评选与证书”或“按名单发证”页生成"}
SAMPLES = {layout: (roster, options) for layout, roster, options in DEMO_JOBS}


@dataclass(frozen=True)
class Elsewhere:
    endpoint: str
    page: str  # the page's name in the menu
    how: str
    layouts: tuple[Layout, ...]


def sample_of(layout: Layout) -> tuple[Path, dict]:
    """The sample roster the layout's picture is made from, and the options it is shown with."""
    roster, options = SAMPLES.get(layout.name, ("roster.xlsx", {}))
    return SAMPLES_DIR / roster, dict(options)


# What clerks print most, in that order; the bilingual ones come after these, then the rest.
EVERYDAY = ("name-card", "name-card-badge", "pledge-card", "survey", "monthly-summary", "certificate")
BILINGUAL = "-mn"


def from_roster(layouts: Mapping[str, Layout]) -> dict[str, Layout]:
    """The layouts step ④ offers: the everyday ones first, in EVERYDAY's order, then the bilingual ones (in
    the order of their Chinese originals), then any other, by name."""
    def rank(layout: Layout) -> tuple:
        name = layout.name
        if name in EVERYDAY:
            return (0, EVERYDAY.index(name), "")
        if name.endswith(BILINGUAL):
            original = name[:-len(BILINGUAL)]
            return (1, EVERYDAY.index(original) if original in EVERYDAY else len(EVERYDAY), name)
        return (2, 0, name)

    offered = sorted((layout for name, layout in layouts.items() if name not in MADE_ON), key=rank)
    return {layout.name: layout for layout in offered}


def elsewhere(layouts: Iterable[Layout]) -> list[Elsewhere]:
    """The layouts made on another page, by page, in the menu's order."""
    by_page: dict[str, list[Layout]] = {}
    for layout in layouts:
        if layout.name in MADE_ON:
            by_page.setdefault(MADE_ON[layout.name], []).append(layout)
    return [Elsewhere(endpoint, *PAGES[endpoint], tuple(by_page[endpoint]))
            for endpoint in PAGES if endpoint in by_page]


_OPTION_CLAUSE = re.compile(r"[（(][^（）()]*(?:--|formgen |[a-z]+_[a-z_]+)[^（）()]*[）)]")


def for_clerk(description: str) -> str:
    """A layout's description without what only the command line means (--set background=…, --copies N,
    a profile key): the page asks for those in its own words."""
    text = _OPTION_CLAUSE.sub("", description)
    parts = [part for part in re.split(r"[；;]", text) if "--" not in part]
    return "；".join(part.strip() for part in parts if part.strip())
