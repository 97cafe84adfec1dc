"""What calamine does not say about a sheet, and what it must never see.

One streaming pass (iterparse) over each worksheet part finds its formula cells and its
error cells (calamine shows both as blanks, and refuses error values it does not know,
such as ``#SPILL!`` or ``#BLOCKED!``), and where its cells are.  calamine materialises a
sheet as one dense rectangle from A1 to the last cell holding a value, so a single
value in XFD1048576 would ask for hundreds of GB: cells far outside the sheet's block of
cells and tables are dropped (and named in a warning), and a sheet whose block is still
too big is refused.  When a sheet has such cells or error values, calamine is given a
rewritten copy of the sheet holding only the kept cells, without the error cells.

The workbook's Tables are read from their own small parts (calamine would read the
whole sheet again for each of them).
"""

from __future__ import annotations

import functools
import posixpath
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import WorkbookError
from .base import TableLocation, a1, parse_a1
from .package import Package
from .sheet_cells import Cell, sheet_cells, xml_text

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MAIN = "{" + _MAIN_NS + "}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_STRICT_MAIN = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"

ROW_GAP = 1000  # more empty rows than this ends a sheet's block of cells
COL_GAP = 64  # more empty columns than this, likewise
MAX_CELLS = 1_000_000  # the block calamine may materialise (a plan of 700 units: ~25,000)
SCAN_SECONDS = 30.0  # reading one file never takes longer than this
MAX_ROW, MAX_COL = 1_048_575, 16_383  # Excel's last cell, XFD1048576 (0-based)
CLASSIC_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
_QUOTE = {'"': "&quot;"}
_F_ATTRIBUTES = re.compile(rb'([A-Za-z_][\w.:-]*)="([^"]*)"')
PLAIN_BYTES = 64 * 1024 * 1024  # a plain sheet part up to this size is read in one piece
_RESEND = "Hãy mở tệp bằng Excel, lưu lại rồi gửi lại."


def parse_xml(package: Package, part: str) -> ET.Element:
    """A small part (workbook, rels, table) parsed whole; any XML problem is the file's.
    The element is shared with every reading of the same bytes: read it, never change it."""
    parsed = _parsed(package.read(part))
    if isinstance(parsed, str):
        raise _malformed(package, part, parsed)
    return parsed


@functools.lru_cache(maxsize=64)
def _parsed(data: bytes) -> ET.Element | str:
    """The tree of a part, or what is wrong with it (the same parts, form after form)."""
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        return str(error)


def _malformed(package: Package, part: str, error: ET.ParseError | str) -> WorkbookError:
    return WorkbookError(f"Tệp bị hỏng: phần {part} không đúng định dạng XML ({error}). {_RESEND}",
                         file=package.source, rule="corrupt")


def sheet_parts(package: Package) -> dict[str, str]:
    """Sheet name → its part inside the zip (``xl/worksheets/sheet1.xml``)."""
    workbook = parse_xml(package, "xl/workbook.xml")
    rels_part = "xl/_rels/workbook.xml.rels"
    rels = parse_xml(package, rels_part) if package.has(rels_part) else ET.Element("none")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in [*workbook.iter(f"{_MAIN}sheet"), *workbook.iter(f"{_STRICT_MAIN}sheet")]:
        rid = sheet.get(f"{_REL}id") or sheet.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
        parts[sheet.get("name", "")] = resolve_part("xl/workbook.xml", targets.get(rid, ""))
    return parts


def resolve_part(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def sheet_tables(package: Package, sheet: str, part: str) -> list[TableLocation]:
    """The Tables of one sheet, from the table parts its relationships name."""
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if not package.has(rels_part):
        return []
    tables = []
    for rel in parse_xml(package, rels_part).iter(f"{_PKG_REL}Relationship"):
        if not rel.get("Type", "").endswith("/table") or rel.get("TargetMode") == "External":
            continue
        table_part = resolve_part(part, rel.get("Target", ""))
        if not package.has(table_part):
            continue
        table = parse_xml(package, table_part)
        found = _table(table, sheet)
        if found is not None:
            tables.append(found)
    return tables


def _table(table: ET.Element, sheet: str) -> TableLocation | None:
    ref = (table.get("ref") or "").split(":")
    first, last = (parse_a1(ref[0]), parse_a1(ref[1])) if len(ref) == 2 else (None, None)
    if first is None or last is None or table.get("headerRowCount", "1") == "0":
        return None  # a table without a range or without headers is none of ours
    (first_row, first_col), (last_row, last_col) = first, last
    try:
        totals = int(table.get("totalsRowCount", "0") or 0)
    except ValueError:
        totals = 0
    headers = tuple(c.get("name", "") for c in table.iter() if c.tag.endswith("}tableColumn"))
    name = table.get("displayName") or table.get("name") or ""
    return TableLocation(
        name,
        sheet,
        first_row,
        first_col,
        max(first_row, last_row - max(totals, 0)),
        last_col,
        headers,
    )


@dataclass
class SheetScan:
    """What one pass over a sheet found."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    last_row: int = -1  # of the kept block (0-based)
    last_col: int = -1
    far: list[tuple[int, int]] = field(default_factory=list)  # the first cells left out (rewrite)
    n_far: int = 0
    rewrite: bool = False  # calamine must be given the kept cells only

    def keeps(self, row: int, col: int) -> bool:
        return row <= self.last_row and col <= self.last_col


def scan_sheet(
    package: Package, part: str | None, tables: list[TableLocation], deadline: float
) -> SheetScan:
    if not part or not package.has(part):
        return SheetScan()
    small = package.infos[part].file_size <= PLAIN_BYTES
    plain = sheet_cells(package.part(part)) if small else None
    if plain is not None:
        return scan_cells(package, plain, tables)
    return scan_sheet_streamed(package, part, tables, deadline)


def scan_sheet_streamed(package: Package, part: str, tables: list[TableLocation],
                        deadline: float | None = None) -> SheetScan:
    """:func:`scan_sheet` of any sheet part, by streaming its XML (the general way)."""
    scan = SheetScan()
    rows: set[int] = set()
    cols: set[int] = set()
    small = package.infos[part].file_size <= PLAIN_BYTES
    if not small or _ODD_VALUE.search(package.part(part)):
        _refuse_odd_numbers(package, part)
    _note_cells(package, part, deadline_from_now() if deadline is None else deadline, scan,
                rows, cols)
    return _bounded(package, scan, rows, cols, tables)


def scan_cells(package: Package, cells: Iterable[Cell], tables: list[TableLocation]
               ) -> SheetScan:
    """:func:`scan_sheet` of a sheet proven plain, from its cells."""
    scan = SheetScan()
    rows: set[int] = set()
    cols: set[int] = set()
    _note_plain(package, cells, scan, rows, cols)
    return _bounded(package, scan, rows, cols, tables)


def _bounded(package: Package, scan: SheetScan, rows: set[int], cols: set[int],
             tables: list[TableLocation]) -> SheetScan:
    """The sheet's block of cells: what calamine may materialise, and what is left out."""
    scan.last_row = _block_end(rows, ROW_GAP)
    scan.last_col = _block_end(cols, COL_GAP)
    for table in tables:  # a Table's own range is always read, up to its last value
        scan.last_row = max(scan.last_row, min(table.last_row, max(rows, default=-1)))
        scan.last_col = max(scan.last_col, min(table.last_col, max(cols, default=-1)))
    if (scan.last_row + 1) * (scan.last_col + 1) > MAX_CELLS:
        raise WorkbookError(
            f"Trang có quá nhiều ô ({scan.last_row + 1} dòng × {scan.last_col + 1} cột) để là "
            "một bảng tính của xladdin: hãy xóa các dòng, cột thừa rồi gửi lại.",
            file=package.source,
            rule="oversized",
        )
    if max(rows, default=-1) > scan.last_row or max(cols, default=-1) > scan.last_col:
        scan.rewrite = True  # rewritten_sheet counts the cells it leaves out
        scan.formulas = {k: v for k, v in scan.formulas.items() if scan.keeps(*k)}
        scan.errors = {k: v for k, v in scan.errors.items() if scan.keeps(*k)}
    return scan


def _note_cells(package: Package, part: str, deadline: float, scan: SheetScan, rows: set[int],
                cols: set[int]) -> None:
    """Formulas, error cells and where the cells are, by streaming the part's XML."""
    shared: dict[str, str] = {}
    previous = (-1, -1)
    for where, element in _cells(package, part, deadline):
        row, col = where
        formula = element.find(f"{_MAIN}f")
        if formula is not None:
            text = formula.text or ""
            index = formula.get("si")
            if formula.get("t") == "shared" and index is not None:
                # Later cells of a shared formula carry only its index; the text matters
                # little to us (we only need to know it is one).
                text = shared.setdefault(index, text) if text else shared.get(index, "")
            scan.formulas[where] = text
        has_value = element.find(f"{_MAIN}v") is not None or element.find(f"{_MAIN}is") is not None
        if element.get("t") == "e":
            value = element.find(f"{_MAIN}v")
            code = ((value.text if value is not None else None) or "#VALUE!").strip()
            scan.errors[where] = code
            scan.rewrite = scan.rewrite or code not in CLASSIC_ERRORS
        if has_value or formula is not None:
            previous = _in_order(package, where, previous)
            rows.add(row)
            cols.add(col)


def _note_plain(package: Package, cells: Iterable[Cell], scan: SheetScan, rows: set[int],
                cols: set[int]) -> None:
    """The same as :func:`_note_cells`, from the cells of a part proven plain."""
    shared: dict[str, str] = {}
    previous = (-1, -1)
    formulas = scan.formulas
    for cell in cells:  # every one holds something: a formula, a value or an error
        where = (cell.row, cell.col)
        kind = cell.kind
        if kind in _NUMBER_KINDS and b"&" in cell.value:
            raise _odd_number(package, a1(*where))
        if kind == b"e":
            code = (xml_text(cell.value) or "#VALUE!").strip()
            scan.errors[where] = code
            scan.rewrite = scan.rewrite or code not in CLASSIC_ERRORS
            if not (cell.has_formula or cell.has_value or cell.has_inline):
                continue
        if cell.has_formula:
            text = xml_text(cell.formula)
            if cell.formula_attrs:
                found = {name: xml_text(value)
                         for name, value in _F_ATTRIBUTES.findall(cell.formula_attrs)}
                index = found.get(b"si")
                if found.get(b"t") == "shared" and index is not None:
                    text = shared.setdefault(index, text) if text else shared.get(index, "")
            formulas[where] = text
        if where <= previous:
            _in_order(package, where, previous)  # raises: a cell twice, or out of order
        previous = where
        rows.add(where[0])
        cols.add(where[1])


_NUMBER_KINDS = (b"", b"n", b"b")


# A number's <v> holding a character reference or CDATA: valid XML that Excel never writes,
# and calamine reads wrong (``4&#50;`` as 4, ``&#52;2`` as nothing) while LibreOffice shows 42.
_ODD_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^<>]*)?>(?:\s*<!\[CDATA\[|[^<]*&)")
_CELL_XML = re.compile(
    rb"<(?:[\w.-]+:)?c(\s[^<>]*)?>((?:(?!</?(?:[\w.-]+:)?c[\s>/]).)*+)</(?:[\w.-]+:)?c>", re.S)
_CELL_REF = re.compile(rb'\sr\s*=\s*["\']([^"\']*)["\']')
_CELL_TYPE = re.compile(rb'\st\s*=\s*["\']([^"\']*)["\']')


def _refuse_odd_numbers(package: Package, part: str) -> None:
    """A number written with a character reference or CDATA is an error naming its cell
    (not a number read wrong, nor a blank read as 0)."""
    for match in _CELL_XML.finditer(package.part(part)):
        attributes, inner = match.group(1) or b"", match.group(2)
        kind = _CELL_TYPE.search(attributes)
        if kind is not None and kind.group(1) not in (b"", b"n", b"b"):
            continue  # a string: calamine resolves references in strings
        if _ODD_VALUE.search(inner):
            ref = _CELL_REF.search(attributes)
            raise _odd_number(package, ref.group(1).decode("utf-8", "replace")[:20] if ref else "")


def _odd_number(package: Package, cell: str) -> WorkbookError:
    return WorkbookError(
        f"Tệp bị hỏng: số ở ô {cell} được ghi theo cách Excel không bao giờ ghi (mã ký tự "
        f"hoặc CDATA): các chương trình sẽ đọc ra những số khác nhau. {_RESEND}",
        file=package.source, cell=cell or None, rule="corrupt")


def _in_order(package: Package, where: tuple[int, int], previous: tuple[int, int]
              ) -> tuple[int, int]:
    if where <= previous:  # E9 twice: Excel and LibreOffice would keep different ones
        raise WorkbookError(
            f"Tệp bị hỏng: ô {a1(*where)} của trang có hai giá trị (hoặc các ô không theo thứ "
            f"tự): không rõ số nào đúng. {_RESEND}",
            file=package.source,
            rule="corrupt",
        )
    return where


def _block_end(values: set[int], gap: int) -> int:
    """The last index of the block that starts at 0: values no further apart than ``gap``."""
    end = -1
    for value in sorted(values):
        if value - end > gap:
            break
        end = value
    return end


def _cells(package: Package, part: str, deadline: float):
    """((row, col), <c> element) of every cell of a sheet, streamed; positions implied
    by order where the file leaves them out (as the standard allows)."""
    row, col, count = -1, -1, 0
    try:
        with package.open(part) as stream:
            for event, element in ET.iterparse(stream, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{_MAIN}row":
                        text = element.get("r")
                        row = (
                            int(text) - 1 if text and text.isdigit() and len(text) <= 7 else row + 1
                        )
                        if text and (not text.isdigit() or len(text) > 7 or row > MAX_ROW):
                            raise WorkbookError(
                                f"Tệp bị hỏng: dòng «{text[:20]}» nằm ngoài giới hạn của Excel. "
                                + _RESEND,
                                file=package.source,
                                rule="corrupt",
                            )
                        col = -1
                    continue
                if tag == f"{_MAIN}c":
                    ref = element.get("r")
                    where = parse_a1(ref) if ref else (max(row, 0), col + 1)
                    if where is None:  # a reference calamine would choke on
                        raise WorkbookError(
                            f"Tệp bị hỏng: ô «{ref[:20]}» không phải địa chỉ ô hợp lệ. {_RESEND}",
                            file=package.source,
                            rule="corrupt",
                        )
                    if where[0] > MAX_ROW or where[1] > MAX_COL:
                        raise WorkbookError(
                            f"Tệp bị hỏng: ô «{element.get('r', '')[:20]}» nằm ngoài giới hạn của "
                            f"Excel. {_RESEND}",
                            file=package.source,
                            rule="corrupt",
                        )
                    row, col = where
                    yield where, element
                    element.clear()
                    count += 1
                    if count % 4096 == 0 and time.monotonic() > deadline:
                        raise WorkbookError(
                            "Đọc tệp quá lâu (quá thời gian cho phép): đã bỏ qua tệp này. "
                            + _RESEND,
                            file=package.source,
                            rule="timeout",
                        )
                elif tag == f"{_MAIN}row":
                    element.clear()
    except ET.ParseError as error:
        raise _malformed(package, part, error) from None


def deadline_from_now(seconds: float = SCAN_SECONDS) -> float:
    return time.monotonic() + seconds

