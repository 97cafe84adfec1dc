"""LibreOffice as the calculator and printer of the tests.

LibreOffice does not recalculate an .xlsx on loading by default: it trusts the cached
values, which for our files are the engine's own numbers.  A test that merely converted
the file would therefore prove nothing.  Every conversion here runs soffice with a
private profile whose setting "recalculate on load: always" is on
(``OOXMLRecalcMode = 0``), and the tests write their workbooks with poisoned caches
(every formula cached as 0) so a missed recalculation shows up as a failure.

* One profile per test process (two soffice processes on one profile refuse to run
  together); calls within a process are serialised by a lock; the profile is removed
  at exit.
* Several files go through one soffice run (its start-up is the slow part).
* Inputs are never modified: copies go to ``out_dir``, which must not be their folder.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
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


def convert(files: list[Path], out_dir: Path, to: str = "xlsx") -> list[Path]:
    """Convert ``files`` (recalculated on load) with one soffice run; the copies' paths."""
    executable = soffice()
    if executable is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed: `make test` installs it")
    sources = [Path(f).resolve() for f in files]
    out_dir = Path(out_dir).resolve()
    if any(source.parent == out_dir for source in sources):
        raise ValueError("out_dir must not be an input's folder: the input would be overwritten")
    out_dir.mkdir(parents=True, exist_ok=True)
    with _lock:
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
