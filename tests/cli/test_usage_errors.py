"""Usage errors (a wrong option, a missing value) are click's own words; under `--lang nl` a
person reads them in Dutch too, usage line and hint included; in English they are click's."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.commands.usage_errors import message
from smr_register.domain.i18n import use_language
from smr_register.errors import ExitCode
from tests.cli.test_dutch import english_words

CASES = [
    (["coach", "list", "--status", "bogus"],
     "Fout: Ongeldige waarde voor '--status': 'bogus' is niet een van 'active', 'suspended', "
     "'withdrawn'.", "Error: Invalid value for '--status': Value error, 'bogus' is not one of"),
    (["report", "expiry", "--within", "abc"],
     "Fout: Ongeldige waarde voor '--within': geen geheel getal",
     "Error: Invalid value for '--within': Input should be a valid integer"),
    (["coach", "add"], "Fout: Optie '--reg-no' ontbreekt.", "Error: Missing option '--reg-no'."),
    (["coach", "show"], "Fout: Argument 'REG_NO' ontbreekt.",
     "Error: Missing argument 'REG_NO'."),
    (["coach", "show", "1", "2"], "Fout: Onverwachte extra argumenten (2)",
     "Error: Got unexpected extra argument(s) (2)"),
    (["coach", "list", "--status"], "Fout: Optie '--status' heeft een waarde nodig.",
     "Error: Option '--status' requires an argument."),
    (["coach", "list", "--statu", "x"], "Fout: Onbekende optie: --statu (bedoelt u --status?)",
     "Error: No such option: --statu (Possible options: --status)"),
    (["coach", "lst"], "Fout: Onbekende opdracht 'lst'. Bedoelt u 'list'?",
     "Error: No such command 'lst'. Did you mean 'list'?"),
    (["coach", "profile", "add", "basisprofiel"],
     "Fout: Ongeldige waarde voor REG_NO: geef het registratienummer",
     "Error: Invalid value for REG_NO: give the coach's registration number"),
    (["audit", "--due-within", "-5"], "Fout: Ongeldige waarde voor '--due-within': minstens 0",
     "Error: Invalid value for '--due-within': Input should be greater than or equal to 0"),
    (["audit", "--output", "/"], "Fout: Ongeldige waarde voor '--output' / '-o': bestand '/' is "
     "een map.", "Error: Invalid value for '--output' / '-o': file '/' is a directory."),
    (["audit", "--format", "xml"],
     "Fout: Ongeldige waarde voor '--format' / '-f' (omgevingsvariabele: 'SMR_FORMAT'): "
     "'xml' is niet een van", "Error: Invalid value for '--format' / '-f' (env var: "),
]


@pytest.mark.parametrize(("args", "dutch", "english"), CASES,
                         ids=[" ".join(case[0]) for case in CASES])
def test_a_usage_error_speaks_the_language_asked(args: list[str], dutch: str,
                                                 english: str) -> None:
    runner = CliRunner()

    said = runner.invoke(app, ["--lang", "nl", *args])
    original = runner.invoke(app, args)

    assert said.exit_code == original.exit_code == ExitCode.USAGE
    assert dutch in said.stderr
    assert english_words(re.sub(r"'[^']*'", "", said.stderr)) == []  # quoted: what one types
    assert "Usage:" not in said.stderr and "Try '" not in said.stderr
    assert english in original.stderr


def test_the_usage_line_and_its_hint_are_dutch() -> None:
    said = CliRunner().invoke(app, ["--lang", "nl", "coach", "lst"])

    assert said.stderr.splitlines()[:2] == [
        "Gebruik: smr coach [OPTIES] OPDRACHT [ARGUMENTEN]...",
        "Zie 'smr coach --help' voor hulp."]


def test_help_shows_the_dutch_usage_line() -> None:
    said = CliRunner().invoke(app, ["--lang", "nl", "coach", "list", "--help"])

    assert said.stdout.startswith("Gebruik: smr coach list [OPTIES]")


def test_a_message_of_an_unknown_shape_is_left_as_click_wrote_it() -> None:
    use_language("nl")
    try:
        assert message("Something click says one day") == "Something click says one day"
        assert message("Invalid value for '--x': Something new") == \
            "Ongeldige waarde voor '--x': Something new"
    finally:
        use_language(None)
