"""The register's closed vocabularies (states, education levels, profiles, credit sources).

Plain enums without SQLModel, so the command-line layer can offer them as choices without paying
for the database layer's import at start-up; models.py stores their values.
"""

from __future__ import annotations

from enum import StrEnum


class CoachState(StrEnum):
    """Administrative state; expiry is not a state but a consequence of the periods' dates."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class Education(StrEnum):
    """Prior education; the basisprofiel requires at least MBO level 4 (DOMAIN.md)."""

    MBO4 = "mbo4"
    HBO = "hbo"
    WO = "wo"
    OTHER = "other"


class Profile(StrEnum):
    BASISPROFIEL = "basisprofiel"
    PREGNANCY = "pregnancy"  # zwangeren en kinderwens
    PSYCHIATRIC = "psychiatric"  # psychiatrische comorbiditeit
    SMR_EXTRA = "smr-extra"  # annotation for extra-intensive coaching (level 3+)


class CreditSource(StrEnum):
    MANUAL = "manual"
    IMPORT = "import"
