"""What the officer sees in a plan's cells: the cached values where the file has them, the
engine's numbers where a formula was saved without its value (never read as 0)."""

from __future__ import annotations

from ..engine.cells import read_count
from ..engine.model import Plan
from ..engine.plan_values import resolve_plan
from ..engine.values import exact
from ..grid.base import SheetGrid, parse_a1

FIELDS = ("annual_plan", "done", "round_target")


def observed_values(sheet: SheetGrid, plan: Plan,
                    cells: dict[tuple[str, str], str]) -> dict[str, dict[str, object]]:
    """Indicator code → field or child code → the value shown in its cell."""
    computed = resolve_plan(plan)
    observed: dict[str, dict[str, object]] = {}
    for row in plan.rows:
        values = computed[row.code]
        entry: dict[str, object] = {}
        engine = {
            "annual_plan": values.annual_plan,
            "done": values.done,
            "round_target": values.round_target,
        }
        for field in FIELDS:
            entry[field] = _shown(cells.get((row.code, field)), sheet, engine[field])
        for child, share in zip(plan.children, values.shares):
            if (row.code, child.code) in cells:
                entry[child.code] = _shown(cells[(row.code, child.code)], sheet, share)
        observed[row.code] = entry
    return observed


def _shown(ref: str | None, sheet: SheetGrid, computed: object) -> object:
    where = parse_a1(ref) if ref is not None else None
    if where is None:
        return computed
    row, col = where
    raw = sheet.value(row, col)
    if raw is None and sheet.formula(row, col) is not None:
        return computed  # formula saved without its value: the engine's number
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return exact(raw)
    if raw is None:
        return None
    reading = read_count(raw)
    return reading.value if reading.value is not None else raw
