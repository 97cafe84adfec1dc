"""Editing the parts of a workbook zip as XML (lxml), never as text with regexes.

``excel buttons`` and ``lite`` add parts to a workbook our writers made.  The parts they
touch ([Content_Types].xml, relationships, a worksheet, VML drawings) are parsed and
written back with lxml, which keeps every namespace prefix and declaration as it was
(``mc:Ignorable="x14ac"`` names a prefix that must stay declared: ElementTree would drop
it and Excel would repair the file).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from ..errors import OutputError, WorkbookError
from ..grid.package import Package, read_file_once
from ..writer.save import atomic_write

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
VML_V = "urn:schemas-microsoft-com:vml"
VML_O = "urn:schemas-microsoft-com:office:office"
VML_X = "urn:schemas-microsoft-com:office:excel"
EMPTY_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              b'relationships"/>')

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_blank_text=False)


def parse(data: bytes, part: str = "", file: str | None = None) -> etree._Element:
    """A part as an element tree (no entities, no network: the input may be anyone's)."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise WorkbookError(f"phần {part} của bảng tính bị hỏng (không phải XML hợp lệ).",
                            file=file) from None


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_parts(source: Path) -> dict[str, bytes]:
    """Every part of a workbook zip, read within the limits every received file gets
    (size, zip bombs, encryption: :mod:`xladdin.grid.package`), or WorkbookError."""
    package = Package(read_file_once(source))
    parts = {name: package.read(name) for name in package.infos if not name.endswith("/")}
    if "[Content_Types].xml" not in parts:
        raise WorkbookError("không phải là bảng tính Excel (.xlsx/.xlsm).", file=source.name)
    return parts


def rels_path(part: str) -> str:
    """``xl/worksheets/sheet3.xml`` → ``xl/worksheets/_rels/sheet3.xml.rels``."""
    path = PurePosixPath(part)
    return str(path.parent / "_rels" / (path.name + ".rels")).lstrip("./")


def resolve(source_part: str, target: str) -> str:
    """A relationship Target (relative to its part's folder, or absolute) → a part name."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (str(PurePosixPath(source_part).parent) + "/" + target).split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if parts:
                parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def relationships(data: bytes | None) -> etree._Element:
    return parse(data or EMPTY_RELS, "relationships")


def add_relationship(rels: etree._Element, rel_type: str, target: str) -> str:
    """Append a relationship with a fresh ``rIdN``; its Id."""
    used = {r.get("Id") for r in rels}
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    rid = f"rId{number}"
    etree.SubElement(rels, f"{{{PACKAGE_REL}}}Relationship", Id=rid, Type=rel_type,
                     Target=target)
    return rid


def remove_relationships(rels: etree._Element, rel_type: str) -> None:
    for rel in [r for r in rels if r.get("Type") == rel_type]:
        rels.remove(rel)


def target_of(rels: etree._Element, rid: str) -> str | None:
    for rel in rels:
        if rel.get("Id") == rid:
            return rel.get("Target")
    return None


def set_override(types: etree._Element, part: str, content_type: str) -> None:
    """The content type of ``/part`` (replacing any earlier one)."""
    name = "/" + part
    for override in types.findall(f"{{{CONTENT_TYPES}}}Override"):
        if override.get("PartName") == name:
            types.remove(override)
    etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName=name,
                     ContentType=content_type)


def ensure_default(types: etree._Element, extension: str, content_type: str) -> None:
    """A ``Default`` for an extension, before the overrides (the schema's order)."""
    defaults = types.findall(f"{{{CONTENT_TYPES}}}Default")
    if any(d.get("Extension", "").lower() == extension for d in defaults):
        return
    element = etree.Element(f"{{{CONTENT_TYPES}}}Default", Extension=extension,
                            ContentType=content_type)
    types.insert(len(defaults), element)


def write_zip_atomically(out: Path, parts: dict[str, bytes], *, keep_mode_of: Path | None = None
                         ) -> None:
    """Write the parts as a workbook at ``out`` with the one atomic writer (a temporary file
    in the same folder, then a rename; usual rights: 0666 less the umask).  Replacing
    ``keep_mode_of`` (``--in-place``), the file keeps its own mode."""
    if not out.parent.is_dir():
        raise OutputError(f"thư mục {out.parent} không tồn tại.")
    mode = keep_mode_of.stat().st_mode & 0o7777 if keep_mode_of and keep_mode_of.exists() else None

    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ["[Content_Types].xml", *[n for n in parts if n != "[Content_Types].xml"]]:
                archive.writestr(name, parts[name])

    atomic_write(out, write)
    if mode is not None:
        os.chmod(out, mode)  # until the atomic writer keeps modes itself
