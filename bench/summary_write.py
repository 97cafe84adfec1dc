"""Writing the summary workbook of N units, built from the engine (no form is read).

Issue 12: the summary must cost little next to reading N forms.  ``python -m
bench.summary_write 1000 10000`` prints the seconds and the file's size for each N.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from xladdin.bundled import catalogue
from xladdin.contract import FORM_SHEET
from xladdin.engine.consolidate import Submission, Summary, consolidate
from xladdin.engine.forms import plan_forms
from xladdin.engine.model import FormReading
from xladdin.writer.summary import write_summary

from .write_forms import big_plan


def engine_summary(units: int) -> Summary:
    """A plan of ``units`` children, every seventh never sends; the others' results typed."""
    plan, cat = big_plan(units), catalogue()
    submissions = []
    for i, form in enumerate(plan_forms(plan, due_date="2026-05-15", catalogue=cat)):
        if i % 7 == 3:
            continue
        # each unit its own numbers (units with the very same numbers are a warning each)
        rows = tuple(r if r.parts or r.round_target is None
                     else replace(r, result=(r.round_target * (i % 6)) // 4 + 100 * i + k)
                     for k, r in enumerate(form.rows))
        path = f"/inbox/{form.meta.unit_code}.xlsx"
        reading = FormReading(path, replace(form, rows=rows), {}, FORM_SHEET, ())
        submissions.append(Submission(path, dt.datetime(2026, 5, 10 + i % 9), reading))
    return consolidate(plan, submissions, cat)


def run(units: int) -> dict[str, float]:
    summary = engine_summary(units)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "summary.xlsx"
        start, cpu = time.perf_counter(), time.process_time()
        write_summary(summary, path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = path.stat().st_size
    # CPU seconds too: on a shared machine the wall clock counts the neighbours' work
    return {"units": units, "write_seconds": seconds, "cpu_seconds": cpu, "mb": size / 1e6}


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [1000, 10_000]:
        result = run(n)
        print(f"{n:>6} units: summary written in {result['write_seconds']:.2f} s "
              f"({result['cpu_seconds']:.2f} s CPU), {result['mb']:.1f} MB", flush=True)
