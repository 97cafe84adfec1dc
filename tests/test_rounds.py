"""Consolidating a workbook of pasted sheets, the next round, and outputs that fail."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import openpyxl
import pytest
from xladdin.cli import main
from xladdin.demo import fill_sample_results
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.units import Unit
from xladdin.jobs import make_forms, read_plan_file
from xladdin.writer.plan import write_plan


def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def plan(tmp_path) -> Path:
    children = tuple(
        Unit(c, n, "D", weight=w)
        for c, n, w in [
            ("X1", "Xã Bình Minh", 30),
            ("X2", "Xã Định Hóa", 50),
            ("X3", "Thị trấn Chợ Chu", 20),
        ]
    )
    meta = Meta(
        "plan", "D", "Huyện Định Hóa", year=2024, round=1, created_at="x", due_date="2024-06-30"
    )
    rows = (PlanRow("BPTT_DCTC", "DCTC", "người", 100, 10, 40),
            PlanRow("KHAM_PK", "Khám phụ khoa", "lượt", 300, 0, 90))
    return write_plan(Plan(meta, children, rows), tmp_path / "plan.xlsx")


def test_forms_pasted_as_sheets_of_one_workbook_are_consolidated(tmp_path, plan):
    forms = make_forms(plan, tmp_path / "forms")[0]
    book = openpyxl.Workbook()
    book.remove(book.active)
    typed = {"X1": (12, 25), "X2": (20, 40), "X3": (7, 30)}
    for path in forms:  # what an officer does: copy each form's sheet into one book
        source = openpyxl.load_workbook(path)["Báo cáo"]
        unit = path.name.split("_")[0]
        target = book.create_sheet("Bình Minh" if unit == "X1" else f"Sheet {unit}")
        for row in source.iter_rows():
            for cell in row:
                if cell.value is not None and not isinstance(cell, openpyxl.cell.cell.MergedCell):
                    target[cell.coordinate] = cell.value
        target["E9"], target["E10"] = typed[unit]
        if unit == "X1":  # pasted without its header lines: known by the sheet's name only
            for row in range(1, 8):
                for col in range(1, 8):
                    target.cell(row, col).value = None
            target.title = "Xã Bình Minh"
    pasted = tmp_path / "bao-cao-gop.xlsx"
    book.save(pasted)
    code, out, err = cli("consolidate", pasted, "--plan", plan, "--out", tmp_path / "s.xlsx",
                         "--json", tmp_path / "s.json")
    report = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert code == 0, err
    assert report["received"] == ["X1", "X2", "X3"]
    assert report["totals"]["BPTT_DCTC"]["result"] == 12 + 20 + 7
    assert report["totals"]["KHAM_PK"]["result"] == 25 + 40 + 30
    assert report["sources"]["X1"].endswith("bao-cao-gop.xlsx#Xã Bình Minh")
    assert any(i["rule"] == "meta-missing" for i in report["issues"])


def test_next_round_carries_results_into_done_and_keeps_the_split_live(tmp_path, plan):
    make_forms(plan, tmp_path / "forms")
    fill_sample_results(plan, tmp_path / "forms", "2024-06-30")
    assert cli("consolidate", tmp_path / "forms", "--plan", plan, "--out", tmp_path / "s.xlsx",
               "--json", tmp_path / "s.json")[0] == 0
    totals = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["totals"]
    code, out, _ = cli(
        "next-round", plan, "--summary", tmp_path / "s.xlsx", "--out", tmp_path / "p2.xlsx"
    )
    assert code == 0 and "đợt 2" in out
    reading = read_plan_file(tmp_path / "p2.xlsx")
    assert reading.plan.meta.round == 2
    dctc = reading.plan.row("BPTT_DCTC")
    assert dctc.done == 10 + totals["BPTT_DCTC"]["result"]
    assert reading.observed["BPTT_DCTC"]["round_target"] == max(0, 100 - dctc.done)
    # done before round 1 (10) is not known by unit: the weights still decide (§9), live
    assert dctc.shares is None and dctc.child_done is None
    sheet = openpyxl.load_workbook(tmp_path / "p2.xlsx")["Kế hoạch"]
    assert "_phanbo" in sheet["H6"].value and sheet["G6"].value.startswith("=IF(D6")
    # nothing was done before round 1 (0): each unit's own remainder decides (§9)
    kham = reading.plan.row("KHAM_PK")
    assert kham.child_done is not None and sum(kham.child_done) == kham.done
    assert kham.shares is not None and sum(kham.shares) == max(0, 300 - kham.done)
    assert read_plan_file(plan).plan.meta.round == 1  # the input plan is untouched


def test_next_round_refuses_a_summary_of_another_plan(tmp_path, plan):
    other = tmp_path / "other"
    other.mkdir()
    children = (Unit("Y1", "Y1", "Z", weight=1),)
    other_plan = write_plan(
        Plan(
            Meta("plan", "Z", "Khác", year=2024, round=1, created_at="x"),
            children,
            (PlanRow("KHAM_PK", "Khám", "lượt", 10, 0, 5),),
        ),
        other / "plan.xlsx",
    )
    make_forms(other_plan, other / "forms")
    cli("consolidate", other / "forms", "--plan", other_plan, "--out", other / "s.xlsx")
    code, _, err = cli(
        "next-round", plan, "--summary", other / "s.xlsx", "--out", tmp_path / "p2.xlsx"
    )
    assert code == 1 and "Z" in err
    assert not (tmp_path / "p2.xlsx").exists()


def test_an_output_that_cannot_be_written_is_a_clear_error(tmp_path, plan):
    make_forms(plan, tmp_path / "forms")
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    out = tmp_path / "notes.txt" / "summary.xlsx"  # its "folder" is a file: nothing can go there
    code, _, err = cli("consolidate", tmp_path / "forms", "--plan", plan, "--out", out)
    assert code == 1
    assert err.startswith("Lỗi: ") and "notes.txt" in err and "Traceback" not in err
    assert not list(tmp_path.rglob(".~xladdin-*"))  # no temporary file left behind
    (tmp_path / "a-folder.xlsx").mkdir()
    code, _, err = cli(
        "consolidate", tmp_path / "forms", "--plan", plan, "--out", tmp_path / "a-folder.xlsx"
    )
    assert code == 2 and "Traceback" not in err  # a folder given as the output file: a usage error


def test_an_output_over_an_input_is_refused(tmp_path, plan):
    make_forms(plan, tmp_path / "forms")
    before = plan.read_bytes()
    code, _, err = cli("consolidate", tmp_path / "forms", "--plan", plan, "--out", plan)
    assert code == 2 and "trùng" in err
    assert plan.read_bytes() == before


def test_next_round_refuses_a_whole_year_plan(tmp_path):
    """Red team (LOW): a whole-year plan (round 0, «Cả năm») became «Đợt 1» of the same
    year with the year's results as Đã thực hiện, exit 0.  Nothing follows «Cả năm»."""
    meta = Meta("plan", "D", "Huyện Định Hóa", year=2024, round=0, created_at="x",
                due_date="2024-12-31")
    children = (Unit("X1", "Xã Bình Minh", "D", weight=1), Unit("X2", "Xã Định Hóa", "D",
                                                                  weight=1))
    path = write_plan(Plan(meta, children, (PlanRow("KHAM_PK", "Khám", "lượt", 300, 0, 300),)),
                      tmp_path / "plan.xlsx")
    make_forms(path, tmp_path / "forms")
    fill_sample_results(path, tmp_path / "forms", "2024-12-31")
    assert cli("consolidate", tmp_path / "forms", "--plan", path, "--out",
               tmp_path / "s.xlsx")[0] == 0
    code, _, err = cli("next-round", path, "--summary", tmp_path / "s.xlsx", "--out",
                       tmp_path / "p2.xlsx")
    assert code == 1 and "kế hoạch cả năm 2024" in err and "new-plan" in err, err
    assert not (tmp_path / "p2.xlsx").exists()
