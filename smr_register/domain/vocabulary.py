"""The register's closed vocabularies (states, education levels, profiles, verdicts, credit
sources).

Plain enums without SQLModel, so the command-line layer can offer them as choices without paying
for the database layer's import at start-up; the tables in store/models/ store their values.
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


# Levels in the Dutch order, lowest first: `other` is anything not shown to be MBO level 4 or
# above (the register cannot rank a foreign or unnamed diploma).
EDUCATION_ORDER = (Education.OTHER, Education.MBO4, Education.HBO, Education.WO)


def education_meets(level: str | None, minimum: str) -> bool:
    """Whether prior education `level` is at least `minimum` (an unknown level is not)."""
    ranks = {e.value: i for i, e in enumerate(EDUCATION_ORDER)}
    return level in ranks and ranks[level] >= ranks[minimum]


class Profile(StrEnum):
    BASISPROFIEL = "basisprofiel"
    PREGNANCY = "pregnancy"  # zwangeren en kinderwens
    PSYCHIATRIC = "psychiatric"  # psychiatrische comorbiditeit
    SMR_EXTRA = "smr-extra"  # annotation for extra-intensive coaching (level 3+)


class Result(StrEnum):
    """A supervisor's verdict on one role of the basisprofiel, in the register's Dutch words."""

    MET = "voldaan"
    NOT_MET = "niet-voldaan"


class CreditSource(StrEnum):
    MANUAL = "manual"
    IMPORT = "import"
