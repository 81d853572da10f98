"""Alembic environment: runs against the engine `db.upgrade` hands over, never a fixed URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from smr_register.store.models import load_all

load_all()  # every table on SQLModel.metadata

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run_migrations_online()
