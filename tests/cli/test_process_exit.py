"""The `smr` process ends without the interpreter's garbage collections at shutdown (start-up,
issue 14): what a command wrote is whole and closed when the process has gone, and the exit
code and the last lines on stdout and stderr are those of the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from smr_register.errors import ExitCode


def smr(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "smr_register", "--db", str(db), *args],
                          capture_output=True, text=True, check=False, timeout=120)


def test_a_write_and_a_spreadsheet_are_whole_when_the_process_has_ended(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite"
    assert smr(db, "init").returncode == ExitCode.OK
    added = smr(db, "coach", "add", "--reg-no", "100234", "--last-name", "Berg",
                "--registered", "01-01-2024")
    assert added.returncode == ExitCode.OK, added.stderr
    sheet = tmp_path / "audit.xlsx"

    audited = smr(db, "audit", "--as-of", "01-12-2026", "--format", "xlsx", "--output", str(sheet))

    assert audited.returncode in (ExitCode.OK, ExitCode.FINDINGS), audited.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.xlsx", "register.sqlite"]
    values = [row for page in load_workbook(sheet) for row in page.iter_rows(values_only=True)]
    assert any("100234" in row for row in values)
    document = json.loads(smr(db, "coach", "list", "--format", "json").stdout)
    assert [coach["reg_no"] for coach in document] == ["100234"]


def test_the_exit_code_and_the_last_message_are_the_commands(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite"
    assert smr(db, "init").returncode == ExitCode.OK

    missing = smr(db, "coach", "show", "999999")

    assert missing.returncode == ExitCode.REGISTER
    assert missing.stderr.strip().endswith("999999: no such coach in the register")
    assert missing.stdout == ""
