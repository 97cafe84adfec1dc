"""«Đợt mới»: the plan open in Excel moves to its next round, from its «Tổng hợp» sheet.

The results «Tổng hợp» wrote (for the plan's current round: its «Đợt tổng hợp» line says
which) are added to Đã thực hiện; Chỉ tiêu đợt becomes what remains of the annual plan
(a live formula the officer may overwrite); the split goes back to its formulas (or to
the method chosen on «Đơn vị»); ``_meta`` and the title say the new round.  Pressing it
twice cannot count a round twice: the second time, «Tổng hợp» is of an earlier round.
"""

from __future__ import annotations

from ..engine.model import now_iso
from ..engine.next_round import next_round as advance
from ..engine.resplit import resplit
from ..reader.locate import META_SHEET, clean
from .plan_book import plan_title, usable_plan, write_rows
from .report_up import round_results
from .session import BookSession, Outcome


def new_round(session: BookSession) -> Outcome:
    reading = usable_plan(session, "sang đợt mới")
    plan = reading.plan
    name, results = round_results(session, reading, "bấm «Đợt mới»")
    advanced = resplit(advance(plan, results, source=f"trang «{name}»")).plan
    rows = [r.code for r in advanced.rows if r.is_rate or not advanced.parts_present(r)]
    write_rows(session, reading, advanced, rows, fields=("done", "round_target"))
    _write_meta(session, round=advanced.meta.round, created_at=now_iso())
    with session.unprotected(reading.sheet):
        session.write(reading.sheet, 0, 0, [[plan_title(advanced)]])
    return Outcome(
        f"Bảng kế hoạch đã sang đợt {advanced.meta.round}: kết quả đợt {plan.meta.round} ở trang "
        f"«{name}» "
        "đã được cộng vào Đã thực hiện; Chỉ tiêu đợt là phần còn lại của kế hoạch năm (có thể "
        "sửa).\n"
        f"Hãy xóa các trang báo cáo của đợt {plan.meta.round} trước khi nhận báo cáo đợt mới."
    )


def _write_meta(session: BookSession, **values: object) -> None:
    """Set keys of ``_meta`` (found by name; a missing key is added below the others)."""
    name = next((s for s in session.grid.sheet_names if s.casefold() == META_SHEET), None)
    if name is None:
        return
    sheet = session.grid.sheet(name)
    rows = {
        clean(sheet.value(row, 0)): row for row in range(sheet.n_rows) if clean(sheet.value(row, 0))
    }
    next_row = sheet.n_rows
    with session.unprotected(name):
        for key, value in values.items():
            row = rows.get(key)
            if row is None:
                row, next_row = next_row, next_row + 1
                session.write(name, row, 0, [[key, value]])
            else:
                session.write(name, row, 1, [[value]])
