"""Build hook: the top-level layouts/, fonts/ and samples/ go into the package as formgen/_data/.

Everything else about the package is in pyproject.toml. An editable install copies nothing: the package
then runs from the source tree and formgen/resources.py finds the folders beside it.
"""
import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCES = runpy.run_path(str(HERE / "formgen" / "resources.py"))
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithData(build_py):
    """build_py, then the bundled folders copied into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "formgen" / RESOURCES["PACKAGED_DATA"]
        for name in RESOURCES["BUNDLED"]:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(HERE / name, target / name, ignore=SKIPPED)


setup(cmdclass={"build_py": BuildWithData})
