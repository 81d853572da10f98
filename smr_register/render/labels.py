"""Field names and stored values in people's terms, for `coach show` and `history` on screen.

The register stores `reg_no`, `state_date`, ISO dates and lists of credit lines; staff read
"Registration number", "State since", 01-12-2026 and "3 credits: ARZ-110 (1,5 points) ...".
JSON and CSV keep the stored shape: they are for scripts, this is only for people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from smr_register.domain.i18n import N_, _, ngettext

# Every field a person meets in a coach's record or its history, with its label.
LABELS: dict[str, str] = {
    "reg_no": N_("Registration number"), "initials": N_("Initials"),
    "first_name": N_("First name"), "prefix": N_("Prefix"), "last_name": N_("Last name"),
    "birth_date": N_("Date of birth"), "email": N_("E-mail"), "phone": N_("Phone"),
    "big": N_("BIG number"), "agb": N_("AGB code"), "education": N_("Education"),
    "practice": N_("Practice"), "postcode": N_("Postcode"), "city": N_("City"),
    "state": N_("State"), "state_reason": N_("Reason of the state"),
    "state_date": N_("State since"), "supervisor": N_("Supervisor"),
    "supervisor_id": N_("Supervisor"), "supervisees": N_("Supervisees"),
    "interventions": N_("Interventions"), "name": N_("Name"),
    "starts_on": N_("From"), "valid_until": N_("Valid until"), "renewed_on": N_("Renewed on"),
    "profile": N_("Profile"), "attained_on": N_("Attained on"), "evidence": N_("Evidence"),
    "assessed_by": N_("Assessed by"), "assessed_by_id": N_("Assessed by"),
    "course": N_("Course"), "title": N_("Title"), "run_date": N_("Run date"),
    "points": N_("Points"), "source": N_("Source"), "batch": N_("Batch"), "row": N_("Row"),
    "credits": N_("Credits"), "file": N_("File"), "batch_id": N_("Batch"),
    "year": N_("Year"), "hours": N_("Hours"),
    "clients": N_("Clients"), "clients_low_literacy": N_("Clients with low literacy"),
    "intakes": N_("Intakes"), "integral_trajectories": N_("Integral trajectories"),
    "pharmacotherapy_trajectories": N_("Trajectories with pharmacotherapy"),
    "referrals": N_("Referrals"), "rule": N_("Rule"), "value": N_("Value"),
    "reason": N_("Reason"), "decided_by": N_("Decided by"), "decided_on": N_("Decided on"),
    "coach": N_("Coach"), "registration_period": N_("Registration period"),
    "point_credit": N_("Credit"), "coach_profile": N_("Profile"),
    "practice_year": N_("Hours and practice counts"), "exception": N_("Exception"),
    "coach_intervention": N_("Intervention"), "intervention": N_("Intervention"),
    "provider": N_("Provider"), "course_run": N_("Run"), "import_batch": N_("Import"),
    "row_number": N_("Row"), "code": N_("Code"), "accredited_from": N_("Accredited from"),
    "accredited_until": N_("Accredited until"), "profiles": N_("Profiles"),
}

# Keys of a stored record that are the database's own bookkeeping, not the coach's record.
_INTERNAL = frozenset({"id", "coach_id", "run_id", "course_id", "provider_id",
                       "intervention_id", "entity_id"})
# Keys that hold another coach's id: shown as that coach's registration number.
COACH_REFERENCES = ("supervisor_id", "assessed_by_id")
_ISO_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A list of records is summed up by its first items' headline values, not printed whole.
_SHOWN_ITEMS = 3


def label(key: str) -> str:
    """The label of a stored field: `first_name` -> First name (unknown keys read plainly)."""
    known = LABELS.get(key)
    return _(known) if known else key.replace("_", " ").capitalize()


def people_value(value: Any) -> str:
    """A stored value as a person reads it: dates dd-mm-jjjj, nothing for None, yes/no, lists
    and records summed up on one line."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, Decimal | float):
        return _number(value)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{label(k)} {people_value(v)}" for k, v in value.items()
                         if people_value(v))
    if isinstance(value, list | tuple):
        return _summary(value)
    return str(value)


def people_lines(value: Mapping[str, Any] | None,
                 coaches: Mapping[int, str] | None = None) -> str:
    """A record (a history row's before or after) as `Label: value` lines: internal ids left
    out, a coach referred to (a supervisor, an assessor) by registration number from
    `coaches` (id -> number)."""
    if not value:
        return ""
    lines = []
    for key, item in value.items():
        if key in _INTERNAL:
            continue
        shown = item
        if key in COACH_REFERENCES and item is not None:
            shown = (coaches or {}).get(item, "?")
        lines.append(f"{label(key)}: {people_value(shown)}")
    return "\n".join(lines)


def referenced_coaches(records: Iterable[Mapping[str, Any] | None]) -> list[int]:
    """The coach ids the records refer to (supervisor, assessor), to look up their numbers."""
    return [record[key] for record in records if record for key in COACH_REFERENCES
            if isinstance(record.get(key), int)]


def dates_in_text(text: str | None) -> str:
    """ISO dates inside a stored sentence (a reason) written dd-mm-jjjj."""
    return _ISO_IN_TEXT.sub(r"\3-\2-\1", text or "")


def _text(value: str) -> str:
    if _ISO_DATE.match(value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    if _DECIMAL.match(value):
        return _number(Decimal(value))
    if _ISO_TIME.match(value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]} {value[11:16]}"
    return value


def _number(value: Decimal | float) -> str:
    from smr_register.domain.values import format_decimal

    return format_decimal(Decimal(str(value)))


def _summary(items: Iterable[Any]) -> str:
    listed = list(items)
    if not listed:
        return ""
    if not any(isinstance(item, Mapping) for item in listed):
        return ", ".join(people_value(item) for item in listed)
    shown = [_headline(item) for item in listed[:_SHOWN_ITEMS]]
    more = len(listed) - len(shown)
    text = ngettext("{count} item", "{count} items", len(listed)).format(count=len(listed))
    if any(isinstance(item, Mapping) and "course" in item for item in listed):
        text = ngettext("{count} credit", "{count} credits", len(listed)).format(
            count=len(listed))
    tail = _(", and {count} more").format(count=more) if more else ""
    return f"{text}: {', '.join(shown)}{tail}"


def _headline(item: Any) -> str:
    if not isinstance(item, Mapping):
        return people_value(item)
    if "course" in item:
        points = people_value(item.get("points"))
        run = people_value(item.get("run_date"))
        details = ", ".join(part for part in (run, points and _("{points} points").format(
            points=points)) if part)
        return f"{item['course']} ({details})" if details else str(item["course"])
    return "; ".join(f"{label(k)} {people_value(v)}" for k, v in list(item.items())[:2])
