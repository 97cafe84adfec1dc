"""The server-mode half of the Excel stand-in: one Python process that plays xlwings Server.

Started by :mod:`standin.server_mode` as ``python -u _worker.py`` with
``XLWINGS_ON_SERVER=true`` (and ``XLWINGS_LICENSE_KEY=noncommercial`` unless a key is
set) in its environment, so that ``from xlwings import func, script, arg, ret`` resolves
to xlwings Server's decorators in every module this process imports.  The test process
itself never imports xlwings in that mode.

Protocol: one JSON request per line on stdin, one JSON answer per line on a private copy
of the original stdout (fd 1 is pointed at stderr, so that a ``print`` inside a custom
function or script cannot break the framing).  Every answer has ``"ok"``; a failure
carries ``"type"``, ``"message"`` and ``"traceback"``.

Requests (``module`` is an importable name, ``file`` its path for a fallback import):

* ``{"op": "hello"}`` → the xlwings version and the mode the decorators are in;
* ``{"op": "meta", "module", "file"}`` → ``custom_functions_meta`` and
  ``custom_scripts_meta`` of the module (what the add-in registers);
* ``{"op": "call", "module", "file", "payload"}`` → runs ``custom_functions_call`` on the
  body Excel posts to ``/xlwings/custom-functions-call`` and answers
  ``{"ok": true, "result": ..., "script": ...}`` exactly as xlwings Server would put it in
  the HTTP response (the value must survive strict JSON, as in a real response);
* ``{"op": "script", "module", "file", "name", "book", "args"}`` → ``xw.Book(json=book)``,
  ``custom_scripts_call`` and ``book.json()``: ``{"ok": true, "actions": [...]}``;
* ``{"op": "inspect", "book"}`` → reads a book payload back through the public xlwings API
  (sheets, values, names, tables, selection): proof that ``xw.Book(json=...)`` accepts it.

This file is run by path and imports nothing from the ``standin`` package.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback
from pathlib import Path

# Run by path: drop this folder from the import path so that the package's own modules
# (``actions``, ``functions``…) can never shadow a module of the project under test.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

if os.environ.get("XLWINGS_ON_SERVER") != "true":  # pragma: no cover - misuse guard
    sys.stderr.write("standin worker: XLWINGS_ON_SERVER must be 'true'\n")
    sys.exit(2)

# Keep the answer channel private: user code printing to stdout goes to stderr instead.
_ANSWERS = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
os.dup2(2, 1)
sys.stdout = sys.stderr

import xlwings as xw  # noqa: E402  (after the environment checks, on purpose)
import xlwings.server  # noqa: E402


def _load(name: str, file: str | None):
    """The module, imported once, by name when that finds the same file, else by path."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    if name:
        try:
            module = importlib.import_module(name)
        except ImportError:
            module = None
        if module is not None:
            if not file or _same_file(getattr(module, "__file__", None), file):
                return module
            sys.modules.pop(name, None)
    if not file:
        raise ImportError(f"cannot import {name!r} and no file was given")
    spec = importlib.util.spec_from_file_location(name or Path(file).stem, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(spec.name, None)
        raise
    return module


def _same_file(a: str | None, b: str) -> bool:
    if not a:
        return False
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _strict_json(value):
    """What a JSON response can carry (Starlette refuses NaN and non-JSON types)."""
    return json.loads(json.dumps(value, allow_nan=False, ensure_ascii=False))


def _readable_json(value):
    """For reports only: dates as ISO strings."""
    return json.loads(
        json.dumps(value, ensure_ascii=False, default=lambda o: {"isoformat": o.isoformat()})
    )


def _hello(_request):
    return {
        "xlwings_version": xw.__version__,
        "server_decorators": xw.func is xlwings.server.func,
        "executable": sys.executable,
    }


def _meta(request):
    module = _load(request["module"], request.get("file"))
    python_names = {}
    for _, member in inspect.getmembers(module):
        xlfunc = getattr(member, "__xlfunc__", None)
        if isinstance(xlfunc, dict):
            # the dispatch key the add-in sends as func_name (custom_functions_code)
            python_names[xlfunc["name"].upper()] = xlfunc["name"]
    return {
        "python_names": python_names,
        "functions": xlwings.server.custom_functions_meta(module),
        "scripts": xlwings.server.custom_scripts_meta(module),
    }


def _call(request):
    module = _load(request["module"], request.get("file"))
    rv = asyncio.run(xlwings.server.custom_functions_call(request["payload"], module))
    if isinstance(rv, xw.CustomFunctionResult):
        return {"result": _strict_json(rv.value), "script": _strict_json(rv.script)}
    return {"result": _strict_json(rv), "script": None}


def _script(request):
    module = _load(request["module"], request.get("file"))
    book = xw.Book(json=request["book"])
    try:
        book = asyncio.run(
            xlwings.server.custom_scripts_call(
                module,
                request["name"],
                typehint_to_value={xw.Book: book},
                args=request.get("args") or [],
            )
        )
        return {"actions": _strict_json(book.json()["actions"])}
    finally:
        try:
            book.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass


def _inspect(request):
    book = xw.Book(json=request["book"])
    try:
        sheets = []
        for sheet in book.sheets:
            used = sheet.used_range
            sheets.append(
                {
                    "name": sheet.name,
                    "visible": sheet.visible,
                    "used_range": used.address,
                    "values": used.options(ndim=2).value,
                    "tables": [
                        {
                            "name": table.name,
                            "range": table.range.address if table.range else None,
                            "data": (
                                table.data_body_range.options(ndim=2).value
                                if table.data_body_range
                                else None
                            ),
                            "show_totals": table.show_totals,
                        }
                        for table in sheet.tables
                    ],
                }
            )
        names = []
        for name in book.names:
            entry = {"name": name.name, "refers_to": name.refers_to}
            try:
                entry["value"] = name.refers_to_range.options(ndim=2).value
            except ValueError:
                entry["value"] = None
            names.append(entry)
        selection = book.app.selection
        return _readable_json(
            {
                "book": book.name,
                "active": book.sheets.active.name,
                "selection": selection.address if selection is not None else None,
                "sheets": sheets,
                "names": names,
            }
        )
    finally:
        book.close()


_OPS = {"hello": _hello, "meta": _meta, "call": _call, "script": _script, "inspect": _inspect}


def _answer(obj) -> None:
    _ANSWERS.write(json.dumps(obj, ensure_ascii=False, default=repr) + "\n")
    _ANSWERS.flush()


def main() -> None:
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            answer = _OPS[request["op"]](request)
            answer["ok"] = True
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - SystemExit in user code too
            answer = {
                "ok": False,
                "type": type(error).__name__,
                "message": str(error),
                "traceback": traceback.format_exc(),
            }
        _answer(answer)


if __name__ == "__main__":
    main()
