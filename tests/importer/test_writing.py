"""How an import writes: the raw cells as JSON, many rows per INSERT, the statements on a
thread of their own, and each coach's history row with every credit.

The speed itself is measured by benchmarks/bench_import.py, not here: these tests pin down
that the faster ways write exactly what the plain ways would.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smr_register import db
from smr_register.errors import ExitCode
from smr_register.importer.background import Background
from smr_register.importer.reasons import Outcome, Reason
from smr_register.importer.report import RowResult
from smr_register.importer.writing import (
    CreditHistory,
    credit_entry,
    import_rows,
    raw_encoder,
    raw_json,
)
from smr_register.store import bulk
from smr_register.store import history as history_store
from smr_register.store import imports as import_store
from smr_register.store.history import Change
from smr_register.store.models import History, ImportRow
from tests.fixtures.imports import HEADER, MESSY_ROWS, MI, TITLE_ROWS, build_register, ok
from tests.fixtures.registers import query

# ---- raw cells as JSON ------------------------------------------------------------------------


def expected_raw(headers: list[str], cells: list[Any]) -> str:
    """What json.dumps writes for the row's non-empty cells (4512.0 as 4512, dates in ISO)."""
    shown: dict[str, Any] = {}
    for header, value in zip(headers, cells, strict=False):
        if value is None or value == "" and isinstance(value, str):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool):
            value = str(value)
        shown[header] = value
    return json.dumps(shown, ensure_ascii=False)


HEADERS = ["Reg.nr", "Naam", "Datum", "Punten", "Opmerking", "Vlag"]
ROWS: list[list[Any]] = [
    ["004512", 'Jansen "Jan" Öztürk\\', date(2024, 5, 14), 1.5, "", True],
    [4512.0, None, datetime(2024, 5, 14, 9, 30), 2.0, " ", 1],  # noqa: DTZ001 - Excel has no zone
    [4512, "Çelik", "14-05-2024", 1, "nieuw\nregel", 1.0],
    ["SMR 004512", "Jansen", 45426, 0, "\u2028", False],
    ["", "", "", 0.0, "tab\t", 0],
]


def test_raw_cells_are_the_json_of_the_non_empty_cells_keyed_by_header() -> None:
    encode = raw_encoder(HEADERS)

    assert encode(ROWS) == [expected_raw(HEADERS, row) for row in ROWS]
    assert [json.loads(text) for text in encode(ROWS)][0] == {
        "Reg.nr": "004512", "Naam": 'Jansen "Jan" Öztürk\\', "Datum": "2024-05-14",
        "Punten": 1.5, "Vlag": True}


def test_true_is_not_written_as_1_where_a_column_holds_both() -> None:
    """True == 1 == 1.0 as dict keys: the per-column reuse must not mix them up."""
    encode = raw_encoder(["Vlag"])
    column: list[Any] = [1, True, 1.0, False, 0, 0.0, True, 1]

    chunked = [text for value in column for text in encode([[value]])]

    assert encode([[value] for value in column]) == chunked == [
        '{"Vlag": 1}', '{"Vlag": true}', '{"Vlag": 1}', '{"Vlag": false}', '{"Vlag": 0}',
        '{"Vlag": 0}', '{"Vlag": true}', '{"Vlag": 1}']


def test_unhashable_cells_and_short_rows_are_written_one_by_one() -> None:
    encode = raw_encoder(["A", "B", "C"])

    assert encode([["x", ["lijst"], "z"], ["y", "b", "c"]]) == [
        '{"A": "x", "B": "[\'lijst\']", "C": "z"}', '{"A": "y", "B": "b", "C": "c"}']
    assert encode([["x"], ["y", "b", "c", "extra"]]) == [
        '{"A": "x"}', '{"A": "y", "B": "b", "C": "c"}']
    assert raw_json(["A", "B"], ["x", 2.0]) == '{"A": "x", "B": 2}'


# ---- history rows -----------------------------------------------------------------------------


@pytest.mark.parametrize("file_name", ["lijst ö.xlsx", 'a "quoted" \\ name\n.csv'])
def test_a_coachs_history_row_is_what_history_values_writes_for_its_credits(
        file_name: str) -> None:
    """The credits' text is filled in from history_store.history_values' own output: the same
    text as the plain way, a dict per credit encoded by it."""
    change = Change(actor="test", command="import attendance",
                    at=datetime(2024, 5, 14, tzinfo=UTC))
    course = {"course": 'C-"ö"\\1', "run_date": date(2024, 5, 14), "points": Decimal("1.50")}
    history = CreditHistory(change, 12, file_name)
    history.add([RowResult(7, Outcome.CREDITED, coach_id=1, run_id=3, **course),
                 RowResult(8, Outcome.DUPLICATE, Reason.DUPLICATE_IN_FILE, coach_id=1,
                           run_id=3, **course)])
    history.add([RowResult(9, Outcome.CREDITED, coach_id=2, run_id=3, **course),
                 RowResult(10, Outcome.CREDITED, coach_id=1, run_id=4, course="C-2",
                           run_date=date(2024, 6, 1), points=Decimal(2)),
                 RowResult(1234567, Outcome.CREDITED, coach_id=2, run_id=4, course="C-2",
                           run_date=date(2024, 6, 1), points=Decimal(2))])

    def plain(coach_id: int, credits_: list[tuple[str, date, Decimal, int]]) -> dict[str, Any]:
        return history_store.history_values(change, entity="point_credit", action="import",
                                            entity_id=12,
                                            coach_id=coach_id, after={
                                     "batch": 12, "file": file_name,
                                     "credits": [credit_entry(*c) for c in credits_]})

    first = (course["course"], course["run_date"], course["points"])
    second = ("C-2", date(2024, 6, 1), Decimal(2))
    assert history.rows() == [plain(1, [(*first, 7), (*second, 10)]),
                              plain(2, [(*first, 9), (*second, 1234567)])]
    assert json.loads(history.rows()[0]["after"])["credits"][0] == {
        "course": 'C-"ö"\\1', "run_date": "2024-05-14", "points": "1.5", "row": 7}


def test_import_rows_hold_plain_slugs_and_a_held_rows_review() -> None:
    held = RowResult(4, Outcome.HELD, Reason.NEAR_MATCH, "close", run_id=3,
                     candidates=[{"reg_no": "004512"}], identity="reg:4512|big:|name:x|born:")
    credited = RowResult(5, Outcome.CREDITED, coach_id=1, run_id=3)

    rows = import_rows(12, [held, credited], ['{"a": 1}', "{}"])

    assert rows == [
        (12, 4, "held", "near-match", "close", '{"a": 1}', None, 3,
         '{"identity": "reg:4512|big:|name:x|born:", "coaches": [{"reg_no": "004512"}]}'),
        (12, 5, "credited", None, None, "{}", 1, 3, None)]
    assert all(type(value) is str for value in rows[0][2:4])  # the driver binds them as is


def test_history_rows_of_an_import_are_canonical_json_with_every_credit(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    build_register(run)
    sheet = make_xlsx([HEADER, *MESSY_ROWS], title_rows=TITLE_ROWS, name="lijst 'ö'.xlsx")
    ok(run("import", "attendance", str(sheet)), ExitCode.FINDINGS)

    rows = query(db_path, "SELECT coach_id, \"after\" FROM history WHERE action = 'import' "
                          "AND entity = 'point_credit'")
    credited = query(db_path, "SELECT coach_id, COUNT(*) FROM point_credit WHERE batch_id = 1 "
                              "GROUP BY coach_id")
    for _coach, text in rows:
        assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
        assert json.loads(text)["file"] == "lijst 'ö'.xlsx"
    assert sorted((coach, len(json.loads(text)["credits"])) for coach, text in rows) == \
        sorted(credited)


# ---- many rows per INSERT ---------------------------------------------------------------------


@pytest.fixture
def session(db_path: Path) -> Any:
    engine = db.make_engine(db.database_url(str(db_path)))
    with db.transaction(engine, dry_run=False) as the_session:
        yield the_session
    engine.dispose()


def new_batch(session: Any) -> int:
    return import_store.insert_batch(session, {"kind": "attendance", "file_name": "x.xlsx",
                                               "sha256": "0" * 64, "sheet": "Blad1",
                                               "imported_at": datetime.now(UTC), "actor": "test"})


def test_rows_are_inserted_many_per_statement_in_order(session: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_ROWS_PER_INSERT", 1000)
    batch = new_batch(session)
    tuples = [(batch, n, "skipped", "blank-row", None, json.dumps({"n": n, "t": "ö'\""}), None,
               None, None) for n in range(1, 2502)]
    dicts = [dict(zip(import_store.IMPORT_ROW_COLUMNS, (batch, n, "rejected", None, "m", "{}", None,
                                               None, None), strict=True))
             for n in range(3000, 3004)]

    import_store.insert_import_rows(session, tuples)
    import_store.insert_import_rows(session, dicts)
    import_store.insert_import_rows(session, [])

    stored = session.execute(select(ImportRow.row_number, ImportRow.raw, ImportRow.outcome)
                             .order_by(ImportRow.id)).all()
    assert [tuple(r) for r in stored] == [(n, json.dumps({"n": n, "t": "ö'\""}), "skipped")
                                          for n in range(1, 2502)] + [
        (n, "{}", "rejected") for n in range(3000, 3004)]


def test_values_the_dialect_converts_are_stored_as_sqlalchemy_stores_them(
        session: Any, db_path: Path) -> None:
    at = datetime(2024, 5, 14, 9, 30, 15, 123456, tzinfo=UTC)
    change = Change(actor="test", command="import attendance", at=at)
    rows = [history_store.history_values(change, entity="x", action="import", coach_id=n,
                                         after={"n": n}) for n in range(3)]
    history_store.insert_history(session, rows)
    history_store.record(session, change, entity="x", action="add", coach_id=9, after={"n": 9})
    session.flush()

    assert [h.at.replace(tzinfo=UTC) for h in session.scalars(select(History))] == [at] * 4
    session.commit()
    texts = {row[0] for row in query(db_path, "SELECT CAST(at AS TEXT) FROM history")}
    assert len(texts) == 1  # the same value as the ORM's own insert


# ---- statements on a thread of their own ------------------------------------------------------


def test_statements_run_in_order_on_another_thread() -> None:
    done: list[tuple[int, str]] = []
    writer = Background()

    for n in range(5):
        writer.submit(lambda n: done.append((n, threading.current_thread().name)), n)
    assert writer.call(len, done) == 5
    writer.close()

    assert [n for n, _ in done] == list(range(5))
    assert all(name != threading.current_thread().name for _, name in done)


def test_the_first_failure_stops_what_follows_and_is_raised_by_the_caller() -> None:
    done: list[int] = []
    writer = Background()

    def fail() -> None:
        raise RuntimeError("disk unplugged")

    writer.submit(done.append, 1)
    writer.submit(fail)
    writer.submit(done.append, 2)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        writer.close()
    assert done == [1]

    abandoned = Background()
    abandoned.submit(fail)
    abandoned.close(abandon=True)  # the caller is raising its own exception already
    with pytest.raises(RuntimeError):
        abandoned.submit(done.append, 3)
    assert done == [1]


def test_without_threads_statements_run_at_once() -> None:
    done: list[str] = []
    writer = Background(threaded=False)

    writer.submit(lambda: done.append(threading.current_thread().name))

    assert done == [threading.current_thread().name]
    assert writer.call(len, done) == 1
    writer.close()


# ---- deciding with what was read before -------------------------------------------------------


def test_a_two_digit_birth_year_is_read_against_each_rows_course_date(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    """The same person cells on two rows: born '15-06-24' is 1924 before a course of May
    2024 (credited), but 2024 for a course in September (held: not the coach's birth date)."""
    build_register(run)
    ok(run("coach", "add", "--reg-no", "100600", "--last-name", "Visser", "--initials", "H.",
           "--birth-date", "15-06-1924", "--registered", "01-01-2022"))
    ok(run("agenda", "run", "add", "--course", "C-2024-017", "--date", "03-09-2024"))
    person = ["100600", "Visser", None, "H.", "15-06-24", None]
    sheet = make_xlsx([HEADER, [*person, "C-2024-017", MI, "14-05-2024", "1,5", None],
                       [*person, "C-2024-017", MI, "03-09-2024", "1,5", None]])

    result = ok(run("import", "attendance", str(sheet), "--format", "json"), ExitCode.FINDINGS)

    rows = json.loads(result.stdout)["files"][0]["rows"]
    assert [(r["outcome"], r["reason"]) for r in rows] == [
        ("credited", None), ("held", "birth-date-mismatch")]
