"""``xladdin excel buttons``: a generated workbook as an ``.xlsm`` with one form button per
script on its «Hướng dẫn» sheet, each assigned to the macro of the same name
(``[0]!split_targets``…).  No VBA is written here (that needs Excel): the macros appear when
the officer clicks *Import Functions* on the xlwings tab once.

Form buttons are VML shapes.  Every VML drawing of a workbook claims blocks of 1,024 shape
ids (``<o:idmap data="1"/>`` → ids 1024–2047) and Excel repairs a workbook where two
drawings claim the same block or two shapes share an id (a summary's cell notes already
use block 1).  The buttons therefore take a block no drawing of the workbook uses, and
join the sheet's own drawing when the sheet already has notes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from lxml import etree

from .. import contract as c
from ..errors import UsageError, WorkbookError
from . import BUTTONS, button_for, module_file
from .ooxml import (
    MAIN,
    REL,
    VML_O,
    VML_V,
    VML_X,
    add_relationship,
    ensure_default,
    parse,
    read_parts,
    relationships,
    rels_path,
    resolve,
    serialize,
    target_of,
    write_zip_atomically,
)

DESKTOP_ENTRY = "xladdin.excel.desktop_entry"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
SHAPES_PER_BLOCK = 1024
# CT_Worksheet's order: <legacyDrawing> comes before these.
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst")
_BUTTON_TYPE = "_x0000_t201"


def button_macros() -> list[str]:
    """The macro names: the wrappers of desktop_entry when it exists, else the script names."""
    known = [b.script for b in BUTTONS]
    path = module_file(DESKTOP_ENTRY)
    if path is None:
        return known
    names = re.findall(r"^def (\w+)\(\s*\)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return [name for name in known if name in names] or known


def add_buttons(source: str | Path, out: str | Path | None = None,
                macros: list[str] | None = None) -> Path:
    """``source`` as an .xlsm with one button per script (default ``<name>.xlsm``)."""
    source = Path(source)
    out = Path(out) if out else source.with_suffix(".xlsm")
    if out.suffix.lower() != ".xlsm":
        raise UsageError("tệp có nút bấm phải có đuôi .xlsm (Excel chỉ chạy macro trong .xlsm).")
    if out.resolve() == source.resolve():
        raise UsageError("chọn một tệp đầu ra khác tệp gốc (--out).")
    parts = read_parts(source)
    if "xl/vbaProject.bin" in parts:
        raise WorkbookError("chỉ nhận bảng tính .xlsx do xladdin tạo (không có macro).",
                            file=source.name)
    sheet_path = _guide_sheet(parts, source.name)
    sheet = parse(parts[sheet_path], sheet_path, source.name)
    if _has_buttons(parts, sheet_path):
        raise WorkbookError("trang này đã có nút bấm.", file=source.name)
    sheet_rels_path = rels_path(sheet_path)
    sheet_rels = relationships(parts.get(sheet_rels_path))
    block = max(vml_ids(parts)[0], default=0) + 1
    shapes = _button_shapes(sheet, macros or button_macros(), block)

    legacy = sheet.find(f"{{{MAIN}}}legacyDrawing")
    if legacy is not None:  # the sheet has notes: the buttons join its drawing
        vml_path = resolve(sheet_path, target_of(sheet_rels, legacy.get(f"{{{REL}}}id")) or "")
        vml = parse(parts[vml_path], vml_path, source.name)
        idmap = vml.find(f".//{{{VML_O}}}idmap")
        idmap.set("data", f"{idmap.get('data')},{block}")
    else:
        vml_path = _new_vml_name(parts)
        vml = _empty_vml(block)
        rid = add_relationship(sheet_rels, REL_VML, "../drawings/" + vml_path.rsplit("/", 1)[1])
        legacy = etree.Element(f"{{{MAIN}}}legacyDrawing")
        legacy.set(f"{{{REL}}}id", rid)
        _insert_in_order(sheet, legacy)
        parts[sheet_rels_path] = serialize(sheet_rels)
        parts[sheet_path] = serialize(sheet)
    if not any(t.get("id") == _BUTTON_TYPE for t in vml.iter(f"{{{VML_V}}}shapetype")):
        vml.append(_button_shapetype())
    for shape in shapes:
        vml.append(shape)
    parts[vml_path] = etree.tostring(vml, encoding="UTF-8")

    types = parse(parts["[Content_Types].xml"], "[Content_Types].xml", source.name)
    for override in types:
        if override.get("ContentType") == CT_MAIN:
            override.set("ContentType", CT_MACRO_MAIN)
    ensure_default(types, "vml", CT_VML)
    parts["[Content_Types].xml"] = serialize(types)
    write_zip_atomically(out, parts)
    return out


def vml_ids(parts: dict[str, bytes]) -> tuple[list[int], list[int]]:
    """The idmap blocks claimed and the shape ids used, over every VML part of a workbook."""
    blocks: list[int] = []
    shape_ids: list[int] = []
    for name, data in parts.items():
        if not name.lower().endswith(".vml"):
            continue
        vml = parse(data, name)
        for idmap in vml.iter(f"{{{VML_O}}}idmap"):
            blocks += [int(b) for b in (idmap.get("data") or "").split(",") if b.strip().isdigit()]
        for shape in vml.iter(f"{{{VML_V}}}shape"):
            number = (shape.get("id") or "").removeprefix("_x0000_s")
            if number.isdigit():
                shape_ids.append(int(number))
    return blocks, shape_ids


def _has_buttons(parts: dict[str, bytes], sheet_path: str) -> bool:
    rels = relationships(parts.get(rels_path(sheet_path)))
    for rel in rels:
        if rel.get("Type") == REL_VML:
            name = resolve(sheet_path, rel.get("Target") or "")
            if name in parts and any(
                    data.get("ObjectType") == "Button"
                    for data in parse(parts[name], name).iter(f"{{{VML_X}}}ClientData")):
                return True
    return False


def _new_vml_name(parts: dict[str, bytes]) -> str:
    number = 1
    while f"xl/drawings/vmlDrawing{number}.vml" in parts:
        number += 1
    return f"xl/drawings/vmlDrawing{number}.vml"


def _insert_in_order(sheet: etree._Element, element: etree._Element) -> None:
    for index, child in enumerate(sheet):
        if etree.QName(child).localname in _AFTER_LEGACY:
            sheet.insert(index, element)
            return
    sheet.append(element)


def _empty_vml(block: int) -> etree._Element:
    vml = etree.Element("xml", nsmap={"v": VML_V, "o": VML_O, "x": VML_X})
    layout = etree.SubElement(vml, f"{{{VML_O}}}shapelayout", {f"{{{VML_V}}}ext": "edit"})
    etree.SubElement(layout, f"{{{VML_O}}}idmap", {f"{{{VML_V}}}ext": "edit", "data": str(block)})
    return vml


_SHAPETYPE = (
    f'<v:shapetype xmlns:v="{VML_V}" xmlns:o="{VML_O}" id="{_BUTTON_TYPE}" '
    'coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe"><v:stroke '
    'joinstyle="miter"/><v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" '
    'o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>')
_BUTTON = (
    f'<v:shape xmlns:v="{VML_V}" xmlns:o="{VML_O}" xmlns:x="{VML_X}" id="_x0000_s{{id}}" '
    f'type="#{_BUTTON_TYPE}" style="position:absolute;width:{{w}}pt;height:{{h}}pt;'
    'z-index:{z};mso-wrap-style:tight" o:button="t" fillcolor="buttonFace [67]" '
    'strokecolor="windowText [64]" o:insetmode="auto"><v:fill color2="buttonFace [67]" '
    'o:detectmouseclick="t"/><o:lock v:ext="edit" rotation="t"/><v:textbox '
    'style="mso-direction-alt:auto" o:singleclick="f"><div style="text-align:center"><font '
    'face="Calibri" size="220" color="#000000">{label}</font></div></v:textbox><x:ClientData '
    'ObjectType="Button"><x:Anchor>{anchor}</x:Anchor><x:PrintObject>False</x:PrintObject>'
    '<x:AutoFill>False</x:AutoFill><x:FmlaMacro>[0]!{macro}</x:FmlaMacro><x:TextHAlign>'
    'Center</x:TextHAlign><x:TextVAlign>Center</x:TextVAlign></x:ClientData></v:shape>')


def _button_shapetype() -> etree._Element:
    return etree.fromstring(_SHAPETYPE)


def _button_shapes(sheet: etree._Element, macros: list[str], block: int) -> list[etree._Element]:
    """Buttons stacked under the used range, in column A (within it when it is wide)."""
    dimension = sheet.find(f"{{{MAIN}}}dimension")
    ref = dimension.get("ref", "A1") if dimension is not None else "A1"
    last_row = int(re.sub(r"^[A-Z]+", "", ref.split(":")[-1]) or 1)
    width = min(200, max(40, _first_column_px(sheet) - 10))
    shapes = []
    for index, macro in enumerate(macros):
        top = last_row + 1 + 2 * index  # 0-based row: one blank row, then every other row
        shapes.append(etree.fromstring(_BUTTON.format(
            id=block * SHAPES_PER_BLOCK + 1 + index, w=width * 3 // 4, h=21, z=index + 1,
            label=html.escape(button_for(macro).label),
            anchor=f"0, 5, {top}, 2, 0, {width + 5}, {top + 1}, 10", macro=macro)))
    return shapes


def _first_column_px(sheet: etree._Element) -> int:
    for col in sheet.iter(f"{{{MAIN}}}col"):
        if col.get("min") == "1" and col.get("width"):
            return int(float(col.get("width", "0")) * 7 + 5)
    return 64


def _guide_sheet(parts: dict[str, bytes], file: str) -> str:
    """The part of the «Hướng dẫn» sheet (else the first sheet)."""
    book = parse(parts["xl/workbook.xml"], "xl/workbook.xml", file)
    rels = relationships(parts.get("xl/_rels/workbook.xml.rels"))
    sheets = [(s.get("name"), s.get(f"{{{REL}}}id")) for s in book.iter(f"{{{MAIN}}}sheet")]
    if not sheets:
        raise WorkbookError("bảng tính không có trang nào.", file=file)
    _name, rid = next(((n, r) for n, r in sheets if n == c.GUIDE_SHEET), sheets[0])
    target = target_of(rels, rid or "")
    path = resolve("xl/workbook.xml", target or "")
    if path not in parts:
        raise WorkbookError("bảng tính thiếu trang được khai báo.", file=file)
    return path
