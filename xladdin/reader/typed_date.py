"""The date a unit typed in its form (contract §8: timeliness that survives a copy).

The form's signature block has the administrative date line «…, ngày … tháng … năm …»
(an input cell).  When the unit fills it in («Bình Minh, ngày 05 tháng 4 năm 2024»),
that is when it sent the report: copying the file keeps it, unlike the file's time.
A line that does not hold a real date is not a date (the file's time is used).
"""

from __future__ import annotations

import datetime as dt
import re

from ..grid.base import WorkbookGrid

_DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_SEARCH_ROWS = 400  # the date line is below the table; a form has a few dozen rows


def typed_date(grid: WorkbookGrid, sheet_name: str | None) -> dt.date | None:
    if not sheet_name:
        return None
    sheet = grid.sheet(sheet_name)
    found = None
    for row in range(min(sheet.n_rows, _SEARCH_ROWS)):
        for col in range(min(sheet.n_cols, 12)):
            value = sheet.value(row, col)
            if isinstance(value, str) and (match := _DATE.search(" ".join(value.split()))):
                try:
                    found = dt.date(int(match[3]), int(match[2]), int(match[1]))
                except ValueError:
                    continue
    return found
