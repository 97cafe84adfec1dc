"""Windows desktop: the classic xlwings add-in for the current user, and buttons in workbooks.

``install`` (``xladdin excel install``) does what ``xlwings addin install`` does, without
starting Excel and without admin rights: it copies ``xlwings.xlam`` into the user's own
``%APPDATA%\\Microsoft\\Excel\\XLSTART`` and writes the user config
``%USERPROFILE%\\.xlwings\\xlwings.conf`` (``"KEY","VALUE"`` lines, the file the add-in's
ribbon edits): the interpreter, and the UDF modules ``udfs`` (the functions) and
``xladdin.excel.desktop_entry`` (the zero-argument wrappers of the scripts).  Other keys
already in the file are kept.  On another system it stops with a Vietnamese message.

``add_buttons`` (``xladdin excel buttons``) turns a generated workbook into an ``.xlsm``
with one form button per script on its «Hướng dẫn» sheet, each assigned to the macro of
the same name (``[0]!split_targets``…).  No VBA is written here (that needs Excel): the
macros appear in the workbook when the officer clicks *Import Functions* on the xlwings
tab once, which turns every ``@script`` of the UDF modules into a VBA ``Sub``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import contract as c
from ..errors import OutputError, SetupError, UsageError, WorkbookError
from . import BUTTONS, FUNCTIONS_MODULE, button_for, module_file
from .lite import write_zip_atomically

DESKTOP_ENTRY = "xladdin.excel.desktop_entry"
NOT_WINDOWS = (
    "«xladdin excel install» cài tiện ích cho Excel trên máy tính Windows, nhưng máy "
    "này chạy {system}. Trên máy này hãy dùng xlwings Lite («xladdin lite KẾ_HOẠCH.xlsx») "
    "hoặc Excel trên web («xladdin serve»); xem docs/excel.md."
)
NEXT_STEPS = (
    "Mở Excel (đóng hẳn rồi mở lại nếu đang mở): thẻ «xlwings» xuất hiện trên thanh công cụ.",
    "Một lần duy nhất: File › Options › Trust Center › Trust Center Settings › Macro Settings › "
    "đánh dấu «Trust access to the VBA project object model» (Tin cậy quyền truy nhập mô hình "
    "đối tượng dự án VBA).",
    "Mở bảng kế hoạch dạng .xlsm («xladdin excel buttons KẾ_HOẠCH.xlsx»), bật macro, rồi bấm "
    "xlwings › Import Functions: các hàm SPLIT_TARGET… và các nút ở trang «Hướng dẫn» dùng được.",
)


@dataclass
class Installed:
    addin: Path
    config: Path
    udf_modules: list[str]
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
    try:
        xlstart.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except PermissionError:
        raise OutputError(f"không chép được tiện ích vào {xlstart}: hãy đóng Excel rồi chạy lại "
                          "lệnh.") from None
    except OSError as error:
        raise OutputError(f"không chép được tiện ích vào {xlstart} ({error}).") from None
    modules = [FUNCTIONS_MODULE] + ([DESKTOP_ENTRY] if module_file(DESKTOP_ENTRY) else [])
    python = interpreter or Path(sys.executable)
    windowless = python.with_name("pythonw.exe")
    config = home / ".xlwings" / "xlwings.conf"
    update_config(config, {"INTERPRETER_WIN": str(windowless if windowless.exists() else python),
                           "UDF MODULES": ";".join(modules)})
    return Installed(addin=target, config=config, udf_modules=modules)


def update_config(path: Path, values: dict[str, str]) -> None:
    """Set keys of an xlwings.conf file (``"KEY","VALUE"`` per line), keeping the others."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [line for line in lines if line.strip()
            and line.split(",")[0].strip('"').upper() not in values]
    kept += [f'"{key}","{value}"' for key, value in values.items()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    except OSError as error:
        raise OutputError(f"không ghi được {path} ({error}).") from None


# -- buttons in an .xlsm ---------------------------------------------------------------------
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
_AFTER_LEGACY = ("<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<controls",
                 "<webPublishItems", "<tableParts", "<extLst", "</worksheet>")
_BUTTON = ('<v:shape id="_x0000_s{id}" type="#_x0000_t201" style="position:absolute;'
           'width:{w}pt;height:{h}pt;z-index:{z};mso-wrap-style:tight" o:button="t" '
           'fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'
           '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/><o:lock v:ext="edit" '
           'rotation="t"/><v:textbox style="mso-direction-alt:auto" o:singleclick="f"><div '
           'style="text-align:center"><font face="Calibri" size="220" color="#000000">{label}'
           '</font></div></v:textbox><x:ClientData ObjectType="Button"><x:Anchor>{anchor}'
           '</x:Anchor><x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>'
           '<x:FmlaMacro>[0]!{macro}</x:FmlaMacro><x:TextHAlign>Center</x:TextHAlign>'
           '<x:TextVAlign>Center</x:TextVAlign></x:ClientData></v:shape>')
_VML = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
        'office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
        '<o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t201" '
        'coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe"><v:stroke '
        'joinstyle="miter"/><v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" '
        'o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>{shapes}</xml>')


def button_macros() -> list[str]:
    """The macro names: the wrappers of desktop_entry when it exists, else the script names."""
    path = module_file(DESKTOP_ENTRY)
    known = [b.script for b in BUTTONS]
    if path is None:
        return known
    names = re.findall(r"^def (\w+)\(\s*\)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return [name for name in known if name in names] or known


def _first_column_px(sheet: str) -> int:
    match = re.search(r'<col min="1" max="\d+" width="([\d.]+)"', sheet)
    return int(float(match.group(1)) * 7 + 5) if match else 64


def _buttons_vml(sheet: str, macros: list[str]) -> str:
    """Buttons stacked under the used range, in column A (within it when it is wide)."""
    dimension = re.search(r'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', sheet)
    last_row = int(dimension.group(1) or 1) if dimension else 1
    width = min(200, max(40, _first_column_px(sheet) - 10))
    shapes = []
    for index, macro in enumerate(macros):
        top = last_row + 1 + 2 * index  # 0-based row: one blank row, then every other row
        anchor = f"0, 5, {top}, 2, 0, {width + 5}, {top + 1}, 10"
        shapes.append(_BUTTON.format(id=1025 + index, w=width * 3 // 4, h=21, z=index + 1,
                                     label=html.escape(button_for(macro).label), anchor=anchor,
                                     macro=macro))
    return _VML.format(shapes="".join(shapes))


def add_buttons(source: str | Path, out: str | Path | None = None,
                macros: list[str] | None = None) -> Path:
    """``source`` as an .xlsm with one button per script (default ``<name>.xlsm``)."""
    source = Path(source)
    out = Path(out) if out else source.with_suffix(".xlsm")
    if out.suffix.lower() != ".xlsm":
        raise UsageError("tệp có nút bấm phải có đuôi .xlsm (Excel chỉ chạy macro trong .xlsm).")
    if out.resolve() == source.resolve():
        raise UsageError("chọn một tệp đầu ra khác tệp gốc (--out).")
    try:
        with zipfile.ZipFile(source) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        raise WorkbookError("không phải là bảng tính Excel (.xlsx).", file=source.name) from None
    if "xl/workbook.xml" not in parts or "xl/vbaProject.bin" in parts:
        raise WorkbookError("chỉ nhận bảng tính .xlsx do xladdin tạo (không có macro).",
                            file=source.name)
    sheet_path = _guide_sheet(parts)
    sheet = parts[sheet_path].decode("utf-8")
    if "<legacyDrawing " in sheet:
        raise WorkbookError("trang này đã có ghi chú hoặc nút bấm.", file=source.name)
    rels_path = sheet_path.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rels = parts.get(rels_path, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     b'relationships"></Relationships>').decode("utf-8")
    next_rid = max(map(int, re.findall(r'Id="rId(\d+)"', rels)), default=0) + 1
    rid = f"rId{next_rid}"
    drawings = sum(n.startswith("xl/drawings/vmlDrawing") for n in parts)
    vml_path = f"xl/drawings/vmlDrawing{drawings + 1}.vml"
    parts[vml_path] = _buttons_vml(sheet, macros or button_macros()).encode("utf-8")
    parts[rels_path] = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="'
                                    f'{REL_VML}" Target="../drawings/{Path(vml_path).name}"/>'
                                    "</Relationships>").encode("utf-8")
    position = min(i for i in (sheet.find(tag) for tag in _AFTER_LEGACY) if i >= 0)
    parts[sheet_path] = (sheet[:position] + f'<legacyDrawing r:id="{rid}"/>'
                         + sheet[position:]).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8").replace(CT_MAIN, CT_MACRO_MAIN)
    if 'Extension="vml"' not in types:
        types = types.replace("<Override ", f'<Default Extension="vml" ContentType="{CT_VML}"/>'
                                            "<Override ", 1)
    parts["[Content_Types].xml"] = types.encode("utf-8")
    write_zip_atomically(out, parts)
    return out


def _guide_sheet(parts: dict[str, bytes]) -> str:
    """The part of the «Hướng dẫn» sheet (else the first sheet)."""
    book = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    sheets = re.findall(r'<sheet name="([^"]+)"[^>]*r:id="(rId\d+)"', book)
    if not sheets:
        raise WorkbookError("bảng tính không có trang nào.")
    name, rid = next(((n, r) for n, r in sheets if html.unescape(n) == c.GUIDE_SHEET), sheets[0])
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = (target.group(1) or target.group(2)).lstrip("/")
    return path if path.startswith("xl/") else "xl/" + path
