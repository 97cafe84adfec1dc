"""Text that can travel into a workbook's XML.

XML 1.0 has no place for most control characters: one in a unit's name, copied from
another program, made a table part Excel refuses to open.  Names are refused at the
door (:func:`control_characters`, with a message); anything else is stripped on the
way out (:func:`printable`), whatever writes it.
"""

from __future__ import annotations

import re

# C0 controls (tab, newline and carriage return too: never in a name), DEL and C1,
# the two non-characters XML refuses, and lone surrogates (a name that was not UTF-8).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def control_characters(name: str) -> list[str]:
    """The control characters in ``name``, shown as U+XXXX (empty when it is clean)."""
    return sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(str(name))})


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` without the characters XML cannot hold (notes keep their line breaks
    unless ``one_line``)."""
    if one_line:
        return _CONTROL.sub(" ", text)
    return _CONTROL_IN_TEXT.sub("", text)
