"""The Excel functions, called as plain Python (the xlwings decorators are no-ops here)."""

import pytest
import udfs
from hypothesis import given
from hypothesis import strategies as st
from xladdin.engine.apportion import METHODS, apportion
from xladdin.engine.values import ExcelError


def value_error(result, reason=""):
    """Bad input, called as plain Python: Excel's #VALUE! as a value, with its reason."""
    return (isinstance(result, ExcelError) and result.code == "#VALUE!"
            and result.reason.startswith(reason) and str(result).startswith("#VALUE! "))


def test_split_target_spills_in_the_orientation_of_the_weights():
    assert udfs.SPLIT_TARGET(10, [[1, 1, 1]]) == [[4, 3, 3]]
    assert udfs.SPLIT_TARGET(10, [[1], [1], [1]]) == [[4], [3], [3]]


def test_split_target_takes_excel_floats_and_text_numbers():
    assert udfs.SPLIT_TARGET(40.0, [[4.0, 10.0, "10", 5.0, 11.0]]) == [[4, 10, 10, 5, 11]]
    assert udfs.SPLIT_TARGET(12, [[1, 2, 3]], "dhondt") == [[2, 4, 6]]
    assert udfs.SPLIT_TARGET(9, [[0, 1, 2]], None, 1) == [[1, 3, 5]]


@given(
    total=st.integers(0, 500),
    weights=st.lists(st.integers(0, 999), min_size=1, max_size=10).filter(lambda w: sum(w) > 0),
    method=st.sampled_from(METHODS),
)
def test_split_target_agrees_with_the_engine(total, weights, method):
    expected = apportion(total, weights, method=method)
    assert udfs.SPLIT_TARGET(float(total), [[float(w) for w in weights]], method) == [expected]
    assert udfs.SPLIT_TARGET(total, [[w] for w in weights], method) == [[s] for s in expected]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((-5, [[1, 1]]), "không được âm"),
        ((10, [[0, 0]]), "Mọi trọng số đều bằng 0"),
        ((10, [[1, None, 2]]), "thứ 2 đang để trống"),
        ((10, [[1, 2], [3, 4]]), "một hàng hoặc một cột"),
        ((10, [["a", 2]]), "không phải là số"),
        (("mười", [[1, 2]]), "không phải là số"),
        ((10, [[1, 2]], "bogus"), "không có"),
        ((5, [[1, 1, 1]], None, 2), "mức tối thiểu"),
        ((None, [[1, 2]]), "để trống"),
    ],
)
def test_split_target_returns_a_readable_error_instead_of_raising(args, words):
    result = udfs.SPLIT_TARGET(*args)
    assert value_error(result)
    assert words in result.reason


def test_remaining_shows_zero_but_can_give_the_raw_value():
    assert udfs.REMAINING(46, 25) == 21
    assert udfs.REMAINING(120, 125) == 0
    assert udfs.REMAINING(120, 125, True) == -5
    assert value_error(udfs.REMAINING(120, "x"), "Đã thực hiện")


def test_round_target_takes_excel_percentages():
    assert udfs.ROUND_TARGET(45, 0, 0.5) == 23
    assert udfs.ROUND_TARGET(10, 0, 0.4) == 4
    assert udfs.ROUND_TARGET(10, 0, "40%") == 4
    assert udfs.ROUND_TARGET(46, 25) == 21
    assert value_error(udfs.ROUND_TARGET(46, 25, 50), "Tỷ lệ 50 quá lớn")
    assert value_error(udfs.ROUND_TARGET(46, 25, -0.5))


def test_pct_done():
    assert udfs.PCT_DONE(3, 4) == 0.75
    assert udfs.PCT_DONE(3, 0) == ""
    assert value_error(udfs.PCT_DONE(-1, 4), "Kết quả")


def test_check_split_reports_the_published_phuong_2_error():
    assert udfs.CHECK_SPLIT(25, [[4, 5, 6, 3, 12]]) == "Thừa 5"
    assert udfs.CHECK_SPLIT(40, [[4], [10], [10], [5], [11]]) == "Khớp"
    assert value_error(udfs.CHECK_SPLIT(40, [[4, 2.5]]), "Phần thứ 2")


def test_every_function_has_a_vietnamese_description():
    for name in udfs.__all__:
        doc = getattr(udfs, name).__doc__
        assert doc and any(
            ch in doc for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
        )


def test_text_the_one_parser_reads_as_thousands_is_refused_not_guessed():
    """Red team: «0.125» typed as text was read as 125, «1.000%» as 1 % here and 1000 % in a
    CSV: one reading everywhere, or a refusal saying why."""
    assert value_error(udfs.ROUND_TARGET(1000, 0, "1.000%"), "Tỷ lệ '1.000%' không rõ")
    # «0.125» is never thousands (a group never starts with 0): read as the number is
    assert (
        udfs.SPLIT_TARGET(10, [["0.125"], [1]])
        == udfs.SPLIT_TARGET(10, [[0.125], [1]])
        == [[1], [9]]
    )
    assert value_error(udfs.SPLIT_TARGET(10, [["1.125"], [1]]), "Trọng số thứ 1 '1.125'")
    assert udfs.SPLIT_TARGET(10, [["1,5"], ["2"]]) == udfs.SPLIT_TARGET(10, [["1.5"], [2]])
    assert udfs.ROUND_TARGET(1000, 0, "12,5%") == 125
