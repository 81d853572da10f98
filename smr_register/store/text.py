"""Text compared the same way on every database: byte by byte.

SQLite compares text byte by byte (its BINARY collation); PostgreSQL compares by the database's
collation, which for nl_NL or en_US ignores hyphens and case at first: `A-B` sorts after `AA`
there and before it on SQLite. Queries that order by text wrap the column in `binary(...)`,
which says `COLLATE "C"` on PostgreSQL and nothing on SQLite, so listings come out in one order.
(The coach's Dutch sort key is binary in the schema itself: models.BinaryText.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class binary(FunctionElement[str]):  # noqa: N801 - reads as a SQL function in a query
    """`binary(Course.code)`: the column, ordered and compared byte by byte."""

    type = String()
    name = "binary"
    inherit_cache = True


@compiles(binary)
def _as_is(element: binary, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(binary, "postgresql")
def _collate_c(element: binary, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'
