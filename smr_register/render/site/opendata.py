"""`register.json` and `register.csv`: the website's public fields for insurers' systems.

Scripts depend on these, so they follow the tool's other documents: stable English keys, ISO
dates, decimals as strings, profiles as their register values (`basisprofiel`, `pregnancy`,
`psychiatric`, `smr-extra`) and a `schema_version` (in the csv: a column of its own, beside
`as_of`, so every row says what it is). Text cells are guarded against spreadsheet formulas.
"""

from __future__ import annotations

import io
from typing import Any

from smr_register.render.cells import Column, dumps
from smr_register.render.registry import write_csv
from smr_register.render.site.layout import REGISTER
from smr_register.services.publish import (
    PUBLIC_COACH_FIELDS,
    SITE_SCHEMA_VERSION,
    Site,
    SiteCoach,
)

CSV_COLUMNS = [Column(key, key) for key in ("schema_version", "as_of", *PUBLIC_COACH_FIELDS)]


def coach_record(coach: SiteCoach) -> dict[str, Any]:
    """A coach's public fields, in the order of `PUBLIC_COACH_FIELDS`."""
    return {key: getattr(coach, key) for key in PUBLIC_COACH_FIELDS}


def register_json(site: Site) -> str:
    """The whole register as one JSON document: coaches, interventions, training agenda."""
    return dumps({
        "schema_version": SITE_SCHEMA_VERSION,
        "register": REGISTER,
        "as_of": site.as_of,
        "coaches": [coach_record(coach) for coach in site.coaches],
        "interventions": [
            {"name": item.name, "description": item.description,
             "listed_since": item.listed_since, "listed_until": item.listed_until,
             "listed": item.listed_on(site.as_of), "coaches": item.coaches}
            for item in site.interventions],
        "courses": [
            {"code": course.code, "title": course.title, "provider": course.provider,
             "points": course.points, "accredited_from": course.accredited_from,
             "accredited_until": course.accredited_until, "profiles": course.profiles,
             "runs": course.runs}
            for course in site.courses],
    })


def register_csv(site: Site) -> str:
    """One row per registered coach; lists (profiles, interventions) are `; `-separated."""
    head = {"schema_version": SITE_SCHEMA_VERSION, "as_of": site.as_of}
    buffer = io.StringIO()
    write_csv(CSV_COLUMNS, [{**head, **coach_record(coach)} for coach in site.coaches], buffer)
    return buffer.getvalue()
