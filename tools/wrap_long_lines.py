"""Reformat only the statements whose lines are over 100 characters (`make lint-fix`).

`ruff format` on whole files would rewrite every module; this keeps each module's own
layout and touches only what `ruff check` reports as E501.  A string literal alone on
its line is then split in two at a space (implicit concatenation); long comments and
docstrings still need a hand.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys

PATHS = ["xladdin", "udfs", "workbooks", "tests", "bench", "tools"]
LIMIT = 100
RUFF = [sys.executable, "-m", "ruff"]
STRING_LINE = re.compile(r'^(\s*)(\w+=)?(f?)"([^"]*)"(\s*[,)]*\s*)$')


def long_lines() -> dict[str, set[int]]:
    report = subprocess.run(
        [*RUFF, "check", "--select", "E501", "--output-format", "json", *PATHS],
        capture_output=True, text=True, check=False,
    )
    rows: dict[str, set[int]] = collections.defaultdict(set)
    for item in json.loads(report.stdout or "[]"):
        rows[item["filename"]].add(item["location"]["row"])
    return rows


def split_string(line: str) -> list[str]:
    """``"a long text"`` → two literals cut at a space outside any ``{…}``."""
    match = STRING_LINE.match(line)
    if not match:
        return [line]
    indent, keyword, prefix, body, tail = match.groups()
    keyword = keyword or ""
    cut = body.rfind(" ", 0, LIMIT - len(indent) - len(keyword) - len(prefix) - 3)
    while cut > 0 and body[:cut].count("{") != body[:cut].count("}"):
        cut = body.rfind(" ", 0, cut)
    if cut <= 0:
        return [line]
    first, rest = body[: cut + 1], body[cut + 1 :]
    return [f'{indent}{keyword}{prefix if "{" in first else ""}"{first}"',
            f'{indent}{prefix if "{" in rest else ""}"{rest}"{tail}']


def main() -> int:
    for path, rows in long_lines().items():
        for row in sorted(rows, reverse=True):  # bottom up: line numbers stay valid
            subprocess.run([*RUFF, "format", "--range", f"{row}:1-{row}:1000", path],
                           capture_output=True, check=False)
    for path, rows in long_lines().items():
        with open(path, encoding="utf-8") as file:
            lines = file.read().split("\n")
        for row in sorted(rows, reverse=True):
            lines[row - 1 : row] = split_string(lines[row - 1])
        with open(path, "w", encoding="utf-8") as file:
            file.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
