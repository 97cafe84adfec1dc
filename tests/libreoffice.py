"""LibreOffice as the calculator and printer of the tests.

LibreOffice does not recalculate an .xlsx on loading by default: it trusts the cached
values, which for our files are the engine's own numbers.  A test that merely converted
the file would therefore prove nothing.  Every conversion here runs soffice with a
private profile whose setting "recalculate on load: always" is on
(``OOXMLRecalcMode = 0``), and the tests write their workbooks with poisoned caches
(every formula cached as 0) so a missed recalculation shows up as a failure.

* One soffice per test run: started at the first conversion and kept, driven through
  the Python-UNO bridge (Debian's python3-uno) in tests/_soffice_worker.py; its
  start-up was most of the tests' LibreOffice time (27 starts a run).  Where the bridge is not
  there, or ``XLADDIN_SOFFICE=subprocess``, each call runs ``soffice --convert-to``
  (several files per run) as before.
* One profile per test process (two soffice processes on one profile refuse to run
  together); calls within a process are serialised by a lock; the profile is removed
  at exit.
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

TIMEOUT = 300.0

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
_FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export"}

_lock = threading.Lock()
_profile: Path | None = None
# soffice runs and their seconds in this process: conftest reports them after the tests
# (LibreOffice start-up dominates the test time, so batch files into one run).
RUNS = {"runs": 0, "files": 0, "seconds": 0.0}


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, failed, timed out or wrote no file."""


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    global _profile
    if _profile is None or not _profile.exists():
        _profile = Path(tempfile.mkdtemp(prefix=f"xladdin-lo-{os.getpid()}-"))
        user = _profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        atexit.register(shutil.rmtree, _profile, ignore_errors=True)
    return _profile


class _Office:
    """The run's one soffice, driven by tests/_soffice_worker.py under the Python that
    has the UNO bridge (a process of its own: ``import uno`` hooks every import)."""

    BRIDGE_PYTHON = "/usr/bin/python3"
    KINDS = ("xlsx", "pdf")

    def __init__(self, executable: str):
        worker = Path(__file__).with_name("_soffice_worker.py")
        check = subprocess.run([self.BRIDGE_PYTHON, "-c", "import uno"], capture_output=True,
                               timeout=60, check=False)
        if check.returncode != 0:
            raise LibreOfficeError("no Python-UNO bridge")
        self.process = subprocess.Popen(
            [self.BRIDGE_PYTHON, str(worker), executable, _profile_dir().as_uri(),
             f"xladdin-tests-{os.getpid()}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
        )
        atexit.register(self.stop)
        RUNS["runs"] += 1
        if json.loads(self.process.stdout.readline() or "{}").get("ready") is not True:
            self.stop()
            raise LibreOfficeError("LibreOffice did not start")

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


_office: _Office | None | bool = None  # False: no UNO bridge here, use --convert-to


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
            started = time.monotonic()
            try:
                for source in sources:
                    office.convert(source, out_dir / f"{source.stem}.{to}", to)
                return [out_dir / f"{source.stem}.{to}" for source in sources]
            except Exception:  # the office failed: this call and the next ones run soffice
                office.stop()
                _office = False
            finally:
                RUNS["files"] += len(sources)
                RUNS["seconds"] += time.monotonic() - started
        return _convert_with_a_new_soffice(executable, sources, out_dir, to)


def _convert_with_a_new_soffice(executable: str, sources: list[Path], out_dir: Path,
                                to: str) -> list[Path]:
    command = [
        executable,
        f"-env:UserInstallation={_profile_dir().as_uri()}",
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
        RUNS["runs"] += 1
        RUNS["files"] += len(sources)
        RUNS["seconds"] += time.monotonic() - started
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
