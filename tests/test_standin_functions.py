"""xladdin's Excel functions and a one-click script, run through the Excel stand-in.

The stand-in (``tests/standin``) posts what Excel's xlwings add-in posts and runs it in
xlwings Server mode (in a worker process, see ``standin.server_mode``), so these tests
see what an officer sees in the cell: a number, a readable ``#VALUE! …`` text, or an
Excel error; never a Python traceback.
"""

from __future__ import annotations

import datetime as dt

import pytest
import udfs
import xlwings as xw
from xladdin.engine.apportion import apportion

from standin import (
    EMPTY,
    OMITTED,
    ExcelError,
    call_function,
    worker,
)

FUNCTIONS = ["SPLIT_TARGET", "REMAINING", "ROUND_TARGET", "PCT_DONE", "CHECK_SPLIT"]


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


@xw.func
def EXPLODE(x):  # noqa: N802 - a deliberately broken custom function for the test above
    return x / 0
