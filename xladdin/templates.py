"""Template definitions (``workbooks/templates/*.toml``): headers, widths, messages."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Any

from .bundled import data_file


@lru_cache(maxsize=None)
def definition(template: str) -> dict[str, Any]:
    """The parsed definition of ``plan``, ``form`` or ``summary``."""
    return tomllib.loads(data_file("templates", f"{template}.toml").read_text(encoding="utf-8"))


def headers(template: str) -> list[str]:
    return [column["header"] for column in definition(template)["columns"]]


def round_label(round_number: int) -> str:
    """'ĐỢT 2' for round 2; 'CẢ NĂM' for round 0 (the whole year)."""
    return f"ĐỢT {round_number}" if round_number else "CẢ NĂM"
