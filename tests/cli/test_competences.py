"""The basisprofiel the way the sources describe it: the competence catalogue, a supervisor's
assessment per role (and who may be that supervisor), the integral basic training, and the
profiles that come on top of the basisprofiel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump


def ok(run: Run, *args: str) -> None:
    result = run(*args)
    assert result.exit_code == ExitCode.OK, (args, result.stderr)


def coach(run: Run, reg_no: str, registered: str) -> None:
    ok(run, "coach", "add", "--reg-no", reg_no, "--last-name", f"Coach{reg_no[-2:]}",
       "--education", "hbo", "--registered", registered)


@pytest.fixture
def register(run: Run) -> None:
    """A basic training in the agenda, a supervisor who may assess (registered 2020, holding
    the basisprofiel) and a new registrant of 01-10-2022."""
    ok(run, "agenda", "provider", "add", "--name", "Academie")
    ok(run, "agenda", "course", "add", "--code", "BT-1", "--title", "Integrale basistraining",
       "--provider", "Academie", "--points", "8", "--accredited-from", "01-01-2022",
       "--accredited-until", "31-12-2027", "--basic-training")
    ok(run, "agenda", "course", "add", "--code", "MGV", "--title", "Motiverende gespreksvoering",
       "--provider", "Academie", "--points", "2", "--accredited-from", "01-01-2022",
       "--accredited-until", "31-12-2027")
    ok(run, "agenda", "run", "add", "--course", "BT-1", "--date", "06-02-2023")
    ok(run, "agenda", "run", "add", "--course", "MGV", "--date", "06-02-2023")
    coach(run, "100100", "01-01-2020")
    ok(run, "coach", "profile", "100100", "add", "basisprofiel", "--date", "01-06-2022",
       "--evidence", "Basistraining 2022")
    coach(run, "100234", "01-10-2022")


def test_the_catalogue_has_7_roles_and_27_requirements_in_the_sources_words(run: Run) -> None:
    document = json.loads(run("competences", "--format", "json").stdout)
    assert (document["version"], document["effective_from"]) == ("2.2", "2022-09-01")
    assert "versie 2.2, d.d. 27 januari 2022" in document["source"]
    roles = document["roles"]
    assert [r["number"] for r in roles] == [1, 2, 3, 4, 5, 6, 7]
    assert [len(r["requirements"]) for r in roles] == [10, 6, 4, 1, 2, 2, 2]
    assert roles[0]["requirements"][-1]["id"] == "1.10"
    assert roles[6]["requirements"][-1]["id"] == "7.2"
    assert roles[2]["requirements"][3]["text"].startswith("Adequaat kunnen verwijzen")
    table = run("competences", "--format", "csv").stdout
    assert "Vakinhoudelijk handelen" in table and "Professionaliteit en kwaliteit" in table
    assert run("competences").exit_code == ExitCode.OK


def assess_all(run: Run, roles: range = range(1, 8), on: str = "01-06-2023") -> None:
    for role in roles:
        ok(run, "coach", "assess", "100234", "--role", str(role), "--supervisor", "100100",
           "--date", on)


@pytest.mark.usefixtures("register")
def test_training_and_every_role_assessed_attain_the_basisprofiel_on_the_last_date(
        run: Run) -> None:
    assess_all(run, range(1, 7))
    ok(run, "coach", "training", "100234", "--course", "BT-1", "--date", "15-06-2023")
    shown = json.loads(run("coach", "show", "100234", "-f", "json").stdout)
    assert shown["profiles"] == []
    result = run("coach", "assess", "100234", "--role", "7", "--supervisor", "100100",
                 "--date", "20-06-2023", "--note", "Dossiers en MPS bekeken")
    assert result.exit_code == ExitCode.OK
    assert "holds the basisprofiel since 20-06-2023" in result.stderr
    (profile,) = json.loads(run("coach", "show", "100234", "-f", "json").stdout)["profiles"]
    assert (profile["profile"], profile["attained_on"], profile["assessed_by"]) == (
        "basisprofiel", "2023-06-20", "100100")
    assert "course BT-1" in profile["evidence"] and "roles 1, 2, 3, 4, 5, 6, 7" in (
        profile["evidence"])
    history = json.loads(run("history", "100234", "-f", "json").stdout)
    assert [h["command"] for h in history].count("coach assess") == 8  # 7 verdicts + profile


@pytest.mark.usefixtures("register")
def test_the_audit_says_which_roles_are_unassessed_and_whether_the_training_is_missing(
        run: Run) -> None:
    assess_all(run, range(1, 5))
    ok(run, "coach", "assess", "100234", "--role", "5", "--supervisor", "100100", "--date",
       "02-06-2023", "--result", "niet-voldaan")
    found = json.loads(run("audit", "100234", "--as-of", "01-12-2023", "-f", "json").stdout)
    (basis,) = [f for f in found["coaches"][0]["findings"] if f["rule"] == "basisprofiel"]
    assert (basis["met"], basis["blocking"]) == (False, True)
    assert basis["details"]["unassessed_roles"] == [5, 6, 7]
    assert basis["details"]["training_on"] is None
    assert "Still missing: the integral basic training, and a supervisor's positive " \
           "assessment of roles 5, 6, 7." in basis["sentence"]
    ok(run, "coach", "training", "100234", "--evidence", "Buitenlands diploma", "--accepted-by",
       "Kwaliteitscommissie SMR", "--date", "01-09-2023")
    dutch = json.loads(run("--lang", "nl", "audit", "100234", "--as-of", "01-12-2023", "-f",
                           "json").stdout)
    (basis,) = [f for f in dutch["coaches"][0]["findings"] if f["rule"] == "basisprofiel"]
    assert "rollen 5, 6, 7" in basis["sentence"] and "01-09-2023" in basis["sentence"]


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(("args", "code", "words"), [
    (["--role", "8"], ExitCode.USAGE, "is not a role of the basisprofiel"),
    (["--role", "1", "--supervisor", "999999"], ExitCode.REGISTER, "no such coach"),
    (["--role", "1", "--supervisor", "100234"], ExitCode.REGISTER, "cannot assess themselves"),
    (["--role", "1", "--result", "misschien"], ExitCode.USAGE, "misschien"),
])
def test_refused_assessments_write_nothing(run: Run, db_path: Path, args: list[str],
                                           code: ExitCode, words: str) -> None:
    before = dump(db_path)
    base = {"--supervisor": "100100", "--date": "01-06-2023",
            **dict(zip(args[::2], args[1::2], strict=True))}
    result = run("coach", "assess", "100234", *[x for kv in base.items() for x in kv])
    assert result.exit_code == code
    assert words in result.stderr
    assert dump(db_path) == before


@pytest.mark.usefixtures("register")
def test_a_supervisor_without_the_basisprofiel_may_not_assess(run: Run) -> None:
    coach(run, "100110", "01-01-2020")  # in the transition, without the basisprofiel
    result = run("coach", "assess", "100234", "--role", "1", "--supervisor", "100110",
                 "--date", "01-06-2023")
    assert result.exit_code == ExitCode.REGISTER
    assert "does not hold the basisprofiel on 01-06-2023" in result.stderr
    assert "rule supervisor_requires_basisprofiel: Assumption" in result.stderr


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(("on", "ok_"), [("31-12-2023", False), ("01-01-2024", True)])
def test_the_supervisor_needs_the_rules_years_as_a_registered_coach(run: Run, on: str,
                                                                   ok_: bool) -> None:
    coach(run, "100120", "01-01-2022")
    ok(run, "coach", "profile", "100120", "add", "basisprofiel", "--date", "01-06-2022",
       "--evidence", "Basistraining 2022")
    result = run("coach", "assess", "100234", "--role", "1", "--supervisor", "100120",
                 "--date", on)
    if ok_:
        assert result.exit_code == ExitCode.OK, result.stderr
    else:
        assert result.exit_code == ExitCode.REGISTER
        assert "has 1 years as a registered coach on 31-12-2023, the rules require 2" in (
            result.stderr)
        assert "rule supervisor_min_years: Assumption" in result.stderr


@pytest.mark.usefixtures("register")
def test_a_suspended_or_expired_or_failing_supervisor_may_not_assess(run: Run) -> None:
    ok(run, "coach", "suspend", "100100", "--reason", "klacht", "--date", "01-05-2023")
    suspended = run("coach", "assess", "100234", "--role", "1", "--supervisor", "100100",
                    "--date", "01-06-2023")
    assert suspended.exit_code == ExitCode.REGISTER
    assert "is suspended on 01-06-2023, not active" in suspended.stderr
    before = run("coach", "assess", "100234", "--role", "1", "--supervisor", "100100",
                 "--date", "30-04-2023")
    assert before.exit_code == ExitCode.OK, before.stderr  # the suspension came later
    expired = run("coach", "assess", "100234", "--role", "2", "--supervisor", "100100",
                  "--date", "01-01-2025")  # 100100's period ended 31-12-2024
    assert expired.exit_code == ExitCode.REGISTER
    coach(run, "100130", "01-01-2021")
    ok(run, "coach", "profile", "100130", "add", "basisprofiel", "--date", "01-06-2022",
       "--evidence", "Basistraining 2022")
    ok(run, "supervisor", "assign", "100130", "--supervisor", "100100", "--as-of",
       "01-02-2023")
    failing = run("coach", "assess", "100234", "--role", "2", "--supervisor", "100130",
                  "--date", "01-06-2023")  # 100130's own supervisor is suspended
    assert failing.exit_code == ExitCode.REGISTER
    assert "does not meet the register's rules on 01-06-2023" in failing.stderr
    assert "rule supervisor_in_good_standing" in failing.stderr


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(("on", "ok_"), [("31-08-2022", True), ("01-09-2022", False)])
def test_the_supervisor_holds_the_basisprofiel_from_2022_09_01(run: Run, on: str,
                                                               ok_: bool) -> None:
    coach(run, "100110", "01-01-2020")
    result = run("coach", "assess", "100234", "--role", "1", "--supervisor", "100110",
                 "--date", on)
    assert (result.exit_code == ExitCode.OK) is ok_, result.stderr


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(("args", "code", "words"), [
    (["--course", "MGV"], ExitCode.REGISTER, "is not marked as the integral basic training"),
    (["--course", "XYZ"], ExitCode.REGISTER, "not in the training agenda"),
    (["--course", "BT-1", "--date", "05-02-2023"], ExitCode.REGISTER, "has no run on or before"),
    (["--evidence", "Diploma"], ExitCode.USAGE, "--accepted-by"),
    ([], ExitCode.USAGE, "give --course CODE"),
])
def test_refused_trainings_write_nothing(run: Run, db_path: Path, args: list[str],
                                         code: ExitCode, words: str) -> None:
    before = dump(db_path)
    if "--date" not in args:
        args = [*args, "--date", "01-06-2023"]
    result = run("coach", "training", "100234", *args)
    assert result.exit_code == code
    assert words in result.stderr
    assert dump(db_path) == before


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize("profile", ["pregnancy", "psychiatric", "smr-extra"])
def test_additional_profiles_come_on_top_of_the_basisprofiel(run: Run, profile: str) -> None:
    coach(run, "100140", "01-01-2020")
    refused = run("coach", "profile", "100140", "add", profile, "--date", "01-09-2022")
    assert refused.exit_code == ExitCode.REGISTER
    assert "comes on top of the basisprofiel" in refused.stderr
    assert "rule profiles_on_top_of_basisprofiel: basisvereisten" in refused.stderr
    ok(run, "coach", "profile", "100140", "add", profile, "--date", "31-08-2022")
    assert run("coach", "profile", "100100", "add", profile, "--date", "01-09-2022"
               ).exit_code == ExitCode.OK  # 100100 holds the basisprofiel since 01-06-2022
