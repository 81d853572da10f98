"""One formatter per format, in one table: every format a command accepts has one."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typer

from smr_register.cli import app
from smr_register.errors import UsageError
from smr_register.render.cells import Column
from smr_register.render.formats import LISTING_FORMATS, REPORT_FORMATS, STATS_FORMATS, OutputFormat
from smr_register.render.model import listing
from smr_register.render.registry import FORMATTERS, check_output, emit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))

import generate_cli_reference as reference  # noqa: E402


def _accepted_formats() -> dict[str, tuple[object, ...]]:
    """`--format` choices of every command, by command."""
    found = {}
    for path, command in reference.walk(typer.main.get_command(app), ["smr"]):
        for param in command.params:
            if "--format" in getattr(param, "opts", ()):
                found[" ".join(path)] = tuple(param.type_descriptor.choices or ())
    return found


def test_every_format_a_command_accepts_has_a_formatter() -> None:
    accepted = _accepted_formats()
    assert len(accepted) >= 20  # the listings, reports, audits and imports
    for command, choices in accepted.items():
        assert choices, command
        for choice in choices:
            assert isinstance(choice, OutputFormat), (command, choice)
            assert choice in FORMATTERS, (command, choice)


def test_every_output_format_has_a_formatter() -> None:
    assert set(FORMATTERS) == set(OutputFormat)


def test_output_check_names_the_formats_that_can_go_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="--format xlsx writes a file: give --output FILE.xlsx"):
        check_output(OutputFormat.XLSX, None, REPORT_FORMATS)
    with pytest.raises(UsageError, match="^--output needs --format json, csv or xlsx$"):
        check_output(OutputFormat.TABLE, out, REPORT_FORMATS)
    with pytest.raises(UsageError, match="^--output needs --format json or xlsx$"):
        check_output(OutputFormat.TABLE, out, STATS_FORMATS)
    check_output(OutputFormat.TABLE, None, LISTING_FORMATS)
    check_output(OutputFormat.CSV, out, REPORT_FORMATS)


ROWS = [{"name": "=cmd", "on": date(2026, 12, 1), "points": Decimal("1.50"), "tags": ["a", "b"]}]
COLUMNS = [Column("name", "Name"), Column("on", "On"), Column("points", "Points", "right"),
           Column("tags", "Tags")]


def test_a_listing_in_each_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rendering = listing(COLUMNS, ROWS, "Things")
    emit(rendering, OutputFormat.CSV)
    assert capsys.readouterr().out == "name,on,points,tags\n'=cmd,2026-12-01,1.5,a; b\n"
    emit(rendering, OutputFormat.JSON)
    assert capsys.readouterr().out == (
        '[\n  {\n    "name": "=cmd",\n    "on": "2026-12-01",\n    "points": "1.5",\n'
        '    "tags": [\n      "a",\n      "b"\n    ]\n  }\n]\n')
    emit(rendering, OutputFormat.TABLE)
    table = capsys.readouterr().out
    assert table.startswith("Things")
    assert "01-12-2026" in table and "a, b" in table
    emit(rendering, OutputFormat.JSON, tmp_path / "things.json")
    assert capsys.readouterr().out == ""
    assert (tmp_path / "things.json").read_text(encoding="utf-8").startswith('[\n  {\n    "name"')
