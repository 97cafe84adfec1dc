"""A one-click script, the workbook JSON and apply_actions, run through the Excel stand-in.

The stand-in (``tests/standin``) posts the book as Excel's xlwings add-in does, runs the
script in xlwings Server mode and applies its actions to a copy, as Excel would; where the
officer would see computed values, LibreOffice recalculates the copy.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile

import openpyxl
import pytest
import xlwings as xw
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo
from xlwings import script

from standin import (
    ActionError,
    ScriptFailed,
    UnsupportedAction,
    apply_actions,
    book_json,
    cell_values,
    inspect_book,
    recalc,
    run_script,
)

# -- the workbook JSON and a one-click script ----------------------------------------------------

@script
def write_remaining(book: xw.Book):
    """A trivial one-click script: a label, a formula and a number format."""
    sheet = book.sheets["KeHoach"]
    sheet["C1"].value = "Còn lại"
    sheet["C2"].formula = "=A2-B2"
    sheet["C3:C4"].formula = "=MAX(0,A3-B3)"
    sheet["D1"].value = [["Mã xã"], ["00004"], ["'00004"]]
    sheet["C1:D1"].font.bold = True


@script
def fail_politely(book: xw.Book):
    raise ValueError("Không tìm thấy bảng KeHoach.")


@pytest.fixture
def plan_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KeHoach"
    ws.append(["Kế hoạch năm", "Đã thực hiện"])
    ws.append([46, 25])
    ws.append([120, 125])
    ws.append([10, 3])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


@pytest.mark.libreoffice
def test_round_trip_script_actions_recalculated_show_the_officer_the_result(plan_xlsx, tmp_path):
    before = plan_xlsx.read_bytes()
    out = tmp_path / "after.xlsx"
    run = run_script(sys.modules[__name__], "write_remaining", plan_xlsx, out, recalculate=True)
    assert plan_xlsx.read_bytes() == before  # the input is never modified
    assert [a["func"] for a in run.actions] == [
        "setValues",
        "setFormula",
        "setFormula",
        "setValues",
        "setFontProperty",
    ]
    formulas = openpyxl.load_workbook(out)["KeHoach"]
    assert formulas["C2"].value == "=A2-B2"
    assert formulas["C4"].value == "=MAX(0,A4-B4)"  # filled down, references adjusted
    assert formulas["C1"].font.b
    shown_values = cell_values(run.recalculated, "A1:D4", sheet="KeHoach")
    assert shown_values == [
        ["Kế hoạch năm", "Đã thực hiện", "Còn lại", "Mã xã"],
        [46, 25, 21, 4],  # Excel turns the text "00004" into the number 4
        [120, 125, 0, "00004"],  # unless it starts with an apostrophe
        [10, 3, 7, None],
    ]


def test_a_failing_script_changes_nothing_and_shows_its_message(plan_xlsx, tmp_path):
    out = tmp_path / "after.xlsx"
    with pytest.raises(ScriptFailed, match="Không tìm thấy bảng KeHoach") as failure:
        run_script(sys.modules[__name__], "fail_politely", plan_xlsx, out)
    assert "ValueError" in failure.value.traceback
    assert not out.exists()


@pytest.mark.libreoffice
def test_book_json_is_what_xlwings_reads_back(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DonVi"
    ws.append(["Mã đơn vị", "Tên đơn vị", "Trọng số"])
    ws.append(["KP1", "Khu phố 1", 4])
    ws.append(["KP2", "Khu phố 2", 10])
    ws["E1"] = dt.date(2024, 1, 5)
    ws["E2"] = "=1/0"  # no cached value: book_json recalculates, as Excel would on opening
    ws["E3"] = "=SUM(C2:C3)"
    table = Table(displayName="DonVi", ref="A1:C3")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    wb.defined_names["TrongSo"] = DefinedName("TrongSo", attr_text="DonVi!$C$2:$C$3")
    wb.defined_names["TyLe"] = DefinedName("TyLe", attr_text="0.5")  # not a range: not sent
    meta = wb.create_sheet("_meta")
    meta.append(["template", "plan"])
    meta.sheet_state = "veryHidden"
    local = DefinedName("Mau", attr_text="'_meta'!$B$1")
    meta.defined_names["Mau"] = local
    path = tmp_path / "book.xlsx"
    wb.save(path)

    payload = book_json(path, active_sheet="DonVi", selection="$C$2")
    assert payload["book"] == {
        "name": "book.xlsx",
        "active_sheet_index": 0,
        "selection": "C2",
        "calculation": "Automatic",
    }
    sheet = payload["sheets"][0]
    assert sheet["values"][0] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Trọng số",
        "",
        "2024-01-05T00:00:00.000Z",  # a date cell: ISO text, as the add-in sends it
    ]
    assert sheet["values"][1][4] == "#DIV/0!"
    assert sheet["values"][2][4] == 14
    assert sheet["tables"][0]["data_body_range_address"] == "A2:C3"
    assert payload["sheets"][1]["visibility"] == "VeryHidden"
    assert [n["name"] for n in payload["names"]] == ["TrongSo", "Mau"]

    seen = inspect_book(payload)
    assert seen["active"] == "DonVi" and seen["selection"] == "$C$2"
    assert seen["sheets"][0]["tables"][0]["data"] == [
        ["KP1", "Khu phố 1", 4],
        ["KP2", "Khu phố 2", 10],
    ]
    assert seen["sheets"][0]["values"][0][4] == {"isoformat": "2024-01-05T00:00:00"}
    assert seen["sheets"][0]["values"][1][4] is None  # xlwings reads an error cell as None
    assert seen["sheets"][1]["visible"] is False
    names = {n["name"]: n for n in seen["names"]}
    assert names["TrongSo"]["value"] == [[4], [10]]
    assert names["_meta!Mau"]["value"] == [["plan"]]


# -- apply_actions on its own -------------------------------------------------------------------
def _action(func, args=None, values=None, sheet=0, row=None, col=None, rows=1, cols=1):
    """An action as xlwings' remote engine queues it (0-based sheet, row and column)."""
    ranged = row is not None
    return {
        "func": func,
        "args": args if isinstance(args, list) else [args],
        "values": values,
        "sheet_position": sheet,
        "start_row": row,
        "start_column": col,
        "row_count": rows if ranged else None,
        "column_count": cols if ranged else None,
    }


def test_apply_actions_types_values_like_excel_and_follows_renames(plan_xlsx, tmp_path):
    out = tmp_path / "out.xlsx"
    actions = [
        _action("setValues", values=[["1.200", "2,5", "2024-03-01", "50%", "=A2*2", "TRUE"]],
                row=5, col=0, cols=6),
        _action("addSheet", [1, "Tổng hợp"], sheet=None),
        _action("setFormula", values=[["=SUM(KeHoach!A2:A4)"]], sheet=1, row=0, col=0),
        _action("setSheetName", "Kế hoạch", sheet=0),
        _action("namesAdd", ["Tong", "='Tổng hợp'!$A$1"], sheet=None),
    ]
    applied = apply_actions(plan_xlsx, {"actions": actions}, out)
    assert applied.count == 5
    wb = openpyxl.load_workbook(out)
    row = [cell.value for cell in wb["Kế hoạch"][6]]
    assert row == [1200, 2.5, dt.datetime(2024, 3, 1), 0.5, "=A2*2", True]
    assert wb["Kế hoạch"]["C6"].number_format == "dd/mm/yyyy"
    assert wb["Tổng hợp"]["A1"].value == "=SUM('Kế hoạch'!A2:A4)"  # the rename followed
    assert wb.sheetnames == ["Kế hoạch", "Tổng hợp"]
    assert wb.active.title == "Kế hoạch"  # worksheets.add() does not activate


def test_a_text_after_an_apostrophe_stays_text_even_when_it_looks_like_a_formula(plan_xlsx,
                                                                               tmp_path):
    """Excel stores «'=SUM(A1:A9)» typed or set through range.values as the text «=SUM(A1:A9)»
    (red team: a unit of that name became a formula in the stand-in, not in Excel)."""
    out = tmp_path / "out.xlsx"
    actions = [_action("setValues", values=[["'=SUM(A1:A9)", "'+84 Thôn", "=1+1"]], row=5,
                       col=0, cols=3)]
    apply_actions(plan_xlsx, {"actions": actions}, out)
    cells = openpyxl.load_workbook(out)["KeHoach"][6][:3]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("=SUM(A1:A9)", "s"), ("+84 Thôn", "s"), ("=1+1", "f")]


def test_apply_actions_refuses_what_excel_refuses_and_what_it_cannot_do(plan_xlsx, tmp_path):
    out = tmp_path / "out.xlsx"
    with pytest.raises(ActionError, match="doesn't match"):
        apply_actions(plan_xlsx, [_action("setValues", values=[[1, 2]], row=0, col=0)], out)
    with pytest.raises(ActionError, match="already exists"):
        apply_actions(plan_xlsx, [_action("addSheet", [1, "kehoach"], sheet=None)], out)
    with pytest.raises(UnsupportedAction, match="addChart"):
        apply_actions(plan_xlsx, [_action("addChart", [])], out)
    with pytest.raises(ValueError, match="never modified"):
        apply_actions(plan_xlsx, [], plan_xlsx)
    assert not out.exists()


@pytest.mark.libreoffice
def test_recalc_refreshes_stale_cached_values(tmp_path):
    source = tmp_path / "in.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = 2
    wb.active["A2"] = "=A1*3"
    wb.save(source)
    first = recalc(source, tmp_path / "first")
    assert cell_values(first, "A2") == 6
    # A1 becomes 5 while A2 keeps its cached 6: LibreOffice must not trust the cache
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(first) as zin, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'(<c r="A1"[^>]*><v>)2(</v>)', rb"\g<1>5\g<2>", data)
                assert count == 1
            zout.writestr(item, data)
    assert cell_values(stale, "A2") == 6
    assert cell_values(recalc(stale, tmp_path / "second"), "A2") == 15
