"""Ending a profile (a revocation) and correcting it away are different acts: the first keeps
it in audits of earlier dates, the second as if it was never held; the history keeps both.

Coach 100001 holds the basisprofiel since 01-06-2022 and is registered from 01-01-2022 (after
the basisprofiel became required of new registrants), so without it the coach is
non-compliant.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.audit import build_register


@pytest.fixture
def register(db_path: Path) -> Path:
    build_register(db_path, ("100001",))
    return db_path


def status(run: Run, on: str) -> str:
    result = run("audit", "100001", "--as-of", on, "--format", "json")
    return json.loads(result.stdout)["coaches"][0]["status"]


def remove(run: Run, *how: str) -> None:
    result = run("coach", "profile", "100001", "remove", "basisprofiel", "--reason",
                 "ingetrokken door de kwaliteitscommissie", *how)
    assert result.exit_code == ExitCode.OK, result.stderr


@pytest.mark.parametrize(("on", "expected"), [
    ("01-01-2026", "on-track"), ("31-10-2026", "due"), ("01-11-2026", "non-compliant"),
    ("02-11-2026", "non-compliant")])
def test_an_ended_profile_is_held_before_its_end_only(register: Path, run: Run, on: str,
                                                      expected: str) -> None:
    remove(run, "--ending", "01-11-2026")
    assert status(run, on) == expected


def test_correction_and_ending_give_different_audits_for_past_dates(
        register: Path, run: Run, db_path: Path) -> None:
    assert status(run, "01-01-2026") == "on-track"
    remove(run, "--ending", "01-11-2026")
    ended = status(run, "01-01-2026")
    profiles = json.loads(run("coach", "show", "100001", "--format", "json").stdout)["profiles"]
    assert profiles[0]["ended_on"] == "2026-11-01"
    remove(run, "--correction")
    corrected = status(run, "01-01-2026")
    assert (ended, corrected) == ("on-track", "non-compliant")
    history = json.loads(run("history", "100001", "--format", "json").stdout)
    acts = [(h["entity"], h["action"]) for h in history if h["entity"] == "profile_held"]
    assert acts == [("profile_held", "add"), ("profile_held", "end"),
                    ("profile_held", "correct")]


def test_listing_and_public_register_drop_an_ended_profile_from_its_end(register: Path,
                                                                        run: Run) -> None:
    remove(run, "--ending", "01-11-2026")

    def listed(on: str) -> list[str]:
        rows = json.loads(run("coach", "list", "--as-of", on, "--format", "json").stdout)
        return rows[0]["profiles"]

    assert (listed("31-10-2026"), listed("01-11-2026")) == (["basisprofiel"], [])


@pytest.mark.parametrize(("how", "code", "message"), [
    ([], ExitCode.USAGE, "--correction"),
    (["--ending", "01-11-2026", "--correction"], ExitCode.USAGE, "--correction"),
    (["--ending", "01-06-2022"], ExitCode.USAGE, "is a --correction"),
])
def test_refused_removals_write_nothing(register: Path, run: Run, db_path: Path,
                                        how: list[str], code: ExitCode, message: str) -> None:
    before = dump(db_path)
    result = run("coach", "profile", "100001", "remove", "basisprofiel", "--reason", "x", *how)
    assert result.exit_code == code
    assert message in result.stderr
    assert dump(db_path) == before


def test_an_ended_profile_cannot_end_again(register: Path, run: Run, db_path: Path) -> None:
    remove(run, "--ending", "01-11-2026")
    before = dump(db_path)
    again = run("coach", "profile", "100001", "remove", "basisprofiel", "--reason", "x",
                "--ending", "01-12-2026")
    assert again.exit_code == ExitCode.REGISTER and "ended on 01-11-2026" in again.stderr
    assert dump(db_path) == before
