"""The year's native formulas («Lũy kế», «Theo kỳ», the year-to-date unit cells of
«Tổng hợp») equal the engine after LibreOffice recalculates a summary written with
poisoned caches (every formula's stored result 0): counts summed over the months,
stocks each unit's latest month, rates from their parts."""

from __future__ import annotations

import random

import pytest
from python_calamine import CalamineWorkbook
from xladdin.bundled import catalogue
from xladdin.engine.year import consolidate_year
from xladdin.writer.summary import write_summary

from libreoffice import recalculate
from test_reporting_year import bundled_plan, in_memory, typed

pytestmark = pytest.mark.libreoffice
MONTHS = range(1, 7)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    plan = bundled_plan()
    rng = random.Random(7)
    skip = {(u, m) for u in range(6) for m in MONTHS if rng.random() < 0.3} | {(3, 6)}
    numbers = typed(7, months=MONTHS, skip=skip)
    summary = consolidate_year(plan, in_memory(plan, numbers, MONTHS), catalogue())
    folder = tmp_path_factory.mktemp("year-recalc")
    path = write_summary(summary, folder / "summary.xlsx", cache=False)
    [out] = recalculate([path], folder / "out")
    return summary, CalamineWorkbook.from_path(str(out))


def blank(value):
    return "" if value is None else pytest.approx(float(value))


def test_cumulative_sheet_equals_the_engine(recalculated):
    summary, book = recalculated
    rows = book.get_sheet_by_name("Lũy kế").to_python(skip_empty_area=False)
    k = len(summary.periods)
    assert k == len(MONTHS)
    annual = {
        r.code: v
        for r, v in ((r, summary.cumulative()[r.code]["annual_plan"]) for r in summary.rows)
    }
    for line in rows[4:4 + len(summary.rows)]:
        code = line[0]
        for j, period in enumerate(summary.periods):
            assert line[5 + j] == blank(period.total_result(code)), (code, period.period_text)
        total = summary.total_result(code)
        assert line[5 + k] == blank(total), code
        plan = annual[code]
        assert line[6 + k] == (
            "" if not plan or total is None else pytest.approx(float(total) / plan)
        ), code


def test_unit_year_to_date_and_latest_flags_equal_the_engine(recalculated):
    summary, book = recalculated
    main = book.get_sheet_by_name("Tổng hợp").to_python(skip_empty_area=False)
    header = main[4]
    units = {u.code: header.index(u.name) for u in summary.units}
    for line in main[5:5 + len(summary.rows)]:
        code = line[0]
        for unit, col in units.items():
            expected = summary.results.get(unit, {}).get(code) if unit in summary.counted else None
            assert line[col] == blank(expected), (unit, code)
    periods = book.get_sheet_by_name("Theo kỳ").to_python(skip_empty_area=False)
    latest = {}
    for line in periods[4:]:
        if line[3] and line[10] == 1:
            latest.setdefault(line[3], []).append(line[2])
    for i, unit in enumerate(summary.units):
        counted = [p.period_text for p in summary.periods if p.units[i].status == "received"]
        assert latest.get(unit.code, []) == counted[-1:], unit.code
