"""xladdin: the Excel toolkit of Vietnam's population and family-planning officers.

The public Python API is what this module exports, and nothing else (a test guards the
list).  Everything below it may change between versions.
"""

from .bundled import catalogue
from .engine import (
    METHODS,
    Catalogue,
    ExcelError,
    Indicator,
    RatePart,
    Unit,
    UnitTree,
    aggregate_rate,
    apportion,
    check_split,
    pct_done,
    remaining,
    round_target,
)
from .errors import (
    CatalogueError,
    InputError,
    OutputError,
    SplitError,
    UnitError,
    UsageError,
    WorkbookError,
    XladdinError,
)

__version__ = "0.1.0"


def read_report(path):
    """A summary or a form as a tidy pandas DataFrame (contract §11): columns
    ``unit_code, unit_name, indicator_code, period, target, result``, one row per unit,
    indicator and period.  Needs pandas (``pip install "xladdin[pandas]"``); see
    :func:`xladdin.leaving.read_report`."""
    from .leaving import read_report as read

    return read(path)


__all__ = [
    "METHODS",
    "Catalogue",
    "CatalogueError",
    "ExcelError",
    "Indicator",
    "InputError",
    "OutputError",
    "RatePart",
    "SplitError",
    "Unit",
    "UnitError",
    "UnitTree",
    "UsageError",
    "WorkbookError",
    "XladdinError",
    "__version__",
    "aggregate_rate",
    "apportion",
    "catalogue",
    "check_split",
    "pct_done",
    "read_report",
    "remaining",
    "round_target",
]
