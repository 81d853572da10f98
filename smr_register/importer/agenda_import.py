"""Loading the training agenda (providers, courses, runs) from a spreadsheet.

Every row is a course, with or without the date of a run. New providers, courses and runs get
the checks of `agenda_records` and the same history rows as when typed on the command line;
the rows are decided against the agenda loaded once, and what they add is written at once. A
course already in the agenda with other details (title, provider, points, accreditation) is
rejected, never changed silently: the agenda decides who earns points.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from smr_register.domain.agenda import AccreditedCourse
from smr_register.domain.i18n import _, number
from smr_register.domain.values import format_date, from_centi
from smr_register.errors import SmrError
from smr_register.importer import cells as clean
from smr_register.importer.reading import Table
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import FileReport, RowResult
from smr_register.importer.sheets import RowProblem, cell, header, import_sheet, problem, read_cell
from smr_register.services import agenda_records
from smr_register.store import agenda as agenda_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import Profile

_PROFILES = {clean.fold(p.value): p for p in Profile} | {
    "zwangeren": Profile.PREGNANCY, "zwangeren en kinderwens": Profile.PREGNANCY,
    "kinderwens": Profile.PREGNANCY, "psychiatrie": Profile.PSYCHIATRIC,
    "psychiatrische comorbiditeit": Profile.PSYCHIATRIC, "smr extra": Profile.SMR_EXTRA,
    "basis": Profile.BASISPROFIEL,
}


def import_agenda(session: Session, change: Change, table: Table,
                  report: FileReport) -> None:
    """Decide and write every row of an agenda sheet as one batch in `session`."""
    agenda = _Agenda(session, change)
    import_sheet(session, change, "agenda", table, report,
                 lambda number, cells: agenda.decide(table, number, cells), agenda.write)


class _Agenda:
    """The training agenda as the rows of one sheet see it: the register's, loaded once, and
    what the rows before added (written at once by `write`, with its history). Providers,
    courses and runs are dicts of their column values, an "id" once written."""

    def __init__(self, session: Session, change: Change) -> None:
        self.session, self.change = session, change
        providers = [{"id": p.id, "name": p.name} for p in sorted(
            agenda_store.list_providers(session), key=lambda p: p.id or 0)]
        by_id = {p["id"]: p for p in providers}
        self.providers: dict[str, dict[str, Any]] = {}  # casefolded name -> provider
        for provider in providers:
            self.providers.setdefault(provider["name"].casefold(), provider)
        # CODE -> (course, its provider)
        self.courses: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
        for course in agenda_store.course_values(session):
            self.courses.setdefault(course["code"].upper(),
                                    (course, by_id.get(course["provider_id"])))
        self.run_ids = agenda_store.run_ids(session)  # (course id, date) -> id
        self.new_runs: dict[tuple[str, date], dict[str, Any]] = {}  # (CODE, date) -> run
        self.added: list[tuple[str, dict[str, Any]]] = []  # in the order of their history
        self.waiting: list[tuple[RowResult, dict[str, Any]]] = []  # rows naming a new run
        self.run_courses: dict[int, dict[str, Any]] = {}  # id() of a new run -> its course

    def decide(self, table: Table, number: int, cells: list[Any]) -> RowResult:
        """The outcome of one row; what it adds is kept for `write`."""
        try:
            wanted = _read_course(table, number, cells)
            run_date = _optional_date(table, number, cells)
        except RowProblem as rejected:
            return rejected.result
        if run_date is not None and not (wanted.accredited_from <= run_date
                                         <= wanted.accredited_until):
            return RowResult(number, Outcome.REJECTED, Reason.OUTSIDE_ACCREDITATION,
                             _("{run_date} is outside the accreditation of {code} "
                               "({accredited_from} to {accredited_until})").format(
                               run_date=format_date(run_date), code=wanted.code,
                               accredited_from=format_date(wanted.accredited_from),
                               accredited_until=format_date(wanted.accredited_until)),
                             column=header(table, "run_date"),
                             value=cell(table, cells, "run_date"), course=wanted.code)
        existing = self.courses.get(wanted.code)
        difference = _difference(*existing, wanted) if existing is not None else ""
        if difference:
            return RowResult(number, Outcome.REJECTED, Reason.COURSE_DIFFERS,
                             _("{code} is in the training agenda with {difference}; change the "
                               "agenda by hand if the sheet is right").format(
                               code=wanted.code, difference=difference),
                             course=wanted.code, run_date=run_date, points=wanted.points)
        try:
            added, run = self._add(wanted, existing is None, run_date)
        except SmrError as error:  # validated above; anything left is the register's word
            return RowResult(number, Outcome.REJECTED, Reason.BAD_VALUE, error.message,
                             course=wanted.code, run_date=run_date, points=wanted.points)
        if not added:
            result = RowResult(number, Outcome.DUPLICATE, Reason.ALREADY_IN_AGENDA,
                               f"{wanted.code}" + (_(" and its run on {run_date}").format(
                                                     run_date=format_date(run_date))
                                                   if run_date else "") + " already in the agenda",
                               course=wanted.code, run_date=run_date, points=wanted.points)
        else:
            result = RowResult(number, Outcome.ADDED, None, "added " + ", ".join(added),
                               course=wanted.code, run_date=run_date, points=wanted.points)
        if isinstance(run, dict):
            self.waiting.append((result, run))
        else:
            result.run_id = run
        return result

    def _add(self, wanted: AccreditedCourse, new_course: bool, run_date: date | None
             ) -> tuple[list[str], int | dict[str, Any] | None]:
        """Add what the agenda lacks of the row (provider, course, run), with the checks of the
        register's own write operations (`agenda_records`); returns what was added, and the
        run's id (or the new run)."""
        added: list[str] = []
        if new_course:
            provider = self.providers.get(wanted.provider.casefold())
            if provider is None:
                provider = {"name": agenda_records.provider_name(wanted.provider)}
                self.providers[provider["name"].casefold()] = provider
                self.added.append(("provider", provider))
                added.append(f"provider {wanted.provider!r}")
            course = agenda_records.new_course(
                agenda_records.course_code(wanted.code), title=wanted.title,
                points=wanted.points, accredited_from=wanted.accredited_from,
                accredited_until=wanted.accredited_until, profiles=list(wanted.profiles))
            self.courses[course["code"].upper()] = (course, provider)
            self.added.append(("course", course))
            added.append(f"course {wanted.code}")
        if run_date is None:
            return added, None
        course = self.courses[wanted.code][0]
        run_id = self.run_ids.get((course["id"], run_date)) if "id" in course else None
        if run_id is not None:
            return added, run_id
        run = self.new_runs.get((wanted.code, run_date))
        if run is None:
            run = self.new_runs[(wanted.code, run_date)] = {"run_date": run_date}
            self.run_courses[id(run)] = course
            self.added.append(("course_run", run))
            added.append(_("run on {run_date}").format(run_date=format_date(run_date)))
        return added, run

    def write(self) -> None:
        """Write the providers, courses and runs the rows added, and their history rows."""
        def of(entity: str) -> list[dict[str, Any]]:
            return [item for kind, item in self.added if kind == entity]

        agenda_store.insert_providers(self.session, of("provider"))
        providers = {id(course): provider for course, provider in self.courses.values()}
        courses = of("course")
        for course in courses:
            course["provider_id"] = providers[id(course)]["id"]  # type: ignore[index]
        agenda_store.insert_courses(self.session, courses)
        runs = of("course_run")
        for run in runs:
            run["course_id"] = self.run_courses[id(run)]["id"]
        agenda_store.insert_runs(self.session, runs)
        for result, run in self.waiting:
            result.run_id = run["id"]
        history_store.insert_history(self.session, [history_store.history_values(
            self.change, entity=kind, action="add", entity_id=item["id"],
            after=self._history_after(kind, item)) for kind, item in self.added])

    def _history_after(self, kind: str, item: dict[str, Any]) -> dict[str, Any]:
        """What `agenda_records` writes in the history of a provider, course or run added."""
        if kind == "course_run":
            return {"course": self.run_courses[id(item)]["code"],
                    "run_date": item["run_date"].isoformat()}
        return history_store.filled(history_store.snapshot_values(item))


def _required_text(table: Table, number: int, cells: list[Any], key: str) -> str:
    value = clean.text(cell(table, cells, key))
    if value is None:
        raise problem(table, number, key, Reason.MISSING_VALUE, _("{header} is empty").format(
                                                                  header=header(table, key)))
    return value


def _optional_date(table: Table, number: int, cells: list[Any]) -> date | None:
    if "run_date" not in table.columns or clean.is_empty(cell(table, cells, "run_date")):
        return None
    return read_cell(table, number, cells, "run_date", clean.a_date)


def _read_course(table: Table, number: int, cells: list[Any]) -> AccreditedCourse:
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
                          _("{part!r} is not a profile (basisprofiel, pregnancy, psychiatric, "
                            "smr-extra)").format(part=part.strip()), raw_profiles)
        profiles.append(profile)
    if points <= 0:
        raise problem(table, number, "points", Reason.BAD_VALUE,
                      _("{header} must be more than 0").format(header=header(table, "points")),
                      raw_points)
    accredited_from = read_cell(table, number, cells, "accredited_from", clean.a_date)
    accredited_until = read_cell(table, number, cells, "accredited_until", clean.a_date)
    if accredited_until < accredited_from:
        raise problem(table, number, "accredited_until", Reason.BAD_VALUE,
                      _("{header} {accredited_until} is before {accredited_from}").format(
                        header=header(table, 'accredited_until'),
                        accredited_until=format_date(accredited_until),
                        accredited_from=format_date(accredited_from)),
                      cell(table, cells, "accredited_until"))
    return AccreditedCourse(code=code, title=title, provider=provider, points=points,
                            accredited_from=accredited_from, accredited_until=accredited_until,
                            profiles=tuple(profiles))


def _difference(existing: dict[str, Any], provider: dict[str, Any] | None,
                wanted: AccreditedCourse) -> str:
    differences = []
    if clean.fold(existing["title"]) != clean.fold(wanted.title):
        differences.append(_("title {title!r} (sheet: {title2!r})").format(
                             title=existing['title'], title2=wanted.title))
    if provider is not None and provider["name"].casefold() != wanted.provider.casefold():
        differences.append(_("provider {name!r} (sheet: {provider!r})").format(
                             name=provider['name'], provider=wanted.provider))
    points = from_centi(existing["points_centi"])
    if points != wanted.points:
        differences.append(_("{points} points (sheet: {points2})").format(
                             points=number(points), points2=number(wanted.points)))
    accreditation = (existing["accredited_from"], existing["accredited_until"])
    if accreditation != (wanted.accredited_from, wanted.accredited_until):
        differences.append(_("accreditation {accreditation} to {accreditation2} (sheet: "
                             "{accredited_from} to {accredited_until})").format(
                             accreditation=format_date(accreditation[0]),
                             accreditation2=format_date(accreditation[1]),
                             accredited_from=format_date(wanted.accredited_from),
                             accredited_until=format_date(wanted.accredited_until)))
    return "; ".join(differences)
