"""`smr db check`, `smr db backup`, `smr db restore` on real SQLite files."""

from __future__ import annotations

import json
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump

pytestmark = pytest.mark.sqlite_file


def _sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in statements:
            conn.execute(statement)


def test_check_of_a_sound_register_finds_nothing(run: Run, demo_db: Path) -> None:
    result = run("db", "check", "--format", "json", db=demo_db)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout) == []
    assert "no findings" in result.stderr


def test_check_names_every_broken_promise(run: Run, demo_db: Path) -> None:
    _sql(demo_db,
         # a history row of an import whose batch does not exist (an interrupted import)
         "INSERT INTO history (at, actor, command, entity, entity_id, action) "
         "VALUES ('2026-11-30 10:00:00', 'x', 'import attendance', 'import_batch', 99, 'import')",
         # a batch whose counters disagree with its rows
         "INSERT INTO import_batch (id, kind, file_name, sha256, imported_at, actor, rows_read, "
         "credited, held, rejected, skipped, duplicates) VALUES (1, 'attendance', 'a.xlsx', "
         "'00', '2026-11-30 10:00:00', 'x', 1, 1, 0, 0, 0, 0)",
         "INSERT INTO import_row (batch_id, row_number, outcome, raw) "
         "VALUES (1, 2, 'held', '[]')",
         # a second row in the version table
         "INSERT INTO alembic_version VALUES ('0002')",
         # two registration periods in force on one day
         "INSERT INTO registration_period (coach_id, starts_on, valid_until) "
         "SELECT coach_id, date(starts_on, '+1 day'), valid_until FROM registration_period "
         "ORDER BY id LIMIT 1")
    result = run("db", "check", "--format", "json", db=demo_db)
    assert result.exit_code == ExitCode.FINDINGS, result.stderr
    checks = {f["check"]: f for f in json.loads(result.stdout)}
    assert set(checks) == {"history-without-batch", "batch-counters", "schema-version",
                           "overlapping-periods"}
    assert "batch 99" in checks["history-without-batch"]["detail"]
    assert "credited 1 but 0 rows" in checks["batch-counters"]["detail"]
    assert "held 0 but 1 rows" in checks["batch-counters"]["detail"]


def test_check_finds_an_orphan_and_a_credit_outside_accreditation(run: Run,
                                                                  demo_db: Path) -> None:
    _sql(demo_db, "PRAGMA foreign_keys=OFF",
         "UPDATE point_credit SET coach_id = 999999 WHERE id = 1",
         "UPDATE course SET accredited_until = '1990-01-01' WHERE id = "
         "(SELECT course_id FROM course_run WHERE id = (SELECT run_id FROM point_credit "
         "WHERE id = 2))")
    result = run("db", "check", "--format", "json", db=demo_db)
    assert result.exit_code == ExitCode.FINDINGS
    checks = {f["check"]: f for f in json.loads(result.stdout)}
    assert "point_credit.coach_id" in checks["foreign-key"]["detail"]
    assert "credit 2 " in checks["credit-outside-accreditation"]["detail"]


def _damage(path: Path, seed: int = 7) -> None:
    """8 KB of random bytes in the middle of the file: data pages, not the header."""
    data = bytearray(path.read_bytes())
    start = len(data) // 2 // 4096 * 4096
    data[start:start + 8192] = random.Random(seed).randbytes(8192)
    path.write_bytes(bytes(data))


def test_check_reports_damaged_pages(run: Run, demo_db: Path) -> None:
    _damage(demo_db)
    result = run("db", "check", "--format", "json", db=demo_db)
    assert result.exit_code in (ExitCode.FINDINGS, ExitCode.DATABASE), result.stderr
    if result.exit_code == ExitCode.FINDINGS:
        assert json.loads(result.stdout)[0]["check"] == "integrity"


def test_check_of_a_file_that_is_no_database_is_exit_5(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is no database at all" * 200)
    result = run("db", "check", db=path)
    assert result.exit_code == ExitCode.DATABASE
    assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_backup_then_restore_brings_the_register_back(run: Run, demo_db: Path,
                                                      tmp_path: Path) -> None:
    copy = tmp_path / "backup.sqlite"
    result = run("db", "backup", str(copy), db=demo_db)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "300 coaches" in result.stderr and "passed its check" in result.stderr
    before = dump(demo_db)
    assert dump(copy) == before
    added = run("coach", "add", "--reg-no", "888888", "--last-name", "Later",
                "--registered", "01-01-2026", db=demo_db)
    assert added.exit_code == ExitCode.OK
    result = run("db", "restore", str(copy), db=demo_db)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert dump(demo_db) == before
    kept = list(tmp_path.glob("demo.sqlite.replaced-*"))
    assert len(kept) == 1
    assert any(row[1] == "888888" for row in dump(kept[0])["coach"])
    assert str(kept[0]) in result.stderr


def test_backup_never_overwrites(run: Run, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "there.sqlite"
    target.write_text("keep me")
    result = run("db", "backup", str(target), db=demo_db)
    assert result.exit_code == ExitCode.USAGE
    assert target.read_text() == "keep me"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(run: Run, demo_db: Path,
                                                              tmp_path: Path) -> None:
    copy = tmp_path / "backup.sqlite"
    assert run("db", "backup", str(copy), db=demo_db).exit_code == ExitCode.OK
    _damage(copy)
    before = dump(demo_db)
    result = run("db", "restore", str(copy), db=demo_db)
    assert result.exit_code == ExitCode.INPUT
    assert str(copy) in result.stderr
    assert dump(demo_db) == before
    assert not list(tmp_path.glob("demo.sqlite.replaced-*"))


def test_restore_refuses_a_backup_of_a_newer_schema(run: Run, demo_db: Path,
                                                    tmp_path: Path) -> None:
    copy = tmp_path / "backup.sqlite"
    assert run("db", "backup", str(copy), db=demo_db).exit_code == ExitCode.OK
    _sql(copy, "UPDATE alembic_version SET version_num = '9999'")
    before = dump(demo_db)
    result = run("db", "restore", str(copy), db=demo_db)
    assert result.exit_code == ExitCode.INPUT
    assert "9999" in result.stderr and "newer" in result.stderr
    assert dump(demo_db) == before


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [
    ["coach", "add", "--reg-no", "777777", "--last-name", "Nieuw", "--registered", "01-01-2026"],
    ["renew", "--due-within", "120", "--as-of", "01-12-2026"],
    ["agenda", "provider", "add", "--name", "Nieuwe Aanbieder"],
], ids=["coach-add", "renew", "provider-add"])
def test_no_write_into_a_damaged_register(run: Run, demo_db: Path, command: list[str]) -> None:
    """8 KB of random bytes in a data page: every write command refuses, exit 5, file as it was."""
    _damage(demo_db)
    before = _sha(demo_db)
    result = run(*command, db=demo_db)
    assert result.exit_code == ExitCode.DATABASE, result.stderr
    assert str(demo_db) in result.stderr and "smr db check" in result.stderr
    assert _sha(demo_db) == before


@pytest.mark.parametrize(("command", "lines"), [
    (["import", "attendance"], "Registratienummer;Achternaam;Cursuscode;Datum\n"
                               "004512;Idrissi;KTN-309;01-02-2018\n"),
    (["agenda", "import"], "Cursuscode;Titel;Aanbieder;Punten;Geaccrediteerd van;"
                           "Geaccrediteerd tot\nNW-1;Nieuw;Nieuwe Aanbieder;2;01-01-2026;"
                           "31-12-2027\n"),
    (["coach", "import"], "Registratienummer;Achternaam;Registratiedatum\n"
                          "777777;Nieuw;01-01-2026\n"),
], ids=["attendance", "agenda", "coaches"])
def test_an_import_into_a_damaged_register_is_refused(run: Run, demo_db: Path, tmp_path: Path,
                                                      command: list[str], lines: str) -> None:
    sheet = tmp_path / "lijst.csv"
    sheet.write_text(lines, encoding="utf-8")
    _damage(demo_db)
    before = _sha(demo_db)
    result = run(*command, str(sheet), db=demo_db)
    assert result.exit_code == ExitCode.DATABASE, result.stderr
    assert str(demo_db) in result.stderr and "smr db check" in result.stderr
    assert _sha(demo_db) == before


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x00" * 50,
                                     b"not a database" * 1000], ids=["empty-page", "truncated",
                                                                     "text"])
@pytest.mark.parametrize("command", [["db", "status"], ["coach", "list"], ["init"],
                                     ["db", "upgrade"]], ids=lambda c: "-".join(c))
def test_a_file_that_is_no_register_is_exit_5_on_every_command(
        run: Run, tmp_path: Path, content: bytes, command: list[str]) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(content or b"\x00" * 4096)
    result = run(*command, db=path)
    assert result.exit_code == ExitCode.DATABASE, (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr
