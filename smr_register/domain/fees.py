"""Contributions (the annual fee): who is charged, when a charge falls due, what is in arrears.

Pure: the store hands in plain rows, the date asked is a parameter. Money is whole euro cents
(ints), so sums are exact on every database; amounts typed by people become cents here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from smr_register.domain.ruleset import RuleSet


@dataclass(frozen=True)
class ChargeDecision:
    """Whether one registered coach is charged for a year, and why not when not."""

    coach_id: int
    reg_no: str
    charged: bool
    why: str  # "charged", "already-charged" or "supervisee"


@dataclass(frozen=True)
class Account:
    """One charge with what was paid towards it up to the date asked."""

    reg_no: str
    name: str
    year: int
    amount_cents: int
    paid_cents: int
    charged_on: date
    due_on: date

    @property
    def outstanding_cents(self) -> int:
        """What is still owed (never below zero: payments cannot exceed the charge)."""
        return max(self.amount_cents - self.paid_cents, 0)


@dataclass(frozen=True)
class Arrear:
    """A charge past its due date and not paid in full on the date asked."""

    account: Account
    days_overdue: int


def cents(amount: Decimal) -> int:
    """Euros as whole cents (half a cent rounds up, as a bank does)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euros(amount_cents: int) -> Decimal:
    """Whole cents as euros with two decimals."""
    return (Decimal(amount_cents) / 100).quantize(Decimal("0.01"))


def format_euros(amount_cents: int) -> str:
    """Cents as people write an amount in euros in this tool: two decimals, e.g. 29.50."""
    return f"{euros(amount_cents):.2f}"


def due_date(charged_on: date, rules: RuleSet) -> date:
    """A charge falls due `fee_payment_days` after it is made (on the day when unset)."""
    return charged_on + timedelta(days=rules.fee_payment_days or 0)


def decide_charges(registered: Iterable[tuple[int, str, bool]], already: set[int],
                   rules: RuleSet) -> Iterator[ChargeDecision]:
    """One decision per registered coach `(coach_id, reg_no, is_supervisee)`: charged once a
    year; supervisees are not charged where the rules exempt them."""
    for coach_id, reg_no, supervisee in registered:
        if coach_id in already:
            yield ChargeDecision(coach_id, reg_no, False, "already-charged")
        elif supervisee and rules.fee_exempt_supervisees:
            yield ChargeDecision(coach_id, reg_no, False, "supervisee")
        else:
            yield ChargeDecision(coach_id, reg_no, True, "charged")


def arrears(accounts: Iterable[Account], as_of: date) -> list[Arrear]:
    """The charges in arrears on `as_of`: charged by then, due before it, not paid in full.
    Oldest due date first, then by registration number."""
    found = [Arrear(account, (as_of - account.due_on).days) for account in accounts
             if account.charged_on <= as_of and account.due_on < as_of
             and account.outstanding_cents > 0]
    return sorted(found, key=lambda a: (a.account.due_on, a.account.reg_no, a.account.year))


def blocks_renewal(outstanding_cents: int, rules: RuleSet) -> bool:
    """Arrears block a renewal only where the rules say so (a policy, off until set)."""
    return bool(rules.arrears_block_renewal) and outstanding_cents > 0
