"""The multi-row insert of the store's bulk writes (an import's rows, credits, history).

An import writes a hundred thousand rows in one transaction; ORM objects per row cost four to
eight times as much, and even SQLAlchemy's own executemany spends a third of the write time on
per-row parameter handling. `insert_many` sends the rows straight to the driver.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, func, insert, select, text
from sqlmodel import Session


def insert_many(session: Session | Connection, table: Any, rows: Sequence[Any],
                columns: Sequence[str] | None = None) -> None:
    """Insert many rows: dicts with the same keys, or tuples in the order of `columns`.

    The insert is compiled once by SQLAlchemy for the connection's dialect and sent straight
    to the driver: SQLAlchemy's per-row parameter handling costs a third of an import's write
    time. Values of columns the dialect converts (dates on SQLite) go through the dialect's
    own bind processor. Where the driver takes plain positional marks (`?` or `%s`), one
    statement carries many rows in a multi-row VALUES, as many as the dialect allows
    parameters: a fraction of the driver calls of an executemany, and the database works
    through each statement without holding Python's GIL. On PostgreSQL with psycopg 3, COPY.
    Other drivers with named placeholders: the driver's executemany."""
    if not rows:
        return
    if columns is None:
        columns = list(rows[0])
        pick = operator.itemgetter(*columns)
        rows = [pick(row) for row in rows] if len(columns) > 1 else [(pick(row),)
                                                                      for row in rows]
    connection = session.connection() if isinstance(session, Session) else session
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    names = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
    if sorted(names) != sorted(columns):  # column defaults SQLAlchemy fills in: its own way
        connection.execute(insert(table), [dict(zip(columns, row, strict=True))
                                           for row in rows])
        return
    rows = _bind_processed(table, columns, rows, dialect)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_rows(connection, table, columns, rows)
        return
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


def insert_with_ids(session: Session, table: Any, rows: Sequence[Any],
                    columns: Sequence[str] | None = None) -> list[int]:
    """Insert many rows (as `insert_many` takes them) by `insert_many`; returns their new ids,
    in the order of `rows`. An import adds thousands of coaches or courses this way, at a
    fraction of the cost of one ORM flush per row.

    On SQLite the ids are read back as those above the table's highest id before the insert:
    a multi-row insert numbers its rows in order, and the transaction holds the one write
    lock. On PostgreSQL others write beside it (`smr coach add` does not wait for an import),
    and a row they commit meanwhile would be read back as one of these: the ids are taken from
    the table's sequence first (never handed out twice) and inserted with the rows."""
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _insert_with_reserved_ids(connection, table, rows, columns)
    highest = session.execute(select(func.max(table.c.id))).scalar() or 0
    insert_many(session, table, rows, columns)
    ids = list(session.scalars(select(table.c.id).where(table.c.id > highest)
                               .order_by(table.c.id)))
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} new ids found")
    return ids


def _insert_with_reserved_ids(connection: Connection, table: Any, rows: Sequence[Any],
                              columns: Sequence[str] | None) -> list[int]:
    """PostgreSQL: `len(rows)` ids from the table's sequence, inserted with the rows."""
    ids = [row[0] for row in connection.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
             "FROM generate_series(1, :count)"),
        {"table": connection.dialect.identifier_preparer.quote(table.name),
         "count": len(rows)})]
    if columns is None:
        columns = list(rows[0])
        rows = [[row[name] for name in columns] for row in rows]
    insert_many(connection, table, [[*row, new_id] for row, new_id in zip(rows, ids, strict=True)],
                [*columns, "id"])
    return ids


def insert_new(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Write new rows of `table` at once (`insert_with_ids`), each a dict of column values
    (a column left out is NULL), and put each row's new id in it under "id". Plain dicts:
    building an ORM object costs more than writing its row."""
    columns = [column.name for column in table.columns if column.name != "id"]
    ids = insert_with_ids(session, table, [[row.get(name) for name in columns] for row in rows],
                          columns)
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id


def _copy_rows(connection: Any, table: Any, columns: Sequence[str], rows: Sequence[Any]) -> None:
    """PostgreSQL's COPY ... FROM STDIN through psycopg 3: the rows stream to the server in
    one command, each encoded by psycopg's C code, instead of one INSERT per row (psycopg
    names its placeholders, so the multi-row VALUES below does not apply). On the connection
    of the session's transaction, so a rollback takes the rows back like any insert."""
    quote = connection.dialect.identifier_preparer.quote
    sql = (f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           "FROM STDIN")
    driver_connection = connection.connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


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
