"""The PostgreSQL server of a benchmark's `--db URL`: registers there are databases of their own.

The benchmark builds its register as a SQLite file (fast, and the same rows on both), moves it
with `smr db copy --to` into a database on the server, and copies that database (CREATE
DATABASE ... TEMPLATE) for every timed run that writes, so each run starts from the same rows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from smr_register.db import database_url

SMR = [sys.executable, "-m", "smr_register"]


class Server:
    """Makes, copies and drops databases on the server of `url` (a database to connect to)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(database_url(url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def url_of(self, name: str) -> str:
        """The URL of database `name` on this server (with the password: for --db)."""
        return self.url.set(database=name).render_as_string(hide_password=False)

    def exists(self, name: str) -> bool:
        return bool(self._run("SELECT 1 FROM pg_database WHERE datname = :name", name=name))

    def create(self, name: str, template: str | None = None) -> str:
        """A new database, empty or a copy of `template`; returns its URL."""
        self.drop(name)
        self._run(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url_of(name)

    def drop(self, name: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def load(self, register: Path, name: str) -> str:
        """Database `name` holding the SQLite register's rows, through `smr db copy` (which
        compares row counts and checksums of every table before it commits)."""
        url = self.create(name)
        subprocess.run([*SMR, "--db", str(register), "db", "copy", "--to", url,
                        "--format", "json"], check=True, capture_output=True)
        self._run("VACUUM ANALYZE", database=name)
        return url

    def dispose(self) -> None:
        self.admin.dispose()

    def _run(self, sql: str, database: str | None = None, **params: Any) -> list[Any]:
        from sqlalchemy import create_engine, text

        engine = self.admin if database is None else create_engine(
            self.url_of(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.execute(text(sql), params)
                return list(result) if result.returns_rows else []
        finally:
            if engine is not self.admin:
                engine.dispose()
