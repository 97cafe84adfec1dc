"""Windows desktop: the classic xlwings add-in for the current user, and buttons in workbooks.

``install`` (``xladdin excel install``) does what ``xlwings addin install`` does, without
starting Excel and without admin rights: it copies ``xlwings.xlam`` into the user's own
``%APPDATA%\\Microsoft\\Excel\\XLSTART`` and writes the user config
``%USERPROFILE%\\.xlwings\\xlwings.conf`` (``"KEY","VALUE"`` lines, the file the add-in's
ribbon edits): the interpreter, and the UDF modules ``udfs`` (the functions) and
``xladdin.excel.desktop_entry`` (the zero-argument wrappers of the scripts).  Other keys
already in the file are kept.  On another system it stops with a Vietnamese message.

Safe by default: ``ADD_WORKBOOK_TO_PYTHONPATH`` is off (else a ``udfs.py`` lying next to
any workbook the officer opens, in Downloads or on a shared drive, would be imported with
the officer's rights), and the only UDF module is the namespaced
``xladdin.excel.desktop_entry``, which re-exports the functions.  The add-in and the
config file it replaces are first copied to ``~/.xlwings/backup/`` (not into XLSTART,
where Excel would open the copy too); the config is written atomically.

``add_buttons`` (``xladdin excel buttons``) lives in :mod:`.buttons`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputError, SetupError
from ..writer.save import atomic_write, atomic_write_text
from . import module_file
from .buttons import DESKTOP_ENTRY, add_buttons, button_macros

__all__ = ["DESKTOP_ENTRY", "Installed", "add_buttons", "button_macros", "install",
           "update_config"]
NOT_WINDOWS = (
    "«xladdin excel install» cài tiện ích cho Excel trên máy tính Windows, nhưng máy "
    "này chạy {system}. Trên máy này hãy dùng xlwings Lite («xladdin lite KẾ_HOẠCH.xlsx») "
    "hoặc Excel trên web («xladdin serve»); xem docs/excel.md."
)
NEXT_STEPS = (
    "Mở Excel (đóng hẳn rồi mở lại nếu đang mở): thẻ «xlwings» xuất hiện trên thanh công cụ.",
    "Chỉ khi nhập hàm: File › Options › Trust Center › Trust Center Settings › Macro Settings "
    "› đánh dấu «Trust access to the VBA project object model» (Tin cậy quyền truy nhập mô hình "
    "đối tượng dự án VBA).",
    "Mở bảng kế hoạch dạng .xlsm («xladdin excel buttons KẾ_HOẠCH.xlsx»), bật macro, rồi bấm "
    "xlwings › Import Functions: các hàm SPLIT_TARGET… và các nút ở trang «Hướng dẫn» dùng được.",
    "Nhập xong thì BỎ ĐÁNH DẤU lại «Trust access to the VBA project object model»: để bật, "
    "mọi tệp có macro đều sửa được mã VBA của các tệp khác.",
)


@dataclass
class Installed:
    addin: Path
    config: Path
    udf_modules: list[str]
    backups: list[Path] = field(default_factory=list)
    next_steps: tuple[str, ...] = field(default=NEXT_STEPS)


def _system_name(platform: str) -> str:
    return {"linux": "Linux", "darwin": "macOS"}.get(platform, platform)


def install(*, platform: str = sys.platform, appdata: Path | None = None,
            home: Path | None = None, interpreter: Path | None = None) -> Installed:
    """Install the add-in and its settings for the current Windows user."""
    if not platform.startswith("win"):
        raise SetupError(NOT_WINDOWS.format(system=_system_name(platform)))
    appdata = appdata or Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    home = home or Path(os.environ.get("USERPROFILE") or Path.home())
    xlwings_dir = module_file("xlwings")
    if xlwings_dir is None:
        raise SetupError("chưa cài gói xlwings; chạy lại: pip install xladdin.")
    source = xlwings_dir.parent / "addin" / "xlwings.xlam"
    xlstart = appdata / "Microsoft" / "Excel" / "XLSTART"
    target = xlstart / "xlwings.xlam"
    config = home / ".xlwings" / "xlwings.conf"
    folder = home / ".xlwings" / "backup"
    backups = [b for b in (_backup(target, folder, source), _backup(config, folder)) if b]
    try:
        xlstart.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda temporary: shutil.copyfile(source, temporary))
    except OutputError:
        raise OutputError(f"không chép được tiện ích vào {xlstart}: hãy đóng Excel rồi chạy lại "
                          "lệnh.") from None
    except OSError as error:
        raise OutputError(f"không chép được tiện ích vào {xlstart} ({error}).") from None
    modules = [DESKTOP_ENTRY]
    python = interpreter or Path(sys.executable)
    windowless = python.with_name("pythonw.exe")
    update_config(config, {"INTERPRETER_WIN": str(windowless if windowless.exists() else python),
                           "UDF MODULES": ";".join(modules),
                           "ADD_WORKBOOK_TO_PYTHONPATH": "False"})
    return Installed(addin=target, config=config, udf_modules=modules, backups=backups)


def _backup(path: Path, folder: Path, replacement: Path | None = None) -> Path | None:
    """Copy ``path`` into ``folder`` before it is replaced (None: nothing to keep).

    Never into XLSTART: Excel opens every file there, a second add-in included.
    """
    if not path.is_file():
        return None
    if replacement is not None and replacement.is_file() and \
            path.read_bytes() == replacement.read_bytes():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = folder / f"{path.stem}-{stamp}{path.suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
    except OSError as error:
        raise OutputError(f"không sao lưu được {path} trước khi thay ({error}); chưa thay đổi "
                          "gì.") from None
    return copy


def update_config(path: Path, values: dict[str, str]) -> None:
    """Set keys of an xlwings.conf file (``"KEY","VALUE"`` per line), keeping the others."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [line for line in lines if line.strip()
            and line.split(",")[0].strip('"').upper() not in values]
    kept += [f'"{key}","{value}"' for key, value in values.items()]
    text = "\n".join(kept) + "\n"
    # os.linesep as text mode wrote it (CRLF on Windows): the add-in's VBA reads the file
    # with Input #, made for the CRLF lines xlwings' own CLI writes there.
    atomic_write_text(path, text.replace("\n", os.linesep))


