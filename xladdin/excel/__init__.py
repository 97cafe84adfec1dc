"""xladdin inside Excel: the runtimes that carry the same Python to every officer.

* :mod:`.lite` — ``xladdin lite``: embeds ``main.py`` + ``requirements.txt`` into a
  workbook for xlwings Lite (the free Office add-in that runs Python in the browser);
* :mod:`.server` — ``xladdin serve``: a small self-hosted xlwings Server (FastAPI) with
  its Office add-in manifest, for Excel on the web and Microsoft 365;
* :mod:`.desktop` — ``xladdin excel install`` / ``xladdin excel buttons``: the classic
  xlwings add-in on Windows desktop, for the current user, without admin rights.

The functions live in :mod:`udfs`, the one-click scripts in :mod:`xladdin.scripts`
(contract §6); this package only adapts them.  What an officer reads (button labels,
help) is in Vietnamese and is defined once, here.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ..contract import BUTTON_LABELS

FUNCTIONS_MODULE = "udfs"
SCRIPTS_MODULE = "xladdin.scripts"


@dataclass(frozen=True)
class Button:
    """One one-click script as an officer sees it."""

    script: str  # the Python name in xladdin.scripts (contract §6)
    label: str
    help: str


BUTTONS = (
    Button("split_targets", BUTTON_LABELS["split_targets"],
           "Chia lại Chỉ tiêu đợt của bảng kế hoạch đang mở cho các đơn vị cấp dưới, theo "
           "phương pháp đã chọn ở trang «Đơn vị»."),
    Button("check_book", BUTTON_LABELS["check_book"],
           "Kiểm tra bảng tính đang mở; ghi các lỗi và cảnh báo vào trang «Kiểm tra», "
           "mỗi dòng có liên kết tới ô cần sửa."),
    Button("consolidate_sheets", BUTTON_LABELS["consolidate_sheets"],
           "Cộng các trang báo cáo của đơn vị cấp dưới có trong bảng kế hoạch, ghi vào trang "
           "«Tổng hợp»."),
    Button("new_round", BUTTON_LABELS["new_round"],
           "Chuyển kết quả ở trang «Tổng hợp» vào Đã thực hiện; Chỉ tiêu đợt mới = phần còn "
           "lại của kế hoạch năm."),
    Button("make_forms", BUTTON_LABELS["make_forms"],
           "Tạo một biểu mẫu báo cáo cho mỗi đơn vị cấp dưới (tệp trên máy tính, hoặc trang "
           "trong bảng tính)."),
    Button("report_up", BUTTON_LABELS["report_up"],
           "Điền kết quả ở trang «Tổng hợp» vào biểu mẫu của cấp trên (tệp trong thư mục "
           "«bao-cao-len», hoặc trang «Báo cáo lên»)."),
)

FUNCTION_HELP = {
    "SPLIT_TARGET": "=SPLIT_TARGET(tổng; trọng_số; [phương_pháp]; [tối_thiểu]) — chia một tổng "
                    "theo trọng số thành các số nguyên cộng lại đúng bằng tổng.",
    "REMAINING": "=REMAINING(kế_hoạch_năm; đã_thực_hiện) — phần còn lại, không nhỏ hơn 0.",
    "ROUND_TARGET": "=ROUND_TARGET(kế_hoạch_năm; đã_thực_hiện; tỷ_lệ) — chỉ tiêu đợt = làm tròn "
                    "lên (kế hoạch năm × tỷ lệ) − đã thực hiện.",
    "PCT_DONE": "=PCT_DONE(kết_quả; chỉ_tiêu) — tỷ lệ đạt.",
    "CHECK_SPLIT": "=CHECK_SPLIT(chỉ_tiêu; các_phần) — «Khớp», «Thừa n» hoặc «Thiếu n».",
}


def module_file(name: str) -> Path | None:
    """The source file of module ``name`` without importing it (None when absent)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def decorated(path: Path, decorator: str) -> list[str]:
    """Top-level functions of a source file carrying ``@decorator`` (or ``@xw.decorator``,
    ``@decorator(...)``), in file order: read from the code, nothing is imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for mark in node.decorator_list:
            target = mark.func if isinstance(mark, ast.Call) else mark
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
            if name == decorator:
                names.append(node.name)
                break
    return names


def available_scripts(module: str = SCRIPTS_MODULE) -> list[str]:
    """The ``@script`` names of the scripts module, or [] while it does not exist."""
    path = module_file(module)
    return decorated(path, "script") if path else []


def button_for(script: str) -> Button:
    for button in BUTTONS:
        if button.script == script:
            return button
    return Button(script, script.replace("_", " ").capitalize(), "")
