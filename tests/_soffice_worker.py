"""One LibreOffice for the whole test run, driven through UNO (tests/libreoffice.py).

Runs under the Python that has the UNO bridge (Debian's python3-uno: /usr/bin/python3),
in its own process because ``import uno`` hooks ``import`` for the whole interpreter.
Two roles, so that every process of a test run (pytest-xdist's workers too) shares the
run's one soffice:

    python3 _soffice_worker.py keep SOFFICE PROFILE_URL PIPE OWNER_PID CPU_FILE
        detaches from its caller (so that soffice outlives the xdist worker that needed it
        first), starts soffice listening on PIPE, says ``{"ready": true, "keeper": PID}``
        once it answers, then keeps it until SIGTERM or until OWNER_PID (the test run) is
        gone; then stops it and writes the CPU seconds soffice used to CPU_FILE.
    python3 _soffice_worker.py serve PIPE
        connects to that soffice and, for each JSON request line on stdin —
        ``{"source", "target", "to"}`` — recalculates ``source``, stores it as ``target``
        (``to``: xlsx or pdf) and answers one JSON line; leaves soffice running at EOF.
"""

import json
import os
import signal
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


def connect(pipe, alive=lambda: True):
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
            if not alive() or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def keep(soffice, profile, pipe, owner, cpu_file):
    if os.fork():  # the process that started the keeper waits for this parent only
        os._exit(0)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    process = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = connect(pipe, lambda: process.poll() is None)
        print(json.dumps({"ready": True, "keeper": os.getpid()}), flush=True)
        while not stop and running(int(owner)) and process.poll() is None:
            time.sleep(0.5)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if process.poll() is None:
            process.kill()
            process.wait()
        used = os.times()  # soffice, waited for above, is this process's one child
        with open(cpu_file + ".tmp", "w", encoding="utf-8") as out:
            json.dump({"cpu": used.children_user + used.children_system}, out)
        os.replace(cpu_file + ".tmp", cpu_file)  # whole, for whoever waits for it


def serve(pipe):
    desktop = connect(pipe)
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


if __name__ == "__main__":
    role, *arguments = sys.argv[1:]
    {"keep": keep, "serve": serve}[role](*arguments)
