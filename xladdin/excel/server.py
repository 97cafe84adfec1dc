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
import html
import importlib
import importlib.util
import json
import logging
import os
import socket
import sys
from pathlib import Path
from string import Template

from ..errors import UsageError, XladdinError
from . import FUNCTIONS_MODULE, SCRIPTS_MODULE, button_for

TEMPLATES = Path(__file__).with_name("templates")
MANIFEST_ID = "70e9be44-7cd4-5d9b-8564-414d23559323"  # uuid5(URL, "xladdin:office-addin")
NEEDED = {"fastapi": "fastapi", "uvicorn": "uvicorn", "xlwings_server": "xlwings-server"}
LICENCE_NOTE = ("xlwings Server dùng giấy phép PolyForm Noncommercial: cơ quan nhà nước, y tế "
                "công cộng được dùng miễn phí (XLWINGS_LICENSE_KEY=noncommercial); dùng thương "
                "mại cần mua khóa của xlwings.")
UNEXPECTED = "Lỗi không mong đợi của chương trình; chi tiết đã ghi vào nhật ký của máy chủ."
log = logging.getLogger("xladdin.serve")


def missing_packages() -> list[str]:
    return [pip for module, pip in NEEDED.items() if importlib.util.find_spec(module) is None]


def static_dir() -> Path:
    """The JavaScript client, Office.js and icons shipped inside ``xlwings-server``."""
    spec = importlib.util.find_spec("xlwings_server")
    return Path(list(spec.submodule_search_locations)[0]) / "static"


def officejs_version(static: Path) -> str:
    versions = sorted(p.name for p in (static / "vendor" / "office-js").iterdir() if p.is_dir())
    return versions[-1]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


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


def create_app(functions_module: str = FUNCTIONS_MODULE, scripts_module: str = SCRIPTS_MODULE):
    """The FastAPI app; must run in a process started with ``XLWINGS_ON_SERVER=true``."""
    if os.environ.get("XLWINGS_ON_SERVER") != "true":
        raise RuntimeError("xladdin serve needs XLWINGS_ON_SERVER=true before xlwings is imported")
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw
    import xlwings.server
    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles

    if xw.func is not xlwings.server.func:
        raise RuntimeError("xlwings was imported before XLWINGS_ON_SERVER=true was set")
    functions = importlib.import_module(functions_module)
    scripts = _optional_module(scripts_module)
    static = static_dir()
    officejs = officejs_version(static)
    app = FastAPI(title="xladdin", docs_url=None, redoc_url=None, openapi_url=None)

    def failure(error: Exception, what: str) -> JSONResponse:
        if isinstance(error, XladdinError):
            return JSONResponse({"detail": str(error)}, status_code=400)
        log.exception("%s failed", what)
        return JSONResponse({"detail": UNEXPECTED}, status_code=500)

    def script_names() -> list[str]:
        return [m["function_name"] for m in xlwings.server.custom_scripts_meta(scripts)] \
            if scripts else []

    def base_url(request: Request) -> str:
        url = str(request.base_url).rstrip("/")
        if request.headers.get("x-forwarded-proto") == "https":
            url = url.replace("http://", "https://", 1)
        return url

    @app.get("/")
    async def health():
        return {"status": "ok", "app": "xladdin", "scripts": script_names()}

    @app.get("/manifest.xml")
    async def manifest(request: Request):
        import xladdin

        text = Template((TEMPLATES / "manifest.xml").read_text(encoding="utf-8")).substitute(
            manifest_id=MANIFEST_ID, base_url=base_url(request),
            version=".".join((xladdin.__version__.split(".") + ["0"] * 4)[:4]))
        return Response(text, media_type="application/xml")

    @app.get("/taskpane.html")
    async def taskpane(request: Request):
        import xladdin

        config = {"appPath": "", "authProviders": [], "customFunctionsMaxRetries": 3,
                  "customFunctionsRetryCodes": [502, 503, 504], "environment": "prod",
                  "isOfficialLiteAddin": False, "onWasm": False, "requestTimeout": 300,
                  "taskpaneReloadAttempts": 2, "xlwingsVersion": xw.__version__,
                  "pyodideBaseUrl": ""}
        text = Template((TEMPLATES / "taskpane.html").read_text(encoding="utf-8")).substitute(
            config=json.dumps(config).replace("</", "<\\/"), officejs_version=officejs,
            buttons=_buttons_html(script_names()), version=xladdin.__version__)
        return HTMLResponse(text)

    @app.get("/xlwings/alert")
    async def alert(prompt: str = "", title: str = "", buttons: str = "ok", mode: str = "",
                    callback: str = ""):
        labels = {"ok": "Đồng ý", "yes": "Có", "no": "Không", "cancel": "Hủy"}
        chosen = "".join(f'<button id="{key}" type="button">{label}</button>'
                         for key, label in labels.items() if key in buttons)
        text = Template((TEMPLATES / "alert.html").read_text(encoding="utf-8")).substitute(
            title=html.escape(title), prompt=html.escape(prompt).replace("\n", "<br>"),
            callback=html.escape(callback), buttons=chosen, officejs_version=officejs)
        return HTMLResponse(text)

    @app.get("/xlwings/custom-functions-meta")
    @app.get("/xlwings/custom-functions-meta.json")
    async def functions_meta():
        return xlwings.server.custom_functions_meta(functions)

    @app.get("/xlwings/custom-functions-code")
    @app.get("/xlwings/custom-functions-code.js")
    async def functions_code():
        js = (static / "js" / "custom-functions" / "custom-functions-code.js").read_text("utf-8")
        js = js.replace("placeholder_xlwings_version", xw.__version__).replace(
            "placeholder_custom_functions_call_path", "/xlwings/custom-functions-call")
        for entry in xlwings.server.custom_functions_meta(functions)["functions"]:
            name = entry["id"]
            js += (f"\nasync function {name}() {{\n  let args = [\"{name}\", false];\n"
                   f"  args.push.apply(args, arguments);\n  return await base.apply(null, args);\n"
                   f"}}\nCustomFunctions.associate(\"{name.upper()}\", {name});\n")
        return Response(js, media_type="text/javascript")

    @app.post("/xlwings/custom-functions-call")
    async def functions_call(request: Request):
        try:
            data = await request.json()
            name = data.get("func_name", "")
            if not hasattr(getattr(functions, name, None), "__xlfunc__"):
                return JSONResponse({"detail": f"Không có hàm «{name}»."}, status_code=404)
            result = await xlwings.server.custom_functions_call(data, functions)
        except Exception as error:  # noqa: BLE001 - one readable sentence, never a traceback
            return failure(error, "custom function")
        if isinstance(result, xw.CustomFunctionResult):
            return {"result": result.value, "script": result.script}
        return {"result": result}

    @app.get("/xlwings/custom-scripts-meta")
    @app.get("/xlwings/custom-scripts-meta.json")
    async def scripts_meta():
        return xlwings.server.custom_scripts_meta(scripts) if scripts else []

    @app.post("/xlwings/custom-scripts-call/{script_name}")
    async def scripts_call(script_name: str, request: Request):
        if script_name not in script_names():
            return JSONResponse({"detail": f"Không có nút «{script_name}»."}, status_code=404)
        try:
            data = await request.json()
            args = data.pop("args", None) or []
            book = xw.Book(json=data)
        except Exception:  # noqa: BLE001
            return JSONResponse({"detail": "Dữ liệu bảng tính gửi lên không đọc được."},
                                status_code=400)
        try:
            result = await xlwings.server.custom_scripts_call(
                scripts, script_name, typehint_to_value={xw.Book: book}, args=args)
            return result.json()
        except Exception as error:  # noqa: BLE001
            return failure(error, f"script {script_name}")
        finally:
            book.close()

    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


def main(argv: list[str] | None = None) -> int:
    """``python -m xladdin.excel.server``: what ``xladdin serve`` runs (in server mode)."""
    parser = argparse.ArgumentParser(prog="xladdin serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--functions-module", default=FUNCTIONS_MODULE)
    parser.add_argument("--scripts-module", default=SCRIPTS_MODULE)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        import uvicorn

        app = create_app(options.functions_module, options.scripts_module)
    except Exception:  # noqa: BLE001 - the officer gets one line, the details go to a file
        import tempfile
        import traceback

        details = Path(tempfile.gettempdir()) / "xladdin-serve-error.log"
        details.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"Lỗi: không khởi động được máy chủ; chi tiết đã ghi vào {details}.",
              file=sys.stderr)
        return 1
    scheme = "https" if options.certfile else "http"
    print(f"xladdin: máy chủ chạy tại {scheme}://{options.host}:{options.port}/ "
          f"(tệp cài tiện ích: {scheme}://{options.host}:{options.port}/manifest.xml). "
          "Bấm Ctrl+C để dừng.", flush=True)
    print(f"xladdin: {LICENCE_NOTE}", flush=True)
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning",
                ssl_certfile=options.certfile, ssl_keyfile=options.keyfile)
    return 0


def command(host: str, port: int, *, certfile: str | None = None, keyfile: str | None = None,
            functions_module: str = FUNCTIONS_MODULE,
            scripts_module: str = SCRIPTS_MODULE) -> list[str]:
    """Check what can be checked before starting, and the command line of the server."""
    missing = missing_packages()
    if missing:
        raise XladdinError("«xladdin serve» cần cài thêm: " + ", ".join(missing)
                           + " (lệnh: pip install \"xladdin[serve]\").")
    if bool(certfile) != bool(keyfile):
        raise UsageError("--cert và --key phải đi cùng nhau.")
    for path in filter(None, (certfile, keyfile)):
        if not Path(path).is_file():
            raise XladdinError(f"không tìm thấy tệp chứng chỉ {path}.")
    if not port_is_free(host, port):
        raise XladdinError(f"cổng {port} trên {host} đang được dùng hoặc không mở được; "
                           "chọn cổng khác bằng --port.")
    line = [sys.executable, "-m", "xladdin.excel.server", "--host", host, "--port", str(port),
            "--functions-module", functions_module, "--scripts-module", scripts_module]
    if certfile:
        line += ["--certfile", certfile, "--keyfile", keyfile]
    return line


def server_environment() -> dict[str, str]:
    env = dict(os.environ, XLWINGS_ON_SERVER="true", PYTHONIOENCODING="utf-8")
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    return env


def run(line: list[str]) -> int:
    """Start the server process; on POSIX this process becomes the server."""
    env = server_environment()
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(sys.executable, line, env)
    import subprocess

    process = subprocess.Popen(line, env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return 0


if __name__ == "__main__":
    sys.exit(main())
