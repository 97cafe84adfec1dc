"""Subtotals by socio-economic region for a national consolidation (contract §10).

Pure: the summary and the region of each province give, per region, its provinces in
plan order and its totals over the provinces whose forms were counted: counts and
stocks summed, rates Σ numerator / Σ denominator, combined rows as their parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..errors import UnitError
from .consolidate import Summary
from .summary import whole


@dataclass(frozen=True)
class RegionGroup:
    code: str  # «1».. «6», the order regions are listed in
    name: str
    units: tuple[str, ...]  # unit codes, in the plan's order


def group_by_region(
    units: Sequence[str], region_of: Mapping[str, tuple[str, str]]
) -> list[RegionGroup]:
    """The units grouped by region (``region_of``: unit code → (region code, name)); a unit
    without a region is refused, naming it, so no province silently drops out of a total."""
    unknown = [code for code in units if code not in region_of]
    if unknown:
        raise UnitError(
            f"Không biết vùng kinh tế - xã hội của đơn vị {', '.join(unknown)}: tổng theo vùng "
            "chỉ dùng cho kế hoạch toàn quốc (các đơn vị cấp dưới là tỉnh, thành phố)."
        )
    groups: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for code in units:
        region, name = region_of[code]
        groups.setdefault(region, []).append(code)
        names[region] = name
    return [RegionGroup(r, names[r], tuple(groups[r])) for r in sorted(groups, key=_region_order)]


def _region_order(code: str) -> tuple[int, str]:
    return (int(code), code) if code.isdigit() else (10**6, code)


def region_totals(summary: Summary, group: RegionGroup) -> dict[str, int | Fraction | None]:
    """Each indicator's total over the group's counted units."""
    counted = [u for u in group.units if u in summary.results]
    totals: dict[str, int | Fraction | None] = {}
    for row in summary.rows:
        if row.is_rate:
            num, den = row.parts
            n = sum(whole(summary.results[u].get(num)) for u in counted)
            d = sum(whole(summary.results[u].get(den)) for u in counted)
            totals[row.code] = Fraction(n, d) if d else None
        else:
            values = [summary.results[u].get(row.code) for u in counted]
            present = [whole(v) for v in values if v is not None]
            totals[row.code] = sum(present) if present else None
    return totals
