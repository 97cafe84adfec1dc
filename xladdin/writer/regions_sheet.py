"""The «Theo vùng» sheet of a national summary (``consolidate --by-region``): the
provinces grouped by socio-economic region, as the ministry's appendices list them
(I. Trung du và miền núi phía Bắc, 1. Hà Giang, …), a subtotal row per region and the
national total, one column per indicator.

Province cells hold the results their forms reported (blank when not counted, and the
status column says why); every subtotal is a native formula: SUM over the region's
rows for counts and stocks, Σ numerator / Σ denominator for rates.  Cached values are
the engine's (:mod:`xladdin.engine.regions`).
"""

from __future__ import annotations

from fractions import Fraction

from ..contract import REGIONS_SHEET, STATUS_HEADER
from ..engine.consolidate import Summary
from ..engine.regions import RegionGroup, region_totals
from . import parts
from .styles import Formats

HEAD = 4  # 0-based header row
FIRST_COL = 3  # STT | Vùng / đơn vị | Tình trạng | indicators…
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def add_regions_sheet(workbook, f: Formats, summary: Summary, groups: list[RegionGroup],
                      status_words: dict[str, str], cache: bool = True) -> None:
    sheet = workbook.add_worksheet(REGIONS_SHEET)
    rows = list(summary.rows)
    col_of = {r.code: FIRST_COL + i for i, r in enumerate(rows)}
    last_col = FIRST_COL + len(rows) - 1
    parts.line(
        sheet,
        f,
        0,
        f"KẾT QUẢ THEO VÙNG KINH TẾ - XÃ HỘI – {summary.meta.unit_name.upper()} "
        f"NĂM {summary.meta.year}",
        last_col,
        "title",
        26,
    )
    parts.line(
        sheet,
        f,
        1,
        "Số của từng tỉnh là số trong biểu mẫu đã được cộng; dòng vùng và dòng toàn quốc là "
        "công thức (tỷ lệ = tổng tử số / tổng mẫu số).",
        last_col,
        "note",
        30,
    )
    for col, title in enumerate(("STT", "Vùng / đơn vị", STATUS_HEADER)):
        sheet.merge_range(HEAD - 1, col, HEAD, col, title, f["header"])
    for r in rows:
        sheet.write_string(HEAD - 1, col_of[r.code], f"{r.name} ({r.unit})", f["header"])
        sheet.write_string(HEAD, col_of[r.code], r.code, f["header"])
    sheet.set_row(HEAD - 1, 75)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 13)
    sheet.set_column(FIRST_COL, max(last_col, FIRST_COL), 13)
    units = {u.code: u for u in summary.units}
    row = HEAD + 1
    region_rows = []
    number = 0
    for index, group in enumerate(groups):
        first, last = row + 1, row + len(group.units)
        totals = region_totals(summary, group)
        sheet.write_string(
            row, 0, ROMAN[index] if index < len(ROMAN) else str(index + 1), f["count_total"]
        )
        sheet.write_string(row, 1, group.name, f["count_total"])
        sheet.write_string(row, 2, "", f["count_total"])
        for r in rows:
            formula = _subtotal(r, col_of, [(first, last)])
            sheet.write_formula(
                row,
                col_of[r.code],
                formula,
                f["percent" if r.is_rate else "count_total"],
                _cached(totals[r.code], cache),
            )
        region_rows.append(row)
        for offset, code in enumerate(group.units):
            number += 1
            at = first + offset
            unit = units[code]
            sheet.write_number(at, 0, number, f["text_center"])
            sheet.write_string(at, 1, unit.name, f["text"])
            sheet.write_string(at, 2, status_words[unit.status], f["text_center"])
            values = summary.results.get(code, {})
            for r in rows:
                if r.is_rate:
                    sheet.write_formula(
                        at,
                        col_of[r.code],
                        _subtotal(r, col_of, [(at, at)]),
                        f["percent"],
                        _cached(values.get(r.code), cache),
                    )
                else:
                    parts.put_value(sheet, at, col_of[r.code], values.get(r.code), f["count"])
        row = last + 1
    sheet.write_string(row, 0, "", f["count_total"])
    sheet.write_string(row, 1, "TOÀN QUỐC", f["count_total"])
    sheet.write_string(
        row, 2, f"{len(summary.counted)}/{len(summary.expected)} đã cộng", f["count_total"]
    )
    for r in rows:
        formula = _subtotal(r, col_of, [(at, at) for at in region_rows], over_totals=True)
        sheet.write_formula(
            row,
            col_of[r.code],
            formula,
            f["percent" if r.is_rate else "count_total"],
            _cached(summary.total_result(r.code) if summary.counted else None, cache),
        )
    sheet.freeze_panes(HEAD + 1, FIRST_COL)
    parts.protect(sheet)
    parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=last_col, last_row=row)


def _subtotal(
    row, col_of: dict[str, int], spans: list[tuple[int, int]], over_totals: bool = False
) -> str:
    """SUM of a count column over ``spans``; a rate from its numerator and denominator."""
    def total(code: str) -> str:
        col = col_of[code]
        cells = [
            parts.cell(a, col) if a == b else f"{parts.cell(a, col)}:{parts.cell(b, col)}"
            for a, b in spans
        ]
        return f"SUM({','.join(cells)})"

    if row.is_rate:
        num, den = row.parts
        return f'=IF({total(den)}=0,"",{total(num)}/{total(den)})'
    return "=" + total(row.code)


def _cached(value, cache: bool):
    if isinstance(value, Fraction):
        value = value.numerator if value.denominator == 1 else float(value)
    return parts.cached(value, cache)
