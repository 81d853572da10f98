"""The store's front door: the engine, the one transaction, the schema's version.

Only this module opens engines and sessions for writing. There is no module-level engine:
`make_engine` honours `--db`. Every write goes through `transaction`, one transaction that
commits or rolls back whole (a dry run always rolls back). The queries live beside this module,
one module per feature in `smr_register/store/`. The SQL is SQLAlchemy expressions only (no
SQLite dialect), so the same code runs on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session

from smr_register.domain.i18n import _
from smr_register.errors import Conflict, DatabaseError, Retryable

# The newest Alembic revision this version of the code knows; a test keeps it equal to the head
# of smr_register/store/migrations, so checking a register does not need to import Alembic.
SCHEMA_REVISION = "0009"


# PostgreSQL URLs as people write them (libpq's `postgresql://`, Heroku's `postgres://`) mean
# psycopg 3, the driver `pip install -e ".[postgres]"` brings; a URL naming a driver keeps it.
_DRIVER_OF_SCHEME = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def database_url(db: str) -> str:
    """`--db` takes a SQLAlchemy URL or a file path (which means SQLite)."""
    if "://" in db:
        scheme, rest = db.split("://", 1)
        return f"{_DRIVER_OF_SCHEME.get(scheme.lower(), scheme)}://{rest}"
    return f"sqlite:///{Path(db).expanduser()}"


def display_url(db: str) -> str:
    """`--db` as messages show it: a URL with its password masked (cron mails what we print)."""
    if "://" not in db:
        return db
    from sqlalchemy.engine import make_url

    try:
        return make_url(db).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: mask what looks like one
        return _PASSWORD_IN_URL.sub(r"\1***@", db)


# `scheme://user:password@` -> the password part, for URLs SQLAlchemy cannot parse.
_PASSWORD_IN_URL = re.compile(r"^([^:/]+://[^:@/]*:)[^@]*@")


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, when it does not exist (connecting would create it)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a bad URL is reported by make_engine
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA cell_size_check=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on, like every other database has."""
    try:
        engine = create_engine(url)
    except ImportError as exc:
        raise DatabaseError(_("cannot open database {display_url!r}: its driver is not "
                              "installed ({exc}); for PostgreSQL: pip install "
                              "'smr-register[postgres]'").format(
                              display_url=display_url(url), exc=exc)) from None
    except (SQLAlchemyError, ValueError) as exc:
        raise DatabaseError(_("cannot open database {display_url!r}: {without_password}").format(
                              display_url=display_url(url),
                              without_password=_without_password(str(exc), url))) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def ensure_sound(engine: Engine) -> None:
    """Refuse to write into a SQLite register whose pages fail SQLite's quick check: a write
    into a damaged file spreads the damage. About 7 ms per MiB of register (6 ms for the demo);
    `smr db check` does the full check."""
    if engine.dialect.name != "sqlite":
        return
    where = engine.url.database or "the register"
    try:
        with engine.connect() as conn:
            problems = [row[0] for row in conn.execute(text("PRAGMA quick_check(3)"))]
    except SQLAlchemyError as exc:
        problems = [str(getattr(exc, "orig", exc))]
    if problems != ["ok"]:
        raise DatabaseError(_("{where} fails its integrity check ({problems}); nothing was "
                              "written: run 'smr db check', and restore a backup ('smr db "
                              "restore FILE')").format(where=where, problems='; '.join(problems)))


def _without_password(message: str, url: str) -> str:
    """A driver's message with the URL's password taken out, should it quote the URL."""
    from sqlalchemy.engine import make_url

    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001 - an unreadable URL has no password to hide
        return message
    return message.replace(str(password), "***") if password else message


@contextmanager
def transaction(engine: Engine, *, dry_run: bool = False, checked: bool = False,
                waiting: Callable[[], None] | None = None) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back whole on any error (Ctrl-C
    included) and always in a dry run. It starts as a writer (`locks.begin_writing`: on SQLite
    it waits for another writer, calling `waiting` once). A database error raises
    DatabaseError (Retryable for a deadlock); a row that another command wrote meanwhile (a
    unique key taken) raises Conflict. A register that fails its integrity check is refused
    before anything is written (`checked`: the caller did it)."""
    from smr_register.store import locks

    if not dry_run and not checked:
        ensure_sound(engine)
    session = Session(engine, expire_on_commit=False)
    try:
        locks.begin_writing(session, waiting)
        yield session
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except OperationalError as exc:
        session.rollback()
        session.close()
        _recover(engine)
        if locks.retryable(exc):
            raise Retryable(_("the database stopped this command to end a deadlock with another "
                              "one ({sqlstate}), nothing written; run it again").format(
                              sqlstate=exc.orig.sqlstate)  # type: ignore[union-attr]
                            ) from None
        raise DatabaseError(_("database error, nothing "
                              "written: {orig}").format(orig=exc.orig)) from None
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(_("another command wrote the same {clashed} at the same moment, nothing "
                         "written; run this command again (it will see that change)").format(
                         clashed=_clashed(exc))
                       ) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _clashed(exc: IntegrityError) -> str:
    """What a unique key that another command took first belongs to, in words: PostgreSQL
    names the table (psycopg's diagnostics), SQLite in its message (`UNIQUE constraint
    failed: coach.reg_no`)."""
    table = getattr(getattr(exc.orig, "diag", None), "table_name", None)
    if table is None:
        found = re.search(r"constraint failed: (\w+)\.", str(exc.orig))
        table = found.group(1) if found else None
    return _ROW_WORDS.get(table or "", "row")


_ROW_WORDS = {
    "coach": "coach (registration or BIG number)", "registration_period": "registration period",
    "point_credit": "credit", "import_batch": "import batch", "import_row": "import row",
    "course": "course", "course_run": "course run", "provider": "provider",
    "intervention": "intervention", "coach_intervention": "intervention of a coach",
    "profile_held": "profile", "practice_year": "practice year",
    "rule_exception": "exception", "coach_state": "suspension or withdrawal",
    "decision": "notice recorded as sent",  # the one unique key of the decisions kept
}


def _recover(engine: Engine) -> None:
    """After a failed write (a full disk), make SQLite roll its journal back now. SQLite leaves
    a hot journal beside the file and restores it when the file is next opened: until then the
    file alone (what a naive backup copies) is torn. A fresh connection's first read does it."""
    if engine.dialect.name != "sqlite":
        return
    engine.dispose()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except SQLAlchemyError:
        pass  # the message of the first failure is the one to show
    finally:
        engine.dispose()


def shareable_across_threads(session: Session) -> bool:
    """Whether the session's connection may be used by another thread than the one that
    opened it (an import's background writer): not with the pool SQLAlchemy keeps per thread
    (SQLite in memory)."""
    from sqlalchemy.pool import SingletonThreadPool

    return not isinstance(getattr(session.get_bind(), "pool", None), SingletonThreadPool)


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the register is at, or None for an empty (uninitialised) database."""
    from sqlalchemy.exc import ProgrammingError

    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            found = sorted(versions)
    except (OperationalError, ProgrammingError) as exc:
        # No alembic_version table: an empty database, or not a register (check_schema says).
        if "alembic_version" in str(exc.orig):
            return None
        where = (engine.url.database if engine.dialect.name == "sqlite"
                 else engine.url.render_as_string(hide_password=True))
        raise DatabaseError(_("cannot read the register at {where}: {orig}").format(
            where=where, orig=exc.orig)) from None
    if len(found) > 1:  # two versions at once: a failed or hand-made change; trust neither
        raise DatabaseError(_("the register's version table names {count} schema versions "
                              "({found}); run 'smr db check' and restore a backup").format(
                              count=len(found), found=', '.join(found)))
    return found[0] if found else None


def check_schema(engine: Engine, db_label: str) -> None:
    """Refuse to touch a register that is empty, older or newer than this code."""
    revision = schema_revision(engine)
    if revision is None:
        raise DatabaseError(_("{db_label} is not an initialised "
                              "register: run 'smr init' first").format(
                              db_label=db_label))
    if revision != SCHEMA_REVISION:
        known = _known_revisions()
        if revision in known:
            raise DatabaseError(_("{db_label} is at schema {revision} and needs an upgrade to "
                                  "{SCHEMA_REVISION}: run 'smr db "
                                  "upgrade' (every row is kept)").format(
                                  db_label=db_label, revision=revision,
                                  SCHEMA_REVISION=SCHEMA_REVISION))
        raise DatabaseError(_("{db_label} is at schema {revision}, newer than this version of "
                              "smr-register knows "
                              "({SCHEMA_REVISION}): upgrade smr-register").format(
                              db_label=db_label, revision=revision,
                              SCHEMA_REVISION=SCHEMA_REVISION))


def known_revisions() -> set[str]:
    """The schema revisions this code has migrations for."""
    return _known_revisions()


def guarded(db_label: str, work: Any) -> Any:
    """Run `work()`; a file that is not a register or is damaged becomes exit 5 naming it."""
    from sqlalchemy.exc import DatabaseError as DriverError

    try:
        return work()
    except DriverError as exc:
        raise DatabaseError(_("{db_label} cannot be used as a register ({orig}): run 'smr db "
                              "check', and restore a backup ('smr db restore FILE') if it is "
                              "damaged").format(db_label=db_label, orig=exc.orig)) from None


def _known_revisions() -> set[str]:
    versions = Path(__file__).parent / "store" / "migrations" / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("*.py") if p.name[0].isdigit()}


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "store" / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the schema to `revision` through the migrations, all or nothing; returns
    (before, after)."""
    from alembic import command
    from alembic.util.exc import CommandError

    before = schema_revision(engine)
    if before is not None and before not in known_revisions():
        raise DatabaseError(_("the register is at schema {before}, newer than this version of "
                              "smr-register knows "
                              "({SCHEMA_REVISION}): upgrade smr-register").format(
                              before=before, SCHEMA_REVISION=SCHEMA_REVISION))
    migrating = _transactional_ddl(engine)
    try:
        command.upgrade(_alembic_config(migrating), revision)
    except (SQLAlchemyError, CommandError) as exc:
        raise DatabaseError(_("upgrade failed, nothing changed: {reason}").format(
                              reason=getattr(exc, 'orig', exc))
                            ) from None
    finally:
        if migrating is not engine:
            migrating.dispose()
    return before, schema_revision(engine)


def _transactional_ddl(engine: Engine) -> Engine:
    """An engine whose transactions hold DDL too. Python's sqlite3 module commits a CREATE or
    DROP on its own (it only opens transactions for DML), so a failed migration used to leave
    half a schema; here we say BEGIN ourselves, as SQLAlchemy's pysqlite notes advise."""
    if engine.dialect.name != "sqlite":
        return engine
    migrating = create_engine(engine.url)
    event.listen(migrating, "connect", _sqlite_pragmas)

    @event.listens_for(migrating, "connect")
    def _autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(migrating, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating


def is_empty(engine: Engine) -> bool:
    """Whether the database has no tables at all (`smr init` creates a register only there)."""
    return not inspect(engine).get_table_names()


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered: tests compare dumps to prove nothing was written."""
    from sqlalchemy import MetaData

    result: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        actual = MetaData()
        actual.reflect(conn)  # the tables as they are, whatever schema version
        for table in actual.sorted_tables:
            rows = conn.execute(select(table)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result
