"""Profiles a coach holds (basisprofiel, pregnancy, psychiatric, SMR-Extra): attained on a date,
with the evidence and the assessing supervisor, and taken away again."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from smr_register import rules
from smr_register.domain.i18n import _
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import check_text, format_date
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.services.coach_records import first_registered, registered_coach
from smr_register.services.competences import check_assessor
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    Profile,
    ProfileHeld,
)


def add_profile(session: Session, change: Change, book: RulesBook, reg_no: str,
                profile: Profile, attained_on: date, evidence: str | None,
                assessed_by: str | None) -> ProfileHeld:
    """Record that a coach attained a profile, with its evidence and assessing supervisor."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    held = {p.profile: p.attained_on for p in coach_store.profiles_of(session, coach.id or 0)}
    if profile.value in held:
        raise Conflict(_("coach {reg_no} already holds profile {value}").format(
                         reg_no=reg_no, value=profile.value))
    ruleset = book.in_force(attained_on)
    if profile is Profile.BASISPROFIEL:
        _check_direct_basisprofiel(session, book, coach.id or 0, reg_no, evidence)
    refusal = rules.profile_refusal(profile.value, held.get(Profile.BASISPROFIEL.value),
                                    attained_on, ruleset)
    if refusal is not None:
        raise Conflict(f"coach {reg_no}: {refusal}")
    assessor_id = None
    if assessed_by:
        assessor = registered_coach(session, assessed_by, "--assessed-by")
        if assessor.id == coach.id:
            raise Conflict(_("--assessed-by {assessed_by}: a coach "
                             "cannot assess themselves").format(
                             assessed_by=assessed_by))
        check_assessor(session, book, assessor, attained_on, "--assessed-by")
        assessor_id = assessor.id
    held = ProfileHeld(coach_id=coach.id or 0, profile=profile.value, attained_on=attained_on,
                       evidence=check_text(evidence, "--evidence"), assessed_by_id=assessor_id)
    session.add(held)
    session.flush()
    history_store.record(session, change, entity="profile_held", action="add", entity_id=held.id,
                         coach_id=coach.id,
                         after=history_store.snapshot(held, exclude=("id", "coach_id")))
    return held


def _check_direct_basisprofiel(session: Session, book: RulesBook, coach_id: int, reg_no: str,
                               evidence: str | None) -> None:
    """Only coaches registered before the basisprofiel became required may have it recorded
    directly, with evidence; later registrants attain it by the basic training and a
    supervisor's assessment of every role (smr coach training, smr coach assess)."""
    registered = first_registered(session, coach_id)
    required_from = (book.in_force(registered).basisprofiel_required_from
                     if registered else None)
    if registered and required_from is not None and registered >= required_from:
        raise Conflict(f"coach {reg_no} registered on {format_date(registered)}, on or after "
                       f"{format_date(required_from)}: the basisprofiel is attained by the basic "
                       f"training and a supervisor's assessment of every role ('smr coach "
                       f"training', 'smr coach assess'), not recorded directly")
    if check_text(evidence, "--evidence") is None:
        raise InvalidValue("--evidence", "", "is required: which training or certificate shows "
                           "the basisprofiel")


def remove_profile(session: Session, change: Change, reg_no: str, profile: Profile,
                   reason: str) -> None:
    """Take a profile away (the history keeps what it was and why)."""
    reason_text = check_text(reason, "--reason", required=True)
    coach = coach_store.coach_by_reg_no(session, reg_no)
    held = next((p for p in coach_store.profiles_of(session, coach.id or 0)
                 if p.profile == profile.value), None)
    if held is None:
        raise NotFound(_("coach {reg_no} does not hold profile {value}").format(
                         reg_no=reg_no, value=profile.value))
    before = history_store.snapshot(held, exclude=("id", "coach_id"))
    session.delete(held)
    history_store.record(session, change, entity="profile_held", action="remove", entity_id=held.id,
                         coach_id=coach.id, before=before, reason=reason_text)
