"""The whole cycle on the bundled seed examples, for ``xladdin demo`` and ``make demo``:
plan → forms → sample results typed in → consolidate → summary → next-round plan."""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import jobs
from .bundled import catalogue, examples
from .engine.forms import form_filename, plan_forms
from .writer.form import write_form

FILLED_EXAMPLE = "hai-phong-2023"  # the example whose forms come back filled in
SAMPLE_SEED = 2023


@dataclass
class DemoStep:
    what: str  # Vietnamese, for the officer
    paths: list[Path] = field(default_factory=list)


def run_demo(out: Path) -> list[DemoStep]:
    steps: list[DemoStep] = []
    for example in examples():
        folder = out / example["folder"]
        plan_path, _plan, _warnings = jobs.new_plan(
            unit_code=example["unit_code"],
            unit_name=example["unit_name"],
            year=example["year"],
            out=folder / "plan.xlsx",
            children_csv=example["children_csv"],
            targets_csv=example["targets_csv"],
            round_number=example["round"],
            parent_code=example.get("parent_code", ""),
            due_date=example.get("due_date"),
            notes=example.get("notes", []),
        )
        steps.append(
            DemoStep(
                f"Bảng kế hoạch {example['unit_name']} năm {example['year']}, đợt "
                f"{example['round']}",
                [plan_path],
            )
        )
        forms, _ = jobs.make_forms(plan_path, folder / "forms")
        steps.append(DemoStep(f"{len(forms)} biểu mẫu báo cáo cho các đơn vị cấp dưới", forms))
        if example["folder"] == FILLED_EXAMPLE:
            steps += _round_trip(plan_path, folder, example.get("due_date"))
    return steps


def _round_trip(plan_path: Path, folder: Path, due_date: str | None) -> list[DemoStep]:
    filled = fill_sample_results(plan_path, folder / "forms", due_date)
    summary_path, report_path = folder / "summary.xlsx", folder / "summary.json"
    summary = jobs.consolidate(folder / "forms", plan_path, summary_path, report_path)
    next_path = folder / f"plan-dot-{summary.meta.round + 1}.xlsx"
    jobs.next_round(plan_path, summary_path, next_path)
    return [
        DemoStep(
            f"Kết quả mẫu đã nhập vào {len(filled)} biểu mẫu (số liệu minh họa; "
            f"{sum(d > _due(due_date) for d in filled.values())} đơn vị gửi muộn)",
            list(filled),
        ),
        DemoStep(
            f"Bảng tổng hợp: đã nhận {len(summary.received)}/{len(summary.expected)}, "
            f"muộn {len(summary.late)}",
            [summary_path, report_path],
        ),
        DemoStep(
            f"Bảng kế hoạch đợt {summary.meta.round + 1} (kết quả đợt {summary.meta.round} đã "
            "cộng vào "
            "Đã thực hiện)",
            [next_path],
        ),
    ]


def _due(due_date: str | None) -> dt.date:
    return dt.date.fromisoformat(due_date) if due_date else dt.date.max


def fill_sample_results(
    plan_path: Path, forms_dir: Path, due_date: str | None
) -> dict[Path, dt.date]:
    """What the districts do: type a result into each form and send it back (sample data:
    60–125 % of each target; the files dated around the due date, two of them late)."""
    plan, _ = jobs.usable_plan(plan_path)
    rng = random.Random(SAMPLE_SEED)
    due = _due(due_date) if due_date else dt.date.today()
    sent: dict[Path, dt.date] = {}
    forms = list(plan_forms(plan, due_date=due_date, catalogue=catalogue()))
    late = {len(forms) - 1, len(forms) // 2}
    for index, form in enumerate(forms):
        rows = tuple(
            row if row.is_rate or row.parts or row.round_target is None
            else replace(row, result=round(row.round_target * rng.uniform(0.6, 1.25)))
            for row in form.rows
        )
        path = write_form(replace(form, rows=rows),
                          forms_dir / form_filename(form.meta.unit_code, form.meta.unit_name))
        day = (
            due + dt.timedelta(days=rng.randint(1, 2))
            if index in late
            else due - dt.timedelta(days=rng.randint(0, 5))
        )
        moment = dt.datetime.combine(day, dt.time(8 + index % 9, 5 * index % 60)).timestamp()
        os.utime(path, (moment, moment))
        sent[path] = day
    return sent
