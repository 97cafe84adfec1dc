"""The copy of a sheet calamine is given when the original must not reach it: only the
cells kept by the scan (:class:`~xladdin.grid.sheet_xml.SheetScan`), error cells left out,
far cells counted.  Split from :mod:`xladdin.grid.sheet_xml` (one job a module)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from xml.sax.saxutils import escape

from .base import a1
from .package import Package
from .sheet_xml import _MAIN, _MAIN_NS, _QUOTE, SheetScan, _cells


def rewritten_sheet(package: Package, part: str, scan: SheetScan, deadline: float) -> bytes:
    """The sheet as calamine may read it: only the kept cells, no error cells."""
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{_MAIN_NS}"><sheetData>',
    ]
    current = -1
    kept: list[str] = []

    def flush() -> None:
        if kept:
            out.append(f'<row r="{current + 1}">' + "".join(kept) + "</row>")

    for (row, _col), element in _cells_kept(package, part, scan, deadline):
        if row != current:
            flush()
            current, kept = row, []
        kept.append(_xml(element))
    flush()
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


def _xml(element: ET.Element) -> str:
    """A cell element as text in the main namespace: its plain attributes (r, s, t…), its
    text and children of the main namespace; anything else (extensions) is left out."""
    tag = element.tag[len(_MAIN):]
    attributes = "".join(
        f' {k}="{escape(v, _QUOTE)}"' for k, v in element.attrib.items() if "{" not in k
    )
    inner = escape(element.text or "") + "".join(
        _xml(child) + escape(child.tail or "") for child in element if child.tag.startswith(_MAIN))
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _cells_kept(package: Package, part: str, scan: SheetScan,
                deadline: float) -> Iterator[tuple[tuple[int, int], ET.Element]]:
    """The kept cells, each complete when yielded (serialised before it is cleared)."""
    for where, element in _cells(package, part, deadline):
        has_value = element.find(f"{_MAIN}v") is not None or element.find(f"{_MAIN}is") is not None
        if not scan.keeps(*where):
            if has_value or element.find(f"{_MAIN}f") is not None:
                scan.n_far += 1
                if len(scan.far) < 3:
                    scan.far.append(where)
        elif element.get("t") != "e" and has_value:
            element.set("r", a1(*where))
            yield where, element
