"""xladdin's Excel functions and a one-click script, run through the Excel stand-in.

The stand-in (``tests/standin``) posts what Excel's xlwings add-in posts and runs it in
xlwings Server mode (in a worker process, see ``standin.server_mode``), so these tests
see what an officer sees in the cell: a number, a readable ``#VALUE! …`` text, or an
Excel error; never a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile

import openpyxl
import pytest
import udfs
import xlwings as xw
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo
from xladdin.engine.apportion import apportion
from xlwings import script

from standin import (
    EMPTY,
    OMITTED,
    ActionError,
    ExcelError,
    ScriptFailed,
    UnsupportedAction,
    apply_actions,
    book_json,
    call_function,
    cell_values,
    inspect_book,
    recalc,
    run_script,
    worker,
)

FUNCTIONS = ["SPLIT_TARGET", "REMAINING", "ROUND_TARGET", "PCT_DONE", "CHECK_SPLIT"]
needs_libreoffice = pytest.mark.libreoffice


def shown(name, *args, **kwargs):
    return call_function(udfs, name, args, **kwargs)


def assert_readable_error(result, *words):
    """``#VALUE!`` in the cell with the Vietnamese reason on its note, not a crash."""
    assert not result.crashed, result.traceback
    assert result.is_readable_error, (result.value, result.message)
    for word in words:
        assert word in result.message, result.message


# -- registration ----------------------------------------------------------------------------
def test_every_function_registers_with_vietnamese_help_and_optional_arguments():
    meta = worker().meta(udfs)["functions"]["functions"]
    by_name = {f["name"]: f for f in meta}
    assert sorted(by_name) == sorted(FUNCTIONS)
    optional = {
        name: [p["name"] for p in f["parameters"] if p.get("optional")]
        for name, f in by_name.items()
    }
    assert optional == {
        "SPLIT_TARGET": ["method", "minimum"],
        "REMAINING": ["raw"],
        "ROUND_TARGET": ["share"],
        "PCT_DONE": [],
        "CHECK_SPLIT": [],
    }
    for function in meta:
        assert any(ord(ch) > 127 for ch in function["description"]), function["name"]
        for parameter in function["parameters"]:
            assert parameter["dimensionality"] == "matrix"
            assert not parameter["description"].startswith("Positional argument")


def test_the_payload_is_what_the_add_in_posts():
    result = shown("SPLIT_TARGET", 10.0, [[1, None, 2.5]], OMITTED)
    payload = result.payload
    assert payload["client"] == "Office.js"
    assert payload["func_name"] == "SPLIT_TARGET"
    # a typed 10 arrives as a JS number (int), an empty cell as null inside the matrix,
    # an omitted optional argument as a bare null, and every parameter is sent
    assert payload["args"] == [[[10]], [[1, None, 2.5]], None, None]
    assert payload["caller_address"] == "[Book1.xlsx]Sheet1!A1"
    assert payload["culture_info_name"] == "vi-VN"


def test_excel_refuses_a_formula_with_too_few_or_too_many_arguments():
    with pytest.raises(TypeError, match="required"):
        shown("REMAINING", 46)
    with pytest.raises(TypeError, match="at most"):
        shown("PCT_DONE", 1, 2, 3)


# -- happy paths -----------------------------------------------------------------------------
def test_split_target_spills_in_the_orientation_of_the_weights():
    expected = apportion(25, [4, 10, 10, 5, 11])
    assert shown("SPLIT_TARGET", 25, [[4, 10, 10, 5, 11]]).grid == [expected]
    assert shown("SPLIT_TARGET", 25, [[4], [10], [10], [5], [11]]).grid == [[s] for s in expected]


def test_split_target_with_method_minimum_and_excel_floats():
    assert shown("SPLIT_TARGET", 12.0, [[1.0, 2.0, 3.0]], "dhondt").value == [[2, 4, 6]]
    assert shown("SPLIT_TARGET", 9, [[0, 1, 2]], OMITTED, 1).value == [[1, 3, 5]]
    assert shown("SPLIT_TARGET", 9, [[0, 1, 2]], EMPTY, 1).value == [[1, 3, 5]]
    assert shown("SPLIT_TARGET", 40, [[4, 10, "10", 5, 11]]).value == [[4, 10, 10, 5, 11]]


def test_remaining():
    assert shown("REMAINING", 46, 25).value == 21
    assert shown("REMAINING", 120, 125).value == 0
    assert shown("REMAINING", 120, 125, True).value == -5
    assert shown("REMAINING", "46", " 25 ").value == 21  # numbers typed as text


def test_round_target_takes_excel_percentages():
    assert shown("ROUND_TARGET", 45, 0, 0.5).value == 23
    assert shown("ROUND_TARGET", 10, 0, "40%").value == 4
    assert shown("ROUND_TARGET", 46, 25).value == 21
    assert shown("ROUND_TARGET", 46, 25, EMPTY).value == 21


def test_pct_done_shows_blank_when_the_target_is_zero():
    assert shown("PCT_DONE", 3, 4).value == 0.75
    assert shown("PCT_DONE", 3, 0).value == ""


def test_check_split_reports_the_published_phuong_2_error():
    assert shown("CHECK_SPLIT", 25, [[4, 5, 6, 3, 12]]).value == "Thừa 5"
    assert shown("CHECK_SPLIT", 40, [[4], [10], [10], [5], [11]]).value == "Khớp"
    assert shown("CHECK_SPLIT", 40, [[4, None, 10, 5, 11]]).value == "Thiếu 10"


# -- bad input: a readable Vietnamese #VALUE! text, never a traceback ---------------------------
@pytest.mark.parametrize(
    ("name", "args", "words"),
    [
        # empty cells
        ("SPLIT_TARGET", (EMPTY, [[1, 2]]), ["để trống"]),
        ("SPLIT_TARGET", (10, [[1, None, 2]]), ["thứ 2 đang để trống"]),
        ("REMAINING", (EMPTY, 3), ["Kế hoạch năm", "để trống"]),
        ("ROUND_TARGET", (46, EMPTY, 0.5), ["Đã thực hiện", "để trống"]),
        ("PCT_DONE", (3, EMPTY), ["Chỉ tiêu", "để trống"]),
        ("CHECK_SPLIT", (EMPTY, [[1, 2]]), ["Chỉ tiêu đợt", "để trống"]),
        # text in a number cell
        ("SPLIT_TARGET", ("mười", [[1, 2]]), ["không phải là số"]),
        ("SPLIT_TARGET", (10, [["a", 2]]), ["Trọng số thứ 1", "không phải là số"]),
        ("REMAINING", (120, "x"), ["Đã thực hiện", "không phải là số"]),
        ("ROUND_TARGET", (45, 0, "nửa"), ["Tỷ lệ", "ví dụ 50%"]),
        ("PCT_DONE", ("ba", 4), ["Kết quả", "không phải là số"]),
        ("CHECK_SPLIT", (25, [["bốn", 5]]), ["Phần thứ 1"]),
        # a 2D block where a row or a column is expected, a range where one cell is
        ("SPLIT_TARGET", (10, [[1, 2], [3, 4]]), ["một hàng hoặc một cột"]),
        ("CHECK_SPLIT", (10, [[1, 2], [3, 4]]), ["một hàng hoặc một cột"]),
        ("REMAINING", ([[46, 47]], 3), ["một ô, không phải một vùng"]),
        ("PCT_DONE", (3, [[4], [5]]), ["một ô, không phải một vùng"]),
        # negative numbers
        ("SPLIT_TARGET", (-5, [[1, 1]]), ["không được âm"]),
        ("SPLIT_TARGET", (10, [[-1, 2]]), ["Trọng số thứ 1", "không được âm"]),
        ("REMAINING", (-1, 0), ["Kế hoạch năm", "không được âm"]),
        ("ROUND_TARGET", (46, 25, -0.5), ["không được âm"]),
        ("PCT_DONE", (-1, 4), ["Kết quả", "không được âm"]),
        ("CHECK_SPLIT", (25, [[-1, 26]]), ["Phần thứ 1", "không được âm"]),
        # other impossible requests
        ("SPLIT_TARGET", (10, [[0, 0]]), ["Mọi trọng số đều bằng 0"]),
        ("SPLIT_TARGET", (10, [[1, 2]], "bogus"), ["không có"]),
        ("SPLIT_TARGET", (5, [[1, 1, 1]], OMITTED, 2), ["mức tối thiểu"]),
        ("ROUND_TARGET", (46, 25, 50), ["Tỷ lệ 50 quá lớn"]),
        ("CHECK_SPLIT", (40, [[4, 2.5]]), ["Phần thứ 2"]),
        ("REMAINING", (True, 3), ["TRUE"]),
    ],
)
def test_bad_input_shows_a_readable_vietnamese_error(name, args, words):
    assert_readable_error(shown(name, *args), *words)


ODD_CELLS = [
    None,
    "",
    " ",
    True,
    ExcelError("#N/A"),
    ExcelError("#DIV/0!"),
    dt.date(2024, 1, 5),
    1e300,
    -0.0,
    2.5,
    "1.200",
    "1,200",
    "#VALUE!",
    "=A1",
]


@pytest.mark.parametrize("odd", ODD_CELLS, ids=repr)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_no_cell_content_makes_a_function_crash(name, odd):
    """Whatever a cell holds, Excel shows a value or #VALUE! with a reason, never a crash."""
    args = {
        "SPLIT_TARGET": [(odd, [[1, 2]]), (10, [[odd, 2]]), (10, [[1, 2]], odd, odd)],
        "REMAINING": [(odd, 3), (46, odd), (46, 3, odd)],
        "ROUND_TARGET": [(odd, 0), (46, odd), (46, 0, odd)],
        "PCT_DONE": [(odd, 4), (3, odd)],
        "CHECK_SPLIT": [(odd, [[1, 2]]), (3, [[odd, 2]])],
    }[name]
    for call in args:
        result = shown(name, *call)
        assert not result.crashed, (call, result.message, result.traceback)
        if result.is_excel_error:
            assert result.is_readable_error, (call, result.grid, result.message)
            continue
        for row in result.grid:
            for value in row:
                assert isinstance(value, (int, float, str, bool)), (call, value)
                assert not (isinstance(value, str) and value.startswith("#")), (call, value)


def test_an_error_cell_is_named_in_the_message():
    assert_readable_error(shown("REMAINING", 46, ExcelError("#DIV/0!")), "#DIV/0!")


def test_the_stand_in_reports_a_crash_as_excel_would():
    """If Python raised, Excel shows #VALUE! (the reason only on hover): Shown.crashed."""
    result = call_function("test_standin_functions", "EXPLODE", [1])
    assert result.crashed
    assert result.value == ExcelError("#VALUE!")
    assert isinstance(result.value, ExcelError)
    assert "ZeroDivisionError" in result.message


# -- the workbook JSON and a one-click script ----------------------------------------------------
@xw.func
def EXPLODE(x):  # noqa: N802 - a deliberately broken custom function for the test above
    return x / 0


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


@needs_libreoffice
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


@needs_libreoffice
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


@needs_libreoffice
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
