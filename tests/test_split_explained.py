"""The split explains itself: each unit's exact quota, whole part, who got the units left
over and why, and a warning when one more unit to split would give a unit less."""

from __future__ import annotations

import contextlib
import io
from fractions import Fraction

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from xladdin import contract as c
from xladdin.cli import main
from xladdin.engine.apportion import DHONDT, LARGEST_REMAINDER, SAINTE_LAGUE, apportion
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.split_explain import alabama, explain_split, reason
from xladdin.engine.units import Unit
from xladdin.jobs import validate_file
from xladdin.writer.plan import write_plan

from libreoffice import recalculate

weights_st = st.lists(st.integers(0, 300), min_size=1, max_size=12).filter(lambda w: sum(w) > 0)


@given(total=st.integers(0, 2000), weights=weights_st, minimum=st.integers(0, 3))
def test_the_explanation_gives_the_engines_shares_and_adds_up(total, weights, minimum):
    if minimum * len(weights) > total:
        minimum = 0
    e = explain_split(total, weights, LARGEST_REMAINDER, minimum)
    assert e.shares == apportion(total, weights, minimum=minimum)
    sharing = [u for u in e.units if not u.raised]
    assert sum(u.whole for u in sharing) + e.left_over == total - minimum * (
        len(e.units) - len(sharing)
    )
    assert sum(u.extra for u in sharing) == e.left_over
    for u in sharing:
        assert u.quota == u.whole + u.remainder and 0 <= u.remainder < 1 and u.extra in (0, 1)
        assert u.share == u.whole + u.extra
    winners = [u for u in sharing if u.got_extra]
    for loser in (u for u in sharing if not u.got_extra):  # nobody left out had a larger remainder
        assert all((w.remainder, -w.index) > (loser.remainder, -loser.index) for w in winners)


def test_quota_is_exact():
    e = explain_split(40, [4, 10, 10, 5, 11])
    assert [u.quota for u in e.units] == [4, 10, 10, 5, 11]
    e = explain_split(3, [1, 3, 3])
    assert e.units[0].quota == Fraction(3, 7) and e.units[0].got_extra
    assert "được thêm 1" in reason(e.units[0], e)
    assert "không được thêm" in reason(e.units[1], e)


def test_the_alabama_paradox_is_found_and_divisor_methods_never_show_it():
    [p] = alabama(3, [1, 3, 3])  # 3 → [1, 1, 1]; 4 → [0, 2, 2]
    assert (p.larger_total, p.index, p.share, p.share_then) == (4, 0, 1, 0)
    assert explain_split(3, [1, 3, 3]).paradox
    assert not explain_split(
        3, [1, 3, 3], SAINTE_LAGUE
    ).paradox  # only largest remainder is checked


@given(total=st.integers(0, 500), weights=weights_st)
def test_sainte_lague_the_method_we_name_never_gives_less_for_more(total, weights):
    now, then = apportion(total, weights, SAINTE_LAGUE), apportion(total + 1, weights, SAINTE_LAGUE)
    assert all(b >= a for a, b in zip(now, then))


def test_a_divisor_split_is_explained_against_the_quota():
    e = explain_split(10, [5, 3, 2], DHONDT)
    assert e.shares == apportion(10, [5, 3, 2], DHONDT)
    assert all("D'Hondt" in reason(u, e) for u in e.units)


def plan_with(weights, targets, tmp_path, name="plan.xlsx"):
    children = tuple(Unit(f"X{i}", n, "H", weight=w) for i, (n, w) in enumerate(weights))
    rows = tuple(PlanRow(code, code, "người", None, None, t) for code, t in targets)
    meta = Meta(c.PLAN, "H", "Huyện Thử", year=2024, round=1, created_at="x")
    return write_plan(Plan(meta, children, rows), tmp_path / name)


def sheet_rows(path, name):
    return (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(name)
        .to_python(skip_empty_area=False)
    )


def test_the_plan_carries_the_explanation_of_its_most_telling_split(tmp_path):
    path = plan_with([("Xã An", 1), ("Xã Bình", 3), ("Xã Cường", 3)],
                     [("KHAM_PK", 7), ("BPTT_DCTC", 3)], tmp_path)
    rows = sheet_rows(path, c.SPLIT_SHEET)
    text = " ".join(str(v) for row in rows for v in row)
    assert "BPTT_DCTC" in rows[1][0]  # KHAM_PK splits evenly; BPTT_DCTC shows the paradox
    units = {row[0]: row for row in rows[6:9]}
    assert [units[f"X{i}"][8] for i in range(3)] == apportion(3, [1, 3, 3])
    assert units["X0"][3] == pytest.approx(3 / 7) and units["X0"][7] == 1
    assert "nghịch lý Alabama" in text and "Sainte-Laguë" in text
    assert "Xã An nhận 0 thay vì 1" in text
    assert (
        openpyxl.load_workbook(path).sheetnames.index(c.SPLIT_SHEET) == 2
    )  # after Kế hoạch, Đơn vị


def test_validate_and_new_plan_warn_of_the_paradox(tmp_path):
    path = plan_with([("Xã An", 1), ("Xã Bình", 3), ("Xã Cường", 3)], [("BPTT_DCTC", 3)], tmp_path)
    issues = [i for i in validate_file(path).issues if i.rule == "alabama-paradox"]
    assert len(issues) == 1 and issues[0].severity == c.WARNING and issues[0].cell == "G6"
    (tmp_path / "ch.csv").write_text(
        "code,name,weight\nA,Xã An,1\nB,Xã Bình,3\nC,Xã Cường,3\n", encoding="utf-8"
    )
    (tmp_path / "tg.csv").write_text(
        "code,annual_plan,done,round_target\nBPTT_DCTC,10,0,3\n", encoding="utf-8"
    )
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(
            [
                "new-plan",
                "--unit-code",
                "9",
                "--unit-name",
                "Huyện Thử",
                "--year",
                "2024",
                "--children",
                str(tmp_path / "ch.csv"),
                "--targets",
                str(tmp_path / "tg.csv"),
                "--out",
                str(tmp_path / "p.xlsx"),
            ]
        )
    assert code == 0 and "Cảnh báo: BPTT_DCTC" in err.getvalue() and "Alabama" in err.getvalue()


def test_no_paradox_no_warning(tmp_path):
    path = plan_with(
        [("KP1", 4), ("KP2", 10), ("KP3", 10), ("KP4", 5), ("KP5", 11)],
        [("BPTT_DCTC", 40)],
        tmp_path,
    )
    assert not [i for i in validate_file(path).issues if i.rule == "alabama-paradox"]
    assert "Không chỉ tiêu nào" in " ".join(
        str(v) for row in sheet_rows(path, c.SPLIT_SHEET) for v in row
    )


@pytest.mark.libreoffice
def test_a_stale_explanation_says_so_after_recalculation(tmp_path):
    path = plan_with([("Xã An", 1), ("Xã Bình", 3), ("Xã Cường", 3)], [("BPTT_DCTC", 3)], tmp_path)
    book = openpyxl.load_workbook(path)
    book[c.PLAN_SHEET]["G6"] = 5
    book.save(tmp_path / "edited.xlsx")
    [same, edited] = recalculate([path, tmp_path / "edited.xlsx"], tmp_path / "out")
    assert sheet_rows(same, c.SPLIT_SHEET)[3][0].startswith("Đúng với")
    assert "đã đổi" in sheet_rows(edited, c.SPLIT_SHEET)[3][0]


@given(total=st.integers(0, 5000), weights=weights_st)
def test_the_fast_paradox_check_splits_as_the_engine_does(total, weights):
    from xladdin.engine.split_explain import _largest_remainder_ints

    assert _largest_remainder_ints(total, weights) == apportion(total, weights)
