"""Splitting the largest totals: any split a user can type answers at once (ms for a few
units, well under a second for 20,000).

The total at the ceiling (``MAX_COUNT`` = 10^12), by every method, among 3 units and
among 20,000 units (``MAX_UNITS``, every commune of Việt Nam twice over), with a minimum;
and a total past the ceiling, which is refused.  Issue 15: D'Hondt on 1E+25 used to take
over 20 s, on 1E+30 never ended.
"""

from __future__ import annotations

import time

from xladdin.engine.apportion import MAX_UNITS, METHODS, apportion
from xladdin.engine.values import MAX_COUNT
from xladdin.errors import SplitError


def run() -> dict[str, float]:
    timings: dict[str, float] = {}
    many = [1 + (i * 7919) % 100_000 for i in range(MAX_UNITS)]
    for method in METHODS:
        started = time.perf_counter()
        apportion(MAX_COUNT, [1, 1, 1], method=method)
        timings[f"{method} 3"] = time.perf_counter() - started
        started = time.perf_counter()
        apportion(MAX_COUNT, many, method=method, minimum=1000)
        timings[f"{method} {MAX_UNITS}"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        apportion(10**30, [1, 1, 1], method="dhondt")
    except SplitError:
        pass
    timings["refused 1e30"] = time.perf_counter() - started
    return timings


def report(timings: dict[str, float]) -> str:
    slowest = max(timings, key=timings.__getitem__)
    return (f"huge split: total 10^12, slowest {slowest} in {timings[slowest] * 1000:.0f} ms; "
            + ", ".join(f"{name} {seconds * 1000:.1f} ms" for name, seconds in timings.items()))


if __name__ == "__main__":
    print(report(run()))
