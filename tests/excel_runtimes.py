"""What the tests of the Excel runtimes share (test_excel_lite, _serve, _desktop).

The published Phường 2 plan and the command line run as a user runs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from xladdin import jobs
from xladdin.bundled import examples

FUNCTIONS = ["CHECK_SPLIT", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET"]


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "xladdin", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def published_plan(tmp_path_factory) -> Path:
    """The published Phường 2 plan, as `xladdin new-plan` writes it (each test module's
    ``plan`` fixture)."""
    example = next(e for e in examples() if e["folder"].startswith("phuong-2"))
    path, _plan, _warnings = jobs.new_plan(
        unit_code=example["unit_code"], unit_name=example["unit_name"], year=example["year"],
        out=tmp_path_factory.mktemp("plan") / "plan.xlsx", children_csv=example["children_csv"],
        targets_csv=example["targets_csv"], round_number=example["round"],
        parent_code=example.get("parent_code", ""))
    return path
