"""The plan's split in native formulas that cost O(1) a cell: the hidden sheet ``_phanbo``.

Children are in rows (any number fits, unlike columns); each split ("split X in proportion
to column Y") has a *slot* of two columns: every child's remainder and a running count of
ties.  A share in «Kế hoạch» then reads five cells instead of ranking its remainder
against every other child's, so a plan recalculates in time linear in its children.
The arithmetic is whole numbers only and mirrors :mod:`xladdin.engine.split_exact`.

Layout (0-based; the row of the first child is :data:`FIRST_ROW`):

* columns A–D, one row per child: code, «tên khớp» (0 when «Đơn vị» row j has the name
  of child column j of «Kế hoạch»: children are matched by position, so a unit name with
  ``*``, ``?`` or ``~`` cannot fool a lookup), decimals of the weight, weight × 10^d;
  D3:D6 hold d, W = Σ scaled weights, the count of mismatched names and the weights'
  message («» when they can be split);
* slot k at columns F+2k (remainder rⱼ) and G+2k (ties so far); rows 2–8 of column F+2k:
  the indicator's code, T, its message, go (1/0), m (seats missing), R* (m-th largest
  remainder), need (seats for children whose remainder is exactly R*);
* a slot may have its own weights (``own_weights``: e.g. each child's own remainder for
  next round): two more columns after every slot, laid out like C–D.

Slot k of a plan is the k-th data row of the table KeHoach, so the one-click scripts find a
row's slot from its position alone (:class:`SplitLayout`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .. import contract as c
from ..contract import LIVE_SPLIT_SHEET
from ..engine.split_exact import EXACT_LIMIT, MAX_DECIMALS, decimals, scaled_weights, split_steps
from ..formula_shapes import is_live_split as is_live_split  # re-exported
from ..templates import definition
from .parts import cached, cell, column

SHEET = LIVE_SPLIT_SHEET
FIRST_ROW = 9
CODE_COL, NAME_OK_COL, DEC_COL, SCALED_COL, LABEL_COL, FIRST_SLOT_COL = 0, 1, 2, 3, 4, 5
# rows of a weight group's aggregates (in its scaled column) and of a slot's (in its first column)
D_ROW, W_ROW, MISMATCH_ROW, WEIGHTS_MSG_ROW = 2, 3, 4, 5
SLOT_CODE_ROW, T_ROW, MSG_ROW, GO_ROW, M_ROW, R_ROW, NEED_ROW = 1, 2, 3, 4, 5, 6, 7
NOT_A_NUMBER, TOO_MANY_DECIMALS = 99, 9  # «decimals» of a text / negative weight, of 12.3456


def _abs(row: int, col: int) -> str:
    return f"'{SHEET}'!${column(col)}${row + 1}"


@dataclass(frozen=True)
class SplitLayout:
    """Where each slot's cells are; ``slots`` = data rows of KeHoach."""

    slots: int
    own_weights: frozenset[int] = field(default_factory=frozenset)

    def slot_col(self, slot: int) -> int:
        return FIRST_SLOT_COL + 2 * slot

    def group_cols(self, slot: int | None) -> tuple[int, int]:
        """(decimals column, scaled-weight column) of the weights ``slot`` splits by."""
        if slot is None or slot not in self.own_weights:
            return DEC_COL, SCALED_COL
        index = sorted(self.own_weights).index(slot)
        first = FIRST_SLOT_COL + 2 * self.slots + 1 + 2 * index
        return first, first + 1

    def status(self, slot: int) -> str:
        """The slot's message cell: «» when the split is shown, else why not."""
        return _abs(MSG_ROW, self.slot_col(slot))

    def share(self, slot: int, child: int) -> str:
        """Child ``child``'s share of slot ``slot``, for its cell in «Kế hoạch» (O(1))."""
        col = self.slot_col(slot)
        _, scaled = self.group_cols(slot)
        row = FIRST_ROW + child
        go, t, w, total = (
            _abs(GO_ROW, col),
            _abs(T_ROW, col),
            _abs(row, scaled),
            _abs(W_ROW, scaled),
        )
        r, ties = _abs(row, col), _abs(row, col + 1)
        threshold, need = _abs(R_ROW, col), _abs(NEED_ROW, col)
        return (f'=IF({go},INT({t}*{w}/{total})+IF({r}>{threshold},1,'
                f'IF({r}={threshold},IF({ties}<={need},1,0),0)),"")')


@dataclass(frozen=True)
class Child:
    code: str
    weight_ref: str  # its weight, e.g. 'Đơn vị'!$C$5
    name_ref: str  # its name in the unit list
    header_ref: str  # its column heading in «Kế hoạch»
    weight: Fraction  # the engine's weight (for the cached values)


@dataclass(frozen=True)
class Slot:
    index: int
    code: str  # the indicator, shown as the slot's heading
    target_ref: str  # e.g. 'Kế hoạch'!$G$6
    target: int | Fraction | None  # the engine's value of the target
    weight_refs: tuple[str, ...] | None = None  # own weights (one per child), else the unit list's
    weights: tuple[Fraction, ...] | None = None


def messages() -> dict[str, str]:
    return definition(c.PLAN)["check_column"]


def write_split_sheet(workbook, formats, layout: SplitLayout, children: Sequence[Child],
                      slots: Sequence[Slot], cache: bool = True):
    """Add the hidden sheet ``_phanbo`` (XlsxWriter) with every slot; returns it."""
    sheet = workbook.add_worksheet(SHEET)
    words = messages()
    sheet.write_string(0, 0, words["helper_title"], formats["small_left"])
    for col, label in ((CODE_COL, c.UNIT_CODE), (NAME_OK_COL, "Tên lệch"), (DEC_COL, "Số lẻ"),
                       (SCALED_COL, "Trọng số quy đổi")):
        sheet.write_string(FIRST_ROW - 1, col, label, formats["header"])
    for row, label in (
        (D_ROW, "Số chữ số lẻ"),
        (W_ROW, "Tổng trọng số"),
        (MISMATCH_ROW, "Tên lệch"),
        (WEIGHTS_MSG_ROW, "Thông báo"),
    ):
        sheet.write_string(row, DEC_COL, label, formats["small_left"])
    for row, label in ((SLOT_CODE_ROW, c.NAME), (T_ROW, c.ROUND_TARGET), (MSG_ROW, "Thông báo"),
                       (GO_ROW, "Chia được"), (M_ROW, "Suất còn thiếu"), (R_ROW, "Ngưỡng số dư"),
                       (NEED_ROW, "Suất cho số dư bằng ngưỡng")):
        sheet.write_string(row, LABEL_COL, label, formats["small_left"])
    for j, child in enumerate(children):
        row = FIRST_ROW + j
        sheet.write_string(row, CODE_COL, child.code)
        matches = f"=IF(EXACT({child.name_ref},{child.header_ref}),0,1)"
        sheet.write_formula(row, NAME_OK_COL, matches, None, cached(0, cache))
    base = _group(
        sheet,
        None,
        layout,
        [c.weight_ref for c in children],
        [c.weight for c in children],
        cache,
        mismatch=True,
    )
    for slot in slots:
        if slot.weight_refs is not None:
            weights = _group(
                sheet,
                slot.index,
                layout,
                slot.weight_refs,
                slot.weights or (),
                cache,
                mismatch=False,
            )
        else:
            weights = base
        _slot(sheet, formats, layout, slot, len(children), weights, cache)
    sheet.set_column(LABEL_COL, LABEL_COL, 24)
    sheet.protect()
    sheet.hide()
    return sheet


@dataclass(frozen=True)
class _Weights:
    scaled: list[int] | None  # None: too many decimals
    message: str


def _group(
    sheet,
    slot: int | None,
    layout: SplitLayout,
    refs: Sequence[str],
    weights: Sequence[Fraction],
    cache: bool,
    *,
    mismatch: bool,
) -> _Weights:
    dec_col, scaled_col = layout.group_cols(slot)
    n = len(refs)
    first, last = FIRST_ROW, FIRST_ROW + max(n, 1) - 1
    d_ref = f"${column(scaled_col)}${D_ROW + 1}"
    scaled = scaled_weights(list(weights))
    for j, x in enumerate(refs):
        row = FIRST_ROW + j
        dec = (f'=IF(ISNUMBER({x}),IF({x}<0,{NOT_A_NUMBER},' + "".join(
            f"IF({x}=ROUND({x},{p}),{p}," for p in range(MAX_DECIMALS + 1))
            + f"{TOO_MANY_DECIMALS}" + ")" * (MAX_DECIMALS + 1) + f'),IF({x}="",0,{NOT_A_NUMBER}))')
        sheet.write_formula(
            row, dec_col, dec, None, cached(_places(weights[j]) if weights else 0, cache)
        )
        value = scaled[0][j] if scaled else 0
        sheet.write_formula(
            row,
            scaled_col,
            f"=IF({d_ref}>{MAX_DECIMALS},0,ROUND(N({x})*10^{d_ref},0))",
            None,
            cached(value, cache),
        )
    dec_range = f"{cell(first, dec_col)}:{cell(last, dec_col)}"
    scaled_range = f"{cell(first, scaled_col)}:{cell(last, scaled_col)}"
    total = sum(scaled[0]) if scaled else 0
    sheet.write_formula(
        D_ROW, scaled_col, f"=MAX({dec_range})", None, cached(scaled[1] if scaled else 0, cache)
    )
    sheet.write_formula(W_ROW, scaled_col, f"=SUM({scaled_range})", None, cached(total, cache))
    checks = f"SUM({cell(first, NAME_OK_COL)}:{cell(last, NAME_OK_COL)})" if mismatch else "0"
    sheet.write_formula(MISMATCH_ROW, scaled_col, f"={checks}", None, cached(0, cache))
    words = messages()
    d, w, bad = (cell(D_ROW, scaled_col), cell(W_ROW, scaled_col), cell(MISMATCH_ROW, scaled_col))
    message = (
        f'=IF({d}={NOT_A_NUMBER},"{words["bad_weight"]}",IF({d}>{MAX_DECIMALS},"{words["too_many_decimals"]}",'
        f'IF({bad}>0,"{words["order"]}",IF({w}=0,"{words["no_weights"]}",""))))'
    )
    shown = words["no_weights"] if scaled and total == 0 else ""
    sheet.write_formula(WEIGHTS_MSG_ROW, scaled_col, message, None, cached(shown, cache))
    return _Weights(scaled[0] if scaled else None, shown)


def _places(weight: Fraction) -> int:
    found = decimals(weight)
    return TOO_MANY_DECIMALS if found is None else found


def _slot(
    sheet, formats, layout: SplitLayout, slot: Slot, n: int, weights: _Weights, cache: bool
) -> None:
    col = layout.slot_col(slot.index)
    _, scaled_col = layout.group_cols(slot.index)
    words = messages()
    t = slot.target_ref
    total = f"${column(scaled_col)}${W_ROW + 1}"
    weights_msg = f"${column(scaled_col)}${WEIGHTS_MSG_ROW + 1}"
    here = {
        name: f"{column(col)}${row + 1}"
        for name, row in (
            ("T", T_ROW),
            ("msg", MSG_ROW),
            ("go", GO_ROW),
            ("m", M_ROW),
            ("R", R_ROW),
            ("need", NEED_ROW),
        )
    }
    first, last = FIRST_ROW, FIRST_ROW + max(n, 1) - 1
    remainders = f"{column(col)}${first + 1}:{column(col)}${last + 1}"
    steps = None
    if (
        slot.target is not None
        and Fraction(slot.target).denominator == 1
        and slot.target >= 0
        and weights.scaled is not None
        and sum(weights.scaled) > 0
        and not weights.message
    ):
        steps = split_steps(int(slot.target), weights.scaled)
    go = 1 if steps is not None else 0
    message = "" if slot.target is None else weights.message
    sheet.write_string(SLOT_CODE_ROW, col, slot.code, formats["header"])
    sheet.write_string(FIRST_ROW - 1, col, "Số dư", formats["header"])
    sheet.write_string(FIRST_ROW - 1, col + 1, "Số hòa", formats["header"])
    formulas = [
        (T_ROW, f"=IF(ISNUMBER({t}),{t},0)", slot.target or 0),
        (
            MSG_ROW,
            f'=IF({t}="","",IF(ISNUMBER({t}),IF(OR({t}<0,{t}<>INT({t})),"{words["bad_target"]}",'
            f'IF({weights_msg}<>"",{weights_msg},'
            f'IF({t}*{total}>={EXACT_LIMIT},"{words["too_big"]}",""))),"{words["bad_target"]}"))',
            message,
        ),
        (GO_ROW, f'=IF(AND({t}<>"",{here["msg"]}=""),1,0)', go),
        (
            M_ROW,
            f"=IF({here['go']}=1,ROUND(SUM({remainders})/{total},0),0)",
            steps.missing if steps else 0,
        ),
        (
            R_ROW,
            f"=IF({here['m']}>0,LARGE({remainders},{here['m']}),{total}+1)",
            steps.threshold if steps else (sum(weights.scaled or []) + 1),
        ),
        (
            NEED_ROW,
            f"=IF({here['m']}>0,{here['m']}-SUMPRODUCT(({remainders}>{here['R']})*1),0)",
            steps.need if steps else 0,
        ),
    ]
    for row, formula, value in formulas:
        sheet.write_formula(row, col, formula, None, cached(value, cache))
    for j in range(n):
        row = FIRST_ROW + j
        w = f"${column(scaled_col)}{row + 1}"
        r = f"{column(col)}{row + 1}"
        sheet.write_formula(
            row,
            col,
            f"=IF({here['go']}=1,{here['T']}*{w}-{total}*INT({here['T']}*{w}/{total}),0)",
            None,
            cached(steps.remainders[j] if steps else 0, cache),
        )
        before = f"{column(col + 1)}{row}+" if j else ""
        sheet.write_formula(row, col + 1, f"=IF({here['go']}=1,{before}({r}={here['R']})*1,0)",
                            None, cached(steps.ties_so_far[j] if steps else 0, cache))
