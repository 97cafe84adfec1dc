"""``xladdin serve``: the server runs on 127.0.0.1 on a free port, in its own process, and
gets the requests Excel's add-in posts (built with the stand-in's payload builders).
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
import udfs
from xladdin.excel import BUTTONS, available_scripts

from excel_runtimes import FUNCTIONS, published_plan, run_cli, start_server, stop_server
from standin import (
    ActionError,
    ExcelError,
    apply_actions,
    book_json,
    encode_argument,
    function_payload,
)


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The published Phường 2 plan, as `xladdin new-plan` writes it."""
    return published_plan(tmp_path_factory)


# -- xladdin serve ---------------------------------------------------------------------------------
TINY_SCRIPTS = '''
import xlwings as xw
from xlwings import script

from xladdin.errors import InputError


@script
def write_note(book: xw.Book, text: str = "Đã chạy"):
    book.sheets.active["Z1"].value = text


@script
def refuse(book: xw.Book):
    raise InputError("Không tìm thấy bảng Kế hoạch trong bảng tính này.")


@script
def crash(book: xw.Book):
    return 1 / 0
'''


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "tiny_excel_scripts.py").write_text(TINY_SCRIPTS, encoding="utf-8")
    server = start_server(folder, "--scripts-module", "tiny_excel_scripts",
                          pythonpath=(str(folder),))
    yield server
    assert "PolyForm Noncommercial" in stop_server(server)  # the licence is said when it starts


def test_serve_manifest_points_at_pages_the_server_serves(server):
    status, body = server.get("/manifest.xml")
    assert status == 200
    manifest = ET.fromstring(body)
    assert uuid.UUID(manifest.find("{*}Id").text).version == 5  # one Id per public URL
    urls = {e.get("DefaultValue") for e in manifest.iter() if
            (e.get("DefaultValue") or "").startswith("http")}
    public = f"http://localhost:{server.port}"  # the default public URL, not the Host sent
    assert f"{public}/taskpane.html" in urls
    assert f"{public}/xlwings/custom-functions-meta.json" in urls
    for url in urls:
        assert server.get(url.removeprefix(public))[0] == 200, url


def test_serve_task_pane_has_one_button_per_script_and_its_javascript_is_served(server):
    status, body = server.get("/taskpane.html")
    page = body.decode()
    assert status == 200 and 'lang="vi"' in page
    for name in ("write_note", "refuse", "crash"):
        assert f'xw-click="{name}"' in page
    import re

    for source in re.findall(r'src="(/[^"]+)"', page):
        assert server.get(source)[0] == 200, source
    code = server.get("/xlwings/custom-functions-code.js")[1].decode()
    for name in FUNCTIONS:
        assert f'CustomFunctions.associate("{name}", {name});' in code


def test_serve_registers_every_function_with_vietnamese_help(server):
    status, meta = server.get("/xlwings/custom-functions-meta.json")
    functions = json.loads(meta)["functions"]
    assert status == 200 and sorted(f["name"] for f in functions) == FUNCTIONS
    assert all(any(ord(ch) > 127 for ch in f["description"]) for f in functions)


def post_function(server, name, *args):
    """One call as the add-in makes it: every parameter present, omitted ones null."""
    meta = json.loads(server.get("/xlwings/custom-functions-meta.json")[1])
    [function] = [f for f in meta["functions"] if f["name"] == name]
    encoded = [encode_argument(a) for a in args]
    encoded += [None] * (len(function["parameters"]) - len(encoded))
    return server.post("/xlwings/custom-functions-call", function_payload(name, encoded))


HAPPY = [
    ("SPLIT_TARGET", (25, [[4, 10, 10, 5, 11]])),
    ("SPLIT_TARGET", (40, [[4], [10], [10], [5], [11]], "dhondt")),
    ("REMAINING", (46, 25)),
    ("ROUND_TARGET", (100, 20, "50%")),
    ("PCT_DONE", (5, 10)),
    ("CHECK_SPLIT", (25, [[5, 5, 5, 5, 10]])),
]
BAD = [
    ("SPLIT_TARGET", (25, [[4, "mười", 10]]), "Trọng số thứ 2"),
    ("REMAINING", (46, ExcelError("#DIV/0!")), "#DIV/0!"),
    ("ROUND_TARGET", (100, 20, "một nửa"), "Tỷ lệ"),
    ("PCT_DONE", ("năm", 10), "Kết quả"),
    ("CHECK_SPLIT", (-3, [[1, 2]]), "Chỉ tiêu đợt"),
]


@pytest.mark.parametrize(("name", "args"), HAPPY)
def test_serve_every_function_answers_what_the_python_function_returns(server, name, args):
    status, answer = post_function(server, name, *args)
    expected = getattr(udfs, name)(*args)
    assert status == 200
    assert answer["result"] == (expected if isinstance(expected, list) else [[expected]])


@pytest.mark.parametrize(("name", "args", "word"), BAD)
def test_serve_bad_input_is_excel_value_error_with_a_vietnamese_note(server, name, args, word):
    """A 4xx with ``detail``: the add-in throws CustomFunctions.Error(invalidValue, detail),
    so the cell is a real #VALUE! and the reason is the note on its error flag."""
    status, answer = post_function(server, name, *args)
    assert status == 400, answer
    assert word in answer["detail"] and "Traceback" not in answer["detail"]
    assert "Error" not in answer["detail"]  # never a Python class name


def test_serve_unknown_or_broken_function_calls_get_one_vietnamese_sentence(server):
    status, answer = server.post("/xlwings/custom-functions-call", function_payload("NOPE", []))
    assert (status, answer) == (404, {"detail": "Không có hàm «NOPE»."})
    status, answer = server.post("/xlwings/custom-functions-call", {"func_name": "REMAINING"})
    assert status == 400 and answer["detail"].startswith("Yêu cầu gửi tới máy chủ không đúng")


@pytest.mark.libreoffice  # book_json recalculates the plan (formulas without values)
def test_serve_runs_a_script_on_the_workbook_excel_sends(server, plan, tmp_path):
    meta = json.loads(server.get("/xlwings/custom-scripts-meta.json")[1])
    assert [entry["function_name"] for entry in meta] == ["crash", "refuse", "write_note"]
    payload = book_json(plan, "Kế hoạch")
    status, answer = server.post("/xlwings/custom-scripts-call/write_note",
                                 {**payload, "args": ["Xin chào"]})
    assert status == 200, answer
    with pytest.raises(ActionError, match="protected sheet"):  # as Excel would refuse
        apply_actions(plan, answer, tmp_path / "refused.xlsx")
    applied = apply_actions(plan, answer, tmp_path / "after.xlsx", unprotect_first=True)
    assert openpyxl.load_workbook(applied.path)["Kế hoạch"]["Z1"].value == "Xin chào"


@pytest.mark.libreoffice  # book_json recalculates the plan (formulas without values)
def test_serve_failing_scripts_answer_vietnamese_and_change_nothing(server, plan):
    payload = book_json(plan, "Kế hoạch")
    status, answer = server.post("/xlwings/custom-scripts-call/refuse", payload)
    assert (status, answer) == (
        400,
        {"detail": "Không tìm thấy bảng Kế hoạch trong bảng tính này."},
    )
    status, answer = server.post("/xlwings/custom-scripts-call/crash", payload)
    assert status == 500 and "ZeroDivisionError" not in answer["detail"]
    status, answer = server.post("/xlwings/custom-scripts-call/missing", payload)
    assert (status, answer) == (404, {"detail": "Không có nút «missing»."})


def test_serve_on_a_port_in_use_exits_1_in_vietnamese(server):
    result = run_cli("serve", "--port", str(server.port))
    assert result.returncode == 1
    assert f"cổng {server.port}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.libreoffice  # book_json recalculates the plan (formulas without values)
def test_serve_runs_the_real_scripts_of_xladdin(plan, tmp_path):
    server = start_server(tmp_path)
    try:
        status, body = server.get("/")
        assert status == 200
        assert sorted(json.loads(body)["scripts"]) == sorted(available_scripts())
        page = server.get("/taskpane.html")[1].decode()
        for button in BUTTONS:
            if button.script in available_scripts():
                assert button.label in page
        status, answer = server.post("/xlwings/custom-scripts-call/check_book",
                                     book_json(plan, "Kế hoạch"))
        assert status == 200, answer
        applied = apply_actions(plan, answer, tmp_path / "checked.xlsx")
        assert "Kiểm tra" in openpyxl.load_workbook(applied.path).sheetnames
    finally:
        stop_server(server)


def test_a_server_started_outside_server_mode_says_so_in_vietnamese(monkeypatch, capsys):
    """`python -m xladdin.excel.server` without XLWINGS_ON_SERVER (not through `xladdin
    serve`): a SetupError with its own message and exit 1, not «unexpected error» and a
    crash log."""
    from xladdin.excel import server

    monkeypatch.delenv("XLWINGS_ON_SERVER", raising=False)
    written = []
    monkeypatch.setattr("xladdin.crash.crash_log", lambda text: written.append(text))
    assert server.main(["--port", "8765"]) == 1
    err = capsys.readouterr().err
    assert "XLWINGS_ON_SERVER=true" in err and "xladdin serve" in err
    assert "không mong đợi" not in err and not written
