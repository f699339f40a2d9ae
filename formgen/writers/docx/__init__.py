"""The DOCX writer: the finished pages as an editable Word document with its fonts inside."""
from formgen.writers.docx.painter import write  # noqa: F401
