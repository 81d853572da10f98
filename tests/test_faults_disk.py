"""A full disk: during an import the register stays whole (no hot journal, the file as before, so
even a naive copy of the .sqlite is good), and a report that does not fit is one message, exit 3.

A real full disk: a small tmpfs mounted for the test (CI runs as root; elsewhere the tests say
why they cannot run).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smr_register.errors import ExitCode

pytestmark = pytest.mark.sqlite_file


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Callable_]:
    """mount(size_kib) -> a directory on a tmpfs of that size, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.fail("the full-disk tests mount a tmpfs and need root (CI runs as root)")
    mounted: list[Path] = []

    def mount(size_kib: int) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
                       check=True)
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False)


Callable_ = object  # the fixture's type, kept simple for the reader


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sheet(tmp_path: Path, demo_db: Path, rows: int) -> Path:
    """An attendance sheet crediting the demo's coaches for the demo's runs, many rows."""
    import sqlite3
    from contextlib import closing

    from openpyxl import Workbook

    with closing(sqlite3.connect(demo_db)) as conn:
        coaches = conn.execute("SELECT reg_no, last_name FROM coach ORDER BY id").fetchall()
        runs = conn.execute("SELECT c.code, r.run_date FROM course_run r JOIN course c "
                            "ON c.id = r.course_id ORDER BY r.id").fetchall()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Presentielijst")
    sheet.append(["Registratienummer", "Achternaam", "Cursuscode", "Datum"])
    for n in range(rows):
        code, day = runs[n % len(runs)]
        sheet.append([*coaches[(n // len(runs)) % len(coaches)], code, day])
    path = tmp_path / "attendance.xlsx"
    book.save(path)
    return path


def test_a_full_disk_during_an_import_leaves_the_register_as_it_was(
        tiny_disk: object, tmp_path: Path, demo_db: Path) -> None:
    sheet = _sheet(tmp_path, demo_db, 20_000)
    disk = tiny_disk(demo_db.stat().st_size // 1024 + 400)  # type: ignore[operator]
    register = disk / "register.sqlite"
    shutil.copyfile(demo_db, register)
    before = _sha(register)
    result = subprocess.run([sys.executable, "-m", "smr_register", "--db", str(register),
                             "import", "attendance", str(sheet)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == ExitCode.DATABASE, result.stderr
    assert "full" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in disk.iterdir()) == ["register.sqlite"]  # no hot journal
    assert _sha(register) == before


@pytest.mark.parametrize("command", [["audit"], ["report", "expiry", "--within", "3650"],
                                     ["report", "public"], ["report", "stats"]])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_a_report_that_does_not_fit_is_one_message(tiny_disk: object, demo_db: Path,
                                                   command: list[str], fmt: str) -> None:
    if command == ["report", "stats"] and fmt == "csv":
        pytest.skip("report stats has no csv")
    disk = tiny_disk(4)  # one page: no report of the demo fits  # type: ignore[operator]
    target = disk / f"out.{fmt}"
    result = subprocess.run([sys.executable, "-m", "smr_register", "--db", str(demo_db),
                             *command, "--format", fmt, "--output", str(target),
                             "--as-of", "01-12-2026"],
                            capture_output=True, text=True, check=False)
    result.exit_code = result.returncode  # type: ignore[attr-defined]
    assert result.exit_code == ExitCode.INPUT, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("error") == 1
    assert list(disk.iterdir()) == []  # no half file, no temporary file left behind
