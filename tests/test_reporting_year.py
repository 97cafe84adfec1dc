"""A ward's reporting year (contract §8, seed 003: Bình Minh reports every month by the
6th of the next month): twelve monthly inboxes in one folder consolidate in one command
into the months side by side and the year to date, checked against an independent
computation (counts summed, stocks the latest month, rates from their parts)."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from xladdin import jobs
from xladdin.bundled import catalogue, examples
from xladdin.engine.consolidate import Submission
from xladdin.engine.forms import form_filename, plan_forms
from xladdin.engine.model import FormReading
from xladdin.engine.periods import parse_period, period_title, shown_date
from xladdin.engine.year import consolidate_year, owed
from xladdin.writer.form import write_form

STOCKS = {"PN_30_54", "PN_TREN_40", "CPR_TUSO", "CPR_MAUSO"}
RATES = {"TL_SL_UTCTC": ("SL_UTCTC", "PN_30_54"), "TL_SL_UTV": ("SL_UTV", "PN_TREN_40"),
         "CPR": ("CPR_TUSO", "CPR_MAUSO")}


class Ran:
    def __init__(self, done):
        self.exit_code, self.output = done.returncode, done.stdout + done.stderr


def xladdin(args):
    """The console command, in a real process (as an officer runs it)."""
    return Ran(
        subprocess.run(
            [sys.executable, "-m", "xladdin", *args], capture_output=True, text=True, timeout=300
        )
    )


def binh_minh():
    return next(e for e in examples() if e["folder"] == "binh-minh-2024")


def due_of(month: int) -> dt.date:
    return dt.date(2024 + month // 12, month % 12 + 1, 6)


def typed(seed: int, months=range(1, 13), skip=frozenset()):
    """What each unit typed each month: counts at random, stocks drifting; ``skip``
    holds (unit index, month) pairs that were never sent."""
    rng = random.Random(seed)
    numbers = {}
    for month in months:
        for unit in range(6):
            if (unit, month) in skip:
                continue
            numbers[(unit, month)] = {
                "BPTT_DCTC": rng.randint(0, 4),
                "BPTT_CAY": rng.randint(0, 2),
                "BPTT_TIEM": rng.randint(0, 5),
                "BPTT_VIENUONG": rng.randint(0, 15),
                "BPTT_BCS": rng.randint(0, 20),
                "SL_UTCTC": rng.randint(0, 9),
                "SL_UTV": rng.randint(0, 7),
                "PN_30_54": 250 + 7 * unit + rng.randint(0, 3),
                "PN_TREN_40": 200 + 5 * unit + rng.randint(0, 3),
                "CPR_MAUSO": 380 + 11 * unit + month,
                "CPR_TUSO": 270 + 8 * unit + rng.randint(0, month),
            }
    return numbers


def independent(numbers: dict, units: list[str]) -> tuple[dict, dict]:
    """The year to date computed without the engine: (by unit, whole ward)."""
    by_unit = {}
    for index, code in enumerate(units):
        months = sorted(m for (u, m) in numbers if u == index)
        if not months:
            continue
        mine = {}
        for indicator in numbers[(index, months[0])]:
            values = [numbers[(index, m)][indicator] for m in months]
            mine[indicator] = values[-1] if indicator in STOCKS else sum(values)
        by_unit[code] = mine
    total = {}
    for indicator in next(iter(by_unit.values())):
        total[indicator] = sum(v[indicator] for v in by_unit.values())
    for rate, (num, den) in RATES.items():
        total[rate] = Fraction(total[num], total[den])
        for mine in by_unit.values():
            mine[rate] = Fraction(mine[num], mine[den])
    return by_unit, total


@pytest.fixture(scope="module")
def year_plan(tmp_path_factory):
    example = binh_minh()
    folder = tmp_path_factory.mktemp("binh-minh")
    path, plan, _ = jobs.new_plan(
        unit_code=example["unit_code"],
        unit_name=example["unit_name"],
        year=example["year"],
        out=folder / "plan.xlsx",
        children_csv=example["children_csv"],
        targets_csv=example["targets_csv"],
        round_number=example["round"],
        parent_code=example["parent_code"],
    )
    return path, jobs.usable_plan(path)[0]


def fill(plan, numbers, out: Path, months=range(1, 13), late=frozenset()) -> list[Path]:
    """Forms of each month written into ``out/<month>/`` with what the units typed, dated
    the day before the due date (``late`` (unit, month) pairs: 3 days after)."""
    written = []
    for month in months:
        period = f"2024-{month:02d}"
        for index, form in enumerate(plan_forms(plan, due_date=due_of(month).isoformat(),
                                                catalogue=catalogue(), period=period)):
            if (index, month) not in numbers:
                continue
            mine = numbers[(index, month)]
            rows = tuple(
                r if r.is_rate or r.parts else replace(r, result=mine.get(r.code))
                for r in form.rows
            )
            path = write_form(replace(form, rows=rows), out / period /
                              form_filename(form.meta.unit_code, form.meta.unit_name, period))
            day = due_of(month) + dt.timedelta(days=3 if (index, month) in late else -1)
            moment = dt.datetime.combine(day, dt.time(9)).timestamp()
            os.utime(path, (moment, moment))
            written.append(path)
    return written


def test_a_year_of_monthly_forms_consolidates_in_one_command(year_plan, tmp_path):
    plan_path, plan = year_plan
    units = [c.code for c in plan.children]
    skip = {(1, 4), (4, 11), (4, 12)}  # TDP2 never sent April; TDP5 stopped after October
    numbers = typed(2024, skip=skip)
    fill(plan, numbers, tmp_path / "inbox", late={(2, 3)})
    result = xladdin(
        [
            "consolidate",
            str(tmp_path / "inbox"),
            "--plan",
            str(plan_path),
            "--out",
            str(tmp_path / "summary.xlsx"),
            "--json",
            str(tmp_path / "r.json"),
            "--as-of",
            "2024-12-10",
        ]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    by_unit, total = independent(numbers, units)

    # §5 keys kept, over the year to date
    for key in ("expected", "received", "missing", "duplicates", "totals", "by_unit", "issues"):
        assert key in report
    assert report["received"] == units and report["missing"] == [] and report["duplicates"] == []
    for code, expected in total.items():
        assert report["totals"][code]["result"] == pytest.approx(float(expected)), code
    for unit, mine in by_unit.items():
        for code, expected in mine.items():
            assert report["by_unit"][unit][code] == pytest.approx(float(expected)), (unit, code)
    # a stock is the latest month, never twelve months added up
    assert report["totals"]["CPR_MAUSO"]["result"] < 12 * 380

    # §8: each period, who owes what, cumulative against the annual plan
    assert list(report["periods"]) == [f"2024-{m:02d}" for m in range(1, 13)]
    april = report["periods"]["2024-04"]
    assert april["missing"] == [units[1]] and april["label"] == "Tháng 4/2024"
    assert report["periods"]["2024-03"]["late"] == [units[2]]
    assert report["periods"]["2024-05"]["totals"]["BPTT_BCS"]["result"] == sum(
        numbers[(u, 5)]["BPTT_BCS"] for u in range(6))
    assert "file_time" in report["arrived_from"]
    cumulative = report["cumulative"]
    assert cumulative["BPTT_DCTC"]["annual_plan"] == 60
    assert cumulative["BPTT_DCTC"]["pct"] == pytest.approx(total["BPTT_DCTC"] / 60 * 100, abs=1e-3)
    assert cumulative["CPR"]["result"] == pytest.approx(float(total["CPR"]))
    assert cumulative["PN_30_54"]["pct"] is None  # no annual plan for a denominator
    assert report["as_of"]["owed"]["2024-04"] == [units[1]]
    assert report["as_of"]["owed"]["2024-11"] == [units[4]]
    assert "2024-12" not in report["as_of"]["owed"]  # due 6 January 2025
    assert "Tháng 4/2024 chưa gửi: Tổ dân phố 2" in result.output

    # the workbook: months side by side, the year to date and % of the plan
    book = CalamineWorkbook.from_path(str(tmp_path / "summary.xlsx"))
    rows = book.get_sheet_by_name("Lũy kế").to_python()
    header = rows[3]
    assert header[5:17] == [f"Tháng {m}/2024" for m in range(1, 13)]
    assert header[17:19] == ["Lũy kế", "% kế hoạch năm"]
    line = {r[0]: r for r in rows[4:]}
    assert line["BPTT_BCS"][17] == total["BPTT_BCS"]
    assert (
        line["CPR_TUSO"][17] == total["CPR_TUSO"] and line["CPR_TUSO"][3] == "Số cuối kỳ mới nhất"
    )
    assert line["SL_UTCTC"][18] == pytest.approx(total["SL_UTCTC"] / 180)
    assert book.get_sheet_by_name("Tổng hợp").to_python()[0][0].endswith("LŨY KẾ ĐẾN THÁNG 12/2024")


def bundled_plan():
    """The Bình Minh example's plan, built in memory (no workbook)."""
    from xladdin.engine.model import Meta
    from xladdin.engine.plan_builder import build_plan
    from xladdin.inputs import read_children, read_targets

    example = binh_minh()
    children = read_children(example["children_csv"])
    meta = Meta("plan", "02658", "Phường Bình Minh", year=2024, round=0, created_at="x")
    targets = read_targets(example["targets_csv"], catalogue(), children)
    return build_plan(meta, children, catalogue(), targets, [], [])[0]


def in_memory(plan, numbers, months) -> list[Submission]:
    """The forms of ``months`` as read back, with what each unit typed (``numbers``)."""
    submissions = []
    for month in months:
        forms = plan_forms(plan, due_date=due_of(month).isoformat(), catalogue=catalogue(),
                           period=f"2024-{month:02d}")
        for index, form in enumerate(forms):
            if (index, month) not in numbers:
                continue
            mine = numbers[(index, month)]
            rows = tuple(r if r.is_rate or r.parts else replace(r, result=mine.get(r.code))
                         for r in form.rows)
            name = f"{index}-{month}.xlsx"
            reading = FormReading(name, replace(form, rows=rows), {}, "Báo cáo", ())
            submissions.append(Submission(name, dt.datetime(2024, month, 2), reading))
    return submissions


def test_the_engine_sums_counts_keeps_the_latest_stock_and_divides_rates():
    """Random months missing, in any order of files: the engine equals the independent sums."""
    plan = bundled_plan()
    units = [c.code for c in plan.children]
    for seed in range(5):
        rng = random.Random(seed)
        skip = {(u, m) for u in range(6) for m in range(1, 13) if rng.random() < 0.25}
        numbers = typed(seed, skip=skip)
        submissions = in_memory(plan, numbers, range(1, 13))
        rng.shuffle(submissions)
        summary = consolidate_year(plan, submissions, catalogue())
        by_unit, total = independent(numbers, units)
        for code, expected in total.items():
            assert summary.total_result(code) == expected, (seed, code)
        for unit, mine in by_unit.items():
            for code, expected in mine.items():
                assert summary.results[unit][code] == expected, (seed, unit, code)
        assert not summary.duplicates  # a unit's months are not duplicates of each other


def test_periods_have_vietnamese_names_and_round_0_is_the_whole_year():
    from xladdin.engine.model import Meta

    assert parse_period("2024-03").label() == "Tháng 3/2024"
    assert (
        parse_period("2024-q1").label() == "Quý I/2024"
        and parse_period("2024-Q4").dhis2(2024) == "2024Q4"
    )
    assert (
        parse_period("round-2").label() == "Đợt 2"
        and parse_period("2024-03").dhis2(2024) == "202403"
    )
    assert period_title(Meta("plan", "X", "X", year=2024, round=0)) == "CẢ NĂM 2024"
    assert period_title(Meta("plan", "X", "X", year=2024, round=2)) == "ĐỢT 2 NĂM 2024"
    assert (
        period_title(Meta("form", "X", "X", year=2024, round=0, period="2024-Q1")) == "QUÝ I/2024"
    )
    from xladdin.errors import UsageError

    with pytest.raises(UsageError, match="YYYY-MM"):
        parse_period("2024-13")


def test_forms_of_a_month_carry_their_period_due_date_and_annual_share(year_plan, tmp_path):
    plan_path, plan = year_plan
    result = xladdin(["forms", str(plan_path), "--out", str(tmp_path), "--period", "2024-03",
                                      "--due-date", "2024-04-06"])
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 6 and all(f.name.endswith("_2024-03.xlsx") for f in files)
    book = CalamineWorkbook.from_path(str(files[0]))
    meta = dict((r[0], r[1]) for r in book.get_sheet_by_name("_meta").to_python() if r and r[0])
    assert meta["period"] == "2024-03" and meta["due_date"] == "2024-04-06"
    sheet = book.get_sheet_by_name("Báo cáo").to_python()
    assert "THÁNG 3/2024" in sheet[3][0] and "06/04/2024" in sheet[5][0]
    assert "phần KẾ HOẠCH NĂM" in sheet[6][0]
    shares = {r[0]: r[3] for r in sheet if r and r[0] == "BPTT_DCTC"}
    assert shares["BPTT_DCTC"] == 10  # 60 split 310:275:402:198:356:240 → TDP1 gets 10
    wrong = xladdin(["forms", str(plan_path), "--out", str(tmp_path), "--period", "2023-03"])
    assert wrong.exit_code == 2 and "không thuộc năm 2024" in wrong.output


def test_two_files_of_one_unit_with_the_same_time_are_equal_not_newer(year_plan, tmp_path):
    _, plan = year_plan
    numbers = typed(1, months=[1])
    first = fill(plan, numbers, tmp_path / "a", months=[1])
    changed = dict(numbers)
    changed[(0, 1)] = {**numbers[(0, 1)], "BPTT_DCTC": numbers[(0, 1)]["BPTT_DCTC"] + 1}
    second = fill(plan, changed, tmp_path / "b", months=[1])
    from xladdin.inbox import read_file

    subs = [read_file(p, catalogue()) for p in first + second]
    summary = consolidate_year(plan, subs, catalogue())
    ties = [i for i in summary.issues if i.rule == "duplicate-same-time"]
    assert [i.severity for i in ties if "TDP1" in i.message] == ["error"]
    assert plan.children[0].code not in summary.counted  # nobody can tell which is right
    assert all(i.severity == "warning" for i in ties if "TDP1" not in i.message)
    assert plan.children[1].code in summary.counted


def test_as_of_lists_a_month_nobody_sent(year_plan, tmp_path):
    _, plan = year_plan
    numbers = typed(3, months=[1, 2], skip={(5, 2)})
    subs = []
    from xladdin.inbox import read_file

    subs = [read_file(p, catalogue()) for p in fill(plan, numbers, tmp_path, months=[1, 2])]
    summary = consolidate_year(plan, subs, catalogue())
    units = [c.code for c in plan.children]
    assert owed(summary, dt.date(2024, 4, 7)) == {
        "2024-01": [],
        "2024-02": [units[5]],
        "2024-03": units,
    }


def test_a_date_typed_in_the_form_survives_a_copy(year_plan, tmp_path):
    """TDP1 typed «ngày 05 tháng 4 năm 2024» (on time) and its file was copied on 20 April:
    it is on time; TDP2 typed nothing and its file says 20 April: late, by the file."""
    import openpyxl

    _, plan = year_plan
    numbers = typed(5, months=[3])
    paths = fill(plan, numbers, tmp_path, months=[3])
    first = paths[0]
    book = openpyxl.load_workbook(first)
    sheet = book["Báo cáo"]
    line = next(c for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("........, ngày"))
    assert not line.protection.locked  # the unit can type it
    line.value = "Bình Minh, ngày 05 tháng 4 năm 2024"
    book.save(first)
    copied = dt.datetime(2024, 4, 20, 9).timestamp()
    for path in paths[:2]:
        os.utime(path, (copied, copied))
    from xladdin.inbox import read_file

    summary = consolidate_year(plan, [read_file(p, catalogue()) for p in paths], catalogue())
    units = [c.code for c in plan.children]
    assert summary.late == [units[1]]
    report = summary.report()
    assert report["periods"]["2024-03"]["late"] == [units[1]]
    assert report["arrived_from"].startswith("typed_date, file_time")
    assert [u.arrived_from for u in summary.units[:2]] == ["typed_date", "file_time"]
    from xladdin.writer.summary import write_summary

    book = CalamineWorkbook.from_path(str(write_summary(summary, tmp_path / "s.xlsx")))
    sources = book.get_sheet_by_name("Nguồn số liệu").to_python()
    assert any("05/04/2024 (ngày ghi trong biểu mẫu)" in str(v) for r in sources for v in r)


@pytest.mark.parametrize(("text", "shown"), [
    ("2024-04-06", "06/04/2024"), ("2024-04-06T17:00:00+07:00", "06/04/2024"),
    (None, None), ("", None), ("2024-13-45", None), ("ngày 6/4", None)])
def test_a_date_as_meta_keeps_it_is_shown_dd_mm_yyyy_or_not_at_all(text, shown):
    """The one way forms and summaries show a _meta date (a garbled one was sliced into
    «45/13/2024» before)."""
    assert shown_date(text) == shown
