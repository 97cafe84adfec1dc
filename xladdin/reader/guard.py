"""One guard around every received file: opened, read and judged on its own.

Whatever happens inside (a broken zip, malformed XML, an error value calamine does not
know, a bug of ours, a file that takes too long) becomes a :class:`WorkbookError` on
that file with a Vietnamese message saying what to do; the caller turns it into an
issue and the run goes on with the next file.  The file's bytes are read once.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ..engine.model import ERROR, Issue
from ..errors import WorkbookError, XladdinError
from ..grid.calamine_grid import CalamineGrid, open_workbook
from ..grid.package import FileBytes
from ..grid.sheet_xml import SCAN_SECONDS, deadline_from_now

T = TypeVar("T")
JUDGE_SECONDS = 60.0  # opening, reading and judging one file, all together


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` hides it."""


def judge_file(path: Path, judge: Callable[[CalamineGrid], T], *, file: FileBytes | None = None,
               seconds: float = JUDGE_SECONDS) -> T:
    """``judge(grid)`` on the workbook at ``path`` (or the bytes already read from it);
    every failure is a :class:`WorkbookError` naming the file."""
    source = str(path)
    try:
        with _time_limit(seconds), open_workbook(
            path, file=file, deadline=deadline_from_now(min(seconds, SCAN_SECONDS))
        ) as grid:  # closed whatever happens: one workbook open at a time
            return judge(grid)
    except WorkbookError as error:
        error.file = error.file or source
        raise
    except XladdinError as error:
        raise WorkbookError(error.message, file=source, rule="unreadable") from None
    except _Expired:
        raise WorkbookError(
            f"Đọc tệp quá lâu (quá {seconds:.0f} giây): đã bỏ qua tệp này. Hãy mở tệp bằng Excel, "
            "kiểm tra rồi lưu lại và gửi lại.",
            file=source,
            rule="timeout",
        ) from None
    except (Exception, RecursionError, MemoryError) as error:
        from ..crash import crash_log

        log = crash_log(f"{source}\n{traceback.format_exc()}")
        raise WorkbookError(
            f"Lỗi không mong đợi khi đọc tệp này ({type(error).__name__}). Hãy mở tệp bằng Excel, "
            "lưu lại rồi gửi "
            f"lại; nếu vẫn lỗi, gửi tệp cho người hỗ trợ kỹ thuật"
            + (f" (chi tiết: {log})." if log else "."),
            file=source,
            rule="unexpected",
        ) from None


def with_notices(issues: tuple[Issue, ...] | list[Issue], grid: CalamineGrid) -> tuple[Issue, ...]:
    """A reading's issues and what the grid itself had to say (cells left out), at most
    :data:`MAX_SAME_RULE` of a kind per file: one form with 100,000 junk rows must not
    drown the other units' issues (nor fill the report with 100,000 lines)."""
    return capped(tuple(grid.notices) + tuple(issues))


def add_notices(reading, grid: CalamineGrid):
    """A dataclass reading (FormReading, PlanReading) with the grid's notices first."""
    issues = with_notices(reading.issues, grid)
    return replace(reading, issues=issues) if issues != tuple(reading.issues) else reading


MAX_SAME_RULE = 20


def capped(issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
    """The first :data:`MAX_SAME_RULE` issues of each rule, then one that counts the rest
    (an error when any of the rest is one)."""
    total = Counter(i.rule for i in issues)
    if max(total.values(), default=0) <= MAX_SAME_RULE:
        return issues
    seen: Counter[str] = Counter()
    rest_is_error = {i.rule for i in issues if i.is_error}
    kept: list[Issue] = []
    for issue in issues:
        seen[issue.rule] += 1
        if seen[issue.rule] <= MAX_SAME_RULE:
            kept.append(issue)
        elif seen[issue.rule] == MAX_SAME_RULE + 1:
            left = total[issue.rule] - MAX_SAME_RULE
            kept.append(
                Issue(
                    ERROR if issue.rule in rest_is_error else issue.severity,
                    issue.file,
                    issue.sheet,
                    None,
                    issue.rule,
                    f"… và {left} chỗ khác cùng loại ({issue.rule}) trong tệp này, không liệt kê "
                    "hết.",
                )
            )
    return tuple(kept)


@contextmanager
def _time_limit(seconds: float):
    """An alarm in the main thread on Unix (a worker thread relies on the scan's own deadline)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(_signum, _frame):
        raise _Expired()

    previous = signal.signal(signal.SIGALRM, expired)
    if previous not in (
        signal.SIG_DFL,
        signal.SIG_IGN,
        None,
    ):  # someone else's alarm: leave it alone
        signal.signal(signal.SIGALRM, previous)
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
