"""The command line: parse, call the API, print. Messages for clerks are in Chinese."""
from formgen.cli.main import main  # noqa: F401
