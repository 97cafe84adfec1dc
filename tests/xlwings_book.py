"""An ``xlwings.Book`` in the test process, built from the JSON Excel's add-in posts.

``xw.Book(json=...)`` needs xlwings' remote engine, which is only registered when a
licence key is set as xlwings is imported (the stand-in's worker sets one; this process
may have imported xlwings before).  ``XLWINGS_LICENSE_KEY=noncommercial``: xladdin is
public-health work, a permitted purpose of the PolyForm Noncommercial licence.
"""

from __future__ import annotations

import os

import xlwings as xw

from standin import book_json


def remote_book(path, **options) -> xw.Book:
    """The book xlwings Server would build for a script run on ``path``."""
    if "remote" not in [engine.name for engine in xw.engines]:
        os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    return xw.Book(json=book_json(path, **options))
