"""SMR_FORMAT applies wherever its format is accepted, and is ignored where it is not."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode

AS_OF = ["--as-of", "01-12-2026"]


def _smr(db: Path, *args: str, smr_format: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(db), *args], env={"SMR_FORMAT": smr_format},
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_smr_format_xlsx_is_ignored_by_a_listing(demo_db: Path) -> None:
    code, stdout, stderr = _smr(demo_db, "coach", "list", *AS_OF, smr_format="xlsx")
    assert code == ExitCode.OK, stderr
    assert stdout.startswith("Coaches (300), as of 01-12-2026")
    code, _out, stderr = _smr(demo_db, "agenda", "list", smr_format="xlsx")
    assert code == ExitCode.OK, stderr


def test_an_explicit_format_a_command_does_not_accept_is_still_refused(demo_db: Path) -> None:
    code, stdout, stderr = _smr(demo_db, "coach", "list", "--format", "xlsx", *AS_OF,
                                smr_format="xlsx")
    assert code == ExitCode.USAGE
    assert stdout == ""
    assert "'xlsx' is not one of 'table', 'json', 'csv'" in stderr


def test_a_value_that_is_no_format_at_all_is_refused(demo_db: Path) -> None:
    code, _out, stderr = _smr(demo_db, "coach", "list", *AS_OF, smr_format="yaml")
    assert code == ExitCode.USAGE
    assert "'yaml' is not one of" in stderr


def test_smr_format_json_applies_to_report_stats(demo_db: Path) -> None:
    code, stdout, stderr = _smr(demo_db, "report", "stats", *AS_OF, smr_format="json")
    assert code == ExitCode.OK, stderr
    document = json.loads(stdout)
    assert document["schema_version"] == 1
    assert document["as_of"] == "2026-12-01"
    assert sum(row["coaches"] for row in document["tables"]["status"]) == 300


def test_smr_format_json_applies_to_report_notices(demo_db: Path) -> None:
    code, stdout, stderr = _smr(demo_db, "report", "notices", *AS_OF, smr_format="json")
    assert code == ExitCode.OK, stderr
    document = json.loads(stdout)
    assert {k: v for k, v in document.items() if k != "notices"} == {
        "schema_version": 2, "as_of": "2026-12-01", "language": "nl", "recorded": False}
    assert document["notices"]  # every stage reached and not yet sent


def test_smr_format_table_is_ignored_by_report_notices(demo_db: Path) -> None:
    code, stdout, stderr = _smr(demo_db, "report", "notices", *AS_OF, smr_format="table")
    assert code == ExitCode.OK, stderr
    assert stdout.startswith("reg_no,name,email,notice_stage,")
