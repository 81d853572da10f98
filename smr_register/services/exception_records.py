"""Quality-committee exceptions to a rule for one coach."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.domain.values import (
    check_text,
    format_date,
    non_negative,
)
from smr_register.errors import InvalidValue
from smr_register.store import coaches as coach_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import (
    RuleException,
)

# The rules an exception can name (rules.py evaluates these ids).
RULE_IDS = ("points", "spread", "hours", "basisprofiel", "supervision", "practice")


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
    session.add(item)
    session.flush()
    history_store.record(session, change, entity="rule_exception", action="add", entity_id=item.id,
                         coach_id=coach.id,
                         after=history_store.snapshot(item, exclude=("id", "coach_id")),
                         reason=item.reason)
    return item
