"""National scale: 1,000 and 10,000 forms in one run, plans of 1,000 and 10,000 children.

`make bench` runs this and writes a Markdown table to bench/results/ (quoted in README).
Every reader's totals are checked against what was typed into the forms, so a fast
wrong answer cannot pass; the plan's recalculated shares are checked against the engine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from xladdin.bundled import catalogue
from xladdin.contract import PLAN_SHEET
from xladdin.engine.apportion import largest_remainder
from xladdin.engine.forms import form_filename, plan_forms
from xladdin.engine.plan_values import resolve_plan
from xladdin.writer.batch import write_forms
from xladdin.writer.plan import write_plan

from .write_forms import big_plan

SIZES = (1000, 10_000)
READERS = ("naive", "openpyxl", "calamine", "floor")
RESULTS = Path(__file__).parent / "results"
TARGETS = {"consolidate_10k_s": 10, "vs_naive": 20, "vs_floor": 3, "peak_mb": 500, "linear": 11,
           "recalc_linear": 12, "forms_1k_s": 2, "split_10k_ms": 50}


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    try:
        office = subprocess.run(
            ["soffice", "--version"], capture_output=True, text=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        office = "LibreOffice not found"
    return (
        f"{cpu}, {len(os.sched_getaffinity(0))} cores{memory}; {platform.system()} "
        f"{platform.release()}; "
        f"Python {platform.python_version()}; {office}; load average at the end "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (on a shared machine every time is inflated; ratios within one run much less)"
    )


def filled_forms(n: int, folder: Path) -> tuple[Path, dict[str, int], float]:
    """A plan of ``n`` children and one filled form each: (plan, Σ results typed, seconds to
    write the forms)."""
    plan = big_plan(n)
    cat = catalogue()
    plan_path = write_plan(plan, folder / f"plan{n}.xlsx")
    inbox = folder / f"inbox{n}"
    jobs, typed = [], {}
    for unit, form in enumerate(plan_forms(plan, due_date="2026-05-15", catalogue=cat)):
        # results differ from unit to unit (as officers' do): no two sheets are alike, so
        # the same-results check (a neighbour's copy) stays quiet as on a real inbox
        pick = random.Random(unit)
        rows = tuple(
            r
            if r.parts or r.round_target is None
            else replace(r, result=pick.randrange(r.round_target // 2, r.round_target + 60))
            for r in form.rows
        )
        for r in rows:
            if r.result is not None:
                typed[r.code] = typed.get(r.code, 0) + r.result
        jobs.append(
            (
                replace(form, rows=rows),
                inbox / form_filename(form.meta.unit_code, form.meta.unit_name),
            )
        )
    start = time.perf_counter()
    write_forms(jobs)
    return plan_path, typed, time.perf_counter() - start


def consolidate(plan: Path, inbox: Path, out: Path) -> dict:
    """`xladdin consolidate` end to end, in a process of its own (its peak memory measured)."""
    report = out.with_suffix(".json")
    code = (
        "import resource, runpy, sys, time; start = time.perf_counter(); sys.argv = ['xladdin'] + "
        "sys.argv[1:]\n"
        "try:\n    runpy.run_module('xladdin', run_name='__main__')\n"
        "except SystemExit as exit_:\n    status = exit_.code\n"
        "self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "pool_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('BENCH', time.perf_counter() - start, self_kb, pool_kb, status, file=sys.stderr)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "consolidate",
            str(inbox),
            "--plan",
            str(plan),
            "--out",
            str(out),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    line = next((x for x in done.stderr.splitlines() if x.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(f"consolidate failed: {done.stderr[-2000:]}")
    _, _inner, self_kb, pool_kb, status = line.split()
    data = json.loads(report.read_text(encoding="utf-8"))
    totals = {code: t["result"] for code, t in data["totals"].items() if t["result"] is not None}
    phases = next((x.strip() for x in done.stderr.splitlines() if "Đang đọc" in x), "")
    return {"seconds": seconds, "peak_mb": max(int(self_kb), int(pool_kb)) / 1024, "status": status,
            "totals": totals, "counted": len(data["counted"]), "phases": phases}


def reader(method: str, inbox: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.readers", method, str(inbox)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{method} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def check_totals(name: str, totals: dict, typed: dict[str, int]) -> None:
    """Every indicator typed into the forms is summed exactly (combined rows may add more)."""
    for code, expected in typed.items():
        if totals.get(code) != expected:
            raise AssertionError(f"{name}: {code} = {totals.get(code)}, typed {expected}")


def plan_recalc(n: int, folder: Path) -> dict:
    sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
    from python_calamine import CalamineWorkbook

    from libreoffice import recalculate

    plan = big_plan(n)
    start = time.perf_counter()
    path = write_plan(
        plan, folder / f"recalc{n}.xlsx", cache=False
    )  # poisoned caches: LibreOffice must compute
    written = time.perf_counter() - start
    start = time.perf_counter()
    [out] = recalculate([path], folder / f"recalculated{n}")
    seconds = time.perf_counter() - start
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(PLAN_SHEET).to_python()
    values = resolve_plan(plan)
    for i, row in enumerate(plan.rows):
        shown = [int(v) for v in rows[5 + i][7:7 + n]]
        if shown != list(values[row.code].shares):
            raise AssertionError(f"plan of {n}: {row.code} recalculated differs from the engine")
    return {"write_s": written, "recalc_s": seconds, "size_mb": path.stat().st_size / 1e6}


def split_target(n: int) -> float:
    from udfs.planning import SPLIT_TARGET

    weights = [[1000 + (i * 7919) % 100_000] for i in range(n)]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        shares = SPLIT_TARGET(1_000_000, weights)
        best = min(best, time.perf_counter() - start)
    assert [s[0] for s in shares] == largest_remainder(1_000_000, [Fraction(w[0]) for w in weights])
    return best * 1000


def main(sizes: tuple[int, ...] = SIZES, forms_only: bool = False) -> str:
    results: dict = {"forms": {}, "plans": {}, "split_ms": {}}
    with tempfile.TemporaryDirectory(prefix="xladdin-bench-") as tmp:
        folder = Path(tmp)
        for n in sizes:
            plan, typed, write_s = filled_forms(n, folder)
            row = {"write_s": write_s}
            inbox = folder / f"inbox{n}"
            row["consolidate"] = result = consolidate(plan, inbox, folder / f"summary{n}.xlsx")
            check_totals("consolidate", result["totals"], typed)
            assert result["counted"] == n, f"consolidate counted {result['counted']} of {n}"
            for method in READERS:
                row[method] = measured = reader(method, inbox)
                if method != "floor":
                    check_totals(method, {k: int(v) for k, v in measured["totals"].items()}, typed)
            results["forms"][n] = row
            print(f"{n} forms done", file=sys.stderr, flush=True)
        for n in sizes if not forms_only else ():
            results["plans"][n] = plan_recalc(n, folder)
            print(f"plan {n} done", file=sys.stderr, flush=True)
    for n in (100, 10_000) if not forms_only else ():
        results["split_ms"][n] = split_target(n)
    text = markdown(results, sizes)
    RESULTS.mkdir(exist_ok=True)
    name = "forms" if forms_only else "scale"
    (RESULTS / f"{name}-latest.md" if forms_only else RESULTS / "latest.md").write_text(
        text, encoding="utf-8")
    (RESULTS / f"{name}-{dt.date.today().isoformat()}.md").write_text(text, encoding="utf-8")
    return text


def markdown(results: dict, sizes: tuple[int, ...]) -> str:
    lines = [
        f"# Benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {machine()}.",
        "",
        "## Reading N filled forms (totals checked against what was typed)",
        "",
        "| N | reader | seconds | files/s | peak MB |",
        "|---|---|---:|---:|---:|",
    ]
    for n in sizes:
        row = results["forms"][n]
        for name in ("consolidate", *READERS):
            label = (
                "`xladdin consolidate` (end to end)"
                if name == "consolidate"
                else {
                    "naive": "naive pandas loop",
                    "openpyxl": "openpyxl load_workbook",
                    "calamine": "calamine",
                    "floor": "floor (zip + sheet XML bytes)",
                }[name]
            )
            m = row[name]
            lines.append(
                f"| {n:,} | {label} | {m['seconds']:.2f} | {n / m['seconds']:,.0f} | "
                f"{m['peak_mb']:.0f} |"
            )
    lines += ["", "| ratio | " + " | ".join(f"N = {n:,}" for n in sizes) + " | target |",
              "|---|" + "---:|" * len(sizes) + "---|"]
    cons = {n: results["forms"][n]["consolidate"]["seconds"] for n in sizes}
    ratio_rows = [("naive / consolidate", "naive", f"≥ {TARGETS['vs_naive']}×"),
                  ("consolidate / floor", "floor", f"≤ {TARGETS['vs_floor']}×"),
                  ("consolidate / calamine", "calamine", "")]
    for label, name, target in ratio_rows:
        cells = []
        for n in sizes:
            other = results["forms"][n][name]["seconds"]
            cells.append(
                f"{other / cons[n]:.1f}×" if name == "naive" else f"{cons[n] / other:.1f}×"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    if len(sizes) == 2:
        small, big = sizes
        lines.append(
            f"| consolidate time({big:,}) / time({small:,}) | {cons[big] / cons[small]:.1f} | | "
            f"≤ {TARGETS['linear']} |"
        )
    lines += ["", "Where `consolidate`'s time went (its progress line; the plan is read before):",
              ""]
    lines += [f"- N = {n:,}: {results['forms'][n]['consolidate']['phases']}" for n in sizes]
    if not results["plans"]:  # --forms-only
        return "\n".join(lines) + "\n"
    lines += ["", "## Writing", "", "| what | N | seconds | per second |", "|---|---:|---:|---:|"]
    for n in sizes:
        w = results["forms"][n]["write_s"]
        lines.append(
            f"| filled forms (`write_forms`, every core) | {n:,} | {w:.2f} | {n / w:,.0f} |"
        )
    lines += [
        "",
        "## Plans: writing and LibreOffice recalculation (poisoned caches; shares checked)",
        "",
        "| children | write s | file MB | LibreOffice recalc s |",
        "|---:|---:|---:|---:|",
    ]
    for n in sizes:
        p = results["plans"][n]
        lines.append(f"| {n:,} | {p['write_s']:.2f} | {p['size_mb']:.1f} | {p['recalc_s']:.1f} |")
    if len(sizes) == 2:
        small, big = sizes
        growth = results["plans"][big]["recalc_s"] / results["plans"][small]["recalc_s"]
        lines.append(f"\nRecalculation time({big:,}) / time({small:,}) = {growth:.1f} (target ≤ "
                     f"{TARGETS['recalc_linear']}; includes LibreOffice's start-up, ~3 s).")
    lines += ["", "## SPLIT_TARGET (Python, best of 5)", "", "| units | ms |", "|---:|---:|"]
    for n, ms in results["split_ms"].items():
        lines.append(f"| {n:,} | {ms:.1f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
