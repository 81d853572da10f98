"""The demo register's contributions: the annual fee charged on the days of fees.csv (after the
states, so a coach suspended or withdrawn by then is not charged; supervisees exempt) and the
payments of fee_payments.csv, through the same services as `smr fee charge` and `smr fee pay`.
Kept apart from demo.py, which reads the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smr_register.services import fees
from smr_register.services.demo_files import about

if TYPE_CHECKING:
    from smr_register.services.demo import Builder


def charges(build: Builder) -> int:
    """fees.csv: one charge run per year, as `smr fee charge --year Y --on D` makes it."""
    count = 0
    for row in build.rows("fees.csv"):
        year = row.required_count("year")
        with about(row):
            run = fees.charge_year(build.session, build.change, build.book, year,
                                   row.day("charged_on"), dry_run=False)
        count += run.count("charged")
    return count


def payments(build: Builder) -> int:
    """fee_payments.csv: payments towards a year's charge, as `smr fee pay` records them."""
    from smr_register.services.demo import DEMO_AS_OF

    count = 0
    for row in build.rows("fee_payments.csv"):
        year, amount = row.count("year"), row.decimal("amount")
        if year is None or amount is None:
            raise row.fail("year" if year is None else "amount", "is required")
        with about(row):
            fees.record_payment(build.session, build.change, build.coach(row).reg_no,
                                year=year, amount=amount, paid_on=row.day("paid_on"),
                                today=DEMO_AS_OF, reference=row.text("reference"))
        count += 1
    return count
