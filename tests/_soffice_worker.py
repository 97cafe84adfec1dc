"""One LibreOffice for the whole test run, driven through UNO (tests/libreoffice.py).

Runs under the Python that has the UNO bridge (Debian's python3-uno: /usr/bin/python3),
in its own process because ``import uno`` hooks ``import`` for the whole interpreter.
Reads one JSON request a line on stdin — ``{"source", "target", "to"}`` — recalculates
``source``, stores it as ``target`` (``to``: xlsx or pdf) and answers one JSON line.

    python3 _soffice_worker.py SOFFICE PROFILE_URL PIPE_NAME
"""

import json
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "pdf": "calc_pdf_Export"}


def props(**values):
    found = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        found.append(prop)
    return tuple(found)


def connect(pipe, process):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 120
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context)
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main():
    soffice, profile, pipe = sys.argv[1:4]
    process = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = connect(pipe, process)
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            try:
                document = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(request["source"]), "_blank", 0, props(Hidden=True))
                if document is None:
                    raise RuntimeError(f"cannot open {request['source']}")
                try:
                    document.calculateAll()  # recalculated whatever the load setting says
                    document.storeToURL(uno.systemPathToFileUrl(request["target"]),
                                        props(FilterName=FILTERS[request["to"]], Overwrite=True))
                finally:
                    document.close(True)
                print(json.dumps({"ok": True}), flush=True)
            except Exception as error:
                print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
