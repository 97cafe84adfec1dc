"""Shared test set-up.

* The tests folder is importable (libreoffice.py, standin/, xlwings_book.py).
* Hypothesis runs without its per-example deadline: speed is measured in bench/, never
  by a test that fails on a busy machine.
* ``@pytest.mark.libreoffice`` is THE mark of a test that needs LibreOffice (soffice):
  skipped, saying why, where it is not installed (``make test`` installs it); after the
  run, the time spent in LibreOffice is reported.
* ``make test`` runs the tests in pytest-xdist workers: all of them share the run's one
  soffice (tests/soffice_run.py), which the process that owns the run (the xdist
  controller, or the only process) names before the workers start and stops at the end.
"""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("xladdin", deadline=None)
settings.load_profile("xladdin")


def _owns_the_run(config) -> bool:
    return not hasattr(config, "workerinput")  # an xdist worker has workerinput


def pytest_configure(config):
    if _owns_the_run(config):
        import soffice_run

        soffice_run.begin_run()


def pytest_collection_modifyitems(config, items):
    from libreoffice import soffice

    if soffice() is None:
        skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
        for item in items:
            if "libreoffice" in item.keywords:
                item.add_marker(skip)
    if config.pluginmanager.hasplugin("xdist"):
        _longest_first(items)


def _longest_first(items):
    """The order in which ``make test``'s workers are handed the test modules (``--dist
    loadscope --no-loadscope-reorder``: a module is one unit of work, so a module fixture is
    built once, the stand-in lab's 15 s not paid twice).  The longest go first, so that no
    worker is left with a long module at the end while the other idles: the modules that
    share a fixture and recalculate in LibreOffice, then the others that share a fixture,
    then the rest.  The order within a module is kept."""
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)

    def shares_a_fixture(item) -> bool:
        return any(defs and defs[-1].scope in ("module", "class", "package")
                   for defs in item._fixtureinfo.name2fixturedefs.values())

    def rank(module: str) -> tuple[int, int]:
        tests = modules[module]
        shared = any(shares_a_fixture(item) for item in tests)
        in_libreoffice = sum("libreoffice" in item.keywords for item in tests)
        return (0 if shared and in_libreoffice else 1 if shared else 2, -in_libreoffice)

    items[:] = [item for module in sorted(modules, key=rank) for item in modules[module]]


def pytest_sessionfinish(session):
    if _owns_the_run(session.config):
        from libreoffice import end_run

        session.config.stash[_LIBREOFFICE] = end_run()


_LIBREOFFICE = pytest.StashKey[dict]()


def pytest_terminal_summary(terminalreporter, config):
    """How much of the run was LibreOffice, all workers together (tests/soffice_run.py)."""
    used = config.stash.get(_LIBREOFFICE, None)
    if used and used["runs"]:
        cpu = "" if used["cpu"] is None else f" (the shared soffice's CPU: {used['cpu']:.1f} s)"
        copies = (f"; {used['copies']} more were the bytes of a file converted before:"
                  " its result copied" if used["copies"] else "")
        terminalreporter.write_line(
            f"LibreOffice: {used['runs']} soffice runs, {used['files']} files, "
            f"{used['seconds']:.1f} s{cpu}{copies}"
        )
