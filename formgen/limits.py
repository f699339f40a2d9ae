"""Every limit on what formgen reads and makes, in one place (the README's 限额 section lists them).

Bounds are by what an input holds — cells with values, expanded sizes, loop ranges, output length —
so that no file or page from the office network can make a run hang or exhaust memory; each refusal
says which limit, in the clerk's words.
"""
from __future__ import annotations

MB = 1024 * 1024

# Data files (rosters, score sheets, survey answers)
MAX_DATA_FILE_BYTES = 50 * MB  # a roster file as stored (.csv, .json, .xls, .xlsx)
MAX_UNZIPPED_BYTES = 100 * MB  # the parts of an .xlsx once unpacked (its sheets and shared strings)
MAX_ROWS = 50_000  # rows holding values, per sheet
MAX_COLUMNS = 500  # columns holding values, per sheet (those past it are ignored with a warning)
MAX_CELL_CHARS = 32_767  # one cell's text: Excel's own limit
MAX_CSV_RECORD_LINES = 200  # lines one quoted CSV field may run across before it is an unclosed quote
MAX_NESTING = 32  # lists and objects inside each other (JSON rosters, YAML layouts, profiles, --set)

# Layouts, profiles and --set values (YAML)
MAX_YAML_BYTES = 2 * MB
MAX_YAML_NODES = 200_000  # values once every alias is expanded
MAX_YAML_ALIASES = 1_000

# Composing
MAX_COPIES = 100  # copies of each record (a layout's copies: and --copies alike)
MAX_ELEMENTS_PER_RECORD = 20_000  # drawn elements of one record, repeats expanded
MAX_TEMPLATE_OUTPUT = 200_000  # characters one template may produce
MAX_LOOP_ITERATIONS = 100_000  # loop steps of one template, all its loops together
MAX_RANGE = 10_000  # items of one range(…) in a template

# stickers
MAX_STICKERS_PER_BRANCH = 500  # --per-branch, or one branch's 数量 on a sheet of branches
MAX_STICKERS = 50_000  # stickers of one run, all branches together

# verify
MAX_IMAGE_PIXELS = 60_000_000  # a photo or scan of a certificate
MAX_PDF_PAGES = 500
MAX_RENDER_PIXELS = 40_000_000  # one PDF page as rendered to look for its QR code


def size_text(count: int) -> str:
    """A byte count as a clerk reads it: 12 MB, 300 KB."""
    if count >= MB:
        return f"{count / MB:.0f} MB"
    return f"{max(1, count // 1024)} KB"
