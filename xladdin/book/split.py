"""«Phân bổ»: split every round target of the plan open in Excel again, by the method and
minimum chosen on the «Đơn vị» sheet.

Largest remainder without a minimum: the native formulas are (re)written, so Excel
splits again by itself whenever Chỉ tiêu đợt or a weight changes.  Any other method or a
minimum: the engine's shares are written as numbers and the check column says so
(«Khớp · D'Hondt»); press «Phân bổ» again after changing a target or a weight.  Rows
whose shares were typed by hand (a published table) are left alone unless empty.
"""

from __future__ import annotations

from .. import contract as c
from ..engine.plan_values import child_weights
from ..engine.resplit import method_label, resplit
from ..errors import InputError
from .plan_book import usable_plan, write_rows
from .session import BookSession, Outcome


def split_targets(session: BookSession) -> Outcome:
    reading = usable_plan(session, "phân bổ")
    plan = reading.plan
    units = reading.units_sheet or c.UNITS_SHEET
    if not plan.children:
        raise InputError(
            f"Bảng kế hoạch chưa có đơn vị cấp dưới nào (trang «{units}»): chưa có gì để phân bổ."
        )
    if not sum(child_weights(plan)):
        raise InputError(
            f"Chưa có trọng số nào lớn hơn 0 ở trang «{units}»: hãy nhập Trọng số của các đơn vị "
            "rồi bấm «Phân bổ»."
        )
    outcome = resplit(plan)
    write_rows(session, reading, outcome.plan, outcome.split)
    how = method_label(plan.split_method) + (
        f", mức tối thiểu {plan.split_minimum}" if plan.split_minimum else ""
    )
    lines = []
    if outcome.split:
        lines.append(f"Đã phân bổ {len(outcome.split)} chỉ tiêu theo phương pháp {how}.")
        lines.append(
            "Phần của từng đơn vị là công thức Excel: tự chia lại khi sửa Chỉ tiêu đợt hay "
            "Trọng số."
            if outcome.live
            else "Phần của từng đơn vị được ghi thành số (cột Kiểm tra phân bổ ghi tên phương "
            "pháp): hãy bấm lại «Phân bổ» sau khi sửa Chỉ tiêu đợt hay Trọng số."
        )
    else:
        lines.append("Không có chỉ tiêu nào được phân bổ lại.")
    if outcome.kept:
        lines.append(
            f"Giữ nguyên {len(outcome.kept)} chỉ tiêu có số nhập tay: {', '.join(outcome.kept)} "
            "(xóa các số đó rồi bấm lại nếu muốn chia tự động)."
        )
    by_reason: dict[str, list[str]] = {}
    for code, reason in outcome.problems:
        by_reason.setdefault(reason, []).append(code)
    for reason, codes in by_reason.items():
        lines.append(f"Không chia được {', '.join(codes)}: {reason}")
    return Outcome("\n".join(lines), error=bool(outcome.problems))
