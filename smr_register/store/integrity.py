"""`smr db check`: is the register's file sound, and do its rows keep the register's own promises?

A damaged SQLite file can still answer most queries, and a write into it makes things worse; an
import interrupted at the wrong moment used to leave history rows without their batch. These
checks find both. Each returns findings instead of raising, so one run reports every problem.
The SQL is SQLAlchemy expressions (the same on SQLite and PostgreSQL) except the page-level check,
which only SQLite has (`PRAGMA integrity_check`); PostgreSQL checks its own pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, case, func, or_, select, text
from sqlalchemy.orm import aliased

from smr_register.store.models import (
    KEY_SOURCES,
    Coach,
    Course,
    CourseRun,
    History,
    ImportBatch,
    ImportRow,
    PointCredit,
    RegistrationPeriod,
    coach_keys,
    tables,
)
from smr_register.store.text import binary

# How many examples a finding names: enough to find the rows, not a dump of the register.
EXAMPLES = 5


@dataclass(frozen=True)
class Finding:
    """One broken promise: which check, how many rows, a few of them by key."""

    check: str
    count: int
    detail: str


def integrity_problems(conn: Connection) -> list[str]:
    """SQLite's own page-level check (b-trees, indexes, free list); empty on other databases."""
    if conn.dialect.name != "sqlite":
        return []
    lines = [row[0] for row in conn.execute(text("PRAGMA integrity_check(20)"))]
    return [] if lines == ["ok"] else lines


def quick_problems(conn: Connection) -> list[str]:
    """The cheap variant (`quick_check`: no index-content comparison), for every write's open."""
    if conn.dialect.name != "sqlite":
        return []
    lines = [row[0] for row in conn.execute(text("PRAGMA quick_check(5)"))]
    return [] if lines == ["ok"] else lines


def _foreign_keys(conn: Connection) -> Iterator[Finding]:
    """Child rows whose parent is gone, for every foreign key the models declare."""
    for table in tables():
        for fk in table.foreign_key_constraints:
            (child,) = fk.columns if len(fk.columns) == 1 else (None,)
            if child is None:
                continue
            parent_col = next(iter(fk.elements)).column
            parent = parent_col.table.alias("parent")
            orphans = (select(child).select_from(table.outerjoin(
                parent, parent.c[parent_col.name] == child))
                .where(child.is_not(None), parent.c[parent_col.name].is_(None)))
            keys = conn.execute(orphans.limit(EXAMPLES)).scalars().all()
            if keys:
                total = conn.execute(select(func.count()).select_from(orphans.subquery())).scalar()
                yield Finding("foreign-key", int(total or 0),
                              f"{table.name}.{child.name} points at missing "
                              f"{parent_col.table.name} rows: {_examples(keys)}")


def _examples(keys: list[object]) -> str:
    return ", ".join(str(k) for k in keys[:EXAMPLES])


def _found(check: str, lead: str, rows: list[Any], describe: Callable[[Any], str]
           ) -> Iterator[Finding]:
    """One finding for the rows a check found (none when it found none)."""
    if rows:
        yield Finding(check, len(rows), f"{lead}: {_examples([describe(r) for r in rows])}")


def _import_credits(conn: Connection) -> Iterator[Finding]:
    """Every credit an import made has its batch and its import row."""
    row = aliased(ImportRow)
    stmt = (select(PointCredit.id, PointCredit.batch_id, PointCredit.row_number)
            .outerjoin(row, and_(row.batch_id == PointCredit.batch_id,
                                 row.row_number == PointCredit.row_number))
            .where(PointCredit.batch_id.is_not(None), row.id.is_(None))
            .order_by(PointCredit.id))
    yield from _found("import-credit-without-row",
                      "credits of an import without their import row", conn.execute(stmt).all(),
                      lambda r: f"credit {r.id} (batch {r.batch_id} row {r.row_number})")


def _batch_counters(conn: Connection) -> Iterator[Finding]:
    """A batch's counters equal the outcomes of its rows (credited counts rows, not credits
    still standing: an undo keeps the counters as they were at import)."""
    outcomes = ("credited", "held", "rejected", "skipped", "duplicate")
    counts = {o: func.sum(case((ImportRow.outcome == o, 1), else_=0)) for o in outcomes}
    per_batch = (select(ImportRow.batch_id, *(c.label(o) for o, c in counts.items()))
                 .group_by(ImportRow.batch_id).subquery())
    stored = {"credited": ImportBatch.credited, "held": ImportBatch.held,
              "rejected": ImportBatch.rejected, "skipped": ImportBatch.skipped,
              "duplicate": ImportBatch.duplicates}
    stmt = (select(ImportBatch.id, *(c.label(f"stored_{o}") for o, c in stored.items()),
                   *(func.coalesce(per_batch.c[o], 0).label(f"rows_{o}") for o in outcomes))
            .outerjoin(per_batch, per_batch.c.batch_id == ImportBatch.id)
            .where(ImportBatch.kind == "attendance")
            .order_by(ImportBatch.id))
    wrong = []
    for r in conn.execute(stmt).mappings():
        diff = ", ".join(f"{o} {r[f'stored_{o}']} but {r[f'rows_{o}']} rows" for o in outcomes
                         if r[f"stored_{o}"] != r[f"rows_{o}"])
        if diff:
            wrong.append(f"batch {r['id']} ({diff})")
    if wrong:
        yield Finding("batch-counters", len(wrong), "counters that disagree with the rows: "
                      + _examples(wrong))


def _history_batches(conn: Connection) -> Iterator[Finding]:
    """History written by an import or an undo names a batch that exists."""
    stmt = (select(History.id, History.entity_id)
            .outerjoin(ImportBatch, ImportBatch.id == History.entity_id)
            .where(or_(History.entity == "import_batch",
                       and_(History.entity == "point_credit",
                            History.action.in_(("import", "undo")))),
                   History.entity_id.is_not(None), ImportBatch.id.is_(None))
            .order_by(History.id))
    yield from _found("history-without-batch",
                      "history rows of an import whose batch does not exist",
                      conn.execute(stmt).all(), lambda r: f"history {r.id} (batch {r.entity_id})")


def _credits_outside_accreditation(conn: Connection) -> Iterator[Finding]:
    """A credit's run took place while its course was accredited (the agenda decides)."""
    stmt = (select(PointCredit.id, Course.code, CourseRun.run_date)
            .join(CourseRun, CourseRun.id == PointCredit.run_id)
            .join(Course, Course.id == CourseRun.course_id)
            .where(or_(CourseRun.run_date < Course.accredited_from,
                       CourseRun.run_date > Course.accredited_until))
            .order_by(PointCredit.id))
    yield from _found("credit-outside-accreditation",
                      "credits for a run outside its course's accreditation",
                      conn.execute(stmt).all(),
                      lambda r: f"credit {r.id} ({r.code} {r.run_date.isoformat()})")


def _overlapping_periods(conn: Connection) -> Iterator[Finding]:
    """A coach's registration periods follow each other; two in force on one day is an error."""
    later = aliased(RegistrationPeriod)
    stmt = (select(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on, later.starts_on)
            .join(later, and_(later.coach_id == RegistrationPeriod.coach_id,
                              later.starts_on > RegistrationPeriod.starts_on,
                              later.starts_on <= RegistrationPeriod.valid_until))
            .order_by(RegistrationPeriod.coach_id, RegistrationPeriod.starts_on))
    yield from _found("overlapping-periods", "registration periods that overlap",
                      conn.execute(stmt).all(),
                      lambda r: f"coach id {r[0]} ({r[1].isoformat()} and {r[2].isoformat()})")


def _coach_keys(conn: Connection) -> Iterator[Finding]:
    """Each coach's stored sort key and search text are the ones its names make (schema 0004
    on): `coach list` orders and searches on them."""
    from sqlalchemy import inspect

    if "sort_key" not in {c["name"] for c in inspect(conn).get_columns("coach")}:
        return
    stmt = (select(Coach.reg_no, Coach.sort_key, Coach.search_text,
                   *(Coach.__table__.c[name] for name in KEY_SOURCES))  # type: ignore[attr-defined]
            .order_by(binary(Coach.reg_no)))
    stale = [row.reg_no for row in conn.execute(stmt)
             if coach_keys(row._mapping) != {"sort_key": row.sort_key,
                                             "search_text": row.search_text}]
    if stale:
        yield Finding("coach-keys", len(stale), "coaches whose sort key or search text does "
                      "not match their names: " + _examples(stale))


def _schema_version(conn: Connection, known: set[str]) -> Iterator[Finding]:
    """One row in the version table, naming a revision this code knows."""
    versions = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    if len(versions) != 1:
        yield Finding("schema-version", len(versions),
                      f"the version table has {len(versions)} rows ({', '.join(versions)}); "
                      "it must have exactly one")
    unknown = [v for v in versions if v not in known]
    if unknown:
        yield Finding("schema-version", len(unknown),
                      f"unknown schema revision {', '.join(unknown)}")


INVARIANTS: tuple[Callable[[Connection], Iterator[Finding]], ...] = (
    _foreign_keys, _import_credits, _batch_counters, _history_batches,
    _credits_outside_accreditation, _overlapping_periods, _coach_keys,
)


def check(engine: Engine, known_revisions: set[str]) -> list[Finding]:
    """Every finding of every check, page level first: rows of a damaged file prove little."""
    with engine.connect() as conn:
        pages = integrity_problems(conn)
        if pages:
            return [Finding("integrity", len(pages), "; ".join(pages[:EXAMPLES]))]
        findings = list(_schema_version(conn, known_revisions))
        for invariant in INVARIANTS:
            findings.extend(invariant(conn))
        return findings


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, to say what a backup or a restore holds."""
    with engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                for t in tables()}
