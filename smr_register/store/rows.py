"""Rows as the store hands them on: a select's rows as NamedTuples, matched to the select by
column label (never by position), and a model row's fields in a fixed order.

Each query labels its columns with the names of its row type's fields; `typed` checks the labels
once per query, so a select whose columns are reordered or renamed fails at once instead of
shifting one field into another. The rows are built by `tuple.__new__` (no Python call per row):
the audit streams millions of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Result
from sqlmodel import SQLModel

T = TypeVar("T", bound=tuple[Any, ...])


def typed(result: Result[Any], row_type: type[T]) -> Iterator[T]:
    """The rows of `result` as `row_type`; raises TypeError if the select's labels are not
    the row type's fields, in order."""
    fields: tuple[str, ...] = row_type._fields  # type: ignore[attr-defined]
    labels = tuple(result.keys())
    if labels != fields:
        result.close()
        raise TypeError(f"{row_type.__name__} has the fields {', '.join(fields)}, but the "
                        f"select gives {', '.join(labels)}")
    rows: Iterable[Any] = result
    return map(partial(tuple.__new__, row_type), rows)


def typed_list(result: Result[Any], row_type: type[T]) -> list[T]:
    """All rows of `result` as `row_type` (see `typed`)."""
    return list(typed(result, row_type))


def fields_of(item: SQLModel, exclude: Collection[str] = ()) -> dict[str, Any]:
    """A model row's fields in the model's order. `model_dump` follows the order SQLAlchemy
    happened to load them in, which changes from run to run (JSON keys must not). Fields the
    model excludes from dumps (a coach's derived sort and search keys) are left out too."""
    return {name: getattr(item, name) for name, info in type(item).model_fields.items()
            if name not in exclude and not info.exclude}
