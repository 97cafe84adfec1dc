"""What the writer writes and the reader recognises, said once for both sides.

The reader depends on the contract and on this module, never on the writer: a plan's
«Chỉ tiêu đợt» written as ⌈Kế hoạch năm × share⌉ (:func:`parse_round_share`) and the
check column's method tag (« · D'Hondt», :func:`method_tag`) are read back to rebuild
the plan as it was made.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .contract import LIVE_SPLIT_SHEET, PLAN
from .engine.resplit import method_label
from .templates import definition

# =IF(D6="","",ROUNDUP(D6*50/100,0)) or =IF(…,MAX(0,ROUNDUP(D6*100/100,0)-E6))
ROUND_SHARE_PATTERN = re.compile(
    r"ROUNDUP\(\$?[A-Z]{1,3}\$?\d+\*(\d+)/(\d+),0\)(-\$?[A-Z]{1,3}\$?\d+)?", re.IGNORECASE
)


def parse_round_share(formula: str) -> tuple[Fraction, bool] | None:
    """(share, cumulative) of a formula written by ``writer.formulas.round_share``."""
    match = ROUND_SHARE_PATTERN.search(formula.replace(" ", ""))
    if not match:
        return None
    return Fraction(int(match.group(1)), int(match.group(2))), match.group(3) is not None


def method_tag(method: str | None) -> str:
    """« · D'Hondt»: how the check column says a method wrote the shares as numbers."""
    if not method:
        return ""
    return str(definition(PLAN)["check_column"]["method_tag"]).format(
        method=method_label(method)
    )


def is_live_split(formula: str | None) -> bool:
    """Whether a child's cell in «Kế hoạch» holds the live split: a formula reading the
    hidden sheet ``_phanbo`` (``writer.live_split``), or the one-cell SUMPRODUCT ranking of
    plans written before it."""
    text = (formula or "").upper().replace("'", "")  # LibreOffice saves the name unquoted
    return f"{LIVE_SPLIT_SHEET.upper()}!" in text or "SUMPRODUCT" in text
