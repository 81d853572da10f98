"""`smr import columns` lists what the importers recognise (from their own list), the README
carries the same, and `--column HEADER=COLUMN` maps an odd header for one import."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from smr_register.importer.columns import LAYOUTS
from tests.fixtures import Run, dump
from tests.fixtures.imports import build_register, ok

ROOT = Path(__file__).resolve().parents[2]


def test_columns_lists_every_column_and_synonym_of_each_import(run: Run) -> None:
    document = json.loads(ok(run("import", "columns", "-f", "json")).stdout)
    assert set(document["imports"]) == set(LAYOUTS)
    for kind, layout in LAYOUTS.items():
        listed = {c["key"]: c for c in document["imports"][kind]}
        for spec in layout.fields:
            assert listed[spec.key]["column"] == spec.label
            assert listed[spec.key]["synonyms"] == list(spec.synonyms)
    course = {c["key"]: c for c in document["imports"]["attendance"]}["course_code"]
    assert course["required"] is True
    reg_no = {c["key"]: c for c in document["imports"]["attendance"]}["reg_no"]
    assert reg_no["one_of"] == ["reg_no", "big", "birth_date"]
    table = ok(run("import", "columns", "--import", "coaches")).stdout
    assert "Registratiedatum" in table and "inschrijfdatum" in table
    assert "Cursuscode" not in table


def test_readme_lists_the_columns_the_code_recognises() -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    import generate_cli_reference as reference

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert reference.readme_with_columns(readme) == readme, (
        "run: python docs/generate_cli_reference.py")
    for layout in LAYOUTS.values():
        for spec in layout.fields:
            assert f"| {spec.label} |" in readme and ", ".join(spec.synonyms) in readme


ODD = ["Lidnummer", "Achternaam", "Cursus", "Datum", "Punten"]


def test_column_maps_an_odd_header_for_one_attendance_import(
        run: Run, make_xlsx: Callable[..., Path]) -> None:
    build_register(run)
    sheet = make_xlsx([ODD, ["004512", "Jansen", "C-2024-017", "14-05-2024", "1,5"]])
    refused = run("import", "attendance", str(sheet))
    assert refused.exit_code == ExitCode.INPUT  # no registration number, Cursus is a title
    result = ok(run("import", "attendance", str(sheet), "--column", "Cursus=Cursuscode",
                    "--column", "lidnummer=Registratienummer", "-f", "json"))
    (row,) = json.loads(result.stdout)["files"][0]["rows"]
    assert row["outcome"] == "credited", row


def test_column_works_for_agenda_and_coach_imports(
        run: Run, make_xlsx: Callable[..., Path]) -> None:
    ok(run("agenda", "provider", "add", "--name", "Trimbos-instituut"))
    agenda = make_xlsx([["Nr", "Titel", "Aanbieder", "Punten", "Geaccrediteerd van",
                         "Geaccrediteerd tot", "Datum"],
                        ["C-9", "Roken", "Trimbos-instituut", "2", "01-01-2026", "31-12-2026",
                         "01-03-2026"]], name="agenda.xlsx")
    assert run("agenda", "import", str(agenda)).exit_code == ExitCode.INPUT
    ok(run("agenda", "import", str(agenda), "--column", "Nr=course code"))
    assert "C-9" in run("agenda", "list", "-f", "csv").stdout
    coaches = make_xlsx([["Lid", "Achternaam", "Lid sinds"], ["4700", "Visser", "01-03-2024"]],
                        name="coaches.xlsx")
    ok(run("coach", "import", str(coaches), "--column", "Lid=reg_no",
           "--column", "Lid sinds=Registratiedatum"))
    assert "Visser" in run("coach", "list", "-f", "csv").stdout


@pytest.mark.parametrize(("mapping", "said"), [
    ("Cursus=Kleur", "'Kleur' is not a column of the attendance import; its columns are "
                     "Registratienummer, BIG-nummer"),
    ("Cursus", "must be HEADER=COLUMN"),
    ("=Cursuscode", "must be HEADER=COLUMN"),
])
def test_an_unknown_target_is_refused_before_anything_is_read(
        run: Run, db_path: Path, make_xlsx: Callable[..., Path], mapping: str,
        said: str) -> None:
    sheet = make_xlsx([ODD, ["004512", "Jansen", "C-2024-017", "14-05-2024", "1,5"]])
    before = dump(db_path)
    result = run("import", "attendance", str(sheet), "--column", mapping)
    assert result.exit_code == ExitCode.USAGE
    assert said in " ".join(result.stderr.split()) and "--column" in result.stderr
    assert dump(db_path) == before
