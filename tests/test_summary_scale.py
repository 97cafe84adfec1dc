"""A summary of many units stays readable: a distribution instead of a bar per unit,
provenance on «Nguồn số liệu» instead of a comment per unit; numbers proven by LibreOffice."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from fractions import Fraction

import pytest
from python_calamine import CalamineWorkbook
from xladdin import jobs
from xladdin.bundled import catalogue
from xladdin.engine.forms import form_filename, plan_forms
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.plan import pct_done
from xladdin.engine.units import Unit
from xladdin.writer.batch import write_forms
from xladdin.writer.plan import write_plan
from xladdin.writer.summary import write_summary
from xladdin.writer.summary_progress import BANDS, MANY_UNITS

from libreoffice import recalculate


def big_plan(children: int) -> Plan:
    cat = catalogue()
    units = tuple(Unit(f"{10000 + i:05d}", f"Xã số {i + 1}", "31", weight=1000 + (i * 37) % 900)
                  for i in range(children))
    rows = tuple(
        PlanRow(
            code,
            cat.get(code).name,
            cat.get(code).unit,
            50_000,
            9000,
            None,
            round_share=Fraction(1, 2),
        )
        for code in ("BPTT_DCTC", "BPTT_CAY", "KHAM_PK")
    )
    return Plan(
        Meta("plan", "31", "Thành phố Hải Phòng", year=2026, round=1, created_at="x"), units, rows
    )


pytestmark = pytest.mark.libreoffice


def test_many_units_get_a_distribution_and_a_provenance_sheet(tmp_path):
    units = MANY_UNITS + 15
    plan = big_plan(units)
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    jobs_ = []
    for i, form in enumerate(plan_forms(plan, due_date="2026-05-15", catalogue=catalogue())):
        if i % 7 == 3:
            continue  # a few units never send a form
        rows = tuple(r if r.parts or r.round_target is None
                     else replace(r, result=(r.round_target * (i % 6)) // 4) for r in form.rows)
        path = tmp_path / "inbox" / form_filename(form.meta.unit_code, form.meta.unit_name)
        jobs_.append((replace(form, rows=rows), path))
    write_forms(jobs_)
    summary = jobs.consolidate(tmp_path / "inbox", plan_path, tmp_path / "summary.xlsx")
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as book:
        assert not [n for n in book.namelist() if "comments" in n]  # no comment per unit
    poisoned = write_summary(summary, tmp_path / "poisoned.xlsx", cache=False)
    [recalculated] = recalculate([poisoned], tmp_path / "out")
    book = CalamineWorkbook.from_path(str(recalculated))
    progress = book.get_sheet_by_name("Tiến độ").to_python(skip_empty_area=False)
    # page 1: the distribution, each indicator's count above its own column of the table
    top = next(i for i, row in enumerate(progress) if row[0] == "Mã đơn vị")
    header = progress[top]
    first_indicator = next(i for i, h in enumerate(header) if str(h).startswith("% đạt:"))
    dist = next(i for i, row in enumerate(progress) if row[1] == "% đạt")
    assert progress[dist - 1][1] == "Phân bố % đạt (số đơn vị)" and dist < top
    assert progress[dist][first_indicator] == "BPTT_DCTC"
    ratios = []
    for unit in summary.units:
        value = (
            summary.results.get(unit.code, {}).get("BPTT_DCTC")
            if unit.code in summary.counted
            else None
        )
        planned = summary.targets.get(unit.code, {}).get("BPTT_DCTC")
        ratios.append(pct_done(value, planned) if value is not None and planned else None)
    shown = {progress[dist + 1 + k][1]: progress[dist + 1 + k][first_indicator]
             for k in range(len(BANDS))}
    assert sum(shown.values()) == units
    assert shown["Chưa có số liệu"] == sum(1 for x in ratios if x is None) > 0
    assert shown["Từ 100% trở lên"] == sum(1 for x in ratios if x is not None and x >= 1) > 0
    assert shown["Dưới 25%"] == sum(1 for x in ratios if x is not None and x < 0.25) > 0
    assert first_indicator == 3
    sources = book.get_sheet_by_name("Nguồn số liệu").to_python()
    assert sum(1 for row in sources if str(row[3]).endswith(".xlsx")) == len(summary.counted)
