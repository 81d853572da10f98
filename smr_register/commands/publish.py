"""`smr publish`: the public register as a static website."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smr_register.commands.common import AsOfOption, as_of_date, say, state
from smr_register.domain.i18n import _, ngettext


def register(app: typer.Typer) -> None:
    """Add `publish` to the root app (its heavy imports wait until it runs)."""
    app.command("publish")(publish)


def publish(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder for the website; replaced in one step (a reader never "
        "sees half a site). A new or empty folder, or one smr publish wrote before.",
        file_okay=False, show_default=False)],
    as_of: AsOfOption = None,
) -> None:
    """Write the public register as a static website: find a coach, check a registration,
    interventions, training agenda, and open data (register.json, register.csv)."""
    from smr_register.render.site import render_site, replace_directory
    from smr_register.services.publish import site_data

    on = as_of_date(as_of)
    with state(ctx).read() as session:
        site = site_data(session, on)
    replace_directory(output, render_site(site))
    counted = [ngettext("{count} coach", "{count} coaches", len(site.coaches)),
               ngettext("{count} intervention", "{count} interventions", len(site.interventions)),
               ngettext("{count} course", "{count} courses", len(site.courses))]
    amounts = [len(site.coaches), len(site.interventions), len(site.courses)]
    say(_("Published the public register as of {date} in {folder}: {contents}.").format(
        date=f"{on:%d-%m-%Y}", folder=output,
        contents=", ".join(text.format(count=n) for text, n in zip(counted, amounts, strict=True))))
