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
* A good call, while a note of ours is out, asks for a sweep (:func:`_sweep`): after
  the calculation, each cell known to show a note of ours is looked at once and the note
  taken off if the cell no longer shows ``#VALUE!``.  One sweep serves all the good calls
  made until it reaches Excel, so a calculation costs about two COM calls per note of
  ours out, none per cell; with no note of ours out a call costs nothing more than the
  function.  Notes an earlier Excel session left are found by :func:`_scan` (every
  note of the open workbooks), at the first call and then at most once every
  :data:`RESCAN` seconds when a function is called.
* A note the officer wrote, or one of ours the officer added a line to (:func:`is_ours`:
  only the form :func:`note_text` writes is ours), is never changed, and
  no note is written on a sheet whose objects are protected (Excel refuses it there).
* Nothing here raises into Excel or waits for the note: a failure to write it is logged
  (logger ``xladdin.udfs``) and dropped, and the retries stop after :data:`PATIENCE`.

Writing a note is a change made by a program: like any macro's change, Excel then
empties its undo list (Ctrl+Z cannot undo the typing that caused the error).

What declaring ``caller`` costs, read from xlwings' ``call_udf`` (0.37.8):

* called from VBA code instead of a cell (``Application.Caller`` is then no range),
  ``call_udf`` fails to marshal the caller before our function runs, and VBA gets a
  run-time error; these functions are for cells;
* SPLIT_TARGET spills (``expand``): xlwings' cache key then holds ``repr(caller)``, so
  each call reads the caller's book, sheet and address once more (three COM reads), and
  after a resize the function runs again instead of answering from the cache (same
  arguments, same answer; one stale cache entry per resize stays in xlwings' cache).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import itertools
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
#: Seconds between two scans of the open workbooks for notes of ours (:func:`_scan`).
RESCAN = 60.0
#: The COM server's module: loaded in the process only when the classic add-in runs us.
COM_SERVER = "xlwings.com_server"

log = logging.getLogger("xladdin.udfs")


#: A cell: workbook name, worksheet name, address ("$B$2").
Place = tuple[str, str, str]
#: COM failures that mean "Excel is busy, ask again", as ``xlwings.udfs.ComRange._com``
#: retries them: RPC_E_SERVERCALL_RETRYLATER and its VBA twin, and DISP_E_EXCEPTION
#: carrying no SCODE or 0x800A03EC.
BUSY_HRESULTS = {-2147418111, -2146777998}
DISP_E_EXCEPTION = -2147352567
BUSY_SCODES = {None, -2146827284}


class _Notes:
    """What this process knows of our notes (changed from two threads: the calculating
    one and xlwings' COM executor; each change is one atomic step under the GIL)."""

    def __init__(self) -> None:
        self.out: set[Place] = set()  # cells showing a note of ours
        self.pending = 0  # notes scheduled, not yet written
        self._count = threading.Lock()  # pending is counted from both threads
        self.queue: asyncio.Lock | None = None  # one change at a time, in call order
        self.sweep_wanted = False  # a sweep is scheduled and has not reached Excel
        self.scanned: float | None = None  # time.monotonic() of the last scan scheduled

    def add_pending(self, step: int) -> None:
        with self._count:
            self.pending += step

    @property
    def any(self) -> bool:
        return bool(self.pending or self.out)


NOTES = _Notes()


def note_text(reason: str) -> str:
    """The note an officer reads on a cell showing ``#VALUE!``: the mark and the reason on
    one line, then the footer."""
    reason = " ".join(reason.split())
    room = NOTE_LIMIT - len(NOTE_MARK) - len(NOTE_FOOTER) - 1
    if len(reason) > room:
        reason = reason[: room - 1] + "…"
    return f"{NOTE_MARK}{reason}\n{NOTE_FOOTER}"


def is_ours(text: Any) -> bool:
    """Exactly the form :func:`note_text` writes (the mark, one line, the footer).  A note
    the officer typed, or one of ours the officer added a line to, is the officer's:
    never changed."""
    if not isinstance(text, str):
        return False
    body, newline, footer = text.replace("\r\n", "\n").replace("\r", "\n").rpartition("\n")
    return (newline == "\n" and footer == NOTE_FOOTER and body.startswith(NOTE_MARK)
            and "\n" not in body)


def _busy(error: Exception) -> bool:
    hresult = getattr(error, "hresult", None)
    if hresult in BUSY_HRESULTS:
        return True
    args: tuple[Any, ...] = getattr(error, "args", ())
    excepinfo = args[2] if len(args) > 2 else None
    return hresult == DISP_E_EXCEPTION and (excepinfo[5] if excepinfo else None) in BUSY_SCODES


def _put_note(rng: Any, text: str) -> None:
    """The note on ``rng``'s top-left cell (COM, in a thread of xlwings' COM executor)."""
    cell = rng.api.Cells(1, 1)
    sheet = cell.Worksheet
    place = (str(sheet.Parent.Name), str(sheet.Name), str(cell.Address))
    if sheet.ProtectDrawingObjects:
        log.info("no note on %s: the sheet is protected", place)
        return
    comment = cell.Comment
    if comment is not None:
        if not is_ours(comment.Text()):
            log.info("the officer's note on %s is kept", place)
            return
        comment.Delete()
    if cell.Value != COM_VALUE_ERROR:  # put right since: a sweep may already have passed
        NOTES.out.discard(place)
        return
    cell.AddComment(text)
    NOTES.out.add(place)


def _take_off_if_right(cell: Any, sheet: Any) -> bool:
    """Our note off ``cell`` if it no longer shows ``#VALUE!`` (pywin32 reads an error
    cell's ``Value`` as its SCODE); True while a note of ours may stay there."""
    if cell.Value == COM_VALUE_ERROR:
        return True
    comment = cell.Comment
    if comment is None or not is_ours(comment.Text()):
        return False
    if sheet.ProtectDrawingObjects:
        return True
    comment.Delete()
    return False


def _sweep(rng: Any) -> None:
    """The cells known to show a note of ours, each looked at once (``Workbooks(name)
    .Worksheets(name)`` once per sheet, then ``Range(address).Value``): a sweep costs
    about two COM calls per note of ours out, whatever the number of cells calculated."""
    application = rng.api.Application
    # Excel answers: its calculation is over; a good call from now on is in the next one
    # and asks for the next sweep
    NOTES.sweep_wanted = False
    for (book, sheet_name), group in itertools.groupby(sorted(NOTES.out), lambda p: p[:2]):
        places = list(group)
        try:
            sheet = application.Workbooks(book).Worksheets(sheet_name)
        except Exception as error:  # noqa: BLE001
            if _busy(error):
                raise  # ComRange._com asks again
            NOTES.out.difference_update(places)  # closed or renamed: not ours to follow
            continue
        for place in places:
            if not _take_off_if_right(sheet.Range(place[2]), sheet):
                NOTES.out.discard(place)


def _scan(rng: Any) -> None:
    """Every note of ours in the open workbooks (``Application.Workbooks``, each
    worksheet's ``Comments``, each comment's ``Parent`` cell), for those an earlier Excel
    session left: taken off a cell that no longer shows ``#VALUE!``, followed on one that
    does."""
    for book in rng.api.Application.Workbooks:
        for sheet in book.Worksheets:
            ours = [comment.Parent for comment in sheet.Comments if is_ours(comment.Text())]
            for cell in ours:
                if _take_off_if_right(cell, sheet):
                    NOTES.out.add((str(book.Name), str(sheet.Name), str(cell.Address)))


async def _change_notes(caller: Any, change: Callable[..., None], *args: Any) -> None:
    """One change at a time, in the order of the calls; a sweep waits until every note
    scheduled before it is written (a cell that erred then calculated right is looked at
    after its note is there)."""
    try:
        if NOTES.queue is None:  # made on the loop that uses it
            NOTES.queue = asyncio.Lock()
        while True:
            async with NOTES.queue:
                if change is _put_note or not NOTES.pending:
                    await asyncio.wait_for(caller._com(change, *args), PATIENCE)
                    return
            await asyncio.sleep(0.01)  # notes still to write: they go first
    except Exception:  # noqa: BLE001 - a note is never worth an error in Excel
        log.warning("notes could not be changed (%s)", change.__name__, exc_info=True)
        if change is _sweep:
            NOTES.sweep_wanted = False
    finally:
        if change is _put_note:
            NOTES.add_pending(-1)


def _schedule(caller: Any, change: Callable[..., None], *args: Any) -> bool:
    """Run the change after the calculation, on the COM server's loop; never wait."""
    try:
        loop = sys.modules[COM_SERVER].loop
        asyncio.run_coroutine_threadsafe(_change_notes(caller, change, *args), loop)
        return True
    except Exception:  # noqa: BLE001
        log.warning("no note: the COM server's loop is not there", exc_info=True)
        return False


def _scan_if_due(caller: Any) -> None:
    now = time.monotonic()
    if NOTES.scanned is None or now - NOTES.scanned >= RESCAN:
        NOTES.scanned = now
        _schedule(caller, _scan)


def _noted(caller: Any, reason: str) -> None:
    if caller is None or COM_SERVER not in sys.modules:
        return
    _scan_if_due(caller)
    NOTES.add_pending(1)
    if not _schedule(caller, _put_note, note_text(reason)):
        NOTES.add_pending(-1)


def _cleared(caller: Any) -> None:
    if caller is None or COM_SERVER not in sys.modules:
        return
    _scan_if_due(caller)
    if NOTES.any and not NOTES.sweep_wanted:  # usually no note of ours is out: nothing
        NOTES.sweep_wanted = True
        if not _schedule(caller, _sweep):
            NOTES.sweep_wanted = False


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
