"""«Đợt mới» and «Báo cáo lên» carry and send only what the book's report sheets give now.

The sheets the «Tổng hợp» button wrote («Tổng hợp», and «Theo kỳ» above MANY_UNITS units)
are not protected, and a unit's report sheet may be corrected after the click: before
either button uses a number, the book's report sheets are consolidated again, exactly as
«Tổng hợp» does (:func:`xladdin.book.consolidate.book_summary`), and every number shown —
the whole unit's Kết quả and each unit's results — must be the engine's.  Any difference
(a number typed over, a unit's row deleted, a form corrected later) is a refusal naming
the indicator and the unit: «hãy bấm «Tổng hợp» lại»; nothing is written.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .. import contract as c
from ..engine.consolidate import Summary
from ..engine.numbers import show
from ..engine.values import exact
from ..errors import InputError
from ..reader.summary_reader import read_unit_results
from ..writer.summary_layout import STATUS_WORDS, many_units
from .consolidate import book_summary
from .plan_book import UsablePlan
from .session import BookSession


def check_against_forms(session: BookSession, reading: UsablePlan, name: str,
                        results: dict[str, object], doing: str) -> None:
    """Refuse when ``results`` (the whole unit's Kết quả read from sheet ``name``) or a
    unit's numbers shown there differ from the book's report sheets now."""
    summary = book_summary(session, reading)
    shown = read_unit_results(session.grid, reading.plan.children, in_plan=True)
    where = c.PERIOD_SHEET if many_units(summary) else name
    problem = _whole_unit(summary, results, name) or _units(summary, shown, where)
    if problem:
        raise InputError(
            f"Trang «{name}» không còn khớp với các trang báo cáo trong bảng tính: {problem}. "
            "Có thể một trang báo cáo đã được sửa sau khi bấm «Tổng hợp», hoặc số trên trang "
            f"«{where}» đã bị sửa tay. Hãy bấm «Tổng hợp» lại rồi mới {doing}."
        )


def _whole_unit(summary: Summary, results: dict[str, object], name: str) -> str | None:
    for row in summary.rows:
        engine, there = summary.total_result(row.code), results.get(row.code)
        if not _same(there, engine):
            return (f"{row.code}: Kết quả ở trang «{name}» là {_shown(there)}, các trang báo cáo "
                    f"cộng lại là {_shown(engine)}")
    return None


def _units(summary: Summary, shown: dict[str, dict[str, object]], where: str) -> str | None:
    counted = set(summary.counted)
    for unit in summary.units:
        mine = shown.get(unit.code, {})
        named = f"«{unit.name}» ({unit.code})"
        if unit.code not in counted:
            if mine:
                return (f"{named} có số ở trang «{where}» nhưng trang báo cáo của đơn vị hiện "
                        f"«{STATUS_WORDS[unit.status]}»")
            continue
        engine = {code: v for code, v in summary.results.get(unit.code, {}).items()
                  if v is not None}
        if engine and not mine:
            return f"{named} không có số nào ở trang «{where}» (dòng hoặc cột bị xóa?)"
        for code, value in engine.items():
            if not _same(mine.get(code), value):
                return (f"{named}, {code}: trang «{where}» ghi {_shown(mine.get(code))}, trang "
                        f"báo cáo của đơn vị ghi {_shown(value)}")
    return None


def _same(there: object, engine: object) -> bool:
    """A sheet's number against the engine's: a count exactly; a rate (a double Excel
    divided, which a file may keep to 15 digits) to 12 significant digits."""
    if there is None or engine is None:
        return there is None and engine is None
    if not isinstance(there, int | float | Fraction) or not isinstance(engine, int | Fraction):
        return False
    if exact(there) == engine:
        return True
    whole = Fraction(engine).denominator == 1 and exact(there).denominator == 1
    return not whole and math.isclose(float(there), float(engine), rel_tol=1e-12)


def _shown(value: object) -> str:
    if value is None:
        return "trống"
    if isinstance(value, int | float | Fraction) and not isinstance(value, bool):
        return show(exact(value))
    return str(value)
