"""Catalogue + units + targets → a :class:`Plan` (the first step of the data flow)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .. import contract as c
from ..errors import CatalogueError
from .catalogue import Catalogue
from .model import Meta, Plan, PlanRow
from .plan_values import RowValues, resolve_plan
from .split_explain import paradox_warnings
from .units import Unit


class Note(str):
    """A line that informs (printed «Ghi chú») among the warnings ``build_plan`` returns:
    nothing is wrong, the officer is told what the workbook will do."""


@dataclass(frozen=True)
class TargetLine:
    """One line of TARGETS.csv, parsed: values for one indicator."""

    code: str
    line: int = 0
    name: str | None = None
    annual_plan: int | Fraction | None = None
    done: int | Fraction | None = None
    round_target: int | Fraction | None = None
    round_share: Fraction | None = None  # "50%": Chỉ tiêu đợt = ⌈Kế hoạch năm × 50 %⌉
    shares: dict[str, int | None] = field(default_factory=dict)  # child code → published share


def build_plan(
    meta: Meta,
    children: Sequence[Unit],
    catalogue: Catalogue,
    targets: Iterable[TargetLine] = (),
    indicators: Sequence[str] | None = None,
    notes: Sequence[str] = (),
) -> tuple[Plan, list[str]]:
    """The plan and the warnings (Vietnamese) its inputs deserve.

    Rows: the indicators named in ``targets`` in their order, then the rest of
    ``indicators`` (default: none) left blank for the officer to type in.
    """
    lines = {t.code: t for t in targets}
    order = list(lines)
    for code in indicators or ():
        if code not in lines:
            order.append(code)
    warnings: list[str] = []
    rows = []
    for code in order:
        indicator = catalogue.get(code)
        line = lines.get(code, TargetLine(code))
        shares = None
        if line.shares:
            shares = tuple(line.shares.get(child.code) for child in children)
        rows.append(
            PlanRow(
                code=code,
                name=line.name or indicator.name,
                unit=indicator.unit,
                annual_plan=line.annual_plan,
                done=line.done,
                round_target=line.round_target,
                round_share=line.round_share,
                shares=shares,
                kind=indicator.kind,
                parts=indicator.parts,
            )
        )
    for rate in (r for r in rows if r.is_rate):
        indicator = catalogue.get(rate.code)
        for part in (indicator.numerator, indicator.denominator):
            if part not in lines and part not in order:
                warnings.append(
                    Note(
                        f"{rate.code} là tỷ lệ: biểu mẫu sẽ có thêm dòng {part} để báo cáo "
                        "tử số/mẫu số."
                    )
                )
    plan = Plan(meta=meta, children=tuple(children), rows=tuple(rows), notes=tuple(notes))
    values = resolve_plan(plan)
    warnings += _total_warnings(plan, lines, values)
    round_targets = {code: v.round_target for code, v in values.items()}
    warnings += [message for _, message in paradox_warnings(plan, targets=round_targets)]
    return plan, warnings


def _total_warnings(plan: Plan, lines: Mapping[str, TargetLine],
                    values: Mapping[str, RowValues]) -> list[str]:
    """A total row is computed from its parts; say so when the given numbers differ."""
    warnings: list[str] = []
    for row in plan.rows:
        line = lines.get(row.code)
        if line is None or not plan.parts_present(row):
            continue
        given = {
            c.ANNUAL_PLAN: line.annual_plan,
            c.DONE: line.done,
            c.ROUND_TARGET: line.round_target,
        }
        computed = {
            c.ANNUAL_PLAN: values[row.code].annual_plan,
            c.DONE: values[row.code].done,
            c.ROUND_TARGET: values[row.code].round_target,
        }
        for label, value in given.items():
            if value is not None and value != computed[label]:
                warnings.append(
                    f"{row.code}: {label} {value} khác tổng các thành phần ({computed[label]}); "
                    "bảng dùng công thức cộng các thành phần.")
    return warnings


def check_codes(codes: Iterable[str], catalogue: Catalogue) -> None:
    for code in codes:
        if code not in catalogue:
            raise CatalogueError(f"Mã chỉ tiêu '{code}' không có trong danh mục.")
