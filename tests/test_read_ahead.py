"""consolidate reads the forms on worker processes while it reads the plan (jobs/
consolidation._forms_ahead): the same report as reading them after the plan, one by one;
a plan that cannot be read stops the job at once, with the plan's own error."""

from __future__ import annotations

import json
import time

import pytest
from xladdin.errors import WorkbookError
from xladdin.jobs import consolidate
from xladdin.parallel import PARALLEL_FROM, Ahead

import hostile


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("ahead")
    plan_path, plan = hostile.make_plan(root, PARALLEL_FROM + 10)
    forms = hostile.write_filled_forms(plan, root / "inbox")
    hostile.write(forms["U07"], hostile.with_error_value(forms["U07"].read_bytes(), "#N/A"))
    return root, plan_path


def test_forms_read_ahead_of_the_plan_give_the_same_report(inbox, tmp_path, monkeypatch):
    root, plan_path = inbox
    kept = []
    results = Ahead.results
    monkeypatch.setattr(Ahead, "results", lambda self, step: kept.append(1) or results(self, step))
    reports = []
    for workers in ("1", "2"):  # one process: after the plan; two: ahead of it
        monkeypatch.setenv("XLADDIN_WORKERS", workers)
        out = tmp_path / f"summary{workers}.xlsx"
        consolidate(root / "inbox", plan_path, out, out.with_suffix(".json"))
        reports.append(json.loads(out.with_suffix(".json").read_text(encoding="utf-8")))
    assert kept == [1]  # the second run kept the forms it read ahead of the plan
    assert reports[0] == reports[1]
    assert len(reports[1]["counted"]) == PARALLEL_FROM + 9  # U07's #N/A is an error


def test_a_plan_that_cannot_be_read_stops_the_forms_read_ahead(inbox, tmp_path, monkeypatch):
    root, _ = inbox
    monkeypatch.setenv("XLADDIN_WORKERS", "2")
    broken = hostile.write(tmp_path / "plan.xlsx", b"PK\x03\x04 not a plan")
    start = time.perf_counter()
    with pytest.raises(WorkbookError) as caught:
        consolidate(root / "inbox", broken, tmp_path / "s.xlsx")
    assert caught.value.rule == "corrupt" and not (tmp_path / "s.xlsx").exists()
    assert time.perf_counter() - start < 60  # stopped, not waiting for every form
