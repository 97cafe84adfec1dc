"""The whole cycle on the bundled seed examples, for ``xladdin demo`` and ``make demo``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import jobs
from .bundled import examples


@dataclass
class DemoStep:
    what: str  # Vietnamese, for the officer
    paths: list[Path] = field(default_factory=list)


def run_demo(out: Path) -> list[DemoStep]:
    steps: list[DemoStep] = []
    for example in examples():
        folder = out / example["folder"]
        plan_path, plan, warnings = jobs.new_plan(
            unit_code=example["unit_code"], unit_name=example["unit_name"], year=example["year"],
            out=folder / "plan.xlsx", children_csv=example["children_csv"], targets_csv=example["targets_csv"],
            round_number=example["round"], parent_code=example.get("parent_code", ""),
            due_date=example.get("due_date"), notes=example.get("notes", []),
        )
        steps.append(DemoStep(f"Bảng kế hoạch {example['unit_name']} năm {example['year']}, đợt {example['round']}",
                              [plan_path]))
        forms, _ = jobs.make_forms(plan_path, folder / "forms")
        steps.append(DemoStep(f"{len(forms)} biểu mẫu báo cáo cho các đơn vị cấp dưới", forms))
    return steps
