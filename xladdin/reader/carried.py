"""The catalogue a workbook carries (its ``_catalogue`` sheet, see
:mod:`xladdin.writer.catalogue_sheet`), laid over the catalogue the caller has."""

from __future__ import annotations

from pathlib import Path

from ..contract import CATALOGUE_SHEET
from ..engine.catalogue import CSV_COLUMNS, Catalogue
from ..errors import CatalogueError, WorkbookError
from ..grid.base import WorkbookGrid
from ..grid.package import Package, read_file_once
from ..grid.sheet_xml import sheet_parts
from .locate import clean


def carries_catalogue(path: Path) -> bool:
    """Does the workbook at ``path`` have a ``_catalogue`` sheet?  Only its list of sheets
    is read; a workbook that cannot be read even so might (True)."""
    try:
        names = sheet_parts(Package(read_file_once(path)))
    except Exception:  # any problem is said when the workbook is read the ordinary way
        return True
    return any(name.casefold() == CATALOGUE_SHEET for name in names)


def catalogue_of(grid: WorkbookGrid, base: Catalogue) -> Catalogue:
    """``base`` with the workbook's own indicators added (or ``base`` itself)."""
    name = next((n for n in grid.sheet_names if n.casefold() == CATALOGUE_SHEET), None)
    if name is None:
        return base
    sheet = grid.sheet(name)
    header = [clean(v) for v in sheet.row_values(0)] if sheet.n_rows else []
    if "code" not in header:
        raise WorkbookError("Trang _catalogue (danh mục chỉ tiêu riêng) bị hỏng: thiếu cột code.",
                            file=grid.source, sheet=name, cell="A1")
    rows = []
    for row in range(1, sheet.n_rows):
        values = sheet.row_values(row)
        rows.append({key: clean(values[i]) if i < len(values) else ""
                     for i, key in enumerate(header) if key in CSV_COLUMNS})
    try:
        return Catalogue.from_rows(
            rows, base=base, source=f"Danh mục chỉ tiêu riêng trong {grid.source}"
        )
    except CatalogueError as error:
        raise WorkbookError(str(error), file=grid.source, sheet=name) from None
