"""Several staff at once: who waits for whom, the same rules on SQLite and PostgreSQL.

- Every write transaction on SQLite starts with `BEGIN IMMEDIATE` (`begin_writing`): it holds
  the database's one write lock from its first read, so what a command reads is still true when
  it writes (two `import undo` of one batch cannot both see it not undone). SQLite has one
  writer at a time anyway; this only moves the wait to the start, where it can be announced.
- On PostgreSQL, writers run side by side; imports and whatever changes what an import decides
  on take `lock_imports`: a transaction-scoped advisory lock, one per database (= per register).
  Imports (attendance, agenda, coaches), `import undo`, `import resolve` and `credit add/remove`
  each hold it, so an import decides every row against credits that stay as they are until it
  commits: a second import waits, then counts the first one's credits as already credited
  instead of failing on the unique key.
- Whoever waits says so once (the `waiting` callback the command hands in) and waits up to
  `LOCK_WAIT_SECONDS`; then a DatabaseError (exit 5) says the register stayed locked.
- A deadlock or serialization failure is `Retryable` (db.transaction raises it): the whole
  command is run again a few times (cli.py) before the message reaches the user.

The store's dialect-specific SQL is here, in `text.binary`, and where PostgreSQL's
sequences and COPY are used: `transfer.reset_sequences` and `bulk` (ids reserved, rows copied).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.errors import DatabaseError

# How long a command waits for another one before it gives up (exit 5).
LOCK_WAIT_SECONDS = 600
# SQLite: how long the first attempt waits silently before the command says it is waiting.
_QUIET_WAIT_MS = 300
# SQLite's busy timeout on every connection (db._sqlite_pragmas sets it at connect).
BUSY_TIMEOUT_MS = 5000
# The advisory lock of the register's imports ("SMR" and 1).
_IMPORTS_LOCK = 0x534D5201
# SQLSTATEs worth running the command again for: deadlock detected, serialization failure.
_RETRYABLE = {"40P01", "40001"}

Waiting = Callable[[], None]


def begin_writing(session: Session, waiting: Waiting | None = None) -> None:
    """Start the session's transaction as a writer: on SQLite take the write lock now
    (BEGIN IMMEDIATE), waiting for another writer and saying so; nothing on PostgreSQL."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    said = False
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {_QUIET_WAIT_MS}")
    try:
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                    raise
                if time.monotonic() > deadline:
                    raise _still_locked() from None
                if not said and waiting is not None:
                    waiting()
                said = True
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def lock_imports(session: Session, waiting: Waiting | None = None) -> None:
    """Hold the register's imports (and credits) until the transaction ends: on PostgreSQL an
    advisory lock (waiting for another import, undo or resolve and saying so); on SQLite the
    write lock that `begin_writing` took already does it."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    if connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                          {"key": _IMPORTS_LOCK}).scalar():
        return
    if waiting is not None:
        waiting()
    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORTS_LOCK})
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
            raise _still_locked() from None
        raise
    connection.execute(text("SET LOCAL lock_timeout = 0"))


def _still_locked() -> DatabaseError:
    return DatabaseError(_("the register stayed locked by another command for "
                           "{LOCK_WAIT_SECONDS} minutes: nothing written; run it again when "
                           "that command has finished").format(
                           LOCK_WAIT_SECONDS=LOCK_WAIT_SECONDS // 60))


def retryable(exc: OperationalError) -> bool:
    """Whether the database gave up on the transaction to break a deadlock or keep it
    serializable: running the command again will most likely succeed."""
    return getattr(exc.orig, "sqlstate", None) in _RETRYABLE
