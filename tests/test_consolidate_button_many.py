"""The «Tổng hợp» button above MANY_UNITS units, through the Excel stand-in (issue 16: one
layout per sheet, two renderers): «Tổng hợp» keeps the whole unit's six columns, as the
summary file does, and each unit's numbers are rows of «Theo kỳ» and «Chỉ tiêu đơn vị»,
written from the same layouts as the file's.  LibreOffice recalculates what the button
wrote (Excel would, before the next click): totals, rates and every unit's row are the
engine's; «Đợt mới», «Báo cáo lên» and a second «Tổng hợp» read the long layout right.

One book of MANY_UNITS + 4 units (a few sheets more than the limit keep the run short):
«Tạo biểu mẫu» adds a sheet per unit, the units type their results, a tenth of them never
send (their sheets deleted), one types a word."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import openpyxl
import pytest
from xladdin import contract as c
from xladdin.bundled import catalogue
from xladdin.engine.consolidate import consolidate
from xladdin.engine.next_round import next_round
from xladdin.grid.calamine_grid import open_workbook
from xladdin.jobs import read_plan_file
from xladdin.reader.book_forms import read_form_sheets
from xladdin.writer.plan import write_plan
from xladdin.writer.summary_progress import MANY_UNITS

from libreoffice import recalculate
from standin import run_script
from standin_lab import SCRIPTS, typed_over
from test_summary_many_units import many_plan

pytestmark = pytest.mark.libreoffice

UNITS = MANY_UNITS + 4
FORMULA_LIKE = "=SUM(A1:A9)"  # a unit's name (red team): text wherever a button writes it
FIRST = 5  # 1-based: «Tổng hợp»'s and «Chỉ tiêu đơn vị»'s header row, «Theo kỳ»'s first unit


def typed(n: int, row: int) -> int:
    """What unit ``n`` types in the form's row ``row`` (9…15: the seven inputs)."""
    return 200 + n if row == 15 else (n * 7 + row * 3) % 40 + 1


def never_sent(n: int) -> bool:
    return n % 9 == 4


class Run:
    pass


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("button-many")
    plan = many_plan(UNITS)
    children = (plan.children[0], replace(plan.children[1], name=FORMULA_LIKE), *plan.children[2:])
    plan = replace(plan, meta=replace(plan.meta, parent_code="01"), children=children)
    forms = run_script(SCRIPTS, "make_forms", write_plan(plan, root / "plan.xlsx"),
                       root / "forms.xlsx").out_path
    book = openpyxl.load_workbook(forms)
    sheets = book.worksheets[-len(plan.children):]  # one a unit, in order
    for n, sheet in enumerate(sheets):
        if never_sent(n):
            del book[sheet.title]
            continue
        for row in range(9, 16):
            sheet.cell(row, 5).value = typed(n, row)
    sheets[10]["E9"] = "mười"
    book.save(root / "filled.xlsx")
    r = Run()
    (r.filled,) = recalculate([root / "filled.xlsx"], root / "lo-filled")
    r.plan = read_plan_file(r.filled).plan
    with open_workbook(r.filled) as grid:  # the engine's summary of the very same sheets
        sheets = read_form_sheets(grid, r.plan, catalogue(), dt.datetime.min,
                                  skip={"Kế hoạch", "Đơn vị"})
    r.summary = consolidate(r.plan, sheets, catalogue(), same_book=True)
    r.button = run_script(SCRIPTS, "consolidate_sheets", r.filled, root / "button.xlsx")
    (r.shown,) = recalculate([r.button.out_path], root / "lo-button")
    r.new_round = run_script(SCRIPTS, "new_round", r.shown, root / "new-round.xlsx")
    r.report_up = run_script(SCRIPTS, "report_up", r.shown, root / "report-up.xlsx")
    r.again = run_script(SCRIPTS, "consolidate_sheets", r.shown, root / "again.xlsx")
    r.typed_over = run_script(SCRIPTS, "new_round", typed_over(r.shown, root / "typed.xlsx",
                                                               "E6", 999), root / "typed-nr.xlsx")
    book = openpyxl.load_workbook(r.shown)  # the first unit's numbers on «Theo kỳ» cleared;
    for cell in book[c.PERIOD_SHEET][FIRST][11:]:  # the totals over them recalculate (as
        cell.value = None  # Excel would: book_json has LibreOffice do it), so they add up
    book.save(root / "row-cleared.xlsx")
    r.row_cleared = run_script(SCRIPTS, "report_up", root / "row-cleared.xlsx",
                               root / "row-cleared-up.xlsx")
    return r



def sheet_rows(path, sheet: str, first: int, last: int) -> list[tuple]:
    book = openpyxl.load_workbook(path, data_only=True)
    return list(book[sheet].iter_rows(min_row=first, max_row=last, values_only=True))


def number(value):
    return None if value is None else float(value)


def test_the_summary_sheet_keeps_six_columns_and_the_engines_totals(run):
    s = run.summary
    assert len(s.counted) == UNITS - sum(map(never_sent, range(UNITS))) - 1
    assert f"{len(s.counted)}/{UNITS}" in run.button.alerts[0]["prompt"]
    book = openpyxl.load_workbook(run.shown, data_only=True)
    main = book[c.SUMMARY_SHEET]
    assert main.max_column == 6  # was 6 + one column per unit
    assert [cell.value for cell in main[FIRST]] == [
        c.CODE, c.NAME, c.UNIT, c.ROUND_TARGET, c.RESULT, c.PCT]
    assert "trang «Theo kỳ»" in main["A4"].value and main["B3"].value == 1  # the round
    for i, r in enumerate(s.rows):
        code, _, _, target, result, pct = (cell.value for cell in main[FIRST + 1 + i])
        assert code == r.code
        assert number(target) == number(s.total_target(r.code)), r.code
        assert result == pytest.approx(number(s.total_result(r.code)), rel=1e-12), r.code
        if not r.is_rate and s.total_target(r.code):
            assert pct == pytest.approx(s.total_result(r.code) / s.total_target(r.code))
    # the units typed these: the engine and the sheet say the same as the forms
    counted = [n for n, u in enumerate(run.plan.children) if u.code in s.counted]
    assert main["E6"].value == sum(typed(n, 9) for n in counted)


def test_each_unit_is_a_row_of_the_period_and_targets_sheets(run):
    s = run.summary
    results = sheet_rows(run.shown, c.PERIOD_SHEET, FIRST, FIRST + UNITS)
    targets = sheet_rows(run.shown, c.TARGETS_SHEET, FIRST + 1, FIRST + 1 + UNITS)
    assert not any(results[UNITS]) and not any(targets[UNITS])  # one row a unit, no more
    for i, unit in enumerate(s.units):
        mine = results[i]
        assert mine[3:5] == (unit.code, unit.name)
        numbers = mine[11:11 + len(s.rows)]
        if unit.code in s.counted:
            assert mine[5] == "Đã nhận" and mine[10] == 1  # «Mới nhất»
            expected = [number(s.results[unit.code].get(r.code)) for r in s.rows]
            assert numbers == pytest.approx(expected, rel=1e-12), unit.name
        else:
            assert mine[5] in ("Chưa gửi", "Có lỗi – chưa cộng") and not any(numbers)
        assert targets[i][:2] == (unit.code, unit.name)
        assert list(targets[i][2:2 + len(s.rows)]) == [
            number(s.targets.get(unit.code, {}).get(r.code)) for r in s.rows]


def test_the_status_block_lists_every_unit_with_a_link_to_its_sheet(run):
    head = FIRST + len(run.summary.rows) + 2
    rows = sheet_rows(run.shown, c.SUMMARY_SHEET, head, head + UNITS + 1)
    assert rows[0][:3] == (c.UNIT_CODE, c.UNIT_NAME, "Tình trạng")
    assert [r[0] for r in rows[1:UNITS + 1]] == [u.code for u in run.summary.units]
    assert rows[UNITS + 1][0] is None
    links = openpyxl.load_workbook(run.button.out_path)[c.SUMMARY_SHEET]
    first = run.summary.units[0]
    assert links.cell(head + 1, 4).value == f'=HYPERLINK("#\'{first.name}\'!A1","{first.name}")'
    assert rows[1 + 4][2] == "Chưa gửi" and rows[1 + 4][3] is None  # no sheet to link to
    assert rows[2][1] == FORMULA_LIKE and links.cell(head + 2, 2).data_type == "s"  # a name
    # every issue names its sheet; the plan's own sheets («Giải thích phân bổ», «_phanbo»)
    # are not said to be «not a form» on every click (red team LOW)
    issues = [r for r in sheet_rows(run.button.out_path, c.ISSUES_SHEET, 6, 200) if r[0]]
    assert issues and all(r[1] for r in issues), issues
    assert not [r for r in issues if r[3] == "not-a-form"], issues


def test_new_round_carries_the_engines_totals_from_the_long_layout(run):
    assert "sang đợt 2" in run.new_round.alerts[0]["prompt"]
    s, plan = run.summary, run.plan
    advanced = next_round(plan, {r.code: s.total_result(r.code) for r in s.rows})
    out = run.new_round.out_path
    done = [row[4] for row in sheet_rows(out, "Kế hoạch", 6, 5 + len(plan.rows))]
    for i, r in enumerate(plan.rows):
        if not r.is_rate and not plan.parts_present(r):
            assert done[i] == number(advanced.row(r.code).done), r.code
    meta = {row[0]: row[1] for row in sheet_rows(out, "_meta", 1, 40) if row[0]}
    assert str(meta[c.KEY_ROUND]) == "2"


def test_report_up_and_a_second_click_read_the_long_layout(run):
    s = run.summary
    message = run.report_up.alerts[0]["prompt"]
    assert f"{len(s.counted)}/{UNITS} đơn vị" in message, message  # from the status block
    form = openpyxl.load_workbook(run.report_up.out_path, data_only=True)["Báo cáo lên"]
    codes = {form.cell(row, 1).value: form.cell(row, 5).value for row in range(1, 40)}
    assert codes["BPTT_DCTC"] == s.total_result("BPTT_DCTC")
    # its own sheets are not read as forms on the next click: the same count, no new issue
    assert run.again.alerts[0]["prompt"].splitlines()[0] == run.button.alerts[0][
        "prompt"].splitlines()[0]
    issues = sheet_rows(run.again.out_path, c.ISSUES_SHEET, 6, 200)
    assert len([r for r in issues if r[0]]) == len(
        [r for r in sheet_rows(run.button.out_path, c.ISSUES_SHEET, 6, 200) if r[0]])


def test_a_total_typed_over_is_never_carried_into_the_next_round(run):
    """Red team (MEDIUM): «Đợt mới» carried a Kết quả typed over; now the summary file's
    check (each total is its units' sum, here their rows of «Theo kỳ») stops it."""
    message = run.typed_over.alerts[0]["prompt"]
    assert "E6" in message and "khác tổng các đơn vị" in message and "999" in message, message
    assert [a["func"] for a in run.typed_over.actions] == ["alert"]  # nothing written


def test_a_units_numbers_cleared_from_the_period_sheet_are_never_sent_up(run):
    """Red team (MEDIUM): the first unit's numbers cleared on «Theo kỳ» (the totals over
    them recalculated, so Kết quả still adds up): «Báo cáo lên» consolidates the report
    sheets again, finds the totals short of them and refuses."""
    message = run.row_cleared.alerts[0]["prompt"]
    assert "không còn khớp" in message and "bấm «Tổng hợp» lại" in message, message
    assert [a["func"] for a in run.row_cleared.actions] == ["alert"]
