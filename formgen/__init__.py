"""formgen: print-ready PDF and editable DOCX forms, cards, certificates and letters from a roster."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import compose, load_layout, load_records, render_records, write  # noqa: E402

__all__ = ["compose", "load_layout", "load_records", "render_records", "write", "__version__"]
