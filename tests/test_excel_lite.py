"""xlwings Lite: ``xladdin lite`` adds the web-extension parts to the zip; the workbook still
opens in python-calamine and LibreOffice; the embedded main.py is run the way Lite runs it
(server-mode decorators, the package from the bundle, calamine and pywin32 blocked).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xladdin.excel import available_scripts, desktop, lite

from excel_runtimes import FUNCTIONS, published_plan, run_cli
from libreoffice import convert
from standin import encode_argument, function_payload


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The published Phường 2 plan, as `xladdin new-plan` writes it."""
    return published_plan(tmp_path_factory)


@pytest.fixture(scope="module")
def lite_plan(plan, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lite") / "plan-lite.xlsx"
    result = run_cli("lite", str(plan), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "xlwings Lite" in result.stdout
    return out


# -- xlwings Lite ---------------------------------------------------------------------------------
def test_lite_adds_the_web_extension_parts_and_leaves_everything_else_byte_identical(
    plan, lite_plan
):
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
    # The six settings of a workbook saved by xlwings Lite, in its order.
    assert list(values) == ["xlwingsWorkbookId", "pyodideVersion", "addinVersion", "main.py",
                            "requirements.txt", "xlwingsSettingsWorkbook"]
    assert uuid.UUID(values["xlwingsWorkbookId"]).version == 4
    assert values["xlwingsSettingsWorkbook"] == {"startupBehavior": "taskpane"}
    compile(values["main.py"], "main.py", "exec")
    assert values["main.py"].startswith(lite.MARKER)
    assert "from udfs import" in values["main.py"]
    requirements = values["requirements.txt"].lower()
    assert "==" not in requirements  # no exact pins (the Lite docs advise against them)
    assert "xlwings" in requirements and "xlsxwriter" in requirements
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
def call(payload):  # as xlwings Lite's wasm runtime does: an exception becomes {"error"}
    try:
        return asyncio.run(xlwings.server.custom_functions_call(payload, main))
    except Exception as e:
        return {"error": str(e)}
results = [call(p) for p in payloads]
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
        function_payload(
            "SPLIT_TARGET", [[[25]], encode_argument([[4, 10, 10, 5, 11]]), None, None]
        ),
        function_payload("REMAINING", [[[46]], [["hai mươi"]], None]),
    ]
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH="")
    result = subprocess.run(
        [sys.executable, str(runner), str(lite_plan)],
        input=json.dumps(payloads),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["functions"] == FUNCTIONS
    assert report["scripts"] == sorted(available_scripts())
    assert ".zip" in report["xladdin_from"]  # imported from the bundle, not the source tree
    assert report["calamine_loaded"] == []
    assert report["results"][0] == [[3, 6, 6, 3, 7]]
    assert report["results"][1]["error"].startswith("Đã thực hiện")  # #VALUE! with this note


@pytest.mark.libreoffice
def test_lite_and_button_workbooks_still_open_in_calamine_and_libreoffice(
    plan, lite_plan, tmp_path
):
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
    assert not list(tmp_path.glob(".*xladdin-*"))  # no temporary file left behind
    # The workbook keeps its identity across updates.
    assert (
        lite.embedded(again)["xlwingsWorkbookId"] == lite.embedded(lite_plan)["xlwingsWorkbookId"]
    )


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
    assert "không phải tệp Excel" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("lite", str(text), "--out", "a.xlsx", "--in-place").returncode == 2


def test_lite_files_get_the_usual_rights_and_in_place_keeps_the_file_s_own(plan, tmp_path):
    """0644 under the usual umask 022 (not 0600); --in-place keeps a shared file's 0664."""
    old = os.umask(0o022)
    try:
        out = lite.embed(plan, tmp_path / "shared.xlsx")
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o664)
        lite.embed(out, in_place=True)
        assert stat.S_IMODE(out.stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_lite_check_tells_whether_a_re_saved_workbook_still_carries_the_code(lite_plan, plan,
                                                                             tmp_path):
    result = run_cli("lite", "--check", str(lite_plan))
    assert result.returncode == 0 and "còn đủ mã xladdin" in result.stdout
    for workbook in (plan, _resaved_by_openpyxl(lite_plan, tmp_path / "openpyxl.xlsx")):
        result = run_cli("lite", "--check", str(workbook))
        assert result.returncode == 1, result.stdout
        assert "KHÔNG còn dùng được" in result.stderr and "xladdin lite" in result.stderr
        assert "Traceback" not in result.stderr
    cut = tmp_path / "cut.xlsx"  # main.py shortened by hand: the hash tells
    with zipfile.ZipFile(lite_plan) as source, zipfile.ZipFile(cut, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == lite.WEB_EXTENSION:
                values = lite.properties(data)
                values["main.py"] = re.sub(r'\n    "[A-Za-z0-9+/=]{96}"', "", values["main.py"],
                                           count=1)
                data = lite.web_extension_xml(values)
            target.writestr(name, data)
    result = run_cli("lite", "--check", str(cut))
    assert result.returncode == 1 and "dấu kiểm" in result.stderr


def _resaved_by_openpyxl(source: Path, out: Path) -> Path:
    openpyxl.load_workbook(source).save(out)
    return out


@pytest.mark.libreoffice
def test_lite_check_on_a_libreoffice_re_save(lite_plan, tmp_path):
    [copy] = convert([lite_plan], tmp_path / "lo")
    result = run_cli("lite", "--check", str(copy))
    assert result.returncode == 1 and "KHÔNG còn dùng được" in result.stderr


def test_lite_main_py_never_uses_a_bundle_planted_in_the_temp_folder(lite_plan, tmp_path):
    main = lite.embedded(lite_plan)["main.py"]
    sha = re.search(r'_SHA256 = "([0-9a-f]{64})"', main).group(1)
    temp = tmp_path / "temp"
    temp.mkdir()
    planted = temp / f"xladdin-{sha[:16]}.zip"
    with zipfile.ZipFile(planted, "w") as archive:  # someone else's "xladdin"
        archive.writestr("udfs/__init__.py", "raise SystemExit('planted code ran')\n")
    runner = tmp_path / "run.py"
    runner.write_text("import sys, types\nmain = types.ModuleType('main')\n"
                      "exec(compile(sys.stdin.read(), 'main.py', 'exec'), main.__dict__)\n"
                      "print(main.SPLIT_TARGET(10, [[1, 1]]))\n", encoding="utf-8")
    env = dict(os.environ, TMPDIR=str(temp), PYTHONPATH="", XLWINGS_LICENSE_KEY="noncommercial")
    result = subprocess.run([sys.executable, str(runner)], input=main, capture_output=True,
                            text=True, timeout=60, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[[5, 5]]" and "planted" not in result.stdout
