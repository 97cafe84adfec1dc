"""Compare two folders of xladdin outputs (e.g. ``xladdin demo --out`` at two commits) and
say every difference an officer or another tool could notice.

    python tools/compare_outputs.py OLD_DIR NEW_DIR

For each workbook of the same relative name: every cell that differs, sheet by sheet, with
shared strings resolved (so one new string does not shift every later index), as
``value / formula / style`` before and after; then every other part whose XML differs
element by element (``tests/xml_parts.py``: attribute order ignored; ``docProps``
created/modified, ISO timestamps such as ``_meta`` created_at masked).  Other files (JSON,
CSV) are compared as text with ISO timestamps masked.  The two folder names are masked
everywhere (outputs name their own paths).  Exit 1 when anything differs.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from xml_parts import TIMESTAMP, differences  # type: ignore[import-not-found]  # noqa: E402

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
Cell = tuple[str | None, str | None, str | None]  # value, formula, style


def cells(path: Path, mask: dict[str, str]) -> dict[str, dict[str, Cell]]:
    """Sheet name → cell reference → (value, formula, style), shared strings resolved."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        strings = []
        if "xl/sharedStrings.xml" in names:
            for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{MAIN}si"):
                strings.append("".join(t.text or "" for t in item.iter(f"{MAIN}t")))
        targets = {r.get("Id"): r.get("Target", "")
                   for r in ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))}
        found = {}
        for sheet in ET.fromstring(book.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
            part = "xl/" + targets[sheet.get(f"{RELS}id")].lstrip("/").removeprefix("xl/")
            found[sheet.get("name", "")] = {
                c.get("r", ""): _cell(c, strings, mask)
                for c in ET.fromstring(book.read(part)).iter(f"{MAIN}c")
            }
        return found


def _cell(c: ET.Element, strings: list[str], mask: dict[str, str]) -> Cell:
    v, f = c.find(f"{MAIN}v"), c.find(f"{MAIN}f")
    value = v.text if v is not None else None
    if value is not None and c.get("t") == "s":
        value = strings[int(value)]
    if value is not None:
        value = TIMESTAMP.sub("<time>", value)
        for old, new in mask.items():
            value = value.replace(old, new)
    return value, None if f is None else f.text, c.get("s")


def _order(ref: str) -> tuple[int, int]:
    letters, digits = re.match(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits), column


def compare(old: Path, new: Path) -> list[str]:
    mask = {str(old): "<out>", str(new): "<out>"}
    files = sorted({p.relative_to(old) for p in old.rglob("*") if p.is_file()}
                   | {p.relative_to(new) for p in new.rglob("*") if p.is_file()})
    found = []
    for rel in files:
        a, b = old / rel, new / rel
        if not a.exists() or not b.exists():
            found.append(f"{rel}: only in {old if a.exists() else new}")
        elif rel.suffix != ".xlsx":
            texts = [TIMESTAMP.sub("<time>", p.read_text(encoding="utf-8")) for p in (a, b)]
            for before, after in mask.items():
                texts = [t.replace(before, after) for t in texts]
            if texts[0] != texts[1]:
                found.append(f"{rel}: text differs")
        else:
            found += _workbook(rel, a, b, mask)
    return found


def _workbook(rel: Path, a: Path, b: Path, mask: dict[str, str]) -> list[str]:
    found = []
    left, right = cells(a, mask), cells(b, mask)
    for sheet in [*left, *(s for s in right if s not in left)]:
        x, y = left.get(sheet, {}), right.get(sheet, {})
        for ref in sorted(set(x) | set(y), key=_order):
            if x.get(ref) != y.get(ref):
                found.append(f"{rel} «{sheet}»!{ref}: {x.get(ref)} -> {y.get(ref)}")
    for line in differences(a, b, mask):  # the other parts' XML
        if not re.match(r"xl/(worksheets/sheet\d+|sharedStrings)\.xml: ", line):
            found.append(f"{rel}: {line}")
    with zipfile.ZipFile(a) as one, zipfile.ZipFile(b) as two:  # a sheet's XML but its cells
        for part in sorted(set(one.namelist()) & set(two.namelist())):
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", part):
                found += [f"{rel}: {part}: {d}"
                          for d in _sheet_rest(one.read(part), two.read(part))]
    return found


def _sheet_rest(a: bytes, b: bytes) -> list[str]:
    """What differs in a worksheet part besides its cells: columns, rows' heights,
    dimension, merges, validation, protection, print setup…, element by element."""
    found = []
    left, right = ET.fromstring(a), ET.fromstring(b)
    for root in (left, right):
        for row in root.iter(f"{MAIN}row"):
            for cell in row.findall(f"{MAIN}c"):
                row.remove(cell)
    x, y = list(left), list(right)
    for i in range(max(len(x), len(y))):
        p = ET.tostring(_sorted(x[i])) if i < len(x) else b""
        q = ET.tostring(_sorted(y[i])) if i < len(y) else b""
        if p != q:
            tag = (x[i] if i < len(x) else y[i]).tag.removeprefix(MAIN)
            found.append(f"<{tag}> differs: {p[:300]!r} -> {q[:300]!r}")
    return found


def _sorted(element: ET.Element) -> ET.Element:
    """The element with its attributes in one order (their order means nothing in XML)."""
    copy = ET.Element(element.tag, dict(sorted(element.attrib.items())))
    copy.text, copy.tail = (element.text or "").strip(), None
    copy.extend(_sorted(child) for child in element)
    return copy


if __name__ == "__main__":
    problems = compare(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
    print("\n".join(problems) or "no difference")
    sys.exit(1 if problems else 0)
