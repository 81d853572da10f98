"""`smr history N`: every change to one coach."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer

from smr_register.commands.common import (
    ListingFormatOption,
    RegNoArgument,
    state,
)
from smr_register.domain.i18n import _
from smr_register.render.cells import Column, json_text
from smr_register.render.formats import OutputFormat
from smr_register.render.labels import (
    dates_in_text,
    label,
    people_lines,
    referenced_coaches,
)


def register(app: typer.Typer) -> None:
    """Add `history` to the root app."""
    app.command("history")(history)


def history_columns(coaches: Mapping[int, str]) -> list[Column]:
    """The history's columns; on screen in people's terms (`coaches`: id -> number of the
    coaches a record refers to), in json and csv as stored."""
    def lines(value: Mapping[str, Any] | None) -> str:
        return people_lines(value, coaches)

    return [
        Column("at", "When", priority=0), Column("actor", "Who", priority=2),
        Column("command", "Command", priority=3),
        Column("entity", "What", short=label, priority=0),
        Column("action", "Action", priority=0, no_wrap=True),
        Column("before", "Before", text=json_text, short=lines, priority=3),
        Column("after", "After", text=json_text, short=lines),
        Column("reason", "Why", short=dates_in_text, priority=2),
    ]


def history(ctx: typer.Context, reg_no: RegNoArgument,
            output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """Every change to one coach: when, who, what, before and after, and why."""
    import json

    from smr_register.render.model import listing
    from smr_register.render.registry import emit
    from smr_register.store import coaches as coach_store
    from smr_register.store import history as history_store

    obj = state(ctx)
    with obj.read() as session:
        coach = coach_store.coach_by_reg_no(session, reg_no)
        entries = history_store.history_of(session, coach.id or 0)
        rows = [{"at": h.at, "actor": h.actor, "command": h.command, "entity": h.entity,
                 "action": h.action, "before": json.loads(h.before) if h.before else None,
                 "after": json.loads(h.after) if h.after else None, "reason": h.reason}
                for h in entries]
        coaches = coach_store.reg_nos_by_id(session, referenced_coaches(
            [record for row in rows for record in (row["before"], row["after"])]))
    emit(listing(history_columns(coaches), rows,
                 _("History of coach {reg_no}").format(reg_no=reg_no)), output_format)
