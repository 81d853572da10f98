"""The core commands through the real CLI on a real SQLite register."""

from __future__ import annotations

import json
from itertools import takewhile
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump
from tests.fixtures.registers import Register

JAN = ["coach", "add", "--reg-no", "100234", "--initials", "J.M.", "--first-name", "Jan",
       "--prefix", "van der", "--last-name", "Berg", "--birth-date", "12-03-1975",
       "--email", "jan@example.nl", "--big", "19012345601", "--education", "mbo4",
       "--registered", "01-10-2022"]


def add_coach(run: Run, reg_no: str, last_name: str, registered: str = "01-01-2019",
              *extra: str) -> None:
    result = run("coach", "add", "--reg-no", reg_no, "--last-name", last_name,
                 "--registered", registered, *extra)
    assert result.exit_code == ExitCode.OK, result.stderr


@pytest.fixture
def agenda(run: Run) -> None:
    for args in (
        ["agenda", "provider", "add", "--name", "Academie Rookvrij"],
        ["agenda", "course", "add", "--code", "C-2024-017", "--title",
         "Motiverende gespreksvoering", "--provider", "Academie Rookvrij", "--points", "1,5",
         "--accredited-from", "01-01-2024", "--accredited-until", "31-12-2026"],
        ["agenda", "run", "add", "--course", "C-2024-017", "--date", "14-05-2024"],
        ["agenda", "run", "add", "--course", "C-2024-017", "--date", "14-11-2024"],
    ):
        result = run(*args)
        assert result.exit_code == ExitCode.OK, result.stderr


def test_add_and_show_keeps_every_field(run: Run) -> None:
    result = run(*JAN)
    assert result.exit_code == ExitCode.OK
    assert "valid until 30-09-2027" in result.stderr
    shown = json.loads(run("coach", "show", "100234", "--format", "json").stdout)
    coach = shown["coach"]
    assert coach["name"] == "J.M. van der Berg"
    assert coach["birth_date"] == "1975-03-12"
    assert coach["big"] == "19012345601"
    assert coach["education"] == "mbo4"
    assert shown["periods"] == [{"starts_on": "2022-10-01", "valid_until": "2027-09-30",
                                 "renewed_on": None}]


def test_leading_zeros_of_registration_numbers_survive(run: Run) -> None:
    add_coach(run, "004512", "Bakker")
    listed = json.loads(run("coach", "list", "--format", "json").stdout)
    assert [row["reg_no"] for row in listed] == ["004512"]
    assert run("coach", "show", "004512").exit_code == ExitCode.OK
    assert run("coach", "show", "4512").exit_code == ExitCode.REGISTER


def test_list_filters_search_and_dutch_name_order(run: Run) -> None:
    add_coach(run, "1", "Visser", "01-01-2019", "--prefix", "de")
    add_coach(run, "2", "Berg", "01-01-2019", "--prefix", "van der")
    add_coach(run, "3", "Aydin")
    run("coach", "suspend", "3", "--reason", "klacht in behandeling")
    listed = json.loads(run("coach", "list", "--status", "active", "--format", "json").stdout)
    assert [row["name"] for row in listed] == ["van der Berg", "de Visser"]
    found = json.loads(run("coach", "list", "--search", "berg", "--format", "json").stdout)
    assert [row["reg_no"] for row in found] == ["2"]


def test_list_csv_and_table(run: Run) -> None:
    add_coach(run, "7", "Jansen")
    csv_out = run("coach", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("reg_no,name,city,state")
    assert csv_out[1].startswith("7,Jansen,,active,2019-01-01,2023-12-31")
    table = run("coach", "list", "--as-of", "01-01-2020").stdout
    assert "Jansen" in table and "31-12-2023" in table


def test_json_stdout_holds_only_json(run: Run) -> None:
    result = run(*JAN)
    assert result.stdout == ""
    listed = run("coach", "list", "--format", "json")
    assert isinstance(json.loads(listed.stdout), list)


def test_edit_changes_only_given_fields_and_records_history(run: Run) -> None:
    run(*JAN)
    assert run("coach", "edit", "100234", "--email", "new@example.nl", "--city", "Utrecht",
               "--reason", "verhuisd").exit_code == ExitCode.OK
    coach = json.loads(run("coach", "show", "100234", "--format", "json").stdout)["coach"]
    assert coach["email"] == "new@example.nl"
    assert coach["city"] == "Utrecht"
    assert coach["last_name"] == "Berg"
    history = json.loads(run("history", "100234", "--format", "json").stdout)
    edit = history[-1]
    assert edit["action"] == "edit"
    assert edit["actor"] == "test-admin"
    assert edit["before"] == {"city": None, "email": "jan@example.nl"}
    assert edit["after"] == {"city": "Utrecht", "email": "new@example.nl"}
    assert edit["reason"] == "verhuisd"


def test_clear_a_field(run: Run) -> None:
    run(*JAN)
    assert run("coach", "edit", "100234", "--clear", "email").exit_code == ExitCode.OK
    coach = json.loads(run("coach", "show", "100234", "--format", "json").stdout)["coach"]
    assert coach["email"] is None


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--big", "1234"], "--big"),
        (["--agb", "12AB5678"], "--agb"),
        (["--email", "jan.example.nl"], "--email"),
        (["--postcode", "123 AB"], "--postcode"),
        (["--birth-date", "31-02-1975"], "--birth-date"),
        (["--registered", "2022/13/01"], "--registered"),
        (["--reg-no", "12a"], "--reg-no"),
    ],
)
def test_invalid_values_name_the_field_and_write_nothing(run: Run, db_path: Path,
                                                         args: list[str], field: str) -> None:
    base = dict(zip(JAN[2::2], JAN[3::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    before = dump(db_path)
    result = run("coach", "add", *[item for pair in base.items() for item in pair])
    assert result.exit_code == ExitCode.USAGE
    assert field in result.stderr
    assert dump(db_path) == before


def test_duplicate_registration_number_is_a_conflict(run: Run, db_path: Path) -> None:
    run(*JAN)
    before = dump(db_path)
    result = run("coach", "add", "--reg-no", "100234", "--last-name", "Ander",
                 "--registered", "01-01-2024")
    assert result.exit_code == ExitCode.REGISTER
    assert "100234" in result.stderr and "already" in result.stderr
    assert dump(db_path) == before


def test_duplicate_big_number_is_a_conflict(run: Run, db_path: Path) -> None:
    run(*JAN)
    before = dump(db_path)
    result = run("coach", "add", "--reg-no", "100235", "--last-name", "Ander",
                 "--registered", "01-01-2024", "--big", "19012345601")
    assert result.exit_code == ExitCode.REGISTER
    assert "--big" in result.stderr
    assert dump(db_path) == before


def test_unknown_coach(run: Run, db_path: Path) -> None:
    before = dump(db_path)
    for args in (["coach", "show", "999"], ["coach", "edit", "999", "--city", "Ede"],
                 ["coach", "suspend", "999", "--reason", "x"], ["history", "999"]):
        result = run(*args)
        assert result.exit_code == ExitCode.REGISTER, args
        assert "999" in result.stderr
    assert dump(db_path) == before


def test_suspend_reinstate_withdraw(run: Run, db_path: Path) -> None:
    run(*JAN)
    assert run("coach", "suspend", "100234", "--reason", "klacht",
               "--from", "01-02-2026").exit_code == ExitCode.OK
    assert run("coach", "suspend", "100234", "--reason", "x",
               "--from", "01-03-2026").exit_code == ExitCode.REGISTER
    assert run("coach", "reinstate", "100234", "--reason", "klacht ongegrond",
               "--on", "01-04-2026").exit_code == 0
    assert run("coach", "withdraw", "100234", "--reason", "gestopt",
               "--date", "01-06-2026").exit_code == ExitCode.OK
    shown = json.loads(run("coach", "show", "100234", "--as-of", "01-06-2026", "--format",
                           "json").stdout)
    assert shown["coach"]["state"] == "withdrawn"
    assert shown["states"] == [
        {"state": "suspended", "starts_on": "2026-02-01", "ends_on": "2026-03-31",
         "reason": "klacht"},
        {"state": "withdrawn", "starts_on": "2026-06-01", "ends_on": None, "reason": "gestopt"}]
    before = dump(db_path)
    assert run("coach", "reinstate", "100234", "--reason", "x",
               "--on", "02-06-2026").exit_code == ExitCode.REGISTER
    assert dump(db_path) == before
    history = json.loads(run("history", "100234", "-f", "json").stdout)
    assert [(h["entity"], h["action"]) for h in history] == [
        ("coach", "add"), ("registration_period", "add"), ("coach_state", "suspend"),
        ("coach_state", "reinstate"), ("coach_state", "withdraw")]


def test_profiles_with_assessing_supervisor(run: Run) -> None:
    run(*JAN)
    add_coach(run, "100250", "Smit", "01-01-2019")
    add_coach(run, "100260", "Nieuw", "01-06-2022")
    add_coach(run, "100270", "Oud", "01-03-2020")
    assert run("coach", "profile", "100250", "add", "basisprofiel", "--date", "01-06-2022",
               "--evidence", "Basistraining SMR").exit_code == ExitCode.OK
    result = run("coach", "profile", "100270", "add", "basisprofiel", "--date", "15-11-2022",
                 "--evidence", "Basistraining SMR", "--assessed-by", "100250")
    assert result.exit_code == ExitCode.OK, result.stderr
    again = run("coach", "profile", "100270", "add", "basisprofiel", "--date", "15-11-2022",
                "--evidence", "Basistraining SMR")
    assert again.exit_code == ExitCode.REGISTER
    too_new = run("coach", "profile", "100270", "add", "pregnancy", "--date", "01-12-2022",
                  "--assessed-by", "100260")
    assert too_new.exit_code == ExitCode.REGISTER
    assert "does not hold the basisprofiel on 01-12-2022" in too_new.stderr
    assert "rule supervisor_requires_basisprofiel" in too_new.stderr
    profiles = json.loads(run("coach", "show", "100270", "-f", "json").stdout)["profiles"]
    assert profiles == [{"profile": "basisprofiel", "attained_on": "2022-11-15",
                         "evidence": "Basistraining SMR", "assessed_by": "100250",
                         "ended_on": None}]
    assert run("coach", "profile", "100270", "remove", "basisprofiel",
               "--correction", "--reason", "ten onrechte").exit_code == ExitCode.OK
    assert json.loads(run("coach", "show", "100270", "-f", "json").stdout)["profiles"] == []


def test_a_new_registrant_attains_the_basisprofiel_not_directly(run: Run,
                                                                 db_path: Path) -> None:
    run(*JAN)  # registered 01-10-2022, after the basisprofiel became required
    before = dump(db_path)
    direct = run("coach", "profile", "100234", "add", "basisprofiel", "--date", "15-11-2022",
                 "--evidence", "Basistraining SMR")
    assert direct.exit_code == ExitCode.REGISTER
    assert "'smr coach training', 'smr coach assess'" in direct.stderr
    assert dump(db_path) == before


def test_the_basisprofiel_recorded_directly_needs_evidence(run: Run) -> None:
    add_coach(run, "100270", "Oud", "01-03-2020")
    bare = run("coach", "profile", "100270", "add", "basisprofiel", "--date", "15-11-2022")
    assert bare.exit_code == ExitCode.USAGE and "--evidence" in bare.stderr


def test_hours_and_practice_counts(run: Run) -> None:
    run(*JAN)
    assert run("coach", "hours", "100234", "--year", "2024", "--hours", "42,5",
               "--clients", "12", "--intakes", "14").exit_code == ExitCode.OK
    assert run("coach", "hours", "100234", "--year", "2024", "--hours", "40").exit_code == 0
    years = json.loads(run("coach", "show", "100234", "-f", "json").stdout)["practice_years"]
    assert len(years) == 1
    assert (years[0]["hours"], years[0]["clients"], years[0]["intakes"]) == ("40", 12, 14)
    bad = run("coach", "hours", "100234", "--year", "2024", "--hours", "-3")
    assert bad.exit_code == ExitCode.USAGE and "--hours" in bad.stderr
    low = run("coach", "hours", "100234", "--year", "2025", "--clients", "3",
              "--clients-low-literacy", "5")
    assert low.exit_code == ExitCode.USAGE and "--clients-low-literacy" in low.stderr


def test_supervisor_assign_and_limit(run: Run, db_path: Path, tmp_path: Path) -> None:
    add_coach(run, "500", "Supervisor", "01-01-2021")
    for n in range(1, 4):
        add_coach(run, str(600 + n), f"Coach{n}", "01-01-2024")
    on = ["--as-of", "01-06-2024"]
    rules = tmp_path / "rules.toml"
    from smr_register.domain.ruleset import default_rules_path

    rules.write_text(default_rules_path().read_text(encoding="utf-8").replace(
        "max_supervisees = { value = 10,", "max_supervisees = { value = 2,"), encoding="utf-8")
    for n in (1, 2):
        result = run("--rules", str(rules), "supervisor", "assign", str(600 + n),
                     "--supervisor", "500", *on)
        assert result.exit_code == ExitCode.OK, result.stderr
    before = dump(db_path)
    over = run("--rules", str(rules), "supervisor", "assign", "603", "--supervisor", "500", *on)
    assert over.exit_code == ExitCode.REGISTER
    assert "limit is 2" in over.stderr
    assert dump(db_path) == before
    listed = json.loads(run("supervisor", "list", "-f", "json").stdout)
    assert listed[0]["supervisees"] == ["601", "602"]
    run("coach", "suspend", "500", "--reason", "onderzoek", "--date", "01-05-2024")
    inactive = run("supervisor", "assign", "603", "--supervisor", "500", *on)
    assert inactive.exit_code == ExitCode.REGISTER and "not active" in inactive.stderr
    assert run("supervisor", "assign", "601", "--supervisor", "601", *on).exit_code == 4
    expired = run("supervisor", "assign", "603", "--supervisor", "500", "--as-of", "01-01-2026")
    assert expired.exit_code == ExitCode.REGISTER


def test_agenda_and_manual_credit(run: Run, agenda: None, db_path: Path) -> None:
    run(*JAN)
    listed = json.loads(run("agenda", "list", "--format", "json").stdout)
    assert listed == [{"code": "C-2024-017", "title": "Motiverende gespreksvoering",
                       "provider": "Academie Rookvrij", "points": "1.5",
                       "accredited_from": "2024-01-01", "accredited_until": "2026-12-31",
                       "profiles": [], "runs": ["2024-05-14", "2024-11-14"]}]
    for run_date in ("14-05-2024", "14-11-2024"):
        assert run("credit", "add", "100234", "--course", "c-2024-017",
                   "--date", run_date).exit_code == ExitCode.OK
    shown = json.loads(run("coach", "show", "100234", "-f", "json").stdout)
    assert shown["points_per_year"] == [{"year": 2024, "points": "3"}]
    before = dump(db_path)
    twice = run("credit", "add", "100234", "--course", "C-2024-017", "--date", "14-05-2024")
    assert twice.exit_code == ExitCode.REGISTER and "already credited" in twice.stderr
    no_run = run("credit", "add", "100234", "--course", "C-2024-017", "--date", "15-05-2024")
    assert no_run.exit_code == ExitCode.REGISTER and "no run" in no_run.stderr
    unknown = run("credit", "add", "100234", "--course", "X-1", "--date", "14-05-2024")
    assert unknown.exit_code == ExitCode.REGISTER and "X-1" in unknown.stderr
    assert dump(db_path) == before
    assert run("credit", "remove", "100234", "--course", "C-2024-017", "--date", "14-05-2024",
               "--reason", "niet aanwezig").exit_code == ExitCode.OK
    shown = json.loads(run("coach", "show", "100234", "-f", "json").stdout)
    assert shown["points_per_year"] == [{"year": 2024, "points": "1.5"}]


def test_agenda_refuses_bad_courses_and_runs(run: Run, agenda: None, db_path: Path) -> None:
    before = dump(db_path)
    outside = run("agenda", "run", "add", "--course", "C-2024-017", "--date", "01-01-2027")
    assert outside.exit_code == ExitCode.REGISTER and "outside the accreditation" in outside.stderr
    dup = run("agenda", "course", "add", "--code", "c-2024-017", "--title", "x", "--provider",
              "Academie Rookvrij", "--points", "1", "--accredited-from", "01-01-2024",
              "--accredited-until", "31-12-2024")
    assert dup.exit_code == ExitCode.REGISTER
    no_provider = run("agenda", "course", "add", "--code", "N-1", "--title", "x", "--provider",
                      "Onbekend", "--points", "1", "--accredited-from", "01-01-2024",
                      "--accredited-until", "31-12-2024")
    assert no_provider.exit_code == ExitCode.REGISTER and "Onbekend" in no_provider.stderr
    backwards = run("agenda", "course", "add", "--code", "N-2", "--title", "x", "--provider",
                    "Academie Rookvrij", "--points", "1", "--accredited-from", "01-01-2025",
                    "--accredited-until", "31-12-2024")
    assert backwards.exit_code == ExitCode.USAGE
    zero = run("agenda", "course", "add", "--code", "N-3", "--title", "x", "--provider",
               "Academie Rookvrij", "--points", "0,00", "--accredited-from", "01-01-2024",
               "--accredited-until", "31-12-2024")
    assert zero.exit_code == ExitCode.USAGE
    assert "--points: '0' must be more than 0" in zero.stderr  # a number, not Decimal('0.00')
    assert dump(db_path) == before


def test_interventions(run: Run) -> None:
    run(*JAN)
    assert run("intervention", "add", "--name", "SineFuma", "--since", "01-01-2015",
               "--description", "Groepstraining").exit_code == ExitCode.OK
    assert run("coach", "intervention", "100234", "add", "sinefuma").exit_code == ExitCode.OK
    assert run("coach", "intervention", "100234", "add", "Onbekend").exit_code == 4
    listed = json.loads(run("intervention", "list", "-f", "json").stdout)
    assert listed == [{"name": "SineFuma", "description": "Groepstraining",
                       "listed_since": "2015-01-01", "listed_until": None}]
    assert json.loads(run("coach", "show", "100234", "-f", "json").stdout)[
        "interventions"] == ["SineFuma"]
    assert run("coach", "intervention", "100234", "remove", "SineFuma").exit_code == 0


def test_exceptions_are_recorded(run: Run) -> None:
    run(*JAN)
    result = run("exception", "add", "100234", "--rule", "points", "--reason",
                 "langdurig ziek", "--decided-by", "Kwaliteitscommissie SMR",
                 "--decided-on", "01-02-2026", "--valid-until", "31-12-2026")
    assert result.exit_code == ExitCode.OK, result.stderr
    bad = run("exception", "add", "100234", "--rule", "punten", "--reason", "x",
              "--decided-by", "KC")
    assert bad.exit_code == ExitCode.USAGE and "--rule" in bad.stderr
    listed = json.loads(run("exception", "list", "-f", "json").stdout)
    assert listed[0]["rule"] == "points" and listed[0]["valid_until"] == "2026-12-31"


def test_refused_commands_write_no_history(run: Run, db_path: Path) -> None:
    assert run(*JAN).exit_code == ExitCode.OK
    before = dump(db_path)
    bad_mail = run("coach", "edit", "100234", "--email", "not-an-address")
    assert bad_mail.exit_code == ExitCode.USAGE and "not-an-address" in bad_mail.stderr
    taken = run("coach", "add", "--reg-no", "100234", "--last-name", "X",
                "--registered", "01-01-2024")
    assert taken.exit_code == ExitCode.REGISTER and "100234" in taken.stderr
    assert dump(db_path) == before  # not a history row, nor anything else


def test_every_write_command_records_history(run: Run, agenda: None) -> None:
    run(*JAN)
    add_coach(run, "100250", "Smit")
    commands = [
        ["coach", "edit", "100234", "--phone", "030-1234567"],
        ["coach", "suspend", "100234", "--reason", "r", "--from", "01-01-2025"],
        ["coach", "reinstate", "100234", "--reason", "r", "--on", "01-02-2025"],
        ["coach", "training", "100234", "--date", "15-11-2022", "--evidence", "Diploma",
         "--accepted-by", "KC"],
        ["coach", "hours", "100234", "--year", "2024", "--hours", "42"],
        ["supervisor", "assign", "100234", "--supervisor", "100250", "--as-of", "01-06-2023"],
        ["credit", "add", "100234", "--course", "C-2024-017", "--date", "14-05-2024"],
        ["exception", "add", "100234", "--rule", "hours", "--reason", "r", "--decided-by", "KC"],
    ]
    for args in commands:
        count = len(json.loads(run("history", "100234", "-f", "json").stdout))
        assert run(*args).exit_code == ExitCode.OK, args
        entries = json.loads(run("history", "100234", "-f", "json").stdout)
        assert len(entries) == count + 1, args
        words = list(takewhile(lambda word: not word.isdigit(), args))
        if args[:2] == ["coach", "profile"]:
            words = ["coach", "profile", "add"]
        assert entries[-1]["command"] == " ".join(words), args


@pytest.mark.sqlite_file
def test_missing_register_file_is_not_created(run: Run, empty_db: Path) -> None:
    result = run("coach", "list", db=empty_db)
    assert result.exit_code == ExitCode.DATABASE
    assert "smr init" in result.stderr
    assert not empty_db.exists()


def test_uninitialised_database_is_a_database_error(run: Run, empty_db: Register) -> None:
    if isinstance(empty_db, Path):
        empty_db.touch()
    result = run("coach", "list", db=empty_db)
    assert result.exit_code == ExitCode.DATABASE
    assert "not an initialised register" in result.stderr


def test_init_refuses_an_existing_register(run: Run, db_path: Path) -> None:
    before = dump(db_path)
    result = run("init")
    assert result.exit_code == ExitCode.REGISTER
    assert "already a register" in result.stderr
    assert dump(db_path) == before


def test_db_env_var_stands_for_db_option(runner, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from smr_register.cli import app

    result = runner.invoke(app, ["coach", "list", "-f", "json"], env={"SMR_DB": str(db_path)})
    assert result.exit_code == ExitCode.OK
    assert json.loads(result.stdout) == []


def test_sqlalchemy_url_is_accepted(runner, db_path: Register) -> None:  # type: ignore[no-untyped-def]
    from smr_register.cli import app

    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    result = runner.invoke(app, ["--db", url, "coach", "list", "-f", "json"])
    assert result.exit_code == ExitCode.OK


def test_unexpected_error_exits_70_without_traceback(run: Run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from smr_register.services import dossier

    run(*JAN)

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dossier, "coach_dossier", broken)
    result = run("coach", "show", "100234")
    assert result.exit_code == ExitCode.INTERNAL
    assert "internal error" in result.stderr and "boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(run: Run) -> None:
    assert run("coach", "list", "--format", "yaml").exit_code == ExitCode.USAGE
    assert run("coach", "add", "--reg-no", "1").exit_code == ExitCode.USAGE
