"""Entry to the register from 2022-09-01: prior education of at least MBO-4 (or the quality
committee's recorded exception), and the basisprofiel, which a new registrant attains after
registering: registered with a warning the audit bears out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from smr_register.domain.eligibility import entry_refusal
from smr_register.domain.ruleset import load_rules
from smr_register.errors import ExitCode
from tests.fixtures import Run, dump

BOOK = load_rules()


def add(run: Run, registered: str, *extra: str):  # type: ignore[no-untyped-def]
    return run("coach", "add", "--reg-no", "100234", "--last-name", "Berg", "--registered",
               registered, *extra)


def finding(run: Run, rule: str) -> dict:  # type: ignore[type-arg]
    document = json.loads(run("audit", "100234", "--as-of", "01-12-2026", "-f", "json").stdout)
    return next(f for f in document["coaches"][0]["findings"] if f["rule"] == rule)


@pytest.mark.parametrize(("registered", "refused"), [
    (date(2022, 8, 31), False), (date(2022, 9, 1), True), (date(2022, 9, 2), True)])
def test_below_mbo4_is_refused_from_2022_09_01(registered: date, refused: bool) -> None:
    why = entry_refusal("other", registered, BOOK.in_force(registered))
    assert (why is not None) is refused
    for level in ("mbo4", "hbo", "wo", None):
        assert entry_refusal(level, registered, BOOK.in_force(registered)) is None


def test_coach_add_below_the_minimum_is_refused_with_the_rule_and_its_source(
        run: Run, db_path: Path) -> None:
    before = dump(db_path)
    result = add(run, "01-09-2022", "--education", "other")
    assert result.exit_code == ExitCode.REGISTER
    assert "prior education other is below mbo4" in result.stderr
    assert "rule min_education: basisvereisten: 'Voor basiscoaches volstaat een " \
           "minimaal opleidingsniveau van MBO-4'" in result.stderr
    assert dump(db_path) == before


def test_the_committees_exception_registers_and_the_audit_shows_it(run: Run) -> None:
    result = add(run, "01-09-2022", "--education", "other", "--education-exception",
                 "Buitenlandse verpleegkundige opleiding, gelijkwaardig bevonden",
                 "--decided-by", "Kwaliteitscommissie SMR")
    assert result.exit_code == ExitCode.OK, result.stderr
    education = finding(run, "education")
    assert education["met"] and education["exception"]["decided_by"] == (
        "Kwaliteitscommissie SMR")
    assert "waived for you by Kwaliteitscommissie SMR" in education["sentence"]
    history = json.loads(run("history", "100234", "-f", "json").stdout)
    assert [h["entity"] for h in history] == ["coach", "registration_period", "rule_exception"]


def test_a_new_registrant_without_the_basisprofiel_is_registered_with_a_warning(
        run: Run) -> None:
    result = add(run, "01-09-2022", "--education", "mbo4")
    assert result.exit_code == ExitCode.OK
    assert "without the basisprofiel: the audit calls the coach non-compliant" in result.stderr
    assert "prior education not recorded" not in result.stderr
    basis = finding(run, "basisprofiel")
    assert (basis["met"], basis["blocking"]) == (False, True)
    assert finding(run, "education")["met"]


def test_an_unrecorded_education_is_a_warning_and_an_open_finding(run: Run) -> None:
    result = add(run, "02-09-2022")
    assert result.exit_code == ExitCode.OK
    assert "prior education not recorded" in result.stderr
    education = finding(run, "education")
    assert (education["met"], education["blocking"]) == (False, False)
    assert "not recorded" in education["sentence"]


def test_registrants_before_2022_09_01_get_no_warning(run: Run) -> None:
    result = add(run, "31-08-2022", "--education", "other")
    assert result.exit_code == ExitCode.OK
    assert "Warning" not in result.stderr
    assert finding(run, "education")["required"] is None


def test_the_exception_needs_who_decided(run: Run, db_path: Path) -> None:
    before = dump(db_path)
    result = add(run, "01-09-2022", "--education", "other", "--education-exception", "r")
    assert result.exit_code == ExitCode.USAGE
    assert dump(db_path) == before


def test_referrals_are_recorded_by_reason(run: Run) -> None:
    assert add(run, "01-03-2020", "--education", "hbo").exit_code == ExitCode.OK
    result = run("coach", "hours", "100234", "--year", "2024", "--hours", "40",
                 "--referrals-somatic", "2", "--referrals-psychiatric", "1",
                 "--referrals-pregnancy", "0", "--referrals-medication", "3")
    assert result.exit_code == ExitCode.OK, result.stderr
    (year,) = json.loads(run("coach", "show", "100234", "-f", "json").stdout)["practice_years"]
    assert (year["referrals_somatic"], year["referrals_psychiatric"],
            year["referrals_pregnancy"], year["referrals_medication"], year["referrals"]) == (
        2, 1, 0, 3, None)
    assert run("coach", "hours", "100234", "--year", "2024", "--referrals", "3"
               ).exit_code == ExitCode.USAGE  # one number without its reason is gone


def test_a_coaches_import_refuses_a_row_below_the_minimum_as_coach_add_does(
        run: Run, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    header = ["Registratienummer", "Achternaam", "Ingeschreven op", "Opleiding"]
    path = make_xlsx([header, ["100301", "Laag", "01-09-2022", "anders"],
                      ["100302", "Eerder", "31-08-2022", "anders"],
                      ["100303", "Hoog", "01-09-2022", "hbo"]], name="coaches.xlsx")
    result = run("coach", "import", str(path), "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS, result.stderr
    rows = {r["row"]: r for r in json.loads(result.stdout)["files"][0]["rows"]}
    assert [rows[n]["outcome"] for n in (2, 3, 4)] == ["rejected", "added", "added"]
    assert "prior education other is below mbo4" in rows[2]["message"]
    assert "--education-exception" in rows[2]["message"]
