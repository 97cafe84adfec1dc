"""A formula an officer typed into an input cell (``=12+30``, ``=SUM(E9:E11)``), and
whether the value cached with it can be believed.

The number the officer sees in Excel is what the formula computes; the file keeps a
cached copy, which a program that does not calculate (or a hand-edited file) can leave
stale.  A formula made of numbers, cell references of the same sheet, ``+ - * /``,
parentheses and ``SUM`` is computed here, exactly: a cache that disagrees is an error
(:func:`evaluate` returns the number the officer would see, or the error value: a
formula that cannot give a number, ``=1/0``, is an error too).  Anything else cannot be
checked here and returns None: the reader then takes the cache with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from .numbers import parse_number
from .values import ExcelError

_TOKEN = re.compile(
    r"\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d{1,3})?)|(\$?[A-Z]{1,3}\$?\d{1,7})|(SUM)\(|([-+*/(),:]))"
)
MAX_TERMS = 10_000  # tokens; Excel's own limit is 8,192 characters a formula
EXCEL_LARGEST = Fraction(17976931348623157, 10**16) * 10**308  # the largest double
MAX_RANGE_CELLS = 10_000

Lookup = Callable[[int, int], object]  # 0-based (row, col) → the cell's value


def evaluate(formula: str, lookup: Lookup) -> Fraction | ExcelError | None:
    """The exact value of a simple formula (without '='), the error Excel would show
    (``=1/0`` is #DIV/0!, a result past Excel's largest number #NUM!), or None when the
    formula is not a simple one."""
    try:
        tokens = _tokens(formula.strip().lstrip("=").upper())
        if tokens is None or len(tokens) > MAX_TERMS:
            return None
        parser = _Parser(tokens, lookup)
        value = parser.expression()
        return value if parser.done() else None
    except ZeroDivisionError:
        return ExcelError("#DIV/0!")
    except _OutOfRange:
        return ExcelError("#NUM!")
    except (_NotSimple, RecursionError):
        return None


class _NotSimple(Exception):
    pass


class _OutOfRange(Exception):
    pass


def _in_range(value: Fraction) -> Fraction:
    if abs(value) > EXCEL_LARGEST:
        raise _OutOfRange
    return value


def _tokens(text: str) -> list[tuple[str, str]] | None:
    tokens, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match or match.end() == at:
            if text[at:].strip() == "":
                break
            return None
        number, ref, function, symbol = match.groups()
        kind = "num" if number else "ref" if ref else "sum" if function else "sym"
        tokens.append((kind, number or ref or function or symbol))
        at = match.end()
    return tokens


def _cell(ref: str) -> tuple[int, int]:
    ref = ref.replace("$", "")
    letters = "".join(ch for ch in ref if ch.isalpha())
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(ref[len(letters):]) - 1, col - 1


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], lookup: Lookup):
        self.tokens, self.at, self.lookup = tokens, 0, lookup

    def done(self) -> bool:
        return self.at == len(self.tokens)

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _NotSimple
        self.at += 1
        return token

    def expression(self) -> Fraction:
        value = self.term()
        while self.peek() in (("sym", "+"), ("sym", "-")):
            sign = self.take()[1]
            value = _in_range(value + self.term() if sign == "+" else value - self.term())
        return value

    def term(self) -> Fraction:
        value = self.factor()
        while self.peek() in (("sym", "*"), ("sym", "/")):
            sign = self.take()[1]
            other = self.factor()
            value = _in_range(value * other if sign == "*" else value / other)
        return value

    def factor(self) -> Fraction:
        kind, text = self.take()
        if (kind, text) == ("sym", "-"):
            return -self.factor()
        if (kind, text) == ("sym", "+"):
            return self.factor()
        if kind == "num":
            return _in_range(Fraction(text))
        if kind == "ref":
            return self.value(*_cell(text))
        if (kind, text) == ("sym", "("):
            value = self.expression()
            if self.take() != ("sym", ")"):
                raise _NotSimple
            return value
        if kind == "sum":
            return self.sum()
        raise _NotSimple

    def sum(self) -> Fraction:
        total = Fraction(0)
        while True:
            kind, text = self.take()
            if kind == "ref" and self.peek() == ("sym", ":"):
                self.take()
                end_kind, end = self.take()
                if end_kind != "ref":
                    raise _NotSimple
                (r1, c1), (r2, c2) = _cell(text), _cell(end)
                if (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1) > MAX_RANGE_CELLS:
                    raise _NotSimple
                for row in range(min(r1, r2), max(r1, r2) + 1):
                    for col in range(min(c1, c2), max(c1, c2) + 1):
                        total += self.value(row, col, blank_is_zero=True)
            else:
                self.at -= 1
                total += self.expression()
            separator = self.take()
            if separator == ("sym", ")"):
                return total
            if separator != ("sym", ","):
                raise _NotSimple

    def value(self, row: int, col: int, blank_is_zero: bool = True) -> Fraction:
        raw = self.lookup(row, col)
        if raw is None or raw == "":
            return Fraction(0)
        if isinstance(raw, str):
            raise _NotSimple  # Excel's own text-to-number rules differ: not checked here
        parsed = parse_number(raw)
        if parsed.value is None:
            raise _NotSimple
        return parsed.value
