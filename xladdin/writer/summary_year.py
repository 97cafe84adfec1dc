"""The reporting year in the summary workbook (contract §8): «Theo kỳ» and «Lũy kế».

* «Theo kỳ» (Table ``TheoKy``): one row per unit and period, laid out by
  :class:`xladdin.writer.period_layout.PeriodLayout` (the «Tổng hợp» button renders the
  same layout into the open book); this is where every other number of the year comes from.
* «Lũy kế» (Table ``LuyKe``): one row per indicator: Kế hoạch năm, each period's total
  side by side, the year to date (Lũy kế) and its % of Kế hoạch năm, all formulas over
  «Theo kỳ»: a count is the sum of its periods, a stock the sum over units of each
  unit's latest period (``Mới nhất`` = 1), a rate its numerator over its denominator, a
  combined row the sum of its parts.
"""

from __future__ import annotations

from .. import contract as c
from ..engine.catalogue import COUNT, RATE, STOCK
from ..engine.consolidate import Summary
from ..engine.model import FormRow
from ..engine.periods import period_of
from ..engine.plan_values import resolve_plan
from . import formulas, parts
from .cells import put
from .period_layout import (
    FIRST_INDICATOR,
    HEAD,
    PERIOD_SHEET,
    PERIOD_TABLE,
    STATUS,
    PeriodLayout,
    code_width,
    periods_of,
)

__all__ = ["CUMULATIVE_SHEET", "HEAD", "PERIOD_SHEET", "STATUS", "YearSheets", "code_width",
           "periods_of", "year_title"]
CUMULATIVE_SHEET, CUMULATIVE_TABLE = c.CUMULATIVE_SHEET, c.CUMULATIVE_TABLE
HOW = {
    COUNT: "Cộng các kỳ",
    STOCK: "Số cuối kỳ mới nhất",
    RATE: "Tử số / mẫu số",
    "combined": "Tổng các thành phần",
}


def year_title(summary: Summary) -> str | None:
    """The summary's title when it holds several periods: the year, to date."""
    periods = periods_of(summary)
    if len(periods) < 2:
        return None
    last = period_of(periods[-1].meta).label(summary.meta.year)
    return (
        f"TỔNG HỢP KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM {summary.meta.year} – LŨY KẾ ĐẾN {last.upper()}"
    )


def _how(r: FormRow, combined: bool) -> str:
    if r.is_rate:
        return RATE
    return "combined" if combined else r.kind


class YearSheets(PeriodLayout):
    """Writes «Theo kỳ» then «Lũy kế»; gives the main sheet its per-unit formulas."""

    def __init__(self, workbook, formats, summary: Summary, cache: bool, filters: bool = False):
        """``filters``: filter buttons on «Theo kỳ» (a summary of many units)."""
        super().__init__(summary, filters=filters)
        self.workbook, self.f, self.cache = workbook, formats, cache

    # «Theo kỳ»: the layout of PeriodLayout, written with XlsxWriter
    def period_sheet(self, sheet) -> None:
        f = self.f
        layout = self.sheet()
        many = self.filters  # many units: a unit is found by the filter buttons
        for text in layout.lines:
            parts.line(sheet, f, text.row, text.text, text.last_col, text.style, text.height)
        parts.add_table(sheet, f, PERIOD_TABLE, HEAD, self.last, list(layout.headers),
                        filters=many)
        for col, width in enumerate(layout.widths):
            sheet.set_column(col, col, width)
        sheet.set_row(HEAD, 32)
        for code, col in self.level_col.items():  # outside the table and the print area
            sheet.write_string(HEAD, col, f"{c.LATEST}: {code}", f["small_left"])
            sheet.set_column(col, col, 8, None, {"hidden": True})
        for row, cells in layout.rows:
            for cell in cells:
                put(sheet, f, row, cell, self.cache)
        sheet.freeze_panes(HEAD + 1, FIRST_INDICATOR)
        parts.protect(sheet, filters=many)
        parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=len(layout.headers) - 1,
                       last_row=self.last,
                       across=(3, 4, sum(layout.widths)) if many else None)  # unit code and name

    # «Lũy kế»
    def cumulative_sheet(self, sheet) -> None:
        f, s = self.f, self.s
        labels = [period_of(p.meta).label(p.meta.year) for p in self.periods]
        headers = [c.CODE, c.NAME, c.UNIT, "Cách tính lũy kế", c.ANNUAL_PLAN] + labels + [
            c.CUMULATIVE, c.PCT_ANNUAL]
        last_col = len(headers) - 1
        parts.line(
            sheet,
            f,
            0,
            f"KẾT QUẢ TỪNG KỲ VÀ LŨY KẾ NĂM {s.meta.year} – {s.meta.unit_name.upper()}",
            last_col,
            "title",
            24,
        )
        parts.line(
            sheet,
            f,
            1,
            "Lũy kế: số đếm cộng các kỳ; số cuối kỳ (phụ nữ đang dùng BPTT, phụ nữ có chồng "
            "15–49…) lấy kỳ mới nhất của mỗi đơn vị rồi cộng các đơn vị; tỷ lệ tính từ tử số và "
            "mẫu số. "
            "Số từng đơn vị, từng kỳ ở trang «Theo kỳ».",
            last_col,
            "note",
            32,
        )
        last = HEAD + max(len(self.rows), 1)
        parts.add_table(sheet, f, CUMULATIVE_TABLE, HEAD, last, headers)
        codes = max((code_width(r.code) for r in self.rows), default=14.0)
        for col, width in enumerate([max(14.0, codes), 34, 6, 16, 11]):
            sheet.set_column(col, col, width)
        sheet.set_column(5, last_col, 11)
        sheet.set_row(HEAD, 32)
        self.row_of = {r.code: HEAD + 1 + i for i, r in enumerate(self.rows)}
        annual = {code: v.annual_plan for code, v in resolve_plan(s.plan).items()}
        for r in self.rows:
            self._cumulative_row(sheet, r, annual.get(r.code), len(labels))
        sheet.freeze_panes(HEAD + 1, 2)
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=last_col, last_row=last)

    def _cumulative_row(self, sheet, r: FormRow, annual, k: int) -> None:
        f, row = self.f, self.row_of[r.code]
        how = _how(r, r.code in self.combined)
        pct_style, count_style = "percent", ("percent" if r.is_rate else "count")
        sheet.write_string(row, 0, r.code, f["text"])
        sheet.write_string(row, 1, r.name, f["text"])
        sheet.set_row(row, parts.row_height(r.name, 30))
        sheet.write_string(row, 2, r.unit, f["text_center"])
        sheet.write_string(row, 3, HOW[how], f["text"])
        parts.put_value(sheet, row, 4, annual, f[count_style])
        total_col = 5 + k
        for j, period in enumerate(self.periods + (None,)):
            col = 5 + j
            value = self.s.total_result(r.code) if period is None else period.total_result(r.code)
            if how in (RATE, "combined"):
                refs = [parts.cell(self.row_of[p], col) for p in r.parts]
                formula = formulas.rate(*refs) if how == RATE else formulas.total_of(refs)
            elif period is None:
                formula = self.year_to_date(r.code)
            else:
                values, which = self.range(self.col[r.code]), self.range(2)
                formula = (f'=IF(COUNTIFS({which},"{period.period_text}",{values},"<>")=0,"",'
                           f'SUMIF({which},"{period.period_text}",{values}))')
            style = (
                f["percent_total" if r.is_rate else "count_total"]
                if period is None
                else f[count_style]
            )
            sheet.write_formula(row, col, formula, style, parts.cached(value, self.cache))
        total = self.s.total_result(r.code)
        ratio = None if annual in (None, 0) or total is None else total / annual
        sheet.write_formula(
            row,
            total_col + 1,
            formulas.pct_done(parts.cell(row, total_col), parts.cell(row, 4)),
            f[pct_style],
            parts.cached(ratio, self.cache),
        )

