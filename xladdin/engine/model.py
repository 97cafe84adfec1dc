"""The shapes of what the workbooks hold: plan, report form, summary, and issues.

Writers turn these into workbooks, readers turn workbooks back into them; the engine
computes on them.  Plain frozen dataclasses, no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .. import contract as c
from ..contract import ERROR as ERROR
from ..contract import FORM as FORM
from ..contract import PLAN as PLAN
from ..contract import SUMMARY as SUMMARY
from ..contract import TEMPLATE_VERSION
from ..contract import TEMPLATES as TEMPLATES
from ..contract import WARNING as WARNING
from .apportion import LARGEST_REMAINDER
from .units import Unit

# A number of a plan or a form: a count (a stock, a sum of parts) is a whole number, a
# rate (65 %) or a share an exact Fraction; None where there is none (a blank, a rate
# without a denominator).
Value = int | Fraction | None


@dataclass(frozen=True)
class Meta:
    """The ``_meta`` sheet (contract §2); ``extra`` keeps keys this version does not know."""

    template: str
    unit_code: str
    unit_name: str
    parent_code: str = ""
    year: int = 0
    round: int = 0
    created_at: str = ""
    due_date: str | None = None
    template_version: int = TEMPLATE_VERSION
    extra: dict[str, str] = field(default_factory=dict)
    period: str | None = None  # contract §8: YYYY-MM, YYYY-Qn or round-N (None: round-<round>)

    def items(self) -> list[tuple[str, object]]:
        """Key/value rows in the order the contract lists them, then the extras."""
        rows: list[tuple[str, object]] = [
            (c.KEY_TEMPLATE, self.template),
            (c.KEY_TEMPLATE_VERSION, self.template_version),
            (c.KEY_UNIT_CODE, self.unit_code),
            (c.KEY_UNIT_NAME, self.unit_name),
            (c.KEY_PARENT_CODE, self.parent_code),
            (c.KEY_YEAR, self.year),
            (c.KEY_ROUND, self.round),
            (c.KEY_CREATED_AT, self.created_at),
        ]
        if self.period:
            rows.append((c.KEY_PERIOD, self.period))
        if self.due_date:
            rows.append((c.KEY_DUE_DATE, self.due_date))
        rows.extend(self.extra.items())
        return rows

    def with_round(self, round_number: int, created_at: str) -> Meta:
        return replace(self, round=round_number, created_at=created_at)


def now_iso() -> str:
    """created_at: local time with its offset, to the second (ISO 8601)."""
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


class Kinded:
    """A row of an indicator of some kind: count, stock or rate (the catalogue's)."""

    kind: str

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def is_stock(self) -> bool:
        return self.kind == "stock"


@dataclass(frozen=True)
class PlanRow(Kinded):
    """One indicator of a plan.

    ``round_share``: when set, Chỉ tiêu đợt is ⌈Kế hoạch năm × share⌉ (a live formula
    in the workbook) and ``round_target`` is ignored; with ``round_cumulative`` what was
    already done is subtracted (never below 0): the round asks for what is still needed
    to reach that share of the plan (ROUND_TARGET).
    ``shares``: the children's shares typed by hand (the published Phường 2 table);
    None means the native largest-remainder formula computes them.
    ``split_method``: set when ``shares`` were computed by that apportionment method
    (the «Phân bổ» button with a method or minimum no native formula computes), so a
    new split may replace them; None for shares typed by hand, which are kept.
    """

    code: str
    name: str
    unit: str
    # counts are whole numbers; a rate row (kind "rate") holds fractions of 1
    annual_plan: Value = None
    done: Value = None
    round_target: Value = None
    round_share: Fraction | None = None
    round_cumulative: bool = False
    shares: tuple[int | None, ...] | None = None
    kind: str = "count"
    parts: tuple[str, ...] = ()
    note: str = ""
    split_method: str | None = None
    child_done: tuple[int | None, ...] | None = (
        None  # §9: each child's Đã thực hiện, in child order
    )


@dataclass(frozen=True)
class Plan:
    """``split_method`` and ``split_minimum``: how «Phân bổ» splits the round targets
    (the settings block of the «Đơn vị» sheet); the native formulas compute the default,
    largest remainder without a minimum."""

    meta: Meta
    children: tuple[Unit, ...]
    rows: tuple[PlanRow, ...]
    notes: tuple[str, ...] = ()
    # children whose last round's results were not in the summary and were counted as 0
    # (next-round --missing-as-zero): named on «Còn lại đơn vị»
    done_unknown: tuple[str, ...] = ()
    split_method: str = LARGEST_REMAINDER
    split_minimum: int = 0

    def row(self, code: str) -> PlanRow | None:
        return next((r for r in self.rows if r.code == code), None)

    def parts_present(self, row: PlanRow) -> bool:
        """A total row is computed from its parts only when all of them are in the plan."""
        return bool(row.parts) and all(self.row(p) is not None for p in row.parts)


@dataclass(frozen=True)
class FormRow(Kinded):
    code: str
    name: str
    unit: str
    round_target: int | None
    result: int | None = None
    note: str = ""
    kind: str = "count"
    parts: tuple[str, ...] = ()
    target_rate: Value = None  # for rates: the rate to reach, e.g. 65 % (a Fraction)


@dataclass(frozen=True)
class Form:
    meta: Meta
    parent_name: str
    rows: tuple[FormRow, ...]

    def row(self, code: str) -> FormRow | None:
        return next((r for r in self.rows if r.code == code), None)


@dataclass(frozen=True)
class Issue:
    """One finding about a workbook (contract §5: the JSON report's ``issues``)."""

    severity: str  # "error" | "warning"
    file: str | None
    sheet: str | None
    cell: str | None  # A1 reference without $, None for the whole file
    rule: str
    message: str  # Vietnamese

    def as_dict(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "rule": self.rule,
            "message": self.message,
        }

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class FormReading:
    """A form as read back: the model, where each result came from, what was off."""

    source: str
    form: Form | None
    result_cells: dict[str, str]  # indicator code → A1 of its Kết quả
    sheet: str | None
    issues: tuple[Issue, ...]
    meta_sheet: str | None = None  # where ``_meta`` is, and each key's A1 (for messages)
    meta_cells: dict[str, str] = field(default_factory=dict)
    # indicator code → A1 of its locked Chỉ tiêu đợt (checked against the plan's share)
    target_cells: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(issue.is_error for issue in self.issues)


@dataclass(frozen=True)
class PlanReading:
    """A plan as read back, with the cell of every number for messages."""

    source: str
    plan: Plan | None
    observed: dict[str, dict[str, object]]  # code → field/child code → value shown
    cells: dict[tuple[str, str], str]  # (code, field or child code) → A1
    sheet: str | None
    units_sheet: str | None
    issues: tuple[Issue, ...]
    header_row: int | None = None  # 0-based row of KeHoach's headers

    @property
    def has_errors(self) -> bool:
        return any(issue.is_error for issue in self.issues)
