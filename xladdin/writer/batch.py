"""Writing many forms at once on every core: a province's hundreds of communes, or the
nation's thousands, in seconds.  Each worker writes whole files (atomically), so a
failure leaves no half-written form; small batches stay in this process."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..engine.catalogue import Catalogue
from ..engine.model import Form
from .form import write_form

PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves
CHUNK_MIN = 8  # forms a worker is sent at once, at least


def _write_chunk(
    chunk: list[tuple[Form, str]], password: str | None, catalogue: Catalogue | None
) -> list[str]:
    return [
        str(write_form(form, path, password=password, catalogue=catalogue)) for form, path in chunk
    ]


def write_forms(jobs: Sequence[tuple[Form, Path]], *, password: str | None = None,
                workers: int | None = None, catalogue: Catalogue | None = None,
                progress: Callable[[int], None] | None = None) -> list[Path]:
    """Write each (form, path); returns the paths in the same order.  ``progress(n)`` is
    called as forms are done (n at a time)."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
    step = progress or (lambda _n: None)

    def one_by_one() -> list[Path]:
        written = []
        for form, path in jobs:
            written.append(write_form(form, path, password=password, catalogue=catalogue))
            step(1)
        return written

    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        return one_by_one()
    # many small chunks: a worker slowed by another program leaves at most one small chunk
    # for the end (8 chunks of 125 forms left up to a third of a second on a busy machine)
    size = max(CHUNK_MIN, -(-len(jobs) // (workers * 16)))
    chunks = [
        [(form, str(path)) for form, path in jobs[i : i + size]] for i in range(0, len(jobs), size)
    ]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = pool.map(
                _write_chunk, chunks, [password] * len(chunks), [catalogue] * len(chunks)
            )
            written = []
            for chunk in done:  # in order, as the chunks finish
                written += [Path(p) for p in chunk]
                step(len(chunk))
            return written
    except (OSError, NotImplementedError, RuntimeError):
        # no worker processes here (a sandbox, an embedded Python): one by one
        return one_by_one()
