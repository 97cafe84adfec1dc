"""Administrative units (đơn vị) as a tree of any depth.

Nation → province → district → commune → neighbourhood (khu phố, thôn, tổ dân phố)
before the 2025 reform; nation → province → commune/ward → neighbourhood after it.  The
tree does not care how many levels there are: a unit only knows its parent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import UnitError
from .text import control_characters, printable


@dataclass(frozen=True)
class Unit:
    """A unit: GSO code where one exists, else ``PARENT-KPn``; weight is for splitting."""

    code: str
    name: str
    parent_code: str | None = None
    weight: object = None
    level: str = ""

    def __post_init__(self) -> None:
        if not str(self.code).strip():
            raise UnitError("Mã đơn vị không được để trống.")
        if not str(self.name).strip():
            raise UnitError(f"Đơn vị {self.code} chưa có tên.")
        bad = control_characters(str(self.code)) + control_characters(str(self.name))
        if bad:  # it would reach a table part's XML, which Excel then refuses to open
            shown = printable(str(self.name), one_line=True)
            raise UnitError(f"Tên hoặc mã đơn vị «{shown}» có ký tự điều khiển ({', '.join(bad)}): "
                            "hãy gõ lại tên.")


@dataclass
class UnitTree:
    """Units indexed by code, children kept in the order they were given."""

    _units: dict[str, Unit] = field(default_factory=dict)
    _children: dict[str | None, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitTree:
        tree = cls()
        for unit in units:
            tree.add(unit)
        tree._check_no_cycle()
        return tree

    def add(self, unit: Unit) -> None:
        if unit.code in self._units:
            raise UnitError(f"Mã đơn vị {unit.code} bị trùng.")
        self._units[unit.code] = unit
        self._children.setdefault(unit.parent_code, []).append(unit.code)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def get(self, code: str) -> Unit:
        try:
            return self._units[code]
        except KeyError:
            raise UnitError(f"Không tìm thấy đơn vị có mã {code}.") from None

    def children(self, code: str) -> list[Unit]:
        return [self._units[c] for c in self._children.get(code, [])]

    def roots(self) -> list[Unit]:
        return [u for u in self._units.values() if u.parent_code not in self._units]

    def path(self, code: str) -> list[Unit]:
        """From the root down to ``code``."""
        chain = [self.get(code)]
        while chain[-1].parent_code in self._units:
            chain.append(self._units[chain[-1].parent_code])
        return chain[::-1]

    def depth(self, code: str) -> int:
        return len(self.path(code)) - 1

    def descendants(self, code: str) -> Iterator[Unit]:
        for child in self.children(code):
            yield child
            yield from self.descendants(child.code)

    def _check_no_cycle(self) -> None:
        for code in self._units:
            seen = {code}
            parent = self._units[code].parent_code
            while parent in self._units:
                if parent in seen:
                    raise UnitError(f"Đơn vị {code} nằm trong một vòng lặp cấp trên – cấp dưới.")
                seen.add(parent)
                parent = self._units[parent].parent_code


def file_code(code: str) -> str:
    """A unit code as it goes into its form's file name (contract §4): NFC, and every
    character but letters, digits, ``-`` and ``_`` made ``-``."""
    text = unicodedata.normalize("NFC", str(code).strip())
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)


def code_key(code: str) -> str:
    """Two codes are one unit when their forms' file names are one file on Windows and
    macOS (case-insensitive): ``kp1`` and ``KP1``, ``K.1`` and ``K-1``."""
    return file_code(code).casefold()


def name_key(name: str) -> str:
    """Two names are one unit when they read the same: NFC («Khu Á» typed with a combining
    accent is «Khu Á»), single spaces, any case."""
    return " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()


class Repeats:
    """THE check for a unit listed twice (CHILDREN.csv, the plan's «Đơn vị», the plan
    writer): :meth:`see` each unit with its line or row number; it says, in Vietnamese,
    which earlier line the unit repeats, or None."""

    def __init__(self, where: str = "dòng") -> None:
        self.where = where  # what the numbers are: lines of a CSV, rows of a sheet…
        self._codes: dict[str, tuple[int, str]] = {}
        self._names: dict[str, tuple[int, str]] = {}

    def see(self, number: int, code: str, name: str) -> str | None:
        code, name = str(code).strip(), " ".join(str(name).split())
        said = self._said(self._codes, code_key(code), number, code, "mã đơn vị", _code_why)
        said = said or self._said(self._names, name_key(name), number, name, "tên đơn vị",
                                  _name_why)
        return said

    def _said(self, seen: dict[str, tuple[int, str]], key: str, number: int, text: str,
              what: str, why: Callable[[str, str], str]) -> str | None:
        if not key:
            return None
        if key not in seen:
            seen[key] = (number, text)
            return None
        first, first_text = seen[key]
        if first_text == text:
            return f"{what} «{text}» ở {self.where} {first} và {self.where} {number}"
        return (f"{what} «{first_text}» ({self.where} {first}) và «{text}» ({self.where} "
                f"{number}) "
                f"{why(first_text, text)}")


def _code_why(first: str, again: str) -> str:
    if unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", again):
        return "là cùng một mã, chỉ khác cách gõ dấu (Unicode NFC/NFD)"
    if name_key(first) == name_key(again):
        return ("chỉ khác chữ hoa, chữ thường: trên Windows và macOS biểu mẫu của hai đơn vị "
                "trùng tên tệp, tệp sau ghi đè tệp trước")
    return "cho cùng một tên tệp biểu mẫu (ký tự đặc biệt thành «-»)"


def _name_why(first: str, again: str) -> str:
    if unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", again):
        return "là cùng một tên, chỉ khác cách gõ dấu (Unicode NFC/NFD)"
    return "chỉ khác chữ hoa, chữ thường hoặc khoảng trắng"


# names only a neighbourhood carries (a commune may be called «Bản Xèo»: not in this list)
NEIGHBOURHOOD_NAME = re.compile(r"^(khu phố|thôn|tổ dân phố|khóm|ấp)(\s|$)|^(kp|tdp|tổ)\s*\d+$")


def is_neighbourhood(code: str, name: str, parent_code: str = "") -> bool:
    """A khu phố, thôn or tổ dân phố: below the commune, it has no GSO code (``PARENT-KPn``)
    and no seal.  Told from its code (not a GSO number), its parent (a 5-digit commune
    code) or its name («Khu phố 1», «Thôn Đông», «KP3»)."""
    code, parent = str(code).strip(), str(parent_code or "").strip()
    if "-" in code and code.split("-")[0].isdigit():
        return True
    if len(parent) == 5 and parent.isdigit():
        return True
    return NEIGHBOURHOOD_NAME.match(" ".join(str(name).lower().split())) is not None


def neighbourhood_code(parent_code: str, number: int) -> str:
    """Code of a unit that has no GSO code: ``PARENT-KPn`` (khu phố / thôn / tổ n)."""
    return f"{parent_code}-KP{number}"
