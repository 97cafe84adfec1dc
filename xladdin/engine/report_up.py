"""Reporting up (contract §10): this unit's consolidated results into its parent's form.

Pure: the form (as the parent sent it, or as rebuilt from a plan made from it) and the
results of the unit's consolidation (indicator code → the whole unit's result) give the
filled form, the indicators the parent asks for that the results lack, and notes on
the results the parent does not ask for.  Count and stock rows take the result; rate
and combined rows are computed by the form from their parts, as in every form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from .. import contract as c
from .catalogue import Catalogue
from .forms import form_for_child
from .model import Form, Plan
from .units import Unit


@dataclass(frozen=True)
class Filled:
    form: Form
    filled: dict[str, int]  # indicator code → result written
    missing: list[str]  # «CODE (name)»: asked for by the parent, no whole-number result here
    notes: list[str]  # Vietnamese: results the parent does not ask for


def fill_form(form: Form, results: Mapping[str, object], catalogue: Catalogue) -> Filled:
    rows, filled, missing = [], {}, []
    for row in form.rows:
        if row.is_rate or row.parts:
            rows.append(row)
            continue
        value = _whole(results.get(row.code))
        if value is None:
            missing.append(f"{row.code} ({row.name})")
            rows.append(row)
            continue
        filled[row.code] = value
        rows.append(replace(row, result=value))
    asked = {r.code for r in form.rows} | {p for r in form.rows for p in r.parts}
    notes = [
        f"Kết quả tổng hợp có chỉ tiêu {code} ({_name(catalogue, code)}) mà biểu mẫu của "
        "cấp trên không yêu cầu: không đưa vào báo cáo."
        for code, value in results.items()
        if code not in asked and value is not None
    ]
    return Filled(replace(form, rows=tuple(rows)), filled, missing, notes)


def mark_partial(form: Form, filled: Mapping[str, int], left_out: list[tuple[str, str]]) -> Form:
    """A form sent up while sub-units ``left_out`` ((code, name)) were not counted: each
    filled row's Ghi chú says so, and ``_meta`` carries the machine-readable mark the
    parent's consolidate turns into a warning (notes: ``partial_missing``)."""
    # a form filled before (sent again as --form) loses its old mark when all are counted
    extra = {k: v for k, v in form.meta.extra.items() if k != c.KEY_PARTIAL_MISSING}
    rows = tuple(
        replace(r, note="") if r.note.startswith(c.PARTIAL_WORD) else r
        for r in form.rows
    )
    if left_out:
        gap = f"{c.PARTIAL_WORD}: chưa cộng số liệu của {', '.join(n or k for k, n in left_out)}"
        extra[c.KEY_PARTIAL_MISSING] = partial_text(left_out)
        rows = tuple(replace(r, note=gap) if r.code in filled else r for r in rows)
    return replace(form, meta=replace(form.meta, extra=extra), rows=rows)


def partial_text(left_out: list[tuple[str, str]]) -> str:
    """«CODE (name); CODE (name)»: the units a partial report leaves out."""
    return "; ".join(f"{code} ({name})" if name else code for code, name in left_out)


def form_for_parent(plan: Plan, catalogue: Catalogue, created_at: str) -> Form:
    """The form this unit's parent asks it to fill, rebuilt from the unit's own plan:
    the plan's Chỉ tiêu đợt are the targets the parent's form gave (``new-plan
    --from-form``); identity and deadline are those of that form when the plan kept them."""
    meta = plan.meta
    me = Unit(meta.unit_code, meta.unit_name, meta.parent_code or None, weight=1)
    parent_meta = replace(
        meta, unit_code=meta.parent_code, unit_name=meta.extra.get(c.KEY_PARENT_NAME, "")
    )
    rows = tuple(replace(row, shares=None, split_method=None) for row in plan.rows)
    up = Plan(meta=parent_meta, children=(me,), rows=rows)
    due = meta.extra.get(c.KEY_FORM_DUE_DATE) or meta.due_date
    return form_for_child(up, 0, due_date=due, catalogue=catalogue,
                          created_at=meta.extra.get(c.KEY_FORM_CREATED_AT) or created_at,
                          period=meta.period)


def _whole(value: object) -> int | None:
    """A count or stock result as a whole number; None when there is none (a fractional
    result cannot be a count: the parent is not sent a number that might be wrong)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return None


def _name(catalogue: Catalogue, code: str) -> str:
    found = catalogue.find(code)
    return found.name if found else "không có trong danh mục"
