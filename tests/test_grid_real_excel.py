"""The file reader on workbooks saved by real Microsoft Excel (tests/fixtures/real-excel,
sources in SOURCES.md), against facts read from their XML by hand (expected.json).

Known differences, on purpose (as XlsxWriter lists what its comparisons ignore):
* dates: compared by their serial number's calendar date; calamine returns date,
  datetime or time by the cell's value, and drops sub-millisecond digits;
* floats: compared with a relative tolerance of 1e-12 (XML text → double).
Error cells are *not* ignored: calamine shows them as blanks, our grid must not.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from xladdin.engine.values import ExcelError
from xladdin.grid.base import parse_a1
from xladdin.grid.calamine_grid import open_workbook

FIXTURES = Path(__file__).parent / "fixtures" / "real-excel"
EXPECTED = {
    k: v
    for k, v in json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")
}


def facts(name: str) -> list[tuple[str, object]]:
    data = EXPECTED[name]
    cells = list(data.get("cells", {}).items())
    cells += [
        (ref, fact["cached"]) for ref, fact in data.get("formulas", {}).items() if "cached" in fact
    ]
    return cells


def same(got, want) -> bool:
    if isinstance(want, dict) and "error" in want:
        return got == ExcelError(want["error"])
    if isinstance(want, dict) and ("date" in want or "datetime" in want):
        if isinstance(got, dt.datetime):
            got = got.date()
        text = want.get("date") or want.get("datetime")
        return isinstance(got, dt.date | dt.time) and (
            not isinstance(got, dt.date) or got == dt.date.fromisoformat(text[:10]))
    if want == "" or want is None:
        return got is None
    if isinstance(want, bool) or isinstance(got, bool):
        return got == want
    if isinstance(want, float | int) and isinstance(got, float | int):
        return got == pytest.approx(want, rel=1e-12)
    return got == want


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sheet_names_and_cells_read_as_excel_saved_them(name):
    grid = open_workbook(FIXTURES / name)
    try:
        assert grid.sheet_names == EXPECTED[name]["sheet_names"]
        assert len(facts(name)) >= 5
        wrong = []
        for ref, want in facts(name):
            sheet, cell = ref.rsplit("!", 1)
            row, col = parse_a1(cell)
            got = grid.sheet(sheet).value(row, col)
            if not same(got, want):
                wrong.append((ref, got, want))
        assert not wrong
    finally:
        grid.close()


def test_error_cells_are_values_not_blanks():
    grid = open_workbook(FIXTURES / "excel2007_formulas_types_errors.xlsx")
    sheet = grid.sheet("ZZZfirstsheet")
    errors = [sheet.value(*parse_a1(f"C{row}")) for row in range(17, 24)]
    assert all(isinstance(e, ExcelError) for e in errors)
    assert {e.code for e in errors} >= {"#DIV/0!", "#N/A", "#VALUE!"}


def test_formula_cells_are_known_and_tables_located_with_their_header_row():
    grid = open_workbook(FIXTURES / "excel2016_date_shared_formulas.xlsx")
    assert grid.sheet("Sheet1").formula(*parse_a1("A2")) == "DATE(B2,C2,D2)"
    assert grid.sheet("Sheet1").formula(*parse_a1("A4")) is not None  # a shared formula's follower
    tables = {
        t.name: t for t in open_workbook(FIXTURES / "excel2007_tables_multiple.xlsx").tables()
    }
    inventory = tables["Inventory"]
    assert (inventory.sheet, inventory.header_row, inventory.last_row) == ("Sheet1", 0, 4)
    assert inventory.headers == ("Item", "Type", "Quantity")
