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
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

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


def pooled(count: int) -> bool:
    """Are ``count`` items read by worker processes (not in this process)?"""
    return workers() > 1 and count >= PARALLEL_FROM


def ordered_map(read: Callable[..., R], items: Sequence[T], *extra: Any,
                progress: Callable[[T], None] | None = None,
                processes: int | None = None, stop: threading.Event | None = None
                ) -> Iterator[R]:
    """``read(item, *extra)`` for every item, in order; ``read`` and ``extra`` must be
    picklable (a module-level function).  ``progress(item)`` as each result arrives.
    ``stop`` set: no more items are read (what is queued is dropped)."""
    step = progress or (lambda _item: None)
    processes = workers() if processes is None else processes
    if processes <= 1 or len(items) < PARALLEL_FROM:
        for item in items:
            if stop is not None and stop.is_set():
                return
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
            if stop is not None and stop.is_set():
                pool.shutdown(wait=False, cancel_futures=True)
                return
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
                yield from ordered_map(read, rest, *extra, progress=progress, processes=1,
                                       stop=stop)
                return
            for item, result in zip(chunk, results):
                step(item)
                yield result


class Ahead(Generic[R]):
    """Results of worker processes gathered by a thread of this process while it does
    something else (consolidate reads the plan while the workers read the forms).

    ``iterate(stop)`` is consumed on the thread; :meth:`results` waits for the last one,
    telling ``progress.step`` as they arrive, and raises what the thread raised;
    :meth:`stop` gives up (the work queued is dropped)."""

    def __init__(self, iterate: Callable[[threading.Event], Iterator[R]]):
        self._stop = threading.Event()
        self._items: list[R] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(iterate,), daemon=True)
        self._thread.start()

    def _run(self, iterate: Callable[[threading.Event], Iterator[R]]) -> None:
        try:
            for item in iterate(self._stop):
                self._items.append(item)
        except BaseException as error:  # raised again by results(), in the caller's thread
            self._error = error

    def results(self, step: Callable[[int], None]) -> list[R]:
        told = 0
        while self._thread.is_alive():
            self._thread.join(0.1)
            count = len(self._items)
            if count > told:
                step(count - told)
                told = count
        if len(self._items) > told:
            step(len(self._items) - told)
        if self._error is not None:
            raise self._error
        return self._items

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
