"""The plan's native split formula agrees with ``xladdin split`` for anything a user can
type (issue 10): decimal weights read by the one number parser (``12,5``, ``7.25``,
``1.200`` = 1200) with ties between them, and unit names holding Excel's wildcard
characters (``*``, ``?``, ``~``), which a MATCH on names would confuse.

Caches are poisoned (every formula's stored value is 0) and LibreOffice recalculates,
so a share that matches the engine was computed by the formula.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from xladdin.engine.apportion import largest_remainder
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.inputs import read_children
from xladdin.writer.plan import write_plan

from libreoffice import recalculate

pytestmark = pytest.mark.libreoffice

HEADER_ROW = 4  # 0-based row of the KeHoach header (row 5 in Excel)
FIRST_CHILD_COL = 7

# name, weight as typed in CHILDREN.csv: wildcards, and decimals that tie in float
CHILDREN = [
    ("K1", "Khu*", "12,5"),
    ("K2", "Khu 1", "12.5"),
    ("K3", "Khu ?", "0,1"),
    ("K4", "Khu ~*", "0.2"),
    ("K5", "Tổ ~3", "7,25"),
    ("K6", "Tổ 3", "1.200"),
    ("K7", "*", "0,3"),
    ("K8", "?", "7.25"),
]
TARGETS = [1, 2, 3, 7, 11, 13, 40, 97, 100, 1234, 9999, 12_345]


def make_plan(folder: Path) -> Plan:
    csv = "code,name,weight\n" + "".join(f'{c},"{n}","{w}"\n' for c, n, w in CHILDREN)
    (folder / "children.csv").write_text(csv, encoding="utf-8")
    children = tuple(read_children(folder / "children.csv"))
    meta = Meta(template="plan", unit_code="P", unit_name="Thử", year=2026, round=1, created_at="x")
    rows = tuple(
        PlanRow(f"I{i}", f"Chỉ tiêu {i}", "người", t * 2, 0, t) for i, t in enumerate(TARGETS)
    )
    return Plan(meta, children, rows)


def test_decimal_weights_and_wildcard_names_split_exactly_as_the_engine(tmp_path):
    plan = make_plan(tmp_path)
    weights = [Fraction(c.weight) for c in plan.children]
    assert weights[5] == 1200 and weights[0] == weights[1] == Fraction(25, 2)  # the one parser
    path = write_plan(plan, tmp_path / "plan.xlsx", cache=False)
    recalculated = recalculate([path], tmp_path / "recalculated")[0]
    rows = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name("Kế hoạch").to_python(
        skip_empty_area=False)
    header = rows[HEADER_ROW][FIRST_CHILD_COL:FIRST_CHILD_COL + len(CHILDREN)]
    assert header == [n for _, n, _ in CHILDREN]
    for i, target in enumerate(TARGETS):
        cells = rows[HEADER_ROW + 1 + i]
        shown = [int(v) for v in cells[FIRST_CHILD_COL:FIRST_CHILD_COL + len(CHILDREN)]]
        assert shown == largest_remainder(target, weights), f"target {target}"
