"""click's own usage errors and usage line in the language of the invocation.

The click inside Typer writes its words from English f-strings, with no catalog: "Usage:",
"Try 'smr coach list --help' for help.", "Error: Invalid value for '--status': ...", "Missing
option '--reason'.". Under `--lang nl` a person reads them too (issue 14). `install()` gives
click's exception classes a `show` that, in any language but English, writes the same lines
with the fixed words from our catalog and the messages click, Typer and pydantic build
recognised by their shape and rebuilt, the values, option names and choices in them kept as
they are. A message of a shape not listed stays as click wrote it. In English the original
`show` runs, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any

from smr_register.domain.i18n import N_, _, language

# The usage line's first word and the hint under it.
USAGE = N_("Usage: ")
TRY_HELP = N_("Try '{command} {option}' for help.")
ERROR = N_("Error: {message}")

_QUOTED = r"'[^']*'"
_HINT = (rf"(?P<hint>{_QUOTED}(?: / {_QUOTED})*|[A-Z][A-Z_]*)"  # '--x' / '-x', or REG_NO
         rf"(?: \(env var: (?P<envvar>{_QUOTED})\))?")

# A path an option takes, as Typer's checks of it name it.
_PATH = rf"(?P<kind>file|dir|path) (?P<path>{_QUOTED})"

# (shape of click's English message, its words in the catalog); `rest` is itself a message.
_SHAPES: list[tuple[re.Pattern[str], str | None]] = [(re.compile(shape, re.DOTALL), words) for
                                              shape, words in (
    (rf"Invalid value for {_HINT}: (?P<rest>.*)", N_("Invalid value for {hint}: {rest}")),
    (r"Invalid value: (?P<rest>.*)", N_("Invalid value: {rest}")),
    *((rf"Missing {kind} {_HINT}\.", words) for kind, words in (
        ("option", N_("Missing option {hint}.")), ("argument", N_("Missing argument {hint}.")),
        ("parameter", N_("Missing parameter {hint}.")))),
    (r"Missing command\.", N_("Missing command.")),
    (r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.*)\)",
     N_("No such option: {name} (did you mean {options}?)")),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (rf"No such command (?P<name>{_QUOTED})\. Did you mean (?P<options>.*)\?",
     N_("No such command {name}. Did you mean {options}?")),
    (rf"No such command (?P<name>{_QUOTED})\.", N_("No such command {name}.")),
    (r"Got unexpected extra argument\(s\) \((?P<values>.*)\)",
     N_("Got unexpected extra argument(s) ({values})")),
    (rf"Option (?P<option>{_QUOTED}) requires an argument\.",
     N_("Option {option} requires a value.")),
    (rf"Option (?P<option>{_QUOTED}) requires (?P<count>\d+) arguments\.",
     N_("Option {option} requires {count} values.")),
    (rf"Option (?P<option>{_QUOTED}) does not take a value\.",
     N_("Option {option} does not take a value.")),
    (rf"Argument (?P<name>{_QUOTED}) takes (?P<count>\d+) values\.",
     N_("Argument {name} takes {count} values.")),
    (r"Value error, (?P<rest>.*)", None),  # pydantic's words before a ValueError's: dropped
    (r"(?P<value>'.*') is not one of (?P<choices>.*)\.", N_("{value} is not one of {choices}.")),
    (r"Input should be a valid integer.*", N_("not a whole number")),
    (r"Input should be a valid number.*", N_("not a number")),
    *((rf"Input should be {english} (?P<bound>\S+)", words) for english, words in (
        ("greater than or equal to", N_("at least {bound}")),
        ("less than or equal to", N_("at most {bound}")),
        ("greater than", N_("more than {bound}")), ("less than", N_("less than {bound}")))),
    *((rf"{_PATH} {english}\.", words) for english, words in (
        ("does not exist", N_("{kind} {path} does not exist.")),
        ("is a file", N_("{kind} {path} is a file.")),
        ("is a directory", N_("{kind} {path} is a directory.")),
        ("is not readable", N_("{kind} {path} cannot be read.")),
        ("is not writable", N_("{kind} {path} cannot be written to.")))),
)]
# What Typer calls the path an option takes, in the messages above.
_KINDS = {"file": N_("file"), "dir": N_("folder"), "path": N_("path")}
ENV_VAR = N_("(env var: {name})")


def message(text: str) -> str:
    """click's English message `text` in the current language, where its shape is known."""
    for shape, words in _SHAPES:
        found = shape.fullmatch(text)
        if found is None:
            continue
        parts = found.groupdict()
        if parts.get("rest") is not None:
            parts["rest"] = message(parts["rest"])
        envvar = parts.pop("envvar", None)
        if envvar is not None:  # only a hint carries one
            parts["hint"] += " " + _(ENV_VAR).format(name=envvar)
        if parts.get("kind") is not None:
            parts["kind"] = _(_KINDS[parts["kind"]])
        return parts["rest"] if words is None else _(words).format(**parts)
    return text


def install() -> None:
    """Give click's exceptions and usage line the words of the current language (idempotent;
    English stays click's own)."""
    from typer._click import exceptions, formatting

    if getattr(exceptions.ClickException, "_smr_localised", False):
        return
    _wrap(exceptions.ClickException, _show_click_exception)
    _wrap(exceptions.UsageError, _show_usage_error)
    english_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and language() != "en":
            prefix = _(USAGE)
        english_usage(self, prog, args, prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]


def _wrap(cls: type, show: Callable[[Any, IO[Any] | None], None]) -> None:
    english = cls.__dict__["show"]

    def localised_show(self: Any, file: IO[Any] | None = None) -> None:
        if language() == "en":
            english(self, file)
        else:
            show(self, file)

    cls.show = localised_show  # type: ignore[attr-defined]
    cls._smr_localised = True  # type: ignore[attr-defined]


def _show_click_exception(error: Any, file: IO[Any] | None) -> None:
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    echo(_(ERROR).format(message=message(error.format_message())),
         file=file or get_text_stderr(), color=error.show_color)


def _show_usage_error(error: Any, file: IO[Any] | None) -> None:
    """UsageError.show of click, its words translated."""
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    file = file or get_text_stderr()
    ctx, color, hint = error.ctx, None, ""
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        hint = _(TRY_HELP).format(command=ctx.command_path,
                                  option=ctx.help_option_names[0]) + "\n"
    if ctx is not None:
        color = ctx.color
        echo(f"{ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(_(ERROR).format(message=message(error.format_message())), file=file, color=color)
