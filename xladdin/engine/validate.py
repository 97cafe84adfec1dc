"""The rules a plan must follow, checked on what was read (contract §5, validate).

Errors: children that do not add up to Chỉ tiêu đợt; no weights to split by.
Warnings: a round target above what remains (the seeds do this on purpose: a campaign
may aim past the annual plan); a split where one more unit would give a child less (the
Alabama paradox of largest remainder).  Errors about single cells (text in a number cell,
negative or fractional counts) come from the reader, which saw the cells.
"""

from __future__ import annotations

from .model import ERROR, WARNING, Issue, PlanReading
from .plan import check_split
from .split_explain import paradox_warnings
from .values import as_whole as _whole
from .values import exact


def plan_issues(reading: PlanReading) -> list[Issue]:
    plan = reading.plan
    if plan is None:
        return []
    issues: list[Issue] = []

    def issue(severity: str, rule: str, code: str, field: str, message: str) -> None:
        issues.append(
            Issue(
                severity,
                reading.source,
                reading.sheet,
                reading.cells.get((code, field)),
                rule,
                message,
            )
        )

    live_split = any(
        r.shares is None and not r.is_rate and not plan.parts_present(r) for r in plan.rows
    )
    if plan.children and live_split and not any(_positive(c.weight) for c in plan.children):
        issues.append(
            Issue(
                ERROR,
                reading.source,
                reading.units_sheet,
                None,
                "no-weights",
                "Chưa có trọng số nào lớn hơn 0 ở trang Đơn vị: không chia được chỉ tiêu.",
            )
        )
    for row in plan.rows:
        if row.is_rate:
            continue
        seen = reading.observed.get(row.code, {})
        target = _whole(seen.get("round_target"))
        if target is None:
            continue
        total_row = plan.parts_present(row)  # its consistency follows from its parts
        if plan.children and not total_row:
            shares = [_whole(seen.get(c.code)) or 0 for c in plan.children]
            check = check_split(target, shares)
            if not check.ok:
                listed = " + ".join(str(s) for s in shares)
                issue(ERROR, "split-mismatch", row.code, "round_target",
                      f"{row.code} ({row.name}): các đơn vị cấp dưới cộng lại {check.shares_sum} "
                      f"({listed}) ≠ Chỉ tiêu đợt {target} ({check.message().lower()}).")
        annual = _whole(seen.get("annual_plan"))
        if annual is not None and not total_row:
            left = max(0, annual - (_whole(seen.get("done")) or 0))
            if target > left:
                issue(WARNING, "above-remaining", row.code, "round_target",
                      f"{row.code} ({row.name}): Chỉ tiêu đợt {target} lớn hơn số còn lại {left} "
                      "của kế hoạch năm (được phép khi chiến dịch đặt mục tiêu vượt kế hoạch).")
    shown = {
        row.code: _whole(reading.observed.get(row.code, {}).get("round_target"))
        for row in plan.rows
    }
    for code, message in paradox_warnings(
        plan, targets=shown
    ):  # one more to split, a unit gets less
        issue(WARNING, "alabama-paradox", code, "round_target", message)
    return issues


def _positive(weight: object) -> bool:
    try:
        return exact(weight) > 0
    except TypeError:
        return False
