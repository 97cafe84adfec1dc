"""LibreOffice as the calculator and printer of the tests.

LibreOffice does not recalculate an .xlsx on loading by default: it trusts the cached
values, which for our files are the engine's own numbers.  A test that merely converted
the file would therefore prove nothing.  Every conversion here runs soffice with a
private profile whose setting "recalculate on load: always" is on
(``OOXMLRecalcMode = 0``), and the tests write their workbooks with poisoned caches
(every formula cached as 0) so a missed recalculation shows up as a failure.

* One soffice per test run, shared by every process of the run (pytest-xdist's workers):
  the first conversion starts it (under a file lock, in the run's folder that conftest
  names in ``XLADDIN_LIBREOFFICE_RUN`` before the workers start) and each process drives
  it through its own Python-UNO bridge (Debian's python3-uno) in tests/_soffice_worker.py;
  its start-up was most of the tests' LibreOffice time (27 starts a run).  conftest stops
  it after the run and reports what all the processes spent (``end_run``).  Where the
  bridge is not there, or ``XLADDIN_SOFFICE=subprocess``, each call runs
  ``soffice --convert-to`` (several files per run) as before.
* The same bytes are recalculated once a run: a file identical to one converted before
  gets a copy of that result (the conftest summary counts them).
* One profile per soffice (two soffice processes on one profile refuse to run together);
  calls within a process are serialised by a lock; the run's folder is removed at the end.
* Inputs are never modified: copies go to ``out_dir``, which must not be their folder.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import soffice_run

TIMEOUT = 300.0
_FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export"}

_lock = threading.Lock()


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, failed, timed out or wrote no file."""


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class _Office:
    """This process's line to the run's one soffice: tests/_soffice_worker.py under the
    Python that has the UNO bridge (a process of its own: ``import uno`` hooks every
    import)."""

    BRIDGE_PYTHON = "/usr/bin/python3"
    KINDS = ("xlsx", "pdf")

    def __init__(self, executable: str):
        check = subprocess.run([self.BRIDGE_PYTHON, "-c", "import uno"], capture_output=True,
                               timeout=60, check=False)
        if check.returncode != 0:
            raise LibreOfficeError("no Python-UNO bridge")
        pipe = soffice_run.shared_office(executable, self.BRIDGE_PYTHON)
        self.process = subprocess.Popen(
            [self.BRIDGE_PYTHON, str(soffice_run.WORKER), "serve", pipe],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
        )
        atexit.register(self.stop)
        if json.loads(self.process.stdout.readline() or "{}").get("ready") is not True:
            self.stop()
            raise LibreOfficeError("LibreOffice did not answer")

    def convert(self, source: Path, target: Path, to: str) -> None:
        request = {"source": str(source), "target": str(target), "to": to}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"error": "worker died"}')
        if "error" in answer:
            raise LibreOfficeError(f"LibreOffice: {answer['error']}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=20)
            except Exception:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


_office: _Office | None | bool = None  # False: no shared soffice here, use --convert-to


def _running_office(executable: str) -> _Office | None:
    global _office
    if _office is None:
        if os.environ.get("XLADDIN_SOFFICE") == "subprocess":
            _office = False
        else:
            try:
                _office = _Office(executable)
            except Exception:
                _office = False
    return _office or None


def end_run() -> dict | None:
    """After the tests (the run's owner): stop the run's soffice; what every process of
    the run spent in LibreOffice (soffice starts, files, busy seconds, soffice's CPU)."""
    with _lock:
        if _office:
            _office.stop()
        return soffice_run.end_run()


def convert(files: list[Path], out_dir: Path, to: str = "xlsx") -> list[Path]:
    """Convert ``files`` (recalculated) with the test run's soffice; the copies' paths."""
    global _office
    executable = soffice()
    if executable is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed: `make test` installs it")
    sources = [Path(f).resolve() for f in files]
    out_dir = Path(out_dir).resolve()
    if any(source.parent == out_dir for source in sources):
        raise ValueError("out_dir must not be an input's folder: the input would be overwritten")
    out_dir.mkdir(parents=True, exist_ok=True)
    with _lock:
        office = _running_office(executable) if to in _Office.KINDS else None
        if office is not None:
            try:
                for source in sources:
                    target = out_dir / f"{source.stem}.{to}"
                    if soffice_run.copy_of_an_earlier_conversion(source, target):
                        continue
                    with soffice_run.turn():
                        started = time.monotonic()
                        try:
                            office.convert(source, target, to)
                        finally:
                            soffice_run.record(0, 1, started)
                    soffice_run.remember_conversion(source, target)
                return [out_dir / f"{source.stem}.{to}" for source in sources]
            except Exception:  # the office failed: this call and the next ones run soffice
                office.stop()
                _office = False
        return _convert_with_a_new_soffice(executable, sources, out_dir, to)


def _convert_with_a_new_soffice(executable: str, sources: list[Path], out_dir: Path,
                                to: str) -> list[Path]:
    profile = soffice_run.profile(f"profile-{os.getpid()}")
    command = [
        executable,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        _FILTERS.get(to, to),
        "--outdir",
        str(out_dir),
        *map(str, sources),
    ]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise LibreOfficeError(f"LibreOffice took longer than {TIMEOUT:g} s") from None
    finally:
        soffice_run.record(1, len(sources), started)
    results = [out_dir / f"{source.stem}.{to}" for source in sources]
    missing = [r for r in results if not r.is_file()]
    if process.returncode != 0 or missing:
        raise LibreOfficeError(f"LibreOffice did not write {missing} (exit {process.returncode}):\n"
                               f"{stdout}\n{stderr}")
    return results


def recalculate(files: list[Path], out_dir: Path) -> list[Path]:
    """Recalculated copies of ``files`` (as .xlsx saved by LibreOffice) in ``out_dir``."""
    return convert(files, out_dir, "xlsx")


def recalc(xlsx_path: str | Path, out_dir: str | Path | None = None) -> Path:
    """One recalculated copy (same file name, in ``out_dir`` or a new temporary folder)."""
    source = Path(xlsx_path)
    if not source.is_file():
        raise FileNotFoundError(source)
    target_dir = (
        Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="xladdin-recalc-"))
    )
    return convert([source], target_dir, "xlsx")[0]


def render_png(file: Path, out_dir: Path, dpi: int = 80) -> list[Path]:
    """Print ``file`` to PDF with LibreOffice and turn its pages into PNGs (pdftoppm)."""
    [pdf] = convert([file], out_dir, "pdf")
    prefix = Path(out_dir) / Path(file).stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120
    )
    return sorted(Path(out_dir).glob(f"{Path(file).stem}-*.png"))
