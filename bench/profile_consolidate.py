"""Where `consolidate` spends its time, step by step (a profiling aid, not a timed test).

    python -m bench.profile_consolidate N [CORPUS_DIR] [--profile]

Writes (once; kept in CORPUS_DIR, default /tmp/xladdin-profile) a plan of N children and
one filled form each, then times each step of the consolidate job on them: the walk,
reading the forms (``XLADDIN_WORKERS`` decides the pool; "cpu" counts the workers'), the engine's
consolidation, the summary workbook and the JSON report.  ``--profile`` runs the read
step under cProfile in this process and prints the top functions.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import sys
import time
from pathlib import Path

from xladdin.bundled import catalogue
from xladdin.jobs.reading import plan_and_catalogue, usable
from xladdin.outputs import write_json

from .scale import filled_forms


def _children() -> float:
    """CPU seconds of the worker processes that have ended (the pool's)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def corpus(n: int, folder: Path) -> tuple[Path, Path]:
    plan, inbox = folder / f"plan{n}.xlsx", folder / f"inbox{n}"
    if not plan.exists() or not inbox.is_dir() or len(list(inbox.iterdir())) != n:
        folder.mkdir(parents=True, exist_ok=True)
        filled_forms(n, folder)
    return plan, inbox


def steps(plan_path: Path, inbox: Path, out: Path, profile: bool = False) -> dict[str, float]:
    from xladdin.engine.year import consolidate_year
    from xladdin.inbox import inbox_files, read_folder
    from xladdin.writer.summary import write_summary

    times: dict[str, float] = {}

    def timed(name: str, work):
        start, cpu, pool = time.perf_counter(), time.process_time(), _children()
        result = work()
        times[name] = time.perf_counter() - start
        times[name + " cpu"] = time.process_time() - cpu + _children() - pool
        return result

    cat, reading = timed("plan", lambda: plan_and_catalogue(plan_path, catalogue()))
    plan, _ = usable(reading, plan_path)
    timed("walk", lambda: inbox_files(inbox))
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    submissions = timed("read", lambda: list(read_folder(inbox, cat)))
    if profiler:
        profiler.disable()
    summary = timed("consolidate", lambda: consolidate_year(plan, submissions, cat))
    timed("summary.xlsx", lambda: write_summary(summary, out, catalogue=cat))
    timed("json", lambda: write_json(summary.report(), out.with_suffix(".json")))
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(45)
        print(text.getvalue())
    return times


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 1000
    folder = Path(args[1]) if len(args) > 1 else Path("/tmp/xladdin-profile")
    plan, inbox = corpus(n, folder)
    times = steps(plan, inbox, folder / f"summary{n}.xlsx", profile="--profile" in sys.argv)
    workers = os.environ.get("XLADDIN_WORKERS", "all")
    print(f"N = {n:,}, workers {workers}: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items())
          + f"; total {sum(v for k, v in times.items() if not k.endswith('cpu')):.2f} s")


if __name__ == "__main__":
    main()
