"""From one round to the next (đợt mới): results carried into Đã thực hiện."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from .model import Plan, PlanRow, now_iso


def next_round(plan: Plan, results: dict[str, object], source: str = "") -> Plan:
    """The plan of round + 1.

    For each count: Đã thực hiện += this round's consolidated result; Chỉ tiêu đợt asks
    for what remains (a live formula, MAX(0, Kế hoạch năm − Đã thực hiện), which the
    officer may overwrite); the children's shares go back to the live split.  Totals
    stay the sums of their parts; a rate's Đã thực hiện is the rate just reached.
    """
    rows = []
    for row in plan.rows:
        result = results.get(row.code)
        if row.is_rate:
            rows.append(replace(row, done=Fraction(result) if result is not None else row.done))
        elif plan.parts_present(row):
            rows.append(row)
        else:
            done = (row.done or 0) + int(result or 0)
            rows.append(
                PlanRow(
                    code=row.code,
                    name=row.name,
                    unit=row.unit,
                    annual_plan=row.annual_plan,
                    done=done,
                    round_target=None if row.annual_plan is not None else row.round_target,
                    round_share=Fraction(1) if row.annual_plan is not None else None,
                    round_cumulative=True,
                    shares=None,
                    kind=row.kind,
                    parts=row.parts,
                    note=row.note,
                )
            )
    note = f"Đã thực hiện gồm kết quả đợt {plan.meta.round}" + (
        f" (bảng tổng hợp {source})." if source else "."
    )
    meta = replace(plan.meta, round=plan.meta.round + 1, created_at=now_iso(), due_date=None)
    return replace(plan, meta=meta, rows=tuple(rows), notes=(note,))  # keeps the split settings
