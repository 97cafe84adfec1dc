"""A received workbook file, read once and checked before anything parses it.

Officers' files come by e-mail and USB stick; some are broken, a few are hostile.  The
bytes are read once, from one open file descriptor (no check-then-open race): a FIFO, a
device, a dangling symlink or a symlink loop is refused before a byte is read (a FIFO
would block for ever), then the zip container is checked (size, zip bomb, encrypted
or old .xls, truncated) and its parts are read with a bound on what they unzip to.
Every refusal is a :class:`WorkbookError` with a Vietnamese message saying what to do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import stat
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbookError
from ..os_messages import os_reason

MAX_FILE_BYTES = 50 * 1024 * 1024  # a report form is a few dozen KB, a plan a few hundred
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # all parts together, as declared and as read
MAX_PART_BYTES = 200 * 1024 * 1024  # one part (a sheet), as read
MAX_RATIO = 200  # a sheet's XML compresses ~10x; a zip bomb 1000x and more
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls
_ZIP_SIGNATURE = b"PK\x03\x04"
_RESEND = "Hãy mở tệp bằng Excel, lưu lại (Tệp › Lưu thành… › Sổ làm việc Excel .xlsx) rồi gửi lại."


@dataclass(frozen=True)
class FileBytes:
    """A file's content and modification time, both from the same open descriptor."""

    path: Path
    data: bytes
    modified: dt.datetime


def read_file_once(path: str | os.PathLike, limit: int = MAX_FILE_BYTES) -> FileBytes:
    """The bytes of a regular file (at most ``limit``), or a :class:`WorkbookError`."""
    path = Path(path)
    source = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise WorkbookError(_open_problem(path, error), file=source, rule="unreadable") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise WorkbookError(
                "Đây không phải một tệp bình thường (thư mục, thiết bị hay đường ống): "
                "đã bỏ qua, không đọc.",
                file=source,
                rule="not-a-file",
            )
        if info.st_size > limit:
            raise WorkbookError(
                f"Tệp quá lớn ({info.st_size // (1024 * 1024)} MB) để là một bảng tính "
                "của xladdin: hãy kiểm tra lại tệp đã gửi.",
                file=source,
                rule="oversized",
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # the file grew while being read
                raise WorkbookError("Tệp quá lớn để là một bảng tính của xladdin.", file=source,
                                    rule="oversized")
            chunks.append(chunk)
    except OSError as error:
        raise WorkbookError(_open_problem(path, error), file=source, rule="unreadable") from None
    finally:
        os.close(fd)
    return FileBytes(path, b"".join(chunks), dt.datetime.fromtimestamp(info.st_mtime))


def _open_problem(path: Path, error: OSError) -> str:
    import errno

    if error.errno == errno.ELOOP:
        return "Lối tắt (symlink) trỏ vòng lặp: không đọc được tệp."
    if error.errno == errno.ENOENT and path.is_symlink():
        return "Lối tắt (symlink) trỏ tới tệp không còn tồn tại."
    if error.errno in (errno.EACCES, errno.EPERM):
        return "Không có quyền đọc tệp này: hãy kiểm tra quyền truy cập."
    return f"Không mở được tệp: {os_reason(error)}."


class Package:
    """The zip container of an .xlsx/.xlsm, checked, with bounded reads of its parts."""

    def __init__(self, file: FileBytes):
        self.file = file
        self.source = str(file.path)
        data = file.data
        head = data[:8]
        if not data:
            raise WorkbookError(f"Tệp rỗng (0 byte): có thể chưa tải/sao chép xong. {_RESEND}",
                                file=self.source, rule="empty")
        if head.startswith(_OLE_SIGNATURE):
            if file.path.suffix.lower() in (".xlsx", ".xlsm"):
                raise WorkbookError(
                    "Tệp được đặt mật khẩu (mã hóa): hãy bỏ mật khẩu mở tệp rồi gửi lại.",
                    file=self.source,
                    rule="encrypted",
                )
            raise WorkbookError(f"Đây là tệp Excel đời cũ (.xls). {_RESEND}", file=self.source,
                                rule="not-a-workbook")
        if not head.startswith(_ZIP_SIGNATURE):
            raise WorkbookError(
                f"Đây không phải tệp Excel (.xlsx/.xlsm). {_RESEND}",
                file=self.source,
                rule="not-a-workbook",
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise WorkbookError(
                f"Tệp bị hỏng hoặc chưa tải/sao chép hết (không đọc được nội dung nén). {_RESEND}",
                file=self.source,
                rule="corrupt",
            ) from None
        self.infos = {info.filename: info for info in infos}
        if len(self.infos) != len(infos):  # two parts of one name: which one is read is luck
            raise WorkbookError(
                f"Tệp bị hỏng: có hai phần cùng tên trong tệp nén. {_RESEND}",
                file=self.source,
                rule="corrupt",
            )
        declared = sum(info.file_size for info in infos)
        if declared > MAX_UNZIPPED_BYTES or any(
            info.file_size > MAX_PART_BYTES
            or info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 1 << 20
            for info in infos
        ):
            raise WorkbookError(
                "Nội dung tệp quá lớn sau khi giải nén (có thể là «bom nén»): đã bỏ qua.",
                file=self.source,
                rule="oversized",
            )
        if any(info.flag_bits & 0x1 for info in infos):
            raise WorkbookError(
                "Tệp được đặt mật khẩu (mã hóa): hãy bỏ mật khẩu mở tệp rồi gửi lại.",
                file=self.source,
                rule="encrypted",
            )
        if "xl/workbook.xml" not in self.infos:
            raise WorkbookError(
                f"Tệp nén này không phải một bảng tính Excel. {_RESEND}",
                file=self.source,
                rule="not-a-workbook",
            )
        self._read_total = 0
        self._parts: dict[str, bytes] = {}

    def has(self, name: str) -> bool:
        return name in self.infos

    def part(self, name: str) -> bytes:
        """A part's bytes, unzipped once (later calls return the same bytes)."""
        if name not in self._parts:
            data = _unzipped(self.file.data, self.infos[name])
            if data is None:  # anything unusual: the zipfile module, with its own checks
                with self.open(name) as stream:
                    data = stream.read()
            else:
                self.count(len(data), name)
            self._parts[name] = data
        return self._parts[name]

    def head(self, name: str, size: int = 4096) -> bytes:
        """The first ``size`` bytes of a part (a small part is read whole, CRC checked)."""
        info = self.infos[name]
        if name in self._parts or info.file_size <= max(size, _SAME_SIZE):
            return self.part(name)[:size]
        start = _data_start(self.file.data, info)
        if start is not None and info.compress_type == zipfile.ZIP_DEFLATED:
            try:
                return zlib.decompressobj(-15).decompress(
                    self.file.data[start:start + info.compress_size], size)
            except zlib.error:
                pass  # the zipfile module says what is wrong
        with self.open(name) as stream:
            return stream.read(size)

    def open(self, name: str):
        """A stream over one part that refuses to unzip past the part's bounds."""
        return _Bounded(self, self.zip.open(self.infos[name]), name)

    def read(self, name: str) -> bytes:
        return self.part(name)

    def count(self, size: int, name: str) -> None:
        self._read_total += size
        if self._read_total > MAX_UNZIPPED_BYTES:
            raise WorkbookError(
                "Nội dung tệp quá lớn sau khi giải nén (có thể là «bom nén»): đã bỏ qua.",
                file=self.source,
                rule="oversized",
            )


def _data_start(data: bytes, info: zipfile.ZipInfo) -> int | None:
    """Where a part's compressed bytes start, from its local header (as the zipfile module
    finds them), or None when the header is not the plain one the directory describes."""
    at = info.header_offset
    header = data[at:at + 30]
    if len(header) < 30 or header[:4] != _ZIP_SIGNATURE:
        return None
    name_size = int.from_bytes(header[26:28], "little")
    extra_size = int.from_bytes(header[28:30], "little")
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if data[at + 30:at + 30 + name_size] != info.orig_filename.encode(encoding, "replace"):
        return None
    return at + 30 + name_size + extra_size


SAME_PARTS = 64  # parts remembered by their compressed bytes (forms share most parts)
_SAME_SIZE = 256 * 1024  # … when they unzip to no more than this
_same: OrderedDict[tuple[int, int, int, bytes], bytes] = OrderedDict()


def _unzipped(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated part unzipped straight from the file's bytes (a few µs, where
    the zipfile module's stream costs tens), or None unless its size and CRC are exactly
    those declared: the caller then reads it through the zipfile module.  A small part
    whose compressed bytes equal those of a part read before (the theme, the styles, the
    guide sheet of every form of a plan) is that part's bytes, the same object: what is
    derived from it (:mod:`.sheet_cells`) is derived once."""
    start = _data_start(data, info)
    if start is None or info.flag_bits & 0x1 or info.file_size > MAX_PART_BYTES:
        return None
    packed = data[start:start + info.compress_size]
    if len(packed) != info.compress_size:
        return None
    key = (info.compress_type, info.CRC, info.file_size, packed)
    found = _same.get(key) if info.file_size <= _SAME_SIZE else None
    if found is not None:
        with contextlib.suppress(KeyError):  # another thread's reading pushed it out
            _same.move_to_end(key)
        return found
    out = _inflated(packed, info)
    if out is not None and info.file_size <= _SAME_SIZE:
        _same[key] = out
        if len(_same) > SAME_PARTS:
            _same.popitem(last=False)
    return out


def _inflated(packed: bytes, info: zipfile.ZipInfo) -> bytes | None:
    if info.compress_type == zipfile.ZIP_STORED:
        out = packed
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            unzip = zlib.decompressobj(-15)
            out = unzip.decompress(packed, info.file_size + 1)
        except zlib.error:
            return None
        if not unzip.eof:
            return None
    else:
        return None
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out


class _Bounded(io.RawIOBase):
    """A part's stream that counts what it unzips (a lying size header gains nothing)."""

    def __init__(self, package: Package, stream, name: str):
        self._package, self._stream, self._name, self._size = package, stream, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._stream.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise WorkbookError(
                f"Tệp bị hỏng: phần {self._name} không giải nén được ({error}). {_RESEND}",
                file=self._package.source,
                rule="corrupt",
            ) from None
        self._size += len(data)
        if self._size > MAX_PART_BYTES:
            raise WorkbookError(
                "Nội dung tệp quá lớn sau khi giải nén (có thể là «bom nén»): đã bỏ qua.",
                file=self._package.source,
                rule="oversized",
            )
        self._package.count(len(data), self._name)
        buffer[:len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            chunks: list[bytes] = []
            while True:
                chunk = super().read(1 << 16)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        return super().read(size)

    def close(self) -> None:
        self._stream.close()
        super().close()
