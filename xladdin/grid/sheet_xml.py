"""What calamine does not say about a sheet: its formula cells and its error cells.

A streaming pass (iterparse) over one worksheet part of the .xlsx zip, done only when a
reader asks; nothing else of the XML is kept.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from functools import cached_property
from pathlib import Path

from .base import parse_a1

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → its part inside the zip (``xl/worksheets/sheet1.xml``)."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, zipfile.BadZipFile, ET.ParseError, OSError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = part
    return parts


class SheetXml:
    def __init__(self, path: Path, part: str | None):
        self._path = path
        self._part = part

    @cached_property
    def _scan(self) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
        formulas: dict[tuple[int, int], str] = {}
        errors: dict[tuple[int, int], str] = {}
        if not self._part:
            return formulas, errors
        shared: dict[str, str] = {}
        try:
            with zipfile.ZipFile(self._path) as archive, archive.open(self._part) as stream:
                for _, element in ET.iterparse(stream):
                    if element.tag != f"{_MAIN}c":
                        continue
                    where = parse_a1(element.get("r", ""))
                    formula = element.find(f"{_MAIN}f")
                    if where is not None and formula is not None:
                        text = formula.text or ""
                        index = formula.get("si")
                        if formula.get("t") == "shared" and index is not None:
                            # Later cells of a shared formula carry only its index; the
                            # text matters little to us (we only need to know it is one).
                            text = shared.setdefault(index, text) if text else shared.get(index, "")
                        formulas[where] = text
                    if where is not None and element.get("t") == "e":
                        value = element.find(f"{_MAIN}v")
                        errors[where] = (
                            (value.text or "#VALUE!") if value is not None else "#VALUE!"
                        )
                    element.clear()
        except (KeyError, zipfile.BadZipFile, ET.ParseError, OSError):
            pass
        return formulas, errors

    @property
    def formulas(self) -> dict[tuple[int, int], str]:
        return self._scan[0]

    @property
    def errors(self) -> dict[tuple[int, int], str]:
        return self._scan[1]
