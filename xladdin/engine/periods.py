"""Reporting periods (kỳ báo cáo), contract §8: ``YYYY-MM``, ``YYYY-Qn`` or ``round-N``.

A unit reports many times a year: months (seed 003: by the 6th of the next month),
quarters, or campaign rounds (seed 000).  A period is kept as its contract string; this
module checks it, orders it, names it in Vietnamese («Tháng 3/2024», «Quý I/2024»,
«Đợt 2», «Cả năm 2024») and gives DHIS2's string for it (``202403``, ``2024Q1``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import UsageError
from .model import Meta

MONTH = "month"
QUARTER = "quarter"
ROUND = "round"  # a campaign round (the word of the contract string round-N)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_ROUND = re.compile(r"^round-(\d{1,2})$", re.IGNORECASE)
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    """Ordered within a year: months and quarters by their last month, rounds after
    nothing (a campaign round has no calendar place), so they sort by number."""

    sort_key: tuple[int, int, int, int]
    text: str  # the contract string: 2024-03, 2024-Q1, round-2
    kind: str
    year: int | None
    number: int  # month 1–12, quarter 1–4, round N

    @property
    def is_calendar(self) -> bool:
        return self.kind in (MONTH, QUARTER)

    def label(self, year: int | None = None) -> str:
        """«Tháng 3/2024», «Quý I/2024», «Đợt 2», «Cả năm 2024» (round 0)."""
        if self.kind == MONTH:
            return f"Tháng {self.number}/{self.year}"
        if self.kind == QUARTER:
            return f"Quý {_ROMAN[self.number]}/{self.year}"
        if self.number == 0:
            return f"Cả năm {year}" if year else "Cả năm"
        return f"Đợt {self.number}" + (f" năm {year}" if year else "")

    def title(self, year: int | None = None) -> str:
        """The label in a sheet title: «THÁNG 3/2024», «ĐỢT 2 NĂM 2024», «CẢ NĂM 2024»."""
        return self.label(year).upper()

    def dhis2(self, year: int) -> str:
        """DHIS2's period: 202403, 2024Q1; a campaign round or the whole year: the year."""
        if self.kind == MONTH:
            return f"{self.year}{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.number}"
        return str(year)

    def end(self) -> dt.date | None:
        """The last day of a month or quarter; None for a round."""
        if not self.is_calendar or self.year is None:
            return None
        month = self.number if self.kind == MONTH else self.number * 3
        first_next = dt.date(self.year + month // 12, month % 12 + 1, 1)
        return first_next - dt.timedelta(days=1)


def parse_period(text: str | None, default_round: int = 0) -> Period:
    """The period of a contract string; empty means ``round-<default_round>``.
    Raises :class:`UsageError` (Vietnamese) on anything else."""
    raw = (text or "").strip()
    if not raw:
        return round_period(default_round)
    if found := _MONTH.match(raw):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return Period((0, year, month, 0), f"{year}-{month:02d}", MONTH, year, month)
    elif found := _QUARTER.match(raw):
        year, quarter = int(found[1]), int(found[2])
        return Period((0, year, quarter * 3, 1), f"{year}-Q{quarter}", QUARTER, year, quarter)
    elif found := _ROUND.match(raw):
        return round_period(int(found[1]))
    raise UsageError(f"Kỳ báo cáo «{raw}» không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) "
                     "hoặc round-N (đợt).")


def round_period(number: int) -> Period:
    return Period((1, 0, number, 0), f"round-{number}", ROUND, None, number)


def period_of(meta: Meta) -> Period:
    """The period a workbook's ``_meta`` names (``round-<round>`` when it names none)."""
    try:
        return parse_period(meta.period, meta.round)
    except UsageError:
        return round_period(meta.round)


def period_title(meta: Meta) -> str:
    """What a sheet title says after «CHỈ TIÊU»: «THÁNG 3/2024», «ĐỢT 2 NĂM 2024»,
    «CẢ NĂM 2024» (never «CẢ NĂM NĂM»)."""
    return period_of(meta).title(meta.year)


def due_date(text: str | None) -> dt.date | None:
    """A due date as ``_meta`` and the forms keep it (ISO ``YYYY-MM-DD``, maybe followed by
    a time) as a date; None when there is none or it is not a date."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def shown_date(text: str | None) -> str | None:
    """Such a date as an officer reads it (06/04/2024); None when there is none or it is
    not a date (the one way: no ISO text sliced by hand)."""
    day = due_date(text)
    return None if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"
