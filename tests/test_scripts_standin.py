"""The one-click buttons (``xladdin.scripts``) through the Excel stand-in.

Each run is what happens when an officer clicks a button of the add-in: the workbook as
the JSON Excel posts, the script in xlwings Server mode, its actions applied to a copy,
then LibreOffice recalculates the copy and the tests read what the officer sees (cell
values, the «Kiểm tra» rows, the alert).  The workbooks are the project's own (demo
plans and forms), some edited the way officers edit them.

LibreOffice is slow to start, so the runs go in stages and each stage's files are
recalculated in one LibreOffice run (files edited with openpyxl keep no computed values,
and Excel would compute them before a script sees the book).
"""

from __future__ import annotations

import openpyxl
import pytest
from xladdin.engine.apportion import apportion, largest_remainder
from xladdin.engine.plan_values import child_weights, resolve_plan
from xladdin.jobs import read_form_file, read_plan_file

from standin_lab import PLAN, Lab, build_lab, check_rows, formulas, row_values, values

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Lab:
    return build_lab(tmp_path_factory.mktemp("scripts"))


# -- Phân bổ ----------------------------------------------------------------------------------
def test_split_writes_the_native_formulas_wherever_the_officer_clicked(lab):
    assert "6 chỉ tiêu" in lab.alert("split_live") and "công thức" in lab.alert("split_live")
    out, shown = lab.runs["split_live"].out_path, lab.shown["split_live"]
    assert all(
        "_phanbo" in f for f in formulas(out, "H6:V6")
    )  # the live split (writer.live_split)
    plan = read_plan_file(lab.hp).plan
    computed = resolve_plan(plan)
    for row in (6, 7, 8, 9, 11, 12):
        code = plan.rows[row - 6].code
        assert row_values(shown, f"H{row}:V{row}") == list(computed[code].shares), code
        assert values(shown, f"W{row}") == "Khớp"


def test_split_by_another_method_writes_numbers_and_says_so(lab):
    assert "D'Hondt, mức tối thiểu 1" in lab.alert("split_hp_dhondt")
    out, shown = lab.runs["split_hp_dhondt"].out_path, lab.shown["split_hp_dhondt"]
    plan = read_plan_file(lab.hp).plan
    weights, computed = child_weights(plan), resolve_plan(plan)
    differs = False
    for row in (6, 7, 8, 9, 11, 12):
        target = computed[plan.rows[row - 6].code].round_target
        expected = apportion(target, weights, "dhondt", 1)
        assert formulas(out, f"H{row}:V{row}") == expected  # numbers, not formulas
        assert row_values(shown, f"H{row}:V{row}") == expected
        assert values(shown, f"W{row}") == "Khớp · D'Hondt"
        differs |= expected != largest_remainder(target, weights)
    assert differs
    assert values(shown, "H10") == sum(
        values(shown, f"H{r}") for r in (6, 7, 8, 9)
    )  # the total row
    reading = read_plan_file(shown)
    assert reading.plan.row("BPTT_DCTC").split_method == "dhondt"
    assert not [i for i in reading.issues if i.is_error]


def test_split_again_after_choosing_largest_remainder_brings_the_formulas_back(lab):
    out, shown = lab.runs["split_back"].out_path, lab.shown["split_back"]
    assert all(
        "_phanbo" in f for f in formulas(out, "H6:V6")
    )  # the live split (writer.live_split)
    assert values(shown, "W6") == "Khớp"
    assert read_plan_file(shown).plan.row("BPTT_DCTC").shares is None


def test_a_minimum_too_high_for_a_small_target_is_said_and_that_row_left_alone(lab):
    message = lab.alert("split_hp_minimum")
    assert "Không chia được BPTT_TRIETSAN" in message and "tối thiểu 5" in message
    shown = lab.shown["split_hp_minimum"]
    assert min(row_values(shown, "H6:V6")) >= 5 and sum(row_values(shown, "H6:V6")) == values(
        shown, "G6"
    )
    assert values(shown, "W9") == "Khớp"  # unchanged: still the live split


def test_published_shares_typed_by_hand_are_kept_unless_empty(lab):
    """Excel on the web sends no formulas: a typed row equal to what the split formula
    would show (TUVAN_TNHN) cannot be told from it, and gets the formula; its numbers stay."""
    message = lab.alert("split_published")
    assert (
        "Giữ nguyên 5 chỉ tiêu" in message and "KHAM_PK" in message and "TUVAN_TNHN" not in message
    )
    written = formulas(lab.runs["split_published"].out_path, "H11:L11")
    assert all("_phanbo" in f for f in written)
    assert formulas(lab.runs["split_published"].out_path, "H6:L6") == [
        4,
        5,
        6,
        3,
        12,
    ]  # the published row
    cleared = lab.alert("split_p2_cleared")
    assert "Đã phân bổ 2 chỉ tiêu" in cleared and "Giữ nguyên 4" in cleared
    shown = lab.shown["split_p2_cleared"]
    weights = child_weights(read_plan_file(lab.p2).plan)
    assert (
        row_values(shown, "H6:L6") == largest_remainder(25, weights)
        and values(shown, "M6") == "Khớp"
    )
    assert row_values(shown, "H7:L7") == [1, 2, 2, 1, 4]  # typed, untouched


def test_split_refuses_bad_input_with_a_readable_message(lab):
    text = lab.alert("split_hp_text")
    assert "G8" in text and "bốn mươi" in text and "Kiểm tra" in text and "Traceback" not in text
    assert not [
        a for a in lab.runs["split_hp_text"].actions if a.get("sheet_position") == 0
    ]  # «Kế hoạch» untouched
    rows = check_rows(lab.shown["split_hp_text"])
    assert ["Lỗi", PLAN, "G8", "not-a-number"] == rows[0][:4]
    assert row_values(lab.shown["split_hp_text"], "G8:H8") == ["bốn mươi", None]  # unchanged
    assert (
        values(lab.shown["split_hp_text"], "W8") == "Chỉ tiêu đợt không hợp lệ"
    )  # the check column says why
    assert "trọng số" in lab.alert("split_hp_no_weights").lower()
    assert [a["func"] for a in lab.runs["split_hp_no_weights"].actions] == ["alert"]
    assert "biểu mẫu báo cáo, không phải bảng kế hoạch" in lab.alert("split_form")
    assert [a["func"] for a in lab.runs["split_form"].actions] == ["alert"]
    for name in ("split_hp_text", "split_form"):
        assert lab.runs[name].alerts[0]["mode"] == "critical"


# -- Kiểm tra ---------------------------------------------------------------------------------
def test_check_lists_each_issue_with_a_link_to_its_cell(lab):
    assert "Có 1 lỗi" in lab.alert("check_published")
    out, shown = lab.runs["check_published"].out_path, lab.shown["check_published"]
    rows = check_rows(shown)
    assert rows[0][:4] == ["Lỗi", PLAN, "G6", "split-mismatch"]
    assert "30" in rows[0][4] and "25" in rows[0][4]
    assert (
        openpyxl.load_workbook(out)["Kiểm tra"]["C6"].value == '=HYPERLINK("#\'Kế hoạch\'!G6","G6")'
    )
    assert {r[3] for r in rows[1:]} == {"above-remaining"} and all(
        r[0] == "Cảnh báo" for r in rows[1:]
    )
    assert values(shown, "A3", "Kiểm tra").startswith("Có 1 lỗi")


def test_check_says_plainly_when_there_is_nothing_to_fix(lab):
    assert lab.alert("check_clean").startswith("Không có lỗi.")
    shown = lab.shown["check_clean"]
    assert values(shown, "A3", "Kiểm tra") == "Không có lỗi."
    assert check_rows(shown) == [[None, None, None, None, "Không có lỗi."]]
    assert openpyxl.load_workbook(shown).sheetnames[-1] == "Kiểm tra"


def test_check_a_form_and_a_workbook_that_is_not_ours(lab):
    rows = check_rows(lab.shown["check_form_text"])
    assert ["Lỗi", "Báo cáo", "E9", "not-a-number"] == rows[0][:4] and "mười hai" in rows[0][4]
    assert lab.runs["check_other"].alerts[0]["mode"] == "critical"
    assert "không phải bảng kế hoạch hay biểu mẫu" in lab.alert("check_other")
    assert "bảng tổng hợp" in lab.alert("check_summary")  # its own «Kiểm tra» is kept
    assert [a["func"] for a in lab.runs["check_summary"].actions] == ["alert"]


# -- Tạo biểu mẫu, Tổng hợp, Đợt mới ----------------------------------------------------------
def test_make_forms_adds_one_form_sheet_per_unit(lab):
    assert "5 trang biểu mẫu" in lab.alert("forms_p2")
    shown = lab.shown["forms_p2"]
    book = openpyxl.load_workbook(shown, data_only=True)
    assert book.sheetnames[-5:] == ["KP1", "KP2", "KP3", "KP4", "KP5"]
    kp5 = book["KP5"]
    assert "(mã 19360-KP5)" in kp5["A5"].value
    assert [kp5[f"D{r}"].value for r in range(9, 16)] == [
        12,
        4,
        10,
        11,
        21,
        3,
        4,
    ]  # the published shares
    assert kp5["A8"].value == "Mã" and kp5["E8"].value == "Kết quả"


def test_consolidate_and_new_round_refuse_what_is_not_there_yet(lab):
    assert "Chưa có trang báo cáo nào" in lab.alert("consolidate_nothing")
    assert "Chưa có trang «Tổng hợp»" in lab.alert("round_without_summary")
    for name in ("consolidate_nothing", "round_without_summary"):
        assert [a["func"] for a in lab.runs[name].actions] == ["alert"]


def test_consolidate_totals_the_unit_sheets_and_leaves_out_a_sheet_with_an_error(lab):
    message = lab.alert("consolidate")
    assert "4/5" in message and "KP3" in message
    shown = lab.shown["consolidate"]
    counted = [n for n in lab.typed if n != 3]
    total = sum(lab.typed[n][0] for n in counted)
    # Chỉ tiêu đợt: the units' targets (the published row gives them 30, not 25)
    assert values(shown, "A6:E6", "Tổng hợp")[0] == ["KHAM_PK", "Khám phụ khoa", "lượt", 30, total]
    assert row_values(shown, "G6:K6", "Tổng hợp") == [5, 6, None, 3, 12]
    assert values(shown, "E7", "Tổng hợp") == 0  # blank results count as 0, with a warning
    assert values(shown, "B3", "Tổng hợp") == 2  # the round these results are of
    rows = check_rows(shown)
    assert any(r[:4] == ["Lỗi", "KP3", "E9", "not-a-number"] for r in rows)
    assert any(r[3] == "form-rejected" for r in rows)


def test_new_round_carries_the_results_and_keeps_the_split_live(lab):
    message = lab.alert("new_round")
    assert "đợt 3" in message and "Traceback" not in message
    out, shown = lab.runs["new_round"].out_path, lab.shown["new_round"]
    done = 120 + sum(lab.typed[n][0] for n in lab.typed if n != 3)
    assert row_values(shown, "D6:G6") == [120, done, 120 - done, max(0, 120 - done)]
    assert formulas(out, "G6:G6")[0].startswith("=IF(D6")
    assert all("_phanbo" in f for f in formulas(out, "H6:L6"))
    reading = read_plan_file(shown)
    assert reading.plan.meta.round == 3 and values(shown, "A1").endswith("ĐỢT 3 NĂM 2024")
    daihan = reading.plan.row("BPTT_DAIHAN")
    assert daihan.done == 25 + sum(lab.typed[n][1] for n in lab.typed if n != 3)
    assert row_values(shown, "H8:L8") == largest_remainder(
        max(0, 46 - daihan.done), child_weights(reading.plan)
    )
    assert "không phải tổng hợp của đợt 3" in lab.alert("new_round_twice")
    assert [a["func"] for a in lab.runs["new_round_twice"].actions] == ["alert"]


@pytest.mark.parametrize("script", ["new_round", "report_up"])
def test_a_code_retyped_in_the_buttons_summary_stops_new_round_and_report_up(lab, script):
    """Red team (HIGH): an indicator's code retyped in the «Tổng hợp» sheet the button wrote
    (it is not protected) made «Đợt mới» carry 0 done for it, saying all was carried.  Now the
    button refuses, naming the indicator, and changes nothing."""
    book = openpyxl.load_workbook(lab.shown["consolidate"])
    sheet = book["Tổng hợp"]
    head = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Mã")
    code = sheet.cell(head + 1, 1).value
    sheet.cell(head + 1, 1).value = f"{code} (người)"
    edited = lab.root / "inputs" / f"code_retyped_{script}.xlsx"
    book.save(edited)
    run = lab.run(f"code_retyped_{script}", script, edited)
    message = lab.alert(f"code_retyped_{script}")
    assert "không có dòng của 1 chỉ tiêu" in message and code in message, message
    assert [a["func"] for a in run.actions] == ["alert"]


def test_a_total_typed_over_is_neither_carried_nor_sent_up(lab):
    """Red team (MEDIUM): Kết quả KHAM_PK typed over (999) on the button's «Tổng hợp»: the
    summary file's check (each total is the sum of its units' columns) stops both buttons."""
    for name in ("new_round_typed_over", "report_up_typed_over"):
        message = lab.alert(name)
        assert "KHAM_PK: Kết quả 999 khác tổng các đơn vị" in message and "E6" in message, name
        assert [a["func"] for a in lab.runs[name].actions] == ["alert"], name


def test_a_form_corrected_after_the_click_is_not_carried_until_consolidated_again(lab):
    """Red team (MEDIUM): «Tổng hợp» is stale once a unit's sheet changes (KP1's KHAM_PK 5 →
    7 after the click): «Đợt mới» consolidates the sheets again and refuses, naming both."""
    message = lab.alert("new_round_corrected")
    assert "KHAM_PK" in message and "không còn khớp" in message, message
    assert "bấm «Tổng hợp» lại" in message
    assert [a["func"] for a in lab.runs["new_round_corrected"].actions] == ["alert"]



def test_report_sheets_of_the_round_before_are_not_counted_again(lab):
    """Red team (HIGH): after «Đợt mới» the round's report sheets stay in the book (the
    alert asks to remove them; nothing made it so): «Tổng hợp» counted round 2's numbers
    again as round 3's, with warnings only, and «Đợt mới» added them to Đã thực hiện a
    second time.  Each sheet's title says its round: a sheet of another round is an
    error, left out."""
    run = lab.run("consolidate_old_round", "consolidate_sheets", lab.shown["new_round"])
    message = lab.alert("consolidate_old_round")
    assert "Đã tổng hợp 0/" in message and "Có lỗi, chưa được cộng" in message, message
    out = run.out_path
    rows = check_rows(out)
    wrong = [r for r in rows if r[3] == "wrong-period"]
    assert wrong and all("ĐỢT 2" in r[-1] and "Đợt 3" in r[-1] for r in wrong), wrong

# -- desktop ----------------------------------------------------------------------------------
def test_on_desktop_make_forms_writes_the_form_files_next_to_the_plan(lab, tmp_path):
    from xladdin.book.forms import make_forms
    from xladdin.book.session import BookSession

    from xlwings_book import remote_book

    session = BookSession(remote_book(lab.p2), "Tạo biểu mẫu")
    session.path = tmp_path / "plan.xlsx"  # what desktop Excel gives for a saved plan
    outcome = make_forms(session)
    folder = tmp_path / "bieu-mau-dot-2"
    assert str(folder) in outcome.message and not outcome.error
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"19360-KP{n}_kp{n}.xlsx" for n in range(1, 6)]
    form = read_form_file(folder / files[4]).form
    assert form.row("KHAM_PK").round_target == 12 and form.meta.due_date == "2024-09-16"
    assert session.book.json()["actions"] == []  # nothing added to the book


def test_the_desktop_entries_take_the_calling_book(lab, monkeypatch):
    import xlwings as xw
    from xladdin.excel import desktop_entry

    from xlwings_book import remote_book

    book = remote_book(lab.hp)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    desktop_entry.check_book()
    actions = book.json()["actions"]
    assert actions[0]["func"] == "addSheet" and actions[-1]["func"] == "alert"
    assert actions[-1]["args"][0].startswith("Không có lỗi.")


# -- Báo cáo lên cấp trên ---------------------------------------------------------------------
def test_report_up_writes_the_parents_form_from_the_summary_and_says_what_is_missing(lab):
    """Phường 2's «Tổng hợp» (KP3 left out with an error) fills the form Thị xã Quảng Trị
    asks for; the sheet reads back as Phường 2's form with the summed results."""
    import datetime as dt
    from dataclasses import replace

    from xladdin.bundled import catalogue
    from xladdin.engine.consolidate import consolidate as consolidate_forms
    from xladdin.engine.model import Meta, Plan
    from xladdin.engine.units import Unit
    from xladdin.grid.base import OneSheet
    from xladdin.grid.calamine_grid import open_workbook
    from xladdin.reader.book_forms import read_form_sheets

    message = lab.alert("report_up")
    assert "Thị xã Quảng Trị" in message and "«Báo cáo lên»" in message
    assert message.startswith("CHƯA ĐỦ") and "4/5" in message and "KP3" in message
    shown = lab.shown["report_up"]
    assert "CHƯA ĐỦ" in values(shown, "G9", "Báo cáo lên") and "KP3" in values(
        shown, "G9", "Báo cáo lên")  # the copied sheet says it in Ghi chú
    counted = [n for n in lab.typed if n != 3]
    assert values(shown, "A9:E9", "Báo cáo lên")[0][0] == "KHAM_PK"
    assert values(shown, "E9", "Báo cáo lên") == sum(lab.typed[n][0] for n in counted)
    # the district reads the copied sheet as Phường 2's form, exactly
    parent = read_plan_file(lab.p2).plan
    district = Plan(
        Meta("plan", "462", "Thị xã Quảng Trị", year=2024, round=2),
        (Unit("19360", "Phường 2", "462", weight=1),),
        tuple(replace(r, shares=None) for r in parent.rows),
    )
    grid = open_workbook(shown)
    try:
        submissions = read_form_sheets(
            OneSheet(grid, "Báo cáo lên"), district, catalogue(), dt.datetime.min
        )
    finally:
        grid.close()
    summary = consolidate_forms(district, submissions, catalogue())
    assert summary.counted == ["19360"], [i.message for i in summary.issues]
    assert summary.results["19360"]["KHAM_PK"] == sum(lab.typed[n][0] for n in counted)


def test_on_desktop_report_up_fills_the_form_the_parent_sent_next_to_the_plan(lab, tmp_path):
    from xladdin.book.report_up import report_up
    from xladdin.book.session import BookSession
    from xladdin.bundled import catalogue
    from xladdin.engine.report_up import form_for_parent
    from xladdin.writer.form import write_form

    from xlwings_book import remote_book

    plan = read_plan_file(lab.p2).plan
    sent = form_for_parent(plan, catalogue(), "2024-09-01T08:00:00+07:00")
    received = write_form(sent, tmp_path / "nhan-tu-cap-tren" / "19360_phuong-2.xlsx")
    before = received.read_bytes()
    session = BookSession(remote_book(lab.shown["consolidate"]), "Báo cáo lên cấp trên")
    session.path = tmp_path / "plan.xlsx"  # what desktop Excel gives for a saved plan
    outcome = report_up(session)
    out = tmp_path / "bao-cao-len" / "19360_phuong-2.xlsx"
    assert not outcome.error and str(out) in outcome.message and str(received) in outcome.message
    form = read_form_file(out).form
    assert form.meta.created_at == "2024-09-01T08:00:00+07:00"  # the received form, filled
    counted = [n for n in lab.typed if n != 3]
    assert form.row("KHAM_PK").result == sum(lab.typed[n][0] for n in counted)
    assert received.read_bytes() == before
    # KP3 was left out: the file carries the mark the district's consolidate warns about
    assert outcome.message.startswith("CHƯA ĐỦ")
    assert "KP3" in form.meta.extra["partial_missing"]
    warned = [i for i in read_form_file(out).issues if i.rule == "partial-report"]
    assert len(warned) == 1 and "KP3" in warned[0].message
