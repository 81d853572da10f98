"""One coach's dossier (`smr coach show`): sections of tables, one JSON document, or field/value
CSV."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from smr_register.domain.i18n import N_, _
from smr_register.domain.values import format_date
from smr_register.render.cells import Column
from smr_register.render.model import Rendering, Table

_SECTIONS: dict[str, list[Column]] = {
    "states": [Column("state", "State"), Column("starts_on", "From"),
               Column("ends_on", "Until"), Column("reason", "Reason")],
    "periods": [Column("starts_on", "From"), Column("valid_until", "Valid until"),
                Column("renewed_on", "Renewed on")],
    "profiles": [Column("profile", "Profile", term=True), Column("attained_on", "Attained"),
                 Column("evidence", "Evidence"), Column("assessed_by", "Assessed by"),
                 Column("ended_on", "Ended on")],
    "credits": [Column("course", "Course", priority=0, no_wrap=True),
                Column("title", "Title", priority=2),
                Column("run_date", "Run date", priority=0),
                Column("points", "Points", "right", priority=0),
                Column("source", "Source", term=True, priority=3),
                Column("batch", "Batch", "right"),
                Column("row", "Row", "right", priority=3)],
    "points_per_year": [Column("year", "Year"), Column("points", "Points", "right")],
    "practice_years": [Column("year", "Year"), Column("hours", "Hours", "right"),
                       Column("clients", "Clients", "right"),
                       Column("clients_low_literacy", "Low literacy", "right"),
                       Column("intakes", "Intakes", "right"),
                       Column("integral_trajectories", "Integral", "right"),
                       Column("pharmacotherapy_trajectories", "Pharmaco", "right"),
                       Column("referrals_somatic", "Referrals somatic", "right"),
                       Column("referrals_psychiatric", "Referrals psychiatric/addiction",
                              "right"),
                       Column("referrals_pregnancy", "Referrals pregnancy", "right"),
                       Column("referrals_medication", "Referrals medication", "right"),
                       Column("referrals", "Referrals (no reason)", "right")],
    "exceptions": [Column("rule", "Rule", term=True, priority=0, no_wrap=True),
                   Column("value", "Value"),
                   Column("reason", "Reason", priority=2),
                   Column("decided_by", "Decided by", priority=3),
                   Column("decided_on", "Decided on", priority=2),
                   Column("valid_until", "Valid until")],
}

_TITLES = {"states": N_("Suspensions and withdrawal"),
           "periods": N_("Registration periods"), "profiles": N_("Profiles"),
           "credits": N_("Credits"), "points_per_year": N_("Points per year"),
           "practice_years": N_("Hours and practice counts"),
           "exceptions": N_("Quality-committee exceptions")}

_FLAT = [Column("section", "Section"), Column("field", "Field"), Column("value", "Value")]


def dossier_rendering(dossier: Mapping[str, Any]) -> Rendering:
    """The dossier (services.dossier) in every form a person or a script reads."""
    return Rendering(screen=_screen(dossier), json=lambda: dossier,
                     csv=Table(_FLAT, _flatten(dossier)))


def _screen(dossier: Mapping[str, Any]) -> Iterator[Table | str]:
    from smr_register.render.labels import label, people_value

    coach = dossier["coach"]
    details = [Column("field", "Field"), Column("value", "Value")]
    fields = [*((k, v) for k, v in coach.items() if k != "name"),
              *((k, dossier[k]) for k in ("supervisor", "supervisees", "interventions"))]
    rows = [{"field": label(k), "value": people_value(v)} for k, v in fields]
    yield Table(details, rows, title=f"Coach {coach['reg_no']}: {coach['name']}")
    yield Table(details, list(_registration(dossier["registration"])),
                title=_("Registration on {date}").format(
                    date=format_date(dossier["registration"]["as_of"])))
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
    for row in _registration(dossier["registration"]):
        yield {"section": "registration", **row}
    for key, columns in _SECTIONS.items():
        for index, item in enumerate(dossier[key], start=1):
            for col in columns:
                yield {"section": f"{key}[{index}]", "field": col.key, "value": item.get(col.key)}


def _registration(registration: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The period running on the date and the next one decided, as labelled field/value rows
    (the date itself is in the title)."""
    from smr_register.render.labels import label, people_value

    period, following = registration["period"], registration["next_period"]
    yield {"field": _("Registered on the date"), "value": people_value(registration["valid"])}
    for item, heading in ((period, None), (following, _("Next period"))):
        if item is None and heading is not None:
            continue
        for key in ("starts_on", "valid_until", "renewed_on"):
            name = label(key) if heading is None else f"{heading}: {label(key).lower()}"
            yield {"field": name, "value": people_value(item[key] if item else None)}
