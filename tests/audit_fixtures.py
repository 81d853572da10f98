"""A small register with one coach per audit status on 01-12-2026, built through register.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session

from smr_register import db
from smr_register.domain.ruleset import RulesBook, load_rules
from smr_register.services import agenda_records, coach_records, credit_records, profiles
from smr_register.store.history import Change
from smr_register.store.models import CoachState, Profile

AS_OF = "01-12-2026"

# reg_no -> status on 01-12-2026 (rules 2022.1: 15 points in 3 years, 100 hours)
EXPECTED = {
    "100001": "due",  # 2022-01-01 to 2026-12-31, every rule met
    "100002": "at-risk",  # 2022-02-01 to 2027-01-31, 10 points
    "100003": "compliant",  # 2024-01-01 to 2028-12-31, nothing yet, not in the window
    "100004": "expired",  # 2021-06-01 to 2026-05-31
    "100005": "non-compliant",  # registered 2023-01-01 without basisprofiel
    "100006": "suspended",
}


def build_register(path: Path, coaches: tuple[str, ...] = tuple(EXPECTED)) -> None:
    """Fill the (initialised) register at `path` with the coaches named."""
    book = load_rules()
    engine = db.make_engine(db.database_url(str(path)))
    change = Change.now("test-admin", "test setup")
    try:
        with db.transaction(engine) as session:
            _agenda(session, change)
            for reg_no in coaches:
                _COACHES[reg_no](session, change, book)
    finally:
        engine.dispose()


def _agenda(session: Session, change: Change) -> None:
    agenda_records.add_provider(session, change, "Academie Rookvrij")
    agenda_records.add_course(session, change, code="C1", title="Motiverende gespreksvoering",
                        provider="Academie Rookvrij", points=Decimal(5),
                        accredited_from=date(2020, 1, 1), accredited_until=date(2030, 12, 31),
                        profiles=[])
    for year in range(2021, 2027):
        agenda_records.add_run(session, change, "C1", date(year, 3, 15))


def _coach(session: Session, change: Change, book: RulesBook, reg_no: str, registered: date,
           credit_years: tuple[int, ...] = (), hours: dict[int, int] | None = None,
           basisprofiel: date | None = date(2022, 6, 1)) -> None:
    coach_records.add_coach(session, change, book, reg_no=reg_no, registered_on=registered,
                       details=coach_records.CoachFields(last_name=f"Coach{reg_no[-1]}",
                                                    initials="A."))
    for year in credit_years:
        credit_records.add_credit(session, change, reg_no, "C1", date(year, 3, 15), None, None)
    for year, amount in (hours or {}).items():
        coach_records.set_practice_year(session, change, reg_no, year, Decimal(amount), {})
    if basisprofiel is not None:
        profiles.add_profile(session, change, book, reg_no, Profile.BASISPROFIEL, basisprofiel,
                             "certificate", None)


_COACHES = {
    "100001": lambda s, c, b: _coach(s, c, b, "100001", date(2022, 1, 1), (2022, 2023, 2024),
                                     {2022: 40, 2023: 30, 2024: 30}),
    "100002": lambda s, c, b: _coach(s, c, b, "100002", date(2022, 2, 1), (2022, 2023),
                                     {2022: 100}),
    "100003": lambda s, c, b: _coach(s, c, b, "100003", date(2024, 1, 1),
                                     basisprofiel=date(2023, 12, 1)),
    "100004": lambda s, c, b: _coach(s, c, b, "100004", date(2021, 6, 1), (2021, 2022, 2023),
                                     {2021: 100}),
    "100005": lambda s, c, b: _coach(s, c, b, "100005", date(2023, 1, 1), basisprofiel=None),
    "100006": lambda s, c, b: (
        _coach(s, c, b, "100006", date(2023, 5, 1), basisprofiel=date(2023, 4, 1)),
        coach_records.set_state(s, c, "100006", CoachState.SUSPENDED, "Jaarbijdrage niet voldaan",
                           date(2026, 5, 1))),
}
