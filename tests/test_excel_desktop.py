"""Windows desktop: ``xladdin excel install`` explains itself and exits 1 off Windows; its
Windows steps run against a temporary profile; ``xladdin excel buttons`` writes an .xlsm.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from xladdin.demo import run_demo
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
    config.write_text('"LICENSE_KEY","noncommercial"\n"UDF MODULES","old"\n'
                      '"ADD_WORKBOOK_TO_PYTHONPATH","True"\n', encoding="utf-8")
    xlstart = appdata / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    (xlstart / "xlwings.xlam").write_bytes(b"an older add-in the officer had")
    done = desktop.install(platform="win32", appdata=appdata, home=home,
                           interpreter=tmp_path / "python.exe")
    assert done.addin == xlstart / "xlwings.xlam"
    assert zipfile.is_zipfile(done.addin)
    assert sorted(p.name for p in xlstart.iterdir()) == ["xlwings.xlam"]  # no copy Excel would open
    lines = config.read_text(encoding="utf-8").splitlines()
    assert '"LICENSE_KEY","noncommercial"' in lines  # other settings are kept
    assert f'"INTERPRETER_WIN","{tmp_path / "python.exe"}"' in lines
    # No module is imported from the folder of the workbook the officer opens.
    assert '"ADD_WORKBOOK_TO_PYTHONPATH","False"' in lines
    assert '"ADD_WORKBOOK_TO_PYTHONPATH","True"' not in lines
    assert [line for line in lines if line.startswith('"UDF MODULES"')] == [
        '"UDF MODULES","xladdin.excel.desktop_entry"']
    # What was replaced is kept, outside XLSTART.
    kept = {p.suffix: p.read_bytes() for p in done.backups}
    assert kept[".xlam"] == b"an older add-in the officer had"
    assert b'"UDF MODULES","old"' in kept[".conf"]
    assert all(p.parent == home / ".xlwings" / "backup" for p in done.backups)
    assert not list(config.parent.glob(".*xladdin-*"))  # written atomically, nothing left over


def test_the_desktop_module_offers_every_function_and_script_under_its_own_name():
    import udfs
    import udfs.desktop
    from xladdin.excel import desktop_entry

    for name in udfs.__all__:  # the add-in's Import Functions finds them through dir(module)
        # in their desktop form: the reason of a #VALUE! goes into the cell's note
        assert getattr(desktop_entry, name) is getattr(udfs.desktop, name)
    for button in BUTTONS:
        assert callable(getattr(desktop_entry, button.script))


def test_a_udfs_py_beside_the_workbook_is_never_imported(tmp_path):
    """The add-in runs ``python -c`` in some folder: a planted udfs.py there stays unread."""
    (tmp_path / "udfs.py").write_text("raise SystemExit('planted udfs.py ran')\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import xladdin.excel.desktop_entry as d; print(d.SPLIT_TARGET(10, [[1, 1]]))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "[[5, 5]]"


def vml_parts(path: Path) -> dict[str, ET.Element]:
    with zipfile.ZipFile(path) as archive:
        return {n: ET.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".vml")}


def assert_vml_ids_unique(path: Path) -> None:
    """What Excel checks before it offers to repair: every drawing claims its own idmap
    blocks, every shape id is unique in the workbook and lies in its drawing's blocks."""
    claimed: list[int] = []
    shape_ids: list[int] = []
    for name, vml in vml_parts(path).items():
        blocks = [int(b) for e in vml.iter("{urn:schemas-microsoft-com:office:office}idmap")
                  for b in e.get("data").split(",")]
        claimed += blocks
        for shape in vml.iter("{urn:schemas-microsoft-com:vml}shape"):
            number = int(shape.get("id").removeprefix("_x0000_s"))
            shape_ids.append(number)
            assert number // 1024 in blocks, (path.name, name, number, blocks)
    assert len(claimed) == len(set(claimed)), (path.name, claimed)
    assert len(shape_ids) == len(set(shape_ids)), (path.name, shape_ids)


def buttons_in(path: Path) -> list[str]:
    return [e.text for vml in vml_parts(path).values()
            for e in vml.iter("{urn:schemas-microsoft-com:office:excel}FmlaMacro")]


def test_excel_buttons_write_an_xlsm_with_one_button_per_script(plan, tmp_path):
    before = plan.read_bytes()
    out = tmp_path / "plan.xlsm"
    result = run_cli("excel", "buttons", str(plan), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert plan.read_bytes() == before
    with zipfile.ZipFile(out) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'Extension="vml"' in types
    assert buttons_in(out) == [f"[0]!{b.script}" for b in BUTTONS]
    assert_vml_ids_unique(out)
    assert CalamineWorkbook.from_path(str(out)).sheet_names[:3] == [
        "Kế hoạch",
        "Đơn vị",
        "Hướng dẫn",
    ]
    again = run_cli("excel", "buttons", str(out), "--out", str(tmp_path / "b.xlsm"))
    assert again.returncode == 1 and "Traceback" not in again.stderr


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> Path:
    """The demo's summary: its Tổng hợp sheet carries cell notes (a VML drawing)."""
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    path = out / "hai-phong-2023" / "summary.xlsx"  # the demo also consolidates a ward's year
    assert vml_parts(path)
    return path


def test_buttons_on_a_summary_with_notes_take_their_own_vml_ids(summary, tmp_path):
    """The repair prompt of issue 14: notes and buttons both claimed idmap block 1."""
    out = desktop.add_buttons(summary, tmp_path / "summary.xlsm")
    assert len(vml_parts(out)) == len(vml_parts(summary)) + 1
    assert buttons_in(out) == [f"[0]!{b.script}" for b in BUTTONS]
    assert_vml_ids_unique(out)


def test_buttons_join_the_notes_of_the_sheet_they_go_on(tmp_path):
    """Any mix: notes on another sheet and on the button sheet itself."""
    source = tmp_path / "notes.xlsx"
    book = xlsxwriter.Workbook(source)
    for name in ("Kế hoạch", "Hướng dẫn"):
        sheet = book.add_worksheet(name)
        for row in range(3):
            sheet.write(row, 0, f"ô {row}")
            sheet.write_comment(row, 0, f"ghi chú {row}")
    book.close()
    out = desktop.add_buttons(source, tmp_path / "notes.xlsm")
    assert len(vml_parts(out)) == 2  # the buttons joined the guide sheet's drawing
    assert_vml_ids_unique(out)
    notes = [e for vml in vml_parts(out).values()
             for e in vml.iter("{urn:schemas-microsoft-com:office:excel}ClientData")
             if e.get("ObjectType") == "Note"]
    assert len(notes) == 6 and len(buttons_in(out)) == len(BUTTONS)
    assert openpyxl.load_workbook(out)["Hướng dẫn"]["A2"].comment.text == "ghi chú 1"


@pytest.mark.parametrize("kind", ["plan", "lite", "summary", "forms", "summary buttons lite"])
def test_every_written_workbook_has_unique_vml_ids(kind, plan, summary, tmp_path):
    from xladdin.excel import lite

    def combined() -> list[Path]:
        buttons = desktop.add_buttons(summary, tmp_path / "summary.xlsm")
        return [buttons, lite.embed(buttons, tmp_path / "summary-lite.xlsm")]

    paths = {"plan": lambda: [plan], "lite": lambda: [lite.embed(plan, tmp_path / "lite.xlsx")],
             "summary": lambda: [summary],
             "forms": lambda: sorted(summary.parent.rglob("*.xlsx")),
             "summary buttons lite": combined}[kind]()
    for path in paths:
        assert_vml_ids_unique(path)
    if kind == "summary buttons lite":
        assert buttons_in(paths[-1]) == [f"[0]!{b.script}" for b in BUTTONS]
        assert lite.check(paths[-1]).ok


def test_excel_buttons_files_get_the_usual_rights(plan, tmp_path):
    old = os.umask(0o022)
    try:
        out = desktop.add_buttons(plan, tmp_path / "rights.xlsm")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_xlwings_conf_keeps_the_line_ends_of_the_platform(tmp_path, monkeypatch):
    """The add-in's VBA reads xlwings.conf with «Input #», made for the CRLF lines that
    xlwings' own CLI writes on Windows (red team: the one atomic writer wrote LF)."""
    from xladdin.excel.desktop import update_config

    conf = tmp_path / "xlwings.conf"
    conf.write_bytes(b'"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\r\n"ONEDRIVE","x"\r\n')
    monkeypatch.setattr(os, "linesep", "\r\n")  # as on Windows
    update_config(conf, {"UDF_MODULES": "xladdin_udfs"})
    assert conf.read_bytes().split(b"\r\n") == [
        b'"INTERPRETER_WIN","C:\\\\py\\\\python.exe"', b'"ONEDRIVE","x"',
        b'"UDF_MODULES","xladdin_udfs"', b""]
