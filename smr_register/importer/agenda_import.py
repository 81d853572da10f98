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
from smr_register.importer.attendance import open_batch, raw_json, write_history
from smr_register.importer.reading import Table
from smr_register.importer.report import FileReport, RowResult, screen_line
from smr_register.services import agenda_records
from smr_register.store import agenda as agenda_store
from smr_register.store import imports as import_store
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


class _RowProblem(Exception):
    def __init__(self, result: RowResult) -> None:
        super().__init__(result.message)
        self.result = result


def import_agenda(session: Session, change: Change, table: Table,
                  report: FileReport) -> None:
    """Decide and write every row of an agenda sheet as one batch in `session`."""
    batch_id = open_batch(session, change, "agenda", table, report)
    lines: dict[tuple[Any, ...], int] = {}
    rows = []
    for number, cells in table.rows():
        result = _decide(session, change, table, number, cells, lines)
        result.cells = cells
        report.add(result)
        rows.append(import_row_values(batch_id, table, result, cells))
    import_store.insert_import_rows(session, rows)
    write_history(session, change, report, {})


def import_row_values(batch_id: int, table: Table, result: RowResult,
                      cells: list[Any]) -> dict[str, Any]:
    return {"batch_id": batch_id, "row_number": result.row, "outcome": result.outcome,
            "reason": result.reason, "message": result.message,
            "raw": raw_json(table.headers, cells), "coach_id": result.coach_id,
            "run_id": result.run_id, "candidates": None, "resolved_at": None}


def _decide(session: Session, change: Change, table: Table, number: int, cells: list[Any],
            lines: dict[tuple[Any, ...], int]) -> RowResult:
    screened = screen_line(number, cells, lines)
    if screened is not None:
        return screened
    try:
        wanted = _read_course(table, number, cells)
        run_date = _optional_date(table, number, cells)
    except _RowProblem as problem:
        return problem.result
    if run_date is not None and not wanted.accredited_from <= run_date <= wanted.accredited_until:
        column = table.headers[table.columns["run_date"]]
        return RowResult(number, "rejected", "outside-accreditation",
                         f"{format_date(run_date)} is outside the accreditation of "
                         f"{wanted.code} ({format_date(wanted.accredited_from)} to "
                         f"{format_date(wanted.accredited_until)})", column=column,
                         value=_cell(table, cells, "run_date"), course=wanted.code)
    result = RowResult(number, "added", course=wanted.code, run_date=run_date,
                       points=wanted.points)
    existing = agenda_store.course_by_code(session, wanted.code)
    added: list[str] = []
    try:
        if existing is None:
            if agenda_store.provider_by_name(session, wanted.provider) is None:
                agenda_records.add_provider(session, change, wanted.provider)
                added.append(f"provider {wanted.provider!r}")
            agenda_records.add_course(session, change, code=wanted.code, title=wanted.title,
                                provider=wanted.provider, points=wanted.points,
                                accredited_from=wanted.accredited_from,
                                accredited_until=wanted.accredited_until,
                                profiles=wanted.profiles)
            added.append(f"course {wanted.code}")
        else:
            difference = _difference(session, existing, wanted)
            if difference:
                result.outcome, result.reason = "rejected", "course-differs"
                result.message = (f"{wanted.code} is in the training agenda with {difference}; "
                                  f"change the agenda by hand if the sheet is right")
                return result
        if run_date is not None:
            course = agenda_store.course_by_code(session, wanted.code)
            assert course is not None
            run = agenda_store.run_of(session, course.id or 0, run_date)
            if run is None:
                run = agenda_records.add_run(session, change, wanted.code, run_date)
                added.append(f"run on {format_date(run_date)}")
            result.run_id = run.id
    except SmrError as error:  # validated above; anything left is the register's word
        result.outcome, result.reason, result.message = "rejected", "bad-value", error.message
        return result
    if not added:
        result.outcome, result.reason = "duplicate", "already-in-agenda"
        result.message = f"{wanted.code}" + (f" and its run on {format_date(run_date)}"
                                             if run_date else "") + " already in the agenda"
    else:
        result.message = "added " + ", ".join(added)
    return result


def _cell(table: Table, cells: list[Any], key: str) -> Any:
    index = table.columns.get(key)
    return None if index is None else cells[index]


def _problem(table: Table, number: int, key: str, slug: str, message: str,
             value: Any = None) -> _RowProblem:
    index = table.columns.get(key)
    header = table.headers[index] if index is not None else None
    return _RowProblem(RowResult(number, "rejected", slug, message, column=header, value=value))


def _required_text(table: Table, number: int, cells: list[Any], key: str) -> str:
    value = clean.text(_cell(table, cells, key))
    if value is None:
        header = table.headers[table.columns[key]]
        raise _problem(table, number, key, "missing-value", f"{header} is empty")
    return value


def _date(table: Table, number: int, cells: list[Any], key: str) -> date:
    raw = _cell(table, cells, key)
    try:
        return clean.a_date(raw, table.headers[table.columns[key]])
    except clean.CellProblem as problem:
        raise _problem(table, number, key, problem.slug, problem.message, raw) from None


def _optional_date(table: Table, number: int, cells: list[Any]) -> date | None:
    if "run_date" not in table.columns or clean.is_empty(_cell(table, cells, "run_date")):
        return None
    return _date(table, number, cells, "run_date")


def _read_course(table: Table, number: int, cells: list[Any]) -> _Course:
    code = _required_text(table, number, cells, "course_code").upper()
    title = _required_text(table, number, cells, "course_title")
    provider = _required_text(table, number, cells, "provider")
    raw_points = _cell(table, cells, "points")
    try:
        points = clean.decimal(raw_points, table.headers[table.columns["points"]])
    except clean.CellProblem as problem:
        raise _problem(table, number, "points", problem.slug, problem.message,
                       raw_points) from None
    profiles: list[Profile] = []
    raw_profiles = clean.text(_cell(table, cells, "profiles"))
    for part in (raw_profiles or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        profile = _PROFILES.get(clean.fold(part))
        if profile is None:
            raise _problem(table, number, "profiles", "bad-value",
                           f"{part.strip()!r} is not a profile (basisprofiel, pregnancy, "
                           f"psychiatric, smr-extra)", raw_profiles)
        profiles.append(profile)
    if points <= 0:
        raise _problem(table, number, "points", "bad-value",
                       f"{table.headers[table.columns['points']]} must be more than 0",
                       raw_points)
    accredited_from = _date(table, number, cells, "accredited_from")
    accredited_until = _date(table, number, cells, "accredited_until")
    if accredited_until < accredited_from:
        raise _problem(table, number, "accredited_until", "bad-value",
                       f"{table.headers[table.columns['accredited_until']]} "
                       f"{format_date(accredited_until)} is before "
                       f"{format_date(accredited_from)}", _cell(table, cells, "accredited_until"))
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
