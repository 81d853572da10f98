"""`smr competences`: the basisprofiel's competence catalogue (data/competences.toml)."""

from __future__ import annotations

import typer

from smr_register.commands.common import AsOfOption, ListingFormatOption, as_of_date
from smr_register.domain.i18n import _
from smr_register.render.cells import Column
from smr_register.render.formats import OutputFormat

COLUMNS = [Column("role", "Role"), Column("role_name", "Role name"),
           Column("requirement", "Requirement"), Column("text", "Text (Dutch, as the source)")]


def register(app: typer.Typer) -> None:
    """Add `smr competences` to the application."""
    app.command("competences")(competences)


def competences(as_of: AsOfOption = None,
                output_format: ListingFormatOption = OutputFormat.TABLE) -> None:
    """The basisprofiel's 7 CanMEDS roles and their requirements, in the source's words.

    A supervisor assesses a coach per role: smr coach assess N --role 1 ...
    """
    from smr_register.domain.competences import load_catalogue
    from smr_register.render.model import listing
    from smr_register.render.registry import emit

    catalogue = load_catalogue().in_force(as_of_date(as_of))
    rows = [{"role": role.number, "role_name": role.name, "requirement": item.id,
             "text": item.text}
            for role in catalogue.roles for item in role.requirements]
    document = {
        "schema_version": 1, "version": catalogue.id,
        "effective_from": catalogue.effective_from.isoformat(), "source": catalogue.source,
        "roles": [{"number": role.number, "name": role.name, "name_en": role.name_en,
                   "description": role.description,
                   "requirements": [{"id": item.id, "text": item.text}
                                    for item in role.requirements]}
                  for role in catalogue.roles]}
    title = _("Basisprofiel {version} ({roles} roles, {requirements} requirements): "
              "{source}").format(version=catalogue.id, roles=len(catalogue.roles),
                                 requirements=len(rows), source=catalogue.source)
    emit(listing(COLUMNS, rows, title, document=document), output_format)
