"""Registering coaches in bulk from a spreadsheet.

Each row gets the checks of `coach_records.add_coach` (the same validation and history as
`smr coach add`), against the register loaded once; the coaches added are written at once;
values are checked first with the sheet's own column names in the message, so a provider or
colleague can find the cell. A number already in the register is a duplicate when the name
agrees and rejected when it does not: an import never changes an existing coach.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from smr_register.domain.eligibility import entry_refusal
from smr_register.domain.i18n import _
from smr_register.domain.values import (
    check_agb,
    check_email,
    check_postcode,
    check_registration_start,
    check_text,
)
from smr_register.errors import Conflict, SmrError
from smr_register.importer import cells as clean
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import FileReport, RowResult
from smr_register.importer.sheets import RowProblem, cell, header, import_sheet, problem, read_cell
from smr_register.services import coach_records
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
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
    register = _Coaches(session, change, book)
    import_sheet(session, change, "coaches", table, report,
                 lambda number, cells: register.decide(table, number, cells, today),
                 register.write, lambda rows: register.load(table, rows))


class _Coaches:
    """The coaches as the rows of one sheet see them: those of the register the sheet names
    (by number or BIG number), loaded once, and those the rows before added (written at once
    by `write`, with their periods and history)."""

    def __init__(self, session: Session, change: Change, book: Any) -> None:
        self.session, self.change, self.book = session, change, book
        self.ids: dict[str, int | dict[str, Any]] = {}  # reg_no -> id, or the coach to write
        self.last_names: dict[str, str] = {}  # reg_no -> last name
        self.bigs: dict[str, str] = {}  # BIG number -> reg_no of its first coach
        self.added: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (coach, period) values
        self.waiting: list[tuple[RowResult, dict[str, Any]]] = []  # rows naming a coach to write
        self.from_texts: dict[date, str] = {}  # "registered from <date>" of each date met

    def load(self, table: Table, rows: list[tuple[int, list[Any]]]) -> None:
        """The register's coaches holding a number or BIG number of these rows (read as
        `_read` reads them)."""
        reg_nos: set[str] = set()
        bigs: set[str] = set()
        for _number, cells in rows:
            for found, into in ((clean.reg_no(cell(table, cells, "reg_no")), reg_nos),
                                (clean.big(cell(table, cells, "big")), bigs)):
                if found:
                    into.add(found)
        for coach_id, reg_no, last_name, big in coach_store.coach_identities(
                self.session, sorted(reg_nos), sorted(bigs)):
            self.ids[reg_no], self.last_names[reg_no] = coach_id, last_name
            if big:
                self.bigs.setdefault(big, reg_no)

    def decide(self, table: Table, number: int, cells: list[Any], today: date) -> RowResult:
        """The outcome of one row; a coach it adds is kept for `write`."""
        try:
            reg_no, registered, details = _read(table, number, cells, today)
        except RowProblem as rejected:
            return rejected.result
        last_name = self.last_names.get(reg_no)
        if last_name is not None:
            if clean.fold(last_name) == clean.fold(details.last_name or ""):
                return self._naming(RowResult(
                    number, Outcome.DUPLICATE, Reason.ALREADY_REGISTERED,
                    _("coach {reg_no} is already "
                      "in the register").format(reg_no=reg_no), coach=reg_no), self.ids[reg_no])
            return RowResult(number, Outcome.REJECTED, Reason.REG_NO_TAKEN,
                             _("registration number {reg_no} belongs to another coach").format(
                               reg_no=reg_no),
                             column=header(table, "reg_no"), value=cell(table, cells, "reg_no"))
        if details.big:
            holder = self.bigs.get(details.big)
            if holder is not None:
                return RowResult(number, Outcome.REJECTED, Reason.BIG_IN_USE,
                                 _("BIG number {big} is registered for coach {holder}").format(
                                   big=details.big, holder=holder),
                                 column=header(table, "big"), value=cell(table, cells, "big"))
        try:
            coach = self._add(reg_no, registered, details)
        except SmrError as error:  # validated above; anything left is the register's word
            return RowResult(number, Outcome.REJECTED, Reason.BAD_VALUE, error.message)
        message = self.from_texts.get(registered)
        if message is None:  # a sheet's coaches share a few hundred dates: each formatted once
            message = self.from_texts[registered] = _(
                "registered from {registered:%d-%m-%Y}").format(registered=registered)
        return self._naming(RowResult(number, Outcome.ADDED, coach=coach["reg_no"],
                                      message=message), coach)

    def _add(self, reg_no: str, registered: date,
             details: coach_records.CoachFields) -> dict[str, Any]:
        """The checks and the coach of `coach_records.add_coach`, kept to write at the end."""
        coach = coach_records.new_coach(reg_no, details)
        refusal = entry_refusal(coach.get("education"), registered,
                                self.book.in_force(registered))
        if refusal is not None:  # the committee's exception goes with 'smr coach add' only
            raise Conflict(_("{refusal}; register this coach with 'smr coach add ... "
                             "--education-exception REASON --decided-by NAME' if the quality "
                             "committee made an exception").format(refusal=refusal))
        reg_no, big = coach["reg_no"], coach.get("big")
        if reg_no in self.last_names:
            raise coach_records.reg_no_taken(reg_no)
        if big and big in self.bigs:
            raise coach_records.big_taken(big, self.bigs[big])
        period = coach_records.first_period(self.book, registered)
        self.ids[reg_no], self.last_names[reg_no] = coach, coach["last_name"]
        if big:
            self.bigs[big] = reg_no
        self.added.append((coach, period))
        return coach

    def _naming(self, result: RowResult, coach: int | dict[str, Any]) -> RowResult:
        if isinstance(coach, int):
            result.coach_id = coach
        else:
            self.waiting.append((result, coach))
        return result

    def write(self) -> None:
        """Write the coaches the rows added, their first periods and their history rows."""
        coach_store.insert_coaches(self.session, [c for c, _ in self.added],
                                   [p for _, p in self.added])
        for result, coach in self.waiting:
            result.coach_id = coach["id"]
        history_store.insert_history(self.session, [
            history_store.history_values(self.change, entity=entity, action="add",
                                         entity_id=entity_id, coach_id=coach["id"],
                                         after=after)
            for coach, period in self.added
            for entity, entity_id, after in coach_records.new_coach_history(coach, period)])


def _read(table: Table, number: int, cells: list[Any],
          today: date) -> tuple[str, date, coach_records.CoachFields]:
    raw_reg = cell(table, cells, "reg_no")
    if clean.is_empty(raw_reg):
        raise problem(table, number, "reg_no", Reason.MISSING_VALUE,
                      _("{header} is empty").format(header=header(table, 'reg_no')))
    reg_no = clean.reg_no(raw_reg)
    if reg_no is None:
        raise problem(table, number, "reg_no", Reason.BAD_VALUE,
                      _("{header} {raw_reg!r} is not a "
                        "registration number (1 to 12 digits)").format(
                        header=header(table, 'reg_no'), raw_reg=clean.text(raw_reg)), raw_reg)
    last_name = clean.text(cell(table, cells, "last_name"))
    if last_name is None:
        raise problem(table, number, "last_name", Reason.MISSING_VALUE,
                      _("{header} is empty").format(header=header(table, 'last_name')))
    registered = read_cell(table, number, cells, "registered", clean.a_date)
    try:
        check_registration_start(registered, today, header(table, "registered") or "registered")
    except SmrError as error:
        raise problem(table, number, "registered", Reason.BAD_VALUE, error.message,
                      cell(table, cells, "registered")) from None
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
                          _("{header} {raw_big!r} is not a BIG number (11 digits)").format(
                            header=header(table, 'big'), raw_big=clean.text(raw_big)), raw_big)
    raw_education = clean.text(cell(table, cells, "education"))
    if raw_education:
        education = _EDUCATION.get(clean.fold(raw_education)) or _EDUCATION.get(
            clean.fold(raw_education).replace(" ", ""))
        if education is None:
            raise problem(table, number, "education", Reason.BAD_VALUE,
                          _("{header} {raw_education!r} is not one of mbo4, hbo, wo, other").format(
                            header=header(table, "education"), raw_education=raw_education),
                          raw_education)
        details.education = education.value
    return reg_no, registered, details
