"""The columns each kind of import understands: field specs, their labels and header synonyms.

A provider's header cell is recognised by `header_key` (case, spaces, punctuation and accents
ignored) against every synonym of every field of the import's `Layout`; `required` names the
columns (or groups of alternatives) a sheet must have. Adding a synonym is one line here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    """A column the importer understands: its key, the name used in messages, its synonyms."""

    key: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """The columns one kind of import knows; `required` holds groups of alternatives."""

    kind: str
    fields: tuple[FieldSpec, ...]
    required: tuple[tuple[str, ...], ...]

    def lookup(self) -> dict[str, str]:
        """Every label and synonym (as `header_key` folds it) -> its field's key."""
        table: dict[str, str] = {}
        for spec in self.fields:
            for synonym in (spec.label, *spec.synonyms):
                table.setdefault(header_key(synonym), spec.key)
        return table

    def label(self, key: str) -> str:
        """The name of a field in messages (`Registratienummer` for `reg_no`)."""
        return next(spec.label for spec in self.fields if spec.key == key)


# The fields of each kind of import that name no person: a privacy purge keeps these cells of a
# row and blanks the rest (a column the importer does not know may hold anything personal).
_IMPERSONAL = {"attendance": frozenset({"course_code", "course_title", "date", "points",
                                        "provider"}),
               "coaches": frozenset({"registered"})}


def without_personal_cells(kind: str, cells: dict[str, Any]) -> dict[str, Any]:
    """A row's cells (header -> value) with every cell that may name a person set to None; an
    agenda row names no one and is returned as it is."""
    keep = _IMPERSONAL.get(kind)
    if keep is None:
        return dict(cells)
    lookup = LAYOUTS[kind].lookup()
    return {header: value if lookup.get(header_key(header)) in keep else None
            for header, value in cells.items()}


def header_key(text: Any) -> str:
    """`Reg.nr`, `registratie nr` and `REGISTRATIENR.` all become `registratienr`/`regnr`:
    case, spaces, punctuation and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


_PERSON = (
    FieldSpec("reg_no", "Registratienummer", (
        "registratienr", "regnr", "regnummer", "registratie nummer", "registration number",
        "registration no", "reg no", "smr nummer", "smr nr", "smr registratienummer",
        "kwaliteitsregisternummer", "registernummer", "kabiz nummer")),
    FieldSpec("big", "BIG-nummer", (
        "big", "big nr", "big nummer", "big registratienummer", "big number", "big-nr")),
    FieldSpec("last_name", "Achternaam", ("achternaam deelnemer", "last name", "surname",
                                          "family name", "familienaam")),
    FieldSpec("name", "Naam", ("naam deelnemer", "deelnemer", "name", "full name", "volledige naam",
                               "deelnemersnaam")),
    FieldSpec("prefix", "Tussenvoegsel", ("tussenvoegsels", "tv", "voorvoegsel", "prefix")),
    FieldSpec("initials", "Voorletters", ("voorletter", "initialen", "initials", "vl")),
    FieldSpec("first_name", "Voornaam", ("roepnaam", "first name", "given name")),
    FieldSpec("birth_date", "Geboortedatum", ("geb datum", "gebdat", "geboortedag",
                                              "date of birth", "birth date", "birthdate", "dob")),
    FieldSpec("email", "E-mail", ("email", "e-mailadres", "emailadres", "mail", "e-mail adres")),
)

ATTENDANCE = Layout(
    kind="attendance",
    fields=(*_PERSON,
            FieldSpec("course_code", "Cursuscode", (
                "code", "course code", "cursus code", "scholingscode", "activiteitcode",
                "activiteitscode", "activiteitnummer", "cursusnummer", "course number",
                "accreditatiecode", "accreditatienummer")),
            FieldSpec("course_title", "Cursusnaam", (
                "cursus", "titel", "cursustitel", "naam cursus", "scholing", "naam scholing",
                "course", "course title", "course name", "title", "activiteit",
                "naam activiteit")),
            FieldSpec("date", "Datum", (
                "datum cursus", "cursusdatum", "datum scholing", "datum uitvoering",
                "uitvoeringsdatum", "datum activiteit", "date", "course date", "run date",
                "datum bijeenkomst")),
            FieldSpec("points", "Punten", (
                "accreditatiepunten", "aantal punten", "punten toegekend", "points",
                "credits", "studiepunten", "accreditation points")),
            FieldSpec("provider", "Aanbieder", (
                "scholingsaanbieder", "scholingaanbieder", "opleider", "provider",
                "organisator"))),
    required=(("name", "last_name"), ("course_code",), ("date",),
              ("reg_no", "big", "birth_date")),
)

COACHES = Layout(
    kind="coaches",
    fields=(*_PERSON,
            FieldSpec("registered", "Registratiedatum", (
                "ingeschreven", "ingeschreven op", "datum registratie", "registratie datum",
                "geregistreerd", "geregistreerd op", "registered", "registered on",
                "startdatum", "datum inschrijving", "inschrijfdatum")),
            FieldSpec("phone", "Telefoon", ("telefoonnummer", "tel", "telnr", "mobiel",
                                            "phone", "telephone")),
            FieldSpec("agb", "AGB-code", ("agb", "agb code", "agbcode", "agb nummer")),
            FieldSpec("education", "Opleiding", ("vooropleiding", "opleidingsniveau",
                                                 "education")),
            FieldSpec("practice", "Praktijk", ("praktijknaam", "organisatie", "practice")),
            FieldSpec("postcode", "Postcode", ("postal code", "zip")),
            FieldSpec("city", "Plaats", ("woonplaats", "vestigingsplaats", "city", "town"))),
    required=(("reg_no",), ("last_name",), ("registered",)),
)

AGENDA = Layout(
    kind="agenda",
    fields=(
        FieldSpec("course_code", "Cursuscode", ("code", "course code", "cursus code",
                                                "scholingscode", "activiteitcode",
                                                "cursusnummer", "accreditatienummer")),
        FieldSpec("course_title", "Cursusnaam", ("titel", "cursus", "cursustitel", "naam cursus",
                                                 "scholing", "course", "course title", "title",
                                                 "naam scholing")),
        FieldSpec("provider", "Aanbieder", ("scholingsaanbieder", "scholingaanbieder",
                                            "opleider", "provider")),
        FieldSpec("points", "Punten", ("accreditatiepunten", "aantal punten", "points",
                                       "credits")),
        FieldSpec("accredited_from", "Geaccrediteerd van", (
            "geaccrediteerd vanaf", "accreditatie van", "accreditatie vanaf", "geldig van",
            "geldig vanaf", "accredited from", "begin accreditatie", "start accreditatie")),
        FieldSpec("accredited_until", "Geaccrediteerd tot", (
            "geaccrediteerd tot en met", "accreditatie tot", "accreditatie tot en met",
            "geldig tot", "geldig tot en met", "accredited until", "einde accreditatie",
            "eind accreditatie")),
        FieldSpec("run_date", "Datum", ("datum uitvoering", "uitvoeringsdatum", "datum cursus",
                                        "cursusdatum", "run date", "date", "uitvoering")),
        FieldSpec("profiles", "Profielen", ("profiel", "profiles", "profile")),
    ),
    required=(("course_code",), ("course_title",), ("provider",), ("points",),
              ("accredited_from",), ("accredited_until",)),
)

LAYOUTS = {layout.kind: layout for layout in (ATTENDANCE, COACHES, AGENDA)}
