"""From one round to the next (đợt mới): results carried into Đã thực hiện, and each
child's own remainder (contract §9)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from math import ceil

from ..errors import InputError, UsageError
from .model import Meta, Plan, PlanRow, Value, now_iso
from .numbers import parse_number, parse_percent, show
from .plan_values import child_weights, resolve_plan
from .remainder import split_by_remainder, splittable, standings
from .values import MAX_COUNT, exact, whole_count


@dataclass(frozen=True)
class RoundTarget:
    """``--round-target``: a number for every indicator, or a share of what remains."""

    number: int | None = None
    share: Fraction | None = None  # of what remains (Còn lại), rounded up
    grouped: bool = False  # "1.000" read as 1000 (thousands separator): said to the officer

    @classmethod
    def parse(cls, text: str) -> RoundTarget:
        """Read by the one number parser (``1.000`` is 1000 as in a cell, ``1e30`` is
        refused past MAX_COUNT); ``NN%`` by the percent parser."""
        raw = text.strip()
        parsed = parse_percent(raw) if raw.endswith("%") else parse_number(raw)
        value = parsed.value
        if value is None or value < 0 or (not raw.endswith("%") and value.denominator != 1):
            why = f" ({parsed.error.message})" if parsed.error else ""
            raise UsageError(
                f"--round-target «{text}» không hợp lệ{why}: một số nguyên từ 0 đến "
                f"{show(MAX_COUNT)} hoặc một tỷ lệ như 50% (phần trăm của số còn lại).")
        if raw.endswith("%"):
            return cls(share=value)
        return cls(number=int(value), grouped=parsed.grouped)

    def of(self, remaining: int) -> int:
        if self.number is not None:
            return self.number
        share = self.share if self.share is not None else Fraction(0)
        target = ceil(max(0, remaining) * share)
        if target > MAX_COUNT:
            raise UsageError(
                f"--round-target {show(share * 100)}% của {show(remaining)} còn lại là "
                f"{show(target)}: quá lớn (tối đa {show(MAX_COUNT)}).")
        return target


def next_round(plan: Plan, results: Mapping[str, object], source: str = "", *,
               by_unit: Mapping[str, Mapping[str, object]] | None = None,
               round_target: RoundTarget | None = None, keep_targets: frozenset[str] = frozenset(),
               due_date: str | None = None, counted_as_zero: tuple[str, ...] = (),
               targets: dict[str, int | Fraction] | None = None) -> Plan:
    """The plan of round + 1.

    * A count: Đã thực hiện += this round's consolidated result, and each child's own
      Đã thực hiện += its result (``by_unit``: child code → code → result).  Chỉ tiêu đợt
      asks for what remains (a live formula, MAX(0, Kế hoạch năm − Đã thực hiện)), or
      ``round_target`` (a number, or NN % of what remains) except for ``keep_targets``.
      The children's shares: the new target split in proportion to what each child has
      left (a child that is ahead gets less); by the weights (the live split) when the
      children's own results are not known.
    * A stock (a level: women using a method…) is never added up: Đã thực hiện is the
      level just reported.  A rate: the rate just reached.  Totals stay the sums of
      their parts.

    ``counted_as_zero``: the children whose results the summary did not have (missing
    or refused), counted as 0 only because the officer said so; the new plan names them.
    ``targets``: Chỉ tiêu đợt set per indicator (``--targets``); ``round_target`` applies to
    the indicators it does not set.
    """
    if plan.meta.round == 0:  # «Cả năm»: the year has no round after it
        raise InputError(
            f"Bảng kế hoạch này là kế hoạch cả năm {plan.meta.year} (đợt 0): không có đợt nào "
            "sau nó trong năm, và kết quả cả năm không phải «Đã thực hiện» của một đợt. Kết "
            "quả từng tháng, quý được tổng hợp theo kỳ (xladdin consolidate); sang năm mới, "
            "hãy lập kế hoạch mới (xladdin new-plan).")
    by_unit = by_unit or {}
    targets = targets or {}
    rows = []
    for row in plan.rows:
        result = _value(results.get(row.code))
        if row.is_rate:
            row = replace(row, done=Fraction(result) if result is not None else row.done)
        elif plan.parts_present(row):
            pass
        elif row.is_stock:
            row = replace(row, done=int(result) if result is not None else row.done)
        else:
            row = _carried(plan, row, result, by_unit, round_target, keep_targets)
        if row.code in targets:
            row = replace(row, round_target=targets[row.code], round_share=None)
        rows.append(row)
    note = f"Đã thực hiện gồm kết quả đợt {plan.meta.round}" + (
        f" (bảng tổng hợp {source})." if source else "."
    )
    names = {c.code: c.name for c in plan.children}
    unknown = tuple(code for code in counted_as_zero if code in names)
    notes: tuple[str, ...] = (note,)
    if unknown:
        notes += (f"Chưa có kết quả đợt {plan.meta.round} của {_named(unknown, names)}: Đã thực "
                  "hiện của các đơn vị này được tính là 0 (--missing-as-zero). Khi nhận được "
                  "biểu mẫu, hãy tổng hợp lại và chạy lại next-round.",)
    meta: Meta = replace(
        plan.meta, round=plan.meta.round + 1, created_at=now_iso(), due_date=due_date, period=None
    )
    advanced = replace(plan, meta=meta, rows=tuple(rows), notes=notes,  # keeps the split settings
                       done_unknown=unknown)
    return split_remainders(advanced)


def _carried(plan: Plan, row: PlanRow, result: Value,
             by_unit: Mapping[str, Mapping[str, object]], round_target: RoundTarget | None,
             keep: frozenset[str]) -> PlanRow:
    done = (whole_count(row.done) or 0) + int(_number(result))
    child_done = _child_done(plan, row, by_unit)
    carried = replace(row, done=done, shares=None, split_method=None, child_done=child_done,
                      round_cumulative=True)
    if row.code in keep:
        return replace(carried, round_cumulative=row.round_cumulative)
    if round_target is not None and row.annual_plan is not None:
        target = round_target.of(int(row.annual_plan) - done)
        return replace(carried, round_target=target, round_share=None)
    if row.annual_plan is not None:
        return replace(carried, round_target=None, round_share=Fraction(1))
    return carried


def _named(codes: tuple[str, ...], names: dict[str, str]) -> str:
    return ", ".join(f"{names[code]} ({code})" for code in codes)


def _number(value: object) -> int | Fraction:
    return value if isinstance(value, int | Fraction) else 0


def _value(value: object) -> Value:
    """A result as the summary gives it: a number (exact), or None."""
    return value if value is None or isinstance(value, int | Fraction) else exact(value)


def _child_done(plan: Plan, row: PlanRow, by_unit: Mapping[str, Mapping[str, object]]
                ) -> tuple[int | None, ...] | None:
    """Each child's Đã thực hiện after this round; None when it cannot be known (earlier
    rounds were done without this plan keeping each child's results)."""
    if not by_unit:
        return None  # this round's results by child are not known: the weights decide
    if row.child_done is None and row.done:
        return None  # what each child did before is not known: the weights decide
    before = row.child_done or (None,) * len(plan.children)
    out: list[int | None] = []
    for i, child in enumerate(plan.children):
        mine = by_unit.get(child.code, {}).get(row.code)
        prior = before[i] if i < len(before) else None
        if mine is None and prior is None:
            out.append(0)
        else:
            out.append(int(prior or 0) + int(_number(mine)))
    return tuple(out)


def split_remainders(plan: Plan, *, live_only: bool = False) -> Plan:
    """Each count row whose children's own results are known: its round target split in
    proportion to what each child has left (§9; the workbook writes these rows as the live
    split by each child's Còn lại cell).  ``live_only``: a plan read back, where only the
    rows whose cells hold the live split (shares None) are split again, by what its
    «Còn lại đơn vị» sheet says now; shares typed as numbers stay."""
    if not plan.children:
        return plan
    values = resolve_plan(plan)
    standing = standings(plan)
    weights = child_weights(plan)
    rows = []
    for row in plan.rows:
        target = values[row.code].round_target
        if (row.child_done is None or not splittable(plan, row) or row.code not in standing
                or (live_only and row.shares is not None)
                or target is None or any(s.share is None for s in standing[row.code])):
            rows.append(row)
            continue
        shares = split_by_remainder(int(target), standing[row.code], weights)
        rows.append(replace(row, shares=tuple(shares)))
    return replace(plan, rows=tuple(rows))
