"""Column types the tables share: moments in UTC and text ordered byte by byte, the same
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, String, TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, the same on every database: `timestamptz` on PostgreSQL (whatever the session's
    time zone), UTC text on SQLite (which has no zones); read back as an aware UTC datetime.
    A naive value is taken to be UTC already."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Text that orders byte by byte on every database: PostgreSQL's own collation (nl_NL, en_US)
# would ignore spaces and order differently from SQLite; "C" is binary, like SQLite's default.
BinaryText = String(400).with_variant(String(400, collation="C"), "postgresql")
