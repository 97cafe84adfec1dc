"""«Báo cáo lên cấp trên»: the plan open in Excel sends its «Tổng hợp» up.

The plan was made from the form its parent sent (``new-plan --from-form``), so it knows
that form: its unit, parent, year, round, deadline and targets.  The results «Tổng hợp»
wrote for the plan's current round fill that form (count and stock rows; rates and
combined rows compute from their parts): the very file the parent sent when it is saved
in the plan's folder (or one below), else the form rebuilt from the plan:

* **desktop Excel**, with the plan saved as a file: the form file ``<code>_<name>.xlsx``
  in a folder ``bao-cao-len`` next to the plan, ready to send (the same file as
  ``xladdin report-up``);
* **elsewhere** (Excel on the web, xlwings Lite): a sheet «Báo cáo lên» laid out as the
  form, which the officer copies into a workbook of its own and sends; the parent's
  «Tổng hợp» and ``consolidate`` read it by its «(mã …)» line.
"""

from __future__ import annotations

from pathlib import Path

from .. import contract as c
from ..engine.forms import form_filename
from ..engine.model import Plan, now_iso
from ..engine.report_up import fill_form, form_for_parent, mark_partial
from ..errors import InputError
from ..grid.base import OneSheet
from ..reader.locate import clean, find_label
from ..reader.summary_reader import absent_rows, read_results, total_issues
from ..writer.summary import STATUS_WORDS
from .consolidate import ROUND_LABEL, UNIT_HEADERS, summary_sheet_name
from .forms import write_form_sheet
from .plan_book import UsablePlan, usable_plan
from .round_check import check_against_forms
from .session import BookSession, Outcome

SHEET = c.REPORT_UP_SHEET
FOLDER = "bao-cao-len"


def round_results(session: BookSession, reading: UsablePlan, doing: str
                  ) -> tuple[str, dict[str, object]]:
    """The «Tổng hợp» sheet of the plan's current round and its results (refused when
    it is missing, of another round, has an error, or no longer shows what the book's
    report sheets give: :mod:`xladdin.book.round_check`)."""
    grid, plan = session.grid, reading.plan
    name = next(
        (s for s in grid.sheet_names if clean(s).casefold() == summary_sheet_name().casefold()),
        None,
    )
    if name is None:
        raise InputError(
            f"Chưa có trang «{summary_sheet_name()}»: hãy bấm «Tổng hợp» (sau khi có báo cáo của "
            f"đợt {plan.meta.round}) rồi mới {doing}."
        )
    where = find_label(grid.sheet(name), ROUND_LABEL)
    shown = grid.sheet(name).value(*where) if where else None
    if shown is None or clean(shown) != str(plan.meta.round):
        raise InputError(
            f"Trang «{name}» không phải tổng hợp của đợt {plan.meta.round} (đợt hiện tại của bảng "
            f"kế hoạch): hãy bấm «Tổng hợp» lại rồi mới {doing}."
        )
    results, issues = read_results(OneSheet(grid, name))
    issues += absent_rows(results, plan, grid.source, name)
    # a Kết quả typed over (no longer its units' sum) is never carried nor sent up: the
    # check the summary file gets from validate, next-round and report-up
    issues += total_issues(grid, session.catalogue, in_plan=True)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise InputError(
            f"Trang «{name}»{f', ô {errors[0].cell}' if errors[0].cell else ''}: "
            f"{errors[0].message} Hãy bấm «Tổng hợp» lại."
        )
    check_against_forms(session, reading, name, results, doing)
    return name, results


def report_up(session: BookSession) -> Outcome:
    doing = "bấm «Báo cáo lên cấp trên»"
    reading = usable_plan(session, "báo cáo lên cấp trên")
    plan = reading.plan
    if plan is None:  # usable_plan refuses a book without a plan; this keeps mypy sure of it
        raise InputError("Không đọc được bảng kế hoạch.")
    if not plan.meta.parent_code:
        raise InputError(
            "Bảng kế hoạch chưa có mã đơn vị cấp trên (trang _meta, parent_code): hãy lập kế "
            "hoạch từ "
            "biểu mẫu cấp trên gửi (xladdin new-plan --from-form) để biết báo cáo cho ai."
        )
    name, results = round_results(session, reading, doing)
    received = _received_form(session.path.parent, plan) if session.path is not None else None
    if received is not None:  # the very form the parent sent, saved near the plan
        from ..levels import read_received_form

        asked, catalogue = read_received_form(received, session.catalogue)
    else:
        asked, catalogue = form_for_parent(plan, session.catalogue, now_iso()), session.catalogue
    done = fill_form(asked, results, catalogue)
    if done.missing:
        raise InputError(
            f"Cấp trên yêu cầu {len(done.missing)} chỉ tiêu chưa có kết quả ở trang «{name}»: "
            f"{', '.join(done.missing)}. Hãy bổ sung rồi bấm «Tổng hợp» và bấm lại."
        )
    # Units not counted do not stop the button (the officer may have to send now), but the
    # form says «CHƯA ĐỦ» in Ghi chú and in _meta, the parent's consolidate warns, and the
    # message starts with it.
    left_out, gap = _not_counted(session, name)
    form = mark_partial(done.form, done.filled, left_out)
    parent = form.parent_name or plan.meta.parent_code
    notes = "".join(f"\nGhi chú: {note}" for note in done.notes)
    head = f"{gap}\n\n" if gap else ""
    if session.path is not None:
        from ..writer.form import write_form  # desktop only: a file

        path = (
            session.path.parent / FOLDER / form_filename(form.meta.unit_code, form.meta.unit_name)
        )
        write_form(form, path, catalogue=catalogue)
        source = f" (điền vào biểu mẫu nhận được: {received})" if received is not None else ""
        return Outcome(
            f"{head}Đã ghi báo cáo {len(done.filled)} chỉ tiêu gửi {parent}: {path}{source}.{notes}"
        )
    sheet = session.output_sheet(SHEET)
    write_form_sheet(session, sheet, form)
    return Outcome(
        f"{head}Đã ghi báo cáo {len(done.filled)} chỉ tiêu gửi {parent} vào trang «{sheet}»: "
        "chép trang này "
        f"sang một tệp Excel riêng rồi gửi cấp trên.{notes}"
    )


def _not_counted(session: BookSession, name: str) -> tuple[list[tuple[str, str]], str]:
    """«Tổng hợp» lists each unit's status: the units not in the totals ((code, name)) and
    a plain sentence naming them ("" when every unit is counted)."""
    sheet = session.grid.sheet(name)
    where = find_label(sheet, UNIT_HEADERS[2])
    if where is None:
        return [], ""
    row, status_col = where[0] + 1, where[1] - 1
    counted = STATUS_WORDS["received"]
    total, left_out, shown = 0, [], []
    while row < sheet.n_rows and clean(sheet.value(row, status_col - 2)):
        total += 1
        status = clean(sheet.value(row, status_col))
        if status != counted:
            unit = clean(sheet.value(row, status_col - 1))
            left_out.append((clean(sheet.value(row, status_col - 2)), unit))
            shown.append(f"{unit} ({status})")
        row += 1
    if not left_out:
        return [], ""
    return left_out, (
        f"{c.PARTIAL_WORD}: kết quả gửi lên mới cộng {total - len(left_out)}/{total} đơn vị; chưa "
        f"cộng: {', '.join(shown)}. Biểu mẫu ghi rõ «{c.PARTIAL_WORD}» (cột Ghi chú) và cấp trên "
        "sẽ thấy cảnh báo. Khi đủ, bấm «Tổng hợp» rồi «Báo cáo lên cấp trên» lại và gửi bản mới."
    )


def _received_form(folder: Path, plan: Plan) -> Path | None:
    """The form the parent sent, if it is saved in the plan's folder or one folder below
    (not in «bao-cao-len»): same unit, parent, year and period; when several are there,
    the one the plan was made from (its ``created_at``), else none (the form is rebuilt
    from the plan, which holds the same targets)."""
    from ..engine.periods import period_of
    from ..errors import WorkbookError
    from ..reader.guard import judge_file
    from ..reader.locate import meta_from_keys, read_meta

    found = []
    for path in sorted([*folder.glob("*.xls[xm]"), *folder.glob("*/*.xls[xm]")]):
        if FOLDER in path.parts or path.name.startswith(("~$", ".~")):
            continue
        try:
            keys = judge_file(path, read_meta) or {}
        except WorkbookError:
            continue
        if keys.get(c.KEY_TEMPLATE) != c.FORM:
            continue
        meta = meta_from_keys(keys, c.FORM)
        if (meta.unit_code, meta.parent_code, meta.year, period_of(meta).text) == (
            plan.meta.unit_code,
            plan.meta.parent_code,
            plan.meta.year,
            period_of(plan.meta).text,
        ):
            found.append((path, meta.created_at))
    made_from = plan.meta.extra.get(c.KEY_FORM_CREATED_AT)
    exact = [path for path, created in found if made_from and created == made_from]
    if exact:
        return exact[0]
    return found[0][0] if len(found) == 1 else None
