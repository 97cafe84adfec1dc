"""From a plan to the report forms of its children (what each child is asked for)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .. import contract as c
from .catalogue import Catalogue
from .model import FORM, Form, FormRow, Meta, Plan, now_iso
from .plan_values import RowValues, resolve_plan


def plan_forms(
    plan: Plan,
    *,
    due_date: str | None,
    catalogue: Catalogue | None = None,
    created_at: str | None = None,
) -> Iterator[Form]:
    """The form of every child of ``plan``, in order (the plan is resolved once)."""
    values = resolve_plan(plan)
    created_at = created_at or now_iso()
    for index in range(len(plan.children)):
        yield _form(plan, values, index, due_date, catalogue, created_at)


def form_for_child(
    plan: Plan,
    child_index: int,
    *,
    due_date: str | None,
    catalogue: Catalogue | None = None,
    created_at: str | None = None,
) -> Form:
    """The form of ``plan.children[child_index]``: its share of every indicator."""
    return _form(
        plan, resolve_plan(plan), child_index, due_date, catalogue, created_at or now_iso()
    )


def _form(plan: Plan, values: dict[str, RowValues], child_index: int, due_date: str | None,
          catalogue: Catalogue | None, created_at: str) -> Form:
    """A rate (CPR) is reported through its numerator and denominator, so those rows are
    added before the rate when the plan does not list them itself."""
    child = plan.children[child_index]
    rows: list[FormRow] = []
    present = {row.code for row in plan.rows}
    for row in plan.rows:
        if row.is_rate:
            for code in _rate_inputs(row.code, catalogue):
                if code not in present:
                    indicator = catalogue.get(code)
                    rows.append(FormRow(code, indicator.name, indicator.unit, round_target=None))
                    present.add(code)
            target = values[row.code].shares[child_index] if plan.children else None
            rows.append(
                FormRow(row.code, row.name, row.unit, round_target=None, kind="rate",
                        parts=_rate_inputs(row.code, catalogue), target_rate=target)
            )
            continue
        share = values[row.code].shares[child_index]
        rows.append(
            FormRow(
                row.code, row.name, row.unit, round_target=share,
                parts=row.parts if plan.parts_present(row) else (),
            )
        )
    meta = Meta(
        template=FORM,
        unit_code=child.code,
        unit_name=child.name,
        parent_code=plan.meta.unit_code,
        year=plan.meta.year,
        round=plan.meta.round,
        created_at=created_at,
        due_date=due_date,
        extra={c.KEY_PARENT_NAME: plan.meta.unit_name},
    )
    return Form(meta=meta, parent_name=plan.meta.unit_name, rows=tuple(rows))


def _rate_inputs(code: str, catalogue: Catalogue | None) -> tuple[str, ...]:
    indicator = catalogue.find(code) if catalogue else None
    if indicator is None or not indicator.is_rate:
        return ()
    return (indicator.numerator, indicator.denominator)


def slug(text: str) -> str:
    """'Hồng Bàng' → 'hong-bang' (đ → d, accents dropped), for file names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words) or "don-vi"


def form_filename(unit_code: str, unit_name: str) -> str:
    """``<unit_code>_<slug-of-unit-name>.xlsx`` (contract §4)."""
    safe_code = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in unit_code)
    return f"{safe_code}_{slug(unit_name)}.xlsx"
