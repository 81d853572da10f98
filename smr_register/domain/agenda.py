"""A course as the training agenda (scholingsagenda) accredits it: pure data, no database.

Only agenda courses earn accreditation points (DOMAIN.md). The agenda import reads one from each
row of a provider's sheet, and the public website shows them with their runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from smr_register.domain.vocabulary import Profile


@dataclass(frozen=True)
class AccreditedCourse:
    """What a run of the course earns, from which provider, on which days, towards which
    profiles."""

    code: str
    title: str
    provider: str
    points: Decimal
    accredited_from: date
    accredited_until: date
    profiles: tuple[Profile, ...]
