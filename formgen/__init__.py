"""formgen: print-ready PDF and editable DOCX forms, cards, certificates and letters from a member roster.

The API (formgen.api) is imported on first use, so that `formgen --help` starts quickly.
"""
from __future__ import annotations

_API = ("load_layout", "load_records", "compose", "write", "render", "check", "Job", "Output", "RenderReport")


def __getattr__(name: str):
    if name in _API:
        from formgen import api

        return getattr(api, name)
    raise AttributeError(f"module 'formgen' has no attribute {name!r}")


__all__ = list(_API)
