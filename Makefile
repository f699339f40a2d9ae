PYTHON ?= python3
VENV ?= .venv
OUT ?= out/demo
PY := $(VENV)/bin/python

.PHONY: install demo test bench

# A virtualenv of the project's own: Debian's and Ubuntu's Python refuse `pip install` outside one
# (externally managed), and it keeps the project's packages apart from the system's.
$(VENV)/.created:
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed; on Debian/Ubuntu: sudo apt install python3-venv" >&2; exit 1; }
	touch $@

install: $(VENV)/.created
	$(PY) -m pip install -q -e .

# Renders every sample layout into $(OUT) as PDF and DOCX.
demo: install
	$(PY) -m formgen demo -o $(OUT) --format all

# Installs what the tests need (LibreOffice, poppler, Chromium, CJK fonts; the test extra) and runs them.
test: $(VENV)/.created
	bash scripts/system-deps.sh
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pytest

bench: install
	$(PY) bench/bench_name_cards.py --docx
