"""LibreOffice as the calculator and printer of the tests.

LibreOffice does not recalculate an .xlsx on loading by default: it trusts the cached
values, which for our files are the engine's own numbers.  A test that merely converted
the file would therefore prove nothing.  ``recalculate`` runs soffice with a private
profile whose setting "recalculate on load: always" is on, and the tests write their
workbooks with poisoned caches (every formula cached as 0) so a missed recalculation
shows up as a failure.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile() -> Path:
    profile = Path(tempfile.mkdtemp(prefix="xladdin-lo-profile-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    return profile


def convert(files: list[Path], out_dir: Path, to: str = "xlsx", timeout: int = 300) -> list[Path]:
    """Convert ``files`` with one soffice run (its start-up is the slow part)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `make test`, which installs it")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = _profile()
    try:
        subprocess.run(
            [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", to, "--outdir", str(out_dir), *map(str, files)],
            check=True, capture_output=True, timeout=timeout,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    results = [out_dir / (Path(f).stem + "." + to.split(":")[0]) for f in files]
    missing = [r for r in results if not r.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return results


def recalculate(files: list[Path], out_dir: Path) -> list[Path]:
    """Recalculated copies of ``files`` (as .xlsx, saved by LibreOffice) in ``out_dir``."""
    return convert(files, out_dir, "xlsx")


def render_png(file: Path, out_dir: Path, dpi: int = 80) -> list[Path]:
    """Print ``file`` to PDF with LibreOffice and turn the pages into PNGs (pdftoppm)."""
    [pdf] = convert([file], out_dir, "pdf")
    prefix = out_dir / file.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(out_dir.glob(f"{file.stem}-*.png"))
