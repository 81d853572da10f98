"""Command groups whose commands are built one by one, when first asked for.

typer builds a click command by reading its function's signature and evaluating every
annotation; for a group of 22 commands that is a good part of a database command's start-up
(issue 14: a database command within 150 ms of `import sqlmodel`). `smr coach list` needs one
of them. Help, completion and the CLI reference ask for every name and so build them all.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import CommandInfo, get_command_from_info, get_command_name, get_group_from_info

from smr_register.commands.helpstyle import finish
from smr_register.commands.localise import localise


class LazyCommandGroup(TyperGroup):
    """A TyperGroup holding its commands' definitions until each is used."""

    pending: dict[str, CommandInfo]
    order: list[str]
    app: typer.Typer  # whose settings the commands are built with, as typer would

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command and sub-group, in the order typer gives them (commands first)."""
        return [*self.order, *(name for name in self.commands if name not in self.order)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command named, built now if it was not yet; for a name the group does not have,
        the others are built first, so that click's "did you mean" sees all of them."""
        if cmd_name in self.pending:
            self._build(cmd_name)
        elif cmd_name not in self.commands:
            for name in list(self.pending):
                self._build(name)
        return super().get_command(ctx, cmd_name)

    def _build(self, name: str) -> None:
        info = self.pending.pop(name)
        command = get_command_from_info(info,
                                        pretty_exceptions_short=self.app.pretty_exceptions_short,
                                        rich_markup_mode=self.app.rich_markup_mode)
        self.commands[name] = finish(localise(command))


def lazy_group(app: typer.Typer, info: Any = None) -> LazyCommandGroup:
    """The click group of `app` (as typer would build it from `info`, the `add_typer` entry
    of a sub-group) with its commands left to be built on first use; sub-groups likewise."""
    shell = copy.copy(app)
    shell.registered_commands, shell.registered_groups = [], []
    group_info = copy.copy(info) if info is not None else typer.main.TyperInfo(shell)
    group_info.typer_instance = shell
    group = get_group_from_info(group_info, pretty_exceptions_short=app.pretty_exceptions_short,
                                suggest_commands=app.suggest_commands,
                                rich_markup_mode=app.rich_markup_mode)
    group.__class__ = _lazy_class(type(group))
    assert isinstance(group, LazyCommandGroup)
    group.app = app
    group.pending = {command.name or get_command_name(command.callback.__name__): command
                     for command in app.registered_commands if command.callback is not None}
    for sub_info in app.registered_groups:
        assert sub_info.typer_instance is not None
        sub = lazy_group(sub_info.typer_instance, sub_info)
        if sub.name:
            group.commands[sub.name] = sub
    group.order = [*group.pending, *group.commands]
    return group


@cache
def _lazy_class(cls: type[TyperGroup]) -> type[LazyCommandGroup]:
    """LazyCommandGroup over the group's own class (a group that parses its arguments its own
    way, such as `coach profile REG_NO ...`, keeps doing so)."""
    if issubclass(cls, LazyCommandGroup):
        return cls
    if cls is TyperGroup:
        return LazyCommandGroup
    return type(f"Lazy{cls.__name__}", (LazyCommandGroup, cls), {})
