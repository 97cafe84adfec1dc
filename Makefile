# Two commands for a newcomer: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint lint-fix install libreoffice bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/xladdin demo --out demo-output

# The tests recalculate generated workbooks in LibreOffice; install it when missing.
libreoffice:
	@sh tools/ensure-libreoffice.sh

# ruff (line length 100) and mypy (strict on xladdin/engine and xladdin/contract.py, see
# pyproject.toml) gate every test run, so .ci/run checks them too.
lint: $(STAMP)
	$(BIN)/python -m ruff check xladdin udfs workbooks tests bench tools
	$(BIN)/python -m mypy

# Wrap the statements ruff reports as too long (only those lines), fix import order.
lint-fix: $(STAMP)
	$(BIN)/python tools/wrap_long_lines.py
	$(BIN)/python -m ruff check --fix xladdin udfs workbooks tests bench tools

test: $(STAMP) libreoffice lint
	$(BIN)/python -m pytest -q

# Not part of `make test`: ~10 minutes; writes bench/results/latest.md (quoted in README.md).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo-output .pytest_cache build *.egg-info
