"""Red-team findings against the reporting year (contract §8): a form that does not
belong to the plan's periods opens no period and changes no target; periods that
overlap are never added; a period that disagrees with its round or year is an error."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

from xladdin import contract as c
from xladdin.bundled import catalogue
from xladdin.engine.consolidate import MISSING, RECEIVED, REJECTED, Submission
from xladdin.engine.forms import plan_forms
from xladdin.engine.model import ERROR, FormReading, Issue
from xladdin.engine.year import consolidate_year
from xladdin.reader.meta_check import meta_problems

from test_reporting_year import bundled_plan, fill, in_memory, typed, year_plan  # noqa: F401


def round_plan(number=1):
    plan = bundled_plan()
    return replace(plan, meta=replace(plan.meta, round=number))


def round_forms(plan, skip=()):
    """Every unit's form of the plan's round, each typed 7 for every count."""
    out = []
    for index, form in enumerate(plan_forms(plan, due_date="2024-06-30", catalogue=catalogue())):
        if index in skip:
            continue
        rows = tuple(r if r.is_rate or r.parts else replace(r, result=7) for r in form.rows)
        name = f"r{index}.xlsx"
        reading = FormReading(name, replace(form, rows=rows), {}, "Báo cáo", (), "_meta",
                              {c.KEY_PERIOD: "B9"})
        out.append(Submission(name, dt.datetime(2024, 6, 1), reading))
    return out


def with_meta(submission, issues=(), **changes):
    reading = submission.reading
    form = replace(reading.form, meta=replace(reading.form.meta, **changes))
    return replace(submission, reading=replace(reading, form=form,
                                               issues=reading.issues + tuple(issues)))


def test_a_form_of_another_round_opens_no_period_and_keeps_the_round_target():
    plan = round_plan(1)
    good = round_forms(plan, skip={0})
    clean = consolidate_year(plan, good, catalogue())
    other_round = with_meta(round_forms(plan)[0], round=2)
    garbled = with_meta(round_forms(plan)[0], round=0, issues=[Issue(
        ERROR, "r0.xlsx", "_meta", "B7", "meta-garbled", "round = TRUE")])
    for bad in (other_round, garbled):
        summary = consolidate_year(plan, good + [bad], catalogue())
        assert len(summary.periods) == 1
        assert summary.targets == clean.targets  # the round's targets, not annual shares
        assert summary.units[0].status == REJECTED
        assert summary.total_result("BPTT_DCTC") == clean.total_result("BPTT_DCTC")
        assert any(i.is_error and i.file == "r0.xlsx" for i in summary.issues)


def test_a_rejected_form_beside_the_units_good_form_is_named_and_never_counted():
    plan = round_plan(1)
    good = round_forms(plan)
    bad = with_meta(replace(good[0], path="old.xlsx", modified=dt.datetime(2024, 6, 9)),
                    round=2)
    bad = replace(bad, reading=replace(bad.reading, source="old.xlsx"))
    summary = consolidate_year(plan, good + [bad], catalogue())
    assert len(summary.periods) == 1 and summary.units[0].status == RECEIVED
    assert summary.sources[summary.units[0].code] == "r0.xlsx"
    assert any(i.rule == "wrong-plan" and i.file == "old.xlsx" for i in summary.issues)


def test_a_quarter_beside_its_months_is_an_error_never_added():
    plan = bundled_plan()
    numbers = typed(3, months=range(1, 4))
    months = in_memory(plan, numbers, range(1, 3))
    quarter = [with_meta(s, period="2024-Q1") for s in in_memory(plan, numbers, [3])]
    quarter = [replace(s, reading=replace(s.reading, meta_sheet="_meta",
                                          meta_cells={c.KEY_PERIOD: "B10"})) for s in quarter]
    clean = consolidate_year(plan, months, catalogue())
    summary = consolidate_year(plan, months + quarter, catalogue())
    assert [p.meta.period for p in summary.periods] == ["2024-01", "2024-02"]
    assert summary.total_result("BPTT_DCTC") == clean.total_result("BPTT_DCTC")
    overlap = [i for i in summary.issues if i.rule == "period-overlap"]
    assert len(overlap) == 6 and all(i.is_error and i.cell == "B10" for i in overlap)
    assert "Tháng 1/2024" in overlap[0].message and "KHÔNG" in overlap[0].message


def test_a_round_beside_months_is_an_error_never_added():
    plan = bundled_plan()
    months = in_memory(plan, typed(4, months=range(1, 3)), range(1, 3))
    rounds = round_forms(plan)[:2]  # round-0: the whole year
    summary = consolidate_year(plan, months + rounds, catalogue())
    assert [p.meta.period for p in summary.periods] == ["2024-01", "2024-02"]
    assert sum(i.rule == "period-overlap" for i in summary.issues) == 2


def test_a_month_outside_the_plans_year_is_an_error_and_opens_no_period():
    plan = bundled_plan()
    forms = in_memory(plan, typed(5, months=[2]), [2])
    clean = consolidate_year(plan, forms, catalogue())
    shifted = [with_meta(forms[0], period="2023-12"), with_meta(forms[1], period="2025-01")]
    summary = consolidate_year(plan, shifted + forms[2:], catalogue())
    assert [p.meta.period for p in summary.periods] == ["2024-02"]
    assert [u.status for u in summary.units[:2]] == [REJECTED, REJECTED]
    assert sum(i.rule == "wrong-period" for i in summary.issues) == 2
    assert summary.total_result("BPTT_DCTC") == clean.total_result("BPTT_DCTC") - sum(
        clean.results[u.code]["BPTT_DCTC"] for u in clean.units[:2])
    assert summary.units[2].status == RECEIVED and summary.units[5].status == RECEIVED
    assert MISSING not in [u.status for u in summary.units]


def meta(**keys):
    base = {c.KEY_TEMPLATE: "form", c.KEY_UNIT_CODE: "X", c.KEY_PARENT_CODE: "P",
            c.KEY_YEAR: "2024", c.KEY_ROUND: "1"}
    return {**base, **keys}


def test_a_period_that_disagrees_with_round_or_year_or_is_garbage_is_an_error():
    rules = {
        text: [rule for rule, _, key in meta_problems(meta(period=text), "form") if key == "period"]
        for text in ("round-9", "round-1; DROP", "2023-12", "2024-13", "round-1", "2024-03",
                     "2024-Q2")
    }
    assert rules == {"round-9": ["meta-garbled"], "round-1; DROP": ["meta-garbled"],
                     "2023-12": ["wrong-period"], "2024-13": ["meta-garbled"],
                     "round-1": [], "2024-03": [], "2024-Q2": []}


def test_a_date_in_ghi_chu_is_not_the_date_the_unit_sent(year_plan, tmp_path):  # noqa: F811
    import openpyxl
    from xladdin.inbox import read_file

    _, plan = year_plan
    (first, *_) = fill(plan, typed(6, months=[2]), tmp_path, months=[2])
    book = openpyxl.load_workbook(first)
    sheet = book["Báo cáo"]
    header = next(x for row in sheet.iter_rows() for x in row if x.value == "Ghi chú")
    sheet.cell(header.row + 1, header.column).value = "Bổ sung 2 ca khám ngày 1 tháng 3 năm 2024"
    book.save(first)
    assert read_file(first, catalogue()).typed_date is None  # the date line is still blank
    line = next(x for row in sheet.iter_rows() for x in row
                if isinstance(x.value, str) and x.value.startswith("........, ngày"))
    line.value = "Bình Minh, ngày 09 tháng 3 năm 2024"
    book.save(first)
    assert read_file(first, catalogue()).typed_date == dt.date(2024, 3, 9)


def test_a_duplicate_names_its_period():
    plan = bundled_plan()
    forms = in_memory(plan, typed(7, months=[1]), [1])
    again = replace(forms[0], path="lai.xlsx", modified=dt.datetime(2024, 2, 20))
    summary = consolidate_year(plan, forms + [again], catalogue())
    (duplicate,) = [i for i in summary.issues if i.rule == "duplicate"]
    assert "Tháng 1/2024" in duplicate.message and "lai.xlsx" in duplicate.message


def test_last_months_file_renamed_for_this_month_is_an_error_not_a_silent_replacement(
        year_plan, tmp_path):  # noqa: F811
    import shutil

    import openpyxl
    from xladdin.inbox import read_file

    _, plan = year_plan
    (january, *_) = fill(plan, typed(8, months=[1]), tmp_path, months=[1])
    reused = january.with_name(january.name.replace("2024-01", "2024-02"))
    shutil.copy(january, reused)
    issues = read_file(reused, catalogue()).reading.issues
    assert [i.rule for i in issues if i.is_error] == ["wrong-period"]
    assert "2024-02" in issues[-1].message and "Tháng 1/2024" in issues[-1].message
    assert not [i for i in read_file(january, catalogue()).reading.issues if i.is_error]
    # the title typed over for February while _meta still says January
    book = openpyxl.load_workbook(january)
    sheet = book["Báo cáo"]
    title = next(x for row in sheet.iter_rows(max_row=6) for x in row
                 if isinstance(x.value, str) and "THÁNG 1/2024" in x.value)
    title.value = title.value.replace("THÁNG 1/2024", "THÁNG 2/2024")
    renamed = tmp_path / "tdp1.xlsx"
    book.save(renamed)
    (wrong,) = [i for i in read_file(renamed, catalogue()).reading.issues if i.is_error]
    assert wrong.rule == "wrong-period" and wrong.cell == title.coordinate


def test_a_typed_date_that_cannot_be_when_the_form_was_sent_is_named_and_not_used(
        year_plan, tmp_path):  # noqa: F811
    import os

    import openpyxl
    from xladdin.inbox import read_file

    _, plan = year_plan
    (first, *_) = fill(plan, typed(9, months=[2]), tmp_path, months=[2])
    book = openpyxl.load_workbook(first)
    line = next(x for row in book["Báo cáo"].iter_rows() for x in row
                if isinstance(x.value, str) and x.value.startswith("........, ngày"))
    for typed_text, saved, why in (
        ("ngày 2 tháng 1 năm 2024", dt.datetime(2024, 3, 4), "trước khi kỳ báo cáo kết thúc"),
        ("ngày 5 tháng 3 năm 2024", dt.datetime(2024, 3, 2), "sau ngày tệp được lưu"),
    ):
        line.value = f"Bình Minh, {typed_text}"
        book.save(first)
        os.utime(first, (saved.timestamp(), saved.timestamp()))
        submission = read_file(first, catalogue())
        (doubt,) = [i for i in submission.reading.issues if i.rule == "typed-date-impossible"]
        assert why in doubt.message and doubt.cell == line.coordinate and not doubt.is_error
        assert submission.typed_date is None and submission.arrived == saved.date()


def test_a_blank_stock_is_not_reported_and_the_year_keeps_the_units_last_level(
        year_plan, tmp_path):  # noqa: F811
    """TDP1 leaves CPR_TUSO/CPR_MAUSO blank in February after January: its population
    does not vanish from the year (the blank is said, never counted as a level of 0)."""
    from xladdin.inbox import read_file

    _, plan = year_plan
    numbers = typed(11, months=[1, 2])
    for code in ("CPR_TUSO", "CPR_MAUSO"):
        numbers[(0, 2)][code] = None
    files = fill(plan, numbers, tmp_path, months=[1, 2])
    submissions = []
    for path in files:
        read = read_file(path, catalogue())
        submissions.append(Submission(path.name, dt.datetime(2024, 1, 1), read.reading))
    february = next(s.reading for s in submissions
                    if s.reading.form.meta.unit_code == plan.children[0].code
                    and s.reading.form.meta.period == "2024-02")
    blanks = [i for i in february.issues if i.rule == "blank-result"]
    assert len(blanks) == 2 and all("không tính là 0" in i.message for i in blanks)
    year = consolidate_year(plan, submissions, catalogue())
    for code in ("CPR_TUSO", "CPR_MAUSO"):
        expected = numbers[(0, 1)][code] + sum(numbers[(u, 2)][code] for u in range(1, 6))
        assert year.total_result(code) == expected
        assert year.results[plan.children[0].code][code] == numbers[(0, 1)][code]


def test_round_target_is_read_by_the_one_number_parser_and_bounded():
    import pytest
    from xladdin.engine.next_round import RoundTarget
    from xladdin.errors import UsageError

    assert RoundTarget.parse("1.000").number == 1000  # as in a cell, CSV, --weights
    assert RoundTarget.parse("1.000").grouped
    assert RoundTarget.parse("50%").share == Fraction(1, 2)
    assert RoundTarget.parse("12,5%").share == Fraction(1, 8)
    for bad in ("1e30", "1000000000001", "12,5", "-3", "abc", "1.000%", "2e400%"):
        with pytest.raises(UsageError):
            RoundTarget.parse(bad)
    with pytest.raises(UsageError):  # a share so large the target passes MAX_COUNT
        RoundTarget.parse("1000000000%").of(10**6)
