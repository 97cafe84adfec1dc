"""Leaving the workbook (contract §11): a summary's numbers for DHIS2, and any summary or
form as a tidy DataFrame for analysts.

* :func:`read_report_data`: a summary («Theo kỳ» + «Chỉ tiêu đơn vị») or a form, as
  records (:mod:`xladdin.engine.tidy`); a workbook with an error in a number is refused,
  naming the cell (no analysis starts from a number that may be wrong);
* :func:`export_dhis2`: ``xladdin export SUMMARY --dhis2 OUT.csv [--mapping MAP.csv]``;
* :func:`read_report`: ``xladdin.read_report(PATH)`` → pandas DataFrame.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import contract as c
from .engine.dhis2 import DataValueSet, data_value_set
from .engine.tidy import ReportData, form_report
from .errors import InputError, UsageError, WorkbookError
from .inputs import read_mapping
from .jobs import carried_catalogue
from .outputs import check_output_differs, check_suffix
from .reader.form_reader import read_form
from .reader.guard import judge_file
from .reader.locate import read_meta
from .reader.summary_reader import read_report_data as read_summary_records
from .writer.dhis2_adx import write_adx
from .writer.dhis2_csv import write_dhis2_csv

if TYPE_CHECKING:
    import pandas

COLUMNS = list(c.REPORT_COLUMNS)


def read_report_data(path: str | Path) -> ReportData:
    """The records of a summary or a form; WorkbookError naming the first bad cell."""
    path = Path(path)
    catalogue = carried_catalogue(path)

    def judge(grid):
        template = (read_meta(grid) or {}).get(c.KEY_TEMPLATE)
        if template == c.FORM or (template is None and grid.table(c.FORM_TABLE)):
            reading = read_form(grid, catalogue)
            return (form_report(reading.form, catalogue) if reading.form else None,
                    list(reading.issues))
        if template == c.SUMMARY:
            return read_summary_records(grid, catalogue)
        raise WorkbookError("Tệp không phải bảng tổng hợp hay biểu mẫu báo cáo của xladdin.",
                            file=str(path), rule="not-a-report")

    data, issues = judge_file(path, judge)  # one guard: whatever happens is the file's error
    errors = [i for i in issues if i.is_error]
    if errors or data is None:
        first = errors[0] if errors else None
        more = (
            f" (và {len(errors) - 1} lỗi khác; «xladdin validate» liệt kê hết)"
            if len(errors) > 1
            else ""
        )
        raise WorkbookError(
            (first.message if first else "Không đọc được số liệu.") + more,
            file=str(path),
            sheet=first.sheet if first else None,
            cell=first.cell if first else None,
        )
    return data


def export_dhis2(summary: Path, out: Path | None, mapping: Path | None = None, *,
                 adx: Path | None = None, data_set: str | None = None,
                 round_period: str | None = None) -> DataValueSet:
    """A summary's numbers as a DHIS2 data value set (codes unless mapped): CSV to
    ``out``, ADX to ``adx`` (which names the DHIS2 data set, ``data_set``); a rounds
    summary's results go to the DHIS2 period ``round_period`` (required for one)."""
    if out is None and adx is None:
        raise UsageError("Cần --dhis2 OUT.csv hoặc --adx OUT.xml.")
    if adx is not None and not (data_set or "").strip():
        raise UsageError("ADX ghi mỗi nhóm số liệu theo một bộ dữ liệu (data set) của DHIS2: "
                         "hãy cho mã bộ dữ liệu bằng --dataset.")
    for path, suffix in ((out, ".csv"), (adx, ".xml")):
        if path is not None:
            check_suffix(path, (suffix,), "DHIS2")
            check_output_differs([summary] + ([mapping] if mapping else []), path)
    data = read_report_data(summary)
    if data.meta.template != c.SUMMARY:
        raise InputError(f"{summary}: «export» đọc bảng tổng hợp (do «xladdin consolidate» tạo), "
                         "không phải biểu mẫu.")
    values = data_value_set(data, read_mapping(mapping) if mapping else None, round_period)
    if out is not None:
        write_dhis2_csv(values, out)
    if adx is not None:
        write_adx(values, (data_set or "").strip(), data.meta.created_at, adx)
    return values


def read_report(path: str | Path) -> pandas.DataFrame:
    """A summary or a form as a tidy DataFrame: one row per unit, indicator and period,
    columns ``unit_code, unit_name, indicator_code, period, target, result`` (contract
    §11).  ``period`` is ``2024-03``, ``2024-Q1`` or ``round-2``; ``target`` the unit's
    Chỉ tiêu đợt as its form carried it; ``result`` what it reported (a rate as a
    fraction, 0.65).  Only counted forms' numbers are there (a unit that sent nothing, or
    a form with errors, has no rows); blank cells have no row.  Numbers are floats (counts
    are exact up to 2^53).  Needs pandas: ``pip install "xladdin[pandas]"``."""
    try:
        import pandas
    except ImportError:
        raise ImportError("read_report cần pandas: pip install \"xladdin[pandas]\" "
                          "(read_report needs pandas).") from None
    data = read_report_data(path)
    rows = [
        [r.unit_code, r.unit_name, r.indicator_code, r.period, _float(r.target), _float(r.result)]
        for r in data.records
    ]
    frame = pandas.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"target": "float64", "result": "float64"})


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
