"""The functions in the classic desktop add-in (Excel for Windows, COM), through the
stand-in that runs xlwings' own ``call_udf`` (tests/standin/desktop_mode.py says what is
run and what assumed): what the officer sees in the cell and in its note."""

import inspect
import io

import pytest
import udfs
from udfs.desktop import note_text

from standin import ExcelError
from standin.desktop_excel import Excel
from standin.desktop_mode import call_desktop_function, classic_add_in

OFFICERS_NOTE = "Lan:\nSố của xã A chờ chốt lại."

DESKTOP_BAD_INPUT = [
    (udfs.SPLIT_TARGET, (10, [["mười", 2]]), "Trọng số thứ 1 'mười' không phải là số."),
    (udfs.SPLIT_TARGET, (10, [[0, 0]]), "Mọi trọng số đều bằng 0"),
    (udfs.REMAINING, (46, ExcelError("#DIV/0!")), "Đã thực hiện: Ô đang có lỗi #DIV/0!"),
    (udfs.ROUND_TARGET, (46, 25, 50), "Tỷ lệ 50 quá lớn"),
    (udfs.PCT_DONE, ("ba", 4), "Kết quả"),
    (udfs.CHECK_SPLIT, (40, [[4, 2.5]]), "Phần thứ 2"),
]


@pytest.mark.parametrize(("function", "args", "reason"), DESKTOP_BAD_INPUT,
                         ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(DESKTOP_BAD_INPUT)])
def test_bad_input_shows_a_real_value_error_and_its_reason_in_the_note(function, args, reason,
                                                                       caplog):
    """The cell shows Excel's own #VALUE! (ISERROR sees it, SUM stops at it), not the text
    «#VALUE! …» SUM would count as 0; the Vietnamese reason is the cell's note (and in the log)."""
    with caplog.at_level("WARNING", logger="xladdin.udfs"):
        shown = call_desktop_function(function, *args)
    assert not shown.crashed, shown.grid
    assert shown.grid == [[ExcelError("#VALUE!")]]
    assert isinstance(shown.value, ExcelError)  # an error value, not the text "#VALUE!"
    assert shown.message is not None and shown.message.startswith("xladdin — #VALUE!: ")
    assert reason in shown.message, shown.message
    assert "Traceback" not in shown.message and "Error" not in shown.message
    assert any(reason in record.getMessage() for record in caplog.records), caplog.text


def test_good_input_is_unchanged_and_costs_no_com_call():
    assert call_desktop_function(udfs.SPLIT_TARGET, 10, [[1, 1, 1]]).grid == [[4, 3, 3]]
    assert call_desktop_function(udfs.SPLIT_TARGET, 10, [[1], [1], [1]]).grid == [[4], [3], [3]]
    assert call_desktop_function(udfs.CHECK_SPLIT, 25, [[4, 5, 6, 3, 12]]).value == "Thừa 5"
    excel = Excel()
    with classic_add_in(excel) as add_in:
        for ref in ("B2", "B3", "B4", "B5"):
            assert add_in.enter(ref, "REMAINING", 46, 25).value == 21
        add_in.settle()
    # one look for notes of ours left from an earlier session, at the first call; then
    # nothing per call: no cell's note read, nothing written
    assert excel.background_calls["Application.Workbooks"] == 1
    assert set(excel.background_calls) == {"Range.Application", "Application.Workbooks",
                                           "Workbook.Worksheets", "Worksheet.Comments"}
    assert all(cell.note is None for cell in excel.cells.values())


def test_notes_of_ours_from_an_earlier_session_go_once_their_cells_are_right():
    """Saved yesterday with our notes; today the first function call looks through the
    workbook: a note of ours on a cell no longer #VALUE! goes, one on a cell still #VALUE!
    stays until that cell calculates right; the officer's notes stay."""
    excel = Excel(busy_after=3)
    for ref, shown in (("F4", ExcelError("#VALUE!")), ("F6", 12), ("F9", ExcelError("#VALUE!"))):
        excel.cell(ref).shown = shown
        excel.cell(ref).note = note_text(f"Kết quả ở {ref} không phải là số.")
    excel.cell("F5").note = OFFICERS_NOTE
    with classic_add_in(excel) as add_in:
        assert add_in.enter("F4", "PCT_DONE", 3, 4).value == 0.75
        assert add_in.enter("F5", "PCT_DONE", 3, 4).value == 0.75
        add_in.settle()
    assert excel.cell("F4").note is None  # fixed today
    assert excel.cell("F6").note is None  # right already: a stale note of ours
    assert excel.cell("F5").note == OFFICERS_NOTE
    assert excel.cell("F9").note == note_text("Kết quả ở F9 không phải là số.")  # still #VALUE!


def test_the_officer_fixes_the_input_and_our_note_goes_while_excel_was_busy():
    """Excel rejects the note's COM calls a few times (still calculating): xlwings' retries
    carry it through; once the cell calculates right, the note is taken off."""
    excel = Excel(busy_after=4)
    with classic_add_in(excel) as add_in:
        assert add_in.enter("D5", "ROUND_TARGET", 46, 25, "50 phần trăm").value == \
            ExcelError("#VALUE!")
        add_in.settle()
        assert excel.rejected >= 4
        assert excel.cell("D5").note == note_text("Tỷ lệ '50 phần trăm' không phải là tỷ lệ "
                                                  "(ví dụ 50%).")
        assert excel.cell("D5").note.endswith("tự xoá khi ô hết lỗi.)")
        excel.busy_after = 3
        assert add_in.enter("D5", "ROUND_TARGET", 46, 25, "50%").value == 0
        add_in.settle()
    assert excel.cell("D5").note is None
    assert excel.written_while_calculating == []  # never a change during the calculation


def test_a_new_reason_replaces_ours_and_a_fix_right_after_an_error_wins():
    excel = Excel(busy_after=6)
    with classic_add_in(excel) as add_in:
        add_in.enter("B2", "PCT_DONE", "ba", 4)
        add_in.settle()
        add_in.enter("B2", "PCT_DONE", 3, "bốn")
        add_in.settle()
        assert excel.cell("B2").note.startswith("xladdin — #VALUE!: Chỉ tiêu")
        assert excel.cell("B2").note.count("xladdin") == 2  # replaced, not added to
        # errors then at once their fixes, all before Excel lets the first note in: the
        # notes' changes are made in the order of the calls
        excel.busy_after = 12
        fixed = [f"E{row}" for row in range(2, 14)]
        for ref in fixed:
            add_in.enter(ref, "PCT_DONE", "ba", 4)
            assert add_in.enter(ref, "PCT_DONE", 3, 4).value == 0.75
        add_in.settle()
    assert [excel.cell(ref).note for ref in fixed] == [None] * len(fixed)


def test_the_officers_own_note_is_never_touched():
    excel = Excel(busy_after=2)
    excel.cell("C7").note = OFFICERS_NOTE
    with classic_add_in(excel) as add_in:
        add_in.enter("C2", "REMAINING", "x", 1)  # a note of ours elsewhere: clearing is on
        assert add_in.enter("C7", "REMAINING", 46, "hai mươi").value == ExcelError("#VALUE!")
        add_in.settle()
        assert excel.cell("C7").note == OFFICERS_NOTE
        assert add_in.enter("C7", "REMAINING", 46, 20).value == 26
        add_in.settle()
    assert excel.cell("C7").note == OFFICERS_NOTE
    assert excel.cell("C2").note is not None and excel.cell("C2").note.startswith("xladdin")


def test_a_note_that_cannot_be_written_is_logged_and_dropped(monkeypatch, caplog):
    """Protected sheet: no note, no error.  Excel busy past our patience: the retries stop,
    a warning is logged; the cell shows #VALUE! all along and nothing is raised."""
    protected = Excel(objects_protected=True)
    with classic_add_in(protected) as add_in:
        assert add_in.enter("B2", "REMAINING", "x", 1).value == ExcelError("#VALUE!")
        add_in.settle()
    assert protected.cell("B2").note is None
    stuck = Excel(busy_after=10**9)
    with caplog.at_level("WARNING", logger="xladdin.udfs"), classic_add_in(stuck) as add_in:
        monkeypatch.setattr(add_in.desktop, "PATIENCE", 0.5)
        shown = add_in.enter("B2", "REMAINING", "x", 1)
        add_in.settle(timeout=10)
    assert not shown.crashed and shown.value == ExcelError("#VALUE!")
    assert stuck.cell("B2").note is None and stuck.rejected > 3
    assert "notes could not be changed (_put_note)" in caplog.text


def test_a_bug_is_a_value_error_with_a_vietnamese_note_not_a_traceback():
    with classic_add_in() as add_in:
        def broken(*_args):
            raise ZeroDivisionError("division by zero")

        add_in.planning.round_target = broken
        shown = add_in.enter("B2", "ROUND_TARGET", 46, 25)
        add_in.settle()
        note = add_in.excel.cell("B2").note
    assert not shown.crashed and shown.value == ExcelError("#VALUE!")
    assert note == note_text(udfs.planning.UNEXPECTED)


def test_caller_is_hidden_from_the_officer_and_the_other_runtimes():
    """xlwings' VBA wrapper passes Nothing for caller (call_udf puts the cell there) and
    the function wizard lists only the officer's arguments; the functions Excel on the
    web, Server and Lite register (udfs) have no caller at all."""
    with classic_add_in() as add_in:
        written = io.StringIO()
        book = type("Book", (), {"Name": "xlwings.xlam"})()
        add_in.xlwings_udfs.generate_vba_wrapper(
            "xladdin.excel.desktop_entry", add_in.entry, written, book)
        vba = written.getvalue()
        meta = add_in.entry.SPLIT_TARGET.__xlfunc__
        original = add_in.planning.SPLIT_TARGET.__xlfunc__
    assert "Function SPLIT_TARGET(total, weights, Optional method, Optional minimum)" in vba
    assert 'CallUDF("xladdin.excel.desktop_entry", "SPLIT_TARGET", ' \
        "Array(total, weights, method, minimum, Nothing)" in vba
    assert [a["doc"] for a in meta["args"] if not a["vba"]] == \
        [a["doc"] for a in original["args"]]
    assert meta["ret"] == original["ret"] and meta["ret"]["options"] == {"expand": "table"}
    for name in udfs.__all__:
        assert "caller" not in inspect.signature(getattr(udfs, name)).parameters


def test_the_officers_words_added_to_our_note_make_it_theirs():
    """Red team: a remark typed under our note was deleted with it. Only the exact form we
    write is ours: the remark stays, and so does the note around it."""
    excel = Excel()
    with classic_add_in(excel) as add_in:
        add_in.enter("B2", "PCT_DONE", "ba", 4)
        add_in.settle()
        excel.cell("B2").note += "\nLan: xã A chưa gửi số, hỏi lại thứ Hai"
        remarked = excel.cell("B2").note
        add_in.enter("B2", "PCT_DONE", "bốn", 4)  # another error: not written over
        add_in.settle()
        assert excel.cell("B2").note == remarked
        add_in.enter("B2", "PCT_DONE", 3, 4)  # fixed: not deleted
        add_in.settle()
    assert excel.cell("B2").note == remarked


def test_one_note_left_costs_a_few_com_calls_per_calculation_not_per_cell():
    """Red team: with one note of ours left, each good call cost 3 COM calls after the
    calculation (9,010 for 3,000 cells).  Now one sweep per calculation, a few calls per
    note of ours out; the note whose cell is fixed in that calculation goes."""
    excel = Excel(busy_after=5)
    with classic_add_in(excel) as add_in:
        add_in.calculate([("B2", "REMAINING", "x", 1), ("B3", "REMAINING", "y", 1)])
        add_in.settle()
        before = sum(excel.background_calls.values())
        shown = add_in.calculate([(f"C{row}", "REMAINING", 2, 1) for row in range(3, 3003)]
                                 + [("B3", "REMAINING", 3, 1)])
        add_in.settle()
        spent = sum(excel.background_calls.values()) - before
    assert [s.value for s in shown] == [1] * 3000 + [2]
    assert excel.cell("B2").note is not None and excel.cell("B3").note is None
    assert spent < 40, excel.background_calls  # (was 3 per good cell)


def test_a_closed_workbook_is_no_longer_followed():
    excel = Excel()
    with classic_add_in(excel) as add_in:
        add_in.enter("B2", "REMAINING", "x", 1)
        add_in.settle()
        excel.book_open = False  # closed (with our note saved in it)
        add_in.enter("B3", "REMAINING", 2, 1)
        add_in.settle()
        assert add_in.desktop.NOTES.out == set()
        calls = sum(excel.background_calls.values())
        add_in.enter("B4", "REMAINING", 2, 1)  # nothing out any more: nothing to do
        add_in.settle()
        assert sum(excel.background_calls.values()) == calls


def test_a_spilled_split_target_that_turns_bad_is_resized_by_xlwings_and_noted():
    """=SPLIT_TARGET spilled over B2:D2, a weight then typed as text: xlwings shrinks the
    array formula to B2 after the calculation (its delayed resize, on the same loop as our
    note) and the note sits on B2; nothing fails on the way."""
    excel = Excel(busy_after=3)
    excel.cell("B2").formula = "=SPLIT_TARGET(10,E2:G2)"
    with classic_add_in(excel) as add_in:
        shown = add_in.enter("B2:D2", "SPLIT_TARGET", 10, [[1, "hai", 3]])
        add_in.settle()
    assert shown.grid == [[ExcelError("#VALUE!")]]
    assert excel.cell("B2").note == note_text("Trọng số thứ 2 'hai' không phải là số.")
    assert excel.cell("B2").formula == "=SPLIT_TARGET(10,E2:G2)"  # set again on B2 alone
    assert excel.background_calls["Range.ClearContents"] == 1  # xlwings' resize ran
    assert excel.written_while_calculating == []
