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
LINTED := xladdin udfs workbooks tests bench tools
lint: $(STAMP)
	$(BIN)/python -m ruff check $(LINTED)
	$(BIN)/python -m mypy

# Wrap the statements ruff reports as too long (only those lines), fix import order.
lint-fix: $(STAMP)
	$(BIN)/python tools/wrap_long_lines.py
	$(BIN)/python -m ruff check --fix $(LINTED)

# The tests run in pytest-xdist workers, one per core (PYTEST_WORKERS=0: in this process),
# one test module per worker at a time, the longest first (tests/conftest.py); all share
# the run's one soffice (tests/soffice_run.py).  ruff first (a second); mypy (~6 s of one
# core without its cache) beside the tests, which spend part of their time waiting on
# LibreOffice: its report follows theirs, and either failing fails `make test`.
PYTEST_WORKERS ?= auto
test: $(STAMP) libreoffice
	$(BIN)/python -m ruff check $(LINTED)
	@echo "$(BIN)/python -m mypy & $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) ..."
	@typing=$$(mktemp); $(BIN)/python -m mypy >"$$typing" 2>&1 & mypy=$$!; \
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder; \
	tests=$$?; wait $$mypy; typed=$$?; cat "$$typing"; rm -f "$$typing"; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

# Not part of `make test`: ~10 minutes; writes bench/results/latest.md (quoted in README.md).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo-output .pytest_cache build *.egg-info
