"""Several staff at once, as real processes on one register (SQLite file or PostgreSQL).

Each test starts `smr` processes side by side, as staff at several machines would, and checks
what the register holds afterwards: imports wait for each other and credit every row once,
undo and resolve keep the batches' counters equal to their rows, races on a key end in exit 4
with a sentence, never in exit 5 or 70.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from smr_register import db
from smr_register.errors import ExitCode
from smr_register.store import locks
from smr_register.store.models import (
    Coach,
    Course,
    CourseRun,
    History,
    ImportBatch,
    ImportRow,
    PointCredit,
    Provider,
    RegistrationPeriod,
    coach_keys,
)
from smr_register.store.transfer import reset_sequences
from tests.fixtures.imports import write_csv
from tests.fixtures.registers import ON_POSTGRESQL, Register, Registers, engine_of

COACHES = 200
COURSES = 10
RUNS_PER_COURSE = 3
DAY = date(2024, 3, 1)


def smr(register: Register, *args: str, stderr: Path | None = None) -> subprocess.Popen[str]:
    """`smr --db REGISTER ARGS` as a process of its own."""
    env = {**os.environ, "SMR_ACTOR": "test-admin", "COLUMNS": "200"}
    return subprocess.Popen(
        [sys.executable, "-m", "smr_register", "--db", str(register), *args],
        stdout=subprocess.PIPE, stderr=stderr.open("w") if stderr else subprocess.PIPE,
        text=True, env=env)


def finish(processes: Sequence[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    """(exit code, stderr) of each process, once all have ended."""
    out = []
    for process in processes:
        _stdout, stderr = process.communicate(timeout=300)
        out.append((process.returncode, stderr or ""))
    return out


@pytest.fixture(scope="module")
def crowded(session_registers: Registers) -> Register:
    """A register of 200 coaches and 30 course runs, filled with Core inserts."""
    from tests.fixtures import init_register

    register = init_register(session_registers.new("crowded"))
    engine = engine_of(register)
    with engine.begin() as conn:
        conn.execute(insert(Provider), [{"id": 1, "name": "Academie"}])
        conn.execute(insert(Coach), [
            {"id": n, "reg_no": f"{200000 + n}", "initials": "A.", "last_name": f"Coach{n}",
             "state": "active"} for n in range(1, COACHES + 1)])
        conn.execute(insert(RegistrationPeriod), [
            {"coach_id": n, "starts_on": date(2022, 1, 1), "valid_until": date(2026, 12, 31)}
            for n in range(1, COACHES + 1)])
        conn.execute(insert(Course), [
            {"id": c, "code": f"K-{c:03d}", "title": f"Cursus {c}", "provider_id": 1,
             "points_centi": 200, "accredited_from": date(2023, 1, 1),
             "accredited_until": date(2025, 12, 31)} for c in range(1, COURSES + 1)])
        conn.execute(insert(CourseRun), [
            {"id": (c - 1) * RUNS_PER_COURSE + r + 1, "course_id": c,
             "run_date": DAY + timedelta(days=7 * r)}
            for c in range(1, COURSES + 1) for r in range(RUNS_PER_COURSE)])
        reset_sequences(conn)
    engine.dispose()
    return register


@pytest.fixture
def register(crowded: Register, registers: Registers) -> Register:
    return registers.copy(crowded, "crowded")


Pair = tuple[int, int, int]  # (coach number, course, run index)


def all_pairs() -> list[Pair]:
    return [(n, c, r) for n in range(1, COACHES + 1) for c in range(1, COURSES + 1)
            for r in range(RUNS_PER_COURSE)]


def sheet(folder: Path, name: str, pairs: Sequence[Pair], *,
          wrong_name: bool = False) -> Path:
    """An attendance list (cp1252 csv) of these (coach, course, run) rows."""
    rows = [[f"{200000 + n}", f"Anders{n}" if wrong_name else f"Coach{n}", None, "A.", None,
             None, f"K-{c:03d}", f"Cursus {c}", DAY + timedelta(days=7 * r), "2", None]
            for n, c, r in pairs]
    return write_csv(folder / name, rows, title_rows=())


def credited(register: Register) -> set[tuple[str, str, date]]:
    engine = engine_of(register)
    try:
        with engine.connect() as conn:
            return {tuple(r) for r in conn.execute(  # type: ignore[misc]
                select(Coach.reg_no, Course.code, CourseRun.run_date).select_from(PointCredit)
                .join(Coach, PointCredit.coach_id == Coach.id)
                .join(CourseRun, PointCredit.run_id == CourseRun.id)
                .join(Course, CourseRun.course_id == Course.id))}
    finally:
        engine.dispose()


def as_keys(pairs: Sequence[Pair]) -> set[tuple[str, str, date]]:
    return {(f"{200000 + n}", f"K-{c:03d}", DAY + timedelta(days=7 * r)) for n, c, r in pairs}


def check_is_clean(register: Register) -> None:
    """`smr db check`: no finding (batch counters equal their rows, every credit its row)."""
    ((code, stderr),) = finish([smr(register, "db", "check", "--format", "json")])
    assert code == ExitCode.OK, stderr


def batches(register: Register) -> list[ImportBatch]:
    from sqlmodel import Session

    engine = engine_of(register)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id)))
    finally:
        engine.dispose()


# ---- imports side by side ---------------------------------------------------------------------


def test_overlapping_imports_wait_for_each_other_and_credit_every_row_once(
        register: Register, tmp_path: Path) -> None:
    pool = random.Random(13).sample(all_pairs(), 900)
    sheets = [sheet(tmp_path, f"lijst{i}.csv", random.Random(i).sample(pool, 500))
              for i in range(4)]
    results = finish([smr(register, "import", "attendance", str(path), "--format", "json")
                      for path in sheets])

    for code, stderr in results:
        assert code in (ExitCode.OK, ExitCode.FINDINGS), stderr
        assert "error" not in stderr, stderr
    wanted = set().union(*(as_keys(random.Random(i).sample(pool, 500)) for i in range(4)))
    assert credited(register) == wanted
    done = batches(register)
    assert len(done) == 4
    assert sum(b.credited for b in done) == len(wanted)
    assert all(b.credited + b.duplicates == 500 for b in done)
    check_is_clean(register)


def test_an_import_says_it_waits_for_another_and_then_counts_its_credits(
        register: Register, tmp_path: Path) -> None:
    first = [(n, 1, 0) for n in range(1, 51)]
    path = sheet(tmp_path, "lijst.csv", first)
    log = tmp_path / "stderr.txt"
    engine = engine_of(register)
    try:
        with db.transaction(engine) as session:  # another import, holding the register
            locks.lock_imports(session)
            batch_id = session.execute(insert(ImportBatch).values(
                kind="attendance", file_name="eerder.csv", sha256="0" * 64,
                imported_at=datetime.now(UTC), actor="colleague", rows_read=1, credited=1)
            ).inserted_primary_key[0]
            session.execute(insert(ImportRow).values(
                batch_id=batch_id, row_number=2, outcome="credited", raw="{}", coach_id=1,
                run_id=1))
            session.execute(insert(PointCredit).values(
                coach_id=1, run_id=1, points_centi=200, source="import", batch_id=batch_id,
                row_number=2, credited_at=datetime.now(UTC)))
            waiting = smr(register, "import", "attendance", str(path), stderr=log)
            deadline = time.monotonic() + 60
            while "waiting for another import to finish" not in log.read_text():
                assert waiting.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
    finally:
        engine.dispose()
    ((code, _),) = finish([waiting])
    assert code in (ExitCode.OK, ExitCode.FINDINGS), log.read_text()
    second = batches(register)[1]
    assert (second.credited, second.duplicates) == (49, 1)  # coach 1: credited by batch 1
    check_is_clean(register)


# ---- after an import: resolve and undo side by side --------------------------------------------


def test_resolving_held_rows_side_by_side_keeps_the_counters(register: Register,
                                                             tmp_path: Path) -> None:
    held = [(n, 2, 1) for n in range(1, 13)]
    path = sheet(tmp_path, "lijst.csv", held, wrong_name=True)
    ((code, stderr),) = finish([smr(register, "import", "attendance", str(path))])
    assert code == ExitCode.FINDINGS, stderr
    assert batches(register)[0].held == 12
    rows = [f"1:{n}" for n in range(2, 14)]
    processes = []
    for i in range(4):
        script = " && ".join(f"{sys.executable} -m smr_register --db '{register}' import "
                             f"resolve {ref} --reject 'niet aanwezig'" for ref in rows[i::4])
        processes.append(subprocess.Popen(["sh", "-c", script], stderr=subprocess.PIPE,
                                          text=True, env={**os.environ,
                                                          "SMR_ACTOR": "test-admin"}))
    for code, stderr in finish(processes):
        assert code == ExitCode.OK, stderr
    batch = batches(register)[0]
    assert (batch.held, batch.rejected) == (0, 12)
    check_is_clean(register)


def test_two_undos_of_one_batch_one_wins(register: Register, tmp_path: Path) -> None:
    path = sheet(tmp_path, "lijst.csv", [(n, 3, 0) for n in range(1, 101)])
    assert finish([smr(register, "import", "attendance", str(path))])[0][0] == ExitCode.OK
    results = finish([smr(register, "import", "undo", "1", "--reason", "verkeerde lijst")
                      for _ in range(2)])

    assert sorted(code for code, _ in results) == [ExitCode.OK, ExitCode.REGISTER]
    loser = next(stderr for code, stderr in results if code == ExitCode.REGISTER)
    assert "batch 1 was already undone" in loser
    assert credited(register) == set()
    engine = engine_of(register)
    try:
        with engine.connect() as conn:
            undos = conn.execute(select(func.count()).select_from(History).where(
                History.entity == "import_batch", History.action == "undo")).scalar()
    finally:
        engine.dispose()
    assert undos == 1
    check_is_clean(register)


def test_an_undo_beside_an_import_of_the_same_rows_loses_nothing(register: Register,
                                                                 tmp_path: Path) -> None:
    first = [(n, 4, 0) for n in range(1, 151)]
    again = [*first, *[(n, 4, 1) for n in range(1, 51)]]  # the same rows and 50 more
    path = sheet(tmp_path, "eerste.csv", first)
    assert finish([smr(register, "import", "attendance", str(path))])[0][0] == ExitCode.OK
    corrected = sheet(tmp_path, "verbeterd.csv", again)
    results = finish([smr(register, "import", "undo", "1", "--reason", "verbeterde lijst"),
                      smr(register, "import", "attendance", str(corrected))])

    for code, stderr in results:
        assert code in (ExitCode.OK, ExitCode.FINDINGS), stderr
    assert credited(register) == as_keys(again)
    second = batches(register)[1]
    assert (second.credited, second.duplicates) == (200, 0)
    check_is_clean(register)


# ---- races on a key ---------------------------------------------------------------------------


def test_the_same_coach_added_four_times_at_once_is_added_once(register: Register) -> None:
    results = finish([smr(register, "coach", "add", "--reg-no", "300001", "--last-name",
                          "Tegelijk", "--registered", "01-01-2024") for _ in range(4)])

    assert sorted(code for code, _ in results) == [ExitCode.OK] + [ExitCode.REGISTER] * 3
    for code, stderr in results:
        if code == ExitCode.REGISTER:
            assert ("300001" in stderr and "already in the register" in stderr) or (
                "another command wrote the same coach" in stderr), stderr
            assert "Traceback" not in stderr


def test_one_coach_renewed_four_times_at_once_is_renewed_once(demo_db: Register) -> None:
    results = finish([smr(demo_db, "renew", "101170", "--as-of", "01-12-2026")
                      for _ in range(4)])

    assert sorted(code for code, _ in results) == [ExitCode.OK] + [ExitCode.REGISTER] * 3
    for code, stderr in results:
        if code == ExitCode.REGISTER:
            assert "coach 101170: already renewed on" in stderr, stderr
    engine = engine_of(demo_db)
    try:
        with engine.connect() as conn:
            renewals = conn.execute(select(func.count()).select_from(History).where(
                History.entity == "registration_period", History.action == "renew",
                History.command == "renew")).scalar()
    finally:
        engine.dispose()
    assert renewals == 1


# ---- the same, one after another (in this process) ----------------------------------------------


def test_an_undo_after_an_import_of_the_same_rows_hands_the_credits_over(
        register: Register, tmp_path: Path, runner: CliRunner) -> None:
    first = [(n, 5, 0) for n in range(1, 21)]
    again = [*first[:10], (21, 5, 0)]
    run = _runner(runner, register)
    assert run("import", "attendance", str(sheet(tmp_path, "a.csv", first))).exit_code == 0
    assert run("import", "attendance", str(sheet(tmp_path, "b.csv", again))).exit_code in (0, 1)
    assert (batches(register)[1].credited, batches(register)[1].duplicates) == (1, 10)

    undone = run("import", "undo", "1", "--reason", "verkeerde lijst")

    assert undone.exit_code == ExitCode.OK, undone.stderr
    assert credited(register) == as_keys(again)
    assert (batches(register)[1].credited, batches(register)[1].duplicates) == (11, 0)
    shown = json.loads(run("import", "show", "2", "--format", "json").stdout)
    assert {r["outcome"] for r in shown["rows"]} == {"credited"}
    assert "credited when batch 1, which credited it first, was undone" in shown["rows"][0][
        "message"]
    history = json.loads(run("history", "200001", "--format", "json").stdout)
    assert history[-1]["reason"] == ("batch 1 was undone: these rows of batch 2 repeated its "
                                     "credits and credit them now")
    check_is_clean(register)


def test_a_dry_run_leaves_no_gap_in_the_batch_numbers(register: Register, tmp_path: Path,
                                                     runner: CliRunner) -> None:
    run = _runner(runner, register)
    path = sheet(tmp_path, "lijst.csv", [(n, 6, 0) for n in range(1, 11)])
    dry = run("import", "attendance", str(path), "--dry-run", "--format", "json")
    assert dry.exit_code == ExitCode.OK, dry.stderr
    assert run("import", "attendance", str(path)).exit_code == ExitCode.OK

    shown = run("import", "show", "1", "--format", "json")
    assert shown.exit_code == ExitCode.OK, shown.stderr
    assert json.loads(shown.stdout)["batch"]["credited"] == 10
    assert [b["batch"] for b in json.loads(run("import", "list", "-f", "json").stdout)] == [1]


def test_a_deadlock_the_database_breaks_runs_the_command_again(
        register: Register, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    from smr_register.services import coach_records

    class Deadlock(Exception):
        sqlstate = "40P01"

    real, calls = coach_records.add_coach, []

    def once_in_a_deadlock(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT ...", {}, Deadlock("deadlock detected"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(coach_records, "add_coach", once_in_a_deadlock)
    run = _runner(runner, register)
    added = run("coach", "add", "--reg-no", "300002", "--last-name", "Opnieuw",
                "--registered", "01-01-2024")

    assert added.exit_code == ExitCode.OK, added.stderr
    assert len(calls) == 2

    monkeypatch.setattr(coach_records, "add_coach", lambda *a, **k: (_ for _ in ()).throw(
        OperationalError("INSERT ...", {}, Deadlock("deadlock detected"))))
    failed = run("coach", "add", "--reg-no", "300003", "--last-name", "Steeds",
                 "--registered", "01-01-2024")
    assert failed.exit_code == ExitCode.DATABASE
    assert "to end a deadlock with another one (40P01), nothing written; run it again " \
           "(tried 3 times)" in failed.stderr


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite has one writer at a time: no coach can "
                    "be added beside an import's insert there; needs SMR_TEST_DATABASE_URL")
def test_a_coach_added_beside_a_coaches_import_leaves_the_import_its_own_ids(
        register: Register, runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
        make_xlsx: Any) -> None:
    # On PostgreSQL `coach add` does not wait for imports: a coach committed while an import
    # inserts its coaches must neither be taken for one of them nor break the import.
    from smr_register.store import bulk

    real, added_beside = bulk.insert_many, []

    def insert_then_another_commits(session: Any, table: Any, rows: Any,
                                    columns: Any = None) -> None:
        real(session, table, rows, columns)
        if table.name == "coach" and not added_beside:
            engine = engine_of(register)
            try:
                with engine.begin() as conn:  # another member of staff, committed at once
                    other = conn.execute(insert(Coach).returning(Coach.id), [{
                        "reg_no": "300999", "last_name": "Ernaast",
                        **coach_keys({"reg_no": "300999", "last_name": "Ernaast"})}]).scalar()
                    conn.execute(insert(RegistrationPeriod), [{
                        "coach_id": other, "starts_on": date(2024, 1, 1),
                        "valid_until": date(2028, 12, 31)}])
            finally:
                engine.dispose()
            added_beside.append(1)

    monkeypatch.setattr(bulk, "insert_many", insert_then_another_commits)
    header = ["Registratienummer", "Achternaam", "Voorletters", "Registratiedatum"]
    path = make_xlsx([header, *[[f"{300100 + n}", f"Nieuw{n}", "B.", "15-01-2024"]
                                for n in range(5)]], name="coaches.xlsx")
    run = _runner(runner, register)

    imported = run("coach", "import", str(path), "--format", "json")

    assert imported.exit_code == ExitCode.OK, imported.stderr
    assert added_beside
    rows = json.loads(imported.stdout)["files"][0]["rows"]
    assert [r["coach"] for r in rows] == [f"{300100 + n}" for n in range(5)]
    shown = json.loads(run("import", "show", "1", "--format", "json").stdout)
    assert [r["coach"] for r in shown["rows"]] == [f"{300100 + n}" for n in range(5)]
    for n in range(5):
        history = json.loads(run("history", f"{300100 + n}", "--format", "json").stdout)
        assert [(h["entity"], h["after"].get("reg_no")) for h in history] == [
            ("coach", f"{300100 + n}"), ("registration_period", None)]
    check_is_clean(register)


def _runner(runner: CliRunner, register: Register) -> Any:
    from smr_register.cli import app

    return lambda *args: runner.invoke(app, ["--db", str(register), *args])
