"""Help and usage texts in the language of the invocation.

Typer builds its click commands with the English help strings of the code. The language must
therefore be known before help is shown: `preset_language` reads `--lang` (or SMR_LANG) from the
command line before click parses it (`smr --lang nl coach add --help` prints help while parsing,
before the root callback runs), and `localise` translates a command's texts in place, keeping the
English originals so the next invocation can translate them again. tools/catalogs.py collects
every help text of the command tree into the catalog, so tests/render/test_i18n.py fails when a
new option's help has no Dutch translation.

Typer's own words (panel titles, `[default: ...]`, `[required]`) are module constants and
gettext calls of `typer.rich_utils` and `typer.core`; they are set here too. The vendored click
inside Typer has no catalog: its usage errors and usage line are translated by
`usage_errors.install`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from smr_register.domain.i18n import N_, _, language, use_language
from smr_register.errors import InvalidValue

# Root options that take a value: their value is not the name of a command.
_VALUE_OPTIONS = ("--db", "--rules", "--actor", "--lang")

# typer.rich_utils constants (computed when Typer is imported) and their English text.
TYPER_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
# Words typer.core translates with gettext when it formats plain help.
TYPER_CORE_WORDS = (N_("default: {default}"), N_("required"), N_("env var: {var}"),
                    N_("(dynamic)"), N_("Aborted!"))
HELP_OPTION = N_("Show this message and exit.")
# click's placeholders in a usage line (`smr coach [OPTIONS] COMMAND [ARGS]...`).
METAVARS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


def language_asked(args: Sequence[str]) -> str | None:
    """The language of `--lang` before the command name, else SMR_LANG, else None."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg in _VALUE_OPTIONS:
            index += 2
            continue
        if not arg.startswith("-") or arg == "--":
            break
        index += 1
    return os.environ.get("SMR_LANG")


def preset_language(args: Sequence[str]) -> None:
    """Choose the language before click parses `args`, so help and usage errors use it. A
    language we do not have is left to the root callback, which reports it as a usage error."""
    try:
        use_language(language_asked(args))
    except InvalidValue:
        use_language(None)
    localise_typer()


def localise_typer() -> None:
    """Typer's own words in the current language (English restores them)."""
    from smr_register.commands.usage_errors import install

    install()  # click's usage errors and usage line follow the language from now on
    core = sys.modules.get("typer.core")
    if core is not None and hasattr(core, "_"):
        core._ = _  # type: ignore[attr-defined]  # typer.core: `from gettext import gettext as _`
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is None and language() != "en":
        import typer.rich_utils as rich_utils  # the words are needed: load them to set them
    if rich_utils is not None:
        for name, english in TYPER_WORDS.items():
            if hasattr(rich_utils, name):
                setattr(rich_utils, name, _(english))


def localise(command: Any) -> Any:
    """Translate the help texts of `command`, its parameters and its sub-commands in place."""
    _translate(command, ("help", "short_help", "epilog", "options_metavar",
                         "subcommand_metavar"))
    for param in getattr(command, "params", ()):
        _translate(param, ("help",))
    help_option = _help_option(command)
    if help_option is not None:
        help_option.help = _(HELP_OPTION)
    for sub in getattr(command, "commands", {}).values():
        localise(sub)
    return command


def _translate(item: Any, attributes: Sequence[str]) -> None:
    originals = item.__dict__.setdefault("_smr_english", {})
    for attribute in attributes:
        if attribute not in originals:
            originals[attribute] = getattr(item, attribute, None)
        english = originals[attribute]
        if english:
            setattr(item, attribute, _(english))


def _help_option(command: Any) -> Any:
    """The command's --help option (click makes it once per command, on first use)."""
    if getattr(command, "_help_option", None) is None and hasattr(command, "get_help_option"):
        try:
            command.get_help_option(command.context_class(command))
        except Exception:  # noqa: BLE001 - without it the option's help stays English
            return None
    return getattr(command, "_help_option", None)


def help_texts(command: Any) -> list[str]:
    """Every help text of `command` and below, in English: for the catalog."""
    texts = []
    for attribute in ("help", "short_help", "epilog"):
        originals = command.__dict__.get("_smr_english", {})
        value = originals.get(attribute, getattr(command, attribute, None))
        if value:
            texts.append(value)
    for param in getattr(command, "params", ()):
        value = param.__dict__.get("_smr_english", {}).get("help", getattr(param, "help", None))
        if value:
            texts.append(value)
    for sub in subcommands(command):
        texts.extend(help_texts(sub))
    return texts


def subcommands(command: Any) -> list[Any]:
    """The commands of a group, each built if the group builds them on first use
    (commands/lazy.py): a group's `commands` holds only those built so far."""
    if not hasattr(command, "list_commands"):
        return []
    ctx = command.context_class(command)
    return [command.get_command(ctx, name) for name in command.list_commands(ctx)]
