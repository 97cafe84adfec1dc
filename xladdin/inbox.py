"""The forms that came back: every file under a folder (or every sheet of one workbook),
read one at a time, each turned into a :class:`Submission`.

Every file is either read or named in an issue; Excel's lock files (``~$…``) are the
only ones passed over in silence.  Nothing is ever written here.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from .engine.catalogue import Catalogue
from .engine.consolidate import Submission
from .engine.model import ERROR, WARNING, Issue, Plan
from .errors import WorkbookError
from .grid.calamine_grid import open_workbook
from .reader.book_forms import read_form_sheets, set_aside_non_form
from .reader.form_reader import read_form

FORM_SUFFIXES = {".xlsx", ".xlsm"}
OTHER_SPREADSHEETS = {".xls", ".xlsb", ".ods", ".csv", ".numbers"}


def inbox_files(folder: Path) -> list[Path]:
    """Every file below ``folder`` (sorted, NFC and NFD names alike), lock files excepted."""
    files = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if unicodedata.normalize("NFC", name).startswith("~$"):
                continue  # Excel's lock file of a form that is open right now
            files.append(Path(root) / name)
    return sorted(files, key=lambda p: unicodedata.normalize("NFC", str(p)))


def _modified(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime)


def read_folder(folder: Path, catalogue: Catalogue, skip: set[Path] = frozenset(),
                progress: Callable[[Path], None] | None = None) -> Iterator[Submission]:
    for path in inbox_files(folder):
        if progress:
            progress(path)
        if path.resolve() in skip:
            continue
        yield read_file(path, catalogue)


def read_file(path: Path, catalogue: Catalogue) -> Submission:
    source = str(path)
    modified = _modified(path)
    suffix = path.suffix.lower()
    if suffix not in FORM_SUFFIXES:
        what = ("bảng tính định dạng khác (hãy lưu thành .xlsx)" if suffix in OTHER_SPREADSHEETS
                else "không phải tệp Excel")
        return Submission(
            source,
            modified,
            None,
            Issue(WARNING, source, None, None, "not-a-workbook", f"Bỏ qua tệp này: {what}."),
        )
    try:
        grid = open_workbook(path)
    except WorkbookError as error:
        return Submission(
            source, modified, None, Issue(ERROR, source, None, None, error.rule, error.message)
        )
    try:
        reading = read_form(grid, catalogue)
    finally:
        grid.close()  # one workbook at a time
    return Submission(source, modified, set_aside_non_form(reading))


def read_book(path: Path, plan: Plan, catalogue: Catalogue) -> list[Submission]:
    """Forms pasted into one workbook, one sheet per unit."""
    grid = open_workbook(path)
    try:
        return read_form_sheets(grid, plan, catalogue, _modified(path))
    finally:
        grid.close()
