"""Suspending, reinstating and withdrawing coaches: dated spells of the state timeline.

Each function works in the caller's transaction and writes its history row (entity
`coach_state`, the spell before and after). Spells of one coach never overlap, so the state on
any date has one answer (domain.states). A withdrawal is final: it starts on its date and has no
end; a suspension ends on the day before a reinstatement, or on its `--until` day.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from smr_register.domain.i18n import _, term
from smr_register.domain.states import SUSPENDED, WITHDRAWN
from smr_register.domain.values import check_text, format_date
from smr_register.errors import Conflict, InvalidValue
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store import states as state_store
from smr_register.store.history import Change
from smr_register.store.models import CoachStateSpell

_DAY = timedelta(days=1)


def _until(ends_on: date | None) -> str:
    return format_date(ends_on) if ends_on else "further notice"


def _record(session: Session, change: Change, action: str, row: CoachStateSpell,
            before: dict[str, object] | None, reason: str | None) -> None:
    session.add(row)
    session.flush()
    history_store.record(session, change, entity="coach_state", action=action, entity_id=row.id,
                         coach_id=row.coach_id, before=before,
                         after=history_store.snapshot(row, exclude=("id", "coach_id")),
                         reason=reason)


def suspend(session: Session, change: Change, reg_no: str, reason: str, starts_on: date,
            until: date | None) -> CoachStateSpell:
    """Suspend a coach from `starts_on` through `until` (None: until reinstated); refused when
    it would overlap a suspension or withdrawal already recorded."""
    reason_text = check_text(reason, "--reason", required=True)
    if until is not None and until < starts_on:
        raise InvalidValue("--until", format_date(until), _("is before --from {day}").format(
            day=format_date(starts_on)))
    coach = coach_store.coach_by_reg_no(session, reg_no)
    for other in state_store.spells_of(session, coach.id or 0):
        if state_store.spell(other).overlaps(starts_on, until):
            raise Conflict(_("coach {reg_no} is {state} from {start} until {until}: a "
                             "suspension from {new} would overlap it").format(
                reg_no=reg_no, state=term(other.state), start=format_date(other.starts_on),
                until=_until(other.ends_on), new=format_date(starts_on)))
    row = CoachStateSpell(coach_id=coach.id or 0, state=SUSPENDED, starts_on=starts_on,
                          ends_on=until, reason=reason_text or "")
    _record(session, change, "suspend", row, None, reason_text)
    return row


def reinstate(session: Session, change: Change, reg_no: str, on: date,
              reason: str | None) -> CoachStateSpell:
    """Make a suspended coach active again from `on`: the suspension in force the day before
    ends then. Refused when the coach is not suspended then, or is withdrawn."""
    reason_text = check_text(reason, "--reason")
    coach = coach_store.coach_by_reg_no(session, reg_no)
    spells = state_store.spells_of(session, coach.id or 0)
    for row in spells:
        if row.state == WITHDRAWN and row.starts_on <= on:
            raise Conflict(_("coach {reg_no} is withdrawn from {start}: a withdrawal is "
                             "final").format(reg_no=reg_no, start=format_date(row.starts_on)))
    found = next((row for row in spells if row.state == SUSPENDED
                  and state_store.spell(row).covers(on - _DAY)
                  and state_store.spell(row).covers(on)), None)
    if found is None:
        raise Conflict(_("coach {reg_no} is not suspended on {before} and {on}: nothing to "
                         "reinstate").format(reg_no=reg_no, before=format_date(on - _DAY),
                                             on=format_date(on)))
    before = history_store.snapshot(found, exclude=("id", "coach_id"))
    found.ends_on = on - _DAY
    _record(session, change, "reinstate", found, before, reason_text)
    return found


def withdraw(session: Session, change: Change, reg_no: str, reason: str,
             on: date) -> CoachStateSpell:
    """Withdraw a coach from `on` (final); a suspension running then ends the day before.
    Refused when the coach is withdrawn already or a suspension starts on or after `on`."""
    reason_text = check_text(reason, "--reason", required=True)
    coach = coach_store.coach_by_reg_no(session, reg_no)
    running: CoachStateSpell | None = None
    for row in state_store.spells_of(session, coach.id or 0):
        if row.state == WITHDRAWN:
            raise Conflict(_("coach {reg_no} is withdrawn already, from {start}").format(
                reg_no=reg_no, start=format_date(row.starts_on)))
        if row.starts_on >= on:
            raise Conflict(_("coach {reg_no} is suspended from {start}: withdraw after that "
                             "date, or correct the suspension first").format(
                reg_no=reg_no, start=format_date(row.starts_on)))
        if state_store.spell(row).covers(on):
            running = row
    if running is not None:
        before = history_store.snapshot(running, exclude=("id", "coach_id"))
        running.ends_on = on - _DAY
        _record(session, change, "end", running, before, reason_text)
    row = CoachStateSpell(coach_id=coach.id or 0, state=WITHDRAWN, starts_on=on, ends_on=None,
                          reason=reason_text or "")
    _record(session, change, "withdraw", row, None, reason_text)
    return row


def refuse_withdrawn(session: Session, reg_no: str, coach_id: int) -> None:
    """No credits for a withdrawn coach: a withdrawal is final, whatever its date."""
    for row in state_store.spells_of(session, coach_id):
        if row.state == WITHDRAWN:
            raise Conflict(_("coach {reg_no} is withdrawn: no credits can be added").format(
                reg_no=reg_no))
