"""The jobs an officer asks for, one function each, shared by the CLI and the buttons.

Each job reads its inputs (never modifying them), calls the engine and writes its
outputs atomically; problems come back as issues or as :mod:`xladdin.errors`.  One
module per job; this package is the one place callers import them from.
"""

from __future__ import annotations

from .consolidation import consolidate, plan_regions, regions_report
from .forms import blank_target_issues, make_forms, refuse_filled
from .planning import new_plan
from .reading import carried_catalogue, read_form_file, read_plan_file, usable_plan
from .rounds import next_round
from .validation import Validation, validate_file

__all__ = [
    "Validation",
    "blank_target_issues",
    "carried_catalogue",
    "consolidate",
    "make_forms",
    "new_plan",
    "next_round",
    "plan_regions",
    "read_form_file",
    "read_plan_file",
    "refuse_filled",
    "regions_report",
    "usable_plan",
    "validate_file",
]
