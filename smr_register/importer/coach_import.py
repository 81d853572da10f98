"""Registering coaches in bulk from a spreadsheet.

Each row goes through `coach_records.add_coach`, the same validation and history as `smr coach add`;
values are checked first with the sheet's own column names in the message, so a provider or
colleague can find the cell. A number already in the register is a duplicate when the name
agrees and rejected when it does not: an import never changes an existing coach.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from smr_register.domain.values import check_agb, check_email, check_postcode, check_text
from smr_register.errors import SmrError
from smr_register.importer import cells as clean
from smr_register.importer.agenda_import import import_row_values
from smr_register.importer.attendance import open_batch, write_history
from smr_register.importer.reading import Table
from smr_register.importer.report import FileReport, RowResult, screen_line
from smr_register.services import coach_records
from smr_register.store import coaches as coach_store
from smr_register.store import imports as import_store
from smr_register.store.history import Change
from smr_register.store.models import Education

_EDUCATION = {
    "mbo4": Education.MBO4, "mbo 4": Education.MBO4, "mbo niveau 4": Education.MBO4,
    "hbo": Education.HBO, "bachelor": Education.HBO, "wo": Education.WO,
    "universiteit": Education.WO, "universitair": Education.WO, "master": Education.WO,
    "other": Education.OTHER, "anders": Education.OTHER, "overig": Education.OTHER,
}
_TEXT_FIELDS = ("initials", "first_name", "prefix", "phone", "practice", "city")


class _RowProblem(Exception):
    def __init__(self, result: RowResult) -> None:
        super().__init__(result.message)
        self.result = result


def import_coaches(session: Session, change: Change, table: Table, report: FileReport,
                   book: Any, today: date) -> None:
    """Decide and write every row of a coaches sheet as one batch in `session`."""
    batch_id = open_batch(session, change, "coaches", table, report)
    lines: dict[tuple[Any, ...], int] = {}
    rows = []
    for number, cells in table.rows():
        result = _decide(session, change, book, table, number, cells, lines, today)
        result.cells = cells
        report.add(result)
        rows.append(import_row_values(batch_id, table, result, cells))
    import_store.insert_import_rows(session, rows)
    write_history(session, change, report, {})


def _decide(session: Session, change: Change, book: Any, table: Table, number: int,
            cells: list[Any], lines: dict[tuple[Any, ...], int], today: date) -> RowResult:
    screened = screen_line(number, cells, lines)
    if screened is not None:
        return screened
    try:
        reg_no, registered, details = _read(table, number, cells, today)
    except _RowProblem as problem:
        return problem.result
    existing = coach_store.find_coach(session, reg_no)
    if existing is not None:
        same = clean.fold(existing.last_name) == clean.fold(details.last_name or "")
        if same:
            return RowResult(number, "duplicate", "already-registered",
                             f"coach {reg_no} is already in the register", coach=reg_no,
                             coach_id=existing.id)
        return RowResult(number, "rejected", "reg-no-taken",
                         f"registration number {reg_no} belongs to another coach",
                         column=_header(table, "reg_no"), value=_cell(table, cells, "reg_no"))
    if details.big:
        other = coach_store.coach_with_big(session, details.big)
        if other is not None:
            return RowResult(number, "rejected", "big-in-use",
                             f"BIG number {details.big} is registered for coach {other.reg_no}",
                             column=_header(table, "big"), value=_cell(table, cells, "big"))
    try:
        coach = coach_records.add_coach(session, change, book, reg_no=reg_no,
                                   registered_on=registered, details=details)
    except SmrError as error:  # validated above; anything left is the register's word
        return RowResult(number, "rejected", "bad-value", error.message)
    return RowResult(number, "added", coach=coach.reg_no, coach_id=coach.id,
                     message=f"registered from {registered:%d-%m-%Y}")


def _cell(table: Table, cells: list[Any], key: str) -> Any:
    index = table.columns.get(key)
    return None if index is None else cells[index]


def _header(table: Table, key: str) -> str | None:
    index = table.columns.get(key)
    return None if index is None else table.headers[index]


def _problem(table: Table, number: int, key: str, slug: str, message: str,
             value: Any = None) -> _RowProblem:
    return _RowProblem(RowResult(number, "rejected", slug, message, column=_header(table, key),
                                 value=value))


def _read(table: Table, number: int, cells: list[Any],
          today: date) -> tuple[str, date, coach_records.CoachFields]:
    raw_reg = _cell(table, cells, "reg_no")
    if clean.is_empty(raw_reg):
        raise _problem(table, number, "reg_no", "missing-value",
                       f"{_header(table, 'reg_no')} is empty")
    reg_no = clean.reg_no(raw_reg)
    if reg_no is None:
        raise _problem(table, number, "reg_no", "bad-value",
                       f"{_header(table, 'reg_no')} {clean.text(raw_reg)!r} is not a "
                       f"registration number (1 to 12 digits)", raw_reg)
    last_name = clean.text(_cell(table, cells, "last_name"))
    if last_name is None:
        raise _problem(table, number, "last_name", "missing-value",
                       f"{_header(table, 'last_name')} is empty")
    raw_registered = _cell(table, cells, "registered")
    try:
        registered = clean.a_date(raw_registered, _header(table, "registered") or "")
    except clean.CellProblem as problem:
        raise _problem(table, number, "registered", problem.slug, problem.message,
                       raw_registered) from None
    details = coach_records.CoachFields(last_name=last_name)
    raw_birth = _cell(table, cells, "birth_date")
    if not clean.is_empty(raw_birth):
        try:
            details.birth_date = clean.birth_date(raw_birth, _header(table, "birth_date") or "",
                                                  min(registered, today))
        except clean.CellProblem as problem:
            raise _problem(table, number, "birth_date", problem.slug, problem.message,
                           raw_birth) from None
    for key in _TEXT_FIELDS:
        setattr(details, key, check_text(clean.text(_cell(table, cells, key)), key))
    checks = (("email", check_email), ("postcode", check_postcode), ("agb", check_agb))
    for key, check in checks:
        raw = _cell(table, cells, key)
        try:
            setattr(details, key, check(clean.text(raw), _header(table, key) or key))
        except SmrError as error:
            raise _problem(table, number, key, "bad-value", error.message, raw) from None
    raw_big = _cell(table, cells, "big")
    if not clean.is_empty(raw_big):
        details.big = clean.big(raw_big)
        if details.big is None:
            raise _problem(table, number, "big", "bad-value",
                           f"{_header(table, 'big')} {clean.text(raw_big)!r} is not a BIG "
                           f"number (11 digits)", raw_big)
    raw_education = clean.text(_cell(table, cells, "education"))
    if raw_education:
        education = _EDUCATION.get(clean.fold(raw_education)) or _EDUCATION.get(
            clean.fold(raw_education).replace(" ", ""))
        if education is None:
            raise _problem(table, number, "education", "bad-value",
                           f"{_header(table, 'education')} {raw_education!r} is not one of "
                           f"mbo4, hbo, wo, other", raw_education)
        details.education = education.value
    return reg_no, registered, details
