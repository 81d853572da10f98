"""Profiles a coach holds (basisprofiel, pregnancy, psychiatric, SMR-Extra): attained on a date,
with the evidence and the assessing supervisor, and ended (revoked) or corrected away."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from smr_register.domain.eligibility import profile_refusal
from smr_register.domain.i18n import _, term
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
    rows = coach_store.profiles_of(session, coach.id or 0)
    held = {p.profile: p.attained_on for p in rows
            if p.ended_on is None or p.ended_on > attained_on}  # a revoked one is not held
    if any(p.profile == profile.value for p in rows):
        raise Conflict(_("coach {reg_no} already holds profile {value}").format(
                         reg_no=reg_no, value=profile.value))
    ruleset = book.in_force(attained_on)
    if profile is Profile.BASISPROFIEL:
        _check_direct_basisprofiel(session, book, coach.id or 0, reg_no, evidence)
    refusal = profile_refusal(profile.value, held.get(Profile.BASISPROFIEL.value),
                              attained_on, ruleset)
    if refusal is not None:
        raise Conflict(_("coach {reg_no}: {refusal}").format(reg_no=reg_no, refusal=refusal))
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
    history_store.save_new(session, change, held, entity="profile_held", coach_id=coach.id,
                           exclude=("id", "coach_id"))
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
        raise Conflict(_("coach {reg_no} registered on {registered}, on or after "
                         "{required_from}: the basisprofiel is attained by the basic training "
                         "and a supervisor's assessment of every role ('smr coach training', "
                         "'smr coach assess'), not recorded directly").format(
                             reg_no=reg_no, registered=format_date(registered),
                             required_from=format_date(required_from)))
    if check_text(evidence, "--evidence") is None:
        raise InvalidValue("--evidence", "", _("is required: which training or certificate "
                                               "shows the basisprofiel"))


def remove_profile(session: Session, change: Change, reg_no: str, profile: Profile,
                   reason: str, *, ending: date | None, correction: bool) -> ProfileHeld:
    """Take a profile away, in one of two acts the history tells apart: `ending` a revocation
    (held before that day, not from it on: audits of earlier dates still see it) or a
    `correction` (recorded in error: as if never held, the row goes)."""
    reason_text = check_text(reason, "--reason", required=True)
    if (ending is None) == (not correction):
        raise InvalidValue("--ending", "", _("give either --ending DATE (held until then) or "
                                             "--correction (recorded in error)"))
    coach = coach_store.coach_by_reg_no(session, reg_no)
    held = next((p for p in coach_store.profiles_of(session, coach.id or 0)
                 if p.profile == profile.value), None)
    if held is None:
        raise NotFound(_("coach {reg_no} does not hold profile {value}").format(
                         reg_no=reg_no, value=profile.value))
    before = history_store.snapshot(held, exclude=("id", "coach_id"))
    if correction:
        session.delete(held)
        history_store.record(session, change, entity="profile_held", action="correct",
                             entity_id=held.id, coach_id=coach.id, before=before,
                             reason=reason_text)
        return held
    assert ending is not None
    if held.ended_on is not None:
        raise Conflict(_("coach {reg_no}'s {profile} ended on {day} already").format(
            reg_no=reg_no, profile=term(profile.value), day=format_date(held.ended_on)))
    if ending <= held.attained_on:
        raise InvalidValue("--ending", format_date(ending), _(
            "is not after the day it was attained ({day}): a profile never held is a "
            "--correction").format(day=format_date(held.attained_on)))
    held.ended_on = ending
    history_store.save_edit(session, change, held, entity="profile_held", action="end",
                            coach_id=coach.id, before=before, reason=reason_text)
    return held
