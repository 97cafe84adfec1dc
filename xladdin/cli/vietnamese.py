"""click's own words in Vietnamese: the one place where they are translated.

click builds every message it shows (usage errors, help headings, "Show this message and
exit.") through ``gettext`` functions that each of its modules imports as ``_`` and
``ngettext``.  :func:`install` points those names at this catalogue, so the officer reads
«Lỗi: Thiếu tham số 'PLAN'.» instead of "Error: Missing argument 'PLAN'."  It must run
before the commands are declared (help texts are translated when a decorator runs), which
``cli/app.py`` does on import.  A message not in the catalogue stays in English, so a
newer click never breaks: a test lists the messages an officer can meet.

Messages that would carry the operating system's own English reason (click's
"Could not open file 'x': Permission denied") drop it: the file name says which file,
and the officer cannot act on the English words.
"""

from __future__ import annotations

import importlib

import click

# English msgid (exactly as click writes it) → Vietnamese.  Placeholders keep click's
# names; a translation may leave one out (str.format ignores unused keywords).
CATALOGUE: dict[str, str] = {
    # how errors are shown
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ «{command} {option}» để xem hướng dẫn.",
    "Usage:": "Cách dùng:",
    "Aborted!": "Đã dừng.",
    # what is wrong
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị của {param_hint} không hợp lệ: {message}",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu lệnh: gõ «xladdin --help» để xem các lệnh.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị đi kèm.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị đi kèm.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có 1.",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp «{filename}».",
    "unknown error": "lỗi không rõ",
    # values of a given type
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là một số.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng cho phép {range}.",
    "{value!r} is not {choice}.": "{value!r} không hợp lệ: chỉ được là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không hợp lệ: chọn một trong {choices}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{value!r} does not match the format {format}.":
        "{value!r} không đúng dạng ngày {format} (ví dụ 2024-06-30).",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng dạng ngày nào trong {formats}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} không phải là có/không.",
    "{name} {filename!r} does not exist.": "Không tìm thấy «{filename}».",
    "{name} {filename!r} is a file.": "«{filename}» là một tệp, cần một thư mục.",
    "{name} {filename!r} is a directory.": "«{filename}» là một thư mục, cần một tệp.",
    "{name} {filename!r} is not readable.": "Không có quyền đọc «{filename}».",
    "{name} {filename!r} is not writable.": "Không có quyền ghi «{filename}».",
    "{name} {filename!r} is not executable.": "Không có quyền chạy «{filename}».",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    # help pages
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "deprecated": "không còn dùng",
    "Do you want to continue?": "Tiếp tục?",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không giống nhau.",
    "Error: invalid input": "Lỗi: giá trị không hợp lệ",
}

# the modules of click that translate through ``_`` / ``ngettext``
_MODULES = ("core", "exceptions", "parser", "types", "decorators", "formatting", "termui")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


# placeholders in usage lines and help («Cách dùng: xladdin forms [TÙY CHỌN] PLAN»)
OPTIONS_METAVAR = "[TÙY CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM SỐ]..."
TYPE_NAMES = {"text": "văn bản", "integer": "số nguyên", "integer range": "số nguyên", "float": "số"}


def name_placeholders(group: click.Group) -> None:
    """The usage line's placeholders in Vietnamese, for ``group`` and every command in it
    (they are attributes click never translates); run once the commands are declared."""
    group.options_metavar = OPTIONS_METAVAR
    group.subcommand_metavar = SUBCOMMAND_METAVAR
    for command in group.commands.values():
        command.options_metavar = OPTIONS_METAVAR
        if isinstance(command, click.Group):
            name_placeholders(command)


def install() -> None:
    """Make click speak Vietnamese in this process (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            setattr(module, "_", gettext)  # noqa: B010 (click's own name, patched)
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", ngettext)  # noqa: B010
    for kind in (click.STRING, click.INT, click.FLOAT):  # «--password VĂN BẢN», not «TEXT»
        kind.name = TYPE_NAMES.get(kind.name, kind.name)
    click.types.IntRange.name = TYPE_NAMES["integer range"]
