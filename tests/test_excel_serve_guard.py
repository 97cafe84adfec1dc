"""``xladdin serve`` as an attacker meets it: requests posted to a RUNNING server (uvicorn on
127.0.0.1, never any other address), each refused or answered within seconds, and the
server still answers the next caller.  Bounded loops and timeouts only.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from excel_runtimes import run_cli, start_server, stop_server
from standin import encode_argument, function_payload

CALL = "/xlwings/custom-functions-call"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("guard"))
    yield server
    stop_server(server)
    # SIGTERM stops it after all of the above (uvicorn shuts down gracefully, then lets the
    # signal end the process: -15), never needing stop_server's kill after 20 s (-9).
    assert server.process.returncode in (0, -15)


def split_call(total, weights, method=None):
    return function_payload("SPLIT_TARGET", [[[total]], encode_argument(weights),
                                             None if method is None else [[method]], None])


def still_up(server) -> None:
    """The next caller is answered (every request here has a timeout: a hang fails)."""
    status, answer = server.post(CALL, split_call(10, [[1, 1]]))
    assert (status, answer) == (200, {"result": [[5, 5]]})


def raw_request(server, head: str, body: bytes = b"", chunk: int = 1 << 20) -> tuple[int, str]:
    """Send a request byte by byte as a client would (the server may answer before the whole
    body is sent) and read the status line and body of the answer; bounded by timeouts."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as connection:
        connection.sendall(head.encode("latin-1"))
        try:
            for start in range(0, len(body), chunk):
                connection.sendall(body[start:start + chunk])
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused early: the answer is already waiting
        answer = b""
        try:
            while len(answer) < 1 << 16:
                data = connection.recv(65536)
                if not data:
                    break
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[-1].decode("utf-8", "replace")


def test_a_cross_site_text_plain_post_is_refused_and_nothing_runs(server):
    """What any web page can send without a preflight: text/plain, with its own Origin."""
    body = json.dumps(split_call(10, [[1, 1]]))
    status, answer = server.post(CALL, body.encode(), headers={
        "Content-Type": "text/plain;charset=UTF-8", "Origin": "https://evil.example"})
    assert status == 403 and "từ chối" in answer["detail"]
    status, answer = server.post(CALL, body.encode(), headers={"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in answer["detail"]
    status, answer = server.post(
        "/xlwings/custom-scripts-call/check_book",
        {"sheets": []},
        headers={"Origin": f"http://localhost.evil.example:{server.port}"},
    )
    assert status == 403
    # The add-in's own pages (same origin) are accepted.
    status, answer = server.post(CALL, split_call(10, [[1, 1]]),
                                 headers={"Origin": f"http://localhost:{server.port}"})
    assert (status, answer) == (200, {"result": [[5, 5]]})
    still_up(server)


def test_a_30_mb_body_is_refused_with_413_and_the_server_stays_up(server):
    body = b"[" + b"1," * (15 * 2**20) + b"1]"  # 30 MB of JSON
    head = (f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    status, answer = raw_request(server, head, body)
    assert status == 413 and "quá lớn" in json.loads(answer)["detail"]
    # Without a Content-Length (chunked), the limit holds while reading.
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                       for part in (body[i:i + 2**20] for i in range(0, len(body), 2**20)))
    head = (f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    status, answer = raw_request(server, head, chunked + b"0\r\n\r\n")
    assert status == 413
    still_up(server)


@pytest.mark.parametrize("total", [1e30, 10**15, "9" * 5000])
def test_a_huge_split_answers_at_once_with_a_vietnamese_note(server, total):
    status, answer = server.post(CALL, split_call(total, [[1, 1, 1]], "dhondt"))
    assert status == 400, answer
    assert "Tổng chỉ tiêu" in answer["detail"] and "Error" not in answer["detail"]
    still_up(server)


def test_a_split_over_a_million_weights_is_refused_by_the_cell_limit(server):
    status, answer = server.post(CALL, split_call(100, [[1]] * 1_000_000))
    assert status == 413 and "ô" in answer["detail"]
    still_up(server)


def test_a_large_exact_split_is_answered_exactly(server):
    """The biggest total allowed, by D'Hondt, in well under a second of work."""
    status, answer = server.post(CALL, split_call(10**12, [[1, 1, 1]], "dhondt"))
    assert status == 200 and answer == {"result": [[333333333334, 333333333333, 333333333333]]}


@pytest.mark.parametrize("host", ["evil.example", "a&b", "evil.example:80", "127.0.0.1.nip.io"])
def test_a_forged_host_is_refused_and_never_reaches_the_manifest(server, host):
    status, body = server.get("/manifest.xml", headers={"Host": host})
    assert status == 400 and b"evil" not in body and b"a&b" not in body
    status, body = server.get("/manifest.xml", headers={"X-Forwarded-Proto": "https",
                                                        "X-Forwarded-Host": "evil.example"})
    manifest = ET.fromstring(body)  # well-formed, from the configured public URL only
    urls = [e.get("DefaultValue") for e in manifest.iter() if e.get("DefaultValue")]
    assert all(u.startswith(f"http://localhost:{server.port}/") for u in urls if "://" in u)
    assert status == 200


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"func_name": 3, "args": []}',
                                  b'{"func_name": "SPLIT_TARGET"}', b"[" * 100_000])
def test_malformed_calls_get_400_in_vietnamese_and_no_traceback_in_the_log(server, body):
    before = server.log_text()
    status, answer = server.post(CALL, body)
    assert status == 400 and any(ord(c) > 127 for c in answer["detail"]), answer  # Vietnamese
    time.sleep(0.2)
    assert "Traceback" not in server.log_text()[len(before):]
    still_up(server)


@pytest.mark.parametrize("body", [b"{}", b'{"sheets": 5}', b'{"sheets": [{"values": 3}]}', b"[]",
                                  b'{"book": null, "sheets": []}'])
def test_malformed_workbooks_sent_to_a_button_get_400_and_no_traceback(server, body):
    before = server.log_text()
    status, answer = server.post("/xlwings/custom-scripts-call/check_book", body)
    assert status == 400, answer
    assert any(ord(c) > 127 for c in answer["detail"]) and "Error" not in answer["detail"]
    time.sleep(0.2)
    assert "Traceback" not in server.log_text()[len(before):]
    still_up(server)


def test_work_runs_off_the_event_loop_and_is_given_up_after_the_time_limit():
    """A call that computes too long answers 422 at the limit; meanwhile the event loop
    keeps answering others (the work is in a thread of its own)."""
    import asyncio

    from xladdin.excel.server_guard import Limits, Refused, Worker

    async def scenario():
        worker = Worker(Limits(time_limit=0.3))

        async def slow():
            time.sleep(4)  # blocking, as a CPU-bound computation is

        started = time.monotonic()
        ticks = 0

        async def ticker():
            nonlocal ticks
            while time.monotonic() - started < 0.4:
                ticks += 1
                await asyncio.sleep(0.05)

        results = await asyncio.gather(worker.run(slow), ticker(), return_exceptions=True)
        worker.close()
        return results[0], time.monotonic() - started, ticks

    refused, elapsed, ticks = asyncio.run(scenario())
    assert isinstance(refused, Refused) and refused.status == 422
    assert "giây" in refused.detail
    assert elapsed < 3 and ticks >= 2  # gave up at the limit, not after the work's 4 s


def test_a_trivial_call_never_waits_behind_big_abandoned_work():
    """Red team: three big calls that outlive the limit kept both threads busy and every
    trivial call after them waited 30 s.  Now small calls have their own lane, and while
    abandoned big work still runs, another big call is told at once to come back later."""
    import asyncio

    from xladdin.excel.server_guard import Limits, Refused, Worker

    async def scenario():
        worker = Worker(Limits(time_limit=0.3, light_cells=10, heavy_workers=1))

        async def slow():
            time.sleep(3)  # blocking, as xlwings converting 200,000 arguments is

        async def trivial():
            return "5,5"

        first = await asyncio.gather(worker.run(slow, size=100_000), return_exceptions=True)
        second = await asyncio.gather(worker.run(slow, size=100_000), return_exceptions=True)
        started = time.monotonic()
        answer = await worker.run(trivial, size=3)
        waited = time.monotonic() - started
        worker.close()
        return first[0], second[0], answer, waited

    first, second, answer, waited = asyncio.run(scenario())
    assert isinstance(first, Refused) and first.status == 422
    assert isinstance(second, Refused) and second.status == 503 and "bận" in second.detail
    assert answer == "5,5" and waited < 2  # not behind the 3 s of abandoned work


def test_a_function_call_is_bounded_by_what_the_function_takes(server):
    """SPLIT_TARGET takes at most 20,000 weights: more is refused before xlwings converts."""
    status, answer = server.post(CALL, split_call(10**12, [[1]] * 25_000, "huntington-hill"))
    assert status == 413 and "ô" in answer["detail"]
    still_up(server)


def test_a_wrong_number_of_arguments_is_a_400_without_traceback(server):
    before = server.log_text()
    payload = function_payload("SPLIT_TARGET", [[[25]]])  # Excel always sends every parameter
    status, answer = server.post(CALL, payload)
    assert status == 400 and answer["detail"].startswith("Yêu cầu gửi tới máy chủ không đúng")
    time.sleep(0.2)
    assert "Traceback" not in server.log_text()[len(before):]
    still_up(server)


def test_an_old_client_is_told_to_reload_the_task_pane(server):
    payload = {**split_call(10, [[1, 1]]), "client": "Excel.Desktop", "version": "0.0.1"}
    status, answer = server.post(CALL, payload)
    assert status == 400 and "Tải lại" in answer["detail"]


def test_the_token_puts_every_call_behind_a_secret_path(tmp_path):
    server = start_server(tmp_path, "--token", "--public-url", "https://xladdin.huyen.example")
    try:
        log = server.log_text()
        prefix = re.search(r"https://xladdin\.huyen\.example(/[\w-]+)/manifest\.xml", log).group(1)
        assert len(prefix) > 20
        assert server.get("/manifest.xml")[0] == 404
        assert server.post(CALL, split_call(10, [[1, 1]]))[0] == 404
        status, body = server.get(prefix + "/manifest.xml",
                                  headers={"Host": "xladdin.huyen.example"})
        assert status == 200
        urls = {e.get("DefaultValue") for e in ET.fromstring(body).iter() if e.get("DefaultValue")}
        assert f"https://xladdin.huyen.example{prefix}/taskpane.html" in urls
        status, answer = server.post(prefix + CALL, split_call(10, [[1, 1]]))
        assert (status, answer) == (200, {"result": [[5, 5]]})
        page = server.get(prefix + "/taskpane.html")[1].decode()
        assert f'"appPath": "{prefix}"' in page and f'src="{prefix}/xlwings/' in page
    finally:
        stop_server(server)


def test_answers_never_leak_the_secret_path_in_a_referer(server):
    request = urllib.request.Request(server.base + "/taskpane.html")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["ftp://xladdin.example", "https://xladdin.example/duong-dan",
                                 "https://", "https://a.example:99999"])
def test_a_public_url_that_is_no_origin_is_refused_before_starting(url):
    result = run_cli("serve", "--public-url", url, "--port", "1")
    assert result.returncode == 2 and "địa chỉ công khai" in result.stderr
    assert "Traceback" not in result.stderr


def test_only_literal_loopback_addresses_count_as_this_machine():
    from xladdin.excel.server_guard import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.5.6.7", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("127.0.0.1.nip.io", "0.0.0.0", "192.168.1.10",
                                            "localhost.evil.example", "127.evil"))


def test_a_network_host_needs_https_or_an_explicit_insecure():
    """Checked before anything binds: nothing listens on another address in this test."""
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "1")
    assert result.returncode == 2
    assert "CẢNH BÁO" in result.stderr and "--cert" in result.stderr
    assert "Traceback" not in result.stderr
    # Even with --insecure: the manifest must name an address the other machines can use.
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "1", "--insecure")
    assert result.returncode == 2 and "--public-url" in result.stderr
