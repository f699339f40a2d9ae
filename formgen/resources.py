"""Where the bundled layouts, fonts and samples are: the one place that knows the package's data layout.

The folders live at the top of the source tree (BUNDLED). A wheel carries them inside the package, in
formgen/_data/ (setup.py's build step copies them there); a source checkout and an editable install
read them where they are, beside the package. This module imports nothing but the standard library:
setup.py reads BUNDLED and PACKAGED_DATA from it at build time.
"""
from __future__ import annotations

from pathlib import Path

BUNDLED = ("layouts", "fonts", "samples")  # top-level folders that the package reads at run time
PACKAGED_DATA = "_data"  # where a built package holds them, inside formgen/

_PACKAGE = Path(__file__).resolve().parent


def _data_root() -> Path:
    """The installed copy when there is one, else the source checkout the package was imported from
    (a checkout is known by its pyproject.toml, so that a stray site-packages/fonts is never taken)."""
    packaged = _PACKAGE / PACKAGED_DATA
    if packaged.is_dir():
        return packaged
    if (_PACKAGE.parent / "pyproject.toml").is_file():
        return _PACKAGE.parent
    return packaged  # neither: the paths name where the data should be, and require() says so


DATA_ROOT = _data_root()
LAYOUTS_DIR = DATA_ROOT / "layouts"
FONTS_DIR = DATA_ROOT / "fonts"
SAMPLES_DIR = DATA_ROOT / "samples"


class MissingData(ValueError):
    """The package's own data is not where it should be: an incomplete installation."""


def require(folder: Path, pattern: str = "*") -> Path:
    """folder, when it holds at least one file matching pattern; otherwise a clear error for the clerk."""
    if not folder.is_dir() or not any(folder.glob(pattern)):
        raise MissingData(f"formgen 安装不完整：找不到自带的 {folder.name}（应在 {folder}）；"
                          "请重新安装 formgen（pip install formgen-…whl），或在源代码文件夹中运行")
    return folder
