"""Queries and writes of contributions: charges per coach and year, payments towards them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from smr_register.domain.fees import Account, format_euros
from smr_register.domain.values import full_name
from smr_register.store.bulk import insert_new
from smr_register.store.history import Change, history_values, insert_history
from smr_register.store.models import Coach, FeeCharge, FeePayment


def charged_coach_ids(session: Session, year: int) -> set[int]:
    """The coaches already charged for `year`."""
    return set(session.scalars(select(FeeCharge.coach_id).where(FeeCharge.year == year)))


def add_charges(session: Session, change: Change, charges: Sequence[dict[str, Any]]) -> None:
    """Write many charges (column values by name) with one history row each, at once: a
    year's charge run covers the whole register."""
    rows = [dict(charge) for charge in charges]
    insert_new(session, FeeCharge.__table__, rows)
    insert_history(session, [history_values(
        change, entity="fee_charge", action="charge", entity_id=row["id"],
        coach_id=row["coach_id"],
        after={"year": row["year"], "amount": format_euros(row["amount_cents"]),
               "charged_on": row["charged_on"].isoformat(), "due_on": row["due_on"].isoformat(),
               "rules_id": row["rules_id"]}) for row in rows])


def charge_of(session: Session, coach_id: int, year: int) -> FeeCharge | None:
    """One coach's charge for one year, if made."""
    return session.scalars(select(FeeCharge).where(FeeCharge.coach_id == coach_id,
                                                   FeeCharge.year == year)).first()


def paid_towards(session: Session, charge_id: int) -> int:
    """Cents paid towards one charge so far (on any date)."""
    total = session.execute(select(func.sum(FeePayment.amount_cents))
                            .where(FeePayment.charge_id == charge_id)).scalar()
    return int(total or 0)


def add_payment(session: Session, change: Change, payment: FeePayment, coach_id: int,
                year: int) -> None:
    """Write one payment with its history row."""
    session.add(payment)
    session.flush()
    insert_history(session, [history_values(
        change, entity="fee_payment", action="pay", entity_id=payment.id, coach_id=coach_id,
        after={"year": year, "amount": format_euros(payment.amount_cents),
               "paid_on": payment.paid_on.isoformat(), "reference": payment.reference},
        reason=payment.reference)])


def accounts(session: Session, as_of: date, *, year: int | None = None,
             coach_id: int | None = None) -> list[Account]:
    """Every charge made by `as_of` with the payments made by then, in Dutch name order."""
    paid = (select(FeePayment.charge_id, func.sum(FeePayment.amount_cents).label("paid"))
            .where(FeePayment.paid_on <= as_of).group_by(FeePayment.charge_id).subquery())
    stmt = (select(Coach.reg_no, Coach.initials, Coach.prefix, Coach.last_name, FeeCharge.year,
                   FeeCharge.amount_cents, func.coalesce(paid.c.paid, 0), FeeCharge.charged_on,
                   FeeCharge.due_on)
            .join(Coach, Coach.id == FeeCharge.coach_id)
            .outerjoin(paid, paid.c.charge_id == FeeCharge.id)
            .where(FeeCharge.charged_on <= as_of)
            .order_by(Coach.sort_key, Coach.reg_no, FeeCharge.year))
    if year is not None:
        stmt = stmt.where(FeeCharge.year == year)
    if coach_id is not None:
        stmt = stmt.where(FeeCharge.coach_id == coach_id)
    return [Account(reg_no, full_name(initials, prefix, last_name), charge_year, amount,
                    int(paid_cents), charged_on, due_on)
            for reg_no, initials, prefix, last_name, charge_year, amount, paid_cents,
            charged_on, due_on in session.execute(stmt)]

