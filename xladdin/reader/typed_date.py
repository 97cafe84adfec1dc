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
from ..engine.model import WARNING, FormReading, Issue
from ..engine.periods import period_of
from ..grid.base import WorkbookGrid, a1

_DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
# where writer/form_layout.py puts the date line: two rows under the report table, from
# its fourth column (a date anywhere else, e.g. in Ghi chú, is not when the form was sent)
_ROWS_BELOW, _COLUMN = 2, 3


def date_line_cell(grid: WorkbookGrid, sheet_name: str | None) -> tuple[int, int] | None:
    """(row, col) of the date line, or None when the form's own table is not there."""
    if not sheet_name:
        return None
    table = grid.table(c.FORM_TABLE)
    if table is None or table.sheet != sheet_name:
        return None  # no table of the form's own: no date line to trust
    return table.last_row + _ROWS_BELOW, table.first_col + _COLUMN


def typed_date(grid: WorkbookGrid, sheet_name: str | None) -> dt.date | None:
    where = date_line_cell(grid, sheet_name)
    if where is None or sheet_name is None:
        return None
    value = grid.sheet(sheet_name).value(*where)
    if not isinstance(value, str) or not (match := _DATE.search(" ".join(value.split()))):
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def impossible_date(reading: FormReading, typed: dt.date, saved: dt.date,
                    where: tuple[int, int] | None) -> Issue | None:
    """A typed date before the period it reports ended, or after the file was last saved,
    cannot be when the form was sent: a warning naming the cell (lateness then goes by
    the file's time)."""
    end = period_of(reading.form.meta).end() if reading.form else None
    if end is not None and typed <= end:
        why = f"trước khi kỳ báo cáo kết thúc ({end:%d/%m/%Y})"
    elif typed > saved:
        why = f"sau ngày tệp được lưu lần cuối ({saved:%d/%m/%Y})"
    else:
        return None
    return Issue(WARNING, reading.source, reading.sheet, a1(*where) if where else None,
                 "typed-date-impossible",
                 f"Ngày ghi trong biểu mẫu ({typed:%d/%m/%Y}) {why}: không thể là ngày gửi. "
                 "Đúng hạn hay muộn được xét theo thời gian của tệp.")
