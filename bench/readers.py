"""The ways of reading an inbox of forms that `consolidate` is compared with.

Run as ``python -m bench.readers METHOD INBOX`` in a process of its own (so its peak
memory is its own); prints one JSON line: seconds, files, totals (indicator → Σ Kết quả).

* ``naive``: the pandas loop an analyst writes in five minutes (``read_excel`` per file);
* ``openpyxl``: ``load_workbook(read_only=True, data_only=True)`` per file;
* ``calamine``: python-calamine, the whole sheet per file;
* ``floor``: open each zip and read the sheet's XML bytes, nothing parsed (no totals).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import zipfile
from pathlib import Path

SHEET = "Báo cáo"
HEADER_ROW = 7  # 0-based row of the BaoCao header in a form written by xladdin
CODE, RESULT = "Mã", "Kết quả"


def _add(totals: dict, code, value) -> None:
    if (
        isinstance(code, str)
        and code
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        totals[code] = totals.get(code, 0) + value


def naive(files: list[Path]) -> dict:
    import pandas as pd

    totals: dict = {}
    for path in files:
        frame = pd.read_excel(path, sheet_name=SHEET, header=HEADER_ROW)
        frame = frame.dropna(subset=[CODE])
        for code, value in zip(frame[CODE], pd.to_numeric(frame[RESULT], errors="coerce")):
            if value == value:  # not NaN
                _add(totals, code, float(value))
    return totals


def openpyxl_loop(files: list[Path]) -> dict:
    import openpyxl

    totals: dict = {}
    for path in files:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = book[SHEET].iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        header = next(rows)
        code_col, result_col = header.index(CODE), header.index(RESULT)
        for row in rows:
            _add(totals, row[code_col], row[result_col])
        book.close()
    return totals


def calamine_loop(files: list[Path]) -> dict:
    from python_calamine import CalamineWorkbook

    totals: dict = {}
    for path in files:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
        header = rows[HEADER_ROW]
        code_col, result_col = header.index(CODE), header.index(RESULT)
        for row in rows[HEADER_ROW + 1:]:
            _add(totals, row[code_col], row[result_col])
    return totals


def floor(files: list[Path]) -> dict:
    size = 0
    for path in files:
        with zipfile.ZipFile(path) as archive:
            size += len(archive.read("xl/worksheets/sheet1.xml"))
    return {"_bytes": size}


METHODS = {"naive": naive, "openpyxl": openpyxl_loop, "calamine": calamine_loop, "floor": floor}


def main() -> None:
    method, inbox = sys.argv[1], Path(sys.argv[2])
    files = sorted(inbox.glob("*.xlsx"))
    start = time.perf_counter()
    totals = METHODS[method](files)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"seconds": seconds, "files": len(files), "peak_mb": peak_kb / 1024, "totals": totals}
        )
    )


if __name__ == "__main__":
    main()
