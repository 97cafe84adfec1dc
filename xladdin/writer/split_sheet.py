"""The «Giải thích phân bổ» sheet of a plan: how one indicator was split, unit by unit.

For the indicator that shows the most (one with the Alabama paradox, else one whose
left-over units were handed out, else the first), every unit's weight, exact quota,
whole part, remainder, its remainder's place, the extra unit it got or not and why, in
words; then every indicator of the plan where one more unit to split would give a unit
less (the Alabama paradox of largest remainder), with the method that never does.

The numbers are the engine's (:mod:`xladdin.engine.split_explain`), written as values;
one formula cell says whether the plan's Chỉ tiêu đợt and weights are still those
explained, so a sheet that went stale says so.
"""

from __future__ import annotations

from fractions import Fraction

from .. import contract as c
from ..bundled import load_toml
from ..engine.apportion import LARGEST_REMAINDER, METHOD_NAMES
from ..engine.model import Plan
from ..engine.numbers import thousands
from ..engine.split_explain import (
    RowSplit,
    SplitExplanation,
    decimal,
    paradox_warnings,
    plan_splits,
    reason,
)
from ..templates import definition
from . import parts
from .styles import Formats

FIRST_ROW = 5  # 0-based header row of the unit table


def add_split_sheet(workbook, formats: Formats, plan: Plan, targets: dict[str, object],
                    weights_name: str | None) -> str | None:
    """Add the sheet when the plan has a split to explain (``targets``: code → the
    resolved Chỉ tiêu đợt); its name, else None."""
    splits = plan_splits(plan, targets)
    if not splits:
        return None
    chosen = _most_telling(splits)
    sheet = workbook.add_worksheet(c.SPLIT_SHEET)
    spec = load_toml("templates", "split_sheet.toml")
    # the unit columns are named by the contract, the explanation's own by the TOML
    spec["headers"] = [c.UNIT_CODE, c.UNIT_NAME, c.WEIGHT, *spec["headers"]]
    _SplitSheet(sheet, formats, plan, spec).write(chosen, splits, weights_name)
    return sheet.name


def _most_telling(splits: list[RowSplit]) -> RowSplit:
    return (next((s for s in splits if s.paradox), None)
            or next((s for s in splits if s.uneven), None)
            or splits[0])


class _SplitSheet:
    def __init__(self, sheet, formats: Formats, plan: Plan, spec: dict):
        self.sheet, self.f, self.plan, self.spec = sheet, formats, plan, spec
        self.last_col = len(spec["headers"]) - 1

    def write(self, chosen: RowSplit, splits: list[RowSplit], weights_name: str | None) -> None:
        sheet, f, spec, e = self.sheet, self.f, self.spec, chosen.explain()
        for col, width in enumerate(spec["widths"]):
            sheet.set_column(col, col, width)
        parts.line(sheet, f, 0, spec["title"], self.last_col, "title", 24)
        minimum = spec["minimum"].format(minimum=e.minimum) if e.minimum else ""
        parts.line(
            sheet,
            f,
            1,
            spec["subtitle"].format(
                code=chosen.code,
                name=chosen.name,
                total=e.total,
                count=len(e.units),
                method=METHOD_NAMES[e.method],
                minimum=minimum,
            ),
            self.last_col,
            "subtitle",
            36,
        )
        weight_sum = sum((u.weight for u in e.units), Fraction(0))
        steps = spec[
            "steps_largest_remainder" if e.method == LARGEST_REMAINDER else "steps_divisor"
        ]
        parts.line(
            sheet,
            f,
            2,
            steps.format(
                weight_sum=_number(weight_sum),
                wholes=sum(u.whole for u in e.units if not u.raised),
                left_over=e.left_over,
                total=e.total,
                method=METHOD_NAMES[e.method],
            ),
            self.last_col,
            "note",
            48,
        )
        self._still_true(3, chosen, weight_sum, weights_name)
        last = self._units(chosen, e)
        self._paradoxes(last + 2, splits)
        parts.protect(sheet)
        sheet.freeze_panes(FIRST_ROW + 1, 2)
        parts.print_a4(sheet, landscape=True, title_row=FIRST_ROW, last_col=self.last_col,
                       last_row=last + 3 + max(1, sum(bool(s.paradox) for s in splits)))

    def _still_true(
        self, row: int, chosen: RowSplit, weight_sum: Fraction, weights_name: str | None
    ) -> None:
        """A live check: the plan's Chỉ tiêu đợt (and weights) are still the explained ones."""
        spec = definition(c.PLAN)
        keys = [column["key"] for column in spec["columns"]]
        target_row = spec["sheet"]["header_row"] + [r.code for r in self.plan.rows].index(
            chosen.code
        )
        plan_sheet = "'" + c.PLAN_SHEET.replace("'", "''") + "'"
        target = f"{plan_sheet}!{parts.column(keys.index('round_target'))}{target_row + 1}"
        conditions = [f"{target}={chosen.total}"]
        if weights_name:
            conditions.append(f"ROUND(SUM({weights_name})-{float(weight_sum)!r},6)=0")
        stale = self.spec["stale"].format(total=chosen.total)
        formula = f'=IF(AND({",".join(conditions)}),"{self.spec["still_true"]}","{stale}")'
        self.sheet.merge_range(row, 0, row, self.last_col, "", self.f["small_left"])
        self.sheet.write_formula(row, 0, formula, self.f["small_left"], self.spec["still_true"])

    def _units(self, chosen: RowSplit, e: SplitExplanation) -> int:
        sheet, f = self.sheet, self.f
        head = FIRST_ROW
        for col, header in enumerate(self.spec["headers"]):
            sheet.write_string(head, col, header, f["header"])
        sheet.set_row(head, 32)
        width = self.spec["widths"][-1]
        for offset, unit in enumerate(e.units):
            row = head + 1 + offset
            child = self.plan.children[unit.index]
            extra_style = "count_total" if unit.got_extra else "count"
            sheet.write_string(row, 0, child.code, f["text"])
            sheet.write_string(row, 1, child.name, f["text"])
            sheet.write_number(row, 2, float(unit.weight), f["count"])
            sheet.write_number(row, 3, float(unit.quota), f["decimal"])
            sheet.write_number(row, 4, unit.whole, f["count"])
            sheet.write_number(row, 5, float(unit.remainder), f["decimal"])
            parts.put_value(sheet, row, 6, unit.rank, f["count"])
            sheet.write_number(row, 7, unit.extra, f[extra_style])
            sheet.write_number(row, 8, unit.share, f["count_total"])
            text = reason(unit, e)
            sheet.write_string(row, 9, text, f["text"])
            sheet.set_row(row, max(parts.row_height(text, width), parts.row_height(child.name, 18)))
        total = head + 1 + len(e.units)
        sheet.write_string(total, 0, self.spec["total_label"], f["header"])
        sheet.write_blank(total, 1, None, f["header"])
        sums = (sum(u.weight for u in e.units), sum(u.quota for u in e.units),
                sum(u.whole for u in e.units), sum(u.remainder for u in e.units), None,
                sum(u.extra for u in e.units), sum(u.share for u in e.units))
        for col, value in enumerate(sums, start=2):
            style = "decimal" if col in (3, 5) else "count_total"
            parts.put_value(sheet, total, col, None if value is None else float(value), f[style])
        sheet.write_blank(total, 9, None, f["header"])
        return total

    def _paradoxes(self, row: int, splits: list[RowSplit]) -> None:
        sheet, f = self.sheet, self.f
        parts.line(sheet, f, row, self.spec["paradox_title"], self.last_col, "subtitle", 20)
        warnings = paradox_warnings(self.plan, splits)
        lines = [text for _, text in warnings] or [self.spec["no_paradox"]]
        for offset, text in enumerate(lines, start=1):
            parts.line(
                sheet,
                f,
                row + offset,
                text,
                self.last_col,
                "note" if not warnings else "warning_line",
                parts.row_height(text, sum(self.spec["widths"])),
            )


def _number(value: Fraction) -> str:
    return thousands(value.numerator) if value.denominator == 1 else decimal(value)
