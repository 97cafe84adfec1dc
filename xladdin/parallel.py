"""Reading many files on every core, results in input order.

A province sends hundreds of forms, the nation about 10,000; each is read and judged on
its own, so the work splits cleanly across processes.  Chunks of files go to a pool of
worker processes; results come back in the order of the input (the same report, byte
for byte, as one process gives), and at most a few chunks are in flight at a time, so
memory stays bounded whatever the number of files.  Small batches, and machines where
worker processes cannot start, are read in this process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200  # below this, starting worker processes costs more than it saves
CHUNK = 64  # files a worker reads per task: few round trips, steady progress
IN_FLIGHT = 3  # chunks queued per worker: keeps them busy, bounds memory


def workers() -> int:
    """Worker processes to use: the cores this process may run on (``XLADDIN_WORKERS``
    overrides; 1 reads in this process)."""
    chosen = os.environ.get("XLADDIN_WORKERS", "")
    if chosen.strip().isdigit():
        return max(1, int(chosen))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _chunk(read: Callable[..., R], items: Sequence[Any], extra: tuple) -> list[R]:
    return [read(item, *extra) for item in items]


def ordered_map(read: Callable[..., R], items: Sequence[T], *extra: Any,
                progress: Callable[[T], None] | None = None,
                processes: int | None = None) -> Iterator[R]:
    """``read(item, *extra)`` for every item, in order; ``read`` and ``extra`` must be
    picklable (a module-level function).  ``progress(item)`` as each result arrives."""
    step = progress or (lambda _item: None)
    processes = workers() if processes is None else processes
    if processes <= 1 or len(items) < PARALLEL_FROM:
        for item in items:
            result = read(item, *extra)
            step(item)
            yield result
        return
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    try:
        pool = ProcessPoolExecutor(max_workers=processes)
    except (OSError, NotImplementedError):  # no worker processes here: one by one
        yield from ordered_map(read, items, *extra, progress=progress, processes=1)
        return
    with pool:
        pending: deque[tuple[Sequence[T], Future]] = deque()
        queued = 0
        while queued < len(chunks) or pending:
            while queued < len(chunks) and len(pending) < processes * IN_FLIGHT:
                pending.append((chunks[queued], pool.submit(_chunk, read, chunks[queued], extra)))
                queued += 1
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory, a crash in a native reader): what is
                # left is read here, one by one, as without a pool
                rest = [
                    item for c in [chunk, *(c for c, _ in pending), *chunks[queued:]] for item in c
                ]
                for _chunk_left, f in pending:
                    f.cancel()
                yield from ordered_map(read, rest, *extra, progress=progress, processes=1)
                return
            for item, result in zip(chunk, results):
                step(item)
                yield result
