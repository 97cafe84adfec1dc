"""What the tests of the Excel runtimes share (test_excel_lite, _serve, _desktop).

The published Phường 2 plan and the command line run as a user runs it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from xladdin import jobs
from xladdin.bundled import examples

FUNCTIONS = ["CHECK_SPLIT", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET"]


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "xladdin", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def published_plan(tmp_path_factory) -> Path:
    """The published Phường 2 plan, as `xladdin new-plan` writes it (each test module's
    ``plan`` fixture)."""
    example = next(e for e in examples() if e["folder"].startswith("phuong-2"))
    path, _plan, _warnings = jobs.new_plan(
        unit_code=example["unit_code"], unit_name=example["unit_name"], year=example["year"],
        out=tmp_path_factory.mktemp("plan") / "plan.xlsx", children_csv=example["children_csv"],
        targets_csv=example["targets_csv"], round_number=example["round"],
        parent_code=example.get("parent_code", ""))
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``xladdin serve`` running in its own process on 127.0.0.1 (never another address)."""

    def __init__(self, process: subprocess.Popen, port: int, log: Path, prefix: str = ""):
        self.process, self.port, self.log = process, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.prefix = prefix  # the secret path of --token, read from the server's output

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, body, headers: dict | None = None) -> tuple[int, object]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data,
            headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(folder: Path, *options: str, pythonpath: tuple[str, ...] = ()) -> Server:
    """Start ``xladdin serve`` on a free port of 127.0.0.1 and wait (bounded) until it answers."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*pythonpath, *sys.path]))
    log = folder / f"serve-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "xladdin", "serve", "--port", str(port),
                                    *options], stdout=output, stderr=subprocess.STDOUT,
                                   text=True, env=env)
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            if server.get("/")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait(timeout=20)
            pytest.fail(f"xladdin serve did not start:\n{server.log_text()}")
        time.sleep(0.2)
    return server


def stop_server(server: Server) -> str:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=20)
    return server.log_text()
