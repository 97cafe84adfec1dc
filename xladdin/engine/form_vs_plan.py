"""A returned form against the plan that asked for it: is it whole, and is it this unit's?

Pure.  Two ways a form's numbers can land in the wrong place without any cell looking
wrong (red team, rule 1: such a form is an error and is left out of the totals whole):

* **rows deleted** (``row-missing``): the unit's share of an indicator stays in the
  total's target while its result would be missing from the total's result: the form
  would be half-counted (contract §5 forbids it);
* **a locked «Chỉ tiêu đợt» that is not the plan's share for this unit**
  (``target-changed``): the form was made for another unit (a neighbour's filled form
  with its ``_meta`` and title changed), two rows had their codes swapped, or it
  answers another version of the plan.  The share is a constant the form carries
  (contract §4) precisely so that it can be checked here; nothing else tells a full copy
  from the unit's own form.

A combined row whose parts are all on the form, and a rate, are computed from other
rows, so their absence is not a gap.

Before those, a form is matched to its plan and unit: :func:`wrong_plan` (another
parent, year or round) and :func:`wrong_unit` (the code of this unit, the name of
another) are errors; :func:`extra_rows` names rows the plan does not ask for (warnings,
never counted).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from .. import contract as c
from .catalogue import Catalogue
from .model import ERROR, WARNING, Form, FormReading, FormRow, Issue, Plan
from .summary import Submission
from .units import Unit, code_key

MISSING_RULE = "row-missing"
TARGET_RULE = "target-changed"
# errors saying the form answers another plan, unit or period: its rows and targets are
# then another plan's anyway, and comparing them would only add noise
ANOTHER_PLANS = frozenset({"wrong-plan", "unit-mismatch", "wrong-period", "meta-garbled",
                           "period-overlap", "template-version", "identity-mismatch"})


def plan_disagreements(reading: FormReading, child: Unit, rows: Sequence[FormRow],
                       targets: Mapping[str, Mapping[str, object]],
                       children: Sequence[Unit], known: Sequence[Issue] = (), *,
                       annual_share: bool = False, same_book: bool = False,
                       added_later: Collection[str] = ()) -> list[Issue]:
    """Errors for a form of ``child`` whose rows or locked targets are not what the plan
    (``rows``: the indicators every form of the plan lists; ``targets``: unit code → code
    → its Chỉ tiêu đợt) gave this unit.  ``known``: the form's issues so far.

    ``annual_share``: a month's or quarter's form, whose Chỉ tiêu đợt is the unit's share
    of Kế hoạch năm as it was when the form was made.  The year's plan is revised in the
    course of the year (điều chỉnh kế hoạch), so there a share that is nobody's now is a
    warning (the plan's numbers are used); another unit's shares or two rows swapped stay
    errors.  Likewise an indicator the plan gained mid-year: ``added_later`` holds the
    plan's codes that no form of the period carries (several forms came); a month's form
    without such a row is a warning, without a row the other forms have an error.
    ``same_book``: the report sheets live in the plan's own workbook («Tổng hợp» button),
    made by «Tạo biểu mẫu» before the officer edited or re-split the plan in place: a
    share that is nobody's now is a warning there too."""
    form = reading.form
    if form is None or any(i.is_error and i.rule in ANOTHER_PLANS for i in known):
        return []
    issues = []
    missing = _missing(rows, form)
    added = [code for code in missing if annual_share and code in added_later]
    missing = [code for code in missing if code not in added]
    if added:
        issues.append(Issue(
            WARNING, reading.source, reading.sheet, None, MISSING_RULE,
            f"Biểu mẫu của {child.name} không có dòng {', '.join(added)}: không biểu mẫu nào của "
            "kỳ này có, nên có lẽ chỉ tiêu được thêm vào kế hoạch năm sau khi gửi biểu mẫu. "
            "Kết quả các dòng khác vẫn được cộng; chỉ tiêu đó chưa có số của kỳ này."))
    if missing:
        issues.append(Issue(
            ERROR, reading.source, reading.sheet, None, MISSING_RULE,
            f"Biểu mẫu của {child.name} thiếu {len(missing)} dòng chỉ tiêu của bảng kế hoạch: "
            f"{', '.join(missing)} (dòng đã bị xóa?). Nếu cộng, chỉ tiêu của đơn vị vẫn nằm "
            "trong tổng còn kết quả thì không: biểu mẫu chưa được cộng. Hãy đề nghị đơn vị "
            "dùng đúng biểu mẫu cấp trên gửi, nhập đủ các dòng rồi gửi lại."))
    own = targets.get(child.code, {})
    changed = [(row, own[row.code]) for row in form.rows if _differs(row, own.get(row.code))]
    if not changed:
        return issues
    cells = [reading.target_cells.get(row.code) for row, _ in changed]
    named = [c or row.code for (row, _), c in zip(changed, cells, strict=True)]
    named_text = ", ".join(named[:8]) + (f"… (cả {len(named)} ô)" if len(named) > 8 else "")
    why = _why(form.rows, changed, child, targets, children)
    if annual_share and why is None:
        issues.append(Issue(
            WARNING, reading.source, reading.sheet, cells[0], TARGET_RULE,
            f"Phần kế hoạch năm ghi trong biểu mẫu của {child.name} khác bảng kế hoạch hiện nay ở "
            f"{len(changed)} ô ({named_text}): có lẽ kế hoạch năm đã được điều chỉnh sau khi gửi "
            "biểu mẫu. Kết quả vẫn được cộng; lũy kế dùng kế hoạch năm của bảng kế hoạch. Nếu "
            "kế hoạch không đổi, hãy kiểm tra với đơn vị (biểu mẫu có thể của đơn vị khác)."))
        return issues
    if same_book and why is None:
        issues.append(Issue(
            WARNING, reading.source, reading.sheet, cells[0], TARGET_RULE,
            f"Chỉ tiêu đợt ở trang báo cáo của {child.name} khác bảng kế hoạch hiện nay ở "
            f"{len(changed)} ô ({named_text}): có lẽ chỉ tiêu đã được sửa hoặc phân bổ lại sau khi "
            "tạo trang này. Kết quả vẫn được cộng; tổng hợp dùng chỉ tiêu của bảng kế hoạch."))
        return issues
    issues.append(Issue(
        ERROR, reading.source, reading.sheet, None, TARGET_RULE,
        f"Biểu mẫu ghi đơn vị {child.name} ({child.code}) nhưng {len(changed)} ô Chỉ tiêu đợt "
        f"(ô bị khóa, {named_text}) khác phần của {child.name} trong bảng kế hoạch: "
        f"{why or _UNKNOWN} Biểu mẫu chưa được cộng; hãy "
        "kiểm tra với đơn vị. Nếu bảng kế hoạch đã được sửa sau khi gửi biểu mẫu, hãy tạo lại "
        "biểu mẫu (xladdin forms) và đề nghị đơn vị nhập lại kết quả vào biểu mẫu mới."))
    for (row, planned), cell in zip(changed, cells, strict=True):
        shown = "để trống" if row.round_target is None else f"là {row.round_target}"
        issues.append(Issue(
            ERROR, reading.source, reading.sheet, cell, TARGET_RULE,
            f"{row.code}: Chỉ tiêu đợt trong biểu mẫu {shown}, phần của {child.name} trong bảng "
            f"kế hoạch là {planned}."))
    return issues


def _missing(rows: Sequence[FormRow], form: Form) -> list[str]:
    present = {r.code for r in form.rows}
    return [row.code for row in rows
            if not row.is_rate and row.code not in present
            and not (row.parts and all(p in present for p in row.parts))]


def _differs(row: FormRow, planned: object) -> bool:
    """A count's locked target is the plan's share, exactly; blank counts as different
    (the cell is locked: only someone unprotecting the sheet empties it)."""
    return not row.is_rate and planned is not None and row.round_target != planned


_UNKNOWN = "biểu mẫu có thể của đơn vị khác, của bảng kế hoạch khác hoặc đã bị sửa."


def _why(form_rows: Sequence[FormRow], changed: Sequence[tuple[FormRow, object]], child: Unit,
         targets: Mapping[str, Mapping[str, object]], children: Sequence[Unit]) -> str | None:
    """The likeliest reason, said plainly: another unit's shares, or two rows swapped;
    None when the numbers are nobody's in this plan."""
    counts = [r for r in form_rows if not r.is_rate and r.round_target is not None]
    for other in children:
        theirs = targets.get(other.code, {})
        compared = [r for r in counts if theirs.get(r.code) is not None]
        if (other.code != child.code and compared
                and all(theirs[r.code] == r.round_target for r in compared)):
            return (f"các số này đúng bằng phần của {other.name} ({other.code}), nên đây có thể là "
                    f"biểu mẫu của {other.name} đã bị sửa tên và mã.")
    for row, wanted in changed:
        for second, second_wanted in changed:
            if (row.code < second.code and row.round_target == second_wanted
                    and second.round_target == wanted):
                return (f"số của dòng {row.code} và dòng {second.code} như bị đổi chỗ cho nhau "
                        "(mã chỉ tiêu của hai dòng có thể đã bị đổi), nên kết quả có thể nằm "
                        "sai dòng.")
    return None


def wrong_plan(plan: Plan, reading: FormReading) -> Issue | None:
    if reading.form is None:
        return None  # nothing was read: nothing to compare
    meta = reading.form.meta
    clashes = []
    if meta.parent_code and plan.meta.unit_code and meta.parent_code != plan.meta.unit_code:
        clashes.append(f"đơn vị cấp trên {meta.parent_code}")
    if meta.year and plan.meta.year and meta.year != plan.meta.year:
        clashes.append(f"năm {meta.year}")
    if meta.year and meta.round != plan.meta.round:
        clashes.append(f"đợt {meta.round}")
    if not clashes:
        return None
    return Issue(ERROR, reading.source, reading.sheet, None, "wrong-plan",
                 f"Biểu mẫu thuộc {', '.join(clashes)}, không phải của bảng kế hoạch này "
                 f"({plan.meta.unit_code}, năm {plan.meta.year}, đợt {plan.meta.round}).")


def wrong_unit(child: Unit, reading: FormReading) -> Issue | None:
    """A form is matched to its unit by code, and checked against the unit's name: a form
    copied from another unit with only its code changed is refused, naming both units."""
    said = reading.form.meta.unit_name if reading.form else ""
    if not said or _name_key(said) == _name_key(child.name):
        return None
    return Issue(
        ERROR,
        reading.source,
        reading.sheet,
        None,
        "unit-mismatch",
        f"Biểu mẫu ghi mã đơn vị {child.code} nhưng tên đơn vị «{said}»; trong bảng kế "
        f"hoạch, mã {child.code} là «{child.name}». Có thể đây là biểu mẫu của đơn vị khác "
        "đã bị sửa mã: hãy kiểm tra với đơn vị rồi nhận lại biểu mẫu đúng.",
    )


def extra_rows(path: str, reading: FormReading, form: Form,
               rows: Sequence[FormRow]) -> list[Issue]:
    """Rows a counted form adds to the plan's (an indicator code the plan does not ask
    for): named, never added to the totals."""
    planned = {r.code for r in rows}
    return [
        Issue(WARNING, path, reading.sheet, None, "row-not-in-plan",
              f"Biểu mẫu có thêm chỉ tiêu {extra.code} (kết quả {extra.result}) không có "
              "trong bảng kế hoạch: không được cộng vào tổng hợp.")
        for extra in form.rows if extra.code not in planned and not extra.is_rate
    ]


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def partial_judged(reading: FormReading, allow_partial: bool) -> FormReading:
    """A form sent up while some of the unit's own sub-units were not counted
    (``report-up --allow-partial`` marks its ``_meta``): its numbers are short of theirs,
    so every total holding it would be short too (rule 1).  An error on the form, naming
    the unit and the sub-units, unless the officer accepts partial data here as well
    (``consolidate --allow-partial``): then a warning.  Replaces the reader's note."""
    form = reading.form
    if form is None:
        return reading
    left_out = " ".join(str(form.meta.extra.get(c.KEY_PARTIAL_MISSING) or "").split())
    if not left_out:
        return reading
    who = form.meta.unit_name or form.meta.unit_code
    if allow_partial:
        severity, then = WARNING, ("đã được cộng vì chạy với --allow-partial; số của đơn vị này "
                                   "(và các tổng có nó) còn thiếu phần của các đơn vị đó.")
    else:
        severity, then = ERROR, ("chưa được cộng (mọi tổng có nó sẽ thiếu phần của các đơn vị "
                                 "đó). Hãy đề nghị đơn vị gửi lại khi đủ, hoặc nếu chấp nhận số "
                                 "liệu chưa đủ, chạy lại consolidate với --allow-partial.")
    said = Issue(severity, reading.source, reading.sheet, reading.meta_cells.get(
        c.KEY_PARTIAL_MISSING), c.PARTIAL_RULE,
        f"{c.PARTIAL_WORD}: {who} gửi báo cáo khi chưa cộng số liệu của đơn vị cấp dưới: "
        f"{left_out}. Biểu mẫu {then}")
    kept = tuple(i for i in reading.issues if i.rule != c.PARTIAL_RULE)
    return replace(reading, issues=kept + (said,))


def unreadable_by_unit(submissions: Sequence[Submission], children: Sequence[Unit]
                       ) -> dict[str, Submission]:
    """Files that could not be read as a form (corrupt, another format, a zip bomb…) but
    whose name says whose they are (``CODE_…`` or ``CODE.…``, contract §4): the unit did
    send something, so it is listed as received with errors, never as «Chưa gửi» (the
    officer would phone a unit that did send).  Only files with an error count; a file
    set aside with a warning (a note, a plan) names nobody.  The newest file per unit."""
    codes = {code_key(child.code): child.code for child in children}
    found: dict[str, Submission] = {}
    for sent in submissions:
        reading = sent.reading
        if reading is not None and reading.form is not None:
            continue
        problems = ([sent.problem] if sent.problem else []) + list(reading.issues if reading
                                                                   else ())
        if "#" in sent.path or not any(p.is_error for p in problems):
            continue  # a sheet of a book is named by its sheet, not by a file name
        name = sent.path.replace("\\", "/").rsplit("/", 1)[-1]
        code = codes.get(code_key(name.split("_", 1)[0].split(".", 1)[0]))
        if code is not None and (code not in found or found[code].modified <= sent.modified):
            found[code] = sent
    return found


def impossible_rates(reading: FormReading, rows: Sequence[FormRow],
                     catalogue: Catalogue) -> list[Issue]:
    """A proportion (a rate the catalogue marks ``proportion``: its numerator counts a
    part of its denominator, as CPR's women using a method among married women) whose
    numerator is above its denominator on this form (CPR_TUSO 303 of CPR_MAUSO 278: rows
    swapped or mistyped): an error naming both cells, the form left out, since the whole
    unit's rate would hold a share above 100 % (rule 1).  Other rates are not judged so."""
    form = reading.form
    if form is None:
        return []
    issues = []
    for row in rows:
        rate = catalogue.find(row.code)
        if rate is None or not rate.proportion or not rate.numerator or not rate.denominator:
            continue
        num, den = (form.row(code) for code in (rate.numerator, rate.denominator))
        if num is None or den is None or num.result is None or den.result is None:
            continue
        if num.result > den.result:
            cells = [reading.result_cells.get(r.code) or r.code for r in (num, den)]
            issues.append(Issue(
                ERROR, reading.source, reading.sheet, reading.result_cells.get(num.code) or None,
                "rate-impossible",
                f"{row.code}: tử số {num.code} ({num.result}, ô {cells[0]}) lớn hơn mẫu số "
                f"{den.code} ({den.result}, ô {cells[1]}): tỷ lệ trên 100% là không thể vì "
                f"{num.code} là một phần của {den.code} (hai dòng bị nhập nhầm hoặc đổi chỗ?). "
                "Biểu mẫu này không được cộng vào tổng hợp (tỷ lệ của cả đơn vị sẽ sai) cho "
                "đến khi hai ô được sửa."))
    return issues


TWIN_RULE = "same-results"
TWIN_MIN_VALUES = 3  # fewer numbers than this can be equal by chance


TWINS_NAMED = 5


def twins(results: Mapping[str, Mapping[str, object]], rows: Sequence[FormRow],
          names: Mapping[str, str], sources: Mapping[str, str]) -> dict[str, Issue]:
    """Units whose counted forms report exactly the same numbers on every count row (at
    least :data:`TWIN_MIN_VALUES` of them not 0): one may be a copy of the other's filled
    form with its name and code changed (when both units have the same shares, nothing
    else gives it away).  Small units can also report the same few numbers, so this is a
    warning on each, naming the other, for the officer to check; both stay counted."""
    counts = [r.code for r in rows if not r.is_rate]
    seen: dict[tuple[object, ...], list[str]] = {}
    for unit, found in results.items():
        values = tuple(found.get(code) for code in counts)
        if sum(1 for v in values if v) >= TWIN_MIN_VALUES:
            seen.setdefault(values, []).append(unit)
    said: dict[str, Issue] = {}
    for units in (u for u in seen.values() if len(u) > 1):
        for unit in units:
            # at most TWINS_NAMED others by name: m identical units must not cost m² text
            other_units = [o for o in units if o != unit]
            others = ", ".join(f"{names[o]} ({o}, tệp {sources[o]})"
                               for o in other_units[:TWINS_NAMED])
            if len(other_units) > TWINS_NAMED:
                others += f" và {len(other_units) - TWINS_NAMED} đơn vị khác"
            said[unit] = Issue(
                WARNING, sources[unit], None, None, TWIN_RULE,
                f"Kết quả của {names[unit]} ({unit}) giống hệt kết quả của {others} ở mọi dòng: "
                "có thể một biểu mẫu là bản sao của biểu mẫu kia đã bị sửa tên và mã. Số vẫn được "
                "cộng; hãy kiểm tra với các đơn vị.")
    return said
