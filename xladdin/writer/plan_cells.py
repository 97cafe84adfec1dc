"""The cells of one count row of the plan (table KeHoach): what goes where, as a value
or as a native formula (:class:`~.cells.Cell`).

Shared by the plan writer (a new workbook, with XlsxWriter) and the one-click scripts
(a book open in Excel, through xlwings), so that «Phân bổ» and «Đợt mới» write the very
formulas a new plan has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import PLAN
from ..contract import UNIT_NAMES_NAME as UNIT_NAMES_NAME  # defined name: DonVi's names
from ..contract import WEIGHTS_NAME as WEIGHTS_NAME  # defined name: DonVi's Trọng số
from ..engine.model import PlanRow
from ..engine.plan import CHECK_OK, CHECK_TOO_LITTLE, CHECK_TOO_MUCH
from ..engine.plan_values import RowValues
from ..formula_shapes import method_tag
from ..templates import definition
from . import formulas
from .cells import Cell
from .live_split import SplitLayout
from .parts import cell


@dataclass(frozen=True)
class RowLayout:
    row: int
    col: dict[str, int]  # annual_plan, done, remaining, round_target → column
    children: tuple[int, ...]  # one column per child, in the plan's order
    check: int | None  # the «Kiểm tra phân bổ» column
    header_row: int  # the table's header row
    split: SplitLayout = field(default_factory=lambda: SplitLayout(0))  # the hidden sheet _phanbo

    @property
    def slot(self) -> int:
        """This row's slot in ``_phanbo``: its place among the table's data rows."""
        return self.row - self.header_row - 1

    def ref(self, key: str, absolute_col: bool = False) -> str:
        a1 = cell(self.row, self.col[key])
        return f"${a1}" if absolute_col else a1


@dataclass(frozen=True)
class RowCells:
    fields: dict[str, Cell]  # annual_plan, done, remaining (when laid out), round_target
    children: tuple[Cell, ...]
    check: Cell | None


def check_words() -> dict[str, str]:
    """The check column's words: the engine's, plus the template's own."""
    return {**definition(PLAN)["check_column"], "ok": CHECK_OK, "too_much": CHECK_TOO_MUCH,
            "too_little": CHECK_TOO_LITTLE}


def count_row(r: PlanRow, v: RowValues, at: RowLayout, *, has_weights: bool,
              live: bool = False) -> RowCells:
    """A count row that is not a total: inputs, Còn lại, Chỉ tiêu đợt, the split, the check.
    ``live``: the split formula even though the engine knows the shares (a split by each
    child's remainder, whose slot has its own weights: SplitLayout.own_weights)."""
    live = live or r.shares is None
    plan_ref, done_ref = at.ref("annual_plan"), at.ref("done")
    fields = {
        "annual_plan": Cell(at.col["annual_plan"], r.annual_plan, style="count_input"),
        "done": Cell(at.col["done"], r.done, style="count_input"),
    }
    if "remaining" in at.col:
        fields["remaining"] = Cell(
            at.col["remaining"],
            formula=formulas.remaining(plan_ref, done_ref),
            style="remaining",
            cached=v.remaining,
        )
    if r.round_share is not None:
        fields["round_target"] = Cell(
            at.col["round_target"], formula=formulas.round_share(
                plan_ref, r.round_share, done_ref if r.round_cumulative else None),
            style="count_input", cached=v.round_target)
    else:
        fields["round_target"] = Cell(at.col["round_target"], r.round_target, style="count_input")
    children = []
    for i, col in enumerate(at.children):
        if live:
            children.append(Cell(col, formula=at.split.share(at.slot, i), cached=v.shares[i]))
        else:
            share = r.shares[i] if r.shares is not None and i < len(r.shares) else None
            children.append(Cell(col, share, style="count" if r.split_method else "count_input"))
    return RowCells(
        fields,
        tuple(children),
        check_cell(r, v, at, live=live, has_weights=has_weights or r.shares is not None),
    )


def check_cell(r: PlanRow, v: RowValues, at: RowLayout, *, live: bool,
               has_weights: bool = True) -> Cell | None:
    """«Kiểm tra phân bổ»; for a ``live`` split it shows why no shares are shown
    («Chưa có trọng số»…) instead of a verdict."""
    if at.check is None:
        return None
    if not at.children:
        return Cell(at.check, None, style="text_center")
    words = check_words()
    tag = method_tag(r.split_method)
    if v.check is None:
        message = None
    elif live and not has_weights:
        message = words["no_weights"]
    else:
        message = v.check.message() + tag
    first, last = min(at.children), max(at.children)
    formula = formulas.split_check(
        at.ref("round_target", absolute_col=True),
        cell(at.row, first),
        cell(at.row, last),
        at.split.status(at.slot) if live else None,
        words,
        tag,
    )
    return Cell(at.check, formula=formula, style="text_center", cached=message)
