"""Compare the XML parts of two .xlsx files element by element (as XlsxWriter's own tests do).

What may differ between two runs that write the same workbook, and is masked:
- ``docProps/core.xml`` ``dcterms:created`` / ``dcterms:modified`` (write time);
- ``_meta`` ``created_at`` and any other ISO 8601 timestamp with a time of day;
- the ``<dimension>`` and attribute order (XML semantics, not bytes).
Everything else (cells, formulas, cached values, styles, tables, validation, protection,
defined names, print setup) must be equal.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
MASKED_ELEMENTS = {
    "{http://purl.org/dc/terms/}created",
    "{http://purl.org/dc/terms/}modified",
}


def _canonical(element: ET.Element, mask: dict[str, str]) -> tuple:
    text = (element.text or "").strip()
    if element.tag in MASKED_ELEMENTS:
        text = "<time>"
    text = TIMESTAMP.sub("<time>", text)
    for old, new in mask.items():
        text = text.replace(old, new)
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        text,
        tuple(_canonical(child, mask) for child in element),
    )


def parts(path: Path) -> dict[str, bytes]:
    """The parts of a workbook: a .xlsx file, or a folder holding its parts (references)."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes()
                for p in sorted(path.rglob("*")) if p.is_file()}
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def differences(expected: Path, got: Path, mask: dict[str, str] | None = None) -> list[str]:
    """What differs between two workbooks, part by part (empty when equal).  ``mask``
    replaces texts that may differ (e.g. the folder a run wrote into) before comparing."""
    left, right = parts(expected), parts(got)
    found = [f"part only in {expected.name}: {n}" for n in sorted(set(left) - set(right))]
    found += [f"part only in {got.name}: {n}" for n in sorted(set(right) - set(left))]
    for name in sorted(set(left) & set(right)):
        if not name.endswith((".xml", ".rels", ".vml")):
            if left[name] != right[name]:
                found.append(f"{name}: bytes differ")
            continue
        a = _canonical(ET.fromstring(left[name]), mask or {})
        b = _canonical(ET.fromstring(right[name]), mask or {})
        if a != b:
            found.append(f"{name}: {_first_difference(a, b)}")
    return found


def extract(workbook: Path, folder: Path, mask: dict[str, str] | None = None) -> None:
    """Store a workbook's parts as files (the reference of a test), ``mask`` applied."""
    if folder.exists():
        for old in sorted(folder.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
    for name, data in parts(workbook).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        for old, new in (mask or {}).items():
            data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
        target.write_bytes(data)


def _first_difference(a: tuple, b: tuple, path: str = "") -> str:
    here = f"{path}/{a[0].split('}')[-1]}"
    if a[0] != b[0]:
        return f"{path}: element {a[0]} != {b[0]}"
    if a[1] != b[1]:
        return f"{here}: attributes {a[1]} != {b[1]}"
    if a[2] != b[2]:
        return f"{here}: text {a[2]!r} != {b[2]!r}"
    if len(a[3]) != len(b[3]):
        return f"{here}: {len(a[3])} children != {len(b[3])}"
    for i, (x, y) in enumerate(zip(a[3], b[3])):
        if x != y:
            return _first_difference(x, y, f"{here}[{i}]")
    return here


def compare_trees(expected: Path, got: Path) -> list[str]:
    """Every workbook under two folders compared (same relative names)."""
    found = []
    left = {p.relative_to(expected) for p in expected.rglob("*.xlsx")}
    right = {p.relative_to(got) for p in got.rglob("*.xlsx")}
    found += [f"only in {expected}: {p}" for p in sorted(left - right)]
    found += [f"only in {got}: {p}" for p in sorted(right - left)]
    for rel in sorted(left & right):
        found += [f"{rel}: {d}" for d in differences(expected / rel, got / rel)]
    return found


if __name__ == "__main__":  # python tests/xml_parts.py OLD_DIR NEW_DIR
    problems = compare_trees(Path(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(problems) or "all XML parts equal")
    sys.exit(1 if problems else 0)
