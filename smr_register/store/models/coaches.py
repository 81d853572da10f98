"""The coaches, their registration periods and their suspensions and withdrawals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint, event
from sqlmodel import Field

from smr_register.domain.values import search_text, sort_name
from smr_register.store.models.columns import BinaryText
from smr_register.store.models.keyed import Keyed

# The columns the keys are made of.
KEY_SOURCES = ("last_name", "prefix", "initials", "first_name", "city", "practice", "reg_no")


def coach_keys(values: Mapping[str, Any]) -> dict[str, str]:
    """The stored Dutch sort key and search text of a coach with these column values: defined
    in Python (domain.values), so order and search are the same on SQLite and PostgreSQL."""
    last_name, prefix = values.get("last_name") or "", values.get("prefix")
    return {
        "sort_key": sort_name(last_name, prefix, values.get("initials")),
        "search_text": search_text(last_name, f"{prefix} {last_name}" if prefix else None,
                                   values.get("first_name"), values.get("city"),
                                   values.get("practice"), values.get("reg_no"))[:4000],
    }


def _key_default(name: str) -> Any:
    """A column default computing a key from the row's other values (Core inserts too)."""
    return lambda context: coach_keys(context.get_current_parameters())[name]


class Coach(Keyed, table=True):
    __tablename__ = "coach"
    __table_args__ = (Index("ix_coach_last_name", "last_name"),
                      Index("ix_coach_sort_key", "sort_key"))

    reg_no: str = Field(max_length=12, unique=True, index=True)
    initials: str | None = Field(default=None, max_length=20)
    first_name: str | None = Field(default=None, max_length=80)
    prefix: str | None = Field(default=None, max_length=20)
    last_name: str = Field(max_length=120)
    birth_date: date | None = None
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    big: str | None = Field(default=None, max_length=11, index=True)
    agb: str | None = Field(default=None, max_length=8)
    education: str | None = Field(default=None, max_length=10)
    practice: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=7)
    city: str | None = Field(default=None, max_length=100)
    supervisor_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    # Derived from the names (coach_keys), kept by the store, left out of model_dump (history,
    # listings): `coach list` orders and searches on them in the database.
    sort_key: str = Field(default="", exclude=True, sa_column=Column(
        BinaryText, nullable=False, server_default="", default=_key_default("sort_key")))
    search_text: str = Field(default="", exclude=True, sa_column=Column(
        Text, nullable=False, server_default="", default=_key_default("search_text")))


@event.listens_for(Coach, "before_insert")
@event.listens_for(Coach, "before_update")
def _keys_follow_names(_mapper: Any, _connection: Any, coach: Coach) -> None:
    """Every ORM write of a coach stores keys that match the names it writes."""
    names = {field: getattr(coach, field) for field in KEY_SOURCES}
    for name, value in coach_keys(names).items():
        if getattr(coach, name, None) != value:
            setattr(coach, name, value)


class CoachStateSpell(Keyed, table=True):
    """A suspension or withdrawal of a coach, dated: in force from `starts_on` through `ends_on`
    (inclusive; None: open). Spells of one coach never overlap; a coach in none is active.
    Schema 0006 (before it, the coach row held only the latest state)."""

    __tablename__ = "coach_state"

    coach_id: int = Field(foreign_key="coach.id", index=True)
    state: str = Field(max_length=10)  # suspended | withdrawn
    starts_on: date
    ends_on: date | None = None
    reason: str = Field(sa_column=Column(Text, nullable=False))


class RegistrationPeriod(Keyed, table=True):
    """One registration period; the newest (latest `starts_on`) is the current one."""

    __tablename__ = "registration_period"
    __table_args__ = (UniqueConstraint("coach_id", "starts_on"),)

    coach_id: int = Field(foreign_key="coach.id")  # indexed by the unique constraint
    starts_on: date
    valid_until: date
    renewed_on: date | None = None
