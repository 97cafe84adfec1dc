"""Starting ``xladdin serve``: what is checked before the server process starts, and how.

xlwings decides its mode when first imported, so the server always runs in its own process
(``python -m xladdin.excel.server``) with ``XLWINGS_ON_SERVER=true``; this module checks
the options in the CLI's process (packages, certificate, a free port, a non-loopback host
only with https or an explicit ``--insecure``) and then becomes, or starts, that process.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path

from ..errors import SetupError, UsageError
from . import FUNCTIONS_MODULE, SCRIPTS_MODULE
from . import server_guard as guard

NEEDED = {"fastapi": "fastapi", "uvicorn": "uvicorn", "xlwings_server": "xlwings-server"}


def missing_packages() -> list[str]:
    return [pip for module, pip in NEEDED.items() if importlib.util.find_spec(module) is None]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


NON_LOOPBACK = ("CẢNH BÁO: «--host {host}» mở máy chủ cho mọi máy trong mạng; ai gửi được yêu "
                "cầu tới đây là chạy được các hàm và nút của xladdin. Chỉ dùng trong mạng nội bộ "
                "tin cậy, qua https (--cert/--key), nên kèm --token; xem docs/security.md.")


def command(host: str, port: int, *, certfile: str | None = None, keyfile: str | None = None,
            functions_module: str = FUNCTIONS_MODULE, scripts_module: str = SCRIPTS_MODULE,
            public_url: str | None = None, allowed_hosts: tuple[str, ...] = (),
            token: bool = False, insecure: bool = False) -> list[str]:
    """Check what can be checked before starting, and the command line of the server."""
    missing = missing_packages()
    if missing:
        raise SetupError("«xladdin serve» cần cài thêm: " + ", ".join(missing)
                           + " (lệnh: pip install \"xladdin[serve]\").")
    if bool(certfile) != bool(keyfile):
        raise UsageError("--cert và --key phải đi cùng nhau.")
    for path in filter(None, (certfile, keyfile)):
        if not Path(path).is_file():
            raise SetupError(f"không tìm thấy tệp chứng chỉ {path}.")
    problem = guard.public_url_error(public_url) if public_url else None
    if problem:
        raise UsageError(problem)
    if not guard.is_loopback(host):
        print(NON_LOOPBACK.format(host=host), file=sys.stderr, flush=True)
        if not certfile and not insecure:
            raise UsageError(f"--host {host} cần https: thêm --cert TỆP --key TỆP (hoặc "
                             "--insecure nếu máy chủ nằm sau một reverse proxy có https).")
        if host in ("0.0.0.0", "::") and not public_url:
            raise UsageError(f"--host {host} cần --public-url: địa chỉ các máy khác dùng để gọi "
                             "máy chủ này (ví dụ https://xladdin.huyen.gov.vn:8443), để tệp "
                             "manifest.xml trỏ đúng chỗ.")
    if not port_is_free(host, port):
        raise SetupError(f"cổng {port} trên {host} đang được dùng hoặc không mở được; "
                           "chọn cổng khác bằng --port.")
    line = [sys.executable, "-m", "xladdin.excel.server", "--host", host, "--port", str(port),
            "--functions-module", functions_module, "--scripts-module", scripts_module]
    if certfile and keyfile:
        line += ["--certfile", certfile, "--keyfile", keyfile]
    if public_url:
        line += ["--public-url", public_url]
    for name in allowed_hosts:
        line += ["--allowed-host", name]
    if token:
        line.append("--token")
    return line


def server_environment() -> dict[str, str]:
    env = dict(os.environ, XLWINGS_ON_SERVER="true", PYTHONIOENCODING="utf-8")
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    return env


def run(line: list[str]) -> int:
    """Start the server process; on POSIX this process becomes the server."""
    env = server_environment()
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(sys.executable, line, env)
    import subprocess

    process = subprocess.Popen(line, env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return 0


