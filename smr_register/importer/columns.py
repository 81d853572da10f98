"""The columns each kind of import understands: field specs, their labels and header synonyms.

A provider's header cell is recognised by `header_key` (case, spaces, punctuation and accents
ignored) against every synonym of every field of the import's `Layout`; `required` names the
columns (or groups of alternatives) a sheet must have. Adding a synonym is one line here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    """A column the importer understands: its key, the name used in messages, its synonyms."""

    key: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """The columns one kind of import knows; `required` holds groups of alternatives;
    `mapped` holds one import's own headers (`--column "Cursus=Cursuscode"`) -> field key."""

    kind: str
    fields: tuple[FieldSpec, ...]
    required: tuple[tuple[str, ...], ...]
    mapped: tuple[tuple[str, str], ...] = ()

    def lookup(self) -> dict[str, str]:
        """Every label and synonym (as `header_key` folds it) -> its field's key; a header
        mapped for this import wins over a synonym of another field."""
        table: dict[str, str] = {}
        for spec in self.fields:
            for synonym in (spec.label, *spec.synonyms):
                table.setdefault(header_key(synonym), spec.key)
        for header, key in self.mapped:
            table[header_key(header)] = key
        return table

    def with_columns(self, mappings: Sequence[str], option: str = "--column") -> Layout:
        """This layout with `HEADER=COLUMN` mappings for one import. COLUMN is a column's
        name, key or any synonym; an unknown one is refused naming the columns there are."""
        from smr_register.domain.i18n import _
        from smr_register.errors import InvalidValue

        known = self.lookup()
        mapped = list(self.mapped)
        for text in mappings:
            header, sign, target = text.partition("=")
            if not sign or not header.strip() or not target.strip():
                raise InvalidValue(option, text, _("must be HEADER=COLUMN, e.g. "
                                                   "\"Cursus=Cursuscode\""))
            key = known.get(header_key(target))
            if key is None:
                names = ", ".join(spec.label for spec in self.fields)
                raise InvalidValue(option, text, _(
                    "{target!r} is not a column of the {kind} import; its columns are "
                    "{names} (see 'smr import columns')").format(
                    target=target.strip(), kind=self.kind, names=names))
            mapped.append((header.strip(), key))
        return replace(self, mapped=tuple(mapped))

    def label(self, key: str) -> str:
        """The name of a field in messages (`Registratienummer` for `reg_no`)."""
        return next(spec.label for spec in self.fields if spec.key == key)


# The fields of each kind of import that name no person: a privacy purge keeps these cells of a
# row and blanks the rest (a column the importer does not know may hold anything personal).
_IMPERSONAL = {"attendance": frozenset({"course_code", "course_title", "date", "points",
                                        "provider", "present", "absent"}),
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
                "organisator")),
            # Attendance (cells.attendance): points only for who was there. `absent` columns
            # read the other way round: `x` or `ja` there means absent.
            FieldSpec("present", "Aanwezig", (
                "aanwezigheid", "aanwezig j/n", "aanwezig ja/nee", "aanwezig geweest",
                "presentie", "deelgenomen", "present", "presence", "attendance", "attended",
                "attended y/n", "present y/n")),
            FieldSpec("absent", "Afwezig", (
                "afwezigheid", "niet aanwezig", "afgemeld", "absentie", "absent", "no show",
                "noshow", "absence"))),
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


# Every layout by the name `smr import columns` and the README use for it.
LAYOUTS: dict[str, Layout] = {"attendance": ATTENDANCE, "agenda": AGENDA, "coaches": COACHES}
