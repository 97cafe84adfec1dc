"""``xladdin serve``: a small self-hosted xlwings Server for Excel on the web and Microsoft 365.

A FastAPI app around ``xlwings.server.custom_functions_call`` / ``custom_scripts_call``
with the endpoints the xlwings Office.js client uses (the same paths as xlwings Server):

* ``GET  /manifest.xml`` — the Office add-in manifest (upload it in Excel);
* ``GET  /taskpane.html`` — the task pane: one button per script (``xw-click``);
* ``GET  /xlwings/custom-functions-meta.json``, ``/xlwings/custom-functions-code.js``;
* ``POST /xlwings/custom-functions-call`` — ``{"func_name", "args", …}`` → ``{"result"}``;
* ``GET  /xlwings/custom-scripts-meta.json``;
* ``POST /xlwings/custom-scripts-call/{script}`` — the workbook JSON → the actions;
* ``GET  /xlwings/alert`` — the dialog of ``book.app.alert``;
* ``/static/…`` — the JavaScript client and Office.js, served from the installed
  ``xlwings-server`` package (nothing of it is copied into this repository).

xlwings runs in server mode, which is decided when ``xlwings`` is first imported, so the
server always runs in its own process (``python -m xladdin.excel.server``) with
``XLWINGS_ON_SERVER=true``.  xlwings Server is PolyForm Noncommercial: without a key of
your own, ``XLWINGS_LICENSE_KEY=noncommercial`` is used (government and public-health work
is a permitted purpose).  Errors reach Excel as one Vietnamese sentence; the traceback
goes to the server's log only.
"""

import argparse
import contextlib
import html
import importlib
import importlib.util
import inspect
import json
import logging
import os
import sys
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from ..errors import SetupError, XladdinError, exit_code
from . import FUNCTIONS_MODULE, SCRIPTS_MODULE, button_for
from . import server_guard as guard
from .server_guard import Deployment

TEMPLATES = Path(__file__).with_name("templates")
LICENCE_NOTE = ("xlwings Server dùng giấy phép PolyForm Noncommercial: cơ quan nhà nước, y tế "
                "công cộng được dùng miễn phí (XLWINGS_LICENSE_KEY=noncommercial); dùng thương "
                "mại cần mua khóa của xlwings.")
UNEXPECTED = "Lỗi không mong đợi của chương trình; chi tiết đã ghi vào nhật ký của máy chủ."
BAD_CALL = ("Yêu cầu gửi tới máy chủ không đúng dạng của tiện ích xladdin; hãy tải lại ngăn "
            "tác vụ rồi thử lại.")
log = logging.getLogger("xladdin.serve")


def xml_escape(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def static_dir() -> Path:
    """The JavaScript client, Office.js and icons shipped inside ``xlwings-server``."""
    spec = importlib.util.find_spec("xlwings_server")
    if spec is None or not spec.submodule_search_locations:
        raise SetupError("«xladdin serve» cần cài thêm: xlwings-server "
                         "(lệnh: pip install \"xladdin[serve]\").")
    return Path(list(spec.submodule_search_locations)[0]) / "static"


def officejs_version(static: Path) -> str:
    versions = sorted(p.name for p in (static / "vendor" / "office-js").iterdir() if p.is_dir())
    return versions[-1]


def _optional_module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            return None  # the scripts module does not exist (yet): the pane says so
        raise


def _buttons_html(scripts: list[str]) -> str:
    if not scripts:
        return '<p class="help">Các nút bấm chưa có trong phiên bản này; các hàm vẫn dùng được.</p>'
    parts = []
    for name in scripts:
        button = button_for(name)
        parts.append(f'<button class="xw" xw-click="{html.escape(name)}">'
                     f'{html.escape(button.label)}</button>'
                     f'<p class="help">{html.escape(button.help)}</p>')
    return "\n    ".join(parts)


def create_app(functions_module: str = FUNCTIONS_MODULE, scripts_module: str = SCRIPTS_MODULE,
               deployment: Deployment | None = None):
    """The FastAPI app; must run in a process started with ``XLWINGS_ON_SERVER=true``.

    ``deployment`` (default: this PC only, http://localhost:8000) fixes the names it
    answers to, the URLs of its manifest, the secret path of a token, and its limits.
    """
    if os.environ.get("XLWINGS_ON_SERVER") != "true":
        raise SetupError("«xladdin serve» phải chạy với XLWINGS_ON_SERVER=true (đặt trước khi "
                         "nạp xlwings): hãy khởi động bằng lệnh «xladdin serve».")
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    import xlwings.server
    from fastapi import APIRouter, FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles

    if xw.func is not xlwings.server.func:
        raise SetupError("xlwings đã được nạp trước khi đặt XLWINGS_ON_SERVER=true: hãy khởi "
                         "động bằng lệnh «xladdin serve».")
    deployment = deployment or guard.deployment("127.0.0.1", 8000)
    limits = deployment.limits
    functions = importlib.import_module(functions_module)
    scripts = _optional_module(scripts_module)
    static = static_dir()
    officejs = officejs_version(static)
    worker = guard.Worker(limits)
    budget = guard.BodyBudget(limits.bodies_in_flight)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        worker.close()

    app = FastAPI(title="xladdin", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    routes = APIRouter()

    def refused(error: guard.Refused) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    def failure(error: Exception, what: str) -> JSONResponse:
        if isinstance(error, guard.Refused):
            return refused(error)
        if isinstance(error, XladdinError):
            return JSONResponse({"detail": str(error)}, status_code=400)
        if isinstance(error, xw.XlwingsError):  # the call does not fit the function/script
            log.warning("%s: refused call (%s)", what, str(error)[:200])
            return JSONResponse({"detail": BAD_CALL}, status_code=400)
        log.exception("%s failed", what)
        return JSONResponse({"detail": UNEXPECTED}, status_code=500)

    def script_names() -> list[str]:
        return [m["function_name"] for m in xlwings.server.custom_scripts_meta(scripts)] \
            if scripts else []

    @app.get("/")
    async def health():
        return {"status": "ok", "app": "xladdin", "scripts": script_names()}

    @routes.get("/manifest.xml")
    async def manifest():
        import xladdin

        text = Template((TEMPLATES / "manifest.xml").read_text(encoding="utf-8")).substitute(
            manifest_id=deployment.manifest_id, base_url=xml_escape(deployment.public_url),
            app_url=xml_escape(deployment.app_url),
            version=".".join((xladdin.__version__.split(".") + ["0"] * 4)[:4]))
        return Response(text, media_type="application/xml")

    @routes.get("/taskpane.html")
    async def taskpane():
        import xladdin

        config = {"appPath": deployment.app_path, "authProviders": [],
                  "customFunctionsMaxRetries": 3,
                  "customFunctionsRetryCodes": [502, 503, 504], "environment": "prod",
                  "isOfficialLiteAddin": False, "onWasm": False, "requestTimeout": 300,
                  "taskpaneReloadAttempts": 2, "xlwingsVersion": xw.__version__,
                  "pyodideBaseUrl": ""}
        text = Template((TEMPLATES / "taskpane.html").read_text(encoding="utf-8")).substitute(
            config=json.dumps(config).replace("</", "<\\/"), officejs_version=officejs,
            buttons=_buttons_html(script_names()), version=xladdin.__version__,
            app_path=html.escape(deployment.app_path))
        return HTMLResponse(text)

    @routes.get("/xlwings/alert")
    async def alert(prompt: str = "", title: str = "", buttons: str = "ok", mode: str = "",
                    callback: str = ""):
        labels = {"ok": "Đồng ý", "yes": "Có", "no": "Không", "cancel": "Hủy"}
        chosen = "".join(f'<button id="{key}" type="button">{label}</button>'
                         for key, label in labels.items() if key in buttons)
        text = Template((TEMPLATES / "alert.html").read_text(encoding="utf-8")).substitute(
            title=html.escape(title), prompt=html.escape(prompt).replace("\n", "<br>"),
            callback=html.escape(callback), buttons=chosen, officejs_version=officejs)
        return HTMLResponse(text)

    @routes.get("/xlwings/custom-functions-meta")
    @routes.get("/xlwings/custom-functions-meta.json")
    async def functions_meta():
        return xlwings.server.custom_functions_meta(functions)

    @routes.get("/xlwings/custom-functions-code")
    @routes.get("/xlwings/custom-functions-code.js")
    async def functions_code():
        js = (static / "js" / "custom-functions" / "custom-functions-code.js").read_text("utf-8")
        js = js.replace("placeholder_xlwings_version", xw.__version__).replace(
            "placeholder_custom_functions_call_path",
            deployment.app_path + "/xlwings/custom-functions-call")
        for entry in xlwings.server.custom_functions_meta(functions)["functions"]:
            name = entry["id"]
            js += (f"\nasync function {name}() {{\n  let args = [\"{name}\", false];\n"
                   f"  args.push.apply(args, arguments);\n  return await base.apply(null, args);\n"
                   f"}}\nCustomFunctions.associate(\"{name.upper()}\", {name});\n")
        return Response(js, media_type="text/javascript")

    @routes.post("/xlwings/custom-functions-call")
    async def functions_call(request: Request):
        try:
            data = await guard.read_call(request, limits, budget)
            name, args = _function_call_fields(data)
            function = getattr(functions, name, None)
            if not hasattr(function, "__xlfunc__"):
                return JSONResponse({"detail": f"Không có hàm «{name[:80]}»."}, status_code=404)
            size = guard.check_cells(args, limits.max_function_cells)
            _check_arguments(function, args)
            _check_version(data, xw.__version__)
            result = await worker.run(
                lambda: xlwings.server.custom_functions_call(data, functions), size)
        except Exception as error:  # noqa: BLE001 - one readable sentence, never a traceback
            return failure(error, "custom function")
        if isinstance(result, xw.CustomFunctionResult):
            return {"result": result.value, "script": result.script}
        return {"result": result}

    @routes.get("/xlwings/custom-scripts-meta")
    @routes.get("/xlwings/custom-scripts-meta.json")
    async def scripts_meta():
        return xlwings.server.custom_scripts_meta(scripts) if scripts else []

    @routes.post("/xlwings/custom-scripts-call/{script_name}")
    async def scripts_call(script_name: str, request: Request):
        if script_name not in script_names():
            return JSONResponse({"detail": f"Không có nút «{script_name[:80]}»."},
                                status_code=404)
        try:
            data = await guard.read_call(request, limits, budget)
            size = guard.check_cells(data.get("sheets"), limits.max_cells)
            _check_version(data, xw.__version__)
        except Exception as error:  # noqa: BLE001
            return failure(error, f"script {script_name}")

        async def work():
            args = data.pop("args", None) or []
            try:
                book = xw.Book(json=data)
            except Exception:  # noqa: BLE001 - the client sent something that is no book
                raise guard.Refused(400, "Dữ liệu bảng tính gửi lên không đọc được.") from None
            try:
                result = await xlwings.server.custom_scripts_call(
                    scripts, script_name, typehint_to_value={xw.Book: book}, args=args)
                return result.json()
            finally:
                book.close()

        try:
            return await worker.run(work, size)
        except Exception as error:  # noqa: BLE001
            return failure(error, f"script {script_name}")

    app.include_router(routes, prefix=deployment.app_path)
    app.mount("/static", StaticFiles(directory=static), name="static")
    return guard.HostAndOriginGuard(app, deployment)


def _function_call_fields(data: dict) -> tuple[str, list]:
    name, args = data.get("func_name"), data.get("args")
    if not isinstance(name, str) or not isinstance(args, list):
        raise guard.Refused(400, BAD_CALL)
    data.setdefault("client", "Office.js")
    data.setdefault("version", "")
    return name, args


def _check_arguments(function, args: list) -> None:
    """Excel sends one value per parameter; a call that does not fit is the client's
    mistake (400), never a traceback in the log."""
    try:
        inspect.signature(function).bind(*args)
    except TypeError:
        raise guard.Refused(400, BAD_CALL) from None


def _check_version(data: dict, version: str) -> None:
    """xlwings refuses a client of another version; say it in Vietnamese, with the fix."""
    if data.get("client", "Office.js") != "Office.js" and data.get("version") != version:
        raise guard.Refused(400, "Phiên bản xlwings trong Excel khác phiên bản trên máy chủ: "
                            "hãy tải lại ngăn tác vụ (bấm chuột phải vào ngăn › Tải lại/Reload) "
                            "hoặc đóng rồi mở lại Excel.")


def options_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xladdin serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--functions-module", default=FUNCTIONS_MODULE)
    parser.add_argument("--scripts-module", default=SCRIPTS_MODULE)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    parser.add_argument("--public-url")
    parser.add_argument("--allowed-host", action="append", default=[])
    parser.add_argument("--token", action="store_true")
    parser.add_argument("--max-body-mb", type=int, default=guard.Limits.max_body // 2**20)
    parser.add_argument("--max-cells", type=int, default=guard.Limits.max_cells)
    parser.add_argument("--time-limit", type=float, default=guard.Limits.time_limit)
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m xladdin.excel.server``: what ``xladdin serve`` runs (in server mode)."""
    options = options_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    limits = guard.Limits(max_body=options.max_body_mb * 2**20, max_cells=options.max_cells,
                          time_limit=options.time_limit)
    where = guard.deployment(options.host, options.port, public_url=options.public_url,
                             https=bool(options.certfile), extra_hosts=tuple(options.allowed_host),
                             token=options.token, limits=limits)
    try:
        import uvicorn

        app = create_app(options.functions_module, options.scripts_module, where)
    except XladdinError as error:  # what this machine lacks, said in Vietnamese
        print(f"Lỗi: {error}", file=sys.stderr)
        return exit_code(error)
    except Exception:  # noqa: BLE001 - the officer gets one line, the details go to a file
        import traceback

        from ..crash import crash_log

        details = crash_log(traceback.format_exc())
        print("Lỗi: không khởi động được máy chủ"
              + (f"; chi tiết đã ghi vào {details}." if details else "."), file=sys.stderr)
        return 1
    print(f"xladdin: máy chủ lắng nghe trên {options.host}:{options.port}; Excel dùng địa chỉ "
          f"{where.public_url}/ (tệp cài tiện ích: {where.app_url}/manifest.xml). "
          "Bấm Ctrl+C để dừng.", flush=True)
    if where.token:
        print("xladdin: có mã bí mật trong đường dẫn (--token): tải lại manifest.xml mỗi lần "
              "khởi động máy chủ.", flush=True)
    print(f"xladdin: {LICENCE_NOTE}", flush=True)
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning",
                ssl_certfile=options.certfile, ssl_keyfile=options.keyfile,
                proxy_headers=False, server_header=False, timeout_graceful_shutdown=5)
    # Ctrl+C / SIGTERM stopped the server: leave now, even if a call's thread is still
    # computing (Python would otherwise wait for it at exit).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
