"""`smr agenda list` as staff look through the agenda: by provider, code or title and run
dates, the runs summed up unless --runs asks for each."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from smr_register.errors import ExitCode
from tests.fixtures import Run


def rows(run: Run, demo_db: Path, *args: str) -> list[dict[str, str]]:
    result = run("agenda", "list", *args, "-f", "csv", db=demo_db)
    assert result.exit_code == ExitCode.OK, result.stderr
    return list(csv.DictReader(result.stdout.splitlines()))


def test_runs_are_summed_up_by_default_and_listed_with_runs(run: Run, demo_db: Path) -> None:
    every = json.loads(run("agenda", "list", "-f", "json", db=demo_db).stdout)
    by_code = {course["code"]: course for course in every}
    compact = {row["code"]: row for row in rows(run, demo_db)}
    assert set(compact) == set(by_code)
    course = by_code["ARZ-110"]
    assert compact["ARZ-110"]["run_count"] == str(len(course["runs"]))
    assert (compact["ARZ-110"]["first_run"], compact["ARZ-110"]["last_run"]) == (
        course["runs"][0], course["runs"][-1])
    assert "runs" not in compact["ARZ-110"]
    listed = {row["code"]: row for row in rows(run, demo_db, "--runs")}
    assert listed["ARZ-110"]["runs"] == "; ".join(course["runs"])
    assert "run_count" not in every[0]  # JSON keeps its shape: every run date


def test_filters_by_provider_text_and_run_dates(run: Run, demo_db: Path) -> None:
    every = json.loads(run("agenda", "list", "-f", "json", db=demo_db).stdout)
    provider = every[0]["provider"]
    mine = rows(run, demo_db, "--provider", provider.upper()[:8])
    assert mine and {row["provider"] for row in mine} == {provider}
    assert {row["code"] for row in mine} == {c["code"] for c in every
                                            if c["provider"] == provider}
    found = rows(run, demo_db, "--search", "MOTIVERENDE")
    assert found and all("motiverende" in row["title"].lower() for row in found)
    assert [row["code"] for row in rows(run, demo_db, "--search", "arz-110")] == ["ARZ-110"]
    in_2024 = rows(run, demo_db, "--from", "01-01-2024", "--until", "31-12-2024", "--runs")
    assert in_2024
    for row in in_2024:
        assert all(day.startswith("2024-") for day in row["runs"].split("; "))
    wanted = {c["code"] for c in every if any(d.startswith("2024-") for d in c["runs"])}
    assert {row["code"] for row in in_2024} == wanted


def test_an_unknown_provider_is_named_not_an_empty_list(run: Run, demo_db: Path) -> None:
    result = run("agenda", "list", "--provider", "Nergens BV", db=demo_db)
    assert result.exit_code == ExitCode.REGISTER
    assert "'Nergens BV'" in result.stderr and "smr agenda provider list" in result.stderr
    bad = run("agenda", "list", "--from", "31-02-2024", db=demo_db)
    assert bad.exit_code == ExitCode.USAGE and "--from" in bad.stderr
