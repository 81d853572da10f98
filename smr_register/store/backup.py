"""`smr db backup` and `smr db restore`: copies that are whole even while others write.

A copy of the `.sqlite` file alone, taken while an import writes, can be torn (the journal holds
the other half). SQLite's online backup API copies a consistent snapshot page by page under the
database's own locks, so both directions use it: backup copies the live register into a new file,
restore copies a checked backup into the live register (other connections see the old register or
the new one, never a mix). Each copy is checked (`integrity.check`) before it is trusted.
On PostgreSQL, `pg_dump` and `pg_restore` are the tools; backup runs `pg_dump` when it is on PATH.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from smr_register.domain.i18n import _
from smr_register.errors import DatabaseError, InputFileError
from smr_register.store import integrity


@dataclass(frozen=True)
class Copy:
    """What a backup or restore holds: its file, schema revision and rows per table."""

    path: Path
    revision: str | None
    counts: dict[str, int]


def sqlite_file(engine: Engine) -> Path | None:
    """The register's file, or None when the register is not a SQLite file."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _copy_pages(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    with target:
        source.backup(target)


def _open(path: Path) -> sqlite3.Connection:
    # uri with mode=ro: checking a backup must never create or change it
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def inspect_copy(path: Path, known: set[str], newest: str,
                 make_engine: Callable[[str], Engine]) -> Copy:
    """Check a copy of a register: a SQLite database, sound pages, a schema we can read."""
    try:
        with closing(_open(path)) as conn:
            pages = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone()
                        if "alembic_version" in tables else None)
    except sqlite3.DatabaseError as exc:
        raise InputFileError(_("{path}: not a readable register ({exc})").format(
                               path=path, exc=exc)) from None
    if pages != ["ok"]:
        raise InputFileError(_("{path}: fails its integrity check: {pages}").format(
                               path=path, pages='; '.join(pages[:5])))
    if revision is None:
        raise InputFileError(_("{path}: not a register (no schema version)").format(path=path))
    if revision[0] not in known:
        raise InputFileError(_("{path}: schema {revision} is newer than this version of "
                               "smr-register knows ({newest}): upgrade smr-register first").format(
                               path=path, revision=revision[0], newest=newest))
    engine = make_engine(f"sqlite:///{path}")
    try:
        findings = integrity.check(engine, known)
        if findings:
            raise InputFileError(f"{path}: fails the register's checks: "
                                 + "; ".join(f"{f.check}: {f.detail}" for f in findings[:3]))
        return Copy(path, revision[0], integrity.table_counts(engine))
    finally:
        engine.dispose()


def backup_sqlite(engine: Engine, target: Path) -> None:
    """Copy the live register into `target` (a new file) through the online backup API."""
    source = sqlite_file(engine)
    assert source is not None
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            _copy_pages(src, dst)
        partial.replace(target)
    except OSError as exc:
        raise InputFileError(_("{target}: cannot write the backup ({exc})").format(
                               target=target, exc=exc.strerror or exc)
                             ) from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(_("{source}: cannot read the register for a backup ({exc}); run "
                              "'smr db check'").format(source=source, exc=exc)) from None
    finally:
        partial.unlink(missing_ok=True)


def backup_postgresql(engine: Engine, target: Path) -> None:
    """`pg_dump` in its custom format, the password through the environment, not argv."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseError(_("this register is on PostgreSQL: make backups with pg_dump (it is "
                              "not on PATH here), e.g. pg_dump --format=custom"))
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url._replace(drivername="postgresql", password=None)  # set() cannot unset
    result = subprocess.run(  # noqa: S603 - fixed program, no shell
        [pg_dump, "--format=custom", "--file", str(target),
         plain.render_as_string(hide_password=True)],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise DatabaseError(_("pg_dump failed: {result}").format(result=result.stderr.strip()))


def replaced_name(register: Path, now: datetime) -> Path:
    """Where restore keeps the register it replaces: beside it, dated to the second."""
    return register.with_name(f"{register.name}.replaced-{now:%Y%m%d-%H%M%S}")


def restore_sqlite(engine: Engine, backup: Path, keep_as: Path) -> None:
    """Keep the live register as `keep_as`, then copy `backup` into it, each by the backup API."""
    register = sqlite_file(engine)
    assert register is not None
    engine.dispose()
    try:
        with closing(sqlite3.connect(register)) as live:
            with closing(sqlite3.connect(keep_as)) as kept:
                _copy_pages(live, kept)
            with closing(_open(backup)) as source:
                _copy_pages(source, live)
    except OSError as exc:
        raise InputFileError(_("cannot restore: {exc}").format(exc=exc.strerror or exc)) from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(_("{register}: restore failed, the "
                              "register is unchanged ({exc})").format(
                              register=register, exc=exc)
                            ) from None
