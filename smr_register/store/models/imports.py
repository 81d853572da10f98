"""Imported files as batches, and what became of each of their rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from smr_register.store.models.columns import UTCDateTime
from smr_register.store.models.keyed import Keyed


class ImportBatch(Keyed, table=True):
    __tablename__ = "import_batch"

    kind: str = Field(max_length=20)  # attendance | agenda | coaches
    file_name: str = Field(max_length=500)
    sha256: str = Field(max_length=64, index=True)
    sheet: str | None = Field(default=None, max_length=200)
    imported_at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    rows_read: int = 0
    credited: int = 0
    held: int = 0
    rejected: int = 0
    skipped: int = 0
    duplicates: int = 0  # rows already credited (same coach and run): schema 0002
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    undo_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ImportRow(Keyed, table=True):
    """What became of one data row of an imported file, so every row is accounted for."""

    __tablename__ = "import_row"
    __table_args__ = (UniqueConstraint("batch_id", "row_number"),)

    batch_id: int = Field(foreign_key="import_batch.id")  # indexed by the unique constraint
    row_number: int
    outcome: str = Field(max_length=12)  # credited | held | rejected | skipped | duplicate
    reason: str | None = Field(default=None, max_length=40)  # stable slug
    message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    raw: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the original cells
    coach_id: int | None = Field(default=None, foreign_key="coach.id")
    run_id: int | None = Field(default=None, foreign_key="course_run.id")
    candidates: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
