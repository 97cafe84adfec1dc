"""Windows desktop: ``xladdin excel install`` explains itself and exits 1 off Windows; its
Windows steps run against a temporary profile; ``xladdin excel buttons`` writes an .xlsm.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from xladdin.excel import BUTTONS, desktop

from excel_runtimes import published_plan, run_cli


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The published Phường 2 plan, as `xladdin new-plan` writes it."""
    return published_plan(tmp_path_factory)


# -- Windows desktop -------------------------------------------------------------------------
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
    assert CalamineWorkbook.from_path(str(out)).sheet_names[:3] == [
        "Kế hoạch",
        "Đơn vị",
        "Hướng dẫn",
    ]
    again = run_cli("excel", "buttons", str(out), "--out", str(tmp_path / "b.xlsm"))
    assert again.returncode == 1 and "Traceback" not in again.stderr
