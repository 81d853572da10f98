"""Annual contributions: what each coach is charged and what they paid."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from smr_register.store.models.keyed import Keyed


class FeeCharge(Keyed, table=True):
    """One coach's annual contribution for one year: charged once, paid by `FeePayment`s."""

    __tablename__ = "fee_charge"
    __table_args__ = (UniqueConstraint("coach_id", "year", name="uq_fee_charge_coach_year"),)

    coach_id: int = Field(foreign_key="coach.id", index=True)
    year: int
    amount_cents: int  # whole euro cents: exact on every database
    charged_on: date
    due_on: date
    rules_id: str = Field(max_length=20)  # the rules version whose fee was charged


class FeePayment(Keyed, table=True):
    """A payment towards one charge (part payments add up)."""

    __tablename__ = "fee_payment"

    charge_id: int = Field(foreign_key="fee_charge.id", index=True)
    amount_cents: int
    paid_on: date
    reference: str | None = Field(default=None, max_length=200)
