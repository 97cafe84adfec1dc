"""What ``xladdin serve`` refuses before any Python of ours runs, and where it runs the rest.

A server left running on an officer's PC or a district machine is reachable by every web
page its users visit (a cross-site ``fetch``) and by everyone on the network, so:

* **Host** — only the names of this deployment are answered (no DNS rebinding: a page on
  ``evil.example`` resolving to 127.0.0.1 still sends ``Host: evil.example``);
* **Origin** — a browser request from any other site is refused (403);
* **Content-Type** — calls must be ``application/json`` (415): a cross-site form or a
  ``text/plain`` fetch, which browsers send without asking first, never reaches xlwings;
* **size** — a body over :attr:`Limits.max_body` (413) or a call carrying more than
  :attr:`Limits.max_cells` values (413);
* **time** — the work runs in a small pool of threads (the event loop keeps answering
  others) and an answer that takes over :attr:`Limits.time_limit` seconds is given up;
* **malformed calls** — 400 with one Vietnamese sentence, no traceback in the log: a
  client's mistake is not a server crash.

All refusals are JSON ``{"detail": "…"}`` in Vietnamese (the xlwings client shows
``detail`` to the officer).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import secrets
import threading
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..engine.numbers import thousands

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class Refused(Exception):
    """A call refused before (or instead of) running: an HTTP status and a Vietnamese sentence."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


@dataclass(frozen=True)
class Limits:
    max_body: int = 10 * 2**20  # bytes; a 5,000-row plan sent by Excel is ~2 MB of JSON
    max_cells: int = 200_000  # values in one button's workbook
    # values in one function call: SPLIT_TARGET takes at most MAX_UNITS (20,000) weights,
    # and xlwings converts every argument before our function can refuse anything
    max_function_cells: int = 20_100
    light_cells: int = 2_000  # calls this small have a lane of their own (never behind big ones)
    time_limit: float = 30.0  # seconds for one call's work
    workers: int = 2  # small calls computed at the same time; the others wait their turn
    heavy_workers: int = 2  # big calls at the same time (abandoned ones count until they end)
    bodies_in_flight: int = 64 * 2**20  # bytes of request bodies held at once, all callers
    body_timeout: float = 30.0  # seconds to send one body


@dataclass(frozen=True)
class Deployment:
    """Where this server is reached from, which names it answers to, and its limits."""

    public_url: str  # scheme://host[:port] Excel uses (manifest URLs are built from it)
    allowed_hosts: frozenset[str]  # host names answered (lowercase, without port)
    ports: frozenset[int]  # ports an allowed Origin may carry (public and bound)
    token: str = ""  # secret first path segment for every call ("" = none)
    limits: Limits = field(default_factory=Limits)

    @property
    def app_path(self) -> str:
        return f"/{self.token}" if self.token else ""

    @property
    def app_url(self) -> str:
        return self.public_url + self.app_path

    @property
    def manifest_id(self) -> str:
        """One add-in Id per deployment (per public URL), stable across restarts."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "xladdin:office-addin:" + self.public_url))


def public_url_error(url: str) -> str | None:
    """Why ``url`` cannot be the public URL (None when it can)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"địa chỉ công khai «{url}» phải có dạng https://tên-máy-chủ[:cổng]."
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return f"địa chỉ công khai «{url}» chỉ gồm giao thức, tên máy và cổng (không có đường dẫn)."
    try:
        _ = parts.port
    except ValueError:
        return f"cổng trong địa chỉ công khai «{url}» không hợp lệ."
    return None


def deployment(host: str, port: int, *, public_url: str | None = None, https: bool = False,
               extra_hosts: tuple[str, ...] = (), token: bool = False,
               limits: Limits | None = None) -> Deployment:
    """The deployment of a server bound to ``host:port``."""
    if public_url is None:
        name = "localhost" if is_loopback(host) or host in ("0.0.0.0", "::") else host
        public_url = f"{'https' if https else 'http'}://{_bracket(name)}:{port}"
    public_url = public_url.rstrip("/")
    parts = urlsplit(public_url)
    hosts = {(parts.hostname or "localhost").lower(), *(h.lower().strip("[]") for h in extra_hosts)}
    if is_loopback(host) or host in ("0.0.0.0", "::"):
        hosts |= LOOPBACK_NAMES
    if host not in ("0.0.0.0", "::"):
        hosts.add(host.lower().strip("[]"))
    public_port = parts.port or (443 if parts.scheme == "https" else 80)
    return Deployment(public_url=public_url, allowed_hosts=frozenset(hosts),
                      ports=frozenset({public_port, port}),
                      token=secrets.token_urlsafe(18) if token else "",
                      limits=limits or Limits())


def is_loopback(host: str) -> bool:
    """Only ``localhost`` and literal loopback addresses: a name such as
    ``127.0.0.1.nip.io`` may resolve to any address."""
    name = host.lower().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _bracket(name: str) -> str:
    return f"[{name}]" if ":" in name else name


def _host_name(value: str) -> str:
    """``Host``/netloc → lowercase host name without port (``[::1]:8000`` → ``::1``)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostAndOriginGuard:
    """ASGI middleware: unknown Host → 400, foreign Origin → 403, before any route runs."""

    def __init__(self, app, deployment: Deployment):
        self.app, self.deployment = app, deployment

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self.problem(headers)
        if problem is None:
            return await self.app(scope, receive, _with_headers(send))
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        await send_json(send, problem.status, problem.detail)

    def problem(self, headers: dict[str, str]) -> Refused | None:
        if _host_name(headers.get("host", "")) not in self.deployment.allowed_hosts:
            return Refused(400, "Tên máy chủ trong yêu cầu không thuộc máy chủ xladdin này.")
        origin = headers.get("origin")
        if origin is not None and not self.origin_allowed(origin):
            return Refused(403, "Trang web gửi yêu cầu không phải là tiện ích xladdin: bị từ chối.")
        return None

    def origin_allowed(self, origin: str) -> bool:
        parts = urlsplit(origin)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return (parts.scheme in ("http", "https") and parts.hostname is not None
                and parts.hostname.lower() in self.deployment.allowed_hosts
                and port in self.deployment.ports)


# The secret path of --token must not leave in a Referer; no content is guessed at.
_SAFE_HEADERS = [(b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff")]


def _with_headers(send):
    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *_SAFE_HEADERS]}
        await send(message)

    return sending


async def send_json(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyBudget:
    """Bytes of request bodies held at once, over every caller (the event loop's thread only)."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0


async def read_call(request, limits: Limits, budget: BodyBudget | None = None) -> dict:
    """The JSON object of a call, or :class:`Refused` (415, 413, 408, 503, 400)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise Refused(415, "Yêu cầu phải gửi dữ liệu JSON (Content-Type: application/json).")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limits.max_body):
        raise Refused(413, _too_big(limits))
    budget = budget or BodyBudget(limits.max_body)
    body = bytearray()

    async def receive() -> None:
        async for chunk in request.stream():
            if len(body) + len(chunk) > limits.max_body:
                raise Refused(413, _too_big(limits))
            if budget.used + len(chunk) > budget.limit:
                raise Refused(503, "Máy chủ đang nhận quá nhiều dữ liệu cùng lúc; hãy thử lại "
                              "sau ít phút.")
            budget.used += len(chunk)
            body.extend(chunk)

    try:
        await asyncio.wait_for(receive(), limits.body_timeout)
    except TimeoutError:
        raise Refused(408, "Dữ liệu gửi lên quá chậm nên đã dừng nhận; hãy thử lại.") from None
    finally:
        budget.used -= len(body)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise Refused(400, "Dữ liệu gửi lên không phải JSON hợp lệ.") from None
    if not isinstance(data, dict):
        raise Refused(400, "Dữ liệu gửi lên phải là một đối tượng JSON ({…}).")
    return data


def _too_big(limits: Limits) -> str:
    return (f"Dữ liệu gửi lên quá lớn (tối đa {limits.max_body // 2**20} MB): hãy chạy trên "
            "bảng tính nhỏ hơn hoặc dùng lệnh xladdin trên máy tính.")


def count_values(value: object, limit: int) -> int:
    """How many scalar values ``value`` holds (stops counting past ``limit``); no recursion."""
    count, stack = 0, [value]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        else:
            count += 1
    return count


def check_cells(value: object, limit: int) -> int:
    """How many values a call carries, or Refused(413) past ``limit``."""
    count = count_values(value, limit)
    if count > limit:
        raise Refused(413, f"Quá nhiều ô trong một lần gọi (tối đa {thousands(limit)} ô).")
    return count


class Worker:
    """Runs a call's work on threads, within the time limit, in two lanes.

    Small calls (at most ``light_cells`` values) have threads of their own, so a trivial
    ``SPLIT_TARGET`` never waits behind big ones.  A big call that outlives the time limit
    is answered 422 but cannot be stopped (a thread cannot be killed): it keeps its place
    in the big lane until it ends, and while that lane is full another big call is
    answered 503 at once instead of queueing behind it.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.light = ThreadPoolExecutor(max_workers=limits.workers,
                                        thread_name_prefix="xladdin-call")
        self.heavy = ThreadPoolExecutor(max_workers=limits.heavy_workers,
                                        thread_name_prefix="xladdin-big-call")
        self._lock = threading.Lock()
        self.heavy_running = 0

    async def run(self, work: Callable[[], Coroutine[Any, Any, Any]], size: int = 0) -> Any:
        """``await work()`` on a worker thread (its own event loop), or Refused(422/503)."""
        if size <= self.limits.light_cells:
            done = self.light.submit(lambda: asyncio.run(work()))
        else:
            with self._lock:
                if self.heavy_running >= self.limits.heavy_workers:
                    raise Refused(503, "Máy chủ đang bận với những yêu cầu lớn khác; hãy thử lại "
                                  "sau ít phút.")
                self.heavy_running += 1
            done = self.heavy.submit(lambda: asyncio.run(work()))
            done.add_done_callback(self._heavy_ended)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(done), self.limits.time_limit)
        except TimeoutError:
            raise Refused(422, f"Phép tính quá {self.limits.time_limit:g} giây nên đã dừng chờ: "
                          "hãy kiểm tra các số đã nhập hoặc chạy trên bảng tính nhỏ hơn.") from None

    def _heavy_ended(self, _future: object) -> None:
        with self._lock:
            self.heavy_running -= 1

    def close(self) -> None:
        self.light.shutdown(wait=False, cancel_futures=True)
        self.heavy.shutdown(wait=False, cancel_futures=True)
