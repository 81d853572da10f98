"""The register's write operations: validate, change, and record the change in history.

Each function works inside the caller's `db.transaction`, so a command's changes and their
history rows commit together or not at all. Errors are `SmrError`s naming the field and value;
nothing here prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from smr_register import db, rules
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import (
    check_agb,
    check_big,
    check_email,
    check_postcode,
    check_reg_no,
    check_text,
    from_centi,
    non_negative,
    to_centi,
)
from smr_register.errors import Conflict, DatabaseError, InvalidValue, NotFound
from smr_register.store import agenda as agenda_store
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    Coach,
    CoachIntervention,
    CoachState,
    Course,
    CourseRun,
    CreditSource,
    Education,
    Intervention,
    PointCredit,
    PracticeYear,
    Profile,
    ProfileHeld,
    Provider,
    RegistrationPeriod,
    RuleException,
)

# The rules an exception can name (rules.py evaluates these ids).
RULE_IDS = ("points", "spread", "hours", "basisprofiel", "supervision", "practice")


def initialise(engine: Engine, db_label: str) -> str:
    """Create the schema of a new register through the migrations; refuse any other database."""
    revision = db.schema_revision(engine)
    if revision is not None:
        raise Conflict(f"{db_label} is already a register (schema {revision}): nothing changed")
    if not db.is_empty(engine):
        raise DatabaseError(f"{db_label} holds other tables, not a register: nothing changed")
    return db.upgrade(engine)[1] or ""


@dataclass
class CoachFields:
    """The editable fields of a coach as typed on the command line or read from a sheet.

    `None` means "not given"; on edit, only given fields change.
    """

    initials: str | None = None
    first_name: str | None = None
    prefix: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    big: str | None = None
    agb: str | None = None
    education: str | None = None
    practice: str | None = None
    postcode: str | None = None
    city: str | None = None

    def checked(self) -> dict[str, Any]:
        """The given fields, validated and normalised; raises InvalidValue naming the field."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = _check_field(f.name, value)
        return out


def _check_field(name: str, value: Any) -> Any:
    if name == "big":
        return check_big(value, "--big")
    if name == "agb":
        return check_agb(value, "--agb")
    if name == "email":
        return check_email(value, "--email")
    if name == "postcode":
        return check_postcode(value, "--postcode")
    if name == "education":
        allowed = [e.value for e in Education]
        if value not in allowed:
            raise InvalidValue("--education", value, f"must be one of {', '.join(allowed)}")
        return value
    if name == "birth_date":
        return value
    if name == "last_name":
        return check_text(value, "--last-name", required=True)
    return check_text(value, f"--{name.replace('_', '-')}")


def _ensure_unique_big(session: Session, big: str | None, coach_id: int | None) -> None:
    if big is None:
        return
    other = coach_store.coach_with_big(session, big)
    if other is not None and other.id != coach_id:
        raise Conflict(f"--big {big}: already registered for coach {other.reg_no}")


def add_coach(
    session: Session,
    change: Change,
    book: RulesBook,
    *,
    reg_no: str,
    registered_on: date,
    details: CoachFields,
) -> Coach:
    """Register a coach with a first period from `registered_on` (length from the rules)."""
    reg_no = check_reg_no(reg_no, "--reg-no")
    values = details.checked()
    if "last_name" not in values:
        raise InvalidValue("--last-name", "", "is required")
    if coach_store.find_coach(session, reg_no) is not None:
        raise Conflict(f"--reg-no {reg_no}: registration number already in the register")
    _ensure_unique_big(session, values.get("big"), None)
    coach = Coach(reg_no=reg_no, state=CoachState.ACTIVE.value, **values)
    session.add(coach)
    session.flush()
    ruleset = book.in_force(registered_on)
    period = RegistrationPeriod(
        coach_id=coach.id or 0,
        starts_on=registered_on,
        valid_until=rules.first_period_end(registered_on, ruleset.period_years),
    )
    session.add(period)
    session.flush()
    history_store.record(session, change, entity="coach", action="add", entity_id=coach.id,
                         coach_id=coach.id, after=history_store.snapshot(coach))
    history_store.record(session, change, entity="registration_period", action="add",
                         entity_id=period.id, coach_id=coach.id,
                         after=history_store.snapshot(period, exclude=("id", "coach_id")))
    return coach


def edit_coach(session: Session, change: Change, reg_no: str, details: CoachFields,
               reason: str | None = None) -> Coach:
    """Change the given fields of a coach; raises when nothing would change."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    values = details.checked()
    if not values:
        raise InvalidValue("options", "", "name at least one field to change")
    _ensure_unique_big(session, values.get("big"), coach.id)
    before = history_store.snapshot(coach)
    for key, value in values.items():
        setattr(coach, key, value)
    session.add(coach)
    session.flush()
    history_store.record(session, change, entity="coach", action="edit", entity_id=coach.id,
                         coach_id=coach.id, before=before, after=history_store.snapshot(coach),
                         reason=reason)
    return coach


def clear_coach_fields(session: Session, change: Change, reg_no: str,
                       names: list[str]) -> Coach:
    """Blank optional fields (an e-mail address that no longer exists, a closed practice)."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    allowed = {f.name for f in fields(CoachFields)} - {"last_name"}
    before = history_store.snapshot(coach)
    for name in names:
        key = name.replace("-", "_")
        if key not in allowed:
            raise InvalidValue("--clear", name, f"is not a field that can be cleared "
                               f"({', '.join(sorted(allowed))})")
        setattr(coach, key, None)
    session.add(coach)
    session.flush()
    history_store.record(session, change, entity="coach", action="edit", entity_id=coach.id,
                         coach_id=coach.id, before=before, after=history_store.snapshot(coach))
    return coach


_TRANSITIONS = {
    CoachState.SUSPENDED: {CoachState.ACTIVE},
    CoachState.ACTIVE: {CoachState.SUSPENDED},
    CoachState.WITHDRAWN: {CoachState.ACTIVE, CoachState.SUSPENDED},
}


def set_state(session: Session, change: Change, reg_no: str, state: CoachState,
              reason: str, on: date) -> Coach:
    """Suspend, reinstate or withdraw a coach; the reason is required and kept."""
    reason_text = check_text(reason, "--reason", required=True)
    coach = coach_store.coach_by_reg_no(session, reg_no)
    current = CoachState(coach.state)
    if current not in _TRANSITIONS[state]:
        raise Conflict(f"coach {reg_no} is {current.value}: cannot become {state.value}")
    before = history_store.snapshot(coach)
    coach.state = state.value
    coach.state_reason = reason_text
    coach.state_date = on
    session.add(coach)
    session.flush()
    history_store.record(session, change, entity="coach", action=state.value, entity_id=coach.id,
                         coach_id=coach.id, before=before, after=history_store.snapshot(coach),
                         reason=reason_text)
    return coach


def _registered_coach(session: Session, reg_no: str, field: str) -> Coach:
    coach = coach_store.find_coach(session, reg_no)
    if coach is None:
        raise NotFound(f"{field} {reg_no}: no such coach in the register")
    return coach


def _first_registered(session: Session, coach_id: int) -> date | None:
    periods = coach_store.periods_of(session, coach_id)
    return periods[0].starts_on if periods else None


def check_supervisor(session: Session, book: RulesBook, supervisor: Coach, on: date,
                     field: str) -> None:
    """A supervisor is an active coach with the rules' minimum years of registration."""
    ruleset = book.in_force(on)
    state_then = rules.state_on(supervisor.state, supervisor.state_date, on)
    if state_then != CoachState.ACTIVE.value:
        raise Conflict(f"{field} {supervisor.reg_no}: supervisor is {state_then} on "
                       f"{on.isoformat()}, not active")
    current = coach_store.current_periods(session, [supervisor.id or 0]).get(supervisor.id or 0)
    if current is None or current.valid_until < on:
        raise Conflict(f"{field} {supervisor.reg_no}: supervisor's registration is not valid "
                       f"on {on.isoformat()}")
    since = _first_registered(session, supervisor.id or 0)
    years = rules.years_between(since, on) if since else 0
    if years < ruleset.supervisor_min_years:
        raise Conflict(f"{field} {supervisor.reg_no}: supervisor has {years} years of "
                       f"registration, the rules require {ruleset.supervisor_min_years}")


def add_profile(session: Session, change: Change, book: RulesBook, reg_no: str,
                profile: Profile, attained_on: date, evidence: str | None,
                assessed_by: str | None) -> ProfileHeld:
    """Record that a coach attained a profile, with its evidence and assessing supervisor."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    if any(p.profile == profile.value for p in coach_store.profiles_of(session, coach.id or 0)):
        raise Conflict(f"coach {reg_no} already holds profile {profile.value}")
    assessor_id = None
    if assessed_by:
        assessor = _registered_coach(session, assessed_by, "--assessed-by")
        if assessor.id == coach.id:
            raise Conflict(f"--assessed-by {assessed_by}: a coach cannot assess themselves")
        check_supervisor(session, book, assessor, attained_on, "--assessed-by")
        assessor_id = assessor.id
    held = ProfileHeld(coach_id=coach.id or 0, profile=profile.value, attained_on=attained_on,
                       evidence=check_text(evidence, "--evidence"), assessed_by_id=assessor_id)
    session.add(held)
    session.flush()
    history_store.record(session, change, entity="profile_held", action="add", entity_id=held.id,
                         coach_id=coach.id,
                         after=history_store.snapshot(held, exclude=("id", "coach_id")))
    return held


def remove_profile(session: Session, change: Change, reg_no: str, profile: Profile,
                   reason: str) -> None:
    reason_text = check_text(reason, "--reason", required=True)
    coach = coach_store.coach_by_reg_no(session, reg_no)
    held = next((p for p in coach_store.profiles_of(session, coach.id or 0)
                 if p.profile == profile.value), None)
    if held is None:
        raise NotFound(f"coach {reg_no} does not hold profile {profile.value}")
    before = history_store.snapshot(held, exclude=("id", "coach_id"))
    session.delete(held)
    history_store.record(session, change, entity="profile_held", action="remove", entity_id=held.id,
                         coach_id=coach.id, before=before, reason=reason_text)


PRACTICE_FIELDS = ("clients", "clients_low_literacy", "intakes", "integral_trajectories",
                   "pharmacotherapy_trajectories", "referrals")


def set_practice_year(session: Session, change: Change, reg_no: str, year: int,
                      hours: Decimal | None, counts: dict[str, int | None]) -> PracticeYear:
    """Set a coach's coaching hours and practice counts for one calendar year."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    if not 1990 <= year <= 2100:
        raise InvalidValue("--year", year, "is not a plausible calendar year")
    for key, value in counts.items():
        if value is not None and value < 0:
            raise InvalidValue(f"--{key.replace('_', '-')}", value, "must not be negative")
    given = {k: v for k, v in counts.items() if v is not None}
    if hours is None and not given:
        raise InvalidValue("--hours", "", "give --hours or at least one practice count")
    low, clients = given.get("clients_low_literacy"), given.get("clients")
    if low is not None and clients is not None and low > clients:
        raise InvalidValue("--clients-low-literacy", low,
                           f"cannot exceed --clients ({clients})")
    record = coach_store.practice_year(session, coach.id or 0, year)
    before = history_store.snapshot(record, exclude=("id", "coach_id"))
    if record is None:
        record = PracticeYear(coach_id=coach.id or 0, year=year)
    if hours is not None:
        record.hours_centi = to_centi(non_negative(hours, "--hours"))
    for key, value in given.items():
        setattr(record, key, value)
    record.source = CreditSource.MANUAL.value
    record.batch_id = None
    session.add(record)
    session.flush()
    history_store.record(session, change, entity="practice_year",
                         action="edit" if before else "add", entity_id=record.id, coach_id=coach.id,
                         before=before,
                         after=history_store.snapshot(record, exclude=("id", "coach_id")))
    return record


def assign_supervisor(session: Session, change: Change, book: RulesBook, reg_no: str,
                      supervisor_reg_no: str, on: date) -> Coach:
    """Make one coach the supervisor of another, within the rules' limit of supervisees."""
    supervisee = coach_store.coach_by_reg_no(session, reg_no)
    supervisor = _registered_coach(session, supervisor_reg_no, "--supervisor")
    if supervisor.id == supervisee.id:
        raise Conflict(f"--supervisor {supervisor_reg_no}: a coach cannot supervise themselves")
    if supervisor.supervisor_id == supervisee.id:
        raise Conflict(f"--supervisor {supervisor_reg_no}: is supervised by {reg_no} "
                       f"(supervision cannot go both ways)")
    if supervisee.supervisor_id == supervisor.id:
        raise Conflict(f"coach {reg_no} is already supervised by {supervisor_reg_no}")
    check_supervisor(session, book, supervisor, on, "--supervisor")
    limit = book.in_force(on).max_supervisees
    count = len(coach_store.supervisees_of(session, supervisor.id or 0))
    if count >= limit:
        raise Conflict(f"--supervisor {supervisor_reg_no}: already supervises {count} coaches, "
                       f"the limit is {limit}")
    before = history_store.snapshot(supervisee)
    supervisee.supervisor_id = supervisor.id
    session.add(supervisee)
    session.flush()
    history_store.record(session, change, entity="coach", action="supervisor",
                         entity_id=supervisee.id, coach_id=supervisee.id, before=before,
                         after=history_store.snapshot(supervisee))
    return supervisee


def unassign_supervisor(session: Session, change: Change, reg_no: str,
                        reason: str | None) -> Coach:
    supervisee = coach_store.coach_by_reg_no(session, reg_no)
    if supervisee.supervisor_id is None:
        raise NotFound(f"coach {reg_no} has no supervisor")
    before = history_store.snapshot(supervisee)
    supervisee.supervisor_id = None
    session.add(supervisee)
    session.flush()
    history_store.record(session, change, entity="coach", action="supervisor",
                         entity_id=supervisee.id, coach_id=supervisee.id, before=before,
                         after=history_store.snapshot(supervisee), reason=reason)
    return supervisee


def add_provider(session: Session, change: Change, name: str) -> Provider:
    clean = check_text(name, "--name", required=True) or ""
    if agenda_store.provider_by_name(session, clean) is not None:
        raise Conflict(f"--name {clean!r}: provider already in the training agenda")
    provider = Provider(name=clean)
    session.add(provider)
    session.flush()
    history_store.record(session, change, entity="provider", action="add", entity_id=provider.id,
                         after=history_store.snapshot(provider))
    return provider


def provider_named(session: Session, name: str) -> Provider:
    provider = agenda_store.provider_by_name(session, name)
    if provider is None:
        raise NotFound(f"--provider {name!r}: no such provider in the training agenda "
                       f"(add it with 'smr agenda provider add')")
    return provider


def add_course(session: Session, change: Change, *, code: str, title: str, provider: str,
               points: Decimal, accredited_from: date, accredited_until: date,
               profiles: list[Profile]) -> Course:
    """Put a course in the training agenda; only agenda courses ever earn points."""
    clean_code = (check_text(code, "--code", required=True) or "").upper()
    if agenda_store.course_by_code(session, clean_code) is not None:
        raise Conflict(f"--code {clean_code}: course already in the training agenda")
    if points <= 0:
        raise InvalidValue("--points", points, "must be more than 0")
    if accredited_until < accredited_from:
        raise InvalidValue("--accredited-until", accredited_until.isoformat(),
                           f"is before --accredited-from {accredited_from.isoformat()}")
    course = Course(
        code=clean_code,
        title=check_text(title, "--title", required=True) or "",
        provider_id=provider_named(session, provider).id or 0,
        points_centi=to_centi(points),
        accredited_from=accredited_from,
        accredited_until=accredited_until,
        profiles=",".join(p.value for p in profiles) or None,
    )
    session.add(course)
    session.flush()
    history_store.record(session, change, entity="course", action="add", entity_id=course.id,
                         after=history_store.snapshot(course))
    return course


def course_coded(session: Session, code: str) -> Course:
    course = agenda_store.course_by_code(session, code)
    if course is None:
        raise NotFound(f"--course {code}: not in the training agenda")
    return course


def add_run(session: Session, change: Change, course_code: str, run_date: date) -> CourseRun:
    """Add a dated run; a run outside the accreditation is refused (it could never count)."""
    course = course_coded(session, course_code)
    if not course.accredited_from <= run_date <= course.accredited_until:
        raise Conflict(f"--date {run_date.isoformat()}: outside the accreditation of "
                       f"{course.code} ({course.accredited_from.isoformat()} to "
                       f"{course.accredited_until.isoformat()})")
    if agenda_store.run_of(session, course.id or 0, run_date) is not None:
        raise Conflict(f"--date {run_date.isoformat()}: {course.code} already has a run that day")
    run = CourseRun(course_id=course.id or 0, run_date=run_date)
    session.add(run)
    session.flush()
    history_store.record(session, change, entity="course_run", action="add", entity_id=run.id,
                         after={"course": course.code, "run_date": run_date.isoformat()})
    return run


def add_credit(session: Session, change: Change, reg_no: str, course_code: str,
               run_date: date, points: Decimal | None, reason: str | None) -> PointCredit:
    """A manual credit for a run in the agenda; points default to the course's points."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    if coach.state == CoachState.WITHDRAWN.value:
        raise Conflict(f"coach {reg_no} is withdrawn: no credits can be added")
    course = course_coded(session, course_code)
    run = agenda_store.run_of(session, course.id or 0, run_date)
    if run is None:
        raise NotFound(f"--date {run_date.isoformat()}: {course.code} has no run that day "
                       f"(add it with 'smr agenda run add')")
    if coach_store.credit_for(session, coach.id or 0, run.id or 0) is not None:
        raise Conflict(f"coach {reg_no} is already credited for {course.code} on "
                       f"{run_date.isoformat()}")
    course_points = from_centi(course.points_centi)
    if points is not None and not 0 < points <= course_points:
        raise InvalidValue("--points", points, f"must be more than 0 and at most the course's "
                           f"{course_points}")
    credit = PointCredit(coach_id=coach.id or 0, run_id=run.id or 0,
                         points_centi=to_centi(points if points is not None else course_points),
                         source=CreditSource.MANUAL.value, credited_at=change.at)
    session.add(credit)
    session.flush()
    history_store.record(session, change, entity="point_credit", action="add", entity_id=credit.id,
                         coach_id=coach.id, reason=reason,
                         after={"course": course.code, "run_date": run_date.isoformat(),
                                "points": str(from_centi(credit.points_centi)),
                                "source": credit.source})
    return credit


def remove_credit(session: Session, change: Change, reg_no: str, course_code: str,
                  run_date: date, reason: str) -> None:
    """Take back a wrong credit (a coach disputed it); history keeps what it was."""
    reason_text = check_text(reason, "--reason", required=True)
    coach = coach_store.coach_by_reg_no(session, reg_no)
    course = course_coded(session, course_code)
    run = agenda_store.run_of(session, course.id or 0, run_date)
    credit = coach_store.credit_for(session, coach.id or 0, run.id or 0) if run else None
    if credit is None:
        raise NotFound(f"coach {reg_no} has no credit for {course.code} on "
                       f"{run_date.isoformat()}")
    before = {"course": course.code, "run_date": run_date.isoformat(),
              "points": str(from_centi(credit.points_centi)), "source": credit.source,
              "batch_id": credit.batch_id, "row_number": credit.row_number}
    session.delete(credit)
    history_store.record(session, change, entity="point_credit", action="remove",
                         entity_id=credit.id, coach_id=coach.id, before=before, reason=reason_text)


def add_intervention(session: Session, change: Change, name: str, description: str | None,
                     listed_since: date, listed_until: date | None) -> Intervention:
    clean = check_text(name, "--name", required=True) or ""
    if agenda_store.intervention_by_name(session, clean) is not None:
        raise Conflict(f"--name {clean!r}: intervention already listed")
    if listed_until is not None and listed_until < listed_since:
        raise InvalidValue("--until", listed_until.isoformat(), "is before --since")
    item = Intervention(name=clean, description=check_text(description, "--description"),
                        listed_since=listed_since, listed_until=listed_until)
    session.add(item)
    session.flush()
    history_store.record(session, change, entity="intervention", action="add", entity_id=item.id,
                         after=history_store.snapshot(item))
    return item


def _intervention_named(session: Session, name: str) -> Intervention:
    item = agenda_store.intervention_by_name(session, name)
    if item is None:
        raise NotFound(f"intervention {name!r}: not listed in the register "
                       f"(see 'smr intervention list')")
    return item


def add_coach_intervention(session: Session, change: Change, reg_no: str,
                           name: str) -> Intervention:
    coach = coach_store.coach_by_reg_no(session, reg_no)
    item = _intervention_named(session, name)
    if coach_store.coach_intervention(session, coach.id or 0, item.id or 0) is not None:
        raise Conflict(f"coach {reg_no} already delivers {item.name!r}")
    session.add(CoachIntervention(coach_id=coach.id or 0, intervention_id=item.id or 0))
    session.flush()
    history_store.record(session, change, entity="coach_intervention", action="add",
                         entity_id=item.id, coach_id=coach.id, after={"intervention": item.name})
    return item


def remove_coach_intervention(session: Session, change: Change, reg_no: str,
                              name: str) -> None:
    coach = coach_store.coach_by_reg_no(session, reg_no)
    item = _intervention_named(session, name)
    link = coach_store.coach_intervention(session, coach.id or 0, item.id or 0)
    if link is None:
        raise NotFound(f"coach {reg_no} does not deliver {item.name!r}")
    session.delete(link)
    history_store.record(session, change, entity="coach_intervention", action="remove",
                         entity_id=item.id, coach_id=coach.id, before={"intervention": item.name})


def add_exception(session: Session, change: Change, reg_no: str, *, rule: str,
                  reason: str, decided_by: str, decided_on: date, valid_until: date | None,
                  value: Decimal | None) -> RuleException:
    """Record a quality-committee decision that waives (or, with a value, changes) one rule."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    if rule not in RULE_IDS:
        raise InvalidValue("--rule", rule, f"must be one of {', '.join(RULE_IDS)}")
    if valid_until is not None and valid_until < decided_on:
        raise InvalidValue("--valid-until", valid_until.isoformat(), "is before the decision")
    item = RuleException(
        coach_id=coach.id or 0, rule=rule,
        value=str(non_negative(value, "--value")) if value is not None else None,
        reason=check_text(reason, "--reason", required=True) or "",
        decided_by=check_text(decided_by, "--decided-by", required=True) or "",
        decided_on=decided_on, valid_until=valid_until,
    )
    session.add(item)
    session.flush()
    history_store.record(session, change, entity="rule_exception", action="add", entity_id=item.id,
                         coach_id=coach.id,
                         after=history_store.snapshot(item, exclude=("id", "coach_id")),
                         reason=item.reason)
    return item
