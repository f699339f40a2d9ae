"""The public API, the same verbs as the command line: load, compose, write, render, check; and the
campaign's jobs (awards, survey tally)."""
from formgen.api.check import (  # noqa: F401
    absent_notice, check, column_problems, missing_columns, perhaps, required_label)
from formgen.api.render import (  # noqa: F401
                                Composition,
                                Job,
                                Output,
                                RenderReport,
                                compose,
                                load_records,
                                render,
                                write,
)
from formgen.api.preview import preview_page  # noqa: F401
from formgen.input.layouts import load_layout  # noqa: F401
