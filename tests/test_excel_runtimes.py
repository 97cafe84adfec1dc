"""The runtimes that bring xladdin into Excel: xlwings Lite, ``xladdin serve``, Windows desktop.

* Lite: ``xladdin lite`` adds the web-extension parts to the zip; the workbook still opens
  in python-calamine and LibreOffice; the embedded main.py is run the way Lite runs it
  (server-mode decorators, the package from the bundle, calamine and pywin32 blocked).
* serve: the server runs on 127.0.0.1 on a free port, in its own process, and gets the
  requests Excel's add-in posts (built with the stand-in's payload builders).
* desktop: ``xladdin excel install`` explains itself and exits 1 off Windows; its Windows
  steps run against a temporary profile; ``xladdin excel buttons`` writes an .xlsm.
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
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

import udfs
from libreoffice import convert, soffice
from standin import ExcelError, apply_actions, book_json, encode_argument, function_payload
from xladdin import jobs
from xladdin.bundled import examples
from xladdin.excel import BUTTONS, available_scripts, desktop, lite

FUNCTIONS = ["CHECK_SPLIT", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET"]
needs_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "xladdin", *args], capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The published Phường 2 plan, as `xladdin new-plan` writes it."""
    example = next(e for e in examples() if e["folder"].startswith("phuong-2"))
    path, _plan, _warnings = jobs.new_plan(
        unit_code=example["unit_code"], unit_name=example["unit_name"], year=example["year"],
        out=tmp_path_factory.mktemp("plan") / "plan.xlsx", children_csv=example["children_csv"],
        targets_csv=example["targets_csv"], round_number=example["round"],
        parent_code=example.get("parent_code", ""))
    return path


@pytest.fixture(scope="module")
def lite_plan(plan, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lite") / "plan-lite.xlsx"
    result = run_cli("lite", str(plan), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "xlwings Lite" in result.stdout
    return out


# -- xlwings Lite ---------------------------------------------------------------------------------
def test_lite_adds_the_web_extension_parts_and_leaves_everything_else_byte_identical(plan, lite_plan):
    before = {n: zipfile.ZipFile(plan).read(n) for n in zipfile.ZipFile(plan).namelist()}
    with zipfile.ZipFile(lite_plan) as archive:
        after = {n: archive.read(n) for n in archive.namelist()}
    added = sorted(set(after) - set(before))
    assert added == [lite.TASKPANES_RELS, lite.TASKPANES, lite.WEB_EXTENSION]
    changed = sorted(n for n in before if before[n] != after[n])
    assert changed == ["[Content_Types].xml", "_rels/.rels"]

    types = ET.fromstring(after["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/" + lite.TASKPANES] == "application/vnd.ms-office.webextensiontaskpanes+xml"
    assert overrides["/" + lite.WEB_EXTENSION] == "application/vnd.ms-office.webextension+xml"
    root_rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(after["_rels/.rels"])}
    assert root_rels[lite.REL_TASKPANES] == "xl/webextensions/taskpanes.xml"
    assert len({r.get("Id") for r in ET.fromstring(after["_rels/.rels"])}) == 4  # ids unique
    [pane_rel] = ET.fromstring(after[lite.TASKPANES_RELS])
    assert (pane_rel.get("Type"), pane_rel.get("Target")) == (lite.REL_WEBEXTENSION,
                                                              "webextension1.xml")
    r_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    assert ET.fromstring(after[lite.TASKPANES]).find(".//{*}webextensionref").get(r_ns) == \
        pane_rel.get("Id")

    extension = ET.fromstring(after[lite.WEB_EXTENSION])
    reference = extension.find("{*}reference")
    assert (reference.get("id"), reference.get("storeType")) == ("wa200008175", "OMEX")
    assert extension.find(".//{*}containsCustomFunctions") is not None
    values = {p.get("name"): json.loads(p.get("value")) for p in extension.iter()
              if p.tag.endswith("}property")}
    assert set(values) == {"main.py", "requirements.txt"}
    compile(values["main.py"], "main.py", "exec")
    assert values["main.py"].startswith(lite.MARKER)
    assert "from udfs import" in values["main.py"]
    requirements = values["requirements.txt"].lower()
    assert "xlwings==" in requirements
    assert "calamine" not in requirements and "pywin32" not in requirements


def test_lite_bundle_is_pure_python_without_calamine_or_the_command_line():
    names = set(lite.bundle_files())
    assert "udfs/planning.py" in names and "xladdin/engine/apportion.py" in names
    assert "workbooks/catalogue/indicators.csv" in names
    assert not [n for n in names if "calamine" in n or n.startswith(("xladdin/cli/",
                                                                     "xladdin/excel/"))]
    assert all(n.endswith((".py", ".csv", ".toml")) for n in names)


LITE_RUN = r'''
import asyncio, html, importlib.abc, json, re, sys, types, zipfile

class NotInPyodide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("python_calamine", "win32com", "pywintypes", "pythoncom",
                                  "win32api"):
            raise ImportError(f"{name} has no Pyodide wheel")

sys.meta_path.insert(0, NotInPyodide())
import xlwings as xw
import xlwings.server

with zipfile.ZipFile(sys.argv[1]) as archive:
    xml = archive.read("xl/webextensions/webextension1.xml").decode()
code = {n: json.loads(html.unescape(v))
        for n, v in re.findall(r'<we:property name="([^"]+)" value="([^"]*)"', xml)}["main.py"]
main = types.ModuleType("main")
sys.modules["main"] = main
exec(compile(code, "main.py", "exec"), main.__dict__)
payloads = json.loads(sys.stdin.read())
results = [asyncio.run(xlwings.server.custom_functions_call(p, main)) for p in payloads]
import xladdin
print(json.dumps({
    "functions": sorted(f["name"] for f in xlwings.server.custom_functions_meta(main)["functions"]),
    "scripts": sorted(s["function_name"] for s in xlwings.server.custom_scripts_meta(main)),
    "results": results,
    "xladdin_from": xladdin.__file__,
    "calamine_loaded": sorted(m for m in sys.modules
                              if m.startswith(("python_calamine", "xladdin.grid.calamine"))),
}))
'''


def test_lite_main_py_runs_as_lite_runs_it_without_calamine_or_pywin32(lite_plan, tmp_path):
    runner = tmp_path / "run_like_lite.py"
    runner.write_text(LITE_RUN, encoding="utf-8")
    payloads = [
        function_payload("SPLIT_TARGET", [[[25]], encode_argument([[4, 10, 10, 5, 11]]), None, None]),
        function_payload("REMAINING", [[[46]], [["hai mươi"]], None]),
    ]
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH="")
    result = subprocess.run([sys.executable, str(runner), str(lite_plan)], input=json.dumps(payloads),
                            capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["functions"] == FUNCTIONS
    assert report["scripts"] == sorted(available_scripts())
    assert ".zip" in report["xladdin_from"]  # imported from the bundle, not the source tree
    assert report["calamine_loaded"] == []
    assert report["results"][0] == [[3, 6, 6, 3, 7]]
    assert report["results"][1][0][0].startswith("#VALUE! Đã thực hiện")


@needs_libreoffice
def test_lite_and_button_workbooks_still_open_in_calamine_and_libreoffice(plan, lite_plan, tmp_path):
    buttons = desktop.add_buttons(plan, tmp_path / "plan.xlsm")
    original = CalamineWorkbook.from_path(str(plan))
    for changed in (lite_plan, buttons):
        reopened = CalamineWorkbook.from_path(str(changed))
        assert reopened.sheet_names == original.sheet_names
        assert (reopened.get_sheet_by_name("Kế hoạch").to_python()
                == original.get_sheet_by_name("Kế hoạch").to_python())
    copies = convert([lite_plan, buttons], tmp_path / "lo")  # one LibreOffice run for both
    for copy in copies:
        assert openpyxl.load_workbook(copy).sheetnames == openpyxl.load_workbook(plan).sheetnames


def test_lite_never_touches_the_input_and_updates_its_own_embedding(plan, lite_plan, tmp_path):
    before = plan.read_bytes()
    default = run_cli("lite", str(plan))  # default output: plan-lite.xlsx beside the input
    assert default.returncode == 0, default.stderr
    assert plan.read_bytes() == before
    assert plan.with_name("plan-lite.xlsx").is_file()
    plan.with_name("plan-lite.xlsx").unlink()

    again = tmp_path / "again.xlsx"
    again.write_bytes(lite_plan.read_bytes())
    result = run_cli("lite", str(again), "--in-place")
    assert result.returncode == 0, result.stderr
    names = zipfile.ZipFile(again).namelist()
    assert names.count(lite.WEB_EXTENSION) == 1 and len(names) == len(set(names))
    types = zipfile.ZipFile(again).read("[Content_Types].xml").decode()
    assert types.count(lite.WEB_EXTENSION) == 1
    assert lite.embedded(again)["main.py"].startswith(lite.MARKER)
    assert not list(tmp_path.glob(".xladdin-*"))  # no temporary file left behind


def test_lite_refuses_a_workbook_with_other_web_extension_code(lite_plan, tmp_path):
    foreign = tmp_path / "foreign.xlsx"
    with zipfile.ZipFile(lite_plan) as source, zipfile.ZipFile(foreign, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == lite.WEB_EXTENSION:
                data = data.replace(json.dumps(lite.MARKER)[1:-1].encode(), b"import xlwings")
            target.writestr(name, data)
    before = foreign.read_bytes()
    result = run_cli("lite", str(foreign), "--out", str(tmp_path / "out.xlsx"))
    assert result.returncode == 1
    assert "tiện ích web" in result.stderr and "Traceback" not in result.stderr
    assert foreign.read_bytes() == before and not (tmp_path / "out.xlsx").exists()


def test_lite_on_a_file_that_is_not_a_workbook_exits_1(tmp_path):
    text = tmp_path / "ghi-chu.xlsx"
    text.write_text("không phải Excel", encoding="utf-8")
    result = run_cli("lite", str(text))
    assert result.returncode == 1
    assert "không phải là bảng tính Excel" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("lite", str(text), "--out", "a.xlsx", "--in-place").returncode == 2


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, body) -> tuple[int, object]:
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "tiny_excel_scripts.py").write_text(TINY_SCRIPTS, encoding="utf-8")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(folder), *sys.path]))
    process = subprocess.Popen(
        [sys.executable, "-m", "xladdin", "serve", "--port", str(port),
         "--scripts-module", "tiny_excel_scripts"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    server = Server(process, port)
    deadline = time.monotonic() + 45
    while True:
        try:
            if server.get("/")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"xladdin serve did not start:\n{process.communicate()[0]}")
        time.sleep(0.2)
    yield server
    process.terminate()
    output = process.communicate(timeout=20)[0]
    assert "PolyForm Noncommercial" in output  # the licence is said when it starts


def test_serve_manifest_points_at_pages_the_server_serves(server):
    status, body = server.get("/manifest.xml")
    assert status == 200
    manifest = ET.fromstring(body)
    assert manifest.find("{*}Id").text == "70e9be44-7cd4-5d9b-8564-414d23559323"
    urls = {e.get("DefaultValue") for e in manifest.iter() if
            (e.get("DefaultValue") or "").startswith("http")}
    assert f"{server.base}/taskpane.html" in urls
    assert f"{server.base}/xlwings/custom-functions-meta.json" in urls
    for url in urls:
        assert server.get(url.removeprefix(server.base))[0] == 200, url


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
def test_serve_bad_input_shows_a_readable_vietnamese_text_in_the_cell(server, name, args, word):
    status, answer = post_function(server, name, *args)
    [[shown]] = answer["result"]
    assert status == 200
    assert shown.startswith("#VALUE! ") and word in shown and "Traceback" not in shown


def test_serve_unknown_or_broken_function_calls_get_one_vietnamese_sentence(server):
    status, answer = server.post("/xlwings/custom-functions-call", function_payload("NOPE", []))
    assert (status, answer) == (404, {"detail": "Không có hàm «NOPE»."})
    status, answer = server.post("/xlwings/custom-functions-call", {"func_name": "REMAINING"})
    assert status == 500 and "Traceback" not in answer["detail"]
    assert answer["detail"].startswith("Lỗi không mong đợi")


def test_serve_runs_a_script_on_the_workbook_excel_sends(server, plan, tmp_path):
    meta = json.loads(server.get("/xlwings/custom-scripts-meta.json")[1])
    assert [entry["function_name"] for entry in meta] == ["crash", "refuse", "write_note"]
    payload = book_json(plan, "Kế hoạch")
    status, answer = server.post("/xlwings/custom-scripts-call/write_note",
                                 {**payload, "args": ["Xin chào"]})
    assert status == 200, answer
    applied = apply_actions(plan, answer, tmp_path / "after.xlsx")
    assert openpyxl.load_workbook(applied.path)["Kế hoạch"]["Z1"].value == "Xin chào"


def test_serve_failing_scripts_answer_vietnamese_and_change_nothing(server, plan):
    payload = book_json(plan, "Kế hoạch")
    status, answer = server.post("/xlwings/custom-scripts-call/refuse", payload)
    assert (status, answer) == (400, {"detail": "Không tìm thấy bảng Kế hoạch trong bảng tính này."})
    status, answer = server.post("/xlwings/custom-scripts-call/crash", payload)
    assert status == 500 and "ZeroDivisionError" not in answer["detail"]
    status, answer = server.post("/xlwings/custom-scripts-call/missing", payload)
    assert (status, answer) == (404, {"detail": "Không có nút «missing»."})


def test_serve_on_a_port_in_use_exits_1_in_vietnamese(server):
    result = run_cli("serve", "--port", str(server.port))
    assert result.returncode == 1
    assert f"cổng {server.port}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not available_scripts(), reason="xladdin.scripts does not exist yet")
def test_serve_runs_the_real_scripts_of_xladdin(plan, tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "xladdin", "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server = Server(process, port)
        for _ in range(200):
            try:
                status, body = server.get("/")
                break
            except OSError:
                time.sleep(0.2)
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
        process.terminate()
        process.wait(timeout=20)


# -- Windows desktop --------------------------------------------------------------------------------
def test_excel_install_off_windows_exits_1_with_a_vietnamese_explanation():
    result = run_cli("excel", "install")
    assert result.returncode == 1
    assert "Windows" in result.stderr and "xladdin lite" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_excel_install_steps_for_a_windows_user_without_admin_rights(tmp_path):
    home, appdata = tmp_path / "home", tmp_path / "AppData" / "Roaming"
    config = home / ".xlwings" / "xlwings.conf"
    config.parent.mkdir(parents=True)
    config.write_text('"LICENSE_KEY","noncommercial"\n"UDF MODULES","old"\n', encoding="utf-8")
    done = desktop.install(platform="win32", appdata=appdata, home=home,
                           interpreter=tmp_path / "python.exe")
    assert done.addin == appdata / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
    assert zipfile.is_zipfile(done.addin)
    lines = config.read_text(encoding="utf-8").splitlines()
    assert '"LICENSE_KEY","noncommercial"' in lines  # other settings are kept
    assert f'"INTERPRETER_WIN","{tmp_path / "python.exe"}"' in lines
    assert [line for line in lines if line.startswith('"UDF MODULES"')] == [
        f'"UDF MODULES","{";".join(done.udf_modules)}"']
    assert done.udf_modules[0] == "udfs"


def test_excel_buttons_write_an_xlsm_with_one_button_per_script(plan, tmp_path):
    before = plan.read_bytes()
    out = tmp_path / "plan.xlsm"
    result = run_cli("excel", "buttons", str(plan), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert plan.read_bytes() == before
    with zipfile.ZipFile(out) as archive:
        types = archive.read("[Content_Types].xml").decode()
        vml = archive.read("xl/drawings/vmlDrawing1.vml").decode()
        guide = archive.read("xl/worksheets/sheet3.xml").decode()
        rels = archive.read("xl/worksheets/_rels/sheet3.xml.rels").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'Extension="vml"' in types
    assert [f"[0]!{b.script}" for b in BUTTONS] == \
        [part.split("</x:FmlaMacro>")[0] for part in vml.split("<x:FmlaMacro>")[1:]]
    assert all(b.label in vml for b in BUTTONS)
    assert '<legacyDrawing r:id="rId1"/>' in guide and "vmlDrawing1.vml" in rels
    assert CalamineWorkbook.from_path(str(out)).sheet_names[:3] == ["Kế hoạch", "Đơn vị", "Hướng dẫn"]
    again = run_cli("excel", "buttons", str(out), "--out", str(tmp_path / "b.xlsm"))
    assert again.returncode == 1 and "Traceback" not in again.stderr
