"""A unit's name is text wherever it is written (red team LOW): «=SUM(A1:A9)» is a name, not
a formula, in the plan, the forms and the summary (XlsxWriter's write() — merged title
lines — would make a formula of any text starting with «=»)."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
from xladdin.bundled import catalogue
from xladdin.engine.consolidate import consolidate
from xladdin.engine.forms import plan_forms
from xladdin.writer.batch import write_forms
from xladdin.writer.plan import write_plan
from xladdin.writer.summary import write_summary

from test_summary_many_units import many_plan, submissions

NAME = "=SUM(A1:A9)"


def cells_with(path, text: str) -> list[tuple[str, str, str]]:
    """(sheet, cell, data type) of every cell holding ``text``, upper case included."""
    book = openpyxl.load_workbook(path)
    return [(sheet.title, cell.coordinate, cell.data_type) for sheet in book.worksheets
            for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str) and text in (cell.value, cell.value.upper())]


def test_a_unit_named_like_a_formula_is_written_as_text(tmp_path):
    plan = many_plan(3)
    plan = replace(plan, children=(replace(plan.children[0], name=NAME), *plan.children[1:]))
    form = next(iter(plan_forms(plan, due_date="2026-05-15", catalogue=catalogue())))
    files = [write_plan(plan, tmp_path / "plan.xlsx"),
             write_summary(consolidate(plan, submissions(plan), catalogue()),
                           tmp_path / "summary.xlsx")]
    write_forms([(form, tmp_path / "form.xlsx")], workers=1)
    files.append(tmp_path / "form.xlsx")
    for path in files:
        found = cells_with(path, NAME)
        assert found, path.name
        assert all(kind == "s" for _, _, kind in found), (path.name, found)
