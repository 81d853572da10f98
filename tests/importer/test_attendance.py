"""`smr import attendance`: messy sheets in, correct credits out, every row accounted for.

Each test asserts the register afterwards (credits, batch, rows), not only the messages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import dump
from tests.fixtures.imports import (
    EXPECTED_CREDITS,
    EXPECTED_OUTCOMES,
    FARMA,
    HEADER,
    MESSY_ROWS,
    MI,
    TITLE_ROWS,
    batch,
    build_register,
    credit_rows,
    import_rows,
    ok,
    points_per_coach,
    register_credits,
    write_csv,
)
from tests.fixtures.registers import Register, Registers


@pytest.fixture(scope="module")
def register_template(session_registers: Registers) -> Register:
    """The small register, built once through the CLI (copied before a test writes to it)."""
    from typer.testing import CliRunner

    from smr_register.cli import app

    path = session_registers.new("import-template")
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, ["--db", str(path), *args], catch_exceptions=False)

    ok(invoke("init"))
    build_register(invoke)
    return path


@pytest.fixture
def db_path(register_template: Register, registers: Registers) -> Register:
    """Here every test's register (the one `run` uses) is a copy of the small register."""
    return registers.copy(register_template, "register")


@pytest.fixture
def register(db_path: Register) -> Register:
    return db_path


@pytest.fixture
def messy(make_xlsx: Callable[..., Path]) -> Path:
    """The provider's sheet: two title rows (the first merged), a blank line, the header."""
    return make_xlsx([[], HEADER, *MESSY_ROWS], title_rows=TITLE_ROWS, merge_title=True,
                     name="presentielijst.xlsx")


def test_messy_sheet_credits_the_good_rows_and_accounts_for_every_row(
        run: Callable[..., Any], register: Path, messy: Path) -> None:
    result = ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)

    assert register_credits(register) == EXPECTED_CREDITS
    assert import_rows(register, 1) == EXPECTED_OUTCOMES
    stored = batch(register, 1)
    assert (stored.kind, stored.file_name, stored.sheet) == ("attendance", "presentielijst.xlsx",
                                                             "Blad1")
    assert (stored.rows_read, stored.credited, stored.held, stored.rejected, stored.skipped,
            stored.duplicates) == (13, 4, 2, 4, 2, 1)
    provenance = {(c.row_number, c.batch_id, c.source) for c in credit_rows(register)}
    assert provenance == {(5, 1, "import"), (6, 1, "import"), (7, 1, "import"),
                          (14, 1, "import")}
    assert "header on row 4" in result.stderr
    assert "columns not used: Opmerking" in result.stderr
    assert "rejected: coach-withdrawn 1, no-run-on-date 1, outside-accreditation 1, " \
           "unknown-course 1" in result.stderr
    assert "held: name-mismatch 1, near-match 1" in result.stderr
    assert "skipped: blank-row 1, total-row 1" in result.stderr
    # The table on stdout lists what someone must look at, not the credited rows.
    assert "KR-2024-88" in result.stdout and "not in the training agenda" in result.stdout
    assert "coach-withdrawn" in result.stdout


def test_points_come_from_the_agenda_and_a_different_claim_is_noted(
        run: Callable[..., Any], register: Path, messy: Path) -> None:
    result = ok(run("import", "attendance", str(messy), "--format", "json"), ExitCode.FINDINGS)

    rows = {r["row"]: r for r in json.loads(result.stdout)["files"][0]["rows"]}
    assert rows[14]["outcome"] == "credited"
    assert rows[14]["reason"] == "points-differ"
    assert rows[14]["points"] == "3"
    assert "the sheet says 2 points, the training agenda 3" in rows[14]["message"]
    assert ("004512", "C-2024-020", date(2024, 9, 3), 300) in register_credits(register)


def test_same_file_twice_credits_once_and_says_so(run: Callable[..., Any], register: Path,
                                                   messy: Path) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)
    first = credit_rows(register)

    again = ok(run("import", "attendance", str(messy), "--format", "json"), ExitCode.FINDINGS)

    assert credit_rows(register) == first
    assert "imported before as batch 1" in again.stderr
    document = json.loads(again.stdout)["files"][0]
    assert document["earlier_batches"] == [1]
    assert document["totals"]["credited"] == 0
    outcomes = {r["row"]: (r["outcome"], r["reason"]) for r in document["rows"]}
    for row in (5, 6, 7, 14):
        assert outcomes[row] == ("duplicate", "already-credited")
    # Held rows wait in the first batch; the second does not queue them again.
    assert outcomes[8] == ("duplicate", "already-held")
    assert outcomes[15] == ("duplicate", "already-held")
    review = json.loads(ok(run("import", "review", "--format", "json")).stdout)
    assert [r["ref"] for r in review["rows"]] == ["1:8", "1:15"]


def test_a_corrected_file_credits_only_its_new_rows(run: Callable[..., Any], register: Path,
                                                    messy: Path,
                                                    make_xlsx: Callable[..., Path]) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)
    corrected = [list(r) for r in MESSY_ROWS]
    corrected[3][1] = "Bakker"  # row 8's name fixed by the provider
    fixed = make_xlsx([[], HEADER, *corrected], title_rows=TITLE_ROWS, name="gecorrigeerd.xlsx")

    result = ok(run("import", "attendance", str(fixed), "--format", "json"), ExitCode.FINDINGS)

    assert register_credits(register) == EXPECTED_CREDITS | {("100300", "C-2024-017",
                                                     date(2024, 5, 14), 150)}
    rows = {r["row"]: r for r in json.loads(result.stdout)["files"][0]["rows"]}
    assert rows[8]["outcome"] == "credited"
    assert rows[5]["reason"] == "already-credited"
    assert "batch 1 row 5" in rows[5]["message"]


def test_dry_run_decides_everything_and_writes_nothing(run: Callable[..., Any], register: Path,
                                                       messy: Path) -> None:
    before = dump(register)

    result = ok(run("import", "attendance", str(messy), "--dry-run", "--format", "json"),
                ExitCode.FINDINGS)

    assert dump(register) == before
    document = json.loads(result.stdout)
    assert document["dry_run"] is True
    assert document["files"][0]["batch"] is None
    assert document["files"][0]["totals"] == {"rows": 13, "credited": 4, "added": 0, "held": 2,
                                              "rejected": 4, "duplicate": 1, "skipped": 2}
    assert "dry run: nothing written" in result.stderr


@pytest.mark.parametrize("failing", ["insert_import_rows", "credit_import_rows",
                                     "insert_history"])
def test_a_failure_in_the_middle_of_a_batch_leaves_the_register_unchanged(
        run: Callable[..., Any], register: Path, messy: Path, monkeypatch: pytest.MonkeyPatch,
        failing: str) -> None:
    from smr_register.importer import attendance
    from smr_register.store import history as history_store
    from smr_register.store import imports as import_store

    monkeypatch.setattr(attendance, "CHUNK", 3)  # several chunks: some rows are written first
    store = history_store if failing == "insert_history" else import_store
    real = getattr(store, failing)
    calls = {"n": 0}

    def fail_later(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == (2 if failing == "insert_import_rows" else 1):
            raise RuntimeError("disk unplugged")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, failing, fail_later)
    before = dump(register)

    result = run("import", "attendance", str(messy))

    assert result.exit_code == ExitCode.INTERNAL
    assert "disk unplugged" in result.stderr
    assert dump(register) == before


def test_ctrl_c_in_the_middle_of_a_batch_leaves_the_register_unchanged(
        run: Callable[..., Any], register: Path, messy: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from smr_register.importer import attendance
    from smr_register.store import imports as import_store

    monkeypatch.setattr(attendance, "CHUNK", 3)
    real = import_store.insert_import_rows
    calls = {"n": 0}

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(import_store, "insert_import_rows", interrupted)
    before = dump(register)

    result = run("import", "attendance", str(messy))

    assert result.exit_code != ExitCode.OK
    assert calls["n"] == 3
    assert dump(register) == before


def test_undo_takes_back_exactly_one_batch(run: Callable[..., Any], register: Path,
                                           messy: Path) -> None:
    ok(run("credit", "add", "004512", "--course", "C-2024-017", "--date", "11-06-2024"))
    before = points_per_coach(register)
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)
    assert points_per_coach(register) != before

    result = ok(run("import", "undo", "1", "--reason", "verkeerde lijst ontvangen"))

    assert points_per_coach(register) == before
    assert register_credits(register) == {("004512", "C-2024-017", date(2024, 6, 11), 150)}
    assert "removed 4 credits of 3 coaches" in result.stderr
    stored = batch(register, 1)
    assert stored.undone_at is not None and stored.undo_reason == "verkeerde lijst ontvangen"
    history = json.loads(ok(run("history", "004512", "--format", "json")).stdout)
    actions = [(h["command"], h["action"]) for h in history if h["entity"] == "point_credit"]
    assert actions == [("credit add", "add"), ("import attendance", "import"),
                       ("import undo", "undo")]
    assert history[-1]["reason"] == "verkeerde lijst ontvangen"
    again = ok(run("import", "undo", "1", "--reason", "nogmaals"), ExitCode.REGISTER)
    assert "already undone" in again.stderr
    # Its held rows leave the review queue with it.
    assert json.loads(ok(run("import", "review", "--format", "json")).stdout)["rows"] == []


def test_history_shows_a_coachs_imported_credits_with_their_provenance(
        run: Callable[..., Any], register: Path, messy: Path) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)

    history = json.loads(ok(run("history", "004512", "--format", "json")).stdout)

    imported = [h for h in history if h["action"] == "import"]
    assert len(imported) == 1
    assert imported[0]["after"] == {
        "batch": 1, "file": "presentielijst.xlsx",
        "credits": [{"course": "C-2024-017", "run_date": "2024-05-14", "points": "1.5",
                     "row": 5},
                    {"course": "C-2024-020", "run_date": "2024-09-03", "points": "3",
                     "row": 14}]}


def test_review_and_resolve_held_rows(run: Callable[..., Any], register: Path,
                                      messy: Path) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)

    review = json.loads(ok(run("import", "review", "--format", "json")).stdout)
    held = {r["ref"]: r for r in review["rows"]}
    assert set(held) == {"1:8", "1:15"}
    assert [c["reg_no"] for c in held["1:8"]["candidates"]] == ["100300"]
    assert held["1:8"]["cells"]["Achternaam"] == "Bakkers"
    assert [c["reg_no"] for c in held["1:15"]["candidates"]][0] == "100234"
    table = ok(run("import", "review")).stdout
    assert "100300 P. Bakker (active)" in table

    ok(run("import", "resolve", "1:8", "--coach", "100300"))
    ok(run("import", "resolve", "1:15", "--reject", "onbekende deelnemer"))

    assert ("100300", "C-2024-017", date(2024, 5, 14), 150) in register_credits(register)
    assert ("100234", "C-2024-020", date(2024, 9, 3), 300) not in register_credits(register)
    rows = import_rows(register, 1)
    assert rows[8] == ("credited", "near-match")
    assert rows[15] == ("rejected", "rejected-on-review")
    stored = batch(register, 1)
    assert (stored.credited, stored.held, stored.rejected) == (5, 0, 5)
    assert json.loads(ok(run("import", "review", "--format", "json")).stdout)["rows"] == []
    resolved = [c for c in credit_rows(register) if c.row_number == 8]
    assert resolved[0].batch_id == 1
    again = ok(run("import", "resolve", "1:8", "--coach", "100300"), ExitCode.REGISTER)
    assert "not held for review" in again.stderr
    ok(run("import", "resolve", "1:9"), ExitCode.USAGE)
    ok(run("import", "resolve", "x", "--coach", "1"), ExitCode.USAGE)
    ok(run("import", "resolve", "1:99", "--coach", "1"), ExitCode.REGISTER)
    # Undo takes back the resolved credit too: every credit of the batch.
    ok(run("import", "undo", "1", "--reason", "test"))
    assert register_credits(register) == set()


def test_resolve_refuses_a_withdrawn_coach_and_a_double_credit(
        run: Callable[..., Any], register: Path, messy: Path) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)

    withdrawn = ok(run("import", "resolve", "1:8", "--coach", "100400"), ExitCode.REGISTER)
    assert "withdrawn" in withdrawn.stderr
    double = ok(run("import", "resolve", "1:15", "--coach", "004512"), ExitCode.REGISTER)
    assert "already credited for C-2024-020 on 03-09-2024 (batch 1 row 14)" in double.stderr
    assert register_credits(register) == EXPECTED_CREDITS


def test_cp1252_csv_with_semicolons(run: Callable[..., Any], register: Path,
                                    tmp_path: Path) -> None:
    ok(run("coach", "add", "--reg-no", "000077", "--last-name", "Öztürk", "--initials", "Ç.",
           "--registered", "01-01-2022"))
    rows = [["77", "Öztürk", None, "Ç.", None, None, "C-2024-017", MI, "14-05-2024", 1.5, "é"],
            ["004512", "Jansen", None, "J.", "01-02-1970", None, "C-2024-017", MI, "14-5-2024",
             "1,5", None],
            [None] * 11,
            ["Totaal: 2 deelnemers", None, None, None, None, None, None, None, None, 3.0, None]]
    path = write_csv(tmp_path / "lijst.csv", rows)
    assert "Öztürk".encode("cp1252") in path.read_bytes()

    result = ok(run("import", "attendance", str(path)))

    assert "encoding cp1252, delimiter ';', header on row 3" in result.stderr
    assert register_credits(register) == {("000077", "C-2024-017", date(2024, 5, 14), 150),
                                 ("004512", "C-2024-017", date(2024, 5, 14), 150)}
    assert import_rows(register, 1) == {4: ("credited", None), 5: ("credited", None),
                                        6: ("skipped", "blank-row"), 7: ("skipped", "total-row")}


def test_utf8_csv_with_bom_and_commas(run: Callable[..., Any], register: Path,
                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lijst.csv", [
        ["004512", "Jansen", None, "J.", None, None, "C-2024-017", MI, "2024-05-14", "1.5",
         None]], encoding="utf-8-sig", delimiter=",", title_rows=())

    result = ok(run("import", "attendance", str(path)))

    assert "encoding utf-8 with BOM, delimiter ','" in result.stderr
    assert register_credits(register) == {("004512", "C-2024-017", date(2024, 5, 14), 150)}


def test_json_report_is_one_stable_document(run: Callable[..., Any], register: Path,
                                            messy: Path) -> None:
    result = ok(run("import", "attendance", str(messy), "--format", "json"), ExitCode.FINDINGS)

    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert (document["kind"], document["dry_run"], document["exit_code"]) == (
        "attendance", False, 1)
    file = document["files"][0]
    assert file["batch"] == 1
    assert file["header_row"] == 4
    assert file["columns"]["reg_no"] == "Reg.nr"
    assert file["columns"]["date"] == "Datum cursus"
    assert file["unknown_columns"] == ["Opmerking"]
    assert file["valid"] is False
    assert file["reasons"]["rejected"] == {"coach-withdrawn": 1, "no-run-on-date": 1,
                                           "outside-accreditation": 1, "unknown-course": 1}
    rows = {r["row"]: r for r in file["rows"]}
    assert set(rows) == set(range(5, 18))
    assert rows[5] == {
        "row": 5, "outcome": "credited", "reason": None, "message": None, "column": None,
        "value": None, "coach": "004512", "course": "C-2024-017", "date": "2024-05-14",
        "points": "1.5", "candidates": [],
        "cells": {"Reg.nr": 4512, "Achternaam": "Jansen", "Voorletters": "J.",
                  "Geb.datum": "1970-02-01", "Cursuscode": "C-2024-017", "Cursusnaam": MI,
                  "Datum cursus": "2024-05-14", "Punten": 1.5}}
    assert rows[11]["column"] == "Cursuscode" and rows[11]["value"] == "KR-2024-88"
    assert rows[8]["candidates"][0]["reg_no"] == "100300"
    assert result.stderr  # the summary goes to stderr, never into the document


def test_xlsx_report_gives_the_provider_its_rows_back_with_status_and_reason(
        run: Callable[..., Any], register: Path, messy: Path, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    report = tmp_path / "rapport.xlsx"
    ok(run("import", "attendance", str(messy), "--report", str(report)), ExitCode.FINDINGS)

    workbook = CalamineWorkbook.from_path(str(report))
    assert workbook.sheet_names == ["Info", "presentielijst"]
    rows = list(workbook.get_sheet_by_name("presentielijst").iter_rows())
    assert rows[0] == ["Rij", *HEADER, "Status", "Reden", "Toelichting", "Kandidaten"]
    by_row = {int(r[0]): r for r in rows[1:]}
    assert set(by_row) == set(range(5, 18))
    assert by_row[11][1:3] == ["004512", "Jansen"]
    assert by_row[11][-4:-2] == ["rejected", "unknown-course"]
    assert by_row[9][-4:-1] == ["rejected", "coach-withdrawn",
                                "coach 100400 is withdrawn from the register"]
    assert by_row[5][-4] == "credited"
    assert by_row[8][-4:] == ["held", "near-match", by_row[8][-2], "100300 P. Bakker"]
    # Of candidate coaches only what the public register shows: no states, birth dates or why.
    cells = [str(c) for r in rows for c in r]
    assert not [c for c in cells if "(active)" in c or "candidate" in c or "keystroke" in c]


def test_report_path_must_be_an_xlsx_in_an_existing_directory(
        run: Callable[..., Any], register: Path, messy: Path, tmp_path: Path) -> None:
    before = dump(register)
    ok(run("import", "attendance", str(messy), "--report", str(tmp_path / "r.csv")),
       ExitCode.USAGE)
    ok(run("import", "attendance", str(messy), "--report", str(tmp_path / "no" / "r.xlsx")),
       ExitCode.USAGE)
    assert dump(register) == before


def test_each_file_is_its_own_batch_and_duplicates_across_files_count_once(
        run: Callable[..., Any], register: Path, make_xlsx: Callable[..., Path]) -> None:
    first = make_xlsx([HEADER, MESSY_ROWS[0], MESSY_ROWS[1]], name="mei.xlsx")
    second = make_xlsx([HEADER, MESSY_ROWS[0], MESSY_ROWS[2]], name="juni.xlsx")

    result = ok(run("import", "attendance", str(first), str(second), "--format", "json"))

    files = json.loads(result.stdout)["files"]
    assert [f["batch"] for f in files] == [1, 2]
    assert [r["reason"] for r in files[1]["rows"]] == ["already-credited", None]
    assert "batch 1 row 2" in files[1]["rows"][0]["message"]
    assert register_credits(register) == {("004512", "C-2024-017", date(2024, 5, 14), 150),
                                 ("100234", "C-2024-017", date(2024, 5, 14), 150),
                                 ("100500", "C-2024-017", date(2024, 6, 11), 150)}
    listing = json.loads(ok(run("import", "list", "--format", "json")).stdout)
    assert [(b["batch"], b["file"], b["credited"]) for b in listing] == [
        (1, "mei.xlsx", 2), (2, "juni.xlsx", 1)]
    assert len(listing[0]["sha256"]) == 64


def test_one_unusable_file_among_good_ones_imports_nothing(
        run: Callable[..., Any], register: Path, messy: Path, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(messy.read_bytes()[:2000])
    before = dump(register)

    result = ok(run("import", "attendance", str(messy), str(broken)), ExitCode.INPUT)

    assert dump(register) == before
    assert "1 of 2 files cannot be used, nothing imported" in result.stderr
    assert "kapot.xlsx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _fake_encrypted_workbook(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 compound file holding an
    EncryptionInfo stream (a stand-in with the same signature and stream name)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1024)
    return path


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("ontbreekt.xlsx", None, "no such file"),
    ("leeg.xlsx", b"", "the file is empty"),
    ("tekst.xlsx", b"Reg.nr;Naam\n1;Jansen\n", "is not a .xlsx workbook"),
    ("plaatje.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither a spreadsheet nor"),
    ("beveiligd.xlsx", "encrypted", "password-protected"),
    ("kapot.xlsx", "truncated", "cannot be read as a xlsx workbook"),
])
def test_an_unusable_file_is_one_line_naming_it_and_exit_3(
        run: Callable[..., Any], register: Path, messy: Path, tmp_path: Path, name: str,
        content: Any, expected: str) -> None:
    path = tmp_path / name
    if content == "encrypted":
        _fake_encrypted_workbook(path)
    elif content == "truncated":
        path.write_bytes(messy.read_bytes()[:3000])
    elif content is not None:
        path.write_bytes(content)
    before = dump(register)

    result = ok(run("import", "attendance", str(path)), ExitCode.INPUT)

    assert dump(register) == before
    assert name in result.stderr and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_required_column_is_named(run: Callable[..., Any], register: Path,
                                            make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Registratienummer", "Achternaam", "Datum", "Punten"],
                      ["004512", "Jansen", "14-05-2024", 1.5]])

    result = ok(run("import", "attendance", str(path)), ExitCode.INPUT)

    assert "the header on row 1 has no column for Cursuscode" in result.stderr
    assert "lijst.xlsx" in result.stderr


def test_no_header_row_is_an_unusable_file(run: Callable[..., Any], register: Path,
                                           make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Jansen", 12, "x"], ["de Vries", 13, "y"]])

    result = ok(run("import", "attendance", str(path)), ExitCode.INPUT)

    assert "no header row found in the first 30 rows" in result.stderr


def test_sheet_option_picks_the_sheet(run: Callable[..., Any], register: Path,
                                      tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Uitleg"
    workbook.active.append(["Dit tabblad legt de lijst uit."])
    data = workbook.create_sheet("Deelnemers")
    data.append(HEADER)
    data.append(MESSY_ROWS[0])
    path = tmp_path / "twee.xlsx"
    workbook.save(path)

    ok(run("import", "attendance", str(path), "--sheet", "Deelnemers"))
    assert register_credits(register) == {("004512", "C-2024-017", date(2024, 5, 14), 150)}
    missing = ok(run("import", "attendance", str(path), "--sheet", "Blad9"), ExitCode.INPUT)
    assert "no sheet 'Blad9' (sheets: 'Uitleg', 'Deelnemers')" in missing.stderr


def test_without_sheet_option_the_first_sheet_with_a_header_is_used(
        run: Callable[..., Any], register: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Toelichting bij de presentielijst"])
    data = workbook.create_sheet("Lijst")
    data.append(HEADER)
    data.append(MESSY_ROWS[0])
    path = tmp_path / "twee.xlsx"
    workbook.save(path)

    result = ok(run("import", "attendance", str(path)))

    assert "sheet 'Lijst'" in result.stderr


def test_provider_option_rejects_other_providers_courses(
        run: Callable[..., Any], register: Path, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([HEADER, MESSY_ROWS[0]])

    result = ok(run("import", "attendance", str(path), "--provider", "Andere Aanbieder",
                    "--format", "json"), ExitCode.FINDINGS)

    row = json.loads(result.stdout)["files"][0]["rows"][0]
    assert (row["outcome"], row["reason"]) == ("rejected", "other-provider")
    assert register_credits(register) == set()
    ok(run("import", "attendance", str(path), "--provider", "trimbos-INSTITUUT"))
    unknown = ok(run("import", "attendance", str(path), "--provider", "Niemand"),
                 ExitCode.REGISTER)
    assert "no such provider" in unknown.stderr


def test_a_different_title_under_a_known_code_is_held(
        run: Callable[..., Any], register: Path, make_xlsx: Callable[..., Path]) -> None:
    row = list(MESSY_ROWS[0])
    row[7] = "Leefstijlcoaching bij diabetes"
    path = make_xlsx([HEADER, row, [*MESSY_ROWS[9][:7], FARMA.upper(), *MESSY_ROWS[9][8:]]])

    result = ok(run("import", "attendance", str(path), "--format", "json"), ExitCode.FINDINGS)

    rows = json.loads(result.stdout)["files"][0]["rows"]
    assert (rows[0]["outcome"], rows[0]["reason"]) == ("held", "course-title-mismatch")
    assert rows[1]["outcome"] == "credited"  # the same title in capitals is the same title
    assert register_credits(register) == {("004512", "C-2024-020", date(2024, 9, 3), 300)}


@pytest.mark.parametrize(("row", "expected"), [
    # registration number and name agree, but the birth date does not
    (["004512", "Jansen", None, "J.", "02-02-1971", None, "C-2024-017", MI, "14-05-2024", 1.5],
     ("held", "birth-date-mismatch")),
    # the initials disagree: another Jansen?
    (["004512", "Jansen", None, "W.", None, None, "C-2024-017", MI, "14-05-2024", 1.5],
     ("held", "first-name-mismatch")),
    # a number one keystroke away, with the right name
    (["004513", "Jansen", None, "J.", None, None, "C-2024-017", MI, "14-05-2024", 1.5],
     ("held", "near-match")),
    # an unknown number and an unknown name
    (["777777", "Onbekend", None, "X.", None, None, "C-2024-017", MI, "14-05-2024", 1.5],
     ("rejected", "unknown-coach")),
    # name with the prefix in the last-name column, number as text with spaces
    (["00 45 12", "van Jansen", None, None, None, None, "C-2024-017", MI, "14-05-2024", None],
     ("credited", None)),
    # a date that is no date
    (["004512", "Jansen", None, "J.", None, None, "C-2024-017", MI, "31-02-2024", 1.5],
     ("rejected", "bad-date")),
    # no course code
    (["004512", "Jansen", None, "J.", None, None, None, MI, "14-05-2024", 1.5],
     ("rejected", "missing-value")),
    # unreadable points: noted, the agenda's points credited
    (["004512", "Jansen", None, "J.", None, None, "C-2024-017", MI, "14-05-2024", "veel"],
     ("credited", "bad-number")),
])
def test_how_single_rows_are_decided(run: Callable[..., Any], register: Path,
                                     make_xlsx: Callable[..., Path], row: list[Any],
                                     expected: tuple[str, str | None]) -> None:
    path = make_xlsx([HEADER[:10], row])

    result = run("import", "attendance", str(path), "--format", "json")

    decided = json.loads(result.stdout)["files"][0]["rows"][0]
    assert (decided["outcome"], decided["reason"]) == expected
    credited = expected[0] == "credited"
    assert result.exit_code == (ExitCode.OK if credited else ExitCode.FINDINGS)
    assert register_credits(register) == ({("004512", "C-2024-017", date(2024, 5, 14), 150)}
                                 if credited else set())


def test_show_lists_every_row_of_a_batch(run: Callable[..., Any], register: Path,
                                         messy: Path) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)

    shown = json.loads(ok(run("import", "show", "1", "--format", "json")).stdout)

    assert shown["schema_version"] == 1
    assert shown["batch"]["file"] == "presentielijst.xlsx"
    rows = {r["row"]: r for r in shown["rows"]}
    assert {n: (r["outcome"], r["reason"]) for n, r in rows.items()} == EXPECTED_OUTCOMES
    assert rows[5]["coach"] == "004512" and rows[5]["course"] == "C-2024-017"
    assert rows[5]["cells"]["Reg.nr"] == 4512
    assert rows[6]["cells"]["BIG-nummer"] == "BIG-12345678901"
    table = ok(run("import", "show", "1"))
    assert "presentielijst.xlsx" in table.stderr
    ok(run("import", "show", "9"), ExitCode.REGISTER)


def test_an_import_without_problems_exits_0_and_prints_no_table(
        run: Callable[..., Any], register: Path, make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([HEADER, MESSY_ROWS[0], [None] * 11, MESSY_ROWS[1]])

    result = ok(run("import", "attendance", str(path)))

    assert result.stdout == ""
    assert "2 credited" in result.stderr and "1 skipped" in result.stderr


def test_rows_settled_on_review_are_not_queued_again(run: Callable[..., Any], register: Path,
                                                     messy: Path) -> None:
    ok(run("import", "attendance", str(messy)), ExitCode.FINDINGS)
    ok(run("import", "resolve", "1:8", "--coach", "100300"))
    ok(run("import", "resolve", "1:15", "--reject", "onbekende deelnemer"))

    again = ok(run("import", "attendance", str(messy), "--format", "json"), ExitCode.FINDINGS)

    rows = {r["row"]: r for r in json.loads(again.stdout)["files"][0]["rows"]}
    assert (rows[8]["outcome"], rows[8]["reason"]) == ("duplicate", "already-credited")
    assert "resolved on review as 1:8: credited to coach 100300" in rows[8]["message"]
    assert (rows[15]["outcome"], rows[15]["reason"]) == ("rejected", "rejected-on-review")
    assert json.loads(ok(run("import", "review", "--format", "json")).stdout)["rows"] == []


def test_numbers_in_full_width_digits_name_the_coach_they_look_like(
        run: Callable[..., Any], register: Path, make_xlsx: Callable[..., Path]) -> None:
    # `００４５１２` (full-width, as some Asian keyboards and PDF exports give it) is 004512 to
    # anyone reading the sheet; the BIG number likewise. Both must find the registered coach.
    rows = [["ＳＭＲ ００４５１２", "Jansen", None, "J.", None, None, "C-2024-017", MI,
             "14-05-2024", "1,5", None],
            [None, "Vries", "de", "A.", None, "BIG-１２３４５６７８９０１", "C-2024-017", MI,
             "14-05-2024", "1,5", None]]
    path = make_xlsx([HEADER, *rows], name="breed.xlsx")

    result = ok(run("import", "attendance", str(path), "--format", "json"))

    found = [(r["outcome"], r["coach"]) for r in json.loads(result.stdout)["files"][0]["rows"]]
    assert found == [("credited", "004512"), ("credited", "100234")]
    assert ("004512", "C-2024-017", date(2024, 5, 14), 150) in register_credits(register)
