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
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import FileReport, RowResult
from smr_register.importer.sheets import RowProblem, cell, header, import_sheet, problem, read_cell
from smr_register.services import coach_records
from smr_register.store import coaches as coach_store
from smr_register.store.history import Change
from smr_register.store.models import Education

_EDUCATION = {
    "mbo4": Education.MBO4, "mbo 4": Education.MBO4, "mbo niveau 4": Education.MBO4,
    "hbo": Education.HBO, "bachelor": Education.HBO, "wo": Education.WO,
    "universiteit": Education.WO, "universitair": Education.WO, "master": Education.WO,
    "other": Education.OTHER, "anders": Education.OTHER, "overig": Education.OTHER,
}
_TEXT_FIELDS = ("initials", "first_name", "prefix", "phone", "practice", "city")


def import_coaches(session: Session, change: Change, table: Table, report: FileReport,
                   book: Any, today: date) -> None:
    """Decide and write every row of a coaches sheet as one batch in `session`."""
    import_sheet(session, change, "coaches", table, report,
                 lambda number, cells: _decide(session, change, book, table, number, cells,
                                               today))


def _decide(session: Session, change: Change, book: Any, table: Table, number: int,
            cells: list[Any], today: date) -> RowResult:
    try:
        reg_no, registered, details = _read(table, number, cells, today)
    except RowProblem as rejected:
        return rejected.result
    existing = coach_store.find_coach(session, reg_no)
    if existing is not None:
        same = clean.fold(existing.last_name) == clean.fold(details.last_name or "")
        if same:
            return RowResult(number, Outcome.DUPLICATE, Reason.ALREADY_REGISTERED,
                             f"coach {reg_no} is already in the register", coach=reg_no,
                             coach_id=existing.id)
        return RowResult(number, Outcome.REJECTED, Reason.REG_NO_TAKEN,
                         f"registration number {reg_no} belongs to another coach",
                         column=header(table, "reg_no"), value=cell(table, cells, "reg_no"))
    if details.big:
        other = coach_store.coach_with_big(session, details.big)
        if other is not None:
            return RowResult(number, Outcome.REJECTED, Reason.BIG_IN_USE,
                             f"BIG number {details.big} is registered for coach {other.reg_no}",
                             column=header(table, "big"), value=cell(table, cells, "big"))
    try:
        coach = coach_records.add_coach(session, change, book, reg_no=reg_no,
                                   registered_on=registered, details=details)
    except SmrError as error:  # validated above; anything left is the register's word
        return RowResult(number, Outcome.REJECTED, Reason.BAD_VALUE, error.message)
    return RowResult(number, Outcome.ADDED, coach=coach.reg_no, coach_id=coach.id,
                     message=f"registered from {registered:%d-%m-%Y}")


def _read(table: Table, number: int, cells: list[Any],
          today: date) -> tuple[str, date, coach_records.CoachFields]:
    raw_reg = cell(table, cells, "reg_no")
    if clean.is_empty(raw_reg):
        raise problem(table, number, "reg_no", Reason.MISSING_VALUE,
                      f"{header(table, 'reg_no')} is empty")
    reg_no = clean.reg_no(raw_reg)
    if reg_no is None:
        raise problem(table, number, "reg_no", Reason.BAD_VALUE,
                      f"{header(table, 'reg_no')} {clean.text(raw_reg)!r} is not a "
                      f"registration number (1 to 12 digits)", raw_reg)
    last_name = clean.text(cell(table, cells, "last_name"))
    if last_name is None:
        raise problem(table, number, "last_name", Reason.MISSING_VALUE,
                      f"{header(table, 'last_name')} is empty")
    registered = read_cell(table, number, cells, "registered", clean.a_date)
    details = coach_records.CoachFields(last_name=last_name)
    if not clean.is_empty(cell(table, cells, "birth_date")):
        details.birth_date = read_cell(
            table, number, cells, "birth_date",
            lambda value, label: clean.birth_date(value, label, min(registered, today)))
    for key in _TEXT_FIELDS:
        setattr(details, key, check_text(clean.text(cell(table, cells, key)), key))
    checks = (("email", check_email), ("postcode", check_postcode), ("agb", check_agb))
    for key, check in checks:
        raw = cell(table, cells, key)
        try:
            setattr(details, key, check(clean.text(raw), header(table, key) or key))
        except SmrError as error:
            raise problem(table, number, key, Reason.BAD_VALUE, error.message, raw) from None
    raw_big = cell(table, cells, "big")
    if not clean.is_empty(raw_big):
        details.big = clean.big(raw_big)
        if details.big is None:
            raise problem(table, number, "big", Reason.BAD_VALUE,
                          f"{header(table, 'big')} {clean.text(raw_big)!r} is not a BIG "
                          f"number (11 digits)", raw_big)
    raw_education = clean.text(cell(table, cells, "education"))
    if raw_education:
        education = _EDUCATION.get(clean.fold(raw_education)) or _EDUCATION.get(
            clean.fold(raw_education).replace(" ", ""))
        if education is None:
            raise problem(table, number, "education", Reason.BAD_VALUE,
                          f"{header(table, 'education')} {raw_education!r} is not one of "
                          f"mbo4, hbo, wo, other", raw_education)
        details.education = education.value
    return reg_no, registered, details
