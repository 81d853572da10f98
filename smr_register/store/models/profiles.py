"""The profiles a coach holds (the basisprofiel, SMR-Extra), each from the day attained."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from smr_register.store.models.keyed import Keyed


class ProfileHeld(Keyed, table=True):
    __tablename__ = "profile_held"
    __table_args__ = (UniqueConstraint("coach_id", "profile"),)

    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    profile: str = Field(max_length=20)
    attained_on: date
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    assessed_by_id: int | None = Field(default=None, foreign_key="coach.id")
    ended_on: date | None = None  # the first day no longer held (a revocation): schema 0007
