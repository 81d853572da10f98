"""One look for every `--help`: plain text, value types in people's words, required marked.

Typer draws sub-command help with rich boxes and names value types as Python does (`<str>`,
`<bool>` even on flags). `smr --help` is plain because rich's renderer costs more than the rest
of the start-up (benchmarks/bench_startup.py), so every level is made plain the same way, and each
option says what it takes as a person would: TEXT, DATE, NUMBER, FILE, or its choices. Kept in one
place, applied to the command tree as it is built, so a new option gets the same look for free.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.core import TyperArgument, TyperOption

# Options typed as text but read as a date or an amount (commands/common.py parses them);
# tests/cli/test_help.py checks every option parsed as a date or amount is listed here.
DATE_OPTIONS = frozenset({
    "--as-of", "--date", "--since", "--until", "--valid-until", "--accredited-from",
    "--accredited-until", "--birth-date", "--registered", "--on", "--decided-on", "--from",
    "--ending",
})
DATE_FORMAT = "dd-mm-jjjj"
NUMBER_OPTIONS = frozenset({"--points", "--hours", "--value", "--sample"})
# Help uses the terminal's width up to this many columns.
MAX_WIDTH = 160
# Root-only options: completion is offered once, at `smr`, not on every group.
COMPLETION_PARAMS = frozenset({"install_completion", "show_completion"})


class PlainOption(TyperOption):
    """An option whose value reads TEXT, DATE, NUMBER, FILE or its choices."""

    def display_type_rich(self, ctx: Any) -> str | None:
        """The word shown after the option's name in --help."""
        return value_word(self)

    def get_help_record(self, ctx: Any) -> tuple[str, str] | None:
        """A DATE says how it is written, where its own help does not already."""
        record = super().get_help_record(ctx)
        if record is None or value_word(self) != "DATE" or DATE_FORMAT in record[1]:
            return record
        return record[0], f"({DATE_FORMAT}) {record[1]}".strip()


class PlainArgument(TyperArgument):
    """An argument shown by its name in capitals, as the usage line does."""

    def display_type_rich(self, ctx: Any) -> str | None:
        """The choices after the name; nothing else: REG_NO says what it is."""
        desc = self.type_descriptor
        return value_word(self) if desc.is_choice and desc.choices else None


def value_word(param: Any) -> str:
    """What an option takes, in the words of the help: TEXT, DATE dd-mm-jjjj, NUMBER ..."""
    desc = param.type_descriptor
    name = next((opt for opt in param.opts if opt.startswith("--")), "")
    if param.metavar and param.param_type_name == "option":
        return str(param.metavar)
    if desc.is_choice and desc.choices:
        values = [c.value if isinstance(c, enum.Enum) else str(c) for c in desc.choices]
        return "[" + "|".join(values) + "]"
    if name in DATE_OPTIONS:
        return "DATE"
    annotation = desc.annotation
    if name in NUMBER_OPTIONS or annotation in (int, float, Decimal):
        return "NUMBER"
    if desc.is_path or annotation is Path:
        info = desc.parameter_info
        if info.dir_okay is False:
            return "FILE"
        if info.file_okay is False:
            return "FOLDER"
        return "PATH"
    return "TEXT"


def finish(command: Any, *, root: bool = False) -> Any:
    """Give `command` and everything below it the one look; drop completion options below the
    root. Returns the command, for use where it is built."""
    if hasattr(command, "rich_markup_mode"):
        command.rich_markup_mode = None
    # The terminal's whole width, as rich used it (click stops at 80 columns by default).
    command.context_settings = {**(command.context_settings or {}),
                                "max_content_width": MAX_WIDTH}
    if not root:
        command.params = [p for p in command.params if p.name not in COMPLETION_PARAMS]
    for param in command.params:
        if type(param) is TyperOption:
            param.__class__ = PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = PlainArgument
            param.metavar = param.metavar or (param.name or "").upper()
    for sub in getattr(command, "commands", {}).values():
        finish(sub)
    return command
