"""The audit of the demo register as of 01-12-2026: every coach comes out with the status, the
period, the counted numbers and the shortfall that data/demo/expected.csv documents for it."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode
from smr_register.services.demo import DEMO_AS_OF, demo_dir
from tests.fixtures import Run, dump

AS_OF = DEMO_AS_OF.strftime("%d-%m-%Y")
EXPECTED = list(csv.DictReader((demo_dir() / "expected.csv").open(encoding="utf-8")))
NAMED = [row for row in EXPECTED if row["case"]]


@pytest.fixture(scope="module")
def audited(demo_template: Path) -> dict[str, dict[str, Any]]:
    """The demo register's audit as JSON, by registration number (read only: built once)."""
    result = CliRunner().invoke(app, ["--db", str(demo_template), "audit", "--as-of", AS_OF,
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == ExitCode.FINDINGS, result.stderr
    document = json.loads(result.stdout)
    assert document["rules_version"] == "2022.1"
    return {coach["reg_no"]: coach for coach in document["coaches"]}


def rules_of(coach: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {finding["rule"]: finding for finding in coach["findings"]}


def test_every_demo_coach_is_audited(audited: dict[str, dict[str, Any]]) -> None:
    assert sorted(audited) == sorted(row["reg_no"] for row in EXPECTED)


def test_statuses_add_up_to_the_documented_totals(audited: dict[str, dict[str, Any]]) -> None:
    assert Counter(c["status"] for c in audited.values()) == Counter(
        row["status"] for row in EXPECTED)


@pytest.mark.parametrize("row", EXPECTED, ids=lambda row: row["reg_no"])
def test_demo_coach_has_the_documented_status_period_and_numbers(
        audited: dict[str, dict[str, Any]], row: dict[str, str]) -> None:
    coach = audited[row["reg_no"]]
    found = rules_of(coach)
    assert (coach["status"], coach["state"]) == (row["status"], row["state"])
    assert (coach["period"]["starts_on"], coach["period"]["valid_until"]) == (
        row["starts_on"], row["valid_until"])
    assert Decimal(found["points"]["actual"]) == Decimal(row["points"])
    assert int(found["spread"]["actual"]) == int(row["distinct_years"])
    assert Decimal(found["hours"]["actual"]) == Decimal(row["hours"])
    assert (found["basisprofiel"]["details"]["attained_on"] or "") == row["basisprofiel"]


_SHORT = {
    "points": re.compile(r"short on points: [\d.]+ of \d+, needs ([\d.]+) more"),
    "spread": re.compile(r"points in \d of \d calendar years \([^)]*\), needs (\d+) more"),
    "hours": re.compile(r"short on hours: [\d.]+ of \d+, needs ([\d.]+) more"),
    "hours-spread": re.compile(r"hours in \d of \d calendar years \([^)]*\), needs (\d+) more"),
}


_BEHIND = re.compile(r"(points|years with points|hours) [\d.]+ where ([\d.]+) are expected")


@pytest.mark.parametrize("row", NAMED, ids=lambda row: f"{row['case']}-{row['reg_no']}")
def test_named_case_has_the_documented_shortfall(audited: dict[str, dict[str, Any]],
                                                 row: dict[str, str]) -> None:
    found = rules_of(audited[row["reg_no"]])
    explanation = row["explanation"]
    # The documented explanation of on-track, behind, due and at-risk coaches names every
    # shortfall; for the others it names what decides their status.
    judged = row["status"] in ("on-track", "behind", "due", "at-risk")
    for rule, pattern in _SHORT.items() if judged else ():
        match = pattern.search(explanation)
        expected = Decimal(match.group(1)) if match else None
        actual = found[rule]["shortfall"]
        assert (Decimal(actual) if actual else None) == expected, rule
    if explanation.startswith("meets every rule"):
        assert all(f["met"] for f in found.values())
    # Behind: the evaluator's "points 5.5 where 6 are expected by now" is the audit's pace.
    slow = dict(_BEHIND.findall(explanation))
    for rule, what in (("points", "points"), ("spread", "years with points"),
                       ("hours", "hours")):
        if what in slow:
            assert Decimal(found[rule]["expected"]) == Decimal(slow[what]), rule
            assert Decimal(found[rule]["actual"]) < Decimal(slow[what]), rule
    if "without basisprofiel" in explanation or "no basisprofiel" in explanation:
        assert (found["basisprofiel"]["met"], found["basisprofiel"]["blocking"]) == (False, True)
    if explanation.startswith("supervisor "):
        supervisor = explanation.split()[1]
        assert found["supervision"]["details"]["supervisor"] == supervisor
        assert (found["supervision"]["met"], found["supervision"]["blocking"]) == (False, True)


def test_waived_points_cite_the_decision(audited: dict[str, dict[str, Any]]) -> None:
    points = rules_of(audited["103725"])["points"]
    assert points["met"] and points["exception"]["value"] is None
    assert points["exception"]["decided_by"] == "Kwaliteitscommissie SMR"
    assert points["exception"]["decided_on"] == "2026-06-18"
    assert "waived for you by Kwaliteitscommissie SMR" in points["sentence"]


def test_education_below_the_minimum_is_admitted_by_the_recorded_exception(
        audited: dict[str, dict[str, Any]], demo_template: Path) -> None:
    (row,) = [r for r in NAMED if r["case"] == "exception: education"]
    education = rules_of(audited[row["reg_no"]])["education"]
    assert (education["met"], education["actual"], education["required"]) == (
        True, "other", "mbo4")
    assert education["exception"]["decided_on"] == "2022-09-07"  # with the registration
    result = CliRunner().invoke(app, ["--db", str(demo_template), "history", row["reg_no"],
                                      "--format", "json"], catch_exceptions=False)
    entities = [h["entity"] for h in json.loads(result.stdout)]
    assert entities[:3] == ["coach", "registration_period", "rule_exception"]


def test_lowered_hours_minimum_is_used_and_cited(audited: dict[str, dict[str, Any]]) -> None:
    hours = rules_of(audited["103935"])["hours"]
    assert (hours["met"], hours["required"], hours["actual"]) == (True, "80", "85")
    assert hours["exception"]["decided_on"] == "2025-10-07"


def test_expired_exception_is_not_applied(audited: dict[str, dict[str, Any]]) -> None:
    points = rules_of(audited["103651"])["points"]
    assert (points["required"], points["shortfall"], points["exception"]) == ("15", "3", None)


def test_supervisor_at_the_limit_is_not_over_it(audited: dict[str, dict[str, Any]]) -> None:
    limit = rules_of(audited["004579"])["supervision.limit"]
    assert (limit["met"], limit["actual"], limit["required"]) == (True, "10", "10")


def test_renewal_not_yet_started_is_shown_but_not_judged(
        audited: dict[str, dict[str, Any]]) -> None:
    coach = audited["101317"]
    assert coach["period"]["valid_until"] == "2027-01-31"
    assert coach["renewal"]["starts_on"] == "2027-02-01"


def test_credits_of_an_earlier_period_are_listed_as_not_counted(
        audited: dict[str, dict[str, Any]]) -> None:
    details = rules_of(audited["101339"])["points"]["details"]
    assert details["not_counted"]
    assert {c["reason"] for c in details["not_counted"]} <= {"before-period", "not-accredited"}
    assert all(c["run_date"] < "2022-02-20" for c in details["not_counted"]
               if c["reason"] == "before-period")


def test_renewal_ahead_is_refused_as_already_done(demo_db: Path, run: Run) -> None:
    before = dump(demo_db)
    result = run("renew", "101317", "--as-of", AS_OF, db=demo_db)
    assert result.exit_code == ExitCode.REGISTER
    assert "already renewed on 16-11-2026" in result.stderr
    assert dump(demo_db) == before


def test_batch_renewal_of_the_demo_renews_exactly_the_coaches_due(demo_db: Path,
                                                                  run: Run) -> None:
    result = run("renew", "--due-within", "182", "--as-of", AS_OF, "--format", "json",
                 db=demo_db)
    outcomes = json.loads(result.stdout)["coaches"]
    renewed = {o["reg_no"] for o in outcomes if o["renewed"]}
    due = {row["reg_no"] for row in EXPECTED if row["status"] == "due"}
    assert renewed == due
    again = json.loads(run("audit", "--as-of", AS_OF, "--format", "json", db=demo_db).stdout)
    statuses = {c["reg_no"]: c for c in again["coaches"]}
    assert not [n for n, c in statuses.items() if c["status"] == "due"]
    assert all(statuses[n]["status"] == "renewed" and statuses[n]["renewal"] for n in due)


def _demo_rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((demo_dir() / name).open(encoding="utf-8")))


def test_the_basisprofiel_finding_names_the_roles_and_training_still_missing(
        audited: dict[str, dict[str, Any]]) -> None:
    """Worked out from trainings.csv and assessments.csv alone: the latest verdict per role."""
    verdicts: dict[str, dict[int, tuple[str, str]]] = {}
    for row in sorted(_demo_rows("assessments.csv"), key=lambda r: r["assessed_on"]):
        verdicts.setdefault(row["reg_no"], {})[int(row["role"])] = (row["assessed_on"],
                                                                    row["result"])
    trained = {row["reg_no"]: row["completed_on"] for row in _demo_rows("trainings.csv")}
    checked = 0
    for reg_no, coach in audited.items():
        basis = rules_of(coach)["basisprofiel"]
        if basis["met"] or "unassessed_roles" not in basis["details"]:
            continue
        done = {role for role, (_, result) in verdicts.get(reg_no, {}).items()
                if result == "voldaan"}
        assert basis["details"]["unassessed_roles"] == [r for r in range(1, 8) if r not in done]
        assert basis["details"]["training_on"] == trained.get(reg_no)
        checked += 1
    assert checked >= 2
    partial = rules_of(audited["104773"])["basisprofiel"]
    assert partial["details"]["unassessed_roles"] == [5, 6, 7]
    assert "roles 5, 6, 7 (the basic training is recorded on 02-05-2023)" in partial["sentence"]


def test_registrants_from_2022_09_01_attained_the_basisprofiel_by_assessment(
        audited: dict[str, dict[str, Any]]) -> None:
    direct = {row["reg_no"] for row in _demo_rows("profiles.csv")
              if row["profile"] == "basisprofiel"}
    assessed = {row["reg_no"] for row in _demo_rows("assessments.csv")}
    for row in EXPECTED:
        if row["basisprofiel"] and row["starts_on"] and row["reg_no"] in assessed:
            assert row["reg_no"] not in direct
            attained = rules_of(audited[row["reg_no"]])["basisprofiel"]["details"]["attained_on"]
            assert attained == row["basisprofiel"]
    assert len(assessed) >= 90
