"""`exception end ID --on DATE --reason R`: an exception stops applying from a date; audits of
earlier dates still apply it, and the history keeps why it ended."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.audit import build_register


@pytest.fixture
def register(db_path: Path, run: Run) -> Path:
    build_register(db_path, ("100002",))  # at-risk on 01-12-2026: 10 of 15 points
    result = run("exception", "add", "100002", "--rule", "points", "--reason", "langdurig ziek",
                 "--decided-by", "Kwaliteitscommissie SMR", "--decided-on", "01-06-2026")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Recorded exception 1 to rule points" in result.stderr
    return db_path


def points_waived(run: Run, on: str) -> bool:
    coach = json.loads(run("audit", "100002", "--as-of", on, "--format",
                           "json").stdout)["coaches"][0]
    finding = next(f for f in coach["findings"] if f["rule"] == "points")
    return finding["exception"] is not None


@pytest.mark.parametrize(("on", "waived"), [
    ("30-11-2026", True), ("01-12-2026", False), ("02-12-2026", False)])
def test_an_ended_exception_applies_before_its_end_only(register: Path, run: Run, on: str,
                                                        waived: bool) -> None:
    result = run("exception", "end", "1", "--on", "01-12-2026", "--reason", "hersteld")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "last day is 30-11-2026" in result.stderr
    assert points_waived(run, on) is waived
    listed = json.loads(run("exception", "list", "--format", "json").stdout)
    assert (listed[0]["id"], listed[0]["valid_until"]) == (1, "2026-11-30")
    history = json.loads(run("history", "100002", "--format", "json").stdout)
    assert (history[-1]["entity"], history[-1]["action"], history[-1]["reason"]) == (
        "rule_exception", "end", "hersteld")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["2", "--on", "01-12-2026"], ExitCode.REGISTER, "no such exception"),
    (["1", "--on", "01-06-2026"], ExitCode.USAGE, "not after the decision"),
])
def test_refused_ends_write_nothing(register: Path, run: Run, db_path: Path, args: list[str],
                                    code: ExitCode, message: str) -> None:
    before = dump(db_path)
    result = run("exception", "end", *args, "--reason", "x")
    assert result.exit_code == code
    assert message in result.stderr
    assert dump(db_path) == before


def test_an_exception_that_ended_cannot_end_later(register: Path, run: Run,
                                                  db_path: Path) -> None:
    assert run("exception", "end", "1", "--on", "01-12-2026", "--reason", "x").exit_code == 0
    before = dump(db_path)
    again = run("exception", "end", "1", "--on", "01-01-2027", "--reason", "x")
    assert again.exit_code == ExitCode.REGISTER and "ends already" in again.stderr
    assert dump(db_path) == before


def test_listing_the_exceptions_of_an_unknown_coach_says_so(register: Path, run: Run) -> None:
    """Not an empty list: a mistyped number would read as "this coach has no exceptions"."""
    result = run("exception", "list", "999999", "--format", "json")
    assert result.exit_code == ExitCode.REGISTER
    assert result.stdout == ""
    assert "registration number 999999: no such coach in the register" in result.stderr
    listed = json.loads(run("exception", "list", "100002", "--format", "json").stdout)
    assert [row["reg_no"] for row in listed] == ["100002"]
