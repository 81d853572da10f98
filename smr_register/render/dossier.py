"""One coach's dossier (`smr coach show`): sections of tables, one JSON document, or field/value
CSV."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from smr_register.domain.i18n import N_, _
from smr_register.render.cells import Column
from smr_register.render.model import Rendering, Table

_SECTIONS: dict[str, list[Column]] = {
    "periods": [Column("starts_on", "From"), Column("valid_until", "Valid until"),
                Column("renewed_on", "Renewed on")],
    "profiles": [Column("profile", "Profile", term=True), Column("attained_on", "Attained"),
                 Column("evidence", "Evidence"), Column("assessed_by", "Assessed by")],
    "credits": [Column("course", "Course"), Column("title", "Title"),
                Column("run_date", "Run date"), Column("points", "Points", "right"),
                Column("source", "Source", term=True), Column("batch", "Batch", "right"),
                Column("row", "Row", "right")],
    "points_per_year": [Column("year", "Year"), Column("points", "Points", "right")],
    "practice_years": [Column("year", "Year"), Column("hours", "Hours", "right"),
                       Column("clients", "Clients", "right"),
                       Column("clients_low_literacy", "Low literacy", "right"),
                       Column("intakes", "Intakes", "right"),
                       Column("integral_trajectories", "Integral", "right"),
                       Column("pharmacotherapy_trajectories", "Pharmaco", "right"),
                       Column("referrals", "Referrals", "right")],
    "exceptions": [Column("rule", "Rule", term=True), Column("value", "Value"),
                   Column("reason", "Reason"),
                   Column("decided_by", "Decided by"), Column("decided_on", "Decided on"),
                   Column("valid_until", "Valid until")],
}

_TITLES = {"periods": N_("Registration periods"), "profiles": N_("Profiles"),
           "credits": N_("Credits"), "points_per_year": N_("Points per year"),
           "practice_years": N_("Hours and practice counts"),
           "exceptions": N_("Quality-committee exceptions")}

_FLAT = [Column("section", "Section"), Column("field", "Field"), Column("value", "Value")]


def dossier_rendering(dossier: Mapping[str, Any]) -> Rendering:
    """The dossier (services.dossier) in every form a person or a script reads."""
    return Rendering(screen=_screen(dossier), json=lambda: dossier,
                     csv=Table(_FLAT, _flatten(dossier)))


def _screen(dossier: Mapping[str, Any]) -> Iterator[Table | str]:
    coach = dossier["coach"]
    details = [Column("field", "Field"), Column("value", "Value")]
    rows = [{"field": k, "value": v} for k, v in coach.items() if k != "name"]
    rows += [{"field": "supervisor", "value": dossier["supervisor"]},
             {"field": "supervisees", "value": dossier["supervisees"]},
             {"field": "interventions", "value": dossier["interventions"]}]
    yield Table(details, rows, title=f"Coach {coach['reg_no']}: {coach['name']}")
    for key, columns in _SECTIONS.items():
        if dossier[key]:
            yield Table(columns, dossier[key], title=_(_TITLES[key]))
        else:
            yield _("{section}: none").format(section=_(_TITLES[key]))


def _flatten(dossier: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for key, value in dossier["coach"].items():
        yield {"section": "coach", "field": key, "value": value}
    for key in ("supervisor", "supervisees", "interventions"):
        yield {"section": "coach", "field": key, "value": dossier[key]}
    for key, columns in _SECTIONS.items():
        for index, item in enumerate(dossier[key], start=1):
            for col in columns:
                yield {"section": f"{key}[{index}]", "field": col.key, "value": item.get(col.key)}
