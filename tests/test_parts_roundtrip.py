"""Every part of the file format we write is understood by a real office suite.

XlsxWriter compares its output with files saved by Excel, part by part.  No Excel runs
here, so the plan and a form go through LibreOffice (open, recalculate, save) and each
part is compared before and after.  Differences ignored on purpose, and why:

* ``veryHidden`` → ``hidden``: LibreOffice has no "very hidden" state; the reader finds
  ``_meta`` by name either way.
* formula text: LibreOffice rewrites it (spacing, ``$`` on defined names); the values
  are compared instead, in the recalculation tests.
* frozen panes: LibreOffice without a window writes no view settings at all (checked
  with a bare XlsxWriter file); the contract tests check the panes we write;
* a validation's cell list: ``E9 E10 E11`` and ``E9:E11`` are the same cells;
* a validation's operator left out and ``between`` are the same (the default; a list's
  is ignored): LibreOffice writes it out;
* style ids, shared-string order, column widths to the 1/256 character, the protection
  hash algorithm: file details that change nothing an officer sees.
"""

from __future__ import annotations

import openpyxl
import pytest
from xladdin.demo import run_demo

from libreoffice import recalculate

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    out = tmp_path_factory.mktemp("roundtrip")
    run_demo(out / "demo")
    ours = [out / "demo" / "phuong-2-quang-tri-2024" / "plan.xlsx",
            out / "demo" / "hai-phong-2023" / "forms" / "303_hong-bang.xlsx",
            out / "demo" / "hai-phong-2023" / "summary.xlsx"]
    theirs = recalculate(ours, out / "libreoffice")
    return [
        (openpyxl.load_workbook(a), openpyxl.load_workbook(b), a.name) for a, b in zip(ours, theirs)
    ]


def sheet_states(book):
    return [
        (s.title, "hidden" if s.sheet_state == "veryHidden" else s.sheet_state)
        for s in book.worksheets
    ]


def tables(book):
    return {(s.title, t.displayName, t.ref, tuple(c.name for c in t.tableColumns))
            for s in book.worksheets for t in s.tables.values()}


def defined_names(book):
    return {name: value.attr_text.replace("$", "") for name, value in book.defined_names.items()
            if not name.startswith("_xlnm")}


def cells_of(sqref) -> frozenset[str]:
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    cells = set()
    for part in str(sqref).split():
        min_col, min_row, max_col, max_row = range_boundaries(part)
        cells |= {f"{get_column_letter(c)}{r}" for c in range(min_col, max_col + 1)
                  for r in range(min_row, max_row + 1)}
    return frozenset(cells)


def validations(book):
    found = set()
    for sheet in book.worksheets:
        for dv in sheet.data_validations.dataValidation:
            found.add(
                (
                    sheet.title,
                    cells_of(dv.sqref),
                    dv.type,
                    dv.operator or "between",
                    dv.formula1,
                    dv.promptTitle,
                    dv.prompt,
                    dv.errorTitle,
                    dv.error,
                )
            )
    return found


def print_setup(book):
    return [
        (
            s.title,
            s.page_setup.paperSize,
            s.page_setup.orientation,
            bool(s.sheet_properties.pageSetUpPr and s.sheet_properties.pageSetUpPr.fitToPage),
            s.page_setup.fitToHeight,
            s.print_title_rows,
        )
        for s in book.worksheets
        if s.sheet_state == "visible"
    ]


def merges(book):
    return {(s.title, str(r)) for s in book.worksheets for r in s.merged_cells.ranges}


def protection(book):
    return [(s.title, bool(s.protection.sheet)) for s in book.worksheets]


def unlocked_cells(book):
    return {(s.title, c.coordinate) for s in book.worksheets for row in s.iter_rows() for c in row
            if c.protection.locked is False and c.value is not None}


def constants(book):
    return {
        (s.title, c.coordinate): c.value
        for s in book.worksheets
        for row in s.iter_rows()
        for c in row
        if c.value is not None and not (isinstance(c.value, str) and c.value.startswith("="))
    }


@pytest.mark.parametrize(
    "part",
    [
        sheet_states,
        tables,
        defined_names,
        validations,
        print_setup,
        merges,
        protection,
        unlocked_cells,
        constants,
    ],
)
def test_part_survives_libreoffice(pairs, part):
    for ours, theirs, name in pairs:
        assert part(ours) == part(theirs), f"{part.__name__} of {name}"


def test_reader_sees_the_same_plan_after_libreoffice(tmp_path):
    from xladdin.jobs import read_plan_file, validate_file

    run_demo(tmp_path / "demo")
    ours = tmp_path / "demo" / "phuong-2-quang-tri-2024" / "plan.xlsx"
    [theirs] = recalculate([ours], tmp_path / "lo")
    before, after = read_plan_file(ours), read_plan_file(theirs)
    assert after.plan.rows == before.plan.rows
    assert after.plan.children == before.plan.children
    assert after.observed == before.observed
    issues = lambda path: [(i.severity, i.cell, i.rule) for i in validate_file(path).issues]  # noqa: E731
    assert issues(theirs) == issues(ours)
