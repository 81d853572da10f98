"""--help has one look at every level: plain text, value types in people's words, required
options marked, and the help of the command asked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.commands.helpstyle import DATE_OPTIONS, NUMBER_OPTIONS
from smr_register.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "smr_register"


def help_of(*words: str) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK, result.output
    return result.stdout


def every_command() -> list[list[str]]:
    import sys

    sys.path.insert(0, str(ROOT / "docs"))
    import generate_cli_reference as reference

    paths = [path[1:] for path, _ in reference.walk(typer.main.get_command(app), ["smr"])]
    groups = {tuple(path[:i]) for path in paths for i in range(1, len(path))}
    return [[], *(list(g) for g in sorted(groups)), *paths]


@pytest.mark.parametrize("words", every_command(), ids=lambda w: " ".join(w) or "smr")
def test_every_help_is_plain_and_names_types_as_people_do(words: list[str]) -> None:
    text = help_of(*words)
    assert text.startswith("Usage: smr"), text
    for box in "╭│╰─":
        assert box not in text, f"'{box}' in the help of {words}: one plain look throughout"
    assert not re.search(r"<(bool|str|int|float|file|path|text)>", text), text
    assert "--install-completion" not in text or not words, "completion only at the root"


def test_the_type_words() -> None:
    text = help_of("coach", "add")
    assert re.search(r"--registered DATE ", text)
    assert re.search(r"--last-name TEXT .*\[required\]", text)
    assert re.search(r"--reg-no TEXT .*\[required\]", text)
    assert "--education [mbo4|hbo|wo|other]" in text
    assert re.search(r"--points NUMBER", help_of("agenda", "course", "add"))
    assert re.search(r"-o, --output FILE", help_of("audit"))
    assert re.search(r"--version +Show", help_of())


def test_every_date_and_amount_option_is_named_so() -> None:
    """An option parsed as a date or an amount shows DATE or NUMBER: the names in helpstyle
    follow the code that parses them."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES.rglob("commands/*.py"))
    dates = set(re.findall(r'parse_date_option\([^,]+, "(--[a-z-]+)"\)', code))
    amounts = set(re.findall(r'parse_decimal_option\([^,]+, "(--[a-z-]+)"\)', code))
    assert dates and amounts
    assert dates <= DATE_OPTIONS, dates - DATE_OPTIONS
    assert amounts <= NUMBER_OPTIONS, amounts - NUMBER_OPTIONS


def test_a_date_option_says_how_to_write_the_date() -> None:
    for words in every_command():
        for line in re.findall(r"--[a-z-]+ DATE .*(?:\n {20,}.*)*", help_of(*words)):
            assert "dd-mm-jjjj" in line.replace("-\n", "-").replace(" ", "").replace(
                "\n", ""), (words, line)


def test_the_subcommand_of_a_coach_group_shows_its_own_help() -> None:
    text = help_of("coach", "profile", "add")
    assert "Record that a coach attained a profile" in text
    assert "--evidence TEXT" in text
    assert "smr coach profile {REG_NO} add" in text
    assert "Record that a coach delivers" in help_of("coach", "intervention", "add")


def test_a_coach_group_without_the_number_says_where_it_goes() -> None:
    result = CliRunner().invoke(app, ["coach", "profile", "add", "basisprofiel"])
    assert result.exit_code == ExitCode.USAGE
    assert "registration number before the command" in result.stderr
