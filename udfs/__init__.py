"""Excel custom functions of xladdin (SPLIT_TARGET, REMAINING, ROUND_TARGET, PCT_DONE,
CHECK_SPLIT).  Import this module in the xlwings add-in, xlwings Lite or xlwings Server."""

from .planning import CHECK_SPLIT, PCT_DONE, REMAINING, ROUND_TARGET, SPLIT_TARGET

__all__ = ["CHECK_SPLIT", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET"]
