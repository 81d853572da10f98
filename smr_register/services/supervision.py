"""Supervision: who supervises whom, within the rules' limit and the supervisor's own standing."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from smr_register.domain import periods
from smr_register.domain.i18n import _, ngettext
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.states import state_on
from smr_register.domain.values import format_date
from smr_register.errors import Conflict, NotFound
from smr_register.services.coach_records import first_registered, registered_coach
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store import states as state_store
from smr_register.store.history import Change
from smr_register.store.models import (
    Coach,
    CoachState,
)


def check_supervisor(session: Session, book: RulesBook, supervisor: Coach, on: date,
                     field: str) -> None:
    """A supervisor is an active coach with the rules' minimum years of registration."""
    ruleset = book.in_force(on)
    state_then = state_on([state_store.spell(row) for row in
                           state_store.spells_of(session, supervisor.id or 0)], on)
    if state_then != CoachState.ACTIVE.value:
        raise Conflict(_("{field} {reg_no}: supervisor is {state_then} on {on}, not active").format(
                         field=field, reg_no=supervisor.reg_no, state_then=state_then,
                         on=format_date(on)))
    current = periods.period_on(coach_store.periods_of(session, supervisor.id or 0), on)
    if not periods.in_force(current, on):
        raise Conflict(_("{field} {reg_no}: supervisor's registration is not valid on {on}").format(
                         field=field, reg_no=supervisor.reg_no, on=format_date(on)))
    since = first_registered(session, supervisor.id or 0)
    years = periods.years_between(since, on) if since else 0
    if years < ruleset.supervisor_min_years:
        raise Conflict(ngettext("{field} {reg_no}: supervisor has {years} year of registration, "
                                "the rules require {required}",
                                "{field} {reg_no}: supervisor has {years} years of registration, "
                                "the rules require {required}", years).format(
                         field=field, reg_no=supervisor.reg_no, years=years,
                         required=ruleset.supervisor_min_years))


def assign_supervisor(session: Session, change: Change, book: RulesBook, reg_no: str,
                      supervisor_reg_no: str, on: date) -> Coach:
    """Make one coach the supervisor of another, within the rules' limit of supervisees."""
    # Two staff assigning supervisees to one supervisor at once must not both count 9 of 10.
    coach_store.lock_coach(session, supervisor_reg_no)
    supervisee = coach_store.coach_by_reg_no(session, reg_no)
    supervisor = registered_coach(session, supervisor_reg_no, "--supervisor")
    if supervisor.id == supervisee.id:
        raise Conflict(_("--supervisor {supervisor_reg_no}: a coach cannot supervise "
                         "themselves").format(
                         supervisor_reg_no=supervisor_reg_no))
    if supervisor.supervisor_id == supervisee.id:
        raise Conflict(_("--supervisor {supervisor_reg_no}: is supervised by {reg_no} "
                         "(supervision cannot go both ways)").format(
                         supervisor_reg_no=supervisor_reg_no, reg_no=reg_no))
    if supervisee.supervisor_id == supervisor.id:
        raise Conflict(_("coach {reg_no} is already supervised by {supervisor_reg_no}").format(
                         reg_no=reg_no, supervisor_reg_no=supervisor_reg_no))
    check_supervisor(session, book, supervisor, on, "--supervisor")
    limit = book.in_force(on).max_supervisees
    count = len(coach_store.supervisees_of(session, supervisor.id or 0))
    if count >= limit:
        raise Conflict(ngettext("--supervisor {supervisor_reg_no}: already supervises {count} "
                                "coach, the limit is {limit}",
                                "--supervisor {supervisor_reg_no}: already supervises {count} "
                                "coaches, the limit is {limit}", count).format(
                         supervisor_reg_no=supervisor_reg_no, count=count, limit=limit))
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
    """End a coach's supervision (the history keeps who it was)."""
    supervisee = coach_store.coach_by_reg_no(session, reg_no)
    if supervisee.supervisor_id is None:
        raise NotFound(_("coach {reg_no} has no supervisor").format(reg_no=reg_no))
    before = history_store.snapshot(supervisee)
    supervisee.supervisor_id = None
    session.add(supervisee)
    session.flush()
    history_store.record(session, change, entity="coach", action="supervisor",
                         entity_id=supervisee.id, coach_id=supervisee.id, before=before,
                         after=history_store.snapshot(supervisee), reason=reason)
    return supervisee
