"""The quality committee's exceptions to the rules, one coach and one rule each."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Text
from sqlmodel import Field

from smr_register.store.models.keyed import Keyed


class RuleException(Keyed, table=True):
    """A quality-committee decision waiving or changing one rule for one coach."""

    __tablename__ = "rule_exception"

    coach_id: int = Field(foreign_key="coach.id", index=True)
    rule: str = Field(max_length=30)
    value: str | None = Field(default=None, max_length=40)  # a changed minimum; None waives
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: str = Field(max_length=200)
    decided_on: date
    valid_until: date | None = None
