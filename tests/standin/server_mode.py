"""Where xlwings runs in server mode: one long-lived worker process per test process.

Why a separate process
----------------------
``from xlwings import func, script, arg, ret`` is decided once, when ``xlwings`` is first
imported: with ``XLWINGS_ON_SERVER=true`` in the environment they are xlwings Server's
decorators (which record ``__xlfunc__``/``__xlscript__`` metadata and wrap scripts),
otherwise they are no-ops.  The rest of the test suite imports ``udfs`` and ``xlwings``
in normal mode and calls the functions as plain Python, so server mode cannot be switched
on in the test process itself, and a module imported once cannot be re-decorated.

So every server-mode run goes to a worker: ``python -u _worker.py`` started with
``XLWINGS_ON_SERVER=true`` and ``XLWINGS_LICENSE_KEY=noncommercial`` (unless a key is
already set), the test process's ``sys.path`` as ``PYTHONPATH`` (so it imports the same
``udfs`` and the same test modules) and JSON lines over pipes.  One worker serves a
whole test process (a pytest-xdist worker gets its own): it costs one interpreter start
(about half a second), after which a custom-function call is a round trip of a few
milliseconds.  A worker that died (a crash in user code that kills the interpreter) is
started again on the next request; :func:`shutdown` ends it and runs at exit.

Nothing here imports xlwings; the worker never imports the ``standin`` package.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

WORKER_SCRIPT = Path(__file__).with_name("_worker.py")
DEFAULT_TIMEOUT = 60.0


class WorkerError(RuntimeError):
    """The worker failed to start, died, timed out or answered something unreadable."""


class ServerSideError(RuntimeError):
    """An exception raised inside the worker (the server would answer HTTP 500)."""

    def __init__(self, type_name: str, message: str, traceback_text: str):
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.message = message
        self.traceback = traceback_text


def module_ref(module: ModuleType | str) -> dict[str, str | None]:
    """How the worker finds ``module``: its import name and, if known, its file."""
    if isinstance(module, str):
        loaded = sys.modules.get(module)
        file = getattr(loaded, "__file__", None) if loaded is not None else None
        return {"module": module, "file": file}
    return {"module": module.__name__, "file": getattr(module, "__file__", None)}


class ServerModeWorker:
    """A Python process in which xlwings runs as xlwings Server."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._meta_cache: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.stderr_path: Path | None = None

    # -- life cycle -------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["XLWINGS_ON_SERVER"] = "true"
        env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
        env["PYTHONIOENCODING"] = "utf-8"
        paths = [p or os.getcwd() for p in sys.path]
        paths = [p for p in dict.fromkeys(paths) if Path(p).exists()]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        return env

    def _start(self) -> None:
        import tempfile

        handle, name = tempfile.mkstemp(prefix="standin-worker-", suffix=".log")
        os.close(handle)
        self.stderr_path = Path(name)
        self._stderr = open(self.stderr_path, "w", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-u", str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            env=self._environment(),
            cwd=os.getcwd(),
        )
        self._meta_cache.clear()
        hello = self._exchange({"op": "hello"})
        if not hello.get("server_decorators"):
            self.close()
            raise WorkerError(
                "the worker imported xlwings without server decorators "
                "(XLWINGS_ON_SERVER was not honoured)"
            )
        self.xlwings_version = hello["xlwings_version"]

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait(timeout=5)
        finally:
            if process.stdout:
                process.stdout.close()
            self._stderr.close()
            if self.stderr_path is not None:
                self.stderr_path.unlink(missing_ok=True)

    def _stderr_tail(self, limit: int = 4000) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-limit:]
        except (OSError, AttributeError):
            return ""

    # -- requests ---------------------------------------------------------------------
    def _exchange(self, request: dict[str, Any]) -> dict[str, Any]:
        process = self._process
        assert process is not None and process.stdin and process.stdout
        try:
            process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            tail = self._stderr_tail()
            self.close()
            raise WorkerError(f"the worker is gone ({error}):\n{tail}") from None
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                tail = self._stderr_tail()
                self.close()
                raise WorkerError(f"no answer within {self.timeout:g} s:\n{tail}")
            ready, _, _ = select.select([process.stdout], [], [], remaining)
            if ready:
                break
        line = process.stdout.readline()
        if not line:
            process.wait(timeout=5)
            tail = self._stderr_tail()
            self.close()
            raise WorkerError(f"the worker died:\n{tail}")
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            raise WorkerError(f"unreadable answer from the worker: {line[:500]!r}") from None

    def request(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request; raise :class:`ServerSideError` if the worker reports one."""
        with self._lock:
            if not self._alive():
                self._start()
            answer = self._exchange(request)
        if not answer.get("ok"):
            raise ServerSideError(answer["type"], answer["message"], answer["traceback"])
        return answer

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """Like :meth:`request` but hand back a failure answer instead of raising."""
        with self._lock:
            if not self._alive():
                self._start()
            return self._exchange(request)

    def meta(self, module: ModuleType | str) -> dict[str, Any]:
        """``custom_functions_meta`` and ``custom_scripts_meta`` of ``module`` (cached)."""
        ref = module_ref(module)
        key = (ref["module"], ref["file"])
        if key not in self._meta_cache:
            self._meta_cache[key] = self.request({"op": "meta", **ref})
        return self._meta_cache[key]


_worker: ServerModeWorker | None = None
_worker_lock = threading.Lock()


def worker() -> ServerModeWorker:
    """The shared worker of this test process (started on first use)."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = ServerModeWorker()
        return _worker


def shutdown() -> None:
    """End the shared worker (also done at interpreter exit)."""
    global _worker
    with _worker_lock:
        if _worker is not None:
            _worker.close()
            _worker = None


atexit.register(shutdown)
