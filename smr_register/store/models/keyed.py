"""The base of every table whose rows the database numbers."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Keyed(SQLModel):
    """A row known by the number the database gives it (`id`), which other tables refer to and
    history names; no table of its own. Declared once so that every table's key is the same
    column on SQLite and PostgreSQL."""

    id: int | None = Field(default=None, primary_key=True)
