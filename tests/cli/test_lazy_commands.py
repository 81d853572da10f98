"""A command group builds only the command that runs (start-up, issue 14), and still behaves
as typer's own group: every command listed in order, help, suggestions, per-coach sub-groups."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from smr_register.cli import app, load_group
from smr_register.commands.coach import app as coach_app
from smr_register.errors import ExitCode


def test_running_one_command_builds_only_that_command() -> None:
    group = load_group("coach")
    every = group.list_commands(typer.Context(group))
    assert every[:3] == ["add", "edit", "suspend"]  # typer's order: commands, then sub-groups
    assert every[-2:] == ["profile", "intervention"]
    assert set(group.commands) == {"profile", "intervention"}  # nothing built yet

    command = group.get_command(typer.Context(group), "list")

    assert command.name == "list" and command.params
    assert set(group.commands) == {"profile", "intervention", "list"}
    assert "add" in group.pending


def test_the_lazy_group_lists_what_typers_own_group_lists() -> None:
    eager = typer.main.get_command(coach_app)
    lazy = load_group("coach")
    eager_names = eager.list_commands(typer.Context(eager))
    assert lazy.list_commands(typer.Context(lazy)) == eager_names
    for name in eager_names:
        built = lazy.get_command(typer.Context(lazy), name)
        assert built is not None
        assert ([p.name for p in built.params]
                == [p.name for p in eager.get_command(typer.Context(eager), name).params
                    if p.name not in ("install_completion", "show_completion")])


def test_an_unknown_command_is_still_suggested_from_every_command() -> None:
    result = CliRunner().invoke(app, ["coach", "lst"])

    assert result.exit_code == ExitCode.USAGE
    assert "Did you mean 'list'?" in result.output


def test_a_per_coach_group_shows_the_help_of_its_command() -> None:
    result = CliRunner().invoke(app, ["coach", "profile", "add", "--help"])

    assert result.exit_code == ExitCode.OK, result.output
    assert "smr coach profile REG_NO add" in result.output.replace("{", "").replace("}", "")


def test_the_catalog_reads_the_help_of_commands_not_yet_built() -> None:
    """tools/catalogs.py collects help texts from the groups: an unbuilt command's help must
    be among them, or the next catalog update drops its Dutch translation."""
    from smr_register.commands.localise import help_texts

    texts = help_texts(load_group("coach"))

    for name, command in typer.main.get_command(coach_app).commands.items():
        assert command.help in texts, name
