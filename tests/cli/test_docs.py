"""The docs stay true: every command has help, the CLI reference and the README are current."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))

import generate_cli_reference as reference  # noqa: E402


def test_every_command_has_help_text() -> None:
    import typer

    from smr_register.cli import app

    for path, command in reference.walk(typer.main.get_command(app), ["smr"]):
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference.reference(), "run: python docs/generate_cli_reference.py"


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    spans = []
    for span in re.findall(r"`(smr [^`]+)`", readme):
        words = []
        for word in span.split():
            if word.startswith(("-", "[", '"', "<")):
                break
            if not word.isupper():  # N, BATCH, FILE...: placeholders between the words
                words.append(word)
        spans.append(words)
    for command in reference.commands():
        wanted = command.split()
        assert any(words[: len(wanted)] == wanted for words in spans), (
            f"README's command overview lacks `{command}`")


def test_readme_exit_codes_match_the_enum() -> None:
    from smr_register.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \|", readme, re.M), f"exit code {code.value}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\n```\n(.+?)\n```", readme)
    assert match, "README marks its test command with <!-- test-command -->"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert match.group(1) in ci


def test_lazy_groups_short_help_matches_the_group() -> None:
    import typer

    from smr_register.cli import LAZY_GROUPS, load_group

    for name, (_module, _attribute, short_help) in LAZY_GROUPS.items():
        group = load_group(name)
        assert isinstance(group, typer.core.TyperGroup)
        assert " ".join((group.help or "").split()) == short_help, name
