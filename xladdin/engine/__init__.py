"""The planning engine: pure functions, no file or Excel I/O.

Data flows one way: catalogue + units → engine → writer → workbook → officer →
reader → engine → summary.  Nothing in this package imports openpyxl, calamine or
xlwings, so it also runs inside xlwings Lite (Pyodide) and in any Excel runtime.
"""

from .apportion import METHODS, apportion, largest_remainder, normalize_method, quotas
from .catalogue import Catalogue, Indicator
from .cells import Problem, Reading, read_count
from .plan import SplitCheck, check_split, pct_done, remaining, remaining_shown, round_target
from .rates import RatePart, aggregate_rate, meets_rate
from .units import Unit, UnitTree, neighbourhood_code
from .values import ExcelError, exact

__all__ = [
    "METHODS",
    "Catalogue",
    "ExcelError",
    "Indicator",
    "Problem",
    "RatePart",
    "Reading",
    "SplitCheck",
    "Unit",
    "UnitTree",
    "aggregate_rate",
    "apportion",
    "check_split",
    "exact",
    "largest_remainder",
    "meets_rate",
    "neighbourhood_code",
    "normalize_method",
    "pct_done",
    "quotas",
    "read_count",
    "remaining",
    "remaining_shown",
    "round_target",
]
