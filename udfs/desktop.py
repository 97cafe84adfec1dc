"""The five functions as the classic desktop add-in calls them (Excel for Windows, COM),
with the reason of a ``#VALUE!`` written as the cell's note.

Through COM a function returns Excel's own ``#VALUE!`` (a VT_ERROR variant,
:func:`udfs.planning.error_value`) but no text can travel with it, and Excel refuses any
change to a sheet while it calculates.  So the note is written the way xlwings itself
resizes a legacy dynamic array (``xlwings/udfs.py``, ``delayed_resize_dynamic_array_formula``):
after the calculation, on the COM server's asyncio loop.

* Each function here is the one of :mod:`udfs.planning` with xlwings' reserved last
  argument ``caller`` added: ``call_udf`` passes the calling cell as a ``ComRange`` (a
  range marshalled for use from another thread); the VBA wrapper xlwings generates
  passes ``Nothing`` for it and the function wizard does not list it, so the officer
  never sees it.  The Office.js runtimes (Excel on the web, xlwings Server, xlwings
  Lite) import :mod:`udfs` itself, where a bad call raises and Excel shows the reason
  on the error flag: nothing here changes them.
* A bad call returns ``#VALUE!`` at once and schedules the note
  (``asyncio.run_coroutine_threadsafe(..., xlwings.com_server.loop)``); the COM calls go
  through ``ComRange._com``, which retries with back-off while Excel is busy.  The note
  sits on the caller's top-left cell and starts with :data:`NOTE_MARK`.
* A good call takes our note off its cell, but only while a note of ours is known to be
  out (written or scheduled by this process, or found by the look below); otherwise
  nothing is scheduled and nothing read: a call costs nothing more than the function.
* Notes left by an earlier Excel session: at the first call, then at most once every
  :data:`RESCAN` seconds when a function is called, :func:`_look_for_our_notes` goes
  through the open workbooks' notes in the background: ours on a cell that no longer
  shows ``#VALUE!`` is taken off, ours on a cell still showing it is known to be out.
* A note the officer wrote (not starting with :data:`NOTE_MARK`) is never changed, and
  no note is written on a sheet whose objects are protected (Excel refuses it there).
* Nothing here raises into Excel or waits for the note: a failure to write it is logged
  (logger ``xladdin.udfs``) and dropped, and the retries stop after :data:`PATIENCE`.

Writing a note is a change made by a program: like any macro's change, Excel then
empties its undo list (Ctrl+Z cannot undo the typing that caused the error).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from xlwings import arg, func, ret

from . import planning
from .planning import COM_VALUE_ERROR, call_safely, error_value

#: How every note of ours starts (an officer's own note never does).
NOTE_MARK = "xladdin — #VALUE!: "
NOTE_FOOTER = "(Ghi chú do xladdin ghi; tự xoá khi ô hết lỗi.)"
#: Excel's ``Comment.Text`` takes at most 255 characters in one call.
NOTE_LIMIT = 255
#: Seconds a note may wait for Excel to accept it (a long recalculation, an open editor).
PATIENCE = 60.0
#: Seconds between two looks through the open workbooks for notes of ours.
RESCAN = 60.0
#: The COM server's module: loaded in the process only when the classic add-in runs us.
COM_SERVER = "xlwings.com_server"

log = logging.getLogger("xladdin.udfs")


class _Notes:
    """What this process knows of our notes: cells holding one, and notes not yet written."""

    def __init__(self) -> None:
        self.noted: set[str] = set()  # external addresses, "[Book.xlsx]Sheet!H2"
        self.pending = 0  # notes scheduled, not yet written
        self._count = threading.Lock()  # pending is changed from two threads
        self.queue: asyncio.Lock | None = None  # one change at a time, in call order
        self.looked: float | None = None  # time.monotonic() of the last look scheduled

    def add_pending(self, step: int) -> None:
        with self._count:
            self.pending += step

    @property
    def any(self) -> bool:
        return bool(self.pending or self.noted)


NOTES = _Notes()


def note_text(reason: str) -> str:
    """The note an officer reads on a cell showing ``#VALUE!``."""
    room = NOTE_LIMIT - len(NOTE_MARK) - len(NOTE_FOOTER) - 1
    if len(reason) > room:
        reason = reason[: room - 1] + "…"
    return f"{NOTE_MARK}{reason}\n{NOTE_FOOTER}"


def is_ours(text: Any) -> bool:
    return isinstance(text, str) and text.startswith(NOTE_MARK)


def _address(cell: Any) -> str:
    """The cell's external address: ``GetAddress(RowAbsolute, ColumnAbsolute,
    ReferenceStyle=xlA1, External)``, as ``xlwings._xlwindows.Range.get_address`` calls it."""
    return str(cell.GetAddress(False, False, 1, True))


def _objects_protected(cell: Any) -> bool:
    return bool(cell.Worksheet.ProtectDrawingObjects)


def _put_note(rng: Any, text: str) -> None:
    """On ``rng``'s top-left cell (COM, in xlwings' COM executor thread)."""
    cell = rng.api.Cells(1, 1)
    if _objects_protected(cell):
        log.info("no note on %s: the sheet is protected", _address(cell))
        return
    comment = cell.Comment
    if comment is not None:
        if not is_ours(comment.Text()):
            log.info("the officer's note on %s is kept", _address(cell))
            return
        comment.Delete()
    cell.AddComment(text)
    NOTES.noted.add(_address(cell))


def _look_for_our_notes(rng: Any) -> None:
    """Our notes in the open workbooks (``Application.Workbooks``, each worksheet's
    ``Comments``, each comment's ``Parent`` cell): off a cell that no longer shows
    ``#VALUE!`` (pywin32 reads an error cell's ``Value`` as its SCODE), kept and known
    to be out on a cell that does."""
    for book in rng.api.Application.Workbooks:
        for sheet in book.Worksheets:
            ours = [comment for comment in sheet.Comments if is_ours(comment.Text())]
            for comment in ours:
                cell = comment.Parent
                if cell.Value == COM_VALUE_ERROR:
                    NOTES.noted.add(_address(cell))
                elif not sheet.ProtectDrawingObjects:
                    comment.Delete()


def _take_note_off(rng: Any) -> None:
    cell = rng.api.Cells(1, 1)
    comment = cell.Comment
    if comment is not None and is_ours(comment.Text()) and not _objects_protected(cell):
        comment.Delete()
    NOTES.noted.discard(_address(cell))


async def _change_note(caller: Any, change: Callable[..., None], *args: Any) -> None:
    try:
        if NOTES.queue is None:  # made on the loop that uses it
            NOTES.queue = asyncio.Lock()
        async with NOTES.queue:
            await asyncio.wait_for(caller._com(change, *args), PATIENCE)
    except Exception:  # noqa: BLE001 - a note is never worth an error in Excel
        log.warning("the note of a cell could not be changed", exc_info=True)
    finally:
        if change is _put_note:
            NOTES.add_pending(-1)


def _schedule(caller: Any, change: Callable[..., None], *args: Any) -> bool:
    """Run the change after the calculation, on the COM server's loop; never wait."""
    try:
        loop = sys.modules[COM_SERVER].loop
        asyncio.run_coroutine_threadsafe(_change_note(caller, change, *args), loop)
        return True
    except Exception:  # noqa: BLE001
        log.warning("no note: the COM server's loop is not there", exc_info=True)
        return False


def _look_if_due(caller: Any) -> None:
    now = time.monotonic()
    if NOTES.looked is None or now - NOTES.looked >= RESCAN:
        NOTES.looked = now
        _schedule(caller, _look_for_our_notes)


def _noted(caller: Any, reason: str) -> None:
    if caller is None or COM_SERVER not in sys.modules:
        return
    _look_if_due(caller)
    NOTES.add_pending(1)
    if not _schedule(caller, _put_note, note_text(reason)):
        NOTES.add_pending(-1)


def _cleared(caller: Any) -> None:
    if caller is None or COM_SERVER not in sys.modules:
        return
    _look_if_due(caller)
    if NOTES.any:  # the usual case is not: no note of ours is out, nothing to do
        _schedule(caller, _take_note_off)


def with_caller(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (one of :mod:`udfs.planning`) with xlwings' reserved last argument
    ``caller``, and the same xlwings metadata (arguments' help, ``err_to_str``, ``ndim``,
    ``expand``) when the decorators record any (the classic add-in's do)."""
    body = getattr(function, "__wrapped__")  # noqa: B009 - the function under _excel_safe
    signature = inspect.signature(body)
    caller = inspect.Parameter("caller", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
    signature = signature.replace(parameters=[*signature.parameters.values(), caller])

    def variant(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        calling = bound.arguments.pop("caller", None)
        value, reason = call_safely(body, bound.args, bound.kwargs)
        if reason is None:
            _cleared(calling)
            return value
        _noted(calling, reason)
        return error_value(reason)

    functools.update_wrapper(variant, body, updated=())
    variant.__module__ = __name__
    variant.__signature__ = signature  # type: ignore[attr-defined]  # what xlwings reads
    meta = getattr(function, "__xlfunc__", None)
    if meta is None:  # decorators that record nothing (not the classic add-in)
        return variant
    func(category=meta["category"], call_in_wizard=meta["call_in_wizard"],
         volatile=meta["volatile"])(variant)
    for info in meta["args"]:
        options = dict(info["options"])
        if info.get("vba"):
            options["vba"] = info["vba"]
        arg(info["name"], doc=info["doc"], **options)(variant)
    ret(**meta["ret"]["options"])(variant)
    return variant


SPLIT_TARGET = with_caller(planning.SPLIT_TARGET)
REMAINING = with_caller(planning.REMAINING)
ROUND_TARGET = with_caller(planning.ROUND_TARGET)
PCT_DONE = with_caller(planning.PCT_DONE)
CHECK_SPLIT = with_caller(planning.CHECK_SPLIT)

__all__ = ["CHECK_SPLIT", "NOTE_MARK", "PCT_DONE", "REMAINING", "ROUND_TARGET", "SPLIT_TARGET",
           "is_ours", "note_text", "with_caller"]
