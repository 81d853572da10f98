"""The engine, the schema's version and the register's queries.

Only this module opens engines. There is no module-level engine: `make_engine` honours `--db`.
Every write goes through `session_scope`, one transaction that commits or rolls back whole.
The SQL is SQLAlchemy expressions only (no SQLite dialect), so the same code runs on PostgreSQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, inspect, or_, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, SQLModel

from smr_register.errors import DatabaseError, NotFound
from smr_register.store.models import (
    Coach,
    CoachIntervention,
    Course,
    CourseRun,
    History,
    Intervention,
    PointCredit,
    PracticeYear,
    ProfileHeld,
    Provider,
    RegistrationPeriod,
    RuleException,
)

# The newest Alembic revision this version of the code knows; a test keeps it equal to the head
# of smr_register/store/migrations, so checking a register does not need to import Alembic.
SCHEMA_REVISION = "0004"


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
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on, like every other database has."""
    try:
        engine = create_engine(url)
    except ImportError as exc:
        raise DatabaseError(f"cannot open database {display_url(url)!r}: its driver is not "
                            f"installed ({exc}); for PostgreSQL: pip install "
                            "'smr-register[postgres]'") from None
    except (SQLAlchemyError, ValueError) as exc:
        raise DatabaseError(f"cannot open database {display_url(url)!r}: "
                            f"{_without_password(str(exc), url)}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _without_password(message: str, url: str) -> str:
    """A driver's message with the URL's password taken out, should it quote the URL."""
    from sqlalchemy.engine import make_url

    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001 - an unreadable URL has no password to hide
        return message
    return message.replace(str(password), "***") if password else message


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back on any exception."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise DatabaseError(f"database error: {exc.orig}") from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the register is at, or None for an empty (uninitialised) database."""
    from sqlalchemy.exc import ProgrammingError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        # No alembic_version table: an empty database, or not a register (check_schema says).
        if "alembic_version" in str(exc.orig):
            return None
        raise DatabaseError(f"cannot read the register: {exc.orig}") from None


def check_schema(engine: Engine, db_label: str) -> None:
    """Refuse to touch a register that is empty, older or newer than this code."""
    revision = schema_revision(engine)
    if revision is None:
        raise DatabaseError(f"{db_label} is not an initialised register: run 'smr init' first")
    if revision != SCHEMA_REVISION:
        known = _known_revisions()
        if revision in known:
            raise DatabaseError(f"{db_label} is at schema {revision} and needs an upgrade to "
                                f"{SCHEMA_REVISION}: run 'smr db upgrade' (every row is kept)")
        raise DatabaseError(f"{db_label} is at schema {revision}, newer than this version of "
                            f"smr-register knows ({SCHEMA_REVISION}): upgrade smr-register")


def known_revisions() -> set[str]:
    """The schema revisions this code has migrations for."""
    return _known_revisions()


def guarded(db_label: str, work: Any) -> Any:
    """Run `work()`; a file that is not a register or is damaged becomes exit 5 naming it."""
    from sqlalchemy.exc import DatabaseError as DriverError

    try:
        return work()
    except DriverError as exc:
        raise DatabaseError(f"{db_label} cannot be used as a register ({exc.orig}): run "
                            "'smr db check', and restore a backup ('smr db restore FILE') "
                            "if it is damaged") from None


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
        raise DatabaseError(f"the register is at schema {before}, newer than this version of "
                            f"smr-register knows ({SCHEMA_REVISION}): upgrade smr-register")
    migrating = _transactional_ddl(engine)
    try:
        command.upgrade(_alembic_config(migrating), revision)
    except (SQLAlchemyError, CommandError) as exc:
        raise DatabaseError(f"upgrade failed, nothing changed: {getattr(exc, 'orig', exc)}"
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
    return not inspect(engine).get_table_names()


def metadata() -> Any:
    return SQLModel.metadata


# --------------------------------------------------------------------------------------------
# History


@dataclass(frozen=True)
class Change:
    """Who makes a change and through which command: stamped on every history row."""

    actor: str
    command: str
    at: datetime

    @classmethod
    def now(cls, actor: str, command: str) -> Change:
        return cls(actor=actor, command=command, at=datetime.now(UTC))


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(row: SQLModel | None, exclude: Sequence[str] = ()) -> dict[str, Any] | None:
    """A row's columns as JSON-ready values, for the before/after of a history row."""
    if row is None:
        return None
    out: dict[str, Any] = {}
    for key, value in row.model_dump().items():
        if key in exclude:
            continue
        if key.endswith("_centi"):  # people read 42.5 hours, not 4250 hundredths
            out[key.removesuffix("_centi")] = None if value is None else str(value / 100)
        else:
            out[key] = _jsonable(value)
    return out


def record(
    session: Session,
    change: Change,
    *,
    entity: str,
    action: str,
    entity_id: int | None = None,
    coach_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Append one history row in the caller's transaction."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    elif after is not None:
        after = {k: v for k, v in after.items() if v is not None}
    session.add(History(
        at=change.at,
        actor=change.actor,
        command=change.command,
        entity=entity,
        entity_id=entity_id,
        coach_id=coach_id,
        action=action,
        before=json.dumps(before, sort_keys=True, ensure_ascii=False) if before else None,
        after=json.dumps(after, sort_keys=True, ensure_ascii=False) if after else None,
        reason=reason,
    ))


def history_of(session: Session, coach_id: int) -> list[History]:
    stmt = select(History).where(History.coach_id == coach_id).order_by(History.at, History.id)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------------------------
# Coaches


def coach_by_reg_no(session: Session, reg_no: str) -> Coach:
    """The coach with this registration number; raises NotFound naming it."""
    coach = find_coach(session, reg_no)
    if coach is None:
        raise NotFound(f"registration number {reg_no}: no such coach in the register")
    return coach


def find_coach(session: Session, reg_no: str) -> Coach | None:
    return session.scalars(select(Coach).where(Coach.reg_no == reg_no)).first()


def coach_by_id(session: Session, coach_id: int) -> Coach:
    coach = session.get(Coach, coach_id)
    if coach is None:
        raise NotFound(f"coach id {coach_id}: no such coach in the register")
    return coach


def coach_with_big(session: Session, big: str) -> Coach | None:
    return session.scalars(select(Coach).where(Coach.big == big)).first()


def list_coaches(
    session: Session, *, state: str | None = None, search: str | None = None
) -> list[Coach]:
    """Coaches in Dutch name order (last name without prefix); `search` matches names, numbers."""
    stmt = select(Coach)
    if state:
        stmt = stmt.where(Coach.state == state)
    if search:
        pattern = f"%{search.casefold()}%"
        stmt = stmt.where(or_(
            func.lower(Coach.last_name).like(pattern),
            func.lower(Coach.first_name).like(pattern),
            func.lower(Coach.city).like(pattern),
            func.lower(Coach.practice).like(pattern),
            Coach.reg_no.like(f"%{search}%"),
        ))
    stmt = stmt.order_by(func.lower(Coach.last_name), Coach.initials, Coach.reg_no)
    return list(session.scalars(stmt))


def periods_of(session: Session, coach_id: int) -> list[RegistrationPeriod]:
    stmt = (select(RegistrationPeriod).where(RegistrationPeriod.coach_id == coach_id)
            .order_by(RegistrationPeriod.starts_on))
    return list(session.scalars(stmt))


def current_periods(session: Session, coach_ids: Sequence[int]) -> dict[int, RegistrationPeriod]:
    """The newest period of each coach (by start date)."""
    result: dict[int, RegistrationPeriod] = {}
    if not coach_ids:
        return result
    stmt = (select(RegistrationPeriod).where(RegistrationPeriod.coach_id.in_(coach_ids))
            .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
    for period in session.scalars(stmt):
        result[period.coach_id] = period
    return result


def supervisees_of(session: Session, supervisor_id: int) -> list[Coach]:
    stmt = select(Coach).where(Coach.supervisor_id == supervisor_id).order_by(Coach.reg_no)
    return list(session.scalars(stmt))


def profiles_of(session: Session, coach_id: int) -> list[ProfileHeld]:
    stmt = select(ProfileHeld).where(ProfileHeld.coach_id == coach_id).order_by(
        ProfileHeld.attained_on)
    return list(session.scalars(stmt))


def practice_years_of(session: Session, coach_id: int) -> list[PracticeYear]:
    stmt = select(PracticeYear).where(PracticeYear.coach_id == coach_id).order_by(
        PracticeYear.year)
    return list(session.scalars(stmt))


def practice_year(session: Session, coach_id: int, year: int) -> PracticeYear | None:
    stmt = select(PracticeYear).where(PracticeYear.coach_id == coach_id,
                                      PracticeYear.year == year)
    return session.scalars(stmt).first()


@dataclass(frozen=True)
class CreditLine:
    """A credit with its course and run, as `coach show` and the audit need it."""

    credit: PointCredit
    run: CourseRun
    course: Course


def credits_of(session: Session, coach_id: int) -> list[CreditLine]:
    stmt = (select(PointCredit, CourseRun, Course)
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .join(Course, CourseRun.course_id == Course.id)
            .where(PointCredit.coach_id == coach_id)
            .order_by(CourseRun.run_date, Course.code))
    return [CreditLine(c, r, k) for c, r, k in session.execute(stmt)]


def exceptions_of(session: Session, coach_id: int) -> list[RuleException]:
    stmt = select(RuleException).where(RuleException.coach_id == coach_id).order_by(
        RuleException.decided_on, RuleException.id)
    return list(session.scalars(stmt))


def interventions_of(session: Session, coach_id: int) -> list[Intervention]:
    stmt = (select(Intervention).join(CoachIntervention,
                                      CoachIntervention.intervention_id == Intervention.id)
            .where(CoachIntervention.coach_id == coach_id).order_by(Intervention.name))
    return list(session.scalars(stmt))


def coach_intervention(session: Session, coach_id: int,
                       intervention_id: int) -> CoachIntervention | None:
    return session.get(CoachIntervention, (coach_id, intervention_id))


# --------------------------------------------------------------------------------------------
# Training agenda and interventions


def provider_by_name(session: Session, name: str) -> Provider | None:
    stmt = select(Provider).where(func.lower(Provider.name) == name.casefold())
    return session.scalars(stmt).first()


def list_providers(session: Session) -> list[Provider]:
    return list(session.scalars(select(Provider).order_by(Provider.name)))


def course_by_code(session: Session, code: str) -> Course | None:
    stmt = select(Course).where(func.upper(Course.code) == code.strip().upper())
    return session.scalars(stmt).first()


def run_of(session: Session, course_id: int, run_date: date) -> CourseRun | None:
    stmt = select(CourseRun).where(CourseRun.course_id == course_id,
                                   CourseRun.run_date == run_date)
    return session.scalars(stmt).first()


@dataclass(frozen=True)
class AgendaLine:
    course: Course
    provider: Provider
    runs: list[CourseRun]


def agenda(session: Session) -> list[AgendaLine]:
    """The training agenda: every course with its provider and runs, by course code."""
    courses = session.execute(select(Course, Provider).join(
        Provider, Course.provider_id == Provider.id).order_by(Course.code)).all()
    runs: dict[int, list[CourseRun]] = {}
    for run in session.scalars(select(CourseRun).order_by(CourseRun.run_date)):
        runs.setdefault(run.course_id, []).append(run)
    return [AgendaLine(course, provider, runs.get(course.id or 0, []))
            for course, provider in courses]


def intervention_by_name(session: Session, name: str) -> Intervention | None:
    stmt = select(Intervention).where(func.lower(Intervention.name) == name.casefold())
    return session.scalars(stmt).first()


def list_interventions(session: Session) -> list[Intervention]:
    return list(session.scalars(select(Intervention).order_by(Intervention.name)))


def credit_for(session: Session, coach_id: int, run_id: int) -> PointCredit | None:
    stmt = select(PointCredit).where(PointCredit.coach_id == coach_id,
                                     PointCredit.run_id == run_id)
    return session.scalars(stmt).first()


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


def profiles_by_coach(session: Session, coach_ids: Sequence[int]) -> dict[int, list[str]]:
    """Profile names per coach, for listings (one query, not one per coach)."""
    result: dict[int, list[str]] = {}
    if not coach_ids:
        return result
    stmt = (select(ProfileHeld.coach_id, ProfileHeld.profile)
            .where(ProfileHeld.coach_id.in_(coach_ids))
            .order_by(ProfileHeld.coach_id, ProfileHeld.profile))
    for coach_id, profile in session.execute(stmt):
        result.setdefault(coach_id, []).append(profile)
    return result


def first_registered(session: Session, coach_ids: Sequence[int]) -> dict[int, date]:
    """The start of each coach's first period: 'registered since'."""
    stmt = (select(RegistrationPeriod.coach_id, func.min(RegistrationPeriod.starts_on))
            .where(RegistrationPeriod.coach_id.in_(coach_ids))
            .group_by(RegistrationPeriod.coach_id))
    return dict(session.execute(stmt).all()) if coach_ids else {}


def exception_rows(session: Session, reg_no: str | None) -> list[dict[str, Any]]:
    stmt = select(RuleException, Coach.reg_no).join(Coach, RuleException.coach_id == Coach.id)
    if reg_no:
        stmt = stmt.where(Coach.reg_no == reg_no)
    stmt = stmt.order_by(Coach.reg_no, RuleException.decided_on, RuleException.id)
    return [{"reg_no": number, **item.model_dump(exclude={"id", "coach_id"})}
            for item, number in session.execute(stmt)]


def supervisor_rows(session: Session) -> list[dict[str, Any]]:
    """Each supervisor with the registration numbers of their supervisees."""
    from sqlalchemy.orm import aliased

    supervisee = aliased(Coach)
    stmt = (select(Coach, supervisee.reg_no).join(supervisee, supervisee.supervisor_id == Coach.id)
            .order_by(func.lower(Coach.last_name), Coach.reg_no, supervisee.reg_no))
    rows: dict[int, dict[str, Any]] = {}
    for supervisor, number in session.execute(stmt):
        row = rows.setdefault(supervisor.id or 0, {
            "supervisor": supervisor.reg_no,
            "name": " ".join(p for p in (supervisor.initials, supervisor.prefix,
                                         supervisor.last_name) if p),
            "supervisees": [],
        })
        row["supervisees"].append(number)
    return [{**row, "count": len(row["supervisees"])} for row in rows.values()]


# --------------------------------------------------------------------------------------------
# Audit and renewal (issue 4): Core selects, each ordered by coach id, so the audit streams the
# register in one pass per table and never holds more than one coach's rows (audit.py merges
# them). `coach_ids` narrows each select to a chunk of coaches (one coach, --due-within).


def _for_coaches(stmt: Any, column: Any, coach_ids: Sequence[int] | None) -> Any:
    return stmt if coach_ids is None else stmt.where(column.in_(coach_ids))


def audit_coaches(as_of: date, coach_ids: Sequence[int] | None = None) -> Any:
    """Coaches with their supervisor's state and period on `as_of` and their supervisee count."""
    from sqlalchemy.orm import aliased

    supervisor = aliased(Coach)
    supervisee = aliased(Coach)
    newest = (select(RegistrationPeriod.starts_on, RegistrationPeriod.valid_until)
              .where(RegistrationPeriod.coach_id == supervisor.id,
                     RegistrationPeriod.starts_on <= as_of)
              .order_by(RegistrationPeriod.starts_on.desc()).limit(1))
    supervisor_start = newest.with_only_columns(RegistrationPeriod.starts_on).scalar_subquery()
    supervisor_until = newest.with_only_columns(RegistrationPeriod.valid_until).scalar_subquery()
    supervisees = (select(func.count()).select_from(supervisee)
                   .where(supervisee.supervisor_id == Coach.id).scalar_subquery())
    stmt = (select(Coach.id, Coach.reg_no, Coach.initials, Coach.prefix, Coach.last_name,
                   Coach.state, Coach.state_date, supervisor.reg_no, supervisor.state,
                   supervisor.state_date, supervisor_start, supervisor_until, supervisees)
            .outerjoin(supervisor, Coach.supervisor_id == supervisor.id)
            .order_by(Coach.id))
    return _for_coaches(stmt, Coach.id, coach_ids)


def audit_periods(coach_ids: Sequence[int] | None = None) -> Any:
    stmt = (select(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on,
                   RegistrationPeriod.valid_until, RegistrationPeriod.renewed_on)
            .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
    return _for_coaches(stmt, RegistrationPeriod.coach_id, coach_ids)


def audit_profiles(coach_ids: Sequence[int] | None = None) -> Any:
    stmt = (select(ProfileHeld.coach_id, ProfileHeld.profile, ProfileHeld.attained_on)
            .order_by(ProfileHeld.coach_id))
    return _for_coaches(stmt, ProfileHeld.coach_id, coach_ids)


def audit_practice(coach_ids: Sequence[int] | None = None) -> Any:
    stmt = (select(PracticeYear.coach_id, PracticeYear.year, PracticeYear.hours_centi,
                   PracticeYear.clients, PracticeYear.clients_low_literacy, PracticeYear.intakes,
                   PracticeYear.integral_trajectories,
                   PracticeYear.pharmacotherapy_trajectories, PracticeYear.referrals)
            .order_by(PracticeYear.coach_id if coach_ids else _scan_order(PracticeYear.coach_id)))
    return _for_coaches(stmt, PracticeYear.coach_id, coach_ids)


def audit_exceptions(coach_ids: Sequence[int] | None = None) -> Any:
    stmt = (select(RuleException.coach_id, RuleException.rule, RuleException.value,
                   RuleException.reason, RuleException.decided_by, RuleException.decided_on,
                   RuleException.valid_until)
            .order_by(RuleException.coach_id, RuleException.decided_on, RuleException.id))
    return _for_coaches(stmt, RuleException.coach_id, coach_ids)


def _scan_order(column: Any) -> Any:
    """Order a whole table by an expression, not by the indexed column itself.

    Walking the coach_id index costs one random row lookup per row, and SQLite picks that plan:
    on a register larger than the page cache it is four times slower than scanning the table and
    sorting (the sort spills to temporary files, so memory stays bounded). With `coach_ids` the
    index is the right plan and the plain column is used.
    """
    return column + 0


def audit_credits(coach_ids: Sequence[int] | None = None) -> Any:
    """Credits as three integers each: the runs and courses they refer to come from `audit_runs`."""
    stmt = (select(PointCredit.coach_id, PointCredit.run_id, PointCredit.points_centi)
            .order_by(PointCredit.coach_id if coach_ids else _scan_order(PointCredit.coach_id),
                      PointCredit.run_id))  # runs are mostly added in date order: cheap sorting
    return _for_coaches(stmt, PointCredit.coach_id, coach_ids)


def audit_runs(as_of: date) -> Any:
    """Every run of the training agenda up to `as_of`, with its course's accreditation."""
    return (select(CourseRun.id, Course.code, CourseRun.run_date, Course.accredited_from,
                   Course.accredited_until, Course.title)
            .join(Course, CourseRun.course_id == Course.id)
            .where(CourseRun.run_date <= as_of))


def coach_ids_ending_between(as_of: date, first: date, last: date) -> Any:
    """Coaches whose period current on `as_of` ends between `first` and `last` (inclusive)."""
    from sqlalchemy.orm import aliased

    later = aliased(RegistrationPeriod)
    newer = (select(later.id).where(later.coach_id == RegistrationPeriod.coach_id,
                                    later.starts_on > RegistrationPeriod.starts_on,
                                    later.starts_on <= as_of).exists())
    return (select(RegistrationPeriod.coach_id)
            .where(RegistrationPeriod.starts_on <= as_of,
                   RegistrationPeriod.valid_until >= first,
                   RegistrationPeriod.valid_until <= last, ~newer)
            .order_by(RegistrationPeriod.coach_id))


def coach_id_of(conn: Any, reg_no: str) -> int:
    """The id of the coach with `reg_no` (on a Session or a Connection); NotFound names it."""
    found = conn.execute(select(Coach.id).where(Coach.reg_no == reg_no)).scalar()
    if found is None:
        raise NotFound(f"registration number {reg_no}: no such coach in the register")
    return int(found)


# --------------------------------------------------------------------------------------------
# Privacy (GDPR): export and purge


def import_rows_of_coach(session: Session, coach_id: int) -> list[tuple[Any, str]]:
    from smr_register.store.models import ImportBatch, ImportRow

    stmt = (select(ImportRow, ImportBatch.file_name)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .where(ImportRow.coach_id == coach_id)
            .order_by(ImportRow.batch_id, ImportRow.row_number))
    return [(row, name) for row, name in session.execute(stmt)]


def coaches_with_last_period_end(session: Session) -> list[tuple[Coach, date | None]]:
    """Every coach with the end of their newest registration period."""
    last_end = (select(RegistrationPeriod.coach_id,
                       func.max(RegistrationPeriod.valid_until).label("last_end"))
                .group_by(RegistrationPeriod.coach_id).subquery())
    stmt = (select(Coach, last_end.c.last_end)
            .join(last_end, last_end.c.coach_id == Coach.id, isouter=True)
            .order_by(Coach.reg_no))
    return [(coach, end) for coach, end in session.execute(stmt)]


def scrub_history(session: Session, coach_id: int) -> None:
    """Erase the before/after values of a coach's history; who did what, and when, remain."""
    from sqlalchemy import update

    session.execute(update(History).where(History.coach_id == coach_id)
                    .values(before=None, after=None, reason=None))


def scrub_import_rows(session: Session, coach_id: int) -> None:
    from sqlalchemy import update

    from smr_register.store.models import ImportRow

    session.execute(update(ImportRow).where(ImportRow.coach_id == coach_id)
                    .values(raw=json.dumps({"purged": True}), message=None, candidates=None))


def scrub_candidate(session: Session, reg_no: str) -> int:
    """Take the coach out of every held row's list of candidate coaches (their name, state
    and birth date as the register had them); returns the rows changed. Rows are found by the
    number in the JSON text, then filtered on the parsed value."""
    from sqlalchemy import update

    from smr_register.store.models import ImportRow

    changed = 0
    rows = session.execute(select(ImportRow.id, ImportRow.candidates).where(
        ImportRow.candidates.contains(json.dumps(reg_no))))  # type: ignore[union-attr]
    for row_id, stored in rows.all():
        document = json.loads(stored)
        coaches = document.get("coaches") or []
        kept = [c for c in coaches if c.get("reg_no") != reg_no]
        if len(kept) == len(coaches):
            continue
        document["coaches"] = kept
        session.execute(update(ImportRow).where(ImportRow.id == row_id)
                        .values(candidates=json.dumps(document, ensure_ascii=False)))
        changed += 1
    return changed


def scrub_exceptions(session: Session, coach_id: int) -> None:
    from sqlalchemy import update

    session.execute(update(RuleException).where(RuleException.coach_id == coach_id)
                    .values(reason="[verwijderd]"))


def scrub_profile_evidence(session: Session, coach_id: int) -> None:
    from sqlalchemy import update

    session.execute(update(ProfileHeld).where(ProfileHeld.coach_id == coach_id)
                    .values(evidence=None))


# --------------------------------------------------------------------------------------------
# Imports (issue 5): the register is loaded into dicts once per command (Core selects, no query
# per row) and rows are written with Core executemany (ORM objects per row cost 4-8x). One
# imported file is one transaction (`import_scope`); a dry run is the same transaction rolled
# back.


@contextmanager
def import_scope(engine: Engine, *, dry_run: bool) -> Iterator[Session]:
    """One transaction for one imported file: committed whole, or rolled back whole on any error
    (Ctrl-C included) and always in a dry run."""
    from sqlalchemy.exc import IntegrityError

    from smr_register.errors import Conflict

    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except OperationalError as exc:
        session.rollback()
        raise DatabaseError(f"database error, nothing written: {exc.orig}") from None
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"the register changed during the import (another import at the same "
                       f"time?), nothing written; run it again ({exc.orig})") from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def shareable_across_threads(session: Session) -> bool:
    """Whether the session's connection may be used by another thread than the one that
    opened it: not with the pool SQLAlchemy keeps per thread (SQLite in memory)."""
    from sqlalchemy.pool import SingletonThreadPool

    return not isinstance(getattr(session.get_bind(), "pool", None), SingletonThreadPool)


def import_coach_index(session: Session) -> Any:
    """Every coach's identifiers and names, for matching sheet rows in memory."""
    return session.execute(select(
        Coach.id, Coach.reg_no, Coach.initials, Coach.first_name, Coach.prefix, Coach.last_name,
        Coach.birth_date, Coach.big, Coach.state))


def import_course_index(session: Session) -> Any:
    """Every course of the training agenda with its provider's name."""
    return session.execute(
        select(Course.id, Course.code, Course.title, Course.points_centi, Course.accredited_from,
               Course.accredited_until, Provider.name)
        .join(Provider, Course.provider_id == Provider.id))


def import_run_index(session: Session) -> Any:
    return session.execute(select(CourseRun.id, CourseRun.course_id, CourseRun.run_date))


def credits_for_runs(session: Session, run_ids: Sequence[int]) -> list[Any]:
    """(coach_id, run_id, batch_id, row_number, source) of the credits for these runs."""
    rows: list[Any] = []
    ids = list(run_ids)
    for start in range(0, len(ids), 500):
        stmt = (select(PointCredit.coach_id, PointCredit.run_id, PointCredit.batch_id,
                       PointCredit.row_number, PointCredit.source)
                .where(PointCredit.run_id.in_(ids[start:start + 500])))
        rows.extend(session.execute(stmt).all())
    return rows


def reviewed_rows(session: Session) -> list[Any]:
    """(batch_id, row_number, run_id, outcome, coach reg_no, candidates) of rows held for
    review, waiting or resolved, in batches not undone: a row sent again is not queued again."""
    from smr_register.store.models import ImportBatch, ImportRow

    stmt = (select(ImportRow.batch_id, ImportRow.row_number, ImportRow.run_id,
                   ImportRow.outcome, Coach.reg_no, ImportRow.candidates)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .outerjoin(Coach, ImportRow.coach_id == Coach.id)
            .where(ImportRow.candidates.is_not(None), ImportBatch.undone_at.is_(None),
                   or_(ImportRow.outcome == "held", ImportRow.resolved_at.is_not(None))))
    return list(session.execute(stmt).all())


def batches_of_file(session: Session, kind: str, sha256: str) -> list[Any]:
    """Earlier batches of the same file (same bytes), newest last."""
    from smr_register.store.models import ImportBatch

    stmt = (select(ImportBatch.id, ImportBatch.imported_at, ImportBatch.undone_at)
            .where(ImportBatch.kind == kind, ImportBatch.sha256 == sha256)
            .order_by(ImportBatch.id))
    return list(session.execute(stmt).all())


def insert_batch(session: Session, values: dict[str, Any]) -> int:
    from sqlalchemy import insert

    from smr_register.store.models import ImportBatch

    result = session.execute(insert(ImportBatch.__table__).values(**values))  # type: ignore[attr-defined]
    return int(result.inserted_primary_key[0])


def update_batch(session: Session, batch_id: int, values: dict[str, Any]) -> None:
    from sqlalchemy import update

    from smr_register.store.models import ImportBatch

    session.execute(update(ImportBatch.__table__)  # type: ignore[attr-defined]
                    .where(ImportBatch.__table__.c.id == batch_id)  # type: ignore[attr-defined]
                    .values(**values))


def _insert_many(session: Session, table: Any, rows: Sequence[Any],
                 columns: Sequence[str] | None = None) -> None:
    """Insert many rows: dicts with the same keys, or tuples in the order of `columns`.

    The insert is compiled once by SQLAlchemy for the connection's dialect and sent straight
    to the driver: SQLAlchemy's per-row parameter handling costs a third of an import's write
    time. Values of columns the dialect converts (dates on SQLite) go through the dialect's
    own bind processor. Where the driver takes plain positional marks (`?` or `%s`), one
    statement carries many rows in a multi-row VALUES, as many as the dialect allows
    parameters: a fraction of the driver calls of an executemany, and the database works
    through each statement without holding Python's GIL. With named placeholders (psycopg),
    the driver's executemany."""
    import operator
    from itertools import chain

    from sqlalchemy import insert

    if not rows:
        return
    if columns is None:
        columns = list(rows[0])
        pick = operator.itemgetter(*columns)
        rows = [pick(row) for row in rows] if len(columns) > 1 else [(pick(row),)
                                                                      for row in rows]
    connection = session.connection()
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    names = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
    if sorted(names) != sorted(columns):  # column defaults SQLAlchemy fills in: its own way
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    rows = _bind_processed(table, columns, rows, dialect)
    if not compiled.positional:
        connection.exec_driver_sql(compiled.string,
                                   [dict(zip(columns, row, strict=True)) for row in rows])
        return
    if names != list(columns):
        order = operator.itemgetter(*(list(columns).index(name) for name in names))
        rows = [order(row) for row in rows]
    head, _, marks = compiled.string.rpartition(" VALUES ")
    mark = {"qmark": "?", "format": "%s"}.get(dialect.paramstyle)
    if mark is None or marks != f"({', '.join([mark] * len(names))})":
        connection.exec_driver_sql(compiled.string, list(rows))
        return
    per_statement = max(1, min(dialect.insertmanyvalues_max_parameters // len(names),
                               _ROWS_PER_INSERT))
    statements: dict[int, str] = {}
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        sql = statements.get(len(part))
        if sql is None:
            sql = statements[len(part)] = f"{head} VALUES {', '.join([marks] * len(part))}"
        connection.exec_driver_sql(sql, tuple(chain.from_iterable(part)))


# Rows per multi-row INSERT: past a couple of thousand a longer statement gains nothing.
_ROWS_PER_INSERT = 2000


def _bind_processed(table: Any, columns: Sequence[str], rows: Sequence[Any],
                    dialect: Any) -> Sequence[Any]:
    """Rows with the dialect's bind processors applied, each value object converted once (an
    import's history rows all carry the same timestamp object)."""
    processors = [(i, process) for i, name in enumerate(columns) if (
        process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if not processors:
        return rows
    done: dict[int, tuple[Any, Any]] = {}  # id(value) -> (value, converted): kept alive
    out = []
    for row in rows:
        values = list(row)
        for i, process in processors:
            value = values[i]
            if value is not None:
                seen = done.get(id(value))
                if seen is None:
                    seen = done[id(value)] = (value, process(value))
                values[i] = seen[1]
        out.append(values)
    return out


# The columns of the tuples `insert_import_rows` takes (it takes dicts too).
IMPORT_ROW_COLUMNS = ("batch_id", "row_number", "outcome", "reason", "message", "raw",
                      "coach_id", "run_id", "candidates")


def insert_import_rows(session: Session, rows: Sequence[dict[str, Any]]
                       | Sequence[tuple[Any, ...]]) -> None:
    """Rows as dicts, or as tuples in the order of IMPORT_ROW_COLUMNS (no dict per row)."""
    from smr_register.store.models import ImportRow

    _insert_many(session, ImportRow.__table__, rows,  # type: ignore[attr-defined]
                 IMPORT_ROW_COLUMNS if rows and isinstance(rows[0], tuple) else None)


def insert_credits(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    _insert_many(session, PointCredit.__table__, rows)  # type: ignore[attr-defined]


def insert_history(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    _insert_many(session, History.__table__, rows)  # type: ignore[attr-defined]


def history_values(change: Change, *, entity: str, action: str, entity_id: int | None = None,
                   coach_id: int | None = None, before: dict[str, Any] | None = None,
                   after: dict[str, Any] | None = None,
                   reason: str | None = None) -> dict[str, Any]:
    """One history row as values for `insert_history` (the same columns `record` fills)."""
    return {
        "at": change.at, "actor": change.actor, "command": change.command, "entity": entity,
        "entity_id": entity_id, "coach_id": coach_id, "action": action,
        "before": _HISTORY_JSON(before) if before else None,
        "after": _HISTORY_JSON(after) if after else None,
        "reason": reason,
    }


# One encoder for the many history rows of an import (json.dumps builds one per call).
_HISTORY_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def list_batches(session: Session) -> list[Any]:
    from smr_register.store.models import ImportBatch

    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id)))


def batch_by_id(session: Session, batch_id: int) -> Any:
    """The import batch; raises NotFound naming it."""
    from smr_register.store.models import ImportBatch

    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"batch {batch_id}: no such import batch (see 'smr import list')")
    return batch


def batch_rows(session: Session, batch_id: int) -> list[Any]:
    """Every row of a batch with the coach's number and the course run it was matched to."""
    from smr_register.store.models import ImportRow

    stmt = (select(ImportRow, Coach.reg_no, Course.code, CourseRun.run_date)
            .outerjoin(Coach, ImportRow.coach_id == Coach.id)
            .outerjoin(CourseRun, ImportRow.run_id == CourseRun.id)
            .outerjoin(Course, CourseRun.course_id == Course.id)
            .where(ImportRow.batch_id == batch_id)
            .order_by(ImportRow.row_number))
    return list(session.execute(stmt).all())


def held_rows(session: Session) -> list[Any]:
    """Rows waiting for review (not resolved, batch not undone), with batch and course run."""
    from smr_register.store.models import ImportBatch, ImportRow

    stmt = (select(ImportRow, ImportBatch.file_name, Course.code, CourseRun.run_date)
            .join(ImportBatch, ImportRow.batch_id == ImportBatch.id)
            .outerjoin(CourseRun, ImportRow.run_id == CourseRun.id)
            .outerjoin(Course, CourseRun.course_id == Course.id)
            .where(ImportRow.outcome == "held", ImportRow.resolved_at.is_(None),
                   ImportBatch.undone_at.is_(None))
            .order_by(ImportRow.batch_id, ImportRow.row_number))
    return list(session.execute(stmt).all())


def import_row(session: Session, batch_id: int, row_number: int) -> Any:
    """One row of a batch; raises NotFound naming it."""
    from smr_register.store.models import ImportRow

    stmt = select(ImportRow).where(ImportRow.batch_id == batch_id,
                                   ImportRow.row_number == row_number)
    row = session.scalars(stmt).first()
    if row is None:
        raise NotFound(f"{batch_id}:{row_number}: batch {batch_id} has no row {row_number} "
                       f"(see 'smr import show {batch_id}')")
    return row


def credits_of_batch(session: Session, batch_id: int) -> list[Any]:
    """(credit id, coach_id, course code, run date, points_centi, row_number) of a batch."""
    stmt = (select(PointCredit.id, PointCredit.coach_id, Course.code, CourseRun.run_date,
                   PointCredit.points_centi, PointCredit.row_number)
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .join(Course, CourseRun.course_id == Course.id)
            .where(PointCredit.batch_id == batch_id)
            .order_by(PointCredit.coach_id, PointCredit.row_number))
    return list(session.execute(stmt).all())


def delete_credits_of_batch(session: Session, batch_id: int) -> int:
    from sqlalchemy import delete

    result = session.execute(delete(PointCredit.__table__)  # type: ignore[attr-defined]
                             .where(PointCredit.__table__.c.batch_id == batch_id))  # type: ignore[attr-defined]
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def run_with_course(session: Session, run_id: int) -> tuple[CourseRun, Course] | None:
    stmt = (select(CourseRun, Course).join(Course, CourseRun.course_id == Course.id)
            .where(CourseRun.id == run_id))
    found = session.execute(stmt).first()
    return (found[0], found[1]) if found else None


def periods_covering(session: Session, on: date) -> dict[int, RegistrationPeriod]:
    """Each coach's registration period in force on `on` (the newest if several overlap)."""
    stmt = (select(RegistrationPeriod)
            .where(RegistrationPeriod.starts_on <= on, RegistrationPeriod.valid_until >= on)
            .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
    return {period.coach_id: period for period in session.scalars(stmt)}


def profiles_attained_by(session: Session, on: date) -> dict[int, list[str]]:
    stmt = (select(ProfileHeld.coach_id, ProfileHeld.profile)
            .where(ProfileHeld.attained_on <= on)
            .order_by(ProfileHeld.coach_id, ProfileHeld.profile))
    result: dict[int, list[str]] = {}
    for coach_id, profile in session.execute(stmt):
        result.setdefault(coach_id, []).append(profile)
    return result


# --------------------------------------------------------------------------------------------
# Reports (expiry, notices, statistics)


def sort_names(conn: Any, reg_nos: Sequence[str]) -> dict[str, str]:
    """Dutch sort keys (last name without prefix, then initials) for registration numbers."""
    result: dict[str, str] = {}
    for start in range(0, len(reg_nos), 500):
        chunk = list(reg_nos[start:start + 500])
        stmt = select(Coach.reg_no, Coach.last_name, Coach.initials).where(
            Coach.reg_no.in_(chunk))
        for reg_no, last_name, initials in conn.execute(stmt):
            result[reg_no] = f"{last_name.casefold()}\x00{(initials or '').casefold()}"
    return result


def emails_of(session: Session, reg_nos: Sequence[str]) -> dict[str, str | None]:
    if not reg_nos:
        return {}
    stmt = select(Coach.reg_no, Coach.email).where(Coach.reg_no.in_(list(reg_nos)))
    return dict(session.execute(stmt).all())


def postcodes_valid_on(session: Session, on: date) -> list[str | None]:
    """The postcode of every coach with a registration valid on `on`, not withdrawn then."""
    stmt = (select(Coach.postcode).join(RegistrationPeriod,
                                        RegistrationPeriod.coach_id == Coach.id)
            .where(RegistrationPeriod.starts_on <= on, RegistrationPeriod.valid_until >= on)
            .where(or_(Coach.state != "withdrawn", Coach.state_date > on))
            .distinct())
    return list(session.scalars(stmt))


def points_per_year(session: Session, on: date) -> list[tuple[int, Any]]:
    from sqlalchemy import extract

    from smr_register.domain.values import from_centi

    year = extract("year", CourseRun.run_date)
    stmt = (select(year, func.sum(PointCredit.points_centi))
            .join(CourseRun, PointCredit.run_id == CourseRun.id)
            .where(CourseRun.run_date <= on).group_by(year).order_by(year))
    return [(int(y), from_centi(int(total))) for y, total in session.execute(stmt)]


def hours_per_year(session: Session, on: date) -> list[tuple[int, Any]]:
    from smr_register.domain.values import from_centi

    stmt = (select(PracticeYear.year, func.sum(PracticeYear.hours_centi))
            .where(PracticeYear.year <= on.year)
            .group_by(PracticeYear.year).order_by(PracticeYear.year))
    return [(int(y), from_centi(int(total))) for y, total in session.execute(stmt)]


def coaches_per_profile(session: Session, on: date) -> list[tuple[str, int]]:
    """Coaches (not withdrawn on `on`) holding each profile attained by then."""
    stmt = (select(ProfileHeld.profile, func.count(func.distinct(ProfileHeld.coach_id)))
            .join(Coach, Coach.id == ProfileHeld.coach_id)
            .where(ProfileHeld.attained_on <= on)
            .where(or_(Coach.state != "withdrawn", Coach.state_date > on))
            .group_by(ProfileHeld.profile).order_by(ProfileHeld.profile))
    return [(profile, int(count)) for profile, count in session.execute(stmt)]


def credit_import_rows(session: Session, batch_id: int, credited_at: datetime,
                       row_numbers: tuple[int, int] | None = None) -> int:
    """Credit every row of a batch decided `credited` (of its rows `row_numbers`, first and
    last, when given), in one INSERT ... SELECT: the points are the training agenda's
    (course.points_centi), the provenance the batch and row number."""
    from sqlalchemy import insert, literal

    from smr_register.store.models import CreditSource, ImportRow

    rows = (select(ImportRow.coach_id, ImportRow.run_id, Course.points_centi,
                   literal(CreditSource.IMPORT.value), ImportRow.batch_id, ImportRow.row_number,
                   literal(credited_at, PointCredit.__table__.c.credited_at.type))  # type: ignore[attr-defined]
            .join(CourseRun, ImportRow.run_id == CourseRun.id)
            .join(Course, CourseRun.course_id == Course.id)
            .where(ImportRow.batch_id == batch_id, ImportRow.outcome == "credited")
            .order_by(ImportRow.coach_id, ImportRow.run_id))
    if row_numbers is not None:
        rows = rows.where(ImportRow.row_number.between(*row_numbers))
    stmt = insert(PointCredit.__table__).from_select(  # type: ignore[attr-defined]
        ["coach_id", "run_id", "points_centi", "source", "batch_id", "row_number",
         "credited_at"], rows)
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
