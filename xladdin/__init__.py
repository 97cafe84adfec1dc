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
    "remaining",
    "round_target",
]
