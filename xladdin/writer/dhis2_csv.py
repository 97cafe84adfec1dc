"""Writes a DHIS2 data value set in DHIS2's CSV import layout (contract §11).

UTF-8 without a byte-order mark (DHIS2 reads the first row as the header), one data
value a line, the columns DHIS2's CSV import expects in its order.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..engine.dhis2 import COLUMNS, DataValueSet
from .save import atomic_write_text


def write_dhis2_csv(values: DataValueSet, path: str | os.PathLike[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for value in values.values:
        writer.writerow(value.row())
    return atomic_write_text(path, buffer.getvalue())
