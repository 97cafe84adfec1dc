"""A one-click script run end to end: workbook → payload → xlwings Server → actions → file.

``run_script`` does what happens when an officer clicks a button of the add-in:

1. the add-in reads the workbook (:func:`standin.book_json`, honouring the script's
   ``@script(include=..., exclude=...)`` and a ``book: xw.BookAsync`` parameter) and
   posts it to ``/xlwings/custom-scripts-call/<script>`` with the button's ``args``;
2. xlwings Server builds ``xw.Book(json=payload)``, calls the script through
   ``custom_scripts_call`` and answers ``book.json()`` (in the server-mode worker,
   see :mod:`standin.server_mode`);
3. the add-in applies the actions to the workbook (:func:`standin.apply_actions`, on a
   copy written to ``out_path``).

If the script raises, the server answers an error, the add-in shows it (task pane or
alert) and applies nothing: :class:`ScriptFailed` carries the message and the traceback,
and ``out_path`` is not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from .actions import Applied, apply_actions
from .server_mode import ServerSideError, module_ref, worker
from .workbook_json import book_json


class ScriptFailed(RuntimeError):
    """The script raised: Excel shows this message and changes nothing."""

    def __init__(self, script: str, type_name: str, message: str, traceback_text: str):
        super().__init__(f"script {script!r} failed: {type_name}: {message}")
        self.script = script
        self.type_name = type_name
        self.message = message
        self.traceback = traceback_text


@dataclass
class ScriptRun:
    """The outcome of :func:`run_script`."""

    out_path: Path
    actions: list[dict[str, Any]]
    applied: Applied
    payload: dict[str, Any] = field(repr=False, default_factory=dict)
    recalculated: Path | None = None

    @property
    def alerts(self) -> list[dict[str, str]]:
        return self.applied.alerts


def script_meta(module: ModuleType | str, script_name: str) -> dict[str, Any]:
    """The ``custom_scripts_meta`` entry of one script (what the add-in reads)."""
    for entry in worker().meta(module)["scripts"]:
        if entry["function_name"] == script_name:
            return entry
    raise LookupError(f"{script_name} is not an @script of {module_ref(module)['module']}")


def run_script(
    module: ModuleType | str,
    script_name: str,
    xlsx_path: str | Path,
    out_path: str | Path,
    *,
    args: list[Any] | tuple[Any, ...] = (),
    active_sheet: str | int | None = None,
    selection: str | None = None,
    locale: str = "vi-VN",
    recalculate: bool = False,
    officer_unprotects: bool = True,
) -> ScriptRun:
    """Run ``@script`` ``script_name`` of ``module`` on ``xlsx_path``, writing ``out_path``.

    ``args`` are the button's ``xw-args`` (JSON values).  With ``recalculate=True`` the
    result is also recalculated with LibreOffice into ``<out_path's folder>/recalculated/``
    (:attr:`ScriptRun.recalculated`): read that for the values an officer would see.
    ``officer_unprotects``: the officer unprotected the sheets first, as the buttons' help
    asks on the web and in Lite; False shows what Excel does otherwise (a refusal).
    """
    meta = script_meta(module, script_name)
    payload = book_json(
        xlsx_path,
        active_sheet,
        selection,
        include=meta.get("include") or None,
        exclude=meta.get("exclude") or None,
        lazy=bool(meta.get("lazy")),
    )
    try:
        answer = worker().request(
            {
                "op": "script",
                **module_ref(module),
                "name": script_name,
                "book": payload,
                "args": list(args),
            }
        )
    except ServerSideError as error:
        raise ScriptFailed(script_name, error.type_name, error.message, error.traceback) from None
    actions = answer["actions"]
    applied = apply_actions(xlsx_path, actions, out_path, locale=locale,
                            unprotect_first=officer_unprotects)
    run = ScriptRun(out_path=applied.path, actions=actions, applied=applied, payload=payload)
    if recalculate:
        from libreoffice import recalc

        run.recalculated = recalc(applied.path, applied.path.parent / "recalculated")
    return run


def inspect_book(payload: dict[str, Any]) -> dict[str, Any]:
    """Read a payload back through xlwings' own API (``xw.Book(json=payload)``) in server mode.

    Returns the book name, active sheet, selection, each sheet's used range and values
    (as ``range.value`` converts them), tables (range, data body values) and names
    (``refers_to`` and the referred values): proof that xlwings accepts the payload.
    """
    answer = worker().request({"op": "inspect", "book": payload})
    answer.pop("ok", None)
    return answer
