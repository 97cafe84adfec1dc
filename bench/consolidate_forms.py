"""Consolidating filled forms: a province reads hundreds, the nation about 10,000.

300 filled forms of a plan with the Hải Phòng indicators are consolidated as
`xladdin consolidate` does (read one at a time with python-calamine, summary and JSON
written).  Reported with the time to write the same forms, so the ratio reads as
"reading costs N× writing".
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from xladdin import jobs
from xladdin.bundled import catalogue
from xladdin.engine.forms import form_filename, plan_forms
from xladdin.writer.batch import write_forms
from xladdin.writer.plan import write_plan

from .write_forms import big_plan


def run(forms: int = 300) -> dict[str, float]:
    plan = big_plan(forms)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        plan_path = write_plan(plan, out / "plan.xlsx")
        filled = []
        for form in plan_forms(plan, due_date="2026-05-15", catalogue=catalogue()):
            rows = tuple(
                r if r.parts or r.round_target is None else replace(r, result=r.round_target - 1)
                for r in form.rows
            )
            filled.append((replace(form, rows=rows),
                           out / "inbox" / form_filename(form.meta.unit_code, form.meta.unit_name)))
        start = time.perf_counter()
        write_forms(filled)
        write_seconds = time.perf_counter() - start
        start = time.perf_counter()
        summary = jobs.consolidate(
            out / "inbox", plan_path, out / "summary.xlsx", out / "summary.json"
        )
        read_seconds = time.perf_counter() - start
        assert len(summary.counted) == forms
    return {"forms": forms, "consolidate_seconds": read_seconds, "write_seconds": write_seconds,
            "ratio": read_seconds / write_seconds}


def report(result: dict[str, float]) -> str:
    return (
        f"consolidate {result['forms']:.0f} forms: {result['consolidate_seconds']:.2f} s "
        f"({result['consolidate_seconds'] / result['forms'] * 1000:.1f} ms/form, summary "
        "included); "
        f"writing them took {result['write_seconds']:.2f} s; reading costs {result['ratio']:.1f}× "
        "writing"
    )
