"""The administrative state is a dated timeline: a suspension from 01-10-2026 until
01-11-2026 shows in the audit, the listings, the public register and the expiry report of the
dates in between, and not of the dates outside, each tested the day before, on and after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.audit import build_register


@pytest.fixture
def register(db_path: Path) -> Path:
    build_register(db_path, ("100001", "100003"))
    return db_path


def suspend(run: Run, *extra: str) -> None:
    result = run("coach", "suspend", "100001", "--reason", "klacht", *extra)
    assert result.exit_code == ExitCode.OK, result.stderr


def audited(run: Run, on: str) -> tuple[str, str]:
    result = run("audit", "100001", "--as-of", on, "--format", "json")
    coach = json.loads(result.stdout)["coaches"][0]
    return coach["status"], coach["state"]


def listed_state(run: Run, on: str) -> str:
    rows = json.loads(run("coach", "list", "--search", "100001", "--as-of", on, "--format",
                          "json").stdout)
    return rows[0]["state"]


def is_public(run: Run, on: str) -> bool:
    rows = json.loads(run("report", "public", "--as-of", on, "--format", "json").stdout)
    return any(row["name"] == "A. Coach1" for row in rows["coaches"])


@pytest.mark.parametrize(("on", "suspended"), [
    ("30-09-2026", False), ("01-10-2026", True), ("02-10-2026", True), ("15-10-2026", True),
    ("31-10-2026", True), ("01-11-2026", True), ("02-11-2026", False)])
def test_a_suspension_with_an_end_counts_on_its_days_only(register: Path, run: Run, on: str,
                                                          suspended: bool) -> None:
    suspend(run, "--from", "01-10-2026", "--until", "01-11-2026")
    state = "suspended" if suspended else "active"
    assert audited(run, on) == ("suspended", state) if suspended else audited(run, on)[1] == state
    assert listed_state(run, on) == state
    assert is_public(run, on) is not suspended


@pytest.mark.parametrize(("on", "state"), [
    ("30-09-2026", "active"), ("01-10-2026", "suspended"), ("14-10-2026", "suspended"),
    ("15-10-2026", "active"), ("16-10-2026", "active")])
def test_reinstating_ends_the_suspension_the_day_before(register: Path, run: Run, on: str,
                                                        state: str) -> None:
    suspend(run, "--from", "01-10-2026")
    result = run("coach", "reinstate", "100001", "--on", "15-10-2026", "--reason", "betaald")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "active again from 15-10-2026" in result.stderr
    assert audited(run, on)[1] == state
    assert listed_state(run, on) == state


def test_a_reinstated_suspension_is_still_seen_in_the_past(register: Path, run: Run) -> None:
    """The defect: only the latest state was kept, so the audit of 15-10-2026 said active."""
    suspend(run, "--from", "01-10-2026")
    assert run("coach", "reinstate", "100001", "--on", "02-11-2026").exit_code == ExitCode.OK
    assert audited(run, "15-10-2026") == ("suspended", "suspended")
    assert audited(run, "01-12-2026") == ("due", "active")
    only = json.loads(run("coach", "list", "--status", "suspended", "--as-of", "15-10-2026",
                          "--format", "json").stdout)
    assert [row["reg_no"] for row in only] == ["100001"]
    assert json.loads(run("coach", "list", "--status", "suspended", "--as-of", "01-12-2026",
                          "--format", "json").stdout) == []


@pytest.mark.parametrize(("on", "state"), [
    ("30-11-2026", "active"), ("01-12-2026", "withdrawn"), ("02-12-2026", "withdrawn")])
def test_withdrawal_from_a_date(register: Path, run: Run, on: str, state: str) -> None:
    result = run("coach", "withdraw", "100001", "--reason", "gestopt", "--on", "01-12-2026")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert audited(run, on)[1] == state
    assert is_public(run, on) is (state == "active")


def test_expiry_report_uses_the_state_on_its_date(register: Path, run: Run) -> None:
    suspend(run, "--from", "01-10-2026", "--until", "01-11-2026")

    def status(on: str) -> str:
        rows = json.loads(run("report", "expiry", "--as-of", on, "--within", "182",
                              "--format", "json").stdout)["coaches"]
        return next(row["status"] for row in rows if row["reg_no"] == "100001")

    assert (status("30-09-2026"), status("15-10-2026"), status("02-11-2026")) == (
        "due", "suspended", "due")


def test_withdrawal_ends_a_running_suspension_the_day_before(register: Path, run: Run) -> None:
    suspend(run, "--from", "01-10-2026")
    assert run("coach", "withdraw", "100001", "--reason", "gestopt",
               "--on", "01-11-2026").exit_code == ExitCode.OK
    states = json.loads(run("coach", "show", "100001", "--format", "json").stdout)["states"]
    assert [(s["state"], s["starts_on"], s["ends_on"]) for s in states] == [
        ("suspended", "2026-10-01", "2026-10-31"), ("withdrawn", "2026-11-01", None)]
    assert audited(run, "31-10-2026")[1] == "suspended"
    assert audited(run, "01-11-2026")[1] == "withdrawn"


@pytest.mark.parametrize(("args", "message"), [
    (["suspend", "100001", "--reason", "x", "--from", "15-10-2026"], "would overlap"),
    (["suspend", "100001", "--reason", "x", "--from", "01-09-2026", "--until", "01-10-2026"],
     "would overlap"),
    (["reinstate", "100001", "--on", "01-10-2026"], "nothing to reinstate"),
    (["reinstate", "100001", "--on", "03-11-2026"], "nothing to reinstate"),
    (["withdraw", "100001", "--reason", "x", "--on", "01-10-2026"], "withdraw after that date"),
])
def test_refused_state_changes_write_nothing(register: Path, run: Run, args: list[str],
                                             message: str) -> None:
    suspend(run, "--from", "01-10-2026", "--until", "01-11-2026")
    before = dump(register)
    result = run("coach", *args)
    assert result.exit_code == ExitCode.REGISTER
    assert message in result.stderr
    assert dump(register) == before


def test_until_before_from_is_a_usage_error(register: Path, run: Run) -> None:
    before = dump(register)
    result = run("coach", "suspend", "100001", "--reason", "x", "--from", "01-10-2026",
                 "--until", "30-09-2026")
    assert result.exit_code == ExitCode.USAGE
    assert "--until" in result.stderr
    assert dump(register) == before


def test_a_withdrawal_is_final(register: Path, run: Run) -> None:
    assert run("coach", "withdraw", "100001", "--reason", "gestopt",
               "--on", "01-10-2026").exit_code == ExitCode.OK
    for args in (["withdraw", "100001", "--reason", "x", "--on", "01-11-2026"],
                 ["suspend", "100001", "--reason", "x", "--from", "01-11-2026"],
                 ["reinstate", "100001", "--on", "01-11-2026"]):
        assert run("coach", *args).exit_code == ExitCode.REGISTER, args
    credit = run("credit", "add", "100001", "--course", "C1", "--date", "15-03-2026")
    assert credit.exit_code == ExitCode.REGISTER and "withdrawn" in credit.stderr
