PYTHON ?= python3
OUT ?= out/demo

.PHONY: install demo test bench

install:
	$(PYTHON) -m pip install -q -e .

# Renders every sample layout into $(OUT) as PDF and DOCX.
demo: install
	$(PYTHON) -m formgen demo -o $(OUT) --format all

# Installs what the tests need (LibreOffice for DOCX parity) and runs them.
test:
	bash scripts/system-deps.sh
	$(PYTHON) -m pip install -q -e '.[test]'
	$(PYTHON) -m pytest

bench: install
	$(PYTHON) bench/bench_name_cards.py --docx
