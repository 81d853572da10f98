"""Shell completion for `smr`: `--show-completion` and `--install-completion` at the root.

Typer offers these options on every group and registers the shells only when the app is built
with them; `smr` builds its groups lazily, so the options live here, once, at the root, and the
shells are registered only when a shell actually asks for completions (`_SMR_COMPLETE`).
The scripts are Typer's own (bash, zsh, fish); they call the installed `smr` command.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Annotated, Any

import typer

PROG_NAME = "smr"
COMPLETE_VAR = "_SMR_COMPLETE"
FLAGS = ("--show-completion", "--install-completion")


class Shell(enum.StrEnum):
    """The shells `smr` completes in."""

    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


def current_shell() -> str:
    """The shell `smr` was started from (by its process tree, else $SHELL)."""
    try:
        import shellingham

        return str(shellingham.detect_shell()[0])
    except Exception:  # noqa: BLE001 - shellingham fails in many ways; $SHELL is the fallback
        return Path(os.environ.get("SHELL", "")).name


def with_shell_named(args: list[str]) -> list[str]:
    """`smr --show-completion` alone means the current shell: name it, so the option always
    carries a value (a shell we do not support is then refused with the choices)."""
    named = list(args)
    for index, arg in enumerate(named):
        if arg in FLAGS and (index + 1 == len(named) or named[index + 1].startswith("-")):
            named.insert(index + 1, current_shell() or "unknown")
            break
    return named


def _show(ctx: typer.Context, _param: Any, shell: Shell | None) -> None:
    if shell is None or ctx.resilient_parsing:
        return
    from typer.completion import get_completion_script

    typer.echo(get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR,
                                     shell=shell.value))
    raise typer.Exit()


def _install(ctx: typer.Context, _param: Any, shell: Shell | None) -> None:
    if shell is None or ctx.resilient_parsing:
        return
    from typer.completion import install

    from smr_register.domain.i18n import _

    _shell, path = install(shell=shell.value, prog_name=PROG_NAME, complete_var=COMPLETE_VAR)
    typer.echo(_("{shell} completion for smr installed in {path}; it works in shells started "
                 "from now on.").format(shell=shell.value, path=path), err=True)
    raise typer.Exit()


def prepare(complete_var: str) -> None:
    """Register the shells' completion classes when a shell asks for completions."""
    if os.environ.get(complete_var):
        from typer._completion_classes import completion_init

        completion_init()


InstallOption = Annotated[
    Shell | None,
    typer.Option("--install-completion", callback=_install, is_eager=True, expose_value=False,
                 help="Install completion of smr's commands and options for SHELL (default: "
                 "the current shell).", show_default=False),
]
ShowOption = Annotated[
    Shell | None,
    typer.Option("--show-completion", callback=_show, is_eager=True, expose_value=False,
                 help="Print the completion script for SHELL (default: the current shell), to "
                 "copy it or install it by hand.", show_default=False),
]
