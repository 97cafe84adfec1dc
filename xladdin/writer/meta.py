"""The very hidden ``_meta`` sheet: keys in column A, values in column B (contract §2)."""

from __future__ import annotations

from ..contract import META_SHEET
from ..engine.model import Meta


def add_meta_sheet(workbook, meta: Meta) -> None:
    sheet = workbook.add_worksheet(META_SHEET)
    for row, (key, value) in enumerate(meta.items()):
        sheet.write_string(row, 0, key)
        if isinstance(value, int):
            sheet.write_number(row, 1, value)
        elif value not in (None, ""):  # an empty value is an empty cell, not an empty string
            sheet.write_string(row, 1, str(value))
    sheet.very_hidden()  # not even Format > Unhide shows it
    sheet.protect()
