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
                f"Bảng kế hoạch {example['unit_name']} năm {example['year']}, "
                + (f"đợt {example['round']}" if example["round"] else "cả năm"),
                [plan_path],
            )
        )
        if example.get("period_kind") == "month":
            steps += _months(plan_path, folder, example)
            continue
        forms, _ = jobs.make_forms(
            plan_path, folder / "forms", replace_filled=True
        )  # the demo's own
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


def _months(plan_path: Path, folder: Path, example: dict) -> list[DemoStep]:
    """A ward that reports every month (seed 003): the forms of the first months, sent
    back filled into one inbox (a folder per month), consolidated in one go: each month,
    the year to date and % of the annual plan (contract §8)."""
    plan, _ = jobs.usable_plan(plan_path)
    year, day = example["year"], example.get("due_day", 6)
    rng = random.Random(SAMPLE_SEED)
    inbox = folder / "hop-thu"
    sent: list[Path] = []
    for month in range(1, example.get("demo_months", 3) + 1):
        period = f"{year}-{month:02d}"
        due = dt.date(year + month // 12, month % 12 + 1, day)
        for index, form in enumerate(plan_forms(plan, due_date=due.isoformat(),
                                                catalogue=catalogue(), period=period)):
            rows = tuple(replace(row, result=_sample(row, index, month, rng)) for row in form.rows)
            path = write_form(replace(form, rows=rows), inbox / period / form_filename(
                form.meta.unit_code, form.meta.unit_name, period))
            moment = dt.datetime.combine(due - dt.timedelta(days=rng.randint(-1, 4)),
                                         dt.time(8 + index % 9)).timestamp()
            os.utime(path, (moment, moment))
            sent.append(path)
    summary_path, report_path = folder / "summary.xlsx", folder / "summary.json"
    summary = jobs.consolidate(inbox, plan_path, summary_path, report_path)
    return [
        DemoStep(f"{len(sent)} biểu mẫu tháng đã gửi về (số liệu minh họa) trong {inbox}", sent),
        DemoStep(
            f"Bảng tổng hợp năm {year}: {len(summary.periods)} tháng, lũy kế và % kế hoạch "
            f"năm (trang «Lũy kế»); muộn {len(summary.late)} đơn vị",
            [summary_path, report_path],
        ),
    ]


def _sample(row, index: int, month: int, rng: random.Random):
    """A month's sample number: events around a twelfth of the annual share; levels
    (stocks: women using a method…) that drift slowly from month to month."""
    if row.is_rate or row.parts:
        return row.result
    if row.is_stock:
        base = {"CPR_MAUSO": 420, "CPR_TUSO": 300, "PN_30_54": 260, "PN_TREN_40": 210}.get(
            row.code, 100
        )
        return base + 9 * index + month
    share = row.round_target or 0
    return max(0, round(share / 12 * rng.uniform(0.5, 1.6)))


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
