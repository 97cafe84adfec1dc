"""The «Tổng hợp» sheet's layout (table ``TongHop``), computed once for both renderers.

:func:`summary_layout` says what goes in every cell of «Tổng hợp»: the title lines, the
table (each indicator's target, result and % đạt for the whole unit, then one column per
child unit with its result; totals, rates and combined rows are native formulas holding
the engine's values), widths, heights and the provenance note on each unit's header.
Two renderers write it: XlsxWriter for the summary file (:mod:`xladdin.writer.summary`)
and the open-book runtime for the «Tổng hợp» button (:mod:`xladdin.book.consolidate`).
A change to «Tổng hợp» is made here.

What differs between the two is given, not guessed: where each unit's target comes from
(``target_refs``: the file's «Chỉ tiêu đơn vị» cells; the button has no such sheet and
writes the total as a number) and each unit's year-to-date formula (``unit_formula``:
the file's «Theo kỳ»; the button consolidates one round).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import contract as c
from ..engine.consolidate import MISSING, RECEIVED, REJECTED, Summary, UnitStatus
from ..engine.model import FormRow
from ..engine.periods import period_of
from ..engine.plan import pct_done
from ..templates import definition, period_title
from . import formulas, parts
from .cells import Cell
from .form_layout import Text
from .summary_progress import MANY_UNITS
from .summary_year import year_title

HEAD = 4  # 0-based header row of the TongHop table (the button's sheet too)
STATUS_WORDS = {RECEIVED: c.RECEIVED_WORD, MISSING: c.MISSING_WORD, REJECTED: c.REJECTED_WORD}

TargetRefs = Callable[[str], list[str]]  # indicator code → each unit's target cell
UnitFormula = Callable[[str, str], "str | None"]  # (code, unit code) → its formula, if any


@dataclass(frozen=True)
class UnitRows:
    """Above MANY_UNITS the file keeps each unit's numbers in rows, one unit a row, on
    sheets of their own («Theo kỳ»: results; «Chỉ tiêu đơn vị»: targets), and «Tổng hợp»
    has only the whole unit's columns: a constant width that prints on one page wide,
    whatever the number of units (a column per unit stops at 16,384)."""

    targets: Callable[[str], str]  # code → the range of every unit's target
    total: Callable[[str], str]  # code → the whole unit's formula over «Theo kỳ» (count, stock)


@dataclass(frozen=True)
class SummaryRow:
    row: int
    cells: tuple[Cell, ...]  # Mã, Chỉ tiêu, ĐVT, target, Kết quả, % đạt, then the units
    height: float


@dataclass(frozen=True)
class SummaryLayout:
    lines: tuple[Text, ...]  # title, subtitle, note (rows 0–2)
    head: int
    headers: tuple[str, ...]
    widths: tuple[tuple[int, int, float], ...]  # (first col, last col, width), in order
    header_height: float
    rows: tuple[SummaryRow, ...]
    comments: tuple[tuple[int, str], ...]  # (col, note) on the header: where a unit's came from
    row_of: dict[str, int]
    unit_col: dict[str, int]
    first_unit: int

    @property
    def last_col(self) -> int:
        return len(self.headers) - 1

    @property
    def last(self) -> int:
        """The table's last row."""
        return self.head + max(len(self.rows), 1)

    @property
    def pct_col(self) -> int:
        return self.first_unit - 1


def year_mode(summary: Summary) -> bool:
    """A summary of several periods: the year to date against Kế hoạch năm."""
    return len(summary.periods or ()) > 1


def summary_title(summary: Summary, spec: dict[str, Any]) -> str:
    return year_title(summary) or str(
        spec["sheet"]["title"].format(period_title=period_title(summary.meta)))


def subtitle(summary: Summary, spec: dict[str, Any]) -> str:
    """Who sent: in year mode, the latest period's forms (a unit that sent January but not
    February has not sent «everything»), then how many units sent at least one."""
    meta = summary.meta
    if not year_mode(summary):
        return str(spec["sheet"]["subtitle"].format(
            unit_name=meta.unit_name, unit_code=meta.unit_code, received=len(summary.received),
            expected=len(summary.expected)))
    latest = summary.periods[-1]
    return str(spec["sheet"]["subtitle_year"].format(
        unit_name=meta.unit_name, unit_code=meta.unit_code,
        period=period_of(latest.meta).label(meta.year), received=len(latest.received),
        expected=len(latest.expected), sent=len(summary.received)))


def code_width(summary: Summary, spec: dict[str, Any]) -> float:
    """A code is never wrapped in the middle: the column fits the longest (Times digits)."""
    return float(max([spec["columns"][0]["width"]] + [len(r.code) * 1.1 + 1 for r in summary.rows]))


def many_units(summary: Summary) -> bool:
    return len(summary.units) > MANY_UNITS


def summary_layout(summary: Summary, *, target_refs: TargetRefs | None = None,
                   unit_formula: UnitFormula | None = None,
                   unit_rows: UnitRows | None = None) -> SummaryLayout:
    """``unit_rows``: where the units' rows are, for a summary of many units (the file's
    «Theo kỳ» and «Chỉ tiêu đơn vị»; the button writes the same two sheets)."""
    spec = definition(c.SUMMARY)
    long = unit_rows if many_units(summary) else None
    columns, units = spec["columns"], ([] if long else list(summary.units))
    first_unit = len(columns)
    row_of = {r.code: HEAD + 1 + i for i, r in enumerate(summary.rows)}
    unit_col = {u.code: first_unit + i for i, u in enumerate(units)}
    headers = [col["header"] for col in columns] + [u.name for u in units]
    if year_mode(summary):  # the targets are the units' shares of the year's plan
        headers[3] = c.ANNUAL_PLAN
    last_col = len(headers) - 1
    lines = (
        Text(0, 0, last_col, summary_title(summary, spec), "title", 26),
        Text(1, 0, last_col, subtitle(summary, spec), "subtitle", 20),
        Text(2, 0, last_col, spec["sheet"]["note_many" if long else "note"].format(
            sources_sheet=c.SOURCES_SHEET, period_sheet=c.PERIOD_SHEET,
            targets_sheet=c.TARGETS_SHEET, units=len(summary.units)), "note", 30 if not long
             else 45),
    )
    unit_width = spec["unit_columns"]["width"]
    widths = [(i, i, float(col["width"])) for i, col in enumerate(columns)]
    widths[0] = (0, 0, code_width(summary, spec))
    if not long:
        widths.append((first_unit, max(first_unit, last_col), float(unit_width)))
    header_height = max([45.0] + [parts.row_height(u.name, unit_width * 0.85) for u in units])
    # Provenance on the column itself while a comment per unit stays readable; beyond
    # that the sheet «Nguồn số liệu» (named in the note line) says where every number
    # came from, with a link to each file.
    comments = tuple(
        (unit_col[u.code], f"Nguồn: {summary.sources[u.code]}" if summary.sources.get(u.code)
         else f"{STATUS_WORDS[u.status]}: không có số liệu được cộng.")
        for u in (units if len(units) <= MANY_UNITS else ()))
    rows = _Rows(summary, units, row_of, unit_col, first_unit, target_refs, unit_formula, long)
    name_width = columns[1]["width"]
    table = tuple(
        SummaryRow(row_of[r.code], rows.cells(r), parts.row_height(r.name, name_width))
        for r in summary.rows)
    return SummaryLayout(
        lines=lines, head=HEAD, headers=tuple(headers), widths=tuple(widths),
        header_height=header_height, rows=table, comments=comments, row_of=row_of,
        unit_col=unit_col, first_unit=first_unit)


class _Rows:
    """The cells of one indicator's row: its label, the whole unit's columns, the units'."""

    def __init__(self, summary: Summary, units: list[UnitStatus], row_of: dict[str, int],
                 unit_col: dict[str, int], first_unit: int, target_refs: TargetRefs | None,
                 unit_formula: UnitFormula | None, long: UnitRows | None):
        self.s, self.row_of, self.unit_col, self.first_unit = summary, row_of, unit_col, first_unit
        self.target_refs, self.unit_formula, self.long = target_refs, unit_formula, long
        self.counted = set(summary.counted)  # a set built once: a list per cell is quadratic
        self.units = units  # the units with a column (none when they are in rows)

    def cells(self, r: FormRow) -> tuple[Cell, ...]:
        label = (Cell(0, r.code, style="text"), Cell(1, r.name, style="text"),
                 Cell(2, r.unit, style="text_center"))
        body = self._rate(r) if r.is_rate else self._count(r)
        return label + tuple(body)

    def _span(self, row: int) -> tuple[str, str]:
        last = self.first_unit + max(len(self.units) - 1, 0)
        return parts.cell(row, self.first_unit), parts.cell(row, last)

    def _rate(self, r: FormRow) -> list[Cell]:
        s, row = self.s, self.row_of[r.code]
        num, den = r.parts
        found: list[Cell] = []
        for unit in self.units:
            col = self.unit_col[unit.code]
            if unit.code in self.counted:
                value = s.results.get(unit.code, {}).get(r.code)
                found.append(Cell(col, formula=formulas.rate(
                    parts.cell(self.row_of[num], col), parts.cell(self.row_of[den], col)),
                    style="percent", cached=value))
            else:
                found.append(Cell(col, None, style="percent"))
        target, total = s.total_target(r.code), s.total_result(r.code)
        if self.long:  # the whole unit's numerator over its denominator, in this table
            ratio = formulas.rate(f"E{self.row_of[num] + 1}", f"E{self.row_of[den] + 1}")
        else:
            last = self.first_unit + len(self.units) - 1
            numerators, denominators = (
                f"SUM({parts.cell(self.row_of[p], self.first_unit)}:"
                f"{parts.cell(self.row_of[p], last)})" for p in (num, den))
            ratio = f'=IF({denominators}=0,"",{numerators}/{denominators})'
        words = definition(c.FORM)["rate"]
        reached = None if total is None or target is None else (
            words["reached"] if total >= target else words["not_reached"])
        return found + [
            Cell(3, target, style="percent"),
            Cell(4, formula=ratio, style="percent_total", cached=total),
            Cell(5, formula=formulas.rate_reached(f"E{row + 1}", f"D{row + 1}", words["reached"],
                                                  words["not_reached"]),
                 style="text_center", cached=reached),
        ]

    def _count(self, r: FormRow) -> list[Cell]:
        s, row = self.s, self.row_of[r.code]
        is_total = bool(r.parts) and all(p in self.row_of for p in r.parts)
        found: list[Cell] = []
        for unit in self.units:
            col = self.unit_col[unit.code]
            if unit.code not in self.counted:
                found.append(Cell(col, None, style="count"))
                continue
            value = s.results[unit.code].get(r.code)
            year = self.unit_formula(r.code, unit.code) if self.unit_formula else None
            if is_total:
                refs = [parts.cell(self.row_of[p], col) for p in r.parts]
                found.append(Cell(col, formula=formulas.total_of(refs), style="count_total",
                                  cached=value))
            elif year is not None:
                found.append(Cell(col, formula=year, style="count", cached=value))
            else:
                found.append(Cell(col, value, style="count"))
        target = s.total_target(r.code)
        total = s.total_result(r.code) if self.units or self.long else None
        if self.long:
            targets = self.long.targets(r.code)
            found.append(Cell(3, formula=f'=IF(COUNT({targets})=0,"",SUM({targets}))',
                              style="count_total", cached=target))
            formula = (formulas.total_of([f"E{self.row_of[p] + 1}" for p in r.parts]) if is_total
                       else self.long.total(r.code))
            found.append(Cell(4, formula=formula, style="count_total", cached=total))
        elif self.units:
            first, last = self._span(row)
            if self.target_refs is None:
                found.append(Cell(3, target, style="count_total"))
            else:
                joined = ",".join(self.target_refs(r.code))
                found.append(Cell(3, formula=f'=IF(COUNT({joined})=0,"",SUM({joined}))',
                                  style="count_total", cached=target))
            found.append(Cell(4, formula=f'=IF(COUNT({first}:{last})=0,"",SUM({first}:{last}))',
                              style="count_total", cached=total))
        ratio = pct_done(total, target) if total is not None and target else None
        found.append(Cell(5, formula=formulas.pct_done(f"E{row + 1}", f"D{row + 1}"),
                          style="percent", cached=ratio))
        return found
