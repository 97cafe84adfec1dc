"""The native formulas of the form and the summary equal the engine after LibreOffice
recalculates them (written with poisoned caches: every formula's stored result is 0)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from python_calamine import CalamineWorkbook
from xladdin.bundled import catalogue
from xladdin.engine.consolidate import Submission, consolidate
from xladdin.engine.forms import plan_forms
from xladdin.engine.model import FormReading, Meta, Plan, PlanRow
from xladdin.engine.plan import pct_done
from xladdin.engine.units import Unit
from xladdin.writer.form import write_form
from xladdin.writer.summary import write_summary

from libreoffice import recalculate

pytestmark = pytest.mark.libreoffice


def the_plan() -> Plan:
    children = tuple(
        Unit(f"X{i}", name, "D", weight=w)
        for i, (name, w) in enumerate(
            [("Bình Minh", 30), ("Phú Đình", 50), ("Chợ Chu", 20), ("Kim Phượng", 0)]
        )
    )
    meta = Meta(
        "plan", "D", "Huyện Định Hóa", year=2024, round=1, created_at="x", due_date="2024-06-30"
    )
    return Plan(
        meta,
        children,
        (
            PlanRow("BPTT_DCTC", "DCTC", "người", 100, 10, 41),
            PlanRow("BPTT_CAY", "Cấy", "người", 50, 0, 17),
            PlanRow("BPTT_TRIETSAN", "Triệt sản", "người", 5, 0, 3),
            PlanRow("BPTT_TIEM", "Tiêm", "người", 40, 0, 9),
            PlanRow(
                "BPTT_LAMSANG",
                "Lâm sàng",
                "người",
                parts=("BPTT_DCTC", "BPTT_CAY", "BPTT_TRIETSAN", "BPTT_TIEM"),
            ),
            PlanRow("CPR", "CPR", "%", Fraction(65, 100), None, None, kind="rate"),
        ),
    )


RESULTS = {  # what each unit typed; X2 did not answer the CPR rows
    "X0": {
        "BPTT_DCTC": 13,
        "BPTT_CAY": 4,
        "BPTT_TRIETSAN": 1,
        "BPTT_TIEM": 0,
        "CPR_TUSO": 640,
        "CPR_MAUSO": 1000,
    },
    "X1": {
        "BPTT_DCTC": 22,
        "BPTT_CAY": 9,
        "BPTT_TRIETSAN": 0,
        "BPTT_TIEM": 5,
        "CPR_TUSO": 1380,
        "CPR_MAUSO": 2000,
    },
    "X2": {"BPTT_DCTC": 9, "BPTT_CAY": 3, "BPTT_TRIETSAN": 2, "BPTT_TIEM": 2},
}


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recalc-forms")
    plan = the_plan()
    forms = {
        f.meta.unit_code: f for f in plan_forms(plan, due_date="2024-06-30", catalogue=catalogue())
    }
    filled = {
        u: replace(
            forms[u], rows=tuple(replace(r, result=RESULTS[u].get(r.code)) for r in forms[u].rows)
        )
        for u in RESULTS
    }
    paths = [write_form(form, folder / f"{u}.xlsx", cache=False) for u, form in filled.items()]
    readings = [Submission(str(p), __import__("datetime").datetime(2024, 6, 29), FormReading(
        str(p), filled[u], {}, "Báo cáo", ())) for u, p in zip(filled, paths)]
    summary = consolidate(plan, readings, catalogue())
    summary_path = write_summary(summary, folder / "summary.xlsx", cache=False)
    recalculated = recalculate(paths + [summary_path], folder / "out")
    return plan, filled, summary, dict(zip([*filled, "summary"], recalculated))


def sheet_rows(path, name):
    return (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(name)
        .to_python(skip_empty_area=False)
    )


def test_form_pct_totals_and_rates_equal_the_engine(workbooks):
    _plan, filled, _summary, files = workbooks
    for unit, form in filled.items():
        rows = {r[0]: r for r in sheet_rows(files[unit], "Báo cáo")[8:8 + len(form.rows)]}
        values = {r.code: r.result for r in form.rows}
        for r in form.rows:
            shown = rows[r.code]
            if r.is_rate:
                num, den = (values[p] for p in r.parts)
                expected = "" if not den else pytest.approx(num / den)
                assert shown[4] == expected, (unit, r.code)
                assert shown[5] == ("" if not den else "Đạt" if num / den >= 0.65 else "Chưa đạt")
            elif r.parts:
                assert shown[4] == sum(values[p] for p in r.parts)
            else:
                ratio = pct_done(r.result, r.round_target) if r.round_target else None
                assert shown[5] == ("" if ratio is None else pytest.approx(float(ratio))), (
                    unit,
                    r.code,
                )


def test_summary_totals_pct_and_rates_equal_the_engine(workbooks):
    _plan, _filled, summary, files = workbooks
    rows = {r[0]: r for r in sheet_rows(files["summary"], "Tổng hợp")[5:5 + len(summary.rows)]}
    for r in summary.rows:
        shown = rows[r.code]
        result, target = summary.total_result(r.code), summary.total_target(r.code)
        if r.is_rate:
            assert shown[4] == pytest.approx(
                float(result)
            )  # Σ users / Σ women, not a mean of rates
            assert float(result) == pytest.approx((640 + 1380) / 3000)
            continue
        blank = lambda value: "" if value is None else value  # noqa: E731
        assert (shown[3], shown[4]) == (blank(target), blank(result)), r.code
        ratio = pct_done(result, target) if target else None
        assert shown[5] == ("" if ratio is None else pytest.approx(float(ratio)))
        units = [u.code for u in summary.units]
        assert shown[6 : 6 + len(units)] == [
            blank(summary.results[u].get(r.code)) if u in summary.counted else "" for u in units
        ]


def test_summary_progress_sheet_equals_each_units_pct(workbooks):
    _plan, _filled, summary, files = workbooks
    rows = sheet_rows(files["summary"], "Tiến độ")
    header = rows[2]
    assert header[:3] == ["Mã đơn vị", "Tên đơn vị", "Tình trạng"]
    column = header.index("% đạt: Lâm sàng")  # the indicator's name, never its code
    for line in rows[3:3 + len(summary.units)]:
        unit = line[0]
        if unit not in summary.counted:
            assert line[column] == "" and line[2] == "Chưa gửi"
            continue
        ratio = pct_done(
            summary.results[unit]["BPTT_LAMSANG"], summary.targets[unit]["BPTT_LAMSANG"]
        )
        assert line[column] == pytest.approx(float(ratio))
