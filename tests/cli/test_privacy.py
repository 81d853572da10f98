"""Privacy: the public register shows public fields only; export and purge (GDPR)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smr_register.errors import ExitCode
from tests.fixtures import Run, dump

PRIVATE = ("birth_date", "email", "phone", "big", "agb")


def coach(run: Run, reg_no: str, last_name: str, registered: str, *extra: str) -> None:
    result = run("coach", "add", "--reg-no", reg_no, "--last-name", last_name,
                 "--registered", registered, *extra)
    assert result.exit_code == ExitCode.OK, result.stderr


@pytest.fixture
def small_register(run: Run) -> None:
    coach(run, "100234", "Berg", "01-08-2022", "--prefix", "van der", "--initials", "J.M.",
          "--birth-date", "12-03-1975", "--email", "jan@example.nl", "--big", "19012345601",
          "--agb", "12345678", "--phone", "030-7654321", "--practice", "Rookvrij Utrecht",
          "--postcode", "3511 AB", "--city", "Utrecht")
    coach(run, "100300", "Oud", "01-01-2015", "--email", "oud@example.nl")
    coach(run, "100301", "Weg", "01-01-2021", "--email", "weg@example.nl")
    coach(run, "100302", "Geschorst", "01-01-2024")
    steps = [
        ("coach", "withdraw", "100301", "--reason", "gestopt met werken", "--date", "01-03-2022"),
        ("coach", "suspend", "100302", "--reason", "klacht van een cliënt", "--date",
         "01-06-2026"),
        ("coach", "profile", "100234", "add", "basisprofiel", "--date", "15-11-2022",
         "--evidence", "Getuigschrift basistraining nr. 4711"),
        # credits and exceptions too, so every kind of private value has one to look for
        ("agenda", "provider", "add", "--name", "Trimbos-instituut"),
        ("agenda", "course", "add", "--code", "C-2024-017", "--title", "Motiverende "
         "gespreksvoering", "--provider", "Trimbos-instituut", "--points", "3,25",
         "--accredited-from", "01-01-2024", "--accredited-until", "31-12-2024"),
        ("agenda", "run", "add", "--course", "C-2024-017", "--date", "14-05-2024"),
        ("credit", "add", "100234", "--course", "C-2024-017", "--date", "14-05-2024"),
        ("exception", "add", "100300", "--rule", "hours", "--reason",
         "langdurig ziek in 2024 (medische verklaring)", "--decided-by", "Kwaliteitscommissie"),
        # a contribution paid with a bank reference naming the coach
        ("fee", "charge", "--year", "2018", "--on", "01-02-2018"),
        ("fee", "pay", "100300", "--year", "2018", "--amount", "60", "--date", "01-03-2018",
         "--reference", "NL91ABNA0417164300 Oud"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == ExitCode.OK, (step, result.stderr)


def test_public_register_lists_only_valid_coaches_with_public_fields(
        run: Run, small_register: None) -> None:
    result = run("report", "public", "--as-of", "01-12-2026", "--format", "json")
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert [c["name"] for c in document["coaches"]] == ["J.M. van der Berg"]
    entry = document["coaches"][0]
    assert entry == {"name": "J.M. van der Berg", "practice": "Rookvrij Utrecht",
                     "postcode": "3511 AB", "city": "Utrecht", "basisprofiel": True,
                     "additional_profiles": [], "smr_extra": False,
                     "registered_until": "2027-07-31", "renewed_until": None}
    earlier = json.loads(run("report", "public", "--as-of", "01-01-2026", "-f", "json").stdout)
    assert {c["name"] for c in earlier["coaches"]} == {"J.M. van der Berg", "Geschorst"}


def _private_values(run: Run, reg_nos: list[str]) -> set[str]:
    values: set[str] = set()
    for reg_no in reg_nos:
        shown = json.loads(run("coach", "show", reg_no, "-f", "json").stdout)
        values.update(str(shown["coach"][key]) for key in PRIVATE if shown["coach"][key])
        if shown["coach"]["birth_date"]:
            year, month, day = shown["coach"]["birth_date"].split("-")
            values.add(f"{day}-{month}-{year}")
        values.update(f"{c['points']} points" for c in shown["credits"])
        values.update(e["reason"] for e in shown["exceptions"])
        values.update(p["evidence"] for p in shown["profiles"] if p["evidence"])
        values.update(spell["reason"] for spell in shown["states"])
    return values


def test_no_private_field_reaches_any_public_output(run: Run, small_register: None,
                                                    tmp_path: Path) -> None:
    secrets = _private_values(run, ["100234", "100300", "100301", "100302"])
    assert {"jan@example.nl", "19012345601", "3.25 points",
            "langdurig ziek in 2024 (medische verklaring)",
            "Getuigschrift basistraining nr. 4711", "klacht van een cliënt"} <= secrets
    outputs = [run("report", "public", "--as-of", "01-12-2026", "-f", fmt).stdout
               for fmt in ("json", "csv")]
    xlsx = tmp_path / "public.xlsx"
    run("report", "public", "--as-of", "01-12-2026", "-f", "xlsx", "--output", str(xlsx))
    workbook = load_workbook(xlsx)
    outputs.append("\n".join(str(cell.value) for ws in workbook for row in ws.iter_rows()
                             for cell in row if cell.value is not None))
    for text in outputs:
        for secret in secrets:
            assert secret not in text


def test_public_output_to_file_is_written_whole(run: Run, small_register: None,
                                               tmp_path: Path) -> None:
    target = tmp_path / "public.csv"
    result = run("report", "public", "--as-of", "01-12-2026", "-f", "csv", "-o", str(target))
    assert result.exit_code == ExitCode.OK and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("name,practice")
    missing_dir = run("report", "public", "-f", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert missing_dir.exit_code == ExitCode.INPUT
    assert not (tmp_path / "no").exists()
    assert run("report", "public", "-f", "xlsx").exit_code == ExitCode.USAGE


def test_report_files_get_the_permissions_of_a_normally_written_file(
        run: Run, small_register: None, tmp_path: Path) -> None:
    """Written through a temp file (mode 0o600) and renamed, a report must still be readable
    as the umask allows (a web server publishing the public register), and a report written
    over an existing file keeps that file's permissions."""
    old_umask = os.umask(0o022)
    try:
        fresh, kept = tmp_path / "public.xlsx", tmp_path / "expiry.csv"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o640)
        assert run("report", "public", "--as-of", "01-12-2026", "-f", "xlsx", "-o",
                   str(fresh)).exit_code == ExitCode.OK
        assert run("report", "expiry", "--as-of", "01-12-2026", "-f", "csv", "-o",
                   str(kept)).exit_code in (ExitCode.OK, ExitCode.FINDINGS)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert kept.read_text(encoding="utf-8").startswith("valid_until")


def test_export_gives_everything_held(run: Run, small_register: None, tmp_path: Path) -> None:
    document = json.loads(run("privacy", "export", "100234").stdout)
    assert document["schema_version"] == 1
    assert document["coach"]["email"] == "jan@example.nl"
    assert document["coach"]["big"] == "19012345601"
    assert document["profiles"][0]["profile"] == "basisprofiel"
    assert [(h["entity"], h["action"]) for h in document["history"]] == [
        ("coach", "add"), ("registration_period", "add"), ("profile_held", "add"),
        ("point_credit", "add")]
    assert [c["course"] for c in document["credits"]] == ["C-2024-017"]
    target = tmp_path / "dossier.json"
    result = run("privacy", "export", "100234", "--output", str(target))
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["coach"]["reg_no"] == "100234"
    assert run("privacy", "export", "999").exit_code == ExitCode.REGISTER
    paid = json.loads(run("privacy", "export", "100300").stdout)["contributions"]
    assert [(c["year"], c["amount"], c["paid"]) for c in paid] == [(2018, "60", "60")]


def test_purge_dry_run_changes_nothing(run: Run, small_register: None, db_path: Path) -> None:
    before = dump(db_path)
    result = run("privacy", "purge", "--as-of", "01-12-2026", "--dry-run")
    assert result.exit_code == ExitCode.OK
    assert "100300" in result.stderr  # registration ended 31-12-2019: more than 6 years
    assert "100301" not in result.stderr  # withdrawn 01-03-2022: not yet 6 years
    assert dump(db_path) == before


def test_purge_anonymises_and_keeps_aggregates(run: Run, small_register: None,
                                               db_path: Path) -> None:
    # 100300's registration ended 31-12-2019; 100301 was withdrawn 01-03-2022.
    result = run("privacy", "purge", "--inactive-years", "6", "--as-of", "01-12-2026", "--yes")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Purged the personal data of 1 coach;" in result.stderr
    listed = json.loads(run("coach", "list", "-f", "json").stdout)
    numbers = {row["reg_no"] for row in listed}
    assert "100300" not in numbers and "100301" in numbers
    purged = [row for row in listed if row["last_name"] == "[verwijderd]"]
    assert len(purged) == 1
    shown = json.loads(run("coach", "show", purged[0]["reg_no"], "-f", "json").stdout)
    assert all(shown["coach"][key] is None for key in PRIVATE)
    text = json.dumps(dump(db_path), default=str)
    assert "oud@example.nl" not in text and "Oud" not in text
    assert "weg@example.nl" in text
    history = json.loads(run("history", purged[0]["reg_no"], "-f", "json").stdout)
    assert history[-1]["action"] == "purge"
    assert "oud@example.nl" not in json.dumps(history)


def test_purge_without_yes_refuses_when_not_interactive(run: Run, small_register: None,
                                                        db_path: Path) -> None:
    before = dump(db_path)
    result = run("privacy", "purge", "--as-of", "01-12-2026")
    assert result.exit_code == ExitCode.USAGE
    assert "--yes" in result.stderr
    assert dump(db_path) == before


def test_purge_takes_the_coach_out_of_held_rows_of_other_imports(
        run: Run, small_register: None, tmp_path: Path) -> None:
    """A row held for review lists the register's name and birth date of each candidate: a
    purged coach must not stay there."""
    assert run("agenda", "provider", "add", "--name", "Academie").exit_code == ExitCode.OK
    assert run("agenda", "course", "add", "--code", "C-2018-1", "--title", "Motiveren",
               "--provider", "Academie", "--points", "2", "--accredited-from", "01-01-2018",
               "--accredited-until", "31-12-2018").exit_code == ExitCode.OK
    assert run("agenda", "run", "add", "--course", "C-2018-1", "--date",
               "14-05-2018").exit_code == ExitCode.OK
    assert run("coach", "edit", "100300", "--birth-date", "07-08-1961").exit_code == ExitCode.OK
    sheet = tmp_path / "lijst.csv"
    sheet.write_text("Registratienummer;Achternaam;Cursuscode;Datum\n"
                     "100300;Oudt;C-2018-1;14-05-2018\n", encoding="utf-8")
    imported = run("import", "attendance", str(sheet))
    assert imported.exit_code == ExitCode.FINDINGS, imported.stderr  # held: a near name
    assert "1 row read: 0 credited, 1 held for review" in imported.stderr

    def candidates() -> list[dict[str, str]]:
        held = json.loads(run("import", "review", "-f", "json").stdout)["rows"]
        return [c for row in held for c in row["candidates"]]

    assert [c["reg_no"] for c in candidates()] == ["100300"]
    assert "1961-08-07" in json.dumps(candidates())
    result = run("privacy", "purge", "--inactive-years", "6", "--as-of", "01-12-2026", "--yes")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert candidates() == []
    purged = next(row["reg_no"] for row in json.loads(run("coach", "list", "-f", "json").stdout)
                  if row["last_name"] == "[verwijderd]")
    history = json.loads(run("history", purged, "-f", "json").stdout)
    assert '"taken_out_of_review_rows": 1' in json.dumps(history[-1])
    text = json.dumps(run("import", "show", "1", "-f", "json").stdout)
    assert "1961-08-07" not in text and '"Oud"' not in text


def test_purge_blanks_rejected_and_held_rows_of_people_not_in_the_register(
        run: Run, db_path: Path, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    """A provider's sheet names people who are not (or no longer) coaches; once the batch is
    older than the retention period their names and birth dates go, the outcome stays."""
    from tests.fixtures.imports import HEADER, MESSY_ROWS, TITLE_ROWS, build_register, ok

    build_register(run)
    stranger = ["999999", "Onbekend", None, "X.", "01-01-1990", None, "C-2024-017",
                "Motiverende gespreksvoering", "14-05-2024", "1,5", "nieuwe deelnemer"]
    sheet = make_xlsx([HEADER, *MESSY_ROWS, stranger], title_rows=[*TITLE_ROWS, []],
                      name="lijst.xlsx")
    ok(run("import", "attendance", str(sheet)), ExitCode.FINDINGS)

    def shown() -> dict[int, dict]:  # type: ignore[type-arg]
        detail = json.loads(ok(run("import", "show", "1", "-f", "json")).stdout)
        return {row["row"]: row for row in detail["rows"]}

    before = shown()
    assert before[18]["outcome"] == "rejected" and "Onbekend" in json.dumps(before[18])
    assert "1990" in json.dumps(before[18])
    unchanged = dump(db_path)
    # within the retention period: nothing to purge
    early = ok(run("privacy", "purge", "--as-of", "01-12-2030", "--dry-run"))
    assert "0 import rows" in early.stderr
    dry = ok(run("privacy", "purge", "--as-of", "01-12-2045", "--dry-run"))
    # rows 8, 15 held; 9, 11, 12, 16 and the stranger rejected
    assert "7 import rows" in dry.stderr and "nothing was purged" in dry.stderr
    assert dump(db_path) == unchanged
    ok(run("privacy", "purge", "--as-of", "01-12-2045", "--yes"))
    after = shown()
    text = json.dumps(after)
    for gone in ("Onbekend", "1990", "999999", "Bakkers", "Pietersen", "nieuwe deelnemer"):
        assert gone not in text, gone
    for number in (8, 9, 11, 12, 15, 16, 18):
        assert (after[number]["outcome"], after[number]["reason"]) == (
            before[number]["outcome"], before[number]["reason"]), number
    for number in (8, 15, 18):  # matched to no coach: only this purge takes them
        assert after[number]["candidates"] == [] and after[number]["message"] is None
    assert after[18]["cells"]["Cursuscode"] == "C-2024-017"  # the course is no personal data
    assert after[18]["cells"]["Achternaam"] is None
    again = ok(run("privacy", "purge", "--as-of", "01-12-2045", "--dry-run"))
    assert "0 import rows" in again.stderr
