"""Contributions: charge the year's fee, record payments, find arrears.

The decisions are the pure ones of `domain.fees`; this module reads what they need from the
store and writes what they decide, in the caller's transaction with history rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from smr_register.domain.fees import (
    Account,
    Arrear,
    ChargeDecision,
    arrears,
    cents,
    decide_charges,
    due_date,
    format_euros,
)
from smr_register.domain.i18n import _
from smr_register.domain.ruleset import RulesBook
from smr_register.domain.values import check_text, format_date
from smr_register.errors import Conflict, InvalidValue, NotFound
from smr_register.services.public import registered_coaches
from smr_register.store import coaches as coach_store
from smr_register.store import fees as fee_store
from smr_register.store.history import Change
from smr_register.store.models import FeePayment


@dataclass(frozen=True)
class ChargeRun:
    """What `fee charge` decided: per registered coach, charged or why not, and the amount."""

    year: int
    charged_on: date
    due_on: date
    rules_id: str
    amount_cents: int
    decisions: Sequence[ChargeDecision]

    def count(self, why: str) -> int:
        """How many coaches were decided `why` ("charged", "already-charged", "supervisee")."""
        return sum(1 for d in self.decisions if d.why == why)


def charge_year(session: Session, change: Change, book: RulesBook, year: int, on: date, *,
                dry_run: bool) -> ChargeRun:
    """Charge the annual fee of the rules in force on `on` to every coach registered and
    active on that date who is not charged for `year` yet (supervisees exempt where the
    rules say so). Running it again charges only those registered since."""
    if on.year < year - 1 or on.year > year + 1:
        raise InvalidValue("--on", format_date(on), _("is not within a year of {year}")
                           .format(year=year))
    rules = book.in_force(on)
    registered = [(entry.coach.id or 0, entry.coach.reg_no, entry.coach.supervisor_id is not None)
                  for entry in registered_coaches(session, on)]
    decisions = list(decide_charges(registered, fee_store.charged_coach_ids(session, year),
                                    rules))
    run = ChargeRun(year, on, due_date(on, rules), rules.id, cents(rules.annual_fee), decisions)
    if not dry_run:
        fee_store.add_charges(session, change, [
            {"coach_id": d.coach_id, "year": year, "amount_cents": run.amount_cents,
             "charged_on": on, "due_on": run.due_on, "rules_id": rules.id}
            for d in decisions if d.charged])
    return run


def record_payment(session: Session, change: Change, reg_no: str, *, year: int,
                   amount: Decimal, paid_on: date, today: date,
                   reference: str | None) -> Account:
    """Record a payment towards a coach's charge for `year`; refused when there is no such
    charge, when it would pay more than is owed, or when it is dated in the future."""
    if amount <= 0:
        raise InvalidValue("--amount", amount, _("must be more than zero"))
    if paid_on > today:
        raise InvalidValue("--date", format_date(paid_on), _("is in the future"))
    coach = coach_store.coach_by_reg_no(session, reg_no)
    charge = fee_store.charge_of(session, coach.id or 0, year)
    if charge is None:
        raise NotFound(_("coach {reg_no} has no contribution charged for {year} "
                         "(run 'smr fee charge --year {year}' first)")
                       .format(reg_no=reg_no, year=year))
    paid = fee_store.paid_towards(session, charge.id or 0)
    amount_cents = cents(amount)
    if paid + amount_cents > charge.amount_cents:
        owed = charge.amount_cents - paid
        raise Conflict(_("coach {reg_no}: EUR {amount} is more than the EUR {owed} still "
                         "owed for {year}").format(reg_no=reg_no,
                                                   amount=format_euros(amount_cents),
                                                   owed=format_euros(owed), year=year))
    fee_store.add_payment(session, change, FeePayment(
        charge_id=charge.id or 0, amount_cents=amount_cents, paid_on=paid_on,
        reference=check_text(reference, "--reference")), coach.id or 0, year)
    (account,) = fee_store.accounts(session, max(paid_on, charge.charged_on), year=year,
                                    coach_id=coach.id)
    return account


def accounts(session: Session, as_of: date, *, year: int | None = None,
             reg_no: str | None = None) -> list[Account]:
    """Charges made by `as_of` with what was paid by then (one coach's, or everyone's)."""
    coach_id = None
    if reg_no is not None:
        coach_id = coach_store.coach_by_reg_no(session, reg_no).id
    return fee_store.accounts(session, as_of, year=year, coach_id=coach_id)


def arrears_on(session: Session, as_of: date) -> list[Arrear]:
    """Every charge in arrears on `as_of`."""
    return arrears(fee_store.accounts(session, as_of), as_of)


def arrears_by_coach(session: Session, as_of: date) -> dict[str, int]:
    """Cents in arrears per registration number on `as_of` (coaches without: absent)."""
    owed: dict[str, int] = {}
    for arrear in arrears_on(session, as_of):
        reg_no = arrear.account.reg_no
        owed[reg_no] = owed.get(reg_no, 0) + arrear.account.outstanding_cents
    return owed

