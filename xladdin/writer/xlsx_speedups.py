"""XlsxWriter, the same bytes in less time.

A run writes many workbooks with the same formats (1,000 report forms are 1,000 workbooks
with one set of styles), and XlsxWriter redoes, for each, work whose result never changes.
Each speed-up here keeps every XML part byte for byte what XlsxWriter writes
(tests/test_reference_parts.py compares them; bench/ measures the time):

* :func:`worksheet_class`: no regex pass over each formula for Excel 365's functions; our
  cells go straight into XlsxWriter's cell table and out as one string each.
* :func:`shared_format`: a workbook's Format is a copy of this process's prototype of the
  style, whose keys are computed once.
* :func:`workbook_class`: ``xl/styles.xml`` written once for each set of formats a
  workbook ends with, then reused; and each part deflated only when it differs from the
  same part of the workbook written before (:func:`write_package`: the same zip bytes
  as XlsxWriter's ``ZipFile``; a new deflater per part was a quarter of a form's time).
"""

from __future__ import annotations

import copy
import io
import math
import zlib
from collections.abc import Iterable
from typing import Any
from zipfile import ZIP64_LIMIT, ZIP_DEFLATED, ZipFile, ZipInfo

_classes: dict[str, Any] = {}


def worksheet_class():
    """XlsxWriter's Worksheet without its 29 regex substitutions a formula, which prefix
    Excel 365's dynamic-array functions with ``_xlfn.``: we never write those (contract §2:
    Excel 2010 functions only), and a plan of 10,000 children has 230,000 formulas (a
    minute saved)."""
    if "worksheet" not in _classes:
        from xlsxwriter.utility import xl_rowcol_to_cell_fast
        from xlsxwriter.worksheet import (
            CellBlankTuple,
            CellNumberTuple,
            CellStringTuple,
            Worksheet,
        )

        class FastWorksheet(Worksheet):
            def _prepare_formula(self, formula, expand_future_functions=False):
                if self.use_future_functions or expand_future_functions:
                    return super()._prepare_formula(formula, expand_future_functions)
                if formula.startswith("{"):
                    formula = formula[1:]
                if formula.startswith("="):
                    formula = formula[1:]
                return formula[:-1] if formula.endswith("}") else formula

            # Straight into XlsxWriter's cell table for the cells we write (int row and
            # column, a format, a short string or a finite number): its public methods
            # first convert A1 notation, re-dispatch and check what we never pass.
            def write_string(self, row, col, string, cell_format=None):
                if (type(row) is int and type(col) is int and not self.constant_memory
                        and type(string) is str and len(string) < 16_000):
                    if self._check_dimensions(row, col):
                        return -1
                    index = self.str_table._get_shared_string_index(string)
                    self.table[row][col] = CellStringTuple(index, cell_format)
                    return 0
                return super().write_string(row, col, string, cell_format)

            def write_number(self, row, col, number, cell_format=None):
                if (type(row) is int and type(col) is int and not self.constant_memory
                        and (type(number) is int or (type(number) is float
                                                     and math.isfinite(number)))):
                    if self._check_dimensions(row, col):
                        return -1
                    self.table[row][col] = CellNumberTuple(number, cell_format)
                    return 0
                return super().write_number(row, col, number, cell_format)

            def write_blank(self, row, col, blank, cell_format=None):
                if (type(row) is int and type(col) is int and not self.constant_memory
                        and cell_format is not None):
                    if self._check_dimensions(row, col):
                        return -1
                    self.table[row][col] = CellBlankTuple(cell_format)
                    return 0
                return super().write_blank(row, col, blank, cell_format)

            def _write_cell(self, row, col, cell):
                """The same bytes as XlsxWriter's, for our cells (always formatted) in one
                formatted string each: a summary of 10,000 units has 400,000 cells."""
                fmt = cell.format
                kind = type(cell).__name__
                if fmt is None or self.constant_memory:
                    return super()._write_cell(row, col, cell)
                head = f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"'
                if kind == "Number":
                    self.fh.write(f"{head}><v>{cell.number:.16G}</v></c>")
                elif kind == "String":
                    self.fh.write(f'{head} t="s"><v>{cell.string}</v></c>')
                elif kind == "Blank":
                    self.fh.write(f"{head}/>")
                elif kind == "Formula" and (cell.value == "" or (
                        isinstance(cell.value, int | float) and not isinstance(cell.value, bool))):
                    formula = self._escape_data(cell.formula)
                    self.fh.write(f"{head}><f>{formula}</f><v>{cell.value}</v></c>")
                else:
                    return super()._write_cell(row, col, cell)
                return None

            def _escape_attributes(self, attribute):
                # a number (a row, a style index: most attributes of a sheet) has nothing
                # to escape; XlsxWriter finds that out by catching a TypeError each time
                if not isinstance(attribute, str):
                    return attribute
                return super()._escape_attributes(attribute)

        _classes["worksheet"] = FastWorksheet
    return _classes["worksheet"]


# -- formats ------------------------------------------------------------------------------

_prototypes: dict[tuple[str, str], Any] = {}


def shared_format(workbook, style: str, properties: dict[str, Any]):
    """What ``workbook.add_format(properties)`` returns, made by copying the prototype of
    ``style`` (the same properties over the same defaults, made once a process)."""
    defaults = workbook.default_format_properties
    key = (style, repr(sorted(defaults.items())))
    if key not in _prototypes:
        _prototypes[key] = _format_class()({**defaults, **properties}, key)
    made = copy.copy(_prototypes[key])
    made.xf_format_indices = workbook.xf_format_indices  # the indices of this workbook
    made.dxf_format_indices = workbook.dxf_format_indices
    workbook.formats.append(made)  # as add_format does
    return made


def _format_class():
    """XlsxWriter's Format whose font and border keys are computed once: a workbook never
    changes those properties (it does swap fill colours, so that key is left alone)."""
    if "format" not in _classes:
        from xlsxwriter.format import Format

        class SharedFormat(Format):
            def __init__(self, properties: dict[str, Any], style: tuple[str, str]):
                super().__init__(properties)
                self.style = style
                self._keys = (super()._get_font_key(), super()._get_border_key())
                self._get_format_key()  # kept in _format_key by Format itself

            def _get_font_key(self):
                return self._keys[0]

            def _get_border_key(self):
                return self._keys[1]

        _classes["format"] = SharedFormat
    return _classes["format"]


# -- styles.xml ---------------------------------------------------------------------------

# What a workbook sets on its formats before the styles part is written (Workbook._prepare_*,
# Format._get_xf_index, Styles._write_border); all else stays as in the prototype.
_SET_BY_WORKBOOK = ("xf_index", "dxf_index", "font_index", "has_font", "has_dxf_font",
                    "num_format_index", "border_index", "has_border", "has_dxf_border",
                    "fill_index", "has_fill", "has_dxf_fill", "fg_color", "bg_color", "pattern",
                    "dxf_fg_color", "dxf_bg_color", "diag_border", "checkbox")
_NOT_STYLE = {"xf_format_indices", "dxf_format_indices", "fh", "internal_fh"}
_styles_cache: dict[str, str] = {}
STYLES_CACHE_SIZE = 64


def _signature(fmt) -> tuple:
    """Everything of a Format the styles part is written from."""
    if type(fmt) is _format_class():
        return (fmt.style, *(getattr(fmt, name, None) for name in _SET_BY_WORKBOOK))
    return tuple(sorted((k, v) for k, v in vars(fmt).items() if k not in _NOT_STYLE))


def workbook_class():
    """XlsxWriter's Workbook whose packager takes ``xl/styles.xml`` from a cache when a
    workbook ends with the same formats as one written before in this process."""
    if "workbook" not in _classes:
        from xlsxwriter.packager import Packager
        from xlsxwriter.workbook import Workbook

        class CachingPackager(Packager):
            def _write_styles_file(self) -> None:
                book = self.workbook
                key = repr((
                    [_signature(f) for f in book.xf_formats],
                    [_signature(f) for f in book.dxf_formats],
                    book.palette, book.font_count, book.num_formats, book.border_count,
                    book.fill_count, book.custom_colors, book.has_comments,
                ))
                cached = _styles_cache.get(key)
                if cached is not None and self.in_memory:
                    self._filename("xl/styles.xml").write(cached)
                    return
                super()._write_styles_file()
                written = self.filenames[-1]
                if self.in_memory and written[1] == "xl/styles.xml":
                    if len(_styles_cache) >= STYLES_CACHE_SIZE:
                        _styles_cache.clear()
                    _styles_cache[key] = written[0].getvalue()

            def _create_package(self):
                files = super()._create_package()
                if not self.in_memory:
                    return files
                self.workbook.package_parts = files
                return []  # zipped by write_package

        class CachingWorkbook(Workbook):
            filename: Any  # a path or a binary file object, as XlsxWriter takes
            package_parts: list[tuple[Any, str, bool]] | None = None  # (data, name, binary)

            def _get_packager(self):
                return CachingPackager()

            def _store_workbook(self) -> None:
                if not self.in_memory:
                    return super()._store_workbook()
                target = self.filename
                self.filename = io.BytesIO()  # XlsxWriter zips nothing there
                try:
                    super()._store_workbook()
                finally:
                    self.filename = target
                files, self.package_parts = self.package_parts or [], None
                write_package(target, ((name, data.getvalue() if binary else  # one at a time
                                        data.getvalue().encode("utf-8"))
                                       for data, name, binary in files), self.allow_zip64)
                return None

        _classes["workbook"] = CachingWorkbook
    return _classes["workbook"]


# -- the zip ------------------------------------------------------------------------------

DEFLATE_CACHE_LIMIT = 1 << 18  # parts up to 256 kB are kept to be reused (a form's: ~10 kB)
_deflated: dict[str, tuple[bytes, int, bytes]] = {}  # part name → (data, CRC, deflated data)


def write_package(target, parts: Iterable[tuple[str, bytes]], allow_zip64: bool = True) -> None:
    """Zip ``parts`` (name, bytes) into ``target`` exactly as XlsxWriter does with
    :class:`zipfile.ZipFile` (deflated, dated 1980-01-01), deflating a part again only
    when it differs from the part of that name written last in this process."""
    with ZipFile(target, "w", compression=ZIP_DEFLATED, allowZip64=allow_zip64) as zipped:
        archive: Any = zipped  # ZipFile's private state, as writestr leaves it
        for name, data in parts:
            info = ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = ZIP_DEFLATED
            if not archive._seekable or len(data) * 1.05 > ZIP64_LIMIT:
                archive.writestr(info, data)  # what ZipFile does with a stream or a huge part
                continue
            known = _deflated.get(name)
            if known is not None and known[0] == data:
                crc, packed = known[1], known[2]
            else:
                packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                crc, packed = zlib.crc32(data), packer.compress(data) + packer.flush()
                if len(data) <= DEFLATE_CACHE_LIMIT:
                    _deflated[name] = (data, crc, packed)
            _write_deflated(archive, info, data, crc, packed)


def _write_deflated(archive: Any, info: ZipInfo, data: bytes, crc: int, packed: bytes) -> None:
    """What ``ZipFile.writestr`` leaves in a seekable file, with the part deflated already
    (ZipFile._open_to_write and _ZipWriteFile.close, Python 3.11-3.13)."""
    info.file_size, info.compress_size, info.CRC = len(data), len(packed), crc
    info.flag_bits = 0x00
    if not info.external_attr:
        info.external_attr = 0o600 << 16  # permissions: ?rw-------
    fp = archive.fp
    fp.seek(archive.start_dir)
    info.header_offset = fp.tell()
    archive._writecheck(info)
    archive._didModify = True
    fp.write(info.FileHeader(False))
    fp.write(packed)
    archive.start_dir = fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info
