"""The operating system's reason for a failed file operation, in Vietnamese.

``OSError.strerror`` is English ("Permission denied") on an officer's PC as on ours; a
message that names the file and appends it is half in English.  The few reasons an
officer can act on have words here; any other says only that the system refused.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "không có tệp hay thư mục này",
    errno.EACCES: "không có quyền (tệp có đang mở trong Excel, hay thư mục chỉ cho đọc?)",
    errno.EPERM: "không có quyền (tệp có đang mở trong Excel, hay thư mục chỉ cho đọc?)",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EBUSY: "tệp đang được chương trình khác dùng",
    errno.EEXIST: "đã có tệp cùng tên",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EINVAL: "tên tệp có ký tự không hợp lệ",
}


def os_reason(error: OSError) -> str:
    """Why the system refused, in Vietnamese (never the English ``strerror``)."""
    reason = _REASONS.get(error.errno) if error.errno is not None else None
    if reason:
        return reason
    if isinstance(error, PermissionError):
        return _REASONS[errno.EACCES]
    return "hệ điều hành từ chối thao tác" + (f" (mã lỗi {error.errno})" if error.errno else "")
