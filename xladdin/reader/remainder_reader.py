"""Reading back the plan's «Còn lại đơn vị» sheet (contract §9): each child's own
Đã thực hiện, by child code and indicator code (writer.remainder_sheet writes it).

A plan without the sheet (made before it existed, or by hand) has no child's results:
``PlanRow.child_done`` stays None and the next round is split by the weights.  A cell
that is not a whole number ≥ 0 is an error naming it, never read as 0.
"""

from __future__ import annotations

from dataclasses import replace

from .. import contract as c
from ..engine.cells import read_count
from ..engine.model import ERROR, Issue, Plan
from ..grid.base import WorkbookGrid, a1
from .locate import clean, column_index, locate_table


def with_child_done(grid: WorkbookGrid, plan: Plan) -> tuple[Plan, list[Issue]]:
    located = locate_table(
        grid, c.REMAINDER_TABLE, [c.UNIT_CODE, c.CODE, c.DONE], c.REMAINDER_SHEET
    )
    if located is None or not plan.children:
        return plan, []
    table = located.table
    sheet = grid.sheet(table.sheet)
    unit_col, code_col, done_col = (column_index(table, h) for h in (c.UNIT_CODE, c.CODE, c.DONE))
    if unit_col is None or code_col is None or done_col is None:
        return plan, []
    index = {child.code: i for i, child in enumerate(plan.children)}
    done: dict[str, list[int | None]] = {}
    issues: list[Issue] = []
    for row in range(table.header_row + 1, table.last_row + 1):
        unit, code = clean(sheet.value(row, unit_col)), clean(sheet.value(row, code_col))
        if unit not in index or not code:
            continue
        reading = read_count(sheet.value(row, done_col))
        if reading.problem is not None and reading.problem.severity == ERROR:
            issues.append(
                Issue(
                    ERROR,
                    grid.source,
                    table.sheet,
                    a1(row, done_col),
                    reading.problem.rule,
                    f"{c.REMAINDER_SHEET}, {unit} {code}: {reading.problem.message}",
                )
            )
            continue
        done.setdefault(code, [None] * len(plan.children))[index[unit]] = reading.value
    known = {code: values for code, values in done.items() if any(v is not None for v in values)}
    rows = tuple(
        replace(r, child_done=tuple(known[r.code])) if r.code in known else r for r in plan.rows
    )
    return replace(plan, rows=rows), issues
