"""The contribution rules, pure: who is charged, when a charge falls due, what is in arrears."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from smr_register.domain.fees import (
    Account,
    arrears,
    blocks_renewal,
    cents,
    decide_charges,
    due_date,
    euros,
)
from smr_register.domain.ruleset import load_rules

RULES = load_rules().in_force(date(2026, 1, 1))
FIRST = load_rules().versions[0]


def account(paid: int = 0, due: date = date(2026, 3, 3)) -> Account:
    return Account("100001", "A. Coach", 2026, 6000, paid, date(2026, 2, 1), due)


def test_the_rules_file_sets_the_fee_and_its_policies_with_sources() -> None:
    assert RULES.annual_fee == Decimal("60.00")
    assert RULES.fee_exempt_supervisees is True
    assert RULES.arrears_block_renewal is False
    assert "geen contributie" in FIRST.references["fee_exempt_supervisees"]
    assert "Assumption" in FIRST.references["fee_payment_days"]


def test_a_charge_falls_due_after_the_payment_term() -> None:
    assert due_date(date(2026, 2, 1), RULES) == date(2026, 3, 3)
    assert due_date(date(2026, 2, 1), replace(RULES, fee_payment_days=None)) == date(2026, 2, 1)


def test_each_coach_is_charged_once_and_supervisees_are_exempt_where_the_rules_say() -> None:
    registered = [(1, "100001", False), (2, "100002", True), (3, "100003", False)]
    decided = {d.reg_no: d.why for d in decide_charges(registered, {3}, RULES)}
    assert decided == {"100001": "charged", "100002": "supervisee", "100003": "already-charged"}
    unset = replace(RULES, fee_exempt_supervisees=None)
    assert [d.charged for d in decide_charges(registered, set(), unset)] == [True, True, True]


def test_arrears_start_the_day_after_the_due_date() -> None:
    assert arrears([account()], date(2026, 3, 3)) == []
    (late,) = arrears([account()], date(2026, 3, 4))
    assert late.days_overdue == 1
    assert late.account.outstanding_cents == 6000


def test_part_payments_leave_the_rest_in_arrears_and_full_payment_none() -> None:
    (late,) = arrears([account(paid=3050)], date(2026, 4, 1))
    assert late.account.outstanding_cents == 2950
    assert arrears([account(paid=6000)], date(2026, 4, 1)) == []


def test_a_charge_made_after_the_date_asked_is_not_owed_then() -> None:
    assert arrears([account()], date(2026, 1, 31)) == []


def test_money_is_whole_cents() -> None:
    assert cents(Decimal("30,50".replace(",", "."))) == 3050
    assert cents(Decimal("0.005")) == 1
    assert euros(2950) == Decimal("29.50")


def test_arrears_block_a_renewal_only_where_the_rules_say() -> None:
    assert not blocks_renewal(6000, RULES)
    blocking = replace(RULES, arrears_block_renewal=True)
    assert blocks_renewal(6000, blocking)
    assert not blocks_renewal(0, blocking)
