"""The date a unit typed in its form (contract §8: timeliness that survives a copy).

The form's signature block has the administrative date line «…, ngày … tháng … năm …»
(an input cell).  When the unit fills it in («Bình Minh, ngày 05 tháng 4 năm 2024»),
that is when it sent the report: copying the file keeps it, unlike the file's time.
A line that does not hold a real date is not a date (the file's time is used).  Only
the cell the form writer made for it is read.
"""

from __future__ import annotations

import datetime as dt
import re

from .. import contract as c
from ..grid.base import WorkbookGrid

_DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
# where writer/form_layout.py puts the date line: two rows under the report table, from
# its fourth column (a date anywhere else, e.g. in Ghi chú, is not when the form was sent)
_ROWS_BELOW, _COLUMN = 2, 3


def typed_date(grid: WorkbookGrid, sheet_name: str | None) -> dt.date | None:
    if not sheet_name:
        return None
    table = grid.table(c.FORM_TABLE)
    if table is None or table.sheet != sheet_name:
        return None  # no table of the form's own: no date line to trust
    value = grid.sheet(sheet_name).value(table.last_row + _ROWS_BELOW, table.first_col + _COLUMN)
    if not isinstance(value, str) or not (match := _DATE.search(" ".join(value.split()))):
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
