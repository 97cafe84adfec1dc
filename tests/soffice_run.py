"""The test run's one soffice, shared by all its processes, and what they spent in it.

A run (one ``pytest``, whatever its number of xdist workers) has one folder, named in
``XLADDIN_LIBREOFFICE_RUN`` by :func:`begin_run` in the process that owns the run (the
xdist controller, or the only process) before any worker starts, so every worker
inherits it.  In it:

* ``office.json``: the shared soffice (its UNO pipe and keeper), written by the first
  process that needs it while holding ``office.lock``: the others wait and connect to it;
  ``{"error": …}`` when it could not start (every process then falls back to
  ``soffice --convert-to``, once, rather than each retrying a start);
* ``usage-<pid>.json``: each process's soffice starts, files and busy intervals;
* ``office-cpu.json``: the CPU seconds the shared soffice used, written as it stops;
* ``conversions/``: what the shared soffice made of each input, by the input's SHA-256,
  so that the same bytes are not recalculated twice in a run;
* the profiles (a shared soffice and each ``--convert-to`` need one of their own).

:func:`end_run` (the owner, after the tests) stops the soffice, adds up the usage and
removes the folder.  Without :func:`begin_run` (a script importing tests/libreoffice.py)
a process owns a run of its own, ended at exit.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

RUN = "XLADDIN_LIBREOFFICE_RUN"
OWNER = "XLADDIN_LIBREOFFICE_OWNER"
WORKER = Path(__file__).with_name("_soffice_worker.py")

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# This process's part of the run: soffice processes started, files converted, and the
# (start, end) of each call on the system-wide monotonic clock, so that the owner can
# count the time LibreOffice was busy once however many workers waited on it together.
_usage: dict = {"runs": 0, "files": 0, "copies": 0, "spans": []}


def begin_run() -> None:
    """Name this run's folder (created when first needed) for this process and its workers."""
    folder = Path(tempfile.gettempdir()) / f"xladdin-lo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.environ[RUN], os.environ[OWNER] = str(folder), str(os.getpid())


def run_folder() -> Path:
    if RUN not in os.environ:
        begin_run()
        atexit.register(end_run)
    folder = Path(os.environ[RUN])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def profile(name: str) -> Path:
    """A soffice profile whose "recalculate on load" is "always"."""
    folder = run_folder() / name
    user = folder / "user"
    if not user.exists():
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return folder


def record(runs: int, files: int, started: float) -> None:
    _usage["runs"] += runs
    _usage["files"] += files
    _usage["spans"].append((started, time.monotonic()))
    _save_usage()


def _save_usage() -> None:
    target = run_folder() / f"usage-{os.getpid()}.json"
    target.with_suffix(".tmp").write_text(json.dumps(_usage), encoding="utf-8")
    target.with_suffix(".tmp").replace(target)


@contextmanager
def turn():
    """One conversion at a time on the shared soffice, whichever process asks: two
    documents loaded at once from two UNO connections can fail to open or hang (seen with
    LibreOffice 7.4), and soffice works on one at a time anyway."""
    with open(run_folder() / "turn.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def copy_of_an_earlier_conversion(source: Path, target: Path) -> bool:
    """Copy to ``target`` what the shared soffice made of the same bytes earlier in the run
    (the stand-in sends one unchanged book to several buttons, each recalculated first):
    LibreOffice's result depends only on the bytes, so it is not asked twice."""
    earlier = _earlier(source, target.suffix)
    if not earlier.exists():
        return False
    shutil.copyfile(earlier, target)
    _usage["copies"] += 1
    _save_usage()
    return True


def remember_conversion(source: Path, target: Path) -> None:
    earlier = _earlier(source, target.suffix)
    earlier.parent.mkdir(exist_ok=True)
    shutil.copyfile(target, earlier.with_suffix(".part"))
    earlier.with_suffix(".part").replace(earlier)


def _earlier(source: Path, suffix: str) -> Path:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return run_folder() / "conversions" / f"{digest}{suffix}"


def shared_office(executable: str, bridge_python: str) -> str:
    """The UNO pipe of the run's soffice, started here if no process has yet."""
    folder = run_folder()
    with open(folder / "office.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state_file = folder / "office.json"
        if state_file.exists():
            state = json.loads(state_file.read_text(encoding="utf-8"))
        else:
            state = _start_keeper(executable, bridge_python, folder)
            state_file.write_text(json.dumps(state), encoding="utf-8")
    if "pipe" not in state:
        raise RuntimeError(state.get("error", "LibreOffice did not start"))
    return state["pipe"]


def _start_keeper(executable: str, bridge_python: str, folder: Path) -> dict:
    pipe = f"xladdin-tests-{folder.name}"
    started = time.monotonic()
    keeper = subprocess.Popen(
        [bridge_python, str(WORKER), "keep", executable, profile("office").as_uri(), pipe,
         os.environ[OWNER], str(folder / "office-cpu.json")],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    with keeper.stdout:
        answer = json.loads(keeper.stdout.readline() or "{}")
    keeper.wait()  # the keeper's first process: the keeper itself runs on, detached
    record(1, 0, started)
    if answer.get("ready") is not True:
        _kill_group(keeper.pid)  # whatever of it started
        return {"error": "LibreOffice did not start"}
    return {"pipe": pipe, "keeper": answer["keeper"], "group": keeper.pid}


def _stop(pid: int, group: int, said_done: Path) -> None:
    """SIGTERM the keeper (it closes soffice, then writes ``said_done``) and wait for it;
    SIGKILL its process group after 30 s."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if said_done.exists() or not _alive(pid):
            return
        time.sleep(0.05)
    _kill_group(group)


def _kill_group(group: int) -> None:
    """SIGKILL the keeper's process group (the keeper, soffice and its splash)."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def end_run() -> dict | None:
    """Stop the run's soffice and remove its folder: the usage of every process, or None."""
    folder = Path(os.environ.pop(RUN, ""))
    os.environ.pop(OWNER, None)
    if not folder.name or not folder.is_dir():
        return None
    try:
        state_file, cpu_file = folder / "office.json", folder / "office-cpu.json"
        if state_file.exists():
            state = json.loads(state_file.read_text(encoding="utf-8"))
            if "keeper" in state:
                _stop(state["keeper"], state["group"], cpu_file)
        usages = [json.loads(f.read_text(encoding="utf-8")) for f in folder.glob("usage-*.json")]
        cpu = json.loads(cpu_file.read_text(encoding="utf-8"))["cpu"] if cpu_file.exists() else None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not usages:
        return None
    return {
        "runs": sum(u["runs"] for u in usages),
        "files": sum(u["files"] for u in usages),
        "seconds": _covered([tuple(span) for u in usages for span in u["spans"]]),
        "copies": sum(u["copies"] for u in usages),
        "cpu": cpu,
    }


def _covered(spans: list[tuple[float, float]]) -> float:
    """Seconds within at least one span (two workers waiting together count once)."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total
