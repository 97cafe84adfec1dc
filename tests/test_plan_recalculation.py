"""The plan's native formulas equal the engine, after LibreOffice recalculates them.

Every workbook here is written with poisoned caches (each formula's stored result is 0)
and recalculated by LibreOffice with "recalculate on load: always", so a number that
matches the engine was computed by the formula, not copied from the cache.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import ceil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from xladdin.engine.apportion import largest_remainder
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.plan_values import resolve_plan
from xladdin.engine.units import Unit
from xladdin.errors import InputError
from xladdin.writer.plan import max_children, write_plan

from libreoffice import recalculate

pytestmark = pytest.mark.libreoffice

HEADER_ROW = 4  # 0-based row of the KeHoach header (row 5 in Excel)
FIRST_CHILD_COL = 7


AWKWARD = ["Tổ *", "Tổ ?", "~Tổ", "Tổ~*", "*", "?", "Tổ", "Khu phố 1"]  # Excel wildcards in names


def random_plan(rng: random.Random, index: int) -> Plan:
    n_children = rng.choice([1, 2, 3, 5, 8, 15, 30])
    style = index % 5
    if style == 0:  # ties everywhere: equal weights
        weights = [rng.choice([1, 7, 100])] * n_children
    elif style == 1:  # zeros among the weights
        weights = [rng.choice([0, 0, 1, 2, 3, 50]) for _ in range(n_children)]
        weights[rng.randrange(n_children)] = rng.randint(1, 9)
    elif style == 2:  # large numbers: float rounding would show here
        weights = [rng.randint(100_000, 2_000_000) for _ in range(n_children)]
    elif style == 3:
        weights = [rng.randint(0, 1000) for _ in range(n_children)]
        weights[0] = max(weights[0], 1)
    else:  # populations in thousands: up to three decimals, ties among them
        weights = [
            Fraction(
                rng.choice([125, 1250, 12500, 3, 30, rng.randint(1, 99_999)]),
                rng.choice([1, 10, 100, 1000]),
            )
            for _ in range(n_children)
        ]
    names = [f"Đơn vị {i + 1}" for i in range(n_children)]
    if index % 2:  # names an Excel MATCH would take for patterns: «Tổ *» matches «Tổ 1»
        names = [AWKWARD[i] if i < len(AWKWARD) else f"Tổ {i}" for i in range(n_children)]
        rng.shuffle(names)
    children = tuple(Unit(f"U{index}-{i}", names[i], "P", weight=w) for i, w in enumerate(weights))
    rows = []
    for r in range(12):
        annual = rng.randint(0, 200_000 if style == 2 else 3000)
        if r % 3 == 0:
            rows.append(
                PlanRow(
                    f"I{r}",
                    f"Chỉ tiêu {r}",
                    "người",
                    annual,
                    rng.randint(0, annual),
                    None,
                    round_share=Fraction(rng.choice([50, 40, 33, 100]), 100),
                )
            )
        else:
            rows.append(PlanRow(f"I{r}", f"Chỉ tiêu {r}", "người", annual, rng.randint(0, annual),
                                rng.randint(0, annual)))
    meta = Meta(template="plan", unit_code="P", unit_name="Thử", year=2026, round=1, created_at="x")
    return Plan(meta, children, tuple(rows))


def kehoach_rows(path: Path) -> list[list]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kế hoạch")
    return sheet.to_python(skip_empty_area=False)


@pytest.fixture(scope="module")
def random_plans(tmp_path_factory):
    rng = random.Random(20261123)
    folder = tmp_path_factory.mktemp("random-plans")
    plans = [random_plan(rng, i) for i in range(30)]
    files = [
        write_plan(plan, folder / f"plan{i}.xlsx", cache=False) for i, plan in enumerate(plans)
    ]
    recalculated = recalculate(files, folder / "recalculated")
    return list(zip(plans, recalculated))


def test_native_split_equals_the_engine_on_many_random_plans(random_plans):
    compared = 0
    for plan, path in random_plans:
        rows = kehoach_rows(path)
        weights = [Fraction(c.weight) for c in plan.children]  # exact: 12.5 is 25/2
        for i, row in enumerate(plan.rows):
            cells = rows[HEADER_ROW + 1 + i]
            target = (
                ceil(row.annual_plan * row.round_share)
                if row.round_share is not None
                else row.round_target
            )
            shown = [int(v) for v in cells[FIRST_CHILD_COL:FIRST_CHILD_COL + len(plan.children)]]
            assert cells[6] == target, f"{path.name} {row.code}: Chỉ tiêu đợt"
            assert shown == largest_remainder(target, weights), f"{path.name} {row.code}: {weights}"
            assert sum(shown) == target
            assert cells[5] == row.annual_plan - row.done  # Còn lại, raw
            assert cells[FIRST_CHILD_COL + len(plan.children)] == "Khớp"
            compared += 1
    assert compared == 30 * 12


def test_units_sheet_weight_shares_are_recomputed(random_plans):
    plan, path = random_plans[3]
    units = (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name("Đơn vị")
        .to_python(skip_empty_area=False)
    )
    total = sum(c.weight for c in plan.children)
    for i, child in enumerate(plan.children):
        assert units[4 + i][3] == pytest.approx(child.weight / total)


def test_editing_a_round_target_and_a_weight_recomputes_the_split(tmp_path):
    """What an officer does: change Chỉ tiêu đợt and a weight, then Excel recalculates."""
    children = tuple(
        Unit(f"C{i}", name, "P", weight=w)
        for i, (name, w) in enumerate([("Hồng Bàng", 95), ("Lê Chân", 230), ("Cát Hải", 32)])
    )
    meta = Meta(template="plan", unit_code="P", unit_name="Thử", year=2026, round=1, created_at="x")
    plan = Plan(
        meta,
        children,
        (
            PlanRow("BPTT_DCTC", "DCTC", "người", 1000, 100, 400),
            PlanRow("BPTT_CAY", "Cấy", "người", 90, 0, None, round_share=Fraction(1, 2)),
        ),
    )
    original = write_plan(plan, tmp_path / "plan.xlsx")

    book = openpyxl.load_workbook(original)  # keeps formulas; like a tool that does not calculate
    book["Kế hoạch"]["G6"] = 401  # new round target for BPTT_DCTC
    book["Kế hoạch"]["D7"] = 91  # new annual plan for BPTT_CAY: 50 % → 46
    book["Đơn vị"]["C6"] = 231  # Lê Chân's weight
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    [recalculated] = recalculate([edited], tmp_path / "out")
    rows = kehoach_rows(recalculated)
    new_weights = [95, 231, 32]
    assert [int(v) for v in rows[5][7:10]] == largest_remainder(401, new_weights)
    assert rows[6][6] == 46
    assert [int(v) for v in rows[6][7:10]] == largest_remainder(46, new_weights)
    assert rows[5][10] == rows[6][10] == "Khớp"


def test_published_shares_and_total_rows_and_rates_match_the_engine(tmp_path):
    children = tuple(
        Unit(f"KP{i}", f"KP{i}", "P", weight=w) for i, w in enumerate([4, 12, 16, 8, 21], 1)
    )
    meta = Meta(
        template="plan", unit_code="19360", unit_name="Phường 2", year=2024, round=2, created_at="x"
    )
    plan = Plan(meta, children, (
        PlanRow("KHAM_PK", "Khám phụ khoa", "lượt", 120, 120, 25, shares=(4, 5, 6, 3, 12)),
        PlanRow("BPTT_DAIHAN", "Dài hạn", "người", 46, 25, 21),
        PlanRow("BPTT_NGANHAN", "Ngắn hạn", "người", 221, 230, 40),
        PlanRow("BPTT_TONG", "Tổng cộng", "người", parts=("BPTT_DAIHAN", "BPTT_NGANHAN")),
        PlanRow("CPR", "CPR", "%", Fraction(65, 100), None, None, kind="rate"),
    ))
    [recalculated] = recalculate(
        [write_plan(plan, tmp_path / "p2.xlsx", cache=False)], tmp_path / "out"
    )
    rows = kehoach_rows(recalculated)
    values = resolve_plan(plan)
    assert rows[5][12] == "Thừa 5"
    assert rows[7][5] == -9  # Còn lại keeps the raw value; the format shows «0 (vượt 9)»
    total = values["BPTT_TONG"]
    assert rows[8][3:7] == [total.annual_plan, total.done, total.remaining, total.round_target]
    assert [int(v) for v in rows[8][7:12]] == list(total.shares)
    assert rows[9][7:12] == [0.65] * 5
    assert rows[9][12] == "Tỷ lệ: không cộng"


def test_a_plan_without_weights_says_so_instead_of_dividing_by_zero(tmp_path):
    children = tuple(Unit(f"C{i}", f"C{i}", "P", weight=0) for i in range(3))
    meta = Meta(template="plan", unit_code="P", unit_name="Thử", year=2026, round=1, created_at="x")
    plan = Plan(meta, children, (PlanRow("KHAM_PK", "Khám", "lượt", 10, 0, 5),))
    [recalculated] = recalculate(
        [write_plan(plan, tmp_path / "w0.xlsx", cache=False)], tmp_path / "out"
    )
    row = kehoach_rows(recalculated)[5]
    assert row[7:10] == ["", "", ""]
    assert row[10] == "Chưa có trọng số"


def test_decimal_weights_and_reordered_names_typed_in_the_workbook(tmp_path):
    """An officer types populations in thousands (12,5) or more decimals than the split
    can honour, or sorts the unit list by hand: the shares follow or the check says why."""
    children = tuple(Unit(f"C{i}", name, "P", weight=w)
                     for i, (name, w) in enumerate([("Tổ *", 95), ("Tổ 1", 230), ("Tổ ?", 32)]))
    meta = Meta(template="plan", unit_code="P", unit_name="Thử", year=2026, round=1, created_at="x")
    plan = Plan(meta, children, (PlanRow("BPTT_DCTC", "DCTC", "người", 1000, 100, 401),))
    original = write_plan(plan, tmp_path / "plan.xlsx")
    edits = {
        "decimal": lambda b: b["Đơn vị"].__setitem__("C5", 12.5),
        "too_many_decimals": lambda b: b["Đơn vị"].__setitem__("C6", 23.4567),
        "reordered": lambda b: (
            b["Đơn vị"].__setitem__("B5", "Tổ 1"),
            b["Đơn vị"].__setitem__("B6", "Tổ *"),
        ),
    }
    files = []
    for name, edit in edits.items():
        book = openpyxl.load_workbook(original)
        edit(book)
        book.save(tmp_path / f"{name}.xlsx")
        files.append(tmp_path / f"{name}.xlsx")
    decimal, too_many, reordered = (
        kehoach_rows(p)[5] for p in recalculate(files, tmp_path / "out")
    )
    assert [int(v) for v in decimal[7:10]] == largest_remainder(401, [Fraction(25, 2), 230, 32])
    assert decimal[10] == "Khớp"
    assert too_many[7:11] == ["", "", "", "Trọng số quá 3 số lẻ"]
    assert reordered[7:11] == ["", "", "", "Tên đơn vị lệch thứ tự"]


def test_plans_the_workbook_cannot_split_exactly_are_refused(tmp_path):
    meta = Meta(template="plan", unit_code="P", unit_name="Thử", year=2026, round=1, created_at="x")
    row = (PlanRow("KHAM_PK", "Khám", "lượt", 10, 0, 5),)
    thirds = (Unit("A", "A", "P", weight=Fraction(1, 3)), Unit("B", "B", "P", weight=1))
    with pytest.raises(InputError, match="quá 3 số lẻ"):
        write_plan(Plan(meta, thirds, row), tmp_path / "thirds.xlsx")
    huge = (Unit("A", "A", "P", weight=10 ** 12), Unit("B", "B", "P", weight=10 ** 12))
    with pytest.raises(InputError, match="quá lớn"):
        write_plan(
            Plan(meta, huge, (PlanRow("KHAM_PK", "Khám", "lượt", 10**6, 0, 10**6),)),
            tmp_path / "huge.xlsx",
        )
    many = tuple(Unit(f"U{i}", f"U{i}", "P", weight=1) for i in range(max_children() + 1))
    with pytest.raises(InputError, match="số cột Excel"):
        write_plan(Plan(meta, many, row), tmp_path / "many.xlsx")
    assert not list(tmp_path.iterdir())  # nothing half-written
