"""The readers on every runtime of the grid interface: the same tests, once per runtime.

* ``calamine``: the file on disk (the command line);
* ``xlwings``: an ``xlwings.Book`` built from the JSON Excel's add-in posts for a script
  (``standin.book_json``), as xlwings Server and Lite see it: values Excel computed, no
  formulas.  Files edited here with openpyxl keep no computed values, so (as Excel would
  on opening) they are recalculated by LibreOffice before their JSON is made, all in one
  LibreOffice run.

Each test states what an officer's workbook holds; both runtimes must read exactly that.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from xladdin.bundled import catalogue
from xladdin.demo import run_demo
from xladdin.engine.plan_values import resolve_plan
from xladdin.engine.resplit import resplit
from xladdin.engine.validate import plan_issues
from xladdin.grid.calamine_grid import open_workbook
from xladdin.grid.xlwings_grid import XlwingsGrid
from xladdin.jobs import make_forms, read_plan_file
from xladdin.reader.book_forms import read_form_sheets
from xladdin.reader.form_reader import read_form
from xladdin.reader.plan_reader import read_plan
from xladdin.reader.summary_reader import read_summary
from xladdin.writer.plan import write_plan

from libreoffice import recalculate
from xlwings_book import remote_book

pytestmark = pytest.mark.libreoffice
RUNTIMES = ["calamine", "xlwings"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("runtimes")
    run_demo(root / "demo")
    hp, p2 = root / "demo" / "hai-phong-2023", root / "demo" / "phuong-2-quang-tri-2024"
    made = {
        "hai_phong": hp / "plan.xlsx",
        "phuong_2": p2 / "plan.xlsx",
        "summary": hp / "summary.xlsx",
        "form": hp / "forms" / "303_hong-bang.xlsx",
    }
    edited = root / "edited"
    edited.mkdir()

    def edit(name: str, source: Path, change) -> None:
        book = openpyxl.load_workbook(source)
        change(book)
        book.save(edited / f"{name}.xlsx")
        made[name] = edited / f"{name}.xlsx"

    def settings(book):
        book["Đơn vị"]["G4"] = "D'Hondt (Jefferson)"
        book["Đơn vị"]["G5"] = 1

    def bad_cells(book):
        book["Kế hoạch"]["G8"] = "bốn mươi"
        book["Đơn vị"]["G5"] = "một"

    def typed_results(book):
        sheet = book["Báo cáo"]
        sheet["E9"], sheet["E10"], sheet["E11"], sheet["E12"] = "12", " 7 ", None, "mười hai"

    hai_phong = read_plan_file(made["hai_phong"]).plan
    split = resplit(replace(hai_phong, split_method="dhondt", split_minimum=1)).plan
    made["written_dhondt"] = write_plan(split, edited / "written_dhondt.xlsx")
    edit("method", made["hai_phong"], settings)
    edit("bad_plan", made["phuong_2"], bad_cells)
    edit("typed_form", made["form"], typed_results)
    forms = make_forms(made["phuong_2"], root / "p2-forms")[0]
    pasted = openpyxl.Workbook()
    pasted.remove(pasted.active)
    for number, path in enumerate(sorted(forms), start=1):
        source = openpyxl.load_workbook(path)["Báo cáo"]
        target = pasted.create_sheet(f"KP{number}")
        for row in source.iter_rows():
            for cell in row:
                if cell.value is not None and not isinstance(cell, openpyxl.cell.cell.MergedCell):
                    target[cell.coordinate] = cell.value
        target["E9"] = 10 * number
    pasted.save(edited / "pasted.xlsx")
    made["pasted"] = edited / "pasted.xlsx"
    names = ["method", "bad_plan", "typed_form", "pasted"]
    for name, copy in zip(names, recalculate([made[n] for n in names], root / "recalculated")):
        made[f"{name}:computed"] = copy
    return made


@pytest.fixture(params=RUNTIMES)
def open_grid(request, files):
    grids = []

    def opened(name: str):
        if request.param == "calamine":
            grid = open_workbook(files[name])
        else:
            source = files.get(f"{name}:computed", files[name])
            grid = XlwingsGrid(remote_book(source, recalculate=False))
        grids.append(grid)
        return grid

    yield opened
    for grid in grids:
        grid.close()


def where(issues) -> set[tuple[str, str, str | None, str | None]]:
    return {(i.severity, i.rule, i.sheet, i.cell) for i in issues}


def test_a_published_table_is_read_as_typed_with_its_error(open_grid):
    reading = read_plan(open_grid("phuong_2"), catalogue())
    plan = reading.plan
    assert reading.issues == () and reading.header_row == 4
    assert (
        plan.row("KHAM_PK").shares == (4, 5, 6, 3, 12) and plan.row("KHAM_PK").split_method is None
    )
    assert plan.row("BPTT_TONG").shares is None  # a total of its parts
    assert reading.observed["BPTT_TONG"]["19360-KP5"] == 21
    assert (plan.split_method, plan.split_minimum) == ("largest-remainder", 0)
    assert ("error", "split-mismatch", "Kế hoạch", "G6") in where(plan_issues(reading))
    assert reading.cells[("KHAM_PK", "check")] == "M6"


def test_a_live_split_is_known_as_such_and_shows_the_engine_numbers(open_grid):
    reading = read_plan(open_grid("hai_phong"), catalogue())
    plan = reading.plan
    assert reading.issues == ()
    assert all(row.shares is None for row in plan.rows)  # formulas, or what formulas show
    computed = resolve_plan(plan)
    for row in plan.rows:
        assert [reading.observed[row.code][c.code] for c in plan.children] == list(
            computed[row.code].shares
        )
    assert reading.observed["BPTT_DCTC"]["round_target"] == 4100  # ⌈8200 × 50 %⌉
    assert plan_issues(reading) == []


def test_the_split_settings_are_read_from_the_units_sheet(open_grid):
    plan = read_plan(open_grid("method"), catalogue()).plan
    assert (plan.split_method, plan.split_minimum) == ("dhondt", 1)


def test_shares_a_method_wrote_are_known_by_their_check_cell(open_grid):
    reading = read_plan(open_grid("written_dhondt"), catalogue())
    plan = reading.plan
    assert (plan.split_method, plan.split_minimum) == ("dhondt", 1)
    counts = [r for r in plan.rows if not plan.parts_present(r)]
    assert all(r.split_method == "dhondt" and r.shares is not None for r in counts)
    assert reading.issues == () and plan_issues(reading) == []


def test_text_in_number_cells_is_an_error_naming_the_cell(open_grid):
    reading = read_plan(open_grid("bad_plan"), catalogue())
    assert {(s, r, sh, c) for s, r, sh, c in where(reading.issues) if s == "error"} == {
        ("error", "not-a-number", "Kế hoạch", "G8"),
        ("error", "not-a-number", "Đơn vị", "G5"),
    }


def test_a_form_typed_by_hand(open_grid):
    reading = read_form(open_grid("typed_form"), catalogue())
    results = {row.code: row.result for row in reading.form.rows}
    assert (results["BPTT_DCTC"], results["BPTT_CAY"], results["BPTT_TIEM"]) == (12, 7, 0)
    assert where(reading.issues) == {
        ("warning", "number-as-text", "Báo cáo", "E9"),
        ("warning", "number-as-text", "Báo cáo", "E10"),
        ("warning", "blank-result", "Báo cáo", "E11"),
        ("error", "not-a-number", "Báo cáo", "E12"),
    }
    assert reading.form.meta.unit_code == "303"


def test_a_summary_gives_the_totals_of_its_report(open_grid, files):
    meta, results, issues = read_summary(open_grid("summary"))
    report = json.loads(files["summary"].with_suffix(".json").read_text(encoding="utf-8"))
    assert issues == [] and (meta.unit_code, meta.round) == ("31", 1)
    assert {code: results[code] for code in report["totals"]} == {
        code: total["result"] for code, total in report["totals"].items()}


def test_forms_pasted_as_sheets_of_one_book(open_grid, files):
    plan = read_plan(open_grid("phuong_2"), catalogue()).plan
    submissions = read_form_sheets(open_grid("pasted"), plan, catalogue(), dt.datetime(2024, 9, 1))
    units = {
        s.reading.form.meta.unit_code: s.reading.form.row("KHAM_PK").result for s in submissions
    }
    assert units == {f"19360-KP{n}": 10 * n for n in range(1, 6)}
    rules = {i.rule for s in submissions for i in s.reading.issues}
    assert "sheet-renamed" not in rules and "table-missing" not in rules  # nothing to say in a book


def test_the_remote_book_has_no_formulas_and_says_so(files):
    grid = XlwingsGrid(remote_book(files["hai_phong"]))
    sheet = grid.sheet("Kế hoạch")
    assert not sheet.knows_formulas and sheet.formula(5, 7) is None
    assert grid.sheet("_meta").hidden
    assert [t.name for t in grid.tables()] == ["KeHoach", "DonVi"]

