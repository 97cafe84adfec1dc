"""Hyperlinks, notes and defined names."""

from __future__ import annotations

import re

from openpyxl.comments import Comment
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink

from .core import _NAME, ActionError, _a1, _arg, _writable, bounds, handler


# -- links and notes ---------------------------------------------------------------------
@handler("addHyperlink")
def _add_hyperlink(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    address, text, tip = _arg(action, 0), _arg(action, 1), _arg(action, 2)
    for cell in ctx.cells(ws, box, clip=False):
        _writable(cell, "addHyperlink")
        link = Hyperlink(ref=cell.coordinate, tooltip=tip)
        if str(address).startswith("#"):
            link.location = str(address)[1:]
        else:
            link.target = str(address)
        cell.hyperlink = link
        cell.value = text if text is not None else address
        cell.style = "Hyperlink"


def _note_cell(ctx, action):
    ws = ctx.sheet(action)
    address = _arg(action, 0)
    top, left, _, _ = bounds(address) if address else ctx.box(action)
    return _writable(ws.cell(row=top, column=left), action["func"])


@handler("addNote", "setNoteText")
def _set_note(ctx, action):
    cell = _note_cell(ctx, action)
    if action["func"] == "addNote" and cell.comment is not None:
        raise ActionError(f"addNote: {cell.coordinate} already has a note")
    cell.comment = Comment(str(_arg(action, 1, "")), "Excel")


@handler("deleteNote")
def _delete_note(ctx, action):
    _note_cell(ctx, action).comment = None


# -- names ----------------------------------------------------------------------------------
def _check_name(name: str, func: str) -> str:
    looks_like_a_cell = isinstance(name, str) and re.fullmatch(r"[A-Za-z]{1,3}\d+|[RrCc]\d*", name)
    if not isinstance(name, str) or not _NAME.match(name) or looks_like_a_cell:
        raise ActionError(f"{func}: {name!r} is not a valid name")
    return name


def _scope(ctx, position):
    if position is None:
        return ctx.wb.defined_names
    return ctx.sheet({"func": "names", "sheet_position": position}).defined_names


def _add_name(names, name: str, refers_to: str, func: str) -> None:
    _check_name(name, func)
    if any(existing.casefold() == name.casefold() for existing in names):
        raise ActionError(f"{func}: the name {name!r} already exists")
    names[name] = DefinedName(name, attr_text=str(refers_to).lstrip("="))


@handler("namesAdd")
def _names_add(ctx, action):
    names = _scope(ctx, action.get("sheet_position"))
    _add_name(names, _arg(action, 0), _arg(action, 1), "namesAdd")


@handler("setRangeName")
def _set_range_name(ctx, action):
    ws, box = ctx.sheet(action), ctx.box(action)
    refers_to = f"{quote_sheetname(ws.title)}!{_a1(*box, absolute=True)}"
    _add_name(ctx.wb.defined_names, _arg(action, 0), refers_to, "setRangeName")


def _find_name(names, name: str, func: str) -> str:
    for existing in names:
        if existing.casefold() == name.casefold():
            return existing
    raise ActionError(f"{func}: no name {name!r}")


@handler("nameDelete")
def _name_delete(ctx, action):
    name, book_scope, scope_index = _arg(action, 2), _arg(action, 4), _arg(action, 5)
    names = _scope(ctx, None if book_scope else scope_index)
    del names[_find_name(names, name, "nameDelete")]


@handler("setNameRefersTo")
def _set_name_refers_to(ctx, action):
    name, book_scope, scope_index, value = (_arg(action, i) for i in range(4))
    names = _scope(ctx, None if book_scope else scope_index)
    names[_find_name(names, name, "setNameRefersTo")].attr_text = str(value).lstrip("=")
