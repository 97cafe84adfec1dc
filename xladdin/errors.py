"""The whole exception tree of xladdin, in one place (as httpx keeps its own).

Every error an officer can cause carries a Vietnamese message and, where it is about a
workbook, the file, sheet and cell.  The CLI turns these into exit codes:

    XladdinError
    ├── InputError            exit 1: the input has something the officer must fix
    │   ├── SplitError        an impossible split (negative numbers, all-zero weights…)
    │   ├── CatalogueError    an unknown indicator code, a broken catalogue file
    │   ├── UnitError         an unknown unit code, a broken list of units
    │   └── WorkbookError     a workbook that cannot be read or is not ours
    ├── OutputError           exit 1: an output path that cannot be written
    └── UsageError            exit 2: the command itself is wrong

Excel errors found *in cells* (#DIV/0!, #N/A…) are not exceptions: they are values,
see :class:`xladdin.engine.values.ExcelError`.
"""

from __future__ import annotations


class XladdinError(Exception):
    """Base of every error xladdin raises on purpose."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(XladdinError):
    """The input has an error the officer must fix."""


class SplitError(InputError):
    """A split that cannot be done (e.g. minimum × units > total)."""


class CatalogueError(InputError):
    """An indicator code that is not in the catalogue, or a broken catalogue."""


class UnitError(InputError):
    """A unit code that cannot be resolved, or a broken list of units."""


class WorkbookError(InputError):
    """A workbook that cannot be read, or is not a plan / form / summary of ours."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        rule: str = "workbook",
    ):
        super().__init__(message)
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.rule = rule

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file and f"tệp {self.file}",
                self.sheet and f"trang {self.sheet}",
                self.cell and f"ô {self.cell}",
            )
            if part
        )
        return f"{self.message} ({where})" if where else self.message


class OutputError(XladdinError):
    """An output that cannot be written (folder missing, no permission, file open…)."""


class UsageError(XladdinError):
    """The command line itself is wrong."""

    exit_code = 2
