"""The store: the one transaction helper, the one history writer, typed rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from smr_register import db
from smr_register.errors import Conflict, DatabaseError
from smr_register.store import audit as audit_store
from smr_register.store import history as history_store
from smr_register.store.history import Change
from smr_register.store.models import Coach, History, Provider
from smr_register.store.rows import fields_of, typed
from tests.fixtures import dump
from tests.fixtures.audit import build_register
from tests.fixtures.registers import Register

CHANGE = Change(actor="test", command="test", at=datetime(2024, 5, 14, 9, 30, tzinfo=UTC))


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    the_engine = db.make_engine(db.database_url(str(db_path)))
    yield the_engine
    the_engine.dispose()


# ---- the transaction ------------------------------------------------------------------------


def test_a_transaction_commits_and_a_dry_run_rolls_back(engine: Engine, db_path: Path) -> None:
    with db.transaction(engine, dry_run=True) as session:
        session.add(Provider(name="Droog"))
        session.flush()
    before = dump(db_path)

    with db.transaction(engine) as session:
        session.add(Provider(name="Nat"))

    after = dump(db_path)
    assert before["provider"] == []
    assert [row[1] for row in after["provider"]] == ["Nat"]


def test_an_error_in_a_transaction_rolls_back_everything(engine: Engine,
                                                         db_path: Path) -> None:
    before = dump(db_path)
    with pytest.raises(RuntimeError), db.transaction(engine) as session:
        session.add(Provider(name="Half"))
        session.flush()
        raise RuntimeError("stop")

    assert dump(db_path) == before


def test_a_key_taken_meanwhile_is_a_conflict_and_a_database_error_a_database_error(
        engine: Engine) -> None:
    with db.transaction(engine) as session:
        session.add(Provider(name="Eén"))
    with pytest.raises(Conflict, match="nothing written"), db.transaction(engine) as session:
        session.add(Provider(name="Eén"))
    with pytest.raises(DatabaseError, match="nothing written"), \
            db.transaction(engine) as session:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))


# ---- history --------------------------------------------------------------------------------


def test_the_orm_and_the_bulk_path_write_the_same_history_row(engine: Engine) -> None:
    after = {"name": "Ö'\"", "points": "1.5", "on": "2024-05-14"}
    with db.transaction(engine) as session:
        history_store.record(session, CHANGE, entity="x", action="add", coach_id=1, after=after)
        history_store.insert_history(session, [history_store.history_values(
            CHANGE, entity="x", action="add", coach_id=1, after=after)])
    with db.transaction(engine, dry_run=True) as session:
        rows = [(h.entity, h.action, h.coach_id, h.after, h.before)
                for h in session.scalars(select(History))]

    assert rows[0] == rows[1]
    assert rows[0][3] == json.dumps(after, sort_keys=True, ensure_ascii=False)


def test_an_edit_keeps_only_what_changed_and_something_new_only_what_is_filled_in(
        engine: Engine) -> None:
    with db.transaction(engine) as session:
        history_store.record(session, CHANGE, entity="coach", action="edit",
                             before={"city": "Zwolle", "email": None, "name": "A"},
                             after={"city": "Delft", "email": "a@b.nl", "name": "A"})
        history_store.record(session, CHANGE, entity="coach", action="add",
                             after={"city": "Delft", "email": None})
    with engine.connect() as conn:
        (edit_before, edit_after), (new_before, new_after) = conn.execute(
            select(History.before, History.after).order_by(History.id)).all()

    assert json.loads(edit_before) == {"city": "Zwolle", "email": None}
    assert json.loads(edit_after) == {"city": "Delft", "email": "a@b.nl"}
    assert (new_before, json.loads(new_after)) == (None, {"city": "Delft"})


def test_save_new_and_save_edit_write_the_row_and_name_its_new_id_in_the_history(
        engine: Engine) -> None:
    with db.transaction(engine) as session:
        provider = Provider(name="Oud")
        history_store.save_new(session, CHANGE, provider, entity="provider")
        before = history_store.snapshot(provider, exclude=("id",))
        provider.name = "Nieuw"
        history_store.save_edit(session, CHANGE, provider, entity="provider", action="edit",
                                coach_id=None, before=before, reason="typo",
                                exclude=("id",))
    with engine.connect() as conn:
        stored = conn.execute(select(Provider.id, Provider.name)).all()
        history = conn.execute(select(History.entity_id, History.action, History.before,
                                      History.after, History.reason).order_by(History.id)).all()

    assert stored == [(1, "Nieuw")]
    (new_id, new, none, added, _), (edit_id, edit, was, now, why) = history
    assert (new_id, new, none, json.loads(added)) == (1, "add", None, {"id": 1, "name": "Oud"})
    assert (edit_id, edit, json.loads(was), json.loads(now), why) == (
        1, "edit", {"name": "Oud"}, {"name": "Nieuw"}, "typo")


@pytest.mark.parametrize("values", [
    {"batch": 7, "credits": None, "file": 'lijst "ö".xlsx'},
    {"a": "\x00", "credits": None, "z": ['"credits": "\\u0000"']},
])
def test_json_around_cuts_the_encoders_own_text(values: dict[str, Any]) -> None:
    head, tail = history_store.json_around(values, "credits")

    assert head + "[1, 2]" + tail == json.dumps({**values, "credits": [1, 2]}, sort_keys=True,
                                                ensure_ascii=False)


# ---- typed rows -----------------------------------------------------------------------------


class Named(NamedTuple):
    reg_no: str
    last_name: str


def test_rows_are_read_by_label_and_a_reordered_select_fails(engine: Engine,
                                                             db_path: Register) -> None:
    build_register(db_path, ("100001",))
    with engine.connect() as conn:
        rows = list(typed(conn.execute(select(Coach.reg_no, Coach.last_name)), Named))
        with pytest.raises(TypeError, match="Named has the fields reg_no, last_name"):
            typed(conn.execute(select(Coach.last_name, Coach.reg_no)), Named)

    assert rows == [Named(reg_no="100001", last_name="Coach1")]


def test_the_audit_streams_one_coach_at_a_time_with_named_fields(engine: Engine,
                                                                 db_path: Register) -> None:
    build_register(db_path, ("100001", "100002"))
    with engine.connect() as conn:
        everyone = list(audit_store.coaches(conn, date(2026, 12, 1)))
        one = list(audit_store.coaches(conn, date(2026, 12, 1), [everyone[1].coach.coach_id]))

    assert [c.coach.reg_no for c in everyone] == ["100001", "100002"]
    assert one == [everyone[1]]
    first = everyone[0]
    assert {p.profile for p in first.profiles} == {"basisprofiel"}
    assert all(c.coach_id == first.coach.coach_id for c in first.credits)
    assert first.periods[0].starts_on == date(2022, 1, 1)


def test_fields_come_in_the_models_order() -> None:
    provider = Provider(name="P", id=3)

    assert list(fields_of(provider)) == list(Provider.model_fields)
    assert fields_of(provider, exclude={"id"}) == {"name": "P"}
