"""Writing report forms: 1,000 forms must take under 10 s on the project's machine.

A plan with 1,000 children (a province's communes, say) and the Hải Phòng indicators;
one form per child, as `xladdin forms` writes them (on every core of the machine).  Reported
with the cost of one plan so the ratio says how many forms one plan costs.
"""

from __future__ import annotations

import tempfile
import time
from fractions import Fraction
from pathlib import Path

from xladdin.bundled import catalogue
from xladdin.contract import PLAN
from xladdin.engine.forms import form_filename, plan_forms
from xladdin.engine.model import Meta, Plan, PlanRow
from xladdin.engine.units import Unit
from xladdin.writer.batch import write_forms
from xladdin.writer.plan import write_plan

CODES = [
    "BPTT_DCTC",
    "BPTT_CAY",
    "BPTT_TIEM",
    "BPTT_TRIETSAN",
    "BPTT_LAMSANG",
    "TTXH_BCS",
    "TTXH_VIENUONG",
]


def big_plan(children: int) -> Plan:
    cat = catalogue()
    units = tuple(Unit(f"{10000 + i:05d}", f"Xã số {i + 1}", "31", weight=1000 + (i * 37) % 900)
                  for i in range(children))
    rows = tuple(
        PlanRow(code, cat.get(code).name, cat.get(code).unit, 50_000 + 1000 * n, 9000, None,
                round_share=Fraction(1, 2), parts=cat.get(code).parts)
        for n, code in enumerate(CODES)
    )
    return Plan(
        Meta(PLAN, "31", "Thành phố Hải Phòng", year=2026, round=1, created_at="x"), units, rows
    )


def run(forms: int = 1000) -> dict[str, float]:
    plan = big_plan(forms)
    cat = catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        write_plan(plan, out / "plan.xlsx")
        plan_seconds = time.perf_counter() - start
        start = time.perf_counter()
        write_forms([(form, out / form_filename(form.meta.unit_code, form.meta.unit_name))
                     for form in plan_forms(plan, due_date="2026-05-15", catalogue=cat)])
        forms_seconds = time.perf_counter() - start
    return {"forms": forms, "forms_seconds": forms_seconds, "plan_seconds": plan_seconds,
            "forms_per_plan": forms_seconds / plan_seconds}


def report(result: dict[str, float]) -> str:
    verdict = "OK" if result["forms_seconds"] < 10 else "TOO SLOW"
    return (
        f"write {result['forms']:.0f} forms: {result['forms_seconds']:.2f} s "
        f"({result['forms_seconds'] / result['forms'] * 1000:.1f} ms/form; target < 10 s: "
        f"{verdict}); "
        f"one plan with {result['forms']:.0f} children: {result['plan_seconds']:.2f} s; "
        f"all forms cost {result['forms_per_plan']:.1f}× that plan"
    )
