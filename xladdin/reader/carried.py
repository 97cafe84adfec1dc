"""The catalogue a workbook carries (its ``_catalogue`` sheet, see
:mod:`xladdin.writer.catalogue_sheet`), laid over the catalogue the caller has."""

from __future__ import annotations

from ..contract import CATALOGUE_SHEET
from ..engine.catalogue import CSV_COLUMNS, Catalogue
from ..errors import CatalogueError, WorkbookError
from ..grid.base import WorkbookGrid
from .locate import clean


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
