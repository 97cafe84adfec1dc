"""Vietnam's administrative units by GSO code, as the list stood on a date.

* From 1 July 2025: the two-level structure of the reform (34 provinces → communes and
  wards), read from the installed ``vietnam-provinces`` package, which follows the GSO's
  published list.
* Before: provinces → districts → communes, from ``workbooks/units/pre2025.csv``, which
  holds three GSO lists (3 February 2021, 7 May 2023, 4 January 2025; see
  ``build_pre2025_units.py`` there).  A plan uses the list nearest to 1 January of its
  year (or to ``as_of``) and says which date that list shows: a 2024 plan for Huế gets
  Thừa Thiên Huế's districts of 2023, not the city of 2025.
* Above the provinces: the nation, code ``VN`` («Toàn quốc»), whose children are the 63
  provinces before the reform and the 34 after it; ``regions.csv`` groups them into the
  six socio-economic regions.

Below the commune (khu phố, thôn, tổ dân phố) there is no national list: those units
come from the officer's CHILDREN.csv, coded ``PARENT-KPn``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .bundled import data_file, read_csv_rows
from .contract import NATION_CODE
from .engine.units import Unit, UnitTree, name_key
from .errors import UnitError

REFORM_DATE = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: 34 provinces from 1 July 2025

NATION_NAME = "Toàn quốc"
PRE_REFORM_FILE = ("units", "pre2025.csv")
REGIONS_FILE = ("units", "regions.csv")

_PREFIXES = re.compile(
    r"^(Thành phố|Tỉnh|Quận|Huyện|Thị xã|Thị trấn|Phường|Xã|Đặc khu)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class UnitList:
    """One national list: its units and the date it is true on."""

    tree: UnitTree
    true_on: dt.date
    reformed: bool  # the two-level list of the 2025 reform

    def describe(self, as_of: dt.date) -> str:
        """What an officer reads about where the units came from (Vietnamese)."""
        era = "sau cải cách 1/7/2025" if self.reformed else "trước cải cách 1/7/2025"
        shown = f"Danh mục hành chính {era}, theo danh sách ngày {self.true_on:%d/%m/%Y}"
        if self.true_on != as_of and not self.reformed:
            shown += f" (danh sách gần nhất với ngày {as_of:%d/%m/%Y} có trong xladdin)"
        return shown + "."


def short_name(name: str) -> str:
    """'Quận Hồng Bàng' → 'Hồng Bàng' (how plans head their columns); 'Phường 2' stays."""
    stripped = _PREFIXES.sub("", name).strip()
    return name if stripped.isdigit() or not stripped else stripped


def normalize_code(code: object) -> str:
    """GSO codes are zero-padded strings; accept 31 for '31' and 303 for '303'."""
    return str(code).strip()


def plan_date(year: int, as_of: dt.date | None = None) -> dt.date:
    """The date a plan's units are taken on: ``as_of``, else 1 January of its year."""
    return as_of or dt.date(year, 1, 1)


def unit_list(year: int, as_of: dt.date | None = None) -> UnitList:
    """The national list in force for a plan of ``year`` (on ``as_of`` when given)."""
    day = plan_date(year, as_of)
    if day >= REFORM_DATE:
        return _reformed()
    dates = _pre_reform_dates()
    nearest = min(dates, key=lambda d: (abs((d - day).days), d))
    return _pre_reform(nearest)


def units_for_year(year: int) -> UnitTree:
    """The national list in force for plans of ``year`` (on 1 January)."""
    return unit_list(year).tree


@lru_cache(maxsize=1)
def _pre_reform_rows() -> list[dict[str, str]]:
    return read_csv_rows(*PRE_REFORM_FILE)


def _pre_reform_dates() -> list[dt.date]:
    columns = _pre_reform_rows()[0].keys()
    return [dt.date.fromisoformat(c) for c in columns if c[:1].isdigit()]


@lru_cache(maxsize=4)
def _pre_reform(true_on: dt.date) -> UnitList:
    column = true_on.isoformat()
    units = [Unit(NATION_CODE, NATION_NAME, None, level="quốc gia")]
    for row in _pre_reform_rows():
        if row.get(column):
            units.append(
                Unit(
                    code=row["code"],
                    name=row["name"],
                    parent_code=row["parent_code"] or NATION_CODE,
                    level=row["level"],
                )
            )
    return UnitList(UnitTree.of(units), true_on, reformed=False)


@lru_cache(maxsize=1)
def _reformed() -> UnitList:
    import vietnam_provinces
    from vietnam_provinces import Province, Ward

    units = [Unit(NATION_CODE, NATION_NAME, None, level="quốc gia")]
    for province in Province.iter_all():
        p_code = f"{int(province.code):02d}"
        units.append(Unit(p_code, province.name, NATION_CODE, level="tỉnh"))
        for ward in Ward.iter_by_province(province.code):
            units.append(Unit(f"{int(ward.code):05d}", ward.name, p_code, level="xã"))
    version = getattr(vietnam_provinces, "__data_version__", None)
    true_on = dt.date.fromisoformat(version) if version else REFORM_DATE
    return UnitList(UnitTree.of(units), true_on, reformed=True)


def lookup(code: object, year: int, as_of: dt.date | None = None) -> Unit:
    listed = unit_list(year, as_of)
    tree = listed.tree
    key = normalize_code(code)
    if key.upper() == NATION_CODE:
        return tree.get(NATION_CODE)
    if key in tree:
        return tree.get(key)
    for width in (2, 3, 5):  # 1 → '01', 31 → '31', 303 → '303'
        padded = key.zfill(width)
        if key.isdigit() and padded in tree and len(key) <= width:
            return tree.get(padded)
    raise UnitError(
        f"Không tìm thấy đơn vị có mã {key} (kế hoạch năm {year}). "
        f"{listed.describe(plan_date(year, as_of))} "
        "Hãy kê các đơn vị cấp dưới trong tệp CHILDREN.csv."
    )


def sub_units(code: object, year: int, as_of: dt.date | None = None) -> list[Unit]:
    """The sub-units of ``code`` in the national list, with their short names; where two
    siblings' short names would be one («Thị xã Kỳ Anh», «Huyện Kỳ Anh»: a plan's column
    titles and unit names must differ), those keep their full names, and where even the
    full names are one (two «Xã Đông Khê» of TP Thanh Hóa in the list of 4/1/2025) the
    code follows the name."""
    unit = lookup(code, year, as_of)
    children = unit_list(year, as_of).tree.children(unit.code)
    names = [short_name(child.name) for child in children]
    for fallback in (lambda child: child.name, lambda child: f"{child.name} ({child.code})"):
        keys = [name_key(name) for name in names]
        names = [name if keys.count(key) == 1 else fallback(child)
                 for child, name, key in zip(children, names, keys, strict=True)]
    return [Unit(child.code, name, unit.code, level=child.level)
            for child, name in zip(children, names, strict=True)]


def name_of(code: object, year: int, as_of: dt.date | None = None) -> str | None:
    """The unit's full name in the national list, or None when it is not there."""
    try:
        return lookup(code, year, as_of).name
    except UnitError:
        return None


@dataclass(frozen=True)
class Region:
    code: str  # 1..6
    name: str  # «Đồng bằng sông Hồng»


def regions(year: int, as_of: dt.date | None = None) -> dict[str, Region]:
    """Province code → its socio-economic region, for the list in force (63 or 34)."""
    reformed = plan_date(year, as_of) >= REFORM_DATE
    return dict(_regions(reformed))


def regions_for(codes: list[str], year: int, as_of: dt.date | None = None) -> dict[str, Region]:
    """The regions of the era of ``year`` (or ``as_of``), or of the other era when only
    that one knows every code (a 63-province list given in CHILDREN.csv for 2026)."""
    reformed = plan_date(year, as_of) >= REFORM_DATE
    for era in (reformed, not reformed):
        found = dict(_regions(era))
        if all(code in found for code in codes):
            return found
    return dict(_regions(reformed))


@lru_cache(maxsize=2)
def _regions(reformed: bool) -> tuple[tuple[str, Region], ...]:
    import csv
    import io

    text = data_file(*REGIONS_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    found = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        if bool(row["from"]) == reformed:
            found.append((row["code"], Region(row["region_code"], row["region"])))
    return tuple(found)
