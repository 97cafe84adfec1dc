"""The indicator catalogue (danh mục chỉ tiêu): what can be planned and reported.

The catalogue itself is data (``workbooks/catalogue/indicators.csv``); this module gives
it a shape and checks it.  Three kinds (contract §8):

* ``count``: events in a period (new users, visits, items: người, lượt, chiếc…),
  summed over units and over the periods of the year;
* ``stock``: a level at the end of a period (women 15–49 using a modern method, married
  women 15–49): summed over units, but over periods each unit's latest value, never a
  sum (DHIS2's "last value, sum in org unit hierarchy");
* ``rate``: a percentage with a numerator and a denominator indicator, aggregated as
  Σ numerator / Σ denominator (never averaged, never summed).  A rate marked
  ``proportion`` (column ``proportion`` = ``yes``; the bundled CPR) counts a part of its
  denominator (women using a method among married women), so on one form its numerator
  can never exceed its denominator: a form where it does is an error (two rows swapped).

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
    proportion: bool = False  # a rate whose numerator is a part of its denominator

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


CSV_COLUMNS = ("code", "name", "unit", "kind", "numerator", "denominator", "parts", "group", "note",
               "proportion")
YES, NO = ("yes", "có", "x", "1", "true"), ("", "no", "không", "0", "false")


class Catalogue:
    """Indicators by code, in catalogue order.

    ``lines`` (code → line of the CSV it came from) lets every problem name its row;
    all problems are found before one :class:`CatalogueError` lists them.
    """

    def __init__(self, indicators: Iterable[Indicator], lines: Mapping[str, int] | None = None,
                 source: str = "danh mục"):
        self._by_code: dict[str, Indicator] = {}
        self._lines = dict(lines or {})
        self._source = source
        for indicator in indicators:
            if indicator.code in self._by_code:
                raise CatalogueError(
                    f"{source}: {self._where(indicator.code)}: mã chỉ tiêu {indicator.code} "
                    "bị trùng trong danh mục."
                )
            self._by_code[indicator.code] = indicator
        problems = self._problems()
        if problems:
            raise CatalogueError(f"{source} có {len(problems)} lỗi:\n  " + "\n  ".join(problems))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], base: Catalogue | None = None,
                  source: str = "danh mục") -> Catalogue:
        """From CSV-like rows with headers code, name, unit, kind, numerator,
        denominator, parts (codes joined by ``+``), group, note (line 1 is the header).
        With ``base``, the rows add indicators to it or replace those with their code."""
        indicators, lines, problems = cls._parse(rows)
        if problems:
            raise CatalogueError(f"{source} có {len(problems)} lỗi:\n  " + "\n  ".join(problems))
        if base is None:
            return cls(indicators, lines, source)
        merged = {i.code: i for i in base}
        merged.update({i.code: i for i in indicators})
        return cls(merged.values(), lines, source)

    @staticmethod
    def _parse(
        rows: Iterable[Mapping[str, str]],
    ) -> tuple[list[Indicator], dict[str, int], list[str]]:
        indicators: list[Indicator] = []
        lines: dict[str, int] = {}
        problems: list[str] = []
        for number, row in enumerate(rows, start=2):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            code = (row.get("code") or "").strip()
            if not code:
                problems.append(f"dòng {number}: chưa có mã chỉ tiêu (cột code).")
                continue
            if code in lines:
                problems.append(f"dòng {number}: mã chỉ tiêu {code} trùng với dòng {lines[code]}.")
                continue
            kind = (row.get("kind") or COUNT).strip()
            if kind not in KINDS:
                problems.append(
                    f"dòng {number} ({code}): loại '{kind}' không hợp lệ (count/stock/rate)."
                )
                continue
            said = (row.get("proportion") or "").strip().casefold()
            if said not in YES + NO:
                problems.append(f"dòng {number} ({code}): cột proportion ghi «{said}»; ghi «yes» "
                                "cho tỷ lệ có tử số là một phần của mẫu số, hoặc để trống.")
                continue
            lines[code] = number
            parts = tuple(p.strip() for p in (row.get("parts") or "").split("+") if p.strip())
            indicators.append(
                Indicator(
                    code=code,
                    name=(row.get("name") or "").strip() or code,
                    unit=(row.get("unit") or "").strip(),
                    kind=kind,
                    numerator=(row.get("numerator") or "").strip() or None,
                    denominator=(row.get("denominator") or "").strip() or None,
                    parts=parts,
                    group=(row.get("group") or "").strip(),
                    note=(row.get("note") or "").strip(),
                    proportion=said in YES,
                )
            )
        return indicators, lines, problems

    def _where(self, code: str) -> str:
        line = self._lines.get(code)
        return f"dòng {line} ({code})" if line else code

    def _problems(self) -> list[str]:
        problems = []
        for indicator in self:
            where = self._where(indicator.code)
            if indicator.is_rate:
                for role, word in (("numerator", "tử số"), ("denominator", "mẫu số")):
                    ref = getattr(indicator, role)
                    if ref is None:
                        problems.append(
                            f"{where}: tỷ lệ {indicator.code} thiếu chỉ tiêu {word} (cột {role})."
                        )
                    elif ref not in self._by_code:
                        problems.append(
                            f"{where}: tỷ lệ {indicator.code} có {word} {ref} không có trong danh "
                            "mục."
                        )
                    elif self._by_code[ref].is_rate:
                        problems.append(
                            f"{where}: {word} {ref} của tỷ lệ {indicator.code} cũng là một tỷ lệ."
                        )
            if indicator.proportion and not indicator.is_rate:
                problems.append(f"{where}: chỉ tiêu {indicator.code} không phải tỷ lệ (rate): "
                                "cột proportion chỉ dùng cho tỷ lệ.")
            for part in indicator.parts:
                if part not in self._by_code:
                    problems.append(
                        f"{where}: chỉ tiêu {indicator.code}: thành phần {part} không có trong "
                        "danh mục."
                    )
                elif not indicator.is_rate and self._by_code[part].kind != indicator.kind:
                    # a total of events and levels would be neither summed nor "latest"
                    problems.append(
                        f"{where}: chỉ tiêu {indicator.code} ({indicator.kind}): thành phần {part} "
                        f"là loại {self._by_code[part].kind}, phải cùng loại.")
        problems += self._cycles()
        return problems

    def _cycles(self) -> list[str]:
        """Combined rows that contain themselves (A = B + …, B = A + …)."""
        found, done = [], set()

        def visit(code: str, path: tuple[str, ...]) -> None:
            if code in path:
                loop = path[path.index(code):] + (code,)
                key = frozenset(loop)
                if key not in done:
                    done.add(key)
                    found.append(
                        f"{self._where(loop[0])}: các dòng cộng gộp tạo vòng lặp: "
                        f"{' → '.join(loop)}."
                    )
                return
            indicator = self._by_code.get(code)
            if indicator is None or indicator.is_rate:
                return
            for part in indicator.parts:
                visit(part, path + (code,))

        for indicator in self:
            if indicator.is_combined:
                visit(indicator.code, ())
        return found

    def rows(self, codes: Iterable[str] | None = None) -> list[dict[str, str]]:
        """The indicators (all, or ``codes``) as CSV rows, the columns of indicators.csv."""
        wanted = self if codes is None else [self._by_code[c] for c in codes]
        return [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "kind": i.kind,
                "numerator": i.numerator or "",
                "denominator": i.denominator or "",
                "parts": "+".join(i.parts),
                "group": i.group,
                "note": i.note,
                "proportion": "yes" if i.proportion else "",
            }
            for i in wanted
        ]

    def differing_from(self, base: Catalogue) -> list[str]:
        """Codes of the indicators this catalogue adds to ``base`` or defines otherwise."""
        return [i.code for i in self if base.find(i.code) != i]

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
