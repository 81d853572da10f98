"""A renewed coach is registered under the period running on the date, with the renewal beside
it: `coach list`, `coach show`, `report public`, the published site and `report expiry` agree.

Coach 100001 runs 01-01-2022 to 31-12-2026 and is renewed on 01-12-2026 to 31-12-2031 (the new
period starts 01-01-2027). Each date is tested the day before, on and after its change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run
from tests.fixtures.audit import AS_OF, build_register


@pytest.fixture
def renewed(db_path: Path, run: Run) -> Path:
    build_register(db_path, ("100001", "100003"))
    assert run("renew", "100001", "--as-of", AS_OF).exit_code == ExitCode.OK
    return db_path


def listed(run: Run, on: str) -> dict[str, Any]:
    result = run("coach", "list", "--search", "100001", "--as-of", on, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    (row,) = json.loads(result.stdout)
    return row


@pytest.mark.parametrize(("on", "valid_until", "valid", "following"), [
    ("30-11-2026", "2026-12-31", True, None),  # the day before the renewal was decided
    ("01-12-2026", "2026-12-31", True, "2031-12-31"),  # renewed that day
    ("31-12-2026", "2026-12-31", True, "2031-12-31"),  # the old period's last day
    ("01-01-2027", "2031-12-31", True, None),  # the renewed period runs
    ("31-12-2031", "2031-12-31", True, None),
    ("01-01-2032", "2031-12-31", False, None),  # expired
])
def test_coach_list_shows_the_period_running_and_the_renewal(
        renewed: Path, run: Run, on: str, valid_until: str, valid: bool,
        following: str | None) -> None:
    row = listed(run, on)
    assert (row["valid_until"], row["valid"], row["next_valid_until"]) == (
        valid_until, valid, following)


def test_coach_list_csv_says_valid_after_a_renewal(renewed: Path, run: Run) -> None:
    lines = run("coach", "list", "--search", "100001", "--as-of", AS_OF, "--format",
                "csv").stdout.splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    values = dict(zip(header, row, strict=True))
    assert (values["valid"], values["valid_until"], values["next_valid_until"]) == (
        "true", "2026-12-31", "2031-12-31")


def test_coach_show_gives_the_registration_on_the_date(renewed: Path, run: Run) -> None:
    shown = json.loads(run("coach", "show", "100001", "--as-of", AS_OF, "--format",
                           "json").stdout)["registration"]
    assert shown == {"as_of": "2026-12-01", "valid": True,
                     "period": {"starts_on": "2022-01-01", "valid_until": "2026-12-31",
                                "renewed_on": None},
                     "next_period": {"starts_on": "2027-01-01", "valid_until": "2031-12-31",
                                     "renewed_on": "2026-12-01"}}
    later = json.loads(run("coach", "show", "100001", "--as-of", "01-01-2027", "--format",
                           "json").stdout)["registration"]
    assert later["period"]["valid_until"] == "2031-12-31" and later["next_period"] is None
    table = run("coach", "show", "100001", "--as-of", AS_OF).stdout
    assert "Registration on 01-12-2026" in table
    assert "Next period: valid until" in table and "31-12-2031" in table


def public(run: Run, on: str) -> dict[str, Any]:
    rows = json.loads(run("report", "public", "--as-of", on, "--format", "json").stdout)
    (row,) = [r for r in rows["coaches"] if r["name"] == "A. Coach1"]
    return row


@pytest.mark.parametrize(("on", "until", "renewal"), [
    ("30-11-2026", "2026-12-31", None), ("01-12-2026", "2026-12-31", "2031-12-31"),
    ("31-12-2026", "2026-12-31", "2031-12-31"), ("01-01-2027", "2031-12-31", None)])
def test_public_register_shows_the_period_in_force_and_the_renewal(
        renewed: Path, run: Run, on: str, until: str, renewal: str | None) -> None:
    row = public(run, on)
    assert (row["registered_until"], row["renewed_until"]) == (until, renewal)


def test_published_site_shows_the_renewal(renewed: Path, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "site"
    assert run("publish", "--output", str(target), "--as-of", AS_OF).exit_code == ExitCode.OK
    document = json.loads((target / "register.json").read_text(encoding="utf-8"))
    (coach,) = [c for c in document["coaches"] if c["reg_no"] == "100001"]
    assert (coach["registered_until"], coach["renewed_until"]) == ("2026-12-31", "2031-12-31")
    page = "".join(p.read_text(encoding="utf-8") for p in target.glob("*.html"))
    assert "Geregistreerd tot en met 31-12-2026, verlengd tot en met 31-12-2031" in page


def test_expiry_lists_a_renewed_coach_with_the_next_period_and_no_notice(
        renewed: Path, run: Run) -> None:
    result = run("report", "expiry", "--as-of", AS_OF, "--within", "60", "--format", "json")
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2
    (row,) = document["coaches"]
    assert (row["reg_no"], row["valid_until"], row["next_valid_until"], row["notice_stage"],
            row["status"]) == ("100001", "2026-12-31", "2031-12-31", None, "renewed")
    assert result.exit_code == ExitCode.OK  # nothing to act on: the renewal is decided
    before = json.loads(run("report", "expiry", "--as-of", "30-11-2026", "--within", "60",
                            "--format", "json").stdout)["coaches"]
    assert [(r["reg_no"], r["next_valid_until"], r["status"]) for r in before] == [
        ("100001", None, "due")]
