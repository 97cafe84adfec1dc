"""Recalculate a workbook the way Excel would on opening it: LibreOffice, headless.

``soffice --headless --convert-to xlsx --outdir DIR FILE`` loads the file, recalculates
every formula and writes a copy with fresh cached values, which openpyxl
(``data_only=True``) or python-calamine then read as "what the officer sees".

* Each test process uses its own LibreOffice profile
  (``-env:UserInstallation=file:///tmp/standin-lo-<pid>-…``): two soffice processes on
  one profile refuse to run together, so parallel test processes never share one, and
  calls within a process are serialised by a lock.
* The profile is created with ``OOXMLRecalcMode = 0`` ("always recalculate") so that a
  file whose cached values are stale (saved by Excel, then edited by openpyxl or by
  :func:`standin.apply_actions`) is recalculated too, not only formulas without a
  cached value.
* The input is never modified: the copy goes to ``out_dir`` (which must not be the
  input's folder) or, without one, to a fresh temporary folder that is left for the
  caller (pytest's ``tmp_path`` is a good ``out_dir``).  The profile is removed at exit.
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

TIMEOUT = 180.0

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

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
        _profile = Path(tempfile.mkdtemp(prefix=f"standin-lo-{os.getpid()}-"))
        user = _profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        atexit.register(shutil.rmtree, _profile, ignore_errors=True)
    return _profile


def recalc(xlsx_path: str | Path, out_dir: str | Path | None = None) -> Path:
    """A recalculated copy of ``xlsx_path`` (same file name, in ``out_dir`` or a temp dir)."""
    source = Path(xlsx_path).resolve()
    if not source.is_file():
        raise FileNotFoundError(source)
    executable = soffice()
    if executable is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed")
    target_dir = (
        Path(tempfile.mkdtemp(prefix="standin-recalc-")) if out_dir is None else Path(out_dir)
    )
    target_dir = target_dir.resolve()
    if target_dir == source.parent:
        raise ValueError("out_dir must not be the input's folder: the input would be overwritten")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / (source.stem + ".xlsx")
    with _lock:
        profile = _profile_dir()
        command = [
            executable,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(target_dir),
            str(source),
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
            raise LibreOfficeError(
                f"LibreOffice took longer than {TIMEOUT:g} s on {source}"
            ) from None
    if process.returncode != 0 or not target.is_file():
        raise LibreOfficeError(
            f"LibreOffice could not recalculate {source} (exit {process.returncode}):\n"
            f"{stdout}\n{stderr}"
        )
    return target
