"""Profiles a coach holds (basisprofiel, pregnancy, psychiatric, SMR-Extra): attained on a date,
with the evidence and the assessing supervisor, and taken away again."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import (
    check_text,
)
from smr_register.errors import Conflict, NotFound
from smr_register.services.coach_records import registered_coach
from smr_register.services.supervision import check_supervisor
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
    if any(p.profile == profile.value for p in coach_store.profiles_of(session, coach.id or 0)):
        raise Conflict(_("coach {reg_no} already holds profile {value}").format(
                         reg_no=reg_no, value=profile.value))
    assessor_id = None
    if assessed_by:
        assessor = registered_coach(session, assessed_by, "--assessed-by")
        if assessor.id == coach.id:
            raise Conflict(_("--assessed-by {assessed_by}: a coach "
                             "cannot assess themselves").format(
                             assessed_by=assessed_by))
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
