"""The cells of a sheet part in one pass of C-speed regexes, when the part is plain.

A report form's sheet has about 150 cells; walking them as XML elements in Python costs
far more than reading the file.  The parts Excel, LibreOffice, WPS and XlsxWriter write
have one plain shape: ``<row r="9" …><c r="E9" s="10" t="s"><v>16</v></c>…</row>``.
:func:`sheet_cells` proves a part has exactly that shape before it reads a cell of it:

* the part is well-formed XML (expat, which also refuses undefined entities) with no
  DOCTYPE, comment, CDATA or processing instruction, no carriage return, one default
  namespace (SpreadsheetML's) and no other ``xmlns``;
* its ``<sheetData>`` matches, as a whole, a grammar of rows and cells in which every row
  and cell carries its address, within Excel's bounds, and every cell holds at most a
  formula, a value and an inline string of one text run, in that order;
* every ``<c`` of the part is one of those cells.

Anything else (a namespace prefix, a rich inline string, a cell without an address, an
attribute in single quotes…) returns None and the caller reads the part the slow, general
way, which also says what is wrong with it.  Nothing here trusts a regex to parse XML: the
grammar only accepts what it can read exactly.
"""

from __future__ import annotations

import functools
import re
import xml.parsers.expat
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TypeVar

T = TypeVar("T")

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# Possessive quantifiers and atomic groups throughout: each byte is matched once, so no
# part, however it is crafted, makes these regexes backtrack.
_ROW = rb"(?:[1-9]\d{0,5}|10[0-3]\d{4}|104[0-7]\d{3}|1048[0-4]\d{2}|10485[0-6]\d|104857[0-6])"
_COL = rb"(?:[A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])"  # A … XFD
_ATTR = rb'(?>\s++[A-Za-z_][\w.:-]*+="[^"<>&]*+")'
_F_ATTR = rb'(?>\s++[A-Za-z_][\w.:-]*+="[^"<>]*+")'
_INNER = (
    rb"\s*+(?:(<f)((?:" + _F_ATTR + rb")*+)\s*+(?:/>|>([^<]*+)</f>)\s*+)?+"
    rb"(?:(<v)(?:>([^<]*+)</v>|/>)\s*+)?+"
    rb'(?:(<is>)\s*+<t( xml:space="preserve")?+(?:>([^<]*+)</t>|/>)\s*+</is>\s*+)?+'
)
_CELL = (rb'(?><c r="' + _COL + _ROW + rb'"(?:' + _ATTR + rb")*+\s*+(?:/>|>" + _INNER
         + rb"</c>))")
_SHEET_DATA = re.compile(
    rb"(?:\s*+(?><row r=\"" + _ROW + rb"\"(?:" + _ATTR + rb")*+\s*+(?:/>|>(?:\s*+" + _CELL
    + rb")*+\s*+</row>)))*+\s*+"
)
# one match per cell of a proven sheetData: address, s, t, other attributes, then _INNER
_CELLS = re.compile(
    rb'<c r="([A-Z]+)(\d+)"(?: s="(\d{1,9})")?+(?: t="(\w+)")?+((?:' + _ATTR + rb")*+)\s*+(?:/>|>"
    + _INNER + rb"</c>)"
)
_DECLARATION = re.compile(
    rb'<\?xml version="1\.0"(?: encoding="(?i:utf-8)")?(?: standalone="(?:yes|no)")?\s*\?>'
)
_REFERENCE = re.compile(rb"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}
_OOXML_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")  # calamine unescapes these; we do not


SMALL = 256 * 1024  # a part this small is remembered by its bytes (see memo)


def memo(function: Callable[[bytes], T]) -> Callable[[bytes], T]:
    """``function`` of a part's bytes, computed once for the same bytes when the part is
    small (a plan's forms share their theme, styles, guide sheet…: :mod:`.package` hands
    out the same bytes object for them, whose hash Python keeps)."""
    cached = functools.lru_cache(maxsize=64)(function)

    def call(data: bytes) -> T:
        return cached(data) if len(data) <= SMALL else function(data)

    functools.update_wrapper(call, function)
    return call


class Cell(NamedTuple):
    """One ``<c>`` of a proven sheet: 0-based position and its pieces, as raw bytes."""

    row: int
    col: int
    style: int | None  # s
    kind: bytes  # t ("" for a number)
    extra: bytes  # attributes other than r, s, t (cm, vm, ph…)
    has_formula: bool
    formula_attrs: bytes
    formula: bytes
    has_value: bool
    value: bytes
    has_inline: bool
    inline_kept: bool  # xml:space="preserve": calamine trims the text otherwise
    inline: bytes


@memo
def plain_xml(data: bytes) -> bool:
    """Well-formed, UTF-8, one default namespace (SpreadsheetML's), nothing exotic."""
    if (b"<!" in data or b"\r" in data or data.count(b"<?") > 1
            or data.count(b'xmlns="') != 1 or b'xmlns="' + MAIN_NS + b'"' not in data):
        return False
    if data.startswith(b"<?") and not _DECLARATION.match(data):
        return False
    if b"<?" in data and not data.startswith(b"<?"):
        return False
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


def text(raw: bytes, kept: bool = True) -> str | None:
    """Character data as calamine reads it, or None when that is not certain: an OOXML
    ``_xHHHH_`` escape (calamine unescapes those).  A string's ``<t>`` without
    ``xml:space="preserve"`` (``kept``) is trimmed, as calamine does; trimmed of other
    white space than spaces, tabs and line feeds, it is not certain either."""
    if b"_x" in raw and _OOXML_ESCAPE.search(raw):
        return None
    found = xml_text(raw)
    if not kept:
        found = found.strip(" \t\n")
        if found and (found[0].isspace() or found[-1].isspace()):
            return None
    return found


def xml_text(raw: bytes) -> str:
    """Character data as an XML parser gives it (references resolved)."""
    if b"&" not in raw:
        return raw.decode("utf-8")
    return _REFERENCE.sub(_resolved, raw).decode("utf-8")


def _resolved(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name.startswith(b"#x"):
        return chr(int(name[2:], 16)).encode("utf-8")
    if name.startswith(b"#"):
        return chr(int(name[1:])).encode("utf-8")
    return _NAMED[name].encode("utf-8")


def sheet_cells(data: bytes) -> Iterator[Cell] | None:
    """The cells holding something (a formula, a value, an inline string, an error) of a
    plain sheet part, in document order, or None when the part is not provably plain (see
    the module's docstring).  A big sheet's cells are read as they are taken: a sheet of
    400,000 cells is never a list of them."""
    if len(data) <= SMALL:
        cells = _small_sheet_cells(data)
        return None if cells is None else iter(cells)
    region = _proven_region(data)
    if region is None:
        return None
    return _cells(match.groups(b"") for match in _CELLS.finditer(region))


@memo
def _small_sheet_cells(data: bytes) -> tuple[Cell, ...] | None:
    region = _proven_region(data)
    return None if region is None else tuple(_cells(_CELLS.findall(region)))


def _proven_region(data: bytes) -> bytes | None:
    """The inside of ``<sheetData>``, proven plain, or None."""
    if not plain_xml(data):
        return None
    if data.count(b"<sheetData") != 1:
        return None
    start = data.index(b"<sheetData")
    if data.startswith(b"<sheetData/>", start):
        region = b""
    elif data.startswith(b"<sheetData>", start) and data.count(b"</sheetData>") == 1:
        end = data.index(b"</sheetData>")
        region = data[start + len(b"<sheetData>"):end]
    else:
        return None
    if not _SHEET_DATA.fullmatch(region):
        return None
    # every <c of the part is in sheetData (where the grammar allows only its own cells)
    if _cell_tags(data[:start]) or _cell_tags(data[start + len(b"<sheetData>") + len(region):]):
        return None
    return region


def _cell_tags(data: bytes) -> int:
    return sum(data.count(b"<c" + end) for end in (b" ", b"\t", b"\n", b"/", b">"))


def _cells(found: Iterable[tuple[bytes, ...]]) -> Iterator[Cell]:
    """The cells holding something (a formula, a value, an inline string, an error), from
    the matches of :data:`_CELLS` in a region (a list for a form, lazily for a plan)."""
    for letters, digits, style, kind, extra, f, f_attrs, formula, v, value, is_, kept, inline in (
            found):
        if extra:  # attributes out of their usual order or spacing: read them by name
            named = dict(_ATTRIBUTE.findall(extra))
            kind = named.get(b"t", kind)
            if b"s" in named:
                style = named[b"s"] if named[b"s"].isdigit() and len(named[b"s"]) < 10 else b""
        if not (f or v or is_ or kind == b"e"):
            continue  # a formatted, empty cell: nothing to read, nothing to check
        col = 0
        for letter in letters:
            col = col * 26 + letter - 64
        yield Cell(int(digits) - 1, col - 1, int(style) if style else None, kind, extra,
                   bool(f), f_attrs, formula, bool(v), value, bool(is_), bool(kept), inline)


_SHARED_TEXT = r'\s*+(?><si>\s*+<t( xml:space="preserve")?+(?:>([^<]*+)</t>|/>)\s*+</si>)\s*+'
_SHARED = re.compile(_SHARED_TEXT)
_SHARED_BYTES = re.compile(_SHARED_TEXT.encode())
_SST = re.compile(rb'<sst(?:' + _ATTR + rb')*+\s*+(?:/>|>((?:' + _SHARED_TEXT.encode()
                  + rb')*+)</sst>)\s*+\Z')


@memo
def shared_strings(data: bytes) -> tuple[str, ...] | None:
    """The shared strings of a plain ``sharedStrings.xml`` (one text run each), or None."""
    if not plain_xml(data):
        return None
    at = data.find(b"<sst")
    whole = _SST.match(data, at) if at >= 0 else None
    if whole is None:
        return None
    body = whole.group(1) or b""
    if b"&" in body or b"_x" in body:  # the general way, string by string
        found = [text(raw, kept=bool(kept)) for kept, raw in _SHARED_BYTES.findall(body)]
        read = tuple(value for value in found if value is not None)
        return read if len(read) == len(found) else None
    strings = []
    for kept, value in _SHARED.findall(body.decode("utf-8")):
        if not kept:
            value = value.strip(" \t\n")
            if value and (value[0].isspace() or value[-1].isspace()):
                return None
        strings.append(value)
    return tuple(strings)


_XF = re.compile(rb"<xf\b([^<>]*?)/?>")
_NUM_FMT = re.compile(rb"<numFmt\b([^<>]*?)/?>")
_ATTRIBUTE = re.compile(rb'([A-Za-z_][\w.:-]*)="([^"]*)"')
# Built-in number formats that are not dates or times (General, 0, 0.00, #,##0, %, E+00,
# fractions, accounting): a number in such a cell is the number, for calamine as for us.
_PLAIN_BUILT_IN = frozenset({*range(0, 14), *range(37, 45), 48, 49})
# Text a format shows as it is (quoted, escaped, a fill, a colour) says nothing of dates.
_LITERAL = re.compile(
    r'"[^"]*"|\\.|_.|\[(?:Red|Blue|Black|Green|White|Cyan|Magenta|Yellow|Color\d{1,2})\]')
_PLAIN_CODE = re.compile(r"General|[#0.,%?/ E+\-()*;@]*")


@memo
def plain_number_styles(data: bytes) -> tuple[bool, ...] | None:
    """For each cell style (``cellXfs``) of a plain ``styles.xml``: does a number in a cell
    of that style read as the number (not as a date or a time)?  None: not plain."""
    if not plain_xml(data) or data.count(b"<cellXfs") != 1:
        return None
    codes: dict[int, str] = {}
    for attributes in _NUM_FMT.findall(data):
        found = dict(_ATTRIBUTE.findall(attributes))
        number, code = found.get(b"numFmtId", b""), found.get(b"formatCode")
        if not number.isdigit() or len(number) > 9 or code is None:
            return None
        codes[int(number)] = xml_text(code)
    start = data.index(b"<cellXfs")
    if data.startswith(b"/>", data.index(b">", start) - 1):
        return ()
    end = data.find(b"</cellXfs>", start)
    if end < 0:
        return None
    plain = []
    for attributes in _XF.findall(data, start, end):
        number = dict(_ATTRIBUTE.findall(attributes)).get(b"numFmtId", b"0")
        if not number.isdigit() or len(number) > 9:
            return None
        index = int(number)
        code = codes.get(index)
        plain.append((index in _PLAIN_BUILT_IN if code is None or index < 164 else True)
                     and (code is None or bool(_PLAIN_CODE.fullmatch(_LITERAL.sub("", code)))))
    return tuple(plain)
