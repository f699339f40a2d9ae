"""Where the bundled layouts, fonts and samples are: the one place that knows the package's data layout."""
from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

LAYOUTS_DIR = _ROOT / "layouts"
FONTS_DIR = _ROOT / "fonts"
SAMPLES_DIR = _ROOT / "samples"
