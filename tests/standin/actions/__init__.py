"""Apply the actions that an xlwings script returns, as Excel's add-in would, with openpyxl.

A script's answer (``book.json()``) is ``{"actions": [action, ...]}``; the add-in runs
them in order (``runActions``), each through the callback named by ``func``::

    {"func": "setValues", "args": [null],
     "values": [[1, "a"], [2, "b"]],          # setValues / setFormula only
     "sheet_position": 0,                     # 0-based index at the time it runs
     "start_row": 1, "start_column": 0,       # 0-based, for range actions
     "row_count": 2, "column_count": 2}

``args`` is always a list (a single argument is wrapped: ``[value]``).  Sheet positions
refer to the workbook as it is when the action runs (after earlier ``addSheet``,
``sheetDelete``… of the same batch).

Behaviour follows Excel, not openpyxl, where they differ:

* ``setValues`` writes like typing: a string starting with ``=`` becomes a formula, an ISO
  date (how xlwings sends a ``date``/``datetime``) becomes a date, ``TRUE``/``FALSE`` a
  boolean, a numeric string a number (``"00004"`` → 4, as Excel does: keep codes as text
  with a leading ``'``), with ``locale`` deciding ``.``/``,`` (``"vi-VN"``: ``1.200`` →
  1200, ``2,5`` → 2.5; ``"en-US"``: the reverse).  Other date spellings
  (``05/01/2024``) stay text here, though Excel may read them as dates.
  Writing into a table's header row keeps the headers unique non-empty texts
  (``Column2``…), as Excel does.  ``setFormula`` with one formula for a
  larger range fills it, adjusting relative references.
* Renaming a sheet rewrites the formulas, defined names and validations that refer to
  it; deleting one turns those references into ``#REF!``; renaming a table rewrites
  structured references.
* Excel's refusals are errors here too (:class:`ActionError`): a value array that does
  not match the range, a duplicate or invalid sheet/table/defined name, hiding or
  deleting the last visible sheet.

openpyxl writes no cached values: recalculate the result (:func:`standin.recalc`) before
reading what an officer would see.  Actions that cannot be applied faithfully with
openpyxl raise :class:`UnsupportedAction` naming the action (charts, pictures, shapes,
pivot tables, conditional formats, threaded comments, sorting, inserting or deleting
cells, moving ranges, macros…); so does any ``func`` this module does not know.
"""

from __future__ import annotations

from .apply import apply_actions, supported_actions
from .core import ActionError, Applied, UnsupportedAction

__all__ = ["ActionError", "Applied", "UnsupportedAction", "apply_actions", "supported_actions"]
