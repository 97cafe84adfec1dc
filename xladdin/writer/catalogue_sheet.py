"""The indicators a workbook carries (contract §8, ``--catalogue``): a very hidden sheet
``_catalogue`` with the columns of ``indicators.csv``, holding every indicator the
workbook's catalogue adds to the bundled one or defines otherwise.

A plan made with a province's own catalogue passes it on to its forms, the summary and
the next round's plan, so none of them needs the CSV file again; a workbook made with
the bundled catalogue alone has no such sheet.
"""

from __future__ import annotations

from ..bundled import catalogue as bundled_catalogue
from ..contract import CATALOGUE_SHEET
from ..engine.catalogue import CSV_COLUMNS, Catalogue


def carried_codes(catalogue: Catalogue | None) -> list[str]:
    return catalogue.differing_from(bundled_catalogue()) if catalogue is not None else []


def add_catalogue_sheet(workbook, catalogue: Catalogue | None) -> None:
    codes = carried_codes(catalogue)
    if catalogue is None or not codes:
        return
    sheet = workbook.add_worksheet(CATALOGUE_SHEET)
    for col, name in enumerate(CSV_COLUMNS):
        sheet.write_string(0, col, name)
    for row, values in enumerate(catalogue.rows(codes), start=1):
        for col, name in enumerate(CSV_COLUMNS):
            if values[name]:
                sheet.write_string(row, col, values[name])
    sheet.very_hidden()
    sheet.protect()
