"""The demo register: fictional coaches, courses and credits read from data/demo/*.csv.

`smr init --demo` calls `build_demo` in one transaction right after the schema is created. The
CSV files (written once by data/demo/generate.py, which the package never imports) hold every case
an audit has to tell apart on `DEMO_AS_OF`; data/demo/README.md lists them with the expected
outcome (demo_files.py reads them). Rows go in through the services where those check something
worth checking (courses, coaches, profiles and their assessor, supervision and its limit,
exceptions, state changes); the thousands of runs, renewals, credits and hours are checked here
and inserted in bulk, each with its history row, so that the build takes seconds. A bad file
stops the build with its name, row and column, and the transaction leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session

from smr_register.domain import periods
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import from_centi, to_centi
from smr_register.errors import InvalidValue
from smr_register.rules import EDUCATION
from smr_register.services import (
    agenda_records,
    coach_records,
    coach_states,
    demo_competences,
    demo_fees,
    exception_records,
    profiles,
    supervision,
)
from smr_register.services.demo_files import DemoRow, about, demo_dir, demo_rows
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    Coach,
    CoachState,
    Course,
    CourseRun,
    CreditSource,
    PointCredit,
    PracticeYear,
    Profile,
    RegistrationPeriod,
)

# The reference date the demo is built for: audited on this date, every case in
# data/demo/README.md has its documented status.
DEMO_AS_OF = date(2026, 12, 1)

# Providers usually enter attendance within weeks of a run (PE-online allows two months).
_CREDITED_AFTER = timedelta(days=14)

class Builder:
    def __init__(self, session: Session, change: Change, book: RulesBook,
                 directory: Path) -> None:
        self.session, self.change, self.book, self.directory = session, change, book, directory
        self.courses: dict[str, Course] = {}
        self.runs: dict[tuple[str, date], CourseRun] = {}
        self.coaches: dict[str, Coach] = {}
        self.last_until: dict[str, date] = {}

    def rows(self, name: str) -> Iterator[DemoRow]:
        return demo_rows(self.directory, name)

    def coach(self, row: DemoRow, column: str = "reg_no") -> Coach:
        reg_no = row.required(column)
        coach = self.coaches.get(reg_no)
        if coach is None:
            raise row.fail(column, f"{reg_no!r} is not in coaches.csv")
        return coach

    # ---- the training agenda ----

    def providers(self) -> int:
        count = 0
        for row in self.rows("providers.csv"):
            with about(row):
                agenda_records.add_provider(self.session, self.change, row.required("name"))
            count += 1
        return count

    def agenda_courses(self) -> int:
        for row in self.rows("courses.csv"):
            profiles = row.members("profiles", Profile)
            points = row.required_decimal("points")
            with about(row):
                course = agenda_records.add_course(
                    self.session, self.change, code=row.required("code"),
                    title=row.required("title"), provider=row.required("provider"),
                    points=points, accredited_from=row.day("accredited_from"),
                    accredited_until=row.day("accredited_until"), profiles=profiles,
                    basic_training=row.text("basic_training") == "yes")
            self.courses[course.code] = course
        return len(self.courses)

    def course_runs(self) -> int:
        """Runs in bulk, with add_run's checks: in the agenda, inside the accreditation."""
        added: list[CourseRun] = []
        for row in self.rows("runs.csv"):
            code = row.required("course").upper()
            course = self.courses.get(code)
            if course is None:
                raise row.fail("course", f"{code!r} is not in courses.csv")
            day = row.day("run_date")
            if not course.accredited_from <= day <= course.accredited_until:
                raise row.fail("run_date", f"{day.isoformat()} is outside the accreditation of "
                               f"{code} ({course.accredited_from.isoformat()} to "
                               f"{course.accredited_until.isoformat()})")
            if (code, day) in self.runs:
                raise row.fail("run_date", f"{code} already has a run on {day.isoformat()}")
            run = CourseRun(course_id=course.id or 0, run_date=day)
            self.runs[code, day] = run
            added.append(run)
        self.session.add_all(added)
        self.session.flush()
        for (code, day), run in self.runs.items():
            history_store.record(self.session, self.change, entity="course_run", action="add",
                                 entity_id=run.id,
                                 after={"course": code, "run_date": day.isoformat()})
        return len(added)

    def interventions(self) -> int:
        count = 0
        for row in self.rows("interventions.csv"):
            with about(row):
                agenda_records.add_intervention(self.session, self.change, row.required("name"),
                                          row.text("description"), row.day("listed_since"),
                                          row.optional_day("listed_until"))
            count += 1
        return count

    # ---- coaches and their periods ----

    def add_coaches(self) -> int:
        entry = demo_competences.entry_exceptions(self)
        for row in self.rows("coaches.csv"):
            details = coach_records.CoachFields(
                initials=row.text("initials"), first_name=row.text("first_name"),
                prefix=row.text("prefix"), last_name=row.text("last_name"),
                birth_date=row.optional_day("birth_date"), email=row.text("email"),
                big=row.text("big"), agb=row.text("agb"), education=row.text("education"),
                practice=row.text("practice"), postcode=row.text("postcode"),
                city=row.text("city"))
            registered_on = row.day("registered_on")
            with about(row):
                coach = coach_records.add_coach(self.session, self.change, self.book,
                                           reg_no=row.required("reg_no"),
                                           registered_on=registered_on, details=details,
                                           education_exception=entry.get(row.required("reg_no")))
            self.coaches[coach.reg_no] = coach
            self.last_until[coach.reg_no] = periods.first_period_end(
                registered_on, self.book.in_force(registered_on).period_years)
        return len(self.coaches)

    def renewals(self) -> int:
        """Later periods, each one renewal of the period before (periods.renewed_period)."""
        added: list[tuple[Coach, RegistrationPeriod]] = []
        for row in self.rows("renewals.csv"):
            coach = self.coach(row)
            previous_end = self.last_until[coach.reg_no]
            renewed_on = row.day("renewed_on")
            starts_on, valid_until = periods.renewed_period(
                previous_end, self.book.in_force(renewed_on).period_years)
            if row.day("starts_on") != starts_on:
                raise row.fail("starts_on", f"must be {starts_on.isoformat()}, the day after "
                               f"the previous period of {coach.reg_no} ends")
            if row.day("valid_until") != valid_until:
                raise row.fail("valid_until", f"must be {valid_until.isoformat()}, one "
                               f"period after {previous_end.isoformat()}")
            if renewed_on > previous_end:
                raise row.fail("renewed_on", f"{renewed_on.isoformat()} is after the previous "
                               f"period ended ({previous_end.isoformat()}): it had expired")
            period = RegistrationPeriod(coach_id=coach.id or 0, starts_on=starts_on,
                                        valid_until=valid_until, renewed_on=renewed_on)
            self.last_until[coach.reg_no] = valid_until
            added.append((coach, period))
        self.session.add_all(period for _, period in added)
        self.session.flush()
        for coach, period in added:
            history_store.record(self.session, self.change, entity="registration_period",
                                 action="renew", entity_id=period.id, coach_id=coach.id,
                                 after=history_store.snapshot(period, exclude=("id", "coach_id")))
        return len(added)

    # ---- credits and hours ----

    def credits(self) -> int:
        """Credits in bulk, with add_credit's checks (run in the agenda, points, no double)."""
        added: list[tuple[Coach, str, date, PointCredit]] = []
        seen: set[tuple[str, str, date]] = set()
        for row in self.rows("credits.csv"):
            coach = self.coach(row)
            code = row.required("course").upper()
            if code not in self.courses:
                raise row.fail("course", f"{code!r} is not in courses.csv")
            day = row.day("run_date")
            run = self.runs.get((code, day))
            if run is None:
                raise row.fail("run_date", f"{code} has no run on {day.isoformat()} in runs.csv")
            if (coach.reg_no, code, day) in seen:
                raise row.fail("run_date", f"coach {coach.reg_no} is already credited for "
                               f"{code} on {day.isoformat()}")
            seen.add((coach.reg_no, code, day))
            most = from_centi(self.courses[code].points_centi)
            points = row.decimal("points")
            if points is None:
                points = most
            if not 0 < points <= most:
                raise row.fail("points", f"{points} must be more than 0 and at most the "
                               f"course's {most}")
            when = datetime.combine(min(day + _CREDITED_AFTER, DEMO_AS_OF), time(12), UTC)
            credit = PointCredit(coach_id=coach.id or 0, run_id=run.id or 0,
                                 points_centi=to_centi(points),
                                 source=CreditSource.MANUAL.value, credited_at=when)
            added.append((coach, code, day, credit))
        self.session.add_all(credit for *_, credit in added)
        self.session.flush()
        for coach, code, day, credit in added:
            history_store.record(self.session, self.change, entity="point_credit", action="add",
                                 entity_id=credit.id, coach_id=coach.id,
                                 after={"course": code, "run_date": day.isoformat(),
                                        "points": str(from_centi(credit.points_centi)),
                                        "source": credit.source})
        return len(added)

    def practice_years(self) -> int:
        """Hours and practice counts in bulk, with set_practice_year's checks."""
        added: list[tuple[Coach, PracticeYear]] = []
        seen: set[tuple[str, int]] = set()
        for row in self.rows("practice.csv"):
            coach = self.coach(row)
            year = row.count("year")
            if year is None or not 1990 <= year <= 2100:
                raise row.fail("year", f"{row.text('year')!r} is not a plausible calendar year")
            if (coach.reg_no, year) in seen:
                raise row.fail("year", f"coach {coach.reg_no} already has a row for {year}")
            seen.add((coach.reg_no, year))
            hours = row.decimal("hours")
            if hours is None or hours < 0:
                raise row.fail("hours", "must be a number of 0 or more")
            try:
                coach_records.check_practice_year(year, hours, DEMO_AS_OF)
            except InvalidValue as exc:
                raise row.fail("hours", exc.problem) from None
            counts = {name: row.count(name) for name in coach_records.PRACTICE_FIELDS}
            low, clients = counts["clients_low_literacy"], counts["clients"]
            if low is not None and clients is not None and low > clients:
                raise row.fail("clients_low_literacy", f"{low} exceeds clients ({clients})")
            added.append((coach, PracticeYear(coach_id=coach.id or 0, year=year,
                                              hours_centi=to_centi(hours), **counts)))
        self.session.add_all(record for _, record in added)
        self.session.flush()
        for coach, record in added:
            history_store.record(self.session, self.change, entity="practice_year", action="add",
                                 entity_id=record.id, coach_id=coach.id,
                                 after=history_store.snapshot(record, exclude=("id", "coach_id")))
        return len(added)

    # ---- profiles, supervision, interventions, exceptions, states ----

    def profiles(self, basisprofiel: bool) -> int:
        """Profiles recorded directly: the basisprofielen first (their holders assess others),
        the profiles on top of it after the basisprofielen attained by assessment."""
        count = 0
        for row in self.rows("profiles.csv"):
            if (row.text("profile") == Profile.BASISPROFIEL.value) is not basisprofiel:
                continue
            profile = row.member("profile", Profile)
            with about(row):
                profiles.add_profile(self.session, self.change, self.book,
                                     self.coach(row).reg_no, profile, row.day("attained_on"),
                                     row.text("evidence"), row.text("assessed_by"))
            count += 1
        return count

    def supervision(self) -> int:
        count = 0
        for row in self.rows("supervision.csv"):
            with about(row):
                supervision.assign_supervisor(self.session, self.change, self.book,
                                           self.coach(row).reg_no, row.required("supervisor"),
                                           row.day("assigned_on"))
            count += 1
        return count

    def coach_interventions(self) -> int:
        count = 0
        for row in self.rows("coach_interventions.csv"):
            with about(row):
                coach_records.add_coach_intervention(self.session, self.change,
                                                self.coach(row).reg_no,
                                                row.required("intervention"), DEMO_AS_OF)
            count += 1
        return count

    def exceptions(self) -> int:
        count = 0
        for row in self.rows("exceptions.csv"):
            if row.text("rule") == EDUCATION:  # recorded with the registration (add_coaches)
                count += 1
                continue
            with about(row):
                exception_records.add_exception(
                    self.session, self.change, self.coach(row).reg_no,
                    rule=row.required("rule"), reason=row.required("reason"),
                    decided_by=row.required("decided_by"), decided_on=row.day("decided_on"),
                    valid_until=row.optional_day("valid_until"), value=row.decimal("value"))
            count += 1
        return count

    def states(self) -> int:
        """Suspensions and withdrawals last: a withdrawn coach can no longer be credited.
        A suspension runs until reinstated by a later `active` row."""
        count = 0
        for row in self.rows("states.csv"):
            state = row.member("state", CoachState)
            reg_no, day = self.coach(row).reg_no, row.day("state_date")
            with about(row):
                if state is CoachState.SUSPENDED:
                    coach_states.suspend(self.session, self.change, reg_no,
                                         row.required("reason"), day, None)
                elif state is CoachState.WITHDRAWN:
                    coach_states.withdraw(self.session, self.change, reg_no,
                                          row.required("reason"), day)
                else:
                    coach_states.reinstate(self.session, self.change, reg_no, day,
                                           row.text("reason") or None)
            count += 1
        return count


def build_demo(session: Session, change: Change, book: RulesBook,
               directory: Path | None = None) -> dict[str, int]:
    """Fill an empty register with the demo data; returns how many of each kind were added.

    Raises InputFileError naming the file, row and column of the first bad row; the caller's
    transaction then rolls everything back.
    """
    build = Builder(session, change, book, directory or demo_dir())
    counts = {"providers": build.providers(), "courses": build.agenda_courses(),
              "course runs": build.course_runs(), "interventions": build.interventions(),
              "coaches": build.add_coaches(), "renewals": build.renewals(),
              "credits": build.credits(), "practice years": build.practice_years(),
              "profiles": build.profiles(basisprofiel=True),
              "basic trainings": demo_competences.trainings(build),
              "role assessments": demo_competences.assessments(build)}
    counts["profiles"] += build.profiles(basisprofiel=False)
    counts |= {"supervisees": build.supervision(),
              "interventions delivered": build.coach_interventions(),
              "exceptions": build.exceptions(), "state changes": build.states(),
              "contributions charged": demo_fees.charges(build),
              "contributions paid": demo_fees.payments(build)}
    first = ("coaches", "renewals", "credits", "practice years", "profiles")
    return {key: counts[key] for key in (*first, *(k for k in counts if k not in first))}
