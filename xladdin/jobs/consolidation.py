"""The consolidate job: every form of an inbox into the summary workbook and JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import admin_units
from .. import contract as c
from ..bundled import catalogue as bundled_catalogue
from ..engine.catalogue import Catalogue
from ..engine.consolidate import Submission
from ..engine.model import Plan
from ..errors import UsageError, XladdinError
from ..outputs import WORKBOOK_SUFFIXES, check_suffix, write_json
from ..silent import Silent
from ..writer.save import refuse_clobbering
from .reading import plan_and_catalogue, usable

if TYPE_CHECKING:
    from ..engine.regions import RegionGroup
    from ..engine.summary import RegionReport, Summary
    from ..parallel import Ahead


def consolidate(
    inbox: Path,
    plan_path: Path,
    out: Path,
    json_path: Path | None = None,
    *,
    catalogue: Catalogue | None = None,
    progress: Silent | None = None,
    as_of=None,
    by_region: bool = False,
    allow_partial: bool = False,
):
    """Read every form under ``inbox`` (a folder, or one workbook of pasted sheets), write
    the summary workbook and, optionally, the JSON report; inputs are never modified.
    Forms of several periods of the plan's year are consolidated each on their own and
    together (contract §8); ``as_of`` (a date) adds who owes which period's form.
    ``allow_partial``: a unit's report-up marked partial is counted (warning), not left
    out (error)."""
    from ..engine.year import consolidate_year as consolidate_forms
    from ..engine.year import owed
    from ..inbox import inbox_files, read_book, read_folder
    from ..writer.summary import write_summary

    progress = progress or Silent()
    outputs = [out] + ([json_path] if json_path else [])
    base = catalogue or bundled_catalogue()
    ahead = _forms_ahead(inbox, plan_path, base, outputs)
    try:
        catalogue, plan_reading = plan_and_catalogue(plan_path, base)
        check_suffix(out, WORKBOOK_SUFFIXES, "bảng tổng hợp")
        if json_path:
            check_suffix(json_path, (".json",), "báo cáo JSON")
        refuse_clobbering([plan_path, inbox], outputs)
        if inbox.is_dir():  # no output may replace a form of the inbox either
            refuse_clobbering(inbox_files(inbox), outputs)
        plan, plan_problems = usable(plan_reading, plan_path)
    except BaseException:
        if ahead is not None:
            ahead.stop()
        raise
    if inbox.is_file():
        submissions = read_book(inbox, plan, catalogue)
    elif inbox.is_dir():
        skip = {p.resolve() for p in [plan_path, *outputs]}
        progress.phase("Đang đọc biểu mẫu", len(inbox_files(inbox)))
        if ahead is not None and catalogue is base:  # read with the very catalogue: keep
            submissions = ahead.results(progress.step)
        else:
            if ahead is not None:
                ahead.stop()
            submissions = list(read_folder(inbox, catalogue, skip=skip, progress=progress))
    else:
        raise UsageError(f"Không có thư mục hay tệp {inbox}.")
    progress.phase("Đang ghi bảng tổng hợp")
    summary = consolidate_forms(plan, submissions, catalogue, allow_partial=allow_partial)
    groups = plan_regions(plan) if by_region else None
    write_summary(summary, out, catalogue=catalogue, regions=groups)
    if json_path:
        report = summary.report()
        if as_of is not None:
            report["as_of"] = {"date": as_of.isoformat(), "owed": owed(summary, as_of)}
        if groups:
            report["regions"] = regions_report(summary, groups)
        write_json(report, json_path)
    return summary


def _forms_ahead(inbox: Path, plan_path: Path, base: Catalogue, outputs: list[Path]
                 ) -> Ahead[Submission] | None:
    """The forms read by the worker processes while this process reads the plan (a
    10,000-child plan is ~40 MB of XML: seconds on one core).  Only when the plan carries
    no catalogue of its own, so that the forms are read with the catalogue the plan gives
    (the job checks it is the very same before it keeps them), and when worker processes
    read them (a form read in this process is read the ordinary way, after the plan)."""
    from ..inbox import inbox_files, read_folder
    from ..parallel import Ahead, pooled
    from ..reader.carried import carries_catalogue

    try:
        if not inbox.is_dir() or not pooled(len(inbox_files(inbox))):
            return None
        if carries_catalogue(plan_path):
            return None
        skip = {p.resolve() for p in [plan_path, *outputs]}
    except (OSError, RuntimeError, XladdinError):
        return None  # the ordinary way says what is wrong, in its own order
    return Ahead(lambda stop: read_folder(inbox, base, skip=skip, stop=stop))


def plan_regions(plan: Plan) -> list:
    """A national plan's provinces grouped by socio-economic region: the 63 provinces'
    regions before the reform, the 34's after it (by the date of the plan's list)."""
    from ..engine.regions import group_by_region

    as_of = plan.meta.extra.get(c.KEY_UNITS_AS_OF)
    day = dt.date.fromisoformat(as_of) if as_of else None
    codes = [child.code for child in plan.children]
    regions = admin_units.regions_for(codes, plan.meta.year, day)
    return group_by_region(codes, {code: (r.code, r.name) for code, r in regions.items()})


def regions_report(summary: Summary, groups: Sequence[RegionGroup]) -> dict[str, RegionReport]:
    """JSON: ``{region name: {"units": [codes], "totals": {indicator: result}}}``."""
    from ..engine.regions import region_totals
    from ..engine.summary import json_number

    return {group.name: {"units": list(group.units),
                         "totals": {code: json_number(value)
                                    for code, value in region_totals(summary, group).items()}}
            for group in groups}
