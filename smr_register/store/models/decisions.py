"""Decisions as they were taken, with the findings they were taken on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from smr_register.store.models.columns import UTCDateTime
from smr_register.store.models.keyed import Keyed


class DecisionRecord(Keyed, table=True):
    """A decision as it was taken: a renewal, a refused renewal, a notice recorded as sent, a
    coach drawn for a spot check. `findings` holds the coach's assessment on `decided_on` (the
    COACH object of the audit's JSON), so a later correction of the facts never changes what
    the register shows was decided and why. Append-only; a purge blanks only who it was."""

    __tablename__ = "decision"

    kind: str = Field(max_length=12)  # renewal | refusal | notice | sample
    coach_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    reg_no: str = Field(max_length=12)  # as it was on the day
    decided_on: date  # the evaluation date the decision was taken on
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    command: str = Field(max_length=60)
    rules_version: str = Field(max_length=40)
    why: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    findings: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the audit's COACH
    # A notice's stage of one deadline of one coach (`12:period-end:2026-12-01:2`): never
    # recorded twice.
    notice_key: str | None = Field(default=None, max_length=80, unique=True)
