"""`smr agenda import` and `smr coach import`: the same reading, report and exit codes as
attendance lists; the register afterwards is what the tests check."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import dump
from tests.fixtures.imports import batch, import_rows, ok

AGENDA_HEADER = ["Cursuscode", "Titel", "Aanbieder", "Punten", "Geaccrediteerd van",
                 "Geaccrediteerd tot", "Datum uitvoering", "Profiel"]
AGENDA_ROWS = [
    # 3, 4: one course, two runs; the provider is new
    ["C-2024-017", "Motiverende gespreksvoering", "Trimbos-instituut", "1,5", date(2024, 1, 1),
     "31-12-2024", date(2024, 5, 14), "basisprofiel"],
    ["C-2024-017", "Motiverende gespreksvoering", "Trimbos-instituut", "1,5", date(2024, 1, 1),
     "31-12-2024", "11-06-2024", "basisprofiel"],
    # 5: a run outside the accreditation: nothing of the row is added
    ["C-2024-030", "Zwangerschap en roken", "NSPOH", 3, date(2024, 1, 1), date(2024, 6, 30),
     date(2024, 9, 1), "zwangeren en kinderwens"],
    # 6: no points
    ["C-2024-031", "Farmacotherapie", "NSPOH", 0, date(2024, 1, 1), date(2024, 6, 30), None,
     None],
    # 7: a course without a run yet
    ["C-2024-032", "Groepstraining", "NSPOH", "2", "01-01-2024", "31-12-2024", None,
     "basisprofiel, zwangeren"],
    # 8: the first course again, with other points: not changed silently
    ["C-2024-017", "Motiverende gespreksvoering", "Trimbos-instituut", "2", date(2024, 1, 1),
     "31-12-2024", None, None],
    # 9: blank
    [None] * 8,
    # 10: the accreditation ends before it starts
    ["C-2024-033", "Omgekeerd", "NSPOH", 1, "31-12-2024", "01-01-2024", None, None],
]


def test_agenda_import_adds_providers_courses_and_runs(run: Callable[..., Any],
                                                       db_path: Path,
                                                       make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([AGENDA_HEADER, *AGENDA_ROWS], title_rows=[["Scholingsagenda 2024"]],
                     merge_title=True, name="agenda.xlsx")

    result = ok(run("agenda", "import", str(path)), ExitCode.FINDINGS)

    agenda = json.loads(ok(run("agenda", "list", "--format", "json")).stdout)
    assert [(c["code"], c["provider"], c["points"], c["runs"], c["profiles"]) for c in agenda] == [
        ("C-2024-017", "Trimbos-instituut", "1.5", ["2024-05-14", "2024-06-11"],
         ["basisprofiel"]),
        ("C-2024-032", "NSPOH", "2", [], ["basisprofiel", "pregnancy"])]
    assert import_rows(db_path, 1) == {
        3: ("added", None), 4: ("added", None), 5: ("rejected", "outside-accreditation"),
        6: ("rejected", "bad-value"), 7: ("added", None), 8: ("rejected", "course-differs"),
        9: ("skipped", "blank-row"), 10: ("rejected", "bad-value")}
    stored = batch(db_path, 1)
    assert (stored.kind, stored.rows_read, stored.credited, stored.rejected) == (
        "agenda", 8, 3, 4)
    assert "header on row 2" in result.stderr
    assert "1.5 points (sheet: 2)" in result.stdout
    providers = json.loads(ok(run("agenda", "provider", "list", "--format", "json")).stdout)
    assert [p["name"] for p in providers] == ["NSPOH", "Trimbos-instituut"]


def test_agenda_import_twice_adds_nothing_new(run: Callable[..., Any], db_path: Path,
                                              make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([AGENDA_HEADER, *AGENDA_ROWS[:2]], name="agenda.xlsx")
    ok(run("agenda", "import", str(path)))
    before = json.loads(ok(run("agenda", "list", "--format", "json")).stdout)

    again = ok(run("agenda", "import", str(path), "--format", "json"))

    assert json.loads(ok(run("agenda", "list", "--format", "json")).stdout) == before
    rows = json.loads(again.stdout)["files"][0]["rows"]
    assert [(r["outcome"], r["reason"]) for r in rows] == [("duplicate", "already-in-agenda")] * 2


def test_agenda_dry_run_writes_nothing(run: Callable[..., Any], db_path: Path,
                                       make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([AGENDA_HEADER, *AGENDA_ROWS], name="agenda.xlsx")
    before = dump(db_path)

    result = ok(run("agenda", "import", str(path), "--dry-run", "--format", "json"),
                ExitCode.FINDINGS)

    assert dump(db_path) == before
    assert json.loads(result.stdout)["files"][0]["totals"]["added"] == 3


def test_agenda_sheet_without_points_column_is_unusable(run: Callable[..., Any], db_path: Path,
                                                        make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([AGENDA_HEADER[:3] + AGENDA_HEADER[4:], AGENDA_ROWS[0][:3]])

    result = ok(run("agenda", "import", str(path)), ExitCode.INPUT)

    assert "no column for Punten" in result.stderr


COACH_HEADER = ["Registratienummer", "Achternaam", "Tussenvoegsel", "Voorletters",
                "Geboortedatum", "E-mail", "BIG-nummer", "Ingeschreven op", "Opleiding",
                "Postcode", "Woonplaats"]
COACH_ROWS = [
    # 2: complete
    ["004600", "Visser", None, "H.", date(1975, 3, 3), "H.Visser@Example.nl", None,
     date(2024, 1, 15), "HBO", "1234ab", "Utrecht"],
    # 3: a bad e-mail address: the coach is not registered at all
    [4601, "Berg", "van den", "L.", "12-12-1969", "geen-mail", None, "15-01-2024", None, None,
     None],
    # 4: BIG with a prefix, education in words
    ["004602", "Mulder", None, "S.", None, None, "BIG 12345678901", "15-01-2024", "mbo 4", None,
     None],
    # 5: the same BIG number again
    ["004603", "Kok", None, "T.", None, None, "12345678901", "15-01-2024", None, None, None],
    # 6: the first coach again (another line, same person)
    ["004600", "Visser", None, "H.", None, None, None, "15-01-2024", None, None, None],
    # 7: no registration date
    ["004604", "Wit", "de", "A.", None, None, None, None, None, None, None],
    # 8: an existing number with another name
    ["004602", "Bakker", None, "P.", None, None, None, "15-01-2024", None, None, None],
]


def test_coach_import_registers_valid_rows_through_the_registers_checks(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([COACH_HEADER, *COACH_ROWS], name="coaches.xlsx")

    result = ok(run("coach", "import", str(path), "--format", "json"), ExitCode.FINDINGS)

    coaches = json.loads(ok(run("coach", "list", "--format", "json")).stdout)
    assert sorted(c["reg_no"] for c in coaches) == ["004600", "004602"]
    visser = json.loads(ok(run("coach", "show", "004600", "--format", "json")).stdout)
    assert visser["coach"]["email"] == "h.visser@example.nl"
    assert visser["coach"]["postcode"] == "1234 AB"
    assert visser["coach"]["birth_date"] == "1975-03-03"
    assert visser["coach"]["education"] == "hbo"
    mulder = json.loads(ok(run("coach", "show", "004602", "--format", "json")).stdout)
    assert mulder["coach"]["big"] == "12345678901"
    assert mulder["coach"]["education"] == "mbo4"
    rows = {r["row"]: r for r in json.loads(result.stdout)["files"][0]["rows"]}
    assert {n: (r["outcome"], r["reason"]) for n, r in rows.items()} == {
        2: ("added", None), 3: ("rejected", "bad-value"), 4: ("added", None),
        5: ("rejected", "big-in-use"), 6: ("duplicate", "already-registered"),
        7: ("rejected", "missing-value"), 8: ("rejected", "reg-no-taken")}
    assert rows[3]["column"] == "E-mail" and "E-mail: 'geen-mail'" in rows[3]["message"]
    history = json.loads(ok(run("history", "004600", "--format", "json")).stdout)
    assert [h["command"] for h in history] == ["coach import", "coach import"]


def test_coach_import_checks_rows_against_the_coaches_already_registered(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    # The importer loads only the register's coaches the sheet names (by number or BIG
    # number): each kind of clash with a coach registered before the import must still be seen.
    for reg_no, last_name, big in (("004700", "Jansen", "12345678901"),
                                   ("004701", "de Vries", None)):
        ok(run("coach", "add", "--reg-no", reg_no, "--last-name", last_name, "--registered",
               "01-01-2024", *(["--big", big] if big else [])))
    rows = [
        # 2: a registered coach again, the same name
        ["004700", "Jansen", None, "K.", None, None, None, "15-01-2024", None, None, None],
        # 3: a registered number with another name
        ["004701", "Smit", None, "L.", None, None, None, "15-01-2024", None, None, None],
        # 4: the BIG number of a registered coach
        ["004702", "Kok", None, "T.", None, None, "BIG 12345678901", "15-01-2024", None, None,
         None],
        # 5: a registered number in full-width digits (the same number), another name
        ["００４７０１", "Smit", None, "L.", None, None, None, "15-01-2024", None, None, None],
        # 6: new
        ["004703", "Bos", None, "M.", None, None, None, "15-01-2024", None, None, None],
    ]
    path = make_xlsx([COACH_HEADER, *rows], name="coaches.xlsx")
    before = json.loads(ok(run("coach", "show", "004701", "--format", "json")).stdout)

    result = ok(run("coach", "import", str(path), "--format", "json"), ExitCode.FINDINGS)

    found = {r["row"]: (r["outcome"], r["reason"])
             for r in json.loads(result.stdout)["files"][0]["rows"]}
    assert found == {2: ("duplicate", "already-registered"), 3: ("rejected", "reg-no-taken"),
                     4: ("rejected", "big-in-use"), 5: ("rejected", "reg-no-taken"),
                     6: ("added", None)}
    coaches = json.loads(ok(run("coach", "list", "--format", "json")).stdout)
    assert sorted(c["reg_no"] for c in coaches) == ["004700", "004701", "004703"]
    assert json.loads(ok(run("coach", "show", "004701", "--format", "json")).stdout) == before


def test_coach_import_writes_the_history_coach_add_writes(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    # The import encodes its history rows in one pass of its own (`history.new_json`): what
    # they say must be what `smr coach add` records of the same coach.
    ok(run("coach", "add", "--reg-no", "004800", "--last-name", "Visser", "--initials", "H.",
           "--birth-date", "03-03-1975", "--email", "h.visser@example.nl", "--postcode",
           "1234 AB", "--city", "Utrecht", "--education", "hbo", "--registered", "15-01-2024"))
    row = ["004801", "Visser", None, "H.", date(1975, 3, 3), "h.visser@example.nl", None,
           date(2024, 1, 15), "hbo", "1234 AB", "Utrecht"]
    ok(run("coach", "import", str(make_xlsx([COACH_HEADER, row], name="coaches.xlsx"))))

    def shown(reg_no: str) -> list[tuple[str, str, dict[str, Any]]]:
        history = json.loads(ok(run("history", reg_no, "--format", "json")).stdout)
        return [(h["entity"], h["action"], {k: v for k, v in h["after"].items()
                                            if k not in ("id", "reg_no")}) for h in history]

    added, imported = shown("004800"), shown("004801")
    assert [entity for entity, _, _ in added] == ["coach", "registration_period"]
    assert imported == added
    assert added[0][2]["birth_date"] == "1975-03-03" and added[1][2] == {
        "starts_on": "2024-01-15", "valid_until": added[1][2]["valid_until"]}


def test_the_summary_names_the_file_as_it_is_called(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    # rich would print ':smile:' in a file name as an emoji: notes are written as they are.
    path = make_xlsx([COACH_HEADER, *COACH_ROWS[:1]], name="coaches :smile: [bold].xlsx")

    result = ok(run("coach", "import", str(path)))

    assert "coaches :smile: [bold].xlsx: xlsx, sheet" in result.stderr


def test_coach_import_dry_run_writes_nothing(run: Callable[..., Any], db_path: Path,
                                             make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([COACH_HEADER, *COACH_ROWS[:1]], name="coaches.xlsx")
    before = dump(db_path)

    result = ok(run("coach", "import", str(path), "--dry-run"))

    assert dump(db_path) == before
    assert "1 added" in result.stderr and "dry run: nothing written" in result.stderr


def test_coach_import_from_csv(run: Callable[..., Any], db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "coaches.csv"
    path.write_bytes("Reg.nr;Achternaam;Voorletters;Geboortedatum;Registratiedatum\r\n"
                     "4700;Çelik;E.;1-2-85;01-03-2024\r\n".encode("cp1252"))

    ok(run("coach", "import", str(path)))

    coach = json.loads(ok(run("coach", "show", "4700", "--format", "json")).stdout)["coach"]
    assert (coach["last_name"], coach["birth_date"]) == ("Çelik", "1985-02-01")


def test_undo_refuses_a_coaches_batch(run: Callable[..., Any], db_path: Path,
                                      make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([COACH_HEADER, *COACH_ROWS[:1]], name="coaches.xlsx")
    ok(run("coach", "import", str(path)))

    result = ok(run("import", "undo", "1", "--reason", "x"), ExitCode.REGISTER)

    assert "undo takes back the credits of attendance batches only" in result.stderr



def _history(db_path: Path, command: str) -> list[tuple[str, int, int | None, dict[str, Any]]]:
    """The history rows `command` wrote: entity, entity id, coach id, after (without ids)."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT entity, entity_id, coach_id, after FROM history "
                            "WHERE command = ? ORDER BY id", (command,)).fetchall()
    return [(entity, entity_id, coach_id,
             {k: v for k, v in json.loads(after).items() if k != "id"})
            for entity, entity_id, coach_id, after in rows]


@pytest.mark.sqlite_file  # reads the history with sqlite3
def test_sheet_imports_write_the_history_rows_of_the_commands(
        run: Callable[..., Any], db_path: Path, make_xlsx: Callable[..., Path]) -> None:
    """An import decides in memory and writes at once, yet its history rows are those the
    commands write one by one, and its rows name what earlier rows of the file added."""
    ok(run("agenda", "provider", "add", "--name", "Trimbos-instituut"))
    ok(run("agenda", "course", "add", "--code", "C-2024-017", "--title",
           "Motiverende gespreksvoering", "--provider", "Trimbos-instituut", "--points", "1,5",
           "--accredited-from", "01-01-2024", "--accredited-until", "31-12-2024",
           "--profile", "basisprofiel"))
    ok(run("agenda", "run", "add", "--course", "C-2024-017", "--date", "14-05-2024"))
    ok(run("coach", "add", "--reg-no", "004600", "--registered", "01-02-2024", "--last-name",
           "Visser", "--initials", "H.", "--education", "hbo"))
    agenda = make_xlsx([AGENDA_HEADER, AGENDA_ROWS[0], ["c-2024-017", *AGENDA_ROWS[0][1:]]],
                       name="agenda.xlsx")
    coaches = make_xlsx([["Registratienummer", "Achternaam", "Voorletters", "Opleiding",
                          "Registratiedatum"],
                         ["004601", "Visser", "H.", "hbo", "01-02-2024"],
                         ["004601", "visser", "H.", None, "01-03-2024"]], name="coaches.xlsx")
    with sqlite3.connect(db_path) as conn:  # the same course and provider, anew for the sheet
        conn.execute("DELETE FROM course_run")
        conn.execute("DELETE FROM course")
        conn.execute("DELETE FROM provider")

    ok(run("agenda", "import", str(agenda)))
    ok(run("coach", "import", str(coaches)))

    by_hand = [*_history(db_path, "agenda provider add"), *_history(db_path, "agenda course add"),
               *_history(db_path, "agenda run add")]
    imported = _history(db_path, "agenda import")
    assert [e for e, _, _, _ in imported] == ["provider", "course", "course_run",
                                             "import_batch"]
    by_hand[1][3]["provider_id"] = imported[0][1]
    assert [(e, after) for e, _, _, after in imported[:3]] == [
        (e, after) for e, _, _, after in by_hand]
    coach_by_hand = _history(db_path, "coach add")
    coach_rows = _history(db_path, "coach import")
    assert [(e, {**after, "reg_no": None}) for e, _, _, after in coach_rows[:2]] == [
        (e, {**after, "reg_no": None}) for e, _, _, after in coach_by_hand]
    coach_id = coach_rows[0][1]
    assert coach_rows[0][2] == coach_rows[1][2] == coach_id
    with sqlite3.connect(db_path) as conn:
        coach_ids = conn.execute("SELECT row_number, outcome, coach_id FROM import_row "
                                 "WHERE batch_id = 2 ORDER BY row_number").fetchall()
        run_ids = conn.execute("SELECT row_number, outcome, run_id FROM import_row "
                               "WHERE batch_id = 1 ORDER BY row_number").fetchall()
    assert coach_ids == [(2, "added", coach_id), (3, "duplicate", coach_id)]
    assert run_ids == [(2, "added", imported[2][1]), (3, "duplicate", imported[2][1])]
