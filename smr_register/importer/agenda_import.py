"""Loading the training agenda (providers, courses, runs) from a spreadsheet.

Every row is a course, with or without the date of a run. New providers, courses and runs are
added through register.py, so each gets the same checks and history rows as when typed on the
command line. A course already in the agenda with other details (title, provider, points,
accreditation) is rejected, never changed silently: the agenda decides who earns points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from smr_register.domain.values import format_date, format_decimal, from_centi
from smr_register.errors import SmrError
from smr_register.importer import cells as clean
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import FileReport, RowResult
from smr_register.importer.sheets import RowProblem, cell, header, import_sheet, problem, read_cell
from smr_register.services import agenda_records
from smr_register.store import agenda as agenda_store
from smr_register.store.history import Change
from smr_register.store.models import Profile, Provider

_PROFILES = {clean.fold(p.value): p for p in Profile} | {
    "zwangeren": Profile.PREGNANCY, "zwangeren en kinderwens": Profile.PREGNANCY,
    "kinderwens": Profile.PREGNANCY, "psychiatrie": Profile.PSYCHIATRIC,
    "psychiatrische comorbiditeit": Profile.PSYCHIATRIC, "smr extra": Profile.SMR_EXTRA,
    "basis": Profile.BASISPROFIEL,
}


@dataclass
class _Course:
    code: str
    title: str
    provider: str
    points: Decimal
    accredited_from: date
    accredited_until: date
    profiles: list[Profile]


def import_agenda(session: Session, change: Change, table: Table,
                  report: FileReport) -> None:
    """Decide and write every row of an agenda sheet as one batch in `session`."""
    import_sheet(session, change, "agenda", table, report,
                 lambda number, cells: _decide(session, change, table, number, cells))


def _decide(session: Session, change: Change, table: Table, number: int,
            cells: list[Any]) -> RowResult:
    try:
        wanted = _read_course(table, number, cells)
        run_date = _optional_date(table, number, cells)
    except RowProblem as rejected:
        return rejected.result
    if run_date is not None and not wanted.accredited_from <= run_date <= wanted.accredited_until:
        return RowResult(number, Outcome.REJECTED, Reason.OUTSIDE_ACCREDITATION,
                         f"{format_date(run_date)} is outside the accreditation of "
                         f"{wanted.code} ({format_date(wanted.accredited_from)} to "
                         f"{format_date(wanted.accredited_until)})",
                         column=header(table, "run_date"),
                         value=cell(table, cells, "run_date"), course=wanted.code)
    existing = agenda_store.course_by_code(session, wanted.code)
    difference = _difference(session, existing, wanted) if existing is not None else ""
    if difference:
        return RowResult(number, Outcome.REJECTED, Reason.COURSE_DIFFERS,
                         f"{wanted.code} is in the training agenda with {difference}; change "
                         f"the agenda by hand if the sheet is right", course=wanted.code,
                         run_date=run_date, points=wanted.points)
    try:
        added, run_id = _add(session, change, wanted, existing is None, run_date)
    except SmrError as error:  # validated above; anything left is the register's word
        return RowResult(number, Outcome.REJECTED, Reason.BAD_VALUE, error.message,
                         course=wanted.code, run_date=run_date, points=wanted.points)
    if not added:
        return RowResult(number, Outcome.DUPLICATE, Reason.ALREADY_IN_AGENDA,
                         f"{wanted.code}" + (f" and its run on {format_date(run_date)}"
                                             if run_date else "") + " already in the agenda",
                         course=wanted.code, run_id=run_id, run_date=run_date,
                         points=wanted.points)
    return RowResult(number, Outcome.ADDED, None, "added " + ", ".join(added),
                     course=wanted.code, run_id=run_id, run_date=run_date, points=wanted.points)


def _add(session: Session, change: Change, wanted: _Course, new_course: bool,
         run_date: date | None) -> tuple[list[str], int | None]:
    """Add what the agenda lacks of the row (provider, course, run), through the register's
    own write operations; returns what was added, and the run's id."""
    added: list[str] = []
    if new_course:
        if agenda_store.provider_by_name(session, wanted.provider) is None:
            agenda_records.add_provider(session, change, wanted.provider)
            added.append(f"provider {wanted.provider!r}")
        agenda_records.add_course(session, change, code=wanted.code, title=wanted.title,
                            provider=wanted.provider, points=wanted.points,
                            accredited_from=wanted.accredited_from,
                            accredited_until=wanted.accredited_until,
                            profiles=wanted.profiles)
        added.append(f"course {wanted.code}")
    if run_date is None:
        return added, None
    course = agenda_store.course_by_code(session, wanted.code)
    assert course is not None
    run = agenda_store.run_of(session, course.id or 0, run_date)
    if run is None:
        run = agenda_records.add_run(session, change, wanted.code, run_date)
        added.append(f"run on {format_date(run_date)}")
    return added, run.id


def _required_text(table: Table, number: int, cells: list[Any], key: str) -> str:
    value = clean.text(cell(table, cells, key))
    if value is None:
        raise problem(table, number, key, Reason.MISSING_VALUE, f"{header(table, key)} is empty")
    return value


def _optional_date(table: Table, number: int, cells: list[Any]) -> date | None:
    if "run_date" not in table.columns or clean.is_empty(cell(table, cells, "run_date")):
        return None
    return read_cell(table, number, cells, "run_date", clean.a_date)


def _read_course(table: Table, number: int, cells: list[Any]) -> _Course:
    code = _required_text(table, number, cells, "course_code").upper()
    title = _required_text(table, number, cells, "course_title")
    provider = _required_text(table, number, cells, "provider")
    raw_points = cell(table, cells, "points")
    points = read_cell(table, number, cells, "points", clean.decimal)
    profiles: list[Profile] = []
    raw_profiles = clean.text(cell(table, cells, "profiles"))
    for part in (raw_profiles or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        profile = _PROFILES.get(clean.fold(part))
        if profile is None:
            raise problem(table, number, "profiles", Reason.BAD_VALUE,
                          f"{part.strip()!r} is not a profile (basisprofiel, pregnancy, "
                          f"psychiatric, smr-extra)", raw_profiles)
        profiles.append(profile)
    if points <= 0:
        raise problem(table, number, "points", Reason.BAD_VALUE,
                      f"{header(table, 'points')} must be more than 0", raw_points)
    accredited_from = read_cell(table, number, cells, "accredited_from", clean.a_date)
    accredited_until = read_cell(table, number, cells, "accredited_until", clean.a_date)
    if accredited_until < accredited_from:
        raise problem(table, number, "accredited_until", Reason.BAD_VALUE,
                      f"{header(table, 'accredited_until')} {format_date(accredited_until)} is "
                      f"before {format_date(accredited_from)}",
                      cell(table, cells, "accredited_until"))
    return _Course(code=code, title=title, provider=provider, points=points,
                   accredited_from=accredited_from, accredited_until=accredited_until,
                   profiles=profiles)


def _difference(session: Session, existing: Any, wanted: _Course) -> str:
    differences = []
    if clean.fold(existing.title) != clean.fold(wanted.title):
        differences.append(f"title {existing.title!r} (sheet: {wanted.title!r})")
    provider = session.get(Provider, existing.provider_id)
    if provider is not None and provider.name.casefold() != wanted.provider.casefold():
        differences.append(f"provider {provider.name!r} (sheet: {wanted.provider!r})")
    if from_centi(existing.points_centi) != wanted.points:
        differences.append(f"{format_decimal(from_centi(existing.points_centi))} points "
                           f"(sheet: {format_decimal(wanted.points)})")
    if (existing.accredited_from, existing.accredited_until) != (wanted.accredited_from,
                                                                   wanted.accredited_until):
        differences.append(f"accreditation {format_date(existing.accredited_from)} to "
                           f"{format_date(existing.accredited_until)} (sheet: "
                           f"{format_date(wanted.accredited_from)} to "
                           f"{format_date(wanted.accredited_until)})")
    return "; ".join(differences)
