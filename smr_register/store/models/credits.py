"""Accreditation points credited to coaches for course runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from smr_register.domain.vocabulary import CreditSource
from smr_register.store.models.columns import UTCDateTime
from smr_register.store.models.keyed import Keyed


class PointCredit(Keyed, table=True):
    """Points credited to a coach for a course run, with where the credit came from."""

    __tablename__ = "point_credit"
    __table_args__ = (UniqueConstraint("coach_id", "run_id"),)

    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    run_id: int = Field(foreign_key="course_run.id", index=True)
    points_centi: int
    source: str = Field(default=CreditSource.MANUAL.value, max_length=10)
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id", index=True)
    row_number: int | None = None
    credited_at: datetime = Field(sa_type=UTCDateTime)
