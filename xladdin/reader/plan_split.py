"""How a plan read back is split: the settings block of «Đơn vị», the method a check
cell names, and the live split recognised by its values.

* Settings: «Phương pháp phân bổ» and «Mức tối thiểu» (plan.toml ``[settings]``), found
  by their labels; the value is the cell to the right.
* «Phân bổ» with a method no formula computes writes numbers and says so in the check
  column («Khớp · D'Hondt»): those shares are the method's, not typed by hand.
* A grid that cannot tell formulas (Excel on the web sends values only) shows the live
  split as numbers: they are exactly the largest-remainder split of Chỉ tiêu đợt by the
  weights (or errors, when Chỉ tiêu đợt is not a number).
"""

from __future__ import annotations

from collections.abc import Callable

from ..contract import PLAN
from ..engine.apportion import LARGEST_REMAINDER, METHOD_NAMES, METHODS, largest_remainder
from ..engine.cells import read_count
from ..engine.model import ERROR
from ..engine.resplit import method_from_text
from ..engine.units import Unit
from ..engine.values import ExcelError, exact
from ..formula_shapes import method_tag
from ..grid.base import SheetGrid, a1
from ..templates import definition
from .locate import clean, find_label

Report = Callable[[str, str, str, str], None]  # severity, rule, message, cell


def read_split_settings(sheet: SheetGrid, report: Report) -> tuple[str, int]:
    """(method, minimum) from the units sheet; defaults where a setting is absent."""
    spec = definition(PLAN)["settings"]
    method, minimum = LARGEST_REMAINDER, 0
    where = find_label(sheet, spec["method_label"])
    if where is not None:
        raw = clean(sheet.value(*where))
        chosen = method_from_text(raw)
        if chosen is None:
            names = "; ".join(METHOD_NAMES[m] for m in METHODS)
            report(
                ERROR,
                "unknown-method",
                f"{spec['method_label']} «{raw}» không có: hãy chọn trong danh sách ({names}).",
                a1(*where),
            )
        else:
            method = chosen
    where = find_label(sheet, spec["minimum_label"])
    if where is not None:
        reading = read_count(sheet.value(*where))
        if reading.problem is not None:
            report(reading.problem.severity, reading.problem.rule,
                   f"{spec['minimum_label']}: {reading.problem.message}", a1(*where))
        minimum = reading.value or 0
    return method, minimum


def method_in_check(shown: object) -> str | None:
    """The method a check cell names («Khớp · D'Hondt» → dhondt), or None."""
    text = clean(shown)
    return next((m for m in METHODS if text.endswith(clean(method_tag(m)))), None)


def shows_live_split(shown: list, target, children: list[Unit]) -> bool:
    """Whether the cells ``shown`` are what the live split formulas show for ``target``:
    its largest-remainder split by the weights, or blanks when the target is not a number
    (errors from plans written before ``_phanbo``; that problem is the target's, reported
    once, on the target's cell)."""
    if target is None:
        return all(v is None or isinstance(v, ExcelError) for v in shown)
    shares = [read_count(v).value for v in shown]
    if any(s is None for s in shares):
        return False
    weights = []
    for child in children:
        try:
            weights.append(exact(child.weight))
        except TypeError:
            weights.append(exact(0))
    return sum(weights) > 0 and shares == largest_remainder(target, weights)
