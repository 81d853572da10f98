"""`smr db copy`: a whole register into an empty database, e.g. from SQLite to PostgreSQL.

The target gets its schema from the migrations (so its schema version is right), then every
table's rows in foreign-key order, streamed in chunks, in one transaction: a failed copy leaves
the target as empty as it was. Before that transaction commits, each table's row count and
checksum are computed on both sides and compared; the checksum is the SHA-256 of the rows in key
order as the models read them (dates, aware UTC moments, integers, text), so it is the same on
SQLite and PostgreSQL when the rows are. Rows are written by `bulk.insert_many` (COPY on
PostgreSQL, multi-row INSERTs on SQLite). Ids are copied as they are and the target's sequences
are set past them, so the next row gets the next number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, func, inspect, select, text
from sqlalchemy import update as update_rows

from smr_register.domain.i18n import _
from smr_register.errors import Conflict, DatabaseError
from smr_register.store.bulk import insert_many

# Rows per fetch and per executemany: memory stays flat, round trips few.
CHUNK = 5000


@dataclass(frozen=True)
class TableCopy:
    """One table copied: its rows and their checksum, equal on both sides."""

    table: str
    rows: int
    checksum: str


def register_tables() -> list[Table]:
    """The register's tables in foreign-key order (a table after those it refers to)."""
    from smr_register.store.models import tables

    return tables()


def rows_in(conn: Connection, tables: Sequence[Table]) -> dict[str, int]:
    """Rows per table (tables that do not exist count as absent, not zero)."""
    present = set(inspect(conn).get_table_names())
    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in tables if t.name in present}


def refuse_unless_empty(target: Engine, target_label: str) -> bool:
    """Whether the target has the register's (empty) tables already; Conflict when it holds
    any row or other tables."""
    tables = register_tables()
    with target.connect() as conn:
        present = set(inspect(conn).get_table_names())
        if not present:
            return False
        counts = rows_in(conn, tables)
    foreign = present - {t.name for t in tables} - {"alembic_version"}
    if foreign or set(counts) != {t.name for t in tables}:
        raise Conflict(_("{target_label} holds other tables, not an empty register: nothing "
                         "copied (db copy only fills an empty database)").format(
                         target_label=target_label))
    filled = {name: n for name, n in counts.items() if n}
    if filled:
        some = ", ".join(f"{n} {name} row{'' if n == 1 else 's'}"
                         for name, n in sorted(filled.items())[:3])
        raise Conflict(_("{target_label} is not empty ({some}): nothing copied (db copy only "
                         "fills an empty database)").format(target_label=target_label, some=some))
    return True


def copy_register(source: Engine, target: Engine, target_label: str,
                  progress: Callable[[str, int], None] | None = None) -> list[TableCopy]:
    """Copy every row of the register at `source` into `target`, whose schema is there and
    empty (`refuse_unless_empty`, then `db.upgrade`); DatabaseError when the copy differs."""
    tables = register_tables()
    copied: list[TableCopy] = []
    with _snapshot(source) as reader, target.begin() as writer:
        for table in tables:
            rows = _copy_table(reader, writer, table)
            if progress is not None:
                progress(table.name, rows)
        reset_sequences(writer, tables)
        for table in tables:
            ours, theirs = checksum(reader, table), checksum(writer, table)
            if ours != theirs:
                raise DatabaseError(
                    _("the copy of table {name} differs from the register ({ours} rows, "
                      "{theirs} in {target_label}; did someone write to the register during the "
                      "copy?): nothing copied").format(
                      name=table.name, ours=ours[0], theirs=theirs[0], target_label=target_label))
            copied.append(TableCopy(table.name, *ours))
    return copied


def _snapshot(source: Engine) -> Connection:
    """A connection reading one moment of the register on PostgreSQL (REPEATABLE READ); on
    SQLite each statement reads its own moment, and the checksums, read again at the end,
    catch a write in between."""
    conn = source.connect()
    if source.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _copy_table(reader: Connection, writer: Connection, table: Table) -> int:
    """Stream one table across in chunks; a column that refers to its own table (a coach's
    supervisor) is filled in afterwards, so the order of the rows does not matter."""
    own = [c.name for c in table.columns if any(fk.column.table is table
                                                for fk in c.foreign_keys)]
    later: list[dict[str, Any]] = []
    total = 0
    for chunk in _chunks(reader, table):
        if own:
            later.extend({"key": row["id"], **{c: row[c] for c in own}} for row in chunk
                         if any(row[c] is not None for c in own))
            chunk = [{**row, **dict.fromkeys(own)} for row in chunk]
        insert_many(writer, table, chunk)
        total += len(chunk)
    if later:
        stmt = (update_rows(table).where(table.c.id == bindparam("key"))
                .values({c: bindparam(c) for c in own}))
        for start in range(0, len(later), CHUNK):
            writer.execute(stmt, later[start:start + CHUNK])
    return total


def _chunks(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = conn.execution_options(yield_per=CHUNK).execute(
        select(table).order_by(*table.primary_key.columns))
    for part in result.mappings().partitions():
        yield [dict(row) for row in part]


def checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """(rows, SHA-256 of the rows in key order as the models read them)."""
    digest = hashlib.sha256()
    rows = 0
    result = conn.execution_options(yield_per=CHUNK).execute(
        select(table).order_by(*table.primary_key.columns))
    for part in result.partitions():
        for row in part:
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
        rows += len(part)
    return rows, digest.hexdigest()


def reset_sequences(conn: Connection, tables: Sequence[Table] | None = None) -> None:
    """Set each id sequence past the highest id (PostgreSQL; SQLite takes max(id) + 1 itself),
    after rows were inserted with their ids given."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables if tables is not None else register_tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
