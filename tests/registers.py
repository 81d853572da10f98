"""Registers for tests, on SQLite or on PostgreSQL: the same suite proves both.

Without `SMR_TEST_DATABASE_URL` a register is a SQLite file in the test's tmp_path. With it (a
PostgreSQL server on which the tests may create databases, e.g.
`postgresql://smr:smr@127.0.0.1:5432/smr`), every register is a database of its own on that
server: a copy (CREATE DATABASE ... TEMPLATE) of a template built once per session, which takes
a tenth of a second where building the register again takes seconds. A register is passed
around as a handle: a `Path` on SQLite, a URL `str` on PostgreSQL; `str(handle)` is what
`--db` takes on both. New databases collate the Dutch way (ICU nl-NL) where the server can, so
the suite proves that order and search do not depend on the database's collation. Databases
are dropped in the background while the next tests run (a DROP DATABASE takes about a second).
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

from smr_register import db

# A SQLite file, or the URL of a PostgreSQL database.
Register = Path | str

SERVER_URL = os.environ.get("SMR_TEST_DATABASE_URL") or None
ON_POSTGRESQL = SERVER_URL is not None

# Every database the tests make starts with this, then the pid of the pytest process.
PREFIX = "smr_test_"


def shown_as(register: Register) -> str:
    """How `smr` names the register in its messages: the path, or the URL, password masked."""
    return db.display_url(str(register))


class Server:
    """The PostgreSQL server named by SMR_TEST_DATABASE_URL: makes and drops databases."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(db.database_url(url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"{PREFIX}{os.getpid()}_"
        self.numbers = count(1)
        self.dutch = self._dutch_collation()
        self.doomed: queue.Queue[str | None] = queue.Queue()
        self.dropper = threading.Thread(target=self._drop_in_turn, daemon=True)
        self._drop_leftovers()
        self.dropper.start()

    def create(self, template: Register | None = None, name: str = "register") -> str:
        """A new database (empty, or a copy of `template`); returns its URL."""
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError

        database = f"{self.prefix}{next(self.numbers)}_{name}"
        clause = self.dutch if template is None else f" TEMPLATE {self._database_of(template)}"
        for attempt in range(50):
            try:
                with self.admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{database}"{clause}'))
                break
            except OperationalError as exc:  # a connection to the template is closing
                if "being accessed by other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        return self.url.set(database=database).render_as_string(hide_password=False)

    def _dutch_collation(self) -> str:
        """New databases sort the Dutch way (ICU nl-NL, PostgreSQL 15+) where the server can:
        the register must give the same order as on SQLite whatever the database's collation,
        and a binary collation (C.UTF-8, the default here) would prove nothing."""
        from sqlalchemy import text

        with self.admin.connect() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
            icu = conn.execute(text("SELECT count(*) FROM pg_collation WHERE collname = "
                                    "'nl-NL-x-icu'")).scalar_one()
        if int(version) < 150000 or not icu:
            return ""
        return " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'nl-NL'"

    def drop(self, register: Register) -> None:
        """Drop the database soon, in the background."""
        self.doomed.put(self._database_of(register))

    def close(self) -> None:
        """Wait for the background drops, then drop whatever this session left."""
        self.doomed.put(None)
        self.dropper.join()
        self._drop_leftovers(only_mine=True)
        self.admin.dispose()

    def _database_of(self, register: Register) -> str:
        from sqlalchemy.engine import make_url

        name = make_url(str(register)).database or ""
        if not name.startswith(PREFIX):
            raise ValueError(f"{shown_as(register)}: not a database the tests made")
        return f'"{name}"'

    def _drop_in_turn(self) -> None:
        while (database := self.doomed.get()) is not None:
            self._drop(database)

    def _drop(self, database: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))

    def _drop_leftovers(self, *, only_mine: bool = False) -> None:
        """Drop this session's databases, or (at the start) those of test runs that died."""
        from sqlalchemy import text

        with self.admin.connect() as conn:
            names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE "
                                      ":prefix"), {"prefix": f"{PREFIX}%"}).scalars().all()
        for name in names:
            pid = name.removeprefix(PREFIX).split("_", 1)[0]
            mine = name.startswith(self.prefix)
            if mine if only_mine else (not mine and pid.isdigit() and not _alive(int(pid))):
                self._drop(f'"{name}"')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Registers:
    """Makes registers for one test (or one module or session) and removes them afterwards."""

    def __init__(self, directory: Callable[[], Path], server: Server | None) -> None:
        self.directory = directory
        self.server = server
        self.made: list[Register] = []

    def new(self, name: str = "register") -> Register:
        """An empty database where no register exists yet (`smr init` makes one)."""
        if self.server is None:
            return self._file(name)
        return self._keep(self.server.create(name=name))

    def copy(self, template: Register, name: str = "copy") -> Register:
        """A private copy of a register that the test may change."""
        if self.server is None:
            path = self._file(name)
            shutil.copyfile(template, path)
            return path
        return self._keep(self.server.create(template, name=name))

    def close(self) -> None:
        if self.server is not None:
            for register in self.made:
                self.server.drop(register)
        self.made.clear()

    def _keep(self, register: Register) -> Register:
        self.made.append(register)
        return register

    def _file(self, name: str) -> Path:
        folder = self.directory()
        path = folder / f"{name}.sqlite"
        for number in count(2):
            if not path.exists():
                return path
            path = folder / f"{name}-{number}.sqlite"
        raise AssertionError("unreachable")


def engine_of(register: Register) -> Any:
    """An engine on the register (the caller disposes of it)."""
    return db.make_engine(db.database_url(str(register)))


def query(register: Register, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one plain SQL query, dates as ISO text (as SQLite keeps them), on either
    database."""
    from datetime import date

    from sqlalchemy import text

    engine = engine_of(register)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(sql)).all()
    finally:
        engine.dispose()
    return [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]
