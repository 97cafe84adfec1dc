"""A returned form whose numbers would land in the wrong place although no cell looks wrong
(red team): a neighbour's filled form with ``_meta`` and title both changed, two rows whose
codes were swapped, rows deleted.  Each is an error naming the file, sheet and cells; the
form is left out of the totals whole (contract §5), the other units are counted.
(tests/hostile.py makes the plan and the good forms.)"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import openpyxl
from xladdin.engine.forms import plan_forms
from xladdin.writer.form import write_form

import hostile


def consolidate(tmp_path: Path, plan_path: Path) -> tuple[int, dict, str]:
    return hostile.consolidate_cli(tmp_path, plan_path)


def errors_of(report: dict, name: str, rule: str) -> list[dict]:
    return [i for i in report["issues"] if Path(str(i.get("file") or "")).name == name
            and i["rule"] == rule and i["severity"] == "error"]


def test_a_neighbours_form_with_meta_and_title_changed_is_an_error_naming_the_unit(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 3)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    os.utime(forms["U02"], (1_700_000_000, 1_700_000_000))  # U02's own form, sent first
    # U01's filled form, every word of it (``_meta`` and the title line) changed to U02
    blank = list(plan_forms(plan, due_date="2026-05-15"))
    filled = {r.code: v for r, v in zip(blank[0].rows, hostile.results_of(1).values(),
                                        strict=False)}
    copy = replace(blank[0], meta=blank[1].meta,
                   rows=tuple(replace(r, result=filled.get(r.code)) for r in blank[0].rows))
    write_form(copy, tmp_path / "inbox" / "U02_copy.xlsx")

    code, report, console = consolidate(tmp_path, plan_path)
    assert code == 1
    errors = errors_of(report, "U02_copy.xlsx", "target-changed")
    assert errors and all(e["sheet"] == "Báo cáo" for e in errors)
    assert any("Xã Thử 01 (U01)" in e["message"] and e["cell"] is None for e in errors), errors
    # each locked Chỉ tiêu đợt that is not U02's share is named by its cell
    shares = [{r.code: r.round_target for r in f.rows} for f in blank[:2]]
    differing = {f"D{9 + i}" for i, code in enumerate(shares[0])
                 if shares[0][code] != shares[1][code]}
    assert "D9" in differing and len(differing) >= 3
    assert {e["cell"] for e in errors if e["cell"]} == differing
    dctc = next(e for e in errors if e["cell"] == "D9")
    u01, u02 = (list(plan_forms(plan, due_date=None))[i].row("BPTT_DCTC").round_target
                for i in (0, 1))
    assert str(u01) in dctc["message"] and str(u02) in dctc["message"]
    # the copy is not counted for U02 (nor is U02's older file used in its place)
    assert "U02" not in report["counted"] and "U02" not in report["by_unit"]
    assert report["by_unit"]["U01"]["BPTT_DCTC"] == 11
    assert report["by_unit"]["U03"]["BPTT_DCTC"] == 31
    assert report["totals"]["BPTT_DCTC"]["result"] == 11 + 31
    assert "U02" in report["received"]


def test_two_rows_with_their_codes_swapped_are_an_error_naming_both_cells(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 2)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    book = openpyxl.load_workbook(forms["U01"])
    sheet = book["Báo cáo"]
    assert (sheet["A9"].value, sheet["A10"].value) == ("BPTT_DCTC", "BPTT_CAY")
    sheet["A9"], sheet["A10"] = "BPTT_CAY", "BPTT_DCTC"  # results now follow the wrong code
    book.save(forms["U01"])

    code, report, _ = consolidate(tmp_path, plan_path)
    assert code == 1
    errors = errors_of(report, "U01.xlsx", "target-changed")
    assert {e["cell"] for e in errors if e["cell"]} == {"D9", "D10"}
    assert any("BPTT_CAY" in e["message"] and "BPTT_DCTC" in e["message"]
               and "đổi" in e["message"] for e in errors if e["cell"] is None), errors
    assert "U01" not in report["by_unit"] and "U01" in report["received"]
    assert report["totals"]["BPTT_DCTC"]["result"] == 21  # U02 only


def test_a_form_with_rows_deleted_is_not_half_counted(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 3)
    forms = hostile.write_filled_forms(plan, tmp_path / "inbox")
    book = openpyxl.load_workbook(forms["U01"])
    sheet = book["Báo cáo"]
    table = sheet.tables["BaoCao"]
    codes = ["BPTT_TRIETSAN", "BPTT_TIEM", "BPTT_LAMSANG"]
    assert [sheet.cell(r, 1).value for r in (11, 12, 13)] == codes
    sheet.delete_rows(11, 3)  # the officer deleted the last three rows (the total with them)
    first, last = table.ref.split(":")
    table.ref = f"{first}:{last[0]}{int(last[1:]) - 3}"
    book.save(forms["U01"])

    code, report, console = consolidate(tmp_path, plan_path)
    assert code == 1
    errors = errors_of(report, "U01.xlsx", "row-missing")
    assert len(errors) == 1 and errors[0]["sheet"] == "Báo cáo"
    assert all(code in errors[0]["message"] for code in codes)
    assert "U01" not in report["by_unit"] and "U01" not in report["counted"]
    # target and result of every total are over the same units: U02 and U03
    shares = {f.meta.unit_code: f.row("BPTT_TIEM").round_target
              for f in plan_forms(plan, due_date=None)}
    assert report["totals"]["BPTT_TIEM"] == {"target": shares["U02"] + shares["U03"],
                                            "result": 24 + 34}
    assert "chưa được cộng" in console or "lỗi" in console


def test_forms_of_every_period_kind_from_the_plan_itself_carry_its_shares(tmp_path):
    """The check is exact, so the plan's own forms must always pass it: rounds, months."""
    plan_path, plan = hostile.make_plan(tmp_path, 3)
    inbox = tmp_path / "inbox"
    hostile.write_month_forms(plan, inbox)
    code, report, _ = consolidate(tmp_path, plan_path)
    assert code == 0, [i for i in report["issues"] if i["severity"] == "error"]
    assert report["totals"]["BPTT_DCTC"]["result"] == 2 * (11 + 21 + 31)


def test_a_mid_year_revision_of_the_annual_plan_keeps_the_months_forms_counted(tmp_path):
    """A month's form carries the unit's share of Kế hoạch năm as it was: after the year's
    plan is revised (điều chỉnh kế hoạch), January's and February's forms are still the
    units' reports: counted, with a warning naming the cells (red team, year mode)."""
    from xladdin.writer.plan import write_plan

    _, plan = hostile.make_plan(tmp_path, 3)
    hostile.write_month_forms(plan, tmp_path / "inbox")
    rows = tuple(replace(r, annual_plan=2600) if r.code == "BPTT_DCTC" else r for r in plan.rows)
    revised = write_plan(replace(plan, rows=rows), tmp_path / "revised.xlsx")
    code, report, _ = consolidate(tmp_path, revised)
    assert code == 0, [i for i in report["issues"] if i["severity"] == "error"]
    warned = [i for i in report["issues"] if i["rule"] == "target-changed"]
    assert len(warned) == 6 and all(i["severity"] == "warning" for i in warned)
    assert all(i["cell"] == "D9" and "điều chỉnh" in i["message"] for i in warned)
    assert sorted(report["counted"]) == ["U01", "U02", "U03"]
    assert report["totals"]["BPTT_DCTC"]["result"] == 2 * (11 + 21 + 31)


def test_a_neighbours_copy_among_months_forms_is_still_an_error(tmp_path):
    plan_path, plan = hostile.make_plan(tmp_path, 3)
    inbox = tmp_path / "inbox"
    hostile.write_month_forms(plan, inbox, periods=("2026-01",))
    blank = list(plan_forms(plan, due_date="2026-05-15", period="2026-02"))
    values = hostile.results_of(1)
    copy = replace(blank[0], meta=blank[1].meta,  # U01's February form, made U02's
                   rows=tuple(replace(r, result=values.get(r.code, r.result))
                              for r in blank[0].rows))
    write_form(copy, inbox / "U02_2026-02.xlsx")
    code, report, _ = consolidate(tmp_path, plan_path)
    assert code == 1
    errors = errors_of(report, "U02_2026-02.xlsx", "target-changed")
    assert any("Xã Thử 01 (U01)" in e["message"] for e in errors), errors
    february = report["periods"]["2026-02"]
    assert "U02" not in february["counted"]


def in_memory_forms(plan, values):
    """Each unit's form of ``plan`` (its round) as read back, results from ``values(i, row)``."""
    from xladdin import contract as c
    from xladdin.bundled import catalogue
    from xladdin.engine.consolidate import Submission
    from xladdin.engine.model import FormReading

    out = []
    for index, form in enumerate(plan_forms(plan, due_date="2024-06-30", catalogue=catalogue())):
        rows = tuple(r if r.is_rate or r.parts else replace(r, result=values(index, r))
                     for r in form.rows)
        cells = {r.code: f"E{9 + n}" for n, r in enumerate(rows)}
        reading = FormReading(f"f{index}.xlsx", replace(form, rows=rows), cells, "Báo cáo", (),
                              "_meta", {c.KEY_PERIOD: "B9"})
        out.append(Submission(f"f{index}.xlsx", dt.datetime(2024, 6, 1), reading))
    return out


def test_two_units_reporting_the_very_same_numbers_are_both_named(tmp_path):
    """A neighbour's copy where both units have the same shares (equal weights) cannot be
    told by its targets: the identical results are named on both files (a warning: small
    units may report the same few numbers)."""
    from xladdin.bundled import catalogue
    from xladdin.engine.year import consolidate_year

    from test_reporting_year import bundled_plan

    plan = replace(bundled_plan(), meta=replace(bundled_plan().meta, round=1))
    forms = in_memory_forms(plan, lambda i, r: 40 + i + len(r.code) if i != 2 else None)
    # unit 1's filled form under unit 2's name and code (both have the same shares here)
    meta = replace(forms[1].reading.form.meta, unit_code=plan.children[2].code,
                   unit_name=plan.children[2].name)
    forms[2] = replace(forms[1], path="f2.xlsx", reading=replace(
        forms[1].reading, source="f2.xlsx", form=replace(forms[1].reading.form, meta=meta)))
    summary = consolidate_year(plan, forms, catalogue())
    named = [i for i in summary.issues if i.rule == "same-results"]
    assert {i.file for i in named} == {"f1.xlsx", "f2.xlsx"}, [i.rule for i in summary.issues]
    assert all(i.severity == "warning" for i in named)
    assert plan.children[1].name in next(i for i in named if i.file == "f2.xlsx").message
    assert {plan.children[1].code, plan.children[2].code} <= set(summary.counted)


def test_a_rate_whose_numerator_is_above_its_denominator_names_both_cells():
    """CPR is a proportion (catalogue): 303 of 278 is impossible, an error naming both
    cells; the form is left out (the whole unit's CPR would be wrong)."""
    from xladdin.bundled import catalogue
    from xladdin.engine.year import consolidate_year

    from test_reporting_year import bundled_plan

    plan = replace(bundled_plan(), meta=replace(bundled_plan().meta, round=1))
    swapped = {"CPR_TUSO": 303, "CPR_MAUSO": 278}
    forms = in_memory_forms(plan, lambda i, r: swapped.get(r.code, 5 + i) if i == 0
                            else {"CPR_TUSO": 100, "CPR_MAUSO": 200}.get(r.code, 5 + i))
    summary = consolidate_year(plan, forms, catalogue())
    said = [i for i in summary.issues if i.rule == "rate-impossible"]
    assert len(said) == 1 and said[0].file == "f0.xlsx" and said[0].severity == "error"
    assert plan.children[0].code not in summary.counted
    cells = forms[0].reading.result_cells
    assert said[0].cell == cells["CPR_TUSO"]
    assert cells["CPR_TUSO"] in said[0].message and cells["CPR_MAUSO"] in said[0].message


def test_an_indicator_added_to_the_year_plan_mid_year_keeps_the_months_forms_counted(tmp_path):
    """The year's plan gains an indicator in April: January's and February's forms never
    had its row.  No form of those months carries it, so it is a revision, not rows
    deleted: counted, with a warning (red team, year mode)."""
    from xladdin.engine.model import PlanRow
    from xladdin.writer.plan import write_plan

    _, plan = hostile.make_plan(tmp_path, 3)
    hostile.write_month_forms(plan, tmp_path / "inbox")
    rows = (*plan.rows, PlanRow("KHAM_PK", "Khám phụ khoa", "lượt", 300, 0, 30))
    revised = write_plan(replace(plan, rows=rows), tmp_path / "revised.xlsx")
    code, report, _ = consolidate(tmp_path, revised)
    assert code == 0, [i for i in report["issues"] if i["severity"] == "error"]
    said = [i for i in report["issues"] if i["rule"] == "row-missing"]
    assert len(said) == 6 and all(i["severity"] == "warning" and "KHAM_PK" in i["message"]
                                  for i in said)
    assert sorted(report["counted"]) == ["U01", "U02", "U03"]
    assert report["totals"]["BPTT_DCTC"]["result"] == 2 * (11 + 21 + 31)


def test_report_sheets_in_the_plans_own_book_survive_a_re_split(tmp_path):
    """«Tổng hợp» in the plan's workbook: its report sheets were made by «Tạo biểu mẫu»
    before the officer re-split the plan in place, so a share that is nobody's now is a
    warning there (counted); the same form in an inbox is an error."""
    from xladdin.bundled import catalogue
    from xladdin.engine.consolidate import consolidate

    _, plan = hostile.make_plan(tmp_path, 3)
    forms = in_memory_forms(plan, lambda i, r: 5 + i)
    form = forms[0].reading.form
    code = next(r.code for r in form.rows if not r.is_rate and r.round_target is not None)
    stale = tuple(replace(r, round_target=r.round_target + 1000) if r.code == code else r
                  for r in form.rows)
    forms[0] = replace(forms[0], reading=replace(forms[0].reading,
                                                 form=replace(form, rows=stale)))
    unit = plan.children[0].code
    in_book = consolidate(plan, forms, catalogue(), same_book=True)
    said = [i for i in in_book.issues if i.rule == "target-changed"]
    assert [i.severity for i in said] == ["warning"] and unit in in_book.counted
    inbox = consolidate(plan, forms, catalogue())
    assert any(i.rule == "target-changed" and i.is_error for i in inbox.issues)
    assert unit not in inbox.counted


def test_many_units_with_the_same_numbers_cost_a_bounded_message_each(monkeypatch):
    """A whole inbox of identical numbers (a generated test inbox, or a template filled
    the same way) names at most a few others per unit: m units must not cost m² text."""
    from xladdin.bundled import catalogue
    from xladdin.engine import form_vs_plan
    from xladdin.engine.year import consolidate_year

    from test_reporting_year import bundled_plan

    TWINS_NAMED = 2  # the bundled plan has 6 units; the rule is the same at 10,000
    monkeypatch.setattr(form_vs_plan, "TWINS_NAMED", TWINS_NAMED)
    plan = replace(bundled_plan(), meta=replace(bundled_plan().meta, round=1))
    forms = in_memory_forms(plan, lambda i, r: 40 + len(r.code))
    summary = consolidate_year(plan, forms, catalogue())
    named = [i for i in summary.issues if i.rule == "same-results"]
    assert len(named) == len(plan.children)
    left = len(plan.children) - 1 - TWINS_NAMED
    for issue in named:
        assert issue.message.count("tệp f") == TWINS_NAMED
        assert f"và {left} đơn vị khác" in issue.message


def test_a_duplicate_whose_numbers_were_read_as_fractions_names_the_changes():
    """Numbers read exactly (Fraction, as a decimal-looking or formula cell gives them)
    are shown as an officer writes them in the duplicate warning, never a crash."""
    from fractions import Fraction

    from xladdin.bundled import catalogue
    from xladdin.engine.consolidate import consolidate

    from test_reporting_year import bundled_plan

    plan = replace(bundled_plan(), meta=replace(bundled_plan().meta, round=1))
    old = in_memory_forms(plan, lambda i, r: Fraction(1200 + i))[0]
    new = in_memory_forms(plan, lambda i, r: Fraction(40 + i + len(r.code)))[0]
    new = replace(new, path="f0_sua.xlsx", modified=old.modified + dt.timedelta(days=1))
    summary = consolidate(plan, [old, new], catalogue())
    [issue] = [i for i in summary.issues if i.rule == "duplicate"]
    assert issue.file == "f0.xlsx" and issue.severity == "warning"
    code = next(r.code for r in new.reading.form.rows if not r.is_rate and not r.parts)
    assert f"{code} (ô " in issue.message and f"1200 → {40 + len(code)}" in issue.message
