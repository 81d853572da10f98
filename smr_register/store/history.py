"""The register's history: who changed what, when and through which command.

Every change writes a history row in its own transaction. `history_values` is the one place a
history row's columns are filled in and its before/after encoded as JSON: `record` adds it
through the ORM (a command's edits), `insert_history` writes many at once (imports, undo), and
an import joins its many credit lines into templates cut by `json_around` from the same encoder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NewType

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from smr_register.store.bulk import insert_many
from smr_register.store.models import History

# A history row's before or after, already encoded as `history_values` encodes (`json_around`).
HistoryJson = NewType("HistoryJson", str)


def _iso(value: Any) -> str:
    """A date or moment as `snapshot_values` writes it, for the encoder to call."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# The one encoder of history JSON: keys sorted, text as it is (json.dumps builds one per call),
# dates in ISO form as `snapshot_values` gives them.
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_iso).encode

# The value standing in for the one `json_around` cuts out: JSON always escapes it.
_HOLE = "\x00"


@dataclass(frozen=True)
class Change:
    """Who makes a change and through which command: stamped on every history row."""

    actor: str
    command: str
    at: datetime

    @classmethod
    def now(cls, actor: str, command: str) -> Change:
        """The change `actor` makes now through `command`."""
        return cls(actor=actor, command=command, at=datetime.now(UTC))


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(row: SQLModel | None, exclude: Sequence[str] = ()) -> dict[str, Any] | None:
    """A row's columns as JSON-ready values, for the before/after of a history row."""
    if row is None:
        return None
    return snapshot_values(row.model_dump(), exclude)


def snapshot_values(values: dict[str, Any], exclude: Sequence[str] = ()) -> dict[str, Any]:
    """A row's column values (a dict) as JSON-ready values, as `snapshot` gives them."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in exclude:
            continue
        if key.endswith("_centi"):  # people read 42.5 hours, not 4250 hundredths
            out[key.removesuffix("_centi")] = None if value is None else str(value / 100)
        else:
            out[key] = _jsonable(value)
    return out


def _encoded(values: dict[str, Any] | HistoryJson | None) -> str | None:
    if not values:
        return None
    return values if isinstance(values, str) else _ENCODE(values)


def history_values(change: Change, *, entity: str, action: str, entity_id: int | None = None,
                   coach_id: int | None = None,
                   before: dict[str, Any] | HistoryJson | None = None,
                   after: dict[str, Any] | HistoryJson | None = None,
                   reason: str | None = None) -> dict[str, Any]:
    """One history row's column values (before/after as JSON, or None when empty)."""
    return {
        "at": change.at, "actor": change.actor, "command": change.command, "entity": entity,
        "entity_id": entity_id, "coach_id": coach_id, "action": action,
        "before": _encoded(before), "after": _encoded(after), "reason": reason,
    }


def json_around(values: dict[str, Any], key: str) -> tuple[str, str]:
    """The JSON of `values` as a history row stores it, cut around the value of `key`: the text
    before that value and the text after it. An import writes one credit line per row by
    joining a number into such a template instead of encoding a dict per row."""
    label = f"{_ENCODE(key)}: "
    before, found, after = _ENCODE({**values, key: _HOLE}).partition(label + _ENCODE(_HOLE))
    if not found:
        raise ValueError(f"{key!r} is not a key of the values to encode")
    return before + label, after


def new_json(values: dict[str, Any], exclude: Sequence[str] = ()) -> HistoryJson | None:
    """The after of the history row of something new with these column values, encoded:
    `filled(snapshot_values(values, exclude))` as `history_values` stores it, in one pass (the
    encoder writes the dates), at half the cost for the thousands of rows an import adds."""
    if any(key.endswith("_centi") for key in values):
        return _encoded(filled(snapshot_values(values, exclude)))
    encoded = _encoded({k: v for k, v in values.items() if v is not None and k not in exclude})
    return None if encoded is None else HistoryJson(encoded)


def filled(values: dict[str, Any]) -> dict[str, Any]:
    """The fields filled in: what the history row of something new shows of it."""
    return {k: v for k, v in values.items() if v is not None}


def record(
    session: Session,
    change: Change,
    *,
    entity: str,
    action: str,
    entity_id: int | None = None,
    coach_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | HistoryJson | None = None,
    reason: str | None = None,
) -> None:
    """Add one history row in the caller's transaction: of an edit (before and after) only the
    fields it changed, of something new only the fields filled in (`after` as given when it is
    `new_json`'s already)."""
    if before is not None and isinstance(after, dict):
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        before = {k: before.get(k) for k in changed}
        after = {k: after.get(k) for k in changed}
    elif isinstance(after, dict):
        after = filled(after)
    session.add(History(**history_values(change, entity=entity, action=action,
                                         entity_id=entity_id, coach_id=coach_id, before=before,
                                         after=after, reason=reason)))


def save_new(session: Session, change: Change, row: SQLModel, *, entity: str,
             coach_id: int | None = None, after: dict[str, Any] | None = None,
             exclude: Sequence[str] = (), reason: str | None = None) -> None:
    """Insert a new row and its history, which needs the id the insert gives it: `after` as
    given, else the row's fields but `exclude`."""
    session.add(row)
    session.flush()
    record(session, change, entity=entity, action="add", entity_id=getattr(row, "id", None),
           coach_id=coach_id, after=snapshot(row, exclude=exclude) if after is None else after,
           reason=reason)


def save_edit(session: Session, change: Change, row: SQLModel, *, entity: str, action: str,
              coach_id: int | None, before: dict[str, Any] | None, reason: str | None,
              exclude: Sequence[str] = ("id", "coach_id")) -> None:
    """Write an edited row of a coach's records and its history: `before` was taken with the
    same `exclude` before the edit, so the history shows exactly the fields the edit changed."""
    session.add(row)
    session.flush()
    record(session, change, entity=entity, action=action, entity_id=getattr(row, "id", None),
           coach_id=coach_id, before=before, after=snapshot(row, exclude=exclude), reason=reason)


def insert_history(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write many rows of `history_values` at once (imports and their undo)."""
    insert_many(session, History.__table__, rows)  # type: ignore[attr-defined]


def history_of(session: Session, coach_id: int) -> list[History]:
    """A coach's history, oldest first."""
    stmt = select(History).where(History.coach_id == coach_id).order_by(History.at, History.id)
    return list(session.scalars(stmt))
