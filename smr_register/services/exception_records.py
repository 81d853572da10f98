"""Quality-committee exceptions to a rule for one coach."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.domain.values import check_text, format_date, non_negative
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    RuleException,
)

# The rules an exception can name (rules.py evaluates these ids).
RULE_IDS = ("points", "spread", "hours", "hours-spread", "basisprofiel", "education",
            "supervision", "practice")


def add_exception(session: Session, change: Change, reg_no: str, *, rule: str,
                  reason: str, decided_by: str, decided_on: date, valid_until: date | None,
                  value: Decimal | None) -> RuleException:
    """Record a quality-committee decision that waives (or, with a value, changes) one rule."""
    coach = coach_store.coach_by_reg_no(session, reg_no)
    if rule not in RULE_IDS:
        raise InvalidValue("--rule", rule, _("must be one of {RULE_IDS}").format(
                                             RULE_IDS=', '.join(RULE_IDS)))
    if valid_until is not None and valid_until < decided_on:
        raise InvalidValue("--valid-until", format_date(valid_until), _("is before the decision"))
    item = RuleException(
        coach_id=coach.id or 0, rule=rule,
        value=str(non_negative(value, "--value")) if value is not None else None,
        reason=check_text(reason, "--reason", required=True) or "",
        decided_by=check_text(decided_by, "--decided-by", required=True) or "",
        decided_on=decided_on, valid_until=valid_until,
    )
    history_store.save_new(session, change, item, entity="rule_exception", coach_id=coach.id,
                           exclude=("id", "coach_id"), reason=item.reason)
    return item


def end_exception(session: Session, change: Change, exception_id: int, on: date,
                  reason: str) -> RuleException:
    """End a quality-committee exception: it no longer applies from `on` (its last day becomes
    the day before); audits of earlier dates still cite it. The history keeps why."""
    reason_text = check_text(reason, "--reason", required=True)
    item = session.get(RuleException, exception_id)
    if item is None:
        raise NotFound(_("exception {id}: no such exception in the register (see 'smr exception "
                         "list')").format(id=exception_id))
    last = on - timedelta(days=1)
    if last < item.decided_on:
        raise InvalidValue("--on", format_date(on), _(
            "is not after the decision ({day}): the exception would never have applied"
            ).format(day=format_date(item.decided_on)))
    if item.valid_until is not None and item.valid_until <= last:
        raise Conflict(_("exception {id} ends already: its last day is {day}").format(
            id=exception_id, day=format_date(item.valid_until)))
    before = history_store.snapshot(item, exclude=("id", "coach_id"))
    item.valid_until = last
    history_store.save_edit(session, change, item, entity="rule_exception", action="end",
                            coach_id=item.coach_id, before=before, reason=reason_text)
    return item
