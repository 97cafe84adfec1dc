"""Long work shows progress on stderr, in Vietnamese.

On a terminal, a bar (or, for a step that cannot count, the seconds so far) appears once
the work has run for more than a second, redrawn at most ten times a second on one line.
Elsewhere (a log, a pipe, a scheduled task) nothing is drawn, and one summary line is
written at the end when the whole took more than a second.  stdout is left alone: it
carries the command's own result.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from ..engine.numbers import thousands
from ..silent import Silent

DELAY = 1.0  # seconds before anything is shown
REDRAW = 0.1
WIDTH = 28


def number(n: float) -> str:
    """1.234 (Vietnamese thousands), 6,2 (decimal comma)."""
    if float(n).is_integer():
        return thousands(int(n))
    return f"{n:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


class Progress(Silent):
    """Phases of one command: ``phase(label, total)``, ``step()``…, then ``close()``."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None,
                 delay: float = DELAY):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.delay = delay
        self.start = time.monotonic()
        self.phases: list[tuple[str, int | None, int, float]] = []  # label, total, done, secs
        self.label, self.done = "", 0
        self.total: int | None = None
        self.phase_start = self.start
        self.drawn_at = 0.0
        self.shown = False
        self.lock = threading.Lock()
        self.ticker: threading.Thread | None = None
        self.stopped = threading.Event()

    # --- the work reports ------------------------------------------------------------
    def phase(self, label: str, total: int | None = None) -> None:
        with self.lock:
            self._end_phase()
            self.label, self.total, self.done = label, total, 0
            self.phase_start = time.monotonic()
        if self.tty and self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()

    def step(self, count: int = 1) -> None:
        with self.lock:
            self.done += count
            if self.tty:
                self._draw()

    def __call__(self, *_args) -> None:  # usable as a callback that receives a path
        self.step()

    def close(self) -> None:
        self.stopped.set()
        if self.ticker is not None:
            self.ticker.join(timeout=1)
        with self.lock:
            self._end_phase()
            elapsed = time.monotonic() - self.start
            if self.tty:
                if self.shown:
                    self.stream.write("\r" + " " * (WIDTH + 60) + "\r")
                    self.stream.flush()
            elif elapsed > self.delay and self.phases:
                self.stream.write(self.summary() + "\n")
                self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def summary(self) -> str:
        parts = []
        for label, total, done, secs in self.phases:
            count = f" {number(done)}" + (f"/{number(total)}" if total and total != done else "")
            rate = f", {number(round(done / secs))}/giây" if total and secs > 0 and done else ""
            parts.append(f"{label}{count if total else ''}: {number(round(secs, 1))} giây{rate}")
        return "; ".join(parts) + "."

    # --- drawing -----------------------------------------------------------------------
    def _end_phase(self) -> None:
        if self.label:
            self.phases.append(
                (self.label, self.total, self.done, time.monotonic() - self.phase_start)
            )
            self.label = ""

    def _tick(self) -> None:
        while not self.stopped.wait(0.5):
            with self.lock:
                if self.label:
                    self._draw()

    def _draw(self) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or now - self.drawn_at < REDRAW or not self.label:
            return
        self.drawn_at, self.shown = now, True
        secs = now - self.phase_start
        if self.total:
            part = min(self.done / self.total, 1.0)
            filled = int(part * WIDTH)
            left = secs / self.done * (self.total - self.done) if self.done else None
            eta = (
                f" · còn {number(round(left))} giây"
                if left is not None and self.done < self.total
                else ""
            )
            line = (f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                    f"{number(self.done)}/{number(self.total)} {part:4.0%}{eta}")
        else:
            line = f"{self.label}… {number(round(secs))} giây"
        self.stream.write("\r" + line.ljust(WIDTH + 50))
        self.stream.flush()
