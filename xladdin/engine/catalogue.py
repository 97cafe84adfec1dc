"""The indicator catalogue (danh mục chỉ tiêu): what can be planned and reported.

The catalogue itself is data (``workbooks/catalogue/indicators.csv``); this module gives
it a shape and checks it.  Three kinds (contract §8):

* ``count``: events in a period (new users, visits, items: người, lượt, chiếc…),
  summed over units and over the periods of the year;
* ``stock``: a level at the end of a period (women 15–49 using a modern method, married
  women 15–49): summed over units, but over periods each unit's latest value, never a
  sum (DHIS2's "last value, sum in org unit hierarchy");
* ``rate``: a percentage with a numerator and a denominator indicator, aggregated as
  Σ numerator / Σ denominator (never averaged, never summed).

A count or stock may have ``parts`` (a combined row): its value is always the sum of
other indicators (Tổng cộng = dài hạn + ngắn hạn) when they are present in the same table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..errors import CatalogueError

COUNT = "count"
STOCK = "stock"
RATE = "rate"
KINDS = (COUNT, STOCK, RATE)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # ĐVT: người, lượt, chiếc, vỉ, %
    kind: str = COUNT
    numerator: str | None = None
    denominator: str | None = None
    parts: tuple[str, ...] = ()
    group: str = ""
    note: str = ""

    @property
    def is_rate(self) -> bool:
        return self.kind == RATE

    @property
    def is_stock(self) -> bool:
        return self.kind == STOCK

    @property
    def is_count(self) -> bool:
        return self.kind == COUNT

    @property
    def is_combined(self) -> bool:
        """A row that is the sum of other indicators (``parts``)."""
        return bool(self.parts) and not self.is_rate


class Catalogue:
    """Indicators by code, in catalogue order."""

    def __init__(self, indicators: Iterable[Indicator]):
        self._by_code: dict[str, Indicator] = {}
        for indicator in indicators:
            if indicator.code in self._by_code:
                raise CatalogueError(f"Mã chỉ tiêu {indicator.code} bị trùng trong danh mục.")
            self._by_code[indicator.code] = indicator
        self._check()

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Catalogue:
        """From CSV-like rows with headers code, name, unit, kind, numerator,
        denominator, parts (codes joined by ``+``), group, note."""
        indicators = []
        for number, row in enumerate(rows, start=2):
            code = (row.get("code") or "").strip()
            if not code:
                raise CatalogueError(f"Dòng {number} của danh mục chưa có mã chỉ tiêu.")
            kind = (row.get("kind") or COUNT).strip()
            if kind not in KINDS:
                raise CatalogueError(
                    f"Chỉ tiêu {code}: loại '{kind}' không hợp lệ (count/stock/rate).")
            parts = tuple(p.strip() for p in (row.get("parts") or "").split("+") if p.strip())
            indicators.append(
                Indicator(
                    code=code,
                    name=(row.get("name") or "").strip(),
                    unit=(row.get("unit") or "").strip(),
                    kind=kind,
                    numerator=(row.get("numerator") or "").strip() or None,
                    denominator=(row.get("denominator") or "").strip() or None,
                    parts=parts,
                    group=(row.get("group") or "").strip(),
                    note=(row.get("note") or "").strip(),
                )
            )
        return cls(indicators)

    def _check(self) -> None:
        for indicator in self:
            if indicator.is_rate:
                for role in ("numerator", "denominator"):
                    ref = getattr(indicator, role)
                    if ref is None or ref not in self._by_code:
                        raise CatalogueError(
                            f"Tỷ lệ {indicator.code}: thiếu hoặc sai chỉ tiêu {role} ({ref})."
                        )
            for part in indicator.parts:
                if part not in self._by_code:
                    raise CatalogueError(f"Chỉ tiêu {indicator.code}: thành phần {part} không có.")
                if not indicator.is_rate and self._by_code[part].kind != indicator.kind:
                    # a total of events and levels would be neither summed nor "latest"
                    raise CatalogueError(
                        f"Chỉ tiêu {indicator.code} ({indicator.kind}): thành phần {part} "
                        f"là loại {self._by_code[part].kind}, phải cùng loại.")

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Indicator:
        try:
            return self._by_code[code]
        except KeyError:
            raise CatalogueError(f"Mã chỉ tiêu '{code}' không có trong danh mục.") from None

    def find(self, code: str) -> Indicator | None:
        return self._by_code.get(code)

    def kind(self, code: str) -> str:
        """The kind of a code (``count`` for a code the catalogue does not know)."""
        found = self._by_code.get(code)
        return found.kind if found else COUNT

    def stocks(self) -> tuple[str, ...]:
        return tuple(i.code for i in self if i.is_stock)
