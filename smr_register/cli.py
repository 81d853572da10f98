"""The `smr` command: parse options, call the library, render, exit.

No rules and no SQL here. Every `SmrError` becomes one line on stderr and its exit code (the table
in the README); anything unexpected becomes exit 70 with one line, the traceback only with
SMR_DEBUG=1. The translation lives in the root group's `invoke`, so it holds for `CliRunner`
tests exactly as for the installed command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from smr_register import __version__
from smr_register.commands import (
    audit,
    competences,
    completion,
    decisions,
    history,
    init,
    publish,
)
from smr_register.commands.common import AppContext, current_actor
from smr_register.commands.helpstyle import finish
from smr_register.domain.i18n import _
from smr_register.errors import ExitCode, SmrError


def report_error(error: BaseException, db_label: str | None = None) -> int:
    """Write one line for `error` to stderr; return the exit code it stands for."""
    from rich.markup import escape

    from smr_register.domain.i18n import _
    from smr_register.render.console import stderr_console

    console = stderr_console()
    error = _as_smr_error(error, db_label or _('the register'))
    if isinstance(error, SmrError):
        label = _("error:")
        console.print(f"[bold red]{label}[/bold red] {escape(error.message)}", markup=True,
                      highlight=False)
        return int(error.exit_code)
    if os.environ.get("SMR_DEBUG") == "1":
        console.print_exception()
    else:
        label = _("internal error:")
        console.print(f"[bold red]{label}[/bold red] {type(error).__name__}: "
                      f"{escape(str(error))} "
                      + _("(a bug; run with SMR_DEBUG=1 for the traceback)"))
    return int(ExitCode.INTERNAL)


def _as_smr_error(error: BaseException, db_label: str) -> BaseException:
    """The database's own errors, wherever they surface, in the words of the exit-code table:
    a damaged or foreign file is exit 5 with what to do, a duplicate key from a race exit 4."""
    from smr_register.errors import Conflict, DatabaseError

    try:
        from sqlalchemy import exc as sa
    except ImportError:  # pragma: no cover - a broken install; reported as internal
        return error
    if isinstance(error, sa.IntegrityError):
        return Conflict(_("the register changed at the same moment (another command wrote the "
                          "same row); nothing was written: run the command again"))
    if isinstance(error, sa.DBAPIError | _sqlite_error()):
        reason = getattr(error, "orig", None) or error
        return DatabaseError(_("{db_label} cannot be used as a register ({reason}): run 'smr db "
                               "check', and restore a backup ('smr db restore FILE') if it is "
                               "damaged").format(db_label=db_label, reason=reason))
    return error


def _sqlite_error() -> type[BaseException]:
    import sqlite3

    return sqlite3.DatabaseError


# Command groups are imported and built only when used: `smr --version` and `smr --help` stay
# fast (people and cron call smr many times). name -> (module, Typer app attribute, short help);
# tests/test_docs.py checks the short help equals the group's own.
LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "coach": ("smr_register.commands.coach", "app",
              "Register coaches and change what the register holds about them."),
    "supervisor": ("smr_register.commands.supervisor", "app",
                   "Supervisors and their supervisees."),
    "agenda": ("smr_register.commands.agenda", "app",
               "The training agenda: providers, accredited courses and their runs."),
    "credit": ("smr_register.commands.credit", "app", "Manual accreditation-point credits."),
    "intervention": ("smr_register.commands.intervention", "app",
                     "Interventions listed in the register."),
    "exception": ("smr_register.commands.exception", "app",
                  "Quality-committee exceptions to a rule for one coach."),
    "fee": ("smr_register.commands.fee", "app",
            "Contributions: the annual fee, its payments and arrears."),
    "import": ("smr_register.commands.importing", "app",
               "Import spreadsheets from training providers."),
    "report": ("smr_register.commands.reports", "app",
               "Reports for people and for nightly scripts."),
    "privacy": ("smr_register.commands.privacy", "app",
                "GDPR (AVG): right of access and purging old personal data."),
    "db": ("smr_register.commands.db", "app",
           "The register's database: schema version, upgrades, checks, backups."),
    "rules": ("smr_register.commands.rules", "app",
              "The rules file: its versions and their seals."),
}


def load_group(name: str) -> Any:
    """Import a command group's module and build its click group."""
    import importlib

    from smr_register.commands.lazy import lazy_group
    from smr_register.commands.localise import localise

    module_name, attribute, _help = LAZY_GROUPS[name]
    group = lazy_group(getattr(importlib.import_module(module_name), attribute))
    group.name = name
    return finish(localise(group))


class SmrGroup(TyperGroup):
    """The root group: lazy sub-groups, and library errors turned into exit codes."""

    _formatting_help = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finish(self, root=True)

    def _main_shell_completion(self, ctx_args: Any, prog_name: str,
                               complete_var: str | None = None) -> None:
        """Answer the shell's completion request (`_SMR_COMPLETE=complete_bash` ...); the
        shells' completion classes are loaded only then, not on every start."""
        completion.prepare(complete_var or completion.COMPLETE_VAR)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def list_commands(self, ctx: Any) -> list[str]:
        """The eager commands and, after them, the lazy groups (loaded only when used)."""
        return [*super().list_commands(ctx), *(n for n in LAZY_GROUPS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A lazy group is imported on first use; the overview needs only its short help."""
        if cmd_name in self.commands or cmd_name not in LAZY_GROUPS:
            return super().get_command(ctx, cmd_name)
        if self._formatting_help:  # the overview needs only the short help, not the group
            from smr_register.domain.i18n import _

            return TyperGroup(name=cmd_name, help=_(LAZY_GROUPS[cmd_name][2]))
        self.commands[cmd_name] = load_group(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The overview lists the lazy groups by their short help, without importing them."""
        self._formatting_help = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._formatting_help = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run one invocation; its language ends with it (back to English), so whatever the
        process does next (another invocation, a test) starts from the source language."""
        try:
            return super().main(*args, **kwargs)
        finally:
            from smr_register.commands.localise import localise_typer
            from smr_register.domain.i18n import use_language

            use_language(None)
            localise_typer()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Choose the language first: help and usage errors appear while click parses.
        `--show-completion` / `--install-completion` without a shell mean the current one."""
        from smr_register.commands.localise import localise, preset_language

        preset_language(args)
        localise(self)
        return super().parse_args(ctx, completion.with_shell_named(args))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """A Ctrl-C while options are parsed ends quietly, exit 130."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:  # while options are parsed and command groups imported
            _ignore_interrupts()
            sys.stderr.write("interrupted: nothing was written\n")
            raise typer.Exit(130) from None

    def invoke(self, ctx: Any) -> Any:
        """Run the command; every error becomes one line on stderr and its exit code."""
        try:
            return self._invoke_retrying(ctx)
        except SmrError as error:
            raise typer.Exit(report_error(error)) from None
        except KeyboardInterrupt:
            _ignore_interrupts()
            obj = ctx.obj
            saved = isinstance(obj, AppContext) and obj.committed
            from smr_register.domain.i18n import _

            sys.stderr.write(_("interrupted after the changes were saved") + "\n" if saved
                             else _("interrupted: nothing was written") + "\n")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, BrokenPipeError):
            raise
        except Exception as error:
            if _is_click_exception(error):
                raise
            obj = ctx.obj
            label = obj.db_label if isinstance(obj, AppContext) else None
            raise typer.Exit(report_error(error, label)) from None
        finally:
            obj = ctx.obj
            if isinstance(obj, AppContext):
                obj.dispose()


    def _invoke_retrying(self, ctx: Any) -> Any:
        """Run the command; when the database broke a deadlock by ending its transaction
        (nothing written), run it again, up to RETRIES times (store/locks.py)."""
        from smr_register.errors import Retryable

        args = (list(ctx._protected_args), list(ctx.args))
        for attempt in range(1, RETRIES + 1):
            try:
                return super().invoke(ctx)
            except Retryable as error:
                obj = ctx.obj
                if isinstance(obj, AppContext) and obj.committed:
                    raise
                if attempt == RETRIES:
                    raise Retryable(_("{message} (tried {RETRIES} times)").format(
                                      message=error.message, RETRIES=RETRIES)) from None
                if isinstance(obj, AppContext):
                    obj.dispose()
                ctx._protected_args, ctx.args = list(args[0]), list(args[1])
                import random
                import time

                time.sleep(random.uniform(0.05, 0.2) * attempt)  # noqa: S311 - not secret
        raise AssertionError("unreachable")


# Runs of a command the database stopped to end a deadlock, before the user hears of it.
RETRIES = 3


def _is_click_exception(error: BaseException) -> bool:
    from typer._click.exceptions import ClickException

    return isinstance(error, ClickException)


app = typer.Typer(
    cls=SmrGroup,
    name="smr",
    help="Administer the Kwaliteitsregister Stoppen met Roken: coaches, training agenda, "
    "re-registration audits, attendance imports and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smr-register {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="SMR_DB", help="Register: a SQLite file path or a "
                     "SQLAlchemy URL. Default: register.sqlite in the per-user data directory.",
                     show_default=False),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", envvar="SMR_RULES", help="Rules file to use instead of the "
                     "packaged data/rules.toml.", dir_okay=False, show_default=False),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", envvar="SMR_ACTOR", help="Who makes the changes, for the "
                     "history. Default: the OS user.", show_default=False),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", envvar="SMR_LANG", help="Language of tables, sentences and "
                     "notices: en or nl.", show_default=False),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Print long tables straight to the terminal instead "
                     "of through the pager (SMR_PAGER, PAGER or less)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
    install_completion: completion.InstallOption = None,
    show_completion: completion.ShowOption = None,
) -> None:
    """Administer the Kwaliteitsregister Stoppen met Roken."""
    from smr_register.domain.i18n import use_language
    from smr_register.render.pager import use_pager

    use_language(lang)
    use_pager(not no_pager)
    ctx.obj = AppContext(db=db, rules_file=rules, actor=actor or current_actor())


init.register(app)
history.register(app)
audit.register(app)
decisions.register(app)
publish.register(app)
competences.register(app)


def main() -> None:
    """Entry point of the `smr` script and `python -m smr_register`."""
    try:
        app(prog_name="smr")
    except KeyboardInterrupt:  # between commands' own handling, e.g. while parsing options
        _ignore_interrupts()
        sys.stderr.write("interrupted: nothing was written\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`smr ... | head`): not an error of ours; stay quiet at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    finally:
        # A Ctrl-C while the interpreter shuts down (the work done or rolled back already)
        # would otherwise end the process by the signal, hiding the exit code.
        _ignore_interrupts()


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
