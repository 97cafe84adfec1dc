"""From a plan to the report forms of its children (what each child is asked for)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .. import contract as c
from .catalogue import Catalogue
from .model import FORM, Form, FormRow, Meta, Plan, now_iso
from .periods import Period, parse_period
from .plan_values import RowValues, resolve_plan
from .remainder import annual_shares
from .units import file_code
from .values import whole_count

# _meta key target_basis: what a form's Chỉ tiêu đợt is (contract §8)
ROUND_TARGET, ANNUAL_SHARE = "round_target", "annual_share"


def plan_forms(
    plan: Plan,
    *,
    due_date: str | None,
    catalogue: Catalogue | None = None,
    created_at: str | None = None,
    period: str | None = None,
) -> Iterator[Form]:
    """The form of every child of ``plan`` for ``period`` (default: the plan's round), in
    order (the plan is resolved once)."""
    values = period_values(plan, period)
    created_at = created_at or now_iso()
    for index in range(len(plan.children)):
        yield _form(plan, values, index, due_date, catalogue, created_at, period)


def form_for_child(
    plan: Plan,
    child_index: int,
    *,
    due_date: str | None,
    catalogue: Catalogue | None = None,
    created_at: str | None = None,
    period: str | None = None,
) -> Form:
    """The form of ``plan.children[child_index]``: its share of every indicator."""
    return _form(plan, period_values(plan, period), child_index, due_date, catalogue,
                 created_at or now_iso(), period)


def target_basis(plan: Plan, period: str | None) -> str:
    """A month or quarter has no target of its own in a plan: its forms carry the
    unit's share of Kế hoạch năm (labelled so); a round carries the round's target."""
    return ANNUAL_SHARE if _period(plan, period).is_calendar else ROUND_TARGET


def _period(plan: Plan, period: str | None) -> Period:
    return parse_period(period, plan.meta.round)


def period_values(plan: Plan, period: str | None) -> dict[str, RowValues]:
    """The plan's values, with each child's annual share as its target for a month or
    quarter."""
    values = resolve_plan(plan)
    if target_basis(plan, period) == ROUND_TARGET:
        return values
    shares = annual_shares(plan)
    return {
        code: (
            v
            if code not in shares
            else RowValues(
                v.code, v.annual_plan, v.done, v.remaining, v.annual_plan, shares[code], None
            )
        )
        for code, v in values.items()
    }


def _form(plan: Plan, values: dict[str, RowValues], child_index: int, due_date: str | None,
          catalogue: Catalogue | None, created_at: str, period: str | None = None) -> Form:
    """A rate (CPR) is reported through its numerator and denominator, so those rows are
    added before the rate when the plan does not list them itself."""
    child = plan.children[child_index]
    rows: list[FormRow] = []
    present = {row.code for row in plan.rows}
    for row in plan.rows:
        if row.is_rate:
            for code in _rate_inputs(row.code, catalogue):
                if code not in present and catalogue is not None:
                    indicator = catalogue.get(code)
                    rows.append(FormRow(code, indicator.name, indicator.unit, round_target=None,
                                        kind=indicator.kind))
                    present.add(code)
            target = values[row.code].shares[child_index] if plan.children else None
            rows.append(
                FormRow(row.code, row.name, row.unit, round_target=None, kind="rate",
                        parts=_rate_inputs(row.code, catalogue), target_rate=target)
            )
            continue
        share = whole_count(values[row.code].shares[child_index])  # a count's share
        rows.append(
            FormRow(
                row.code, row.name, row.unit, round_target=share, kind=row.kind,
                parts=row.parts if plan.parts_present(row) else (),
            )
        )
    extra = {c.KEY_PARENT_NAME: plan.meta.unit_name}
    if period:
        extra[c.KEY_TARGET_BASIS] = target_basis(plan, period)
    meta = Meta(
        template=FORM,
        unit_code=child.code,
        unit_name=child.name,
        parent_code=plan.meta.unit_code,
        year=plan.meta.year,
        round=plan.meta.round,
        created_at=created_at,
        due_date=due_date,
        extra=extra,
        period=_period(plan, period).text if period else None,
    )
    return Form(meta=meta, parent_name=plan.meta.unit_name, rows=tuple(rows))


def _rate_inputs(code: str, catalogue: Catalogue | None) -> tuple[str, ...]:
    indicator = catalogue.find(code) if catalogue else None
    if indicator is None or not indicator.is_rate:
        return ()
    assert indicator.numerator and indicator.denominator  # the catalogue checks a rate has both
    return (indicator.numerator, indicator.denominator)


def slug(text: str) -> str:
    """'Hồng Bàng' → 'hong-bang' (đ → d, accents dropped), for file names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words) or "don-vi"


def form_filename(unit_code: str, unit_name: str, period: str | None = None) -> str:
    """``<unit_code>_<slug-of-unit-name>.xlsx`` (contract §4); a month or quarter adds
    itself (``…_2024-03.xlsx``) so that a year of forms can share one folder."""
    safe_code = file_code(unit_code)
    suffix = ""
    if period and parse_period(period).is_calendar:
        suffix = "_" + parse_period(period).text
    return f"{safe_code}_{slug(unit_name)}{suffix}.xlsx"
