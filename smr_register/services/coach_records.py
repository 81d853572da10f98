"""Registering coaches and changing what the register holds about them: details,
profiles, practice years and the interventions they deliver. Each function
works in the caller's transaction and writes its history rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from smr_register.domain import limits, periods
from smr_register.domain.eligibility import entry_refusal
from smr_register.domain.i18n import _, term
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import (
    check_agb,
    check_big,
    check_email,
    check_postcode,
    check_reg_no,
    check_text,
    format_date,
    non_negative,
    to_centi,
)
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.rules import EDUCATION
from smr_register.services.agenda_records import intervention_named
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store import records as record_store
from smr_register.store.history import Change, HistoryJson
from smr_register.store.models import (
    Coach,
    CoachIntervention,
    CreditSource,
    Education,
    Intervention,
    PracticeYear,
    RegistrationPeriod,
)


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
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if value is None:
                continue
            out[name] = _check_field(name, value)
        return out


# Looked up once: `dataclasses.fields` builds its tuple anew on every call (an import checks
# thousands of coaches).
_FIELD_NAMES = tuple(f.name for f in fields(CoachFields))


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
            raise InvalidValue("--education", value, _("must be one of {allowed}").format(
                                                       allowed=', '.join(allowed)))
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
        raise big_taken(big, other.reg_no)


def reg_no_taken(reg_no: str) -> Conflict:
    """The refusal of a new coach whose registration number is in the register."""
    return Conflict(_("--reg-no {reg_no}: registration number already in the register").format(
                      reg_no=reg_no))


def big_taken(big: str, holder: str) -> Conflict:
    """The refusal of a BIG number registered for coach `holder` (one number, one person)."""
    return Conflict(_("--big {big}: already registered for coach {holder}").format(
                      big=big, holder=holder))


def add_coach(
    session: Session,
    change: Change,
    book: RulesBook,
    *,
    reg_no: str,
    registered_on: date,
    details: CoachFields,
    education_exception: tuple[str, str] | None = None,
) -> Coach:
    """Register a coach with a first period from `registered_on` (length from the rules).

    A registrant below the minimum prior education of the rules in force that day is refused
    (Conflict naming the rule and its source) unless `education_exception` (reason, decided
    by) records the quality committee's exception with the coach."""
    values = new_coach(reg_no, details)
    if coach_store.find_coach(session, values["reg_no"]) is not None:
        raise reg_no_taken(values["reg_no"])
    _ensure_unique_big(session, values.get("big"), None)
    refusal = entry_refusal(values.get("education"), registered_on,
                            book.in_force(registered_on))
    if refusal is not None and education_exception is None:
        raise Conflict(_("--education {education}: {refusal}; record the quality committee's "
                         "exception with --education-exception REASON --decided-by NAME").format(
                             education=values.get("education"), refusal=refusal))
    coach = Coach(**values)
    session.add(coach)
    session.flush()
    period = RegistrationPeriod(coach_id=coach.id or 0, **first_period(book, registered_on))
    session.add(period)
    session.flush()
    for entity, entity_id, after in new_coach_history(coach.model_dump(), period.model_dump()):
        history_store.record(session, change, entity=entity, action="add",
                             entity_id=entity_id, coach_id=coach.id, after=after)
    if education_exception is not None:
        from smr_register.services.exception_records import add_exception

        reason, decided_by = education_exception
        add_exception(session, change, coach.reg_no, rule=EDUCATION, reason=reason,
                      decided_by=decided_by, decided_on=registered_on, valid_until=None,
                      value=None)
    return coach


def entry_warnings(book: RulesBook, registered_on: date, education: str | None) -> list[str]:
    """What a registrant from the date the 2022 requirements apply still lacks, which the
    audit will flag: the basisprofiel (attained after registration by the basic training and
    the role assessments, so not refused) and an unrecorded prior education."""
    ruleset = book.in_force(registered_on)
    required_from = ruleset.basisprofiel_required_from
    if required_from is None or registered_on < required_from:
        return []
    day = format_date(required_from)
    warnings = [_("registered on or after {day} without the basisprofiel: the audit calls the "
                  "coach non-compliant until the basic training and every role are recorded "
                  "('smr coach training', 'smr coach assess')").format(day=day)]
    if education is None and ruleset.min_education is not None:
        warnings.append(_("prior education not recorded: coaches registering from {day} need "
                          "at least {minimum} (the audit shows it)").format(
                              day=day, minimum=term(ruleset.min_education)))
    return warnings


def new_coach(reg_no: str, details: CoachFields) -> dict[str, Any]:
    """The column values of a new coach of these fields, checked (raises InvalidValue): what
    `add_coach` and a coaches import add (active: no state spell)."""
    reg_no = check_reg_no(reg_no, "--reg-no")
    values = details.checked()
    if "last_name" not in values:
        raise InvalidValue("--last-name", "", _("is required"))
    return {"reg_no": reg_no, **values}


def first_period(book: RulesBook, registered_on: date) -> dict[str, Any]:
    """The column values of a new coach's first registration period, from `registered_on`
    (length from the rules), but for its coach."""
    ruleset = book.in_force(registered_on)
    return {"starts_on": registered_on,
            "valid_until": periods.first_period_end(registered_on, ruleset.period_years)}


def new_coach_history(coach: dict[str, Any], period: dict[str, Any]
                      ) -> list[tuple[str, int | None, HistoryJson | None]]:
    """What the history shows of a coach just stored and of their first period (their column
    values, with ids): (entity, entity id, after as JSON), in the order they are written."""
    return [("coach", coach["id"], history_store.new_json(coach)),
            ("registration_period", period["id"],
             history_store.new_json(period, exclude=("id", "coach_id")))]


def edit_coach(session: Session, change: Change, reg_no: str, details: CoachFields,
               reason: str | None = None) -> Coach:
    """Change the given fields of a coach; raises when nothing would change."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    values = details.checked()
    if not values:
        raise InvalidValue("options", "", _("name at least one field to change"))
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
            raise InvalidValue("--clear", name, _("is not a field that can be cleared "
                                                  "({fields})").format(
                                                  fields=', '.join(sorted(allowed))))
        setattr(coach, key, None)
    session.add(coach)
    session.flush()
    history_store.record(session, change, entity="coach", action="edit", entity_id=coach.id,
                         coach_id=coach.id, before=before, after=history_store.snapshot(coach))
    return coach


def registered_coach(session: Session, reg_no: str, field: str) -> Coach:
    """The coach with `reg_no`; NotFound naming `field` (the option that gave it) otherwise."""
    coach = coach_store.find_coach(session, reg_no)
    if coach is None:
        raise NotFound(_("{field} {reg_no}: no such coach in the register").format(
                         field=field, reg_no=reg_no))
    return coach


def first_registered(session: Session, coach_id: int) -> date | None:
    """The start of the coach's first registration period (years of registration count from it)."""
    periods = coach_store.periods_of(session, coach_id)
    return periods[0].starts_on if periods else None


# Referrals are recorded by reason (Basisvereisten v2.2, requirement 3.4 and the EPAs); the one
# `referrals` count of years recorded before schema 0006 stays, without a reason.
REFERRAL_REASONS = ("referrals_somatic", "referrals_psychiatric", "referrals_pregnancy",
                    "referrals_medication")
PRACTICE_FIELDS = ("clients", "clients_low_literacy", "intakes", "integral_trajectories",
                   "pharmacotherapy_trajectories", *REFERRAL_REASONS)


def check_practice_year(year: int, hours: Decimal | None, today: date,
                        field: str = "--year") -> None:
    """Hours and counts are of a year that has begun, and no more hours than that year has.

    Raises InvalidValue: a year in the future is a typing error (nobody can have coached in it
    yet), and so are more hours than the calendar year holds.
    """
    if not 1990 <= year <= 2100:
        raise InvalidValue(field, year, _("is not a plausible calendar year"))
    if year > today.year:
        raise InvalidValue(field, year, f"is in the future (today is {today:%d-%m-%Y}): hours "
                           f"and counts are recorded for a year that has begun")
    if hours is not None and hours > limits.hours_in_year(year):
        raise InvalidValue("--hours", hours, f"is more than {year} has "
                           f"({limits.hours_in_year(year):,} hours)")


def set_practice_year(session: Session, change: Change, reg_no: str, year: int,
                      hours: Decimal | None, counts: dict[str, int | None],
                      today: date) -> PracticeYear:
    """Set a coach's coaching hours and practice counts for one calendar year (up to `today`'s)."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    check_practice_year(year, hours, today)
    for key, value in counts.items():
        if value is not None and value < 0:
            raise InvalidValue(f"--{key.replace('_', '-')}", value, _("must not be negative"))
    given = {k: v for k, v in counts.items() if v is not None}
    if hours is None and not given:
        raise InvalidValue("--hours", "", _("give --hours or at least one practice count"))
    low, clients = given.get("clients_low_literacy"), given.get("clients")
    if low is not None and clients is not None and low > clients:
        raise InvalidValue("--clients-low-literacy", low,
                           _("cannot exceed --clients ({clients})").format(clients=clients))
    record = record_store.practice_year(session, coach.id or 0, year)
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


def check_listed(item: Intervention, on: date) -> None:
    """A coach is linked to an intervention only while the register lists it (Conflict)."""
    if item.listed_since <= on and (item.listed_until is None or on <= item.listed_until):
        return
    until = f" until {item.listed_until:%d-%m-%Y}" if item.listed_until else ""
    raise Conflict(f"intervention {item.name!r} is listed from {item.listed_since:%d-%m-%Y}"
                   f"{until}, not on {on:%d-%m-%Y}: a coach can be linked to an intervention "
                   f"only while the register lists it")


def add_coach_intervention(session: Session, change: Change, reg_no: str,
                           name: str, on: date) -> Intervention:
    """Record that the coach delivers an intervention the register lists on `on` (once)."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    item = intervention_named(session, name)
    check_listed(item, on)
    if record_store.coach_intervention(session, coach.id or 0, item.id or 0) is not None:
        raise Conflict(_("coach {reg_no} already delivers {name!r}").format(
                         reg_no=reg_no, name=item.name))
    session.add(CoachIntervention(coach_id=coach.id or 0, intervention_id=item.id or 0))
    session.flush()
    history_store.record(session, change, entity="coach_intervention", action="add",
                         entity_id=item.id, coach_id=coach.id, after={"intervention": item.name})
    return item


def remove_coach_intervention(session: Session, change: Change, reg_no: str,
                              name: str) -> None:
    """Record that the coach no longer delivers the intervention."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    item = intervention_named(session, name)
    link = record_store.coach_intervention(session, coach.id or 0, item.id or 0)
    if link is None:
        raise NotFound(_("coach {reg_no} does not deliver {name!r}").format(
                         reg_no=reg_no, name=item.name))
    session.delete(link)
    history_store.record(session, change, entity="coach_intervention", action="remove",
                         entity_id=item.id, coach_id=coach.id, before={"intervention": item.name})
