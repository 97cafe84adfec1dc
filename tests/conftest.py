"""Shared test set-up.

* The tests folder is importable (libreoffice.py, standin/, xlwings_book.py).
* Hypothesis runs without its per-example deadline: speed is measured in bench/, never
  by a test that fails on a busy machine.
* ``@pytest.mark.libreoffice`` is THE mark of a test that needs LibreOffice (soffice):
  skipped, saying why, where it is not installed (``make test`` installs it); after the
  run, the time spent in LibreOffice is reported.
"""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("xladdin", deadline=None)
settings.load_profile("xladdin")


def pytest_collection_modifyitems(config, items):
    from libreoffice import soffice

    if soffice() is None:
        skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
        for item in items:
            if "libreoffice" in item.keywords:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """How much of the run was LibreOffice (see tests/libreoffice.py)."""
    runs = sys.modules.get("libreoffice")
    if runs is not None and runs.RUNS["runs"]:
        r = runs.RUNS
        terminalreporter.write_line(
            f"LibreOffice: {r['runs']} soffice runs, {r['files']} files, {r['seconds']:.1f} s"
        )
