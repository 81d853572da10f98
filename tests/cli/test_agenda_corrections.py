"""Correcting the training agenda: `agenda course edit|remove`, `agenda run remove`,
`agenda provider edit`. A coach's points change only when asked for, every change is one
transaction with its history rows, and a refusal writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smr_register.errors import ExitCode
from smr_register.store.models import History
from tests.fixtures import Run, dump
from tests.fixtures.audit import build_register
from tests.fixtures.imports import engine_for, register_credits, write_csv

# C1 (5 points) runs on 15-03 of 2021..2026; 100001 is credited for 2022-2024, 100002 for
# 2022-2023 (10 points: at risk on 01-12-2026).
REASON = ("--reason", "verkeerd ingevoerd")


@pytest.fixture
def register(db_path: Path) -> Path:
    build_register(db_path, ("100001", "100002"))
    return db_path


def points(run: Run, reg_no: str) -> str:
    coach = json.loads(run("audit", reg_no, "--as-of", "01-12-2026", "--format",
                           "json").stdout)["coaches"][0]
    return next(f["actual"] for f in coach["findings"] if f["rule"] == "points")


def agenda_history(path: Path, command: str) -> list[tuple[Any, ...]]:
    """(entity, action, coach id, before, after, reason) of the rows `command` wrote."""
    engine = engine_for(path)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(History.entity, History.action, History.coach_id,
                                       History.before, History.after, History.reason)
                                .where(History.command == command).order_by(History.id)).all()
    finally:
        engine.dispose()
    return [(e, a, c, json.loads(b) if b else None, json.loads(f) if f else None, r)
            for e, a, c, b, f, r in rows]


def refused(run: Run, path: Path, code: ExitCode, message: str, *args: str) -> None:
    before = dump(path)
    result = run(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr, result.stderr
    assert dump(path) == before


# ---- run remove ---------------------------------------------------------------------------


def test_a_run_with_credits_is_kept_unless_its_credits_go_with_it(register: Path,
                                                                  run: Run) -> None:
    refused(run, register, ExitCode.REGISTER,
            "the run of C1 on 15-03-2022 carries the credits of 2 coaches (100001, 100002): "
            "add --with-credits", "agenda", "run", "remove", "--course", "c1", "--date",
            "15-03-2022", *REASON)
    refused(run, register, ExitCode.OK, "Would take back 2 credits of 2 coaches (10 points in "
            "all).", "agenda", "run", "remove", "--course", "C1", "--date", "15-03-2022",
            "--with-credits", "--dry-run", *REASON)
    assert points(run, "100002") == "10"
    result = run("agenda", "run", "remove", "--course", "C1", "--date", "15-03-2022",
                 "--with-credits", *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Removed the run of C1 on 15-03-2022." in result.stderr
    assert "Took back 2 credits of 2 coaches (10 points in all)." in result.stderr
    assert points(run, "100002") == "5"
    assert not {c for c in register_credits(register) if c[2].year == 2022}
    listed = json.loads(run("agenda", "list", "--format", "json").stdout)
    assert "2022-03-15" not in listed[0]["runs"]
    rows = agenda_history(register, "agenda run remove")
    assert [(e, a, r) for e, a, _c, _b, _f, r in rows] == [
        ("point_credit", "remove", "verkeerd ingevoerd")] * 2 + [
        ("course_run", "remove", "verkeerd ingevoerd")]
    assert rows[-1][3] == {"course": "C1", "run_date": "2022-03-15"}
    history = json.loads(run("history", "100002", "--format", "json").stdout)
    assert (history[-1]["entity"], history[-1]["action"], history[-1]["reason"]) == (
        "point_credit", "remove", "verkeerd ingevoerd")
    assert history[-1]["before"] == {"course": "C1", "run_date": "2022-03-15", "points": "5.00",
                                     "source": "manual"}
    shown = run("history", "100002").stdout
    assert "Run date: 15-03-2022" in shown and "Batch:" not in shown


def test_a_run_without_credits_goes_alone(register: Path, run: Run) -> None:
    result = run("agenda", "run", "remove", "--course", "C1", "--date", "15-03-2021", *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Took back" not in result.stderr
    assert points(run, "100001") == "15"


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--course", "C1", "--date", "16-03-2022"], ExitCode.REGISTER,
     "--date 16-03-2022: C1 has no run that day"),
    (["--course", "C9", "--date", "15-03-2022"], ExitCode.REGISTER,
     "--course C9: not in the training agenda"),
    (["--course", "C1", "--date", "31-02-2022"], ExitCode.USAGE, "--date"),
    (["--course", "C1", "--date", "15-03-2021", "--reason", " "], ExitCode.USAGE, "--reason"),
])
def test_refused_run_removals_write_nothing(register: Path, run: Run, args: list[str],
                                            code: ExitCode, message: str) -> None:
    reason = [] if "--reason" in args else list(REASON)
    refused(run, register, code, message, "agenda", "run", "remove", *args, *reason)


def test_a_run_named_by_rows_held_for_review_waits_for_the_review(
        db_path: Path, run: Run, tmp_path: Path) -> None:
    from tests.fixtures.imports import MI
    from tests.fixtures.imports import build_register as build_import_register

    build_import_register(run)
    sheet = write_csv(tmp_path / "lijst.csv", [
        ["004512", "Jansen", None, "J.", None, None, "C-2024-017", MI, "14-05-2024", "1,5", None],
        ["100300", "Bakkers", None, "P.", None, None, "C-2024-017", MI, "14-05-2024", "1,5",
         None],
    ])
    assert run("import", "attendance", str(sheet)).exit_code == ExitCode.FINDINGS
    remove = ("agenda", "run", "remove", "--course", "C-2024-017", "--date", "14-05-2024",
              "--with-credits", *REASON)
    refused(run, db_path, ExitCode.REGISTER, "rows held for review name the run of C-2024-017 "
            "on 14-05-2024 (1:5): resolve or reject them first", *remove)
    assert run("import", "resolve", "1:5", "--reject", "niet aanwezig").exit_code == 0
    result = run(*remove)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Took back 1 credit of 1 coach (1.5 points in all)." in result.stderr
    assert not any(c[1] == "C-2024-017" and c[2].month == 5
                   for c in register_credits(db_path))
    checked = run("db", "check")
    assert checked.exit_code == ExitCode.OK, checked.stdout + checked.stderr
    shown = run("import", "show", "1")
    assert shown.exit_code in (ExitCode.OK, ExitCode.FINDINGS), shown.stderr


# ---- course edit --------------------------------------------------------------------------


def test_a_typo_in_a_course_code_is_corrected(register: Path, run: Run) -> None:
    result = run("agenda", "course", "edit", "c1", "--code", "c-1", "--title", "MI basis",
                 *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Updated course C-1." in result.stderr
    listed = json.loads(run("agenda", "list", "--format", "json").stdout)
    assert [(c["code"], c["title"]) for c in listed] == [("C-1", "MI basis")]
    assert points(run, "100002") == "10"
    assert "C-1" in run("coach", "show", "100002").stdout
    ((entity, action, coach, before, after, reason),) = agenda_history(register,
                                                                      "agenda course edit")
    assert (entity, action, coach, reason) == ("course", "edit", None, "verkeerd ingevoerd")
    assert (before, after) == ({"code": "C1", "title": "Motiverende gespreksvoering"},
                               {"code": "C-1", "title": "MI basis"})


def test_new_points_re_value_the_credits_only_when_asked(register: Path, run: Run) -> None:
    refused(run, register, ExitCode.REGISTER, "--points: C1 has 5 credits of 2 coaches, given "
            "when it was worth 5 points; add --revalue-credits", "agenda", "course", "edit",
            "C1", "--points", "3", *REASON)
    refused(run, register, ExitCode.OK, "Would re-value 5 credits of 2 coaches: 25 points "
            "would become 15.", "agenda", "course", "edit", "C1", "--points", "3",
            "--revalue-credits", "--dry-run", *REASON)
    result = run("agenda", "course", "edit", "C1", "--points", "3", "--revalue-credits",
                 *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Re-valued 5 credits of 2 coaches: 25 points became 15." in result.stderr
    assert points(run, "100002") == "6"
    assert {c[3] for c in register_credits(register)} == {300}
    history = json.loads(run("history", "100002", "--format", "json").stdout)
    edits = [h for h in history if h["command"] == "agenda course edit"]
    assert [(h["entity"], h["action"], h["before"]["points"], h["after"]["points"],
             h["reason"]) for h in edits] == [
        ("point_credit", "edit", "5.00", "3.00", "verkeerd ingevoerd")] * 2
    assert "Points: 3" in run("history", "100002").stdout


def test_a_partial_credit_keeps_its_points_unless_they_exceed_the_new_ones(
        db_path: Path, run: Run) -> None:
    build_register(db_path, ())
    for reg_no, partial in (("100010", "2"), ("100011", "4,5")):
        assert run("coach", "add", "--reg-no", reg_no, "--last-name", "Deel", "--registered",
                   "01-01-2024").exit_code == 0
        assert run("credit", "add", reg_no, "--course", "C1", "--date", "15-03-2024",
                   "--points", partial).exit_code == 0
    result = run("agenda", "course", "edit", "C1", "--points", "3", "--revalue-credits",
                 *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Re-valued 1 credit of 1 coach: 4.5 points became 3." in result.stderr
    assert {(c[0], c[3]) for c in register_credits(db_path)} == {("100010", 200),
                                                                 ("100011", 300)}


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--code", "C1"], ExitCode.USAGE, "nothing to change"),
    ([], ExitCode.USAGE, "nothing to change"),
    (["--revalue-credits", "--title", "Nieuw"], ExitCode.USAGE,
     "--revalue-credits goes with --points"),
    (["--points", "0"], ExitCode.USAGE, "must be more than 0"),
    (["--accredited-until", "31-12-2019"], ExitCode.USAGE,
     "--accredited-until: '31-12-2019' is before --accredited-from 01-01-2020"),
    (["--accredited-from", "01-01-2022"], ExitCode.REGISTER,
     "C1 has a run on 15-03-2021, outside the accreditation from 01-01-2022 to 31-12-2030: "
     "remove it first"),
    (["--accredited-until", "31-12-2023"], ExitCode.REGISTER,
     "C1 has runs on 15-03-2024, 15-03-2025, 15-03-2026, outside the accreditation"),
    (["--provider", "Nergens BV"], ExitCode.REGISTER, "--provider 'Nergens BV': no such "
     "provider"),
    (["--code", "C2"], ExitCode.REGISTER, "--code C2: course already in the training agenda"),
    (["--title", ""], ExitCode.USAGE, "--title"),
])
def test_refused_course_edits_write_nothing(register: Path, run: Run, args: list[str],
                                            code: ExitCode, message: str) -> None:
    assert run("agenda", "course", "add", "--code", "C2", "--title", "Tweede", "--provider",
               "Academie Rookvrij", "--points", "1", "--accredited-from", "01-01-2024",
               "--accredited-until", "31-12-2024").exit_code == 0
    refused(run, register, code, message, "agenda", "course", "edit", "C1", *args, *REASON)
    refused(run, register, ExitCode.REGISTER, "--course C9: not in the training agenda",
            "agenda", "course", "edit", "C9", "--title", "x", *REASON)


# ---- course remove, provider edit ---------------------------------------------------------


def test_only_a_course_without_runs_is_removed(register: Path, run: Run) -> None:
    refused(run, register, ExitCode.REGISTER, "C1 has 6 runs (15-03-2021, 15-03-2022, "
            "15-03-2023, 15-03-2024, 15-03-2025, and 1 more): remove them first",
            "agenda", "course", "remove", "C1", *REASON)
    assert run("agenda", "course", "add", "--code", "C2", "--title", "Tweede", "--provider",
               "Academie Rookvrij", "--points", "1", "--accredited-from", "01-01-2024",
               "--accredited-until", "31-12-2024").exit_code == 0
    result = run("agenda", "course", "remove", "c2", *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Removed course C2 from the training agenda." in result.stderr
    assert [c["code"] for c in json.loads(run("agenda", "list", "-f", "json").stdout)] == ["C1"]
    ((entity, action, _coach, before, after, reason),) = agenda_history(
        register, "agenda course remove")
    assert (entity, action, after, reason) == ("course", "remove", None, "verkeerd ingevoerd")
    assert (before["code"], before["provider"], before["points"]) == (
        "C2", "Academie Rookvrij", "1.0")


def test_a_provider_is_renamed(register: Path, run: Run) -> None:
    assert run("agenda", "provider", "add", "--name", "Trimbos").exit_code == 0
    refused(run, register, ExitCode.REGISTER, "--name 'trimbos': provider already in the "
            "training agenda", "agenda", "provider", "edit", "Academie Rookvrij", "--name",
            "trimbos", *REASON)
    refused(run, register, ExitCode.REGISTER, "provider 'Nergens': not in the training agenda",
            "agenda", "provider", "edit", "Nergens", "--name", "Iets", *REASON)
    refused(run, register, ExitCode.USAGE, "nothing to change", "agenda", "provider", "edit",
            "Trimbos", "--name", "Trimbos", *REASON)
    result = run("agenda", "provider", "edit", "academie rookvrij", "--name",
                 "Academie  Rookvrij B.V.", *REASON)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Renamed provider 'Academie Rookvrij' to 'Academie Rookvrij B.V.'." in result.stderr
    assert json.loads(run("agenda", "list", "-f", "json").stdout)[0]["provider"] == (
        "Academie Rookvrij B.V.")
    assert run("agenda", "provider", "edit", "trimbos", "--name", "TRIMBOS",
               *REASON).exit_code == ExitCode.OK  # other capitals: a correction
    assert [(e, a, b, f) for e, a, _c, b, f, _r in agenda_history(
        register, "agenda provider edit")] == [
        ("provider", "edit", {"name": "Academie Rookvrij"}, {"name": "Academie Rookvrij B.V."}),
        ("provider", "edit", {"name": "Trimbos"}, {"name": "TRIMBOS"})]
