"""Vietnam's administrative units by GSO code, for the year a plan is for.

* From 2026: the two-level structure of the July 2025 reform (34 provinces → communes
  and wards), read from the installed ``vietnam-provinces`` package, which follows the
  GSO's published list.
* 2025 and earlier: provinces → districts → communes as they were before the reform,
  from ``workbooks/units/pre2025.csv`` (extracted from vietnam-provinces 0.6.0; see
  ``build_pre2025_units.py`` there).  Hải Phòng's 15 districts of 2023 are there.

Below the commune (khu phố, thôn, tổ dân phố) there is no national list: those units
come from the officer's CHILDREN.csv, coded ``PARENT-KPn``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bundled import read_csv_rows
from .engine.units import Unit, UnitTree
from .errors import UnitError

LAST_PRE_REFORM_YEAR = 2025  # the reform took effect on 1 July 2025; 2025 plans predate it

_PREFIXES = re.compile(
    r"^(Thành phố|Tỉnh|Quận|Huyện|Thị xã|Thị trấn|Phường|Xã|Đặc khu)\s+", re.IGNORECASE
)


def short_name(name: str) -> str:
    """'Quận Hồng Bàng' → 'Hồng Bàng' (how plans head their columns); 'Phường 2' stays."""
    stripped = _PREFIXES.sub("", name).strip()
    return name if stripped.isdigit() or not stripped else stripped


def normalize_code(code: object) -> str:
    """GSO codes are zero-padded strings; accept 31 for '31' and 303 for '303'."""
    return str(code).strip()


@lru_cache(maxsize=2)
def units_for_year(year: int) -> UnitTree:
    """The national list of units in force for plans of ``year``."""
    if year <= LAST_PRE_REFORM_YEAR:
        return _pre_reform()
    return _current()


@lru_cache(maxsize=1)
def _pre_reform() -> UnitTree:
    return UnitTree.of(
        Unit(
            code=row["code"],
            name=row["name"],
            parent_code=row["parent_code"] or None,
            level=row["level"],
        )
        for row in read_csv_rows("units", "pre2025.csv")
    )


@lru_cache(maxsize=1)
def _current() -> UnitTree:
    from vietnam_provinces import Province, Ward

    units = []
    for province in Province.iter_all():
        p_code = f"{int(province.code):02d}"
        units.append(Unit(p_code, province.name, None, level="tỉnh"))
        for ward in Ward.iter_by_province(province.code):
            units.append(Unit(f"{int(ward.code):05d}", ward.name, p_code, level="xã"))
    return UnitTree.of(units)


def lookup(code: object, year: int) -> Unit:
    tree = units_for_year(year)
    key = normalize_code(code)
    if key in tree:
        return tree.get(key)
    for width in (2, 3, 5):  # 1 → '01', 31 → '31', 303 → '303'
        padded = key.zfill(width)
        if key.isdigit() and padded in tree and len(key) <= width:
            return tree.get(padded)
    era = "trước" if year <= LAST_PRE_REFORM_YEAR else "sau"
    raise UnitError(
        f"Không tìm thấy đơn vị có mã {key} trong danh mục hành chính {era} cải cách 7/2025 "
        f"(năm {year}). Hãy kê các đơn vị cấp dưới trong tệp CHILDREN.csv."
    )


def sub_units(code: object, year: int) -> list[Unit]:
    """The sub-units of ``code`` in the national list, with their short names."""
    unit = lookup(code, year)
    return [
        Unit(child.code, short_name(child.name), unit.code, level=child.level)
        for child in units_for_year(year).children(unit.code)
    ]


def name_of(code: object, year: int) -> str | None:
    """The unit's full name in the national list, or None when it is not there."""
    try:
        return lookup(code, year).name
    except UnitError:
        return None
