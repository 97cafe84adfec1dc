"""A summary of more units than MANY_UNITS keeps a constant width (issue 12): «Tổng hợp»
holds the whole unit's columns only, each unit's numbers are rows («Theo kỳ», «Chỉ tiêu
đơn vị», «Tiến độ», «Nguồn số liệu»: one unit a row, they print and filter).  LibreOffice
recalculates it with poisoned caches; every stored value is what it computes; next-round,
validate and read_report read each unit's numbers back from the rows."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import replace
from fractions import Fraction

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xladdin import contract as c
from xladdin.bundled import catalogue
from xladdin.engine.consolidate import Submission, consolidate
from xladdin.engine.forms import plan_forms
from xladdin.engine.model import FormReading, Meta, Plan, PlanRow
from xladdin.engine.units import Unit
from xladdin.engine.year import consolidate_year
from xladdin.grid.calamine_grid import open_workbook
from xladdin.reader.summary_reader import read_report_data, read_unit_results, total_issues
from xladdin.writer.summary import write_summary
from xladdin.writer.summary_progress import MANY_UNITS

from libreoffice import recalculate
from test_cached_values import formula_cells, same

UNITS = 80
CODES = ("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_LAMSANG", "KHAM_PK", "CPR_TUSO",
         "CPR_MAUSO", "CPR")


def many_plan(units: int = UNITS) -> Plan:
    cat = catalogue()
    children = tuple(Unit(f"{20000 + i:05d}", f"Xã số {i + 1}", "31", weight=500 + (i * 53) % 700)
                     for i in range(units))
    rows = tuple(PlanRow(code, cat.get(code).name, cat.get(code).unit,
                         None if cat.get(code).is_rate or cat.get(code).is_stock else 40_000,
                         None, None, round_share=Fraction(1, 2), parts=cat.get(code).parts,
                         kind=cat.get(code).kind)
                 for code in CODES)
    return Plan(Meta("plan", "31", "Thành phố Hải Phòng", year=2026, round=1, created_at="x"),
                children, rows)


def submissions(plan: Plan, period: str | None = None, month: int = 5, blank_stocks=()):
    """The forms of a period as read back; ``blank_stocks``: indexes of units that left
    their stocks blank (not reported this period: the year keeps their earlier level)."""
    found = []
    forms = plan_forms(plan, due_date=f"2026-{month:02d}-15", catalogue=catalogue(),
                       period=period)
    for i, form in enumerate(forms):
        if i % 9 == 4:
            continue  # never sent
        rows = tuple(
            r if r.is_rate or r.parts else replace(
                r, result=None if r.is_stock and i in blank_stocks
                else (i * 7 + month) % 40 + 1 if r.round_target is None or r.is_stock
                else (r.round_target * ((i + month) % 6)) // 4)
            for r in form.rows)
        path = f"/hop-thu/{form.meta.unit_code}-{month}.xlsx"
        reading = FormReading(path, replace(form, rows=rows), {}, "Báo cáo", ())
        found.append(Submission(path, dt.datetime(2026, month, 10 + i % 8), reading))
    return found


@pytest.fixture(scope="module")
def round_summary():
    plan = many_plan()
    return consolidate(plan, submissions(plan), catalogue())


@pytest.fixture(scope="module")
def year_summary():
    """Two months of 65 units; 10 of them left their stocks blank in February."""
    plan = many_plan(MANY_UNITS + 5)
    both = submissions(plan, "2026-01", 1) + submissions(plan, "2026-02", 2, range(10))
    return consolidate_year(plan, both, catalogue())


@pytest.fixture(scope="module")
def year_few():
    """The same with 8 units: a column per unit on «Tổng hợp»."""
    plan = many_plan(8)
    both = submissions(plan, "2026-01", 1) + submissions(plan, "2026-02", 2, (0, 5))
    return consolidate_year(plan, both, catalogue())


def test_a_summary_of_many_units_has_a_constant_width(round_summary, tmp_path):
    path = write_summary(round_summary, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    main = book[c.SUMMARY_SHEET]
    assert main.tables[c.SUMMARY_TABLE].ref == f"A5:F{5 + len(round_summary.rows)}"
    targets = book[c.TARGETS_SHEET]
    assert targets.tables[c.TARGETS_TABLE].ref.endswith(str(5 + UNITS))  # a row per unit
    assert [cell.value for cell in targets[5]][:2] == [c.UNIT_CODE, c.UNIT_NAME]
    for sheet in (main, targets, book[c.PROGRESS_SHEET], book[c.SOURCES_SHEET]):
        assert sheet.max_column <= 25, sheet.title  # never a column per unit
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if "comments" in n]
    assert "trang «Theo kỳ»" in main["A3"].value  # where each unit's numbers are
    for name, table in ((c.TARGETS_SHEET, c.TARGETS_TABLE), (c.PERIOD_SHEET, c.PERIOD_TABLE),
                        (c.PROGRESS_SHEET, c.PROGRESS_TABLE), (c.SOURCES_SHEET, c.SOURCES_TABLE)):
        assert book[name].tables[table].autoFilter is not None, name  # find a unit
        assert book[name].protection.autoFilter is False, name  # … on a protected sheet


@pytest.mark.libreoffice
@pytest.mark.parametrize("which", ["round_summary", "year_summary", "year_few"])
def test_libreoffice_computes_what_the_engine_says(which, request, tmp_path):
    """Poisoned caches (every formula stored as 0): after LibreOffice's recalculation the
    whole unit's totals and each unit's % đạt are the engine's; and the file as written
    stores, in every formula cell, what LibreOffice computes."""
    summary = request.getfixturevalue(which)
    if which != "round_summary":  # a blank stock keeps the unit's January level
        unit = summary.units[0].code
        assert summary.results[unit]["CPR_TUSO"] == summary.periods[0].results[unit]["CPR_TUSO"]
    written = write_summary(summary, tmp_path / "written.xlsx")
    poisoned = write_summary(summary, tmp_path / "poisoned.xlsx", cache=False)
    again, computed = recalculate([written, poisoned], tmp_path / "out")
    rows = CalamineWorkbook.from_path(str(computed)).get_sheet_by_name(
        c.SUMMARY_SHEET).to_python()
    line = {r[0]: r for r in rows[5:] if r and r[0]}
    for r in summary.rows:
        total, target = summary.total_result(r.code), summary.total_target(r.code)
        assert line[r.code][4] == pytest.approx(float(total)), r.code
        if not r.is_rate:
            assert line[r.code][3] == ("" if target is None else pytest.approx(float(target)))
    stored, recalculated = (CalamineWorkbook.from_path(str(p)) for p in (written, again))
    wrong = []
    for sheet, cells in formula_cells(written).items():
        before = stored.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        after = recalculated.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        wrong += [f"{sheet}!R{row + 1}C{col + 1}: {before[row][col]!r} ≠ {after[row][col]!r}"
                  for row, col in cells if not same(before[row][col], after[row][col])]
    assert not wrong, wrong[:10]


def test_readers_find_each_unit_in_the_rows(round_summary, tmp_path):
    path = write_summary(round_summary, tmp_path / "s.xlsx")
    with open_workbook(path) as grid:
        by_unit = read_unit_results(grid, round_summary.plan.children)
        data, issues = read_report_data(grid, catalogue())
        assert total_issues(grid, catalogue()) == []
    assert not issues
    assert set(by_unit) == set(round_summary.counted)
    for unit in round_summary.counted:
        for code, value in round_summary.results[unit].items():
            if value is not None:
                assert by_unit[unit][code] == value, (unit, code)
    targets = {(r.unit_code, r.indicator_code): r.target for r in data.records}
    unit = round_summary.counted[3]
    assert targets[(unit, "KHAM_PK")] == round_summary.targets[unit]["KHAM_PK"]


def test_a_total_typed_over_is_an_error(round_summary, tmp_path):
    path = write_summary(round_summary, tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[c.SUMMARY_SHEET]
    row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(r, 1).value == "KHAM_PK")
    sheet.cell(row, 5).value = 12345
    book.save(tmp_path / "edited.xlsx")
    with open_workbook(tmp_path / "edited.xlsx") as grid:
        found = total_issues(grid, catalogue())
    assert [(i.rule, i.cell) for i in found] == [("total-mismatch", f"E{row}")]


def test_next_round_carries_each_unit_from_the_rows(tmp_path):
    """The officer's round: 70 communes send their forms, consolidate, next-round.  Each
    child's own results reach «Còn lại đơn vị» (contract §9), read from «Theo kỳ»; with
    one form missing, next-round names that commune (never a silent 0 or the weights)."""
    from xladdin import jobs
    from xladdin.engine.forms import form_filename
    from xladdin.errors import InputError
    from xladdin.writer.batch import write_forms
    from xladdin.writer.plan import write_plan

    plan = many_plan(70)
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    typed = {}
    forms = []
    for i, form in enumerate(plan_forms(plan, due_date="2026-05-15", catalogue=catalogue())):
        rows = tuple(r if r.is_rate or r.parts else replace(r, result=(i * 3) % 17 + 1)
                     for r in form.rows)
        typed[form.meta.unit_code] = {r.code: r.result for r in rows if r.result is not None}
        name = form_filename(form.meta.unit_code, form.meta.unit_name)
        forms.append((replace(form, rows=rows), tmp_path / "inbox" / name))
    write_forms(forms)
    jobs.consolidate(tmp_path / "inbox", plan_path, tmp_path / "summary.xlsx")
    new_plan = jobs.next_round(plan_path, tmp_path / "summary.xlsx", tmp_path / "plan2.xlsx")
    row = next(r for r in new_plan.rows if r.code == "KHAM_PK")
    assert row.child_done == tuple(typed[u.code]["KHAM_PK"] for u in plan.children)
    assert row.done == sum(typed[u.code]["KHAM_PK"] for u in plan.children)

    missing = forms[12][1]
    missing.unlink()
    jobs.consolidate(tmp_path / "inbox", plan_path, tmp_path / "summary2.xlsx")
    with pytest.raises(InputError, match=plan.children[12].code):
        jobs.next_round(plan_path, tmp_path / "summary2.xlsx", tmp_path / "plan3.xlsx")


def test_many_indicators_print_across_pages_not_shrunk(tmp_path, monkeypatch):
    """The whole catalogue (29 indicators) in rows of 80 units: «Theo kỳ» and «Chỉ tiêu đơn
    vị» fitted to one page wide would print 3–4 pt text (red team); they print at 75 %
    over pages side by side, each page naming its units, the title on the first."""
    import test_summary_many_units as here

    monkeypatch.setattr(here, "CODES", tuple(catalogue()._by_code))
    plan = many_plan()
    summary = consolidate(plan, submissions(plan), catalogue())
    book = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx"))
    for name, units in ((c.PERIOD_SHEET, "$D:$E"), (c.TARGETS_SHEET, "$A:$B")):
        sheet = book[name]
        assert sheet.page_setup.scale == 75 and not sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_cols == units, name
        title = next(str(r) for r in sheet.merged_cells.ranges if str(r).startswith("A1:"))
        title_end = openpyxl.utils.column_index_from_string(title[3:].rstrip("0123456789"))
        assert title_end < len(summary.rows), name  # the first page's columns, not all 40
    assert book[c.SUMMARY_SHEET].sheet_properties.pageSetUpPr.fitToPage  # «Tổng hợp» fits


@pytest.mark.parametrize("units", [8, UNITS])
def test_a_number_typed_over_in_theo_ky_is_never_sent(units, tmp_path):
    """Red team: «Theo kỳ» L5 (the first unit's BPTT_DCTC) changed in the file's XML, the
    stored totals left as they were: validate, export/read_report and next-round all see
    the units no longer add up to «Tổng hợp» (an error naming its cell), whether the
    units are columns of «Tổng hợp» (8) or rows of «Theo kỳ» only (80)."""
    import re

    plan = many_plan(units)
    summary = consolidate(plan, submissions(plan), catalogue())
    path = write_summary(summary, tmp_path / "s.xlsx")
    edited = tmp_path / "edited.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":  # «Theo kỳ»
                data, n = re.subn(rb'(<c r="L5" s="\d+"><v>)\d+(</v>)', rb"\g<1>999\g<2>", data)
                assert n == 1
            target.writestr(item, data)
    with open_workbook(edited) as grid:
        assert grid.sheet_names[2] == c.PERIOD_SHEET
        found = total_issues(grid, catalogue())
        _, issues = read_report_data(grid, catalogue())
    row = 6 + [r.code for r in summary.rows].index("BPTT_DCTC")
    assert [(i.rule, i.cell) for i in found] == [("total-mismatch", f"E{row}")]
    assert "Theo kỳ" in found[0].message
    assert [i.rule for i in issues if i.is_error] == ["total-mismatch"]


@pytest.mark.parametrize("units", [8, UNITS])
def test_a_summary_saved_without_its_values_reads_the_same_totals(units, tmp_path):
    """Saved by a tool that does not calculate (openpyxl keeps no cached values): every
    Kết quả, rates and combined rows included, is computed from the units' numbers,
    never read as missing or as a sum of rates."""
    from xladdin.reader.summary_reader import read_summary

    plan = many_plan(units)
    summary = consolidate(plan, submissions(plan), catalogue())
    book = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx"))
    book.save(tmp_path / "uncalculated.xlsx")
    with open_workbook(tmp_path / "uncalculated.xlsx") as grid:
        _, results, issues = read_summary(grid)
    assert not [i for i in issues if i.is_error]
    for r in summary.rows:
        assert results[r.code] == summary.total_result(r.code), r.code
