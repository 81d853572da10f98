"""The append-only history of every change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from smr_register.store.models.columns import UTCDateTime
from smr_register.store.models.keyed import Keyed


class History(Keyed, table=True):
    """Append-only record of every change, written in the same transaction as the change."""

    __tablename__ = "history"

    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    command: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    coach_id: int | None = Field(default=None, index=True)  # no FK: survives a purge
    action: str = Field(max_length=20)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
