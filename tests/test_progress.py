"""Long work shows progress on stderr: a bar on a terminal, one line in a log."""

from __future__ import annotations

import io
import time

from xladdin.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_bar_once_the_work_takes_longer_than_the_delay():
    screen = Terminal()
    with Progress(screen, delay=0.05) as progress:
        progress.phase("Đang đọc biểu mẫu", 1000)
        progress.step(10)
        assert screen.getvalue() == ""  # quick work shows nothing
        time.sleep(0.12)
        progress.step(490)
    drawn = screen.getvalue()
    assert "Đang đọc biểu mẫu [" in drawn and "500/1.000" in drawn and "50%" in drawn
    assert drawn.endswith("\r")  # the line is cleared at the end: stdout's result stays readable


def test_a_log_gets_one_summary_line_and_quick_work_gets_nothing():
    log = io.StringIO()
    with Progress(log, delay=0.05) as progress:
        progress.phase("Đang đọc biểu mẫu", 2000)
        for _ in range(2000):
            progress(None)  # the callback a reader calls with each path
        time.sleep(0.1)
        progress.phase("Đang ghi bảng tổng hợp")
    lines = log.getvalue().splitlines()
    assert len(lines) == 1 and "\r" not in log.getvalue()
    assert lines[0].startswith("Đang đọc biểu mẫu 2.000: ") and "/giây" in lines[0]
    assert "Đang ghi bảng tổng hợp: " in lines[0]

    quick = io.StringIO()
    with Progress(quick) as progress:
        progress.phase("Đang ghi biểu mẫu", 3)
        progress.step(3)
    assert quick.getvalue() == ""
