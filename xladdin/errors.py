"""The whole exception tree of xladdin, in one place (as httpx keeps its own).

Every error an officer can cause carries a Vietnamese message and, where it is about a
workbook, the file, sheet and cell.  Each class says its exit code once
(:func:`exit_code`); the CLI (``cli/app.py``), ``xladdin serve`` and the Excel buttons
(``book/session.py:run``) show ``str(error)`` and nothing else:

    XladdinError
    ├── InputError                exit 1: the input has something the officer must fix
    │   ├── SplitError            an impossible split (negative numbers, all-zero weights…)
    │   ├── CatalogueError        an unknown indicator code, a broken catalogue file
    │   ├── UnitError             an unknown unit code, a broken list of units
    │   └── WorkbookError         a workbook that cannot be read or is not ours
    │       └── ProtectedSheetError   a sheet locked with a password (Excel buttons)
    ├── OutputError               exit 1: an output path that cannot be written
    ├── SetupError                exit 1: this machine lacks what the command needs
    │   │                         (a package, Windows, a certificate file, a free port)
    │   └── ExcelAutomationError  Excel (COM, AppleScript, Office.js) failed or refused
    └── UsageError                exit 2: the command itself is wrong

Where each is raised (never the base class): engine/ raises InputError and its kinds
(pure maths, no I/O), and UsageError only where it reads a command-line value itself
(``--round-target``, ``--period``: engine.next_round, engine.periods, engine.dhis2);
reader/ and grid/ WorkbookError; writer/ OutputError, InputError for a plan that cannot
be written as given (more children than Excel has columns, a child named like a fixed
column) and UsageError for an output that is an input (``writer/save.refuse_clobbering``);
jobs/ InputError, WorkbookError, UsageError; book/ InputError and WorkbookError (the
buttons), ProtectedSheetError and ExcelAutomationError (Excel refusing a write); excel/
SetupError, ExcelAutomationError, UsageError, OutputError, and WorkbookError for a file
given to ``excel buttons`` or ``lite`` that is not a workbook of ours; cli/ UsageError,
and SplitError for a number ``split`` cannot read (exit 1, as contract §5 asks).

Excel errors found *in cells* (#DIV/0!, #N/A…) are not exceptions: they are values,
see :class:`xladdin.engine.values.ExcelError`; so is what an Excel function gives back on
bad input (``udfs/planning.py``: an error value in every runtime, never a text).

Not in the tree, and never reaching an officer as such: ``TypeError`` from
``engine.values.exact`` ("not a number"), which every caller catches and turns into an
issue or one of the errors above; ``AssertionError`` for a state the readers rule out (a
count that is not whole, a form-less submission sorted to a unit); anything else is a bug,
which the CLI, the buttons and ``xladdin serve`` log and answer with one Vietnamese line.
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


class ProtectedSheetError(WorkbookError):
    """A sheet the Excel buttons must write is locked with a password."""


class SetupError(XladdinError):
    """This machine lacks what the command needs (a package, Windows, a file, a port)."""


class ExcelAutomationError(SetupError):
    """Excel itself failed or refused an operation (COM, AppleScript, Office.js)."""


class UsageError(XladdinError):
    """The command line itself is wrong."""

    exit_code = 2


def exit_code(error: BaseException) -> int:
    """The process exit code for an error (contract §5: 1 input, 2 usage; 1 for a bug)."""
    return error.exit_code if isinstance(error, XladdinError) else 1
