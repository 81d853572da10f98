"""A small register and providers' messy attendance sheets, for the import tests.

The register is built through the CLI, as an administrator would; the sheets are real files:
.xlsx written by openpyxl (title rows, a merged title cell, Excel dates, text dates, serial
numbers, decimal commas, numbers that lost their leading zeros) and .csv in cp1252 with `;`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from smr_register import db
from smr_register.errors import ExitCode
from smr_register.store.models import Coach, Course, CourseRun, ImportBatch, ImportRow, PointCredit

HEADER = ["Reg.nr", "Achternaam", "Tussenvoegsel", "Voorletters", "Geb.datum", "BIG-nummer",
          "Cursuscode", "Cursusnaam", "Datum cursus", "Punten", "Opmerking"]
TITLE_ROWS = [["Presentielijst scholingen Trimbos-instituut 2024"],
              ["Aangeleverd voor het Kwaliteitsregister Stoppen met Roken"]]
MI = "Motiverende gespreksvoering"
FARMA = "Farmacotherapie bij stoppen met roken"


def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


# Row numbers in the written sheet: two title rows, a blank line, the header on row 4.
MESSY_ROWS: list[list[Any]] = [
    # 5: lost leading zeros (a number cell), an Excel date, points as a number -> credited
    [4512, "Jansen", None, "J.", date(1970, 2, 1), None, "C-2024-017", MI,
     datetime(2024, 5, 14), 1.5, None],  # noqa: DTZ001 - Excel dates have no zone
    # 6: no registration number, BIG with a prefix, text date, decimal comma -> credited
    [None, "Vries", "de", "A.", None, "BIG-12345678901", "c-2024-017", MI, "14-05-2024", "1,5",
     "via BIG"],
    # 7: name and birth date only (d-m-jj) -> credited to 100500
    [None, "Janssen", None, "M.", "3-4-80", None, "C-2024-017", MI, "11-06-2024", "1,5", None],
    # 8: a near name for 100300 (Bakker) -> held for review
    ["100300", "Bakkers", None, "P.", None, None, "C-2024-017", MI, "14-05-2024", "1,5", None],
    # 9: a withdrawn coach -> rejected
    ["100400", "Smit", None, "K.", None, None, "C-2024-017", MI, "14-05-2024", "1,5", None],
    # 10: blank -> skipped
    [None, None, None, None, None, None, None, None, None, None, None],
    # 11: a course advertised as accredited, not in the agenda -> rejected
    ["004512", "Jansen", None, "J.", None, None, "KR-2024-88",
     "Roken en stress (geaccrediteerd Kwaliteitsregister)", "20-06-2024", 2, None],
    # 12: a course in the agenda, but no run that day -> rejected
    ["004512", "Jansen", None, "J.", None, None, "C-2024-017", MI, "15-05-2024", "1,5", None],
    # 13: the same line as row 5 -> duplicate
    [4512, "Jansen", None, "J.", date(1970, 2, 1), None, "C-2024-017", MI,
     datetime(2024, 5, 14), 1.5, None],  # noqa: DTZ001 - Excel dates have no zone
    # 14: "SMR" prefix, an Excel serial number as date, the sheet claims 2 points (agenda: 3)
    ["SMR 004512", "Jansen", None, "J.", None, None, "C-2024-020", FARMA,
     excel_serial(date(2024, 9, 3)), 2, None],
    # 15: registration number of de Vries with another person's name -> held
    ["100234", "Pietersen", None, "R.", None, None, "C-2024-020", FARMA, "03-09-2024", 3, None],
    # 16: a run date outside the course's accreditation -> rejected
    ["004512", "Jansen", None, "J.", None, None, "C-2023-005", "Roken en zwangerschap",
     "15-03-2024", 2, None],
    # 17: the total line -> skipped
    ["Totaal", None, None, None, None, None, None, None, None, 14, None],
]

EXPECTED_OUTCOMES = {
    5: ("credited", None), 6: ("credited", None), 7: ("credited", None),
    8: ("held", "near-match"), 9: ("rejected", "coach-withdrawn"), 10: ("skipped", "blank-row"),
    11: ("rejected", "unknown-course"), 12: ("rejected", "no-run-on-date"),
    13: ("duplicate", "duplicate-in-file"), 14: ("credited", "points-differ"),
    15: ("held", "name-mismatch"), 16: ("rejected", "outside-accreditation"),
    17: ("skipped", "total-row"),
}

# (reg_no, course, run date, points in hundredths) credited from MESSY_ROWS
EXPECTED_CREDITS = {
    ("004512", "C-2024-017", date(2024, 5, 14), 150),
    ("100234", "C-2024-017", date(2024, 5, 14), 150),
    ("100500", "C-2024-017", date(2024, 6, 11), 150),
    ("004512", "C-2024-020", date(2024, 9, 3), 300),
}


def ok(result: Any, code: ExitCode = ExitCode.OK) -> Any:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def build_register(run: Callable[..., Any]) -> None:
    """Five coaches (one withdrawn) and an agenda of three courses, through the CLI."""
    coaches = [
        ["--reg-no", "004512", "--last-name", "Jansen", "--initials", "J.",
         "--birth-date", "01-02-1970"],
        ["--reg-no", "100234", "--last-name", "Vries", "--prefix", "de", "--initials", "A.",
         "--big", "12345678901"],
        ["--reg-no", "100300", "--last-name", "Bakker", "--initials", "P."],
        ["--reg-no", "100400", "--last-name", "Smit", "--initials", "K."],
        ["--reg-no", "100500", "--last-name", "Janssen", "--initials", "M.",
         "--birth-date", "03-04-1980"],
    ]
    for args in coaches:
        ok(run("coach", "add", *args, "--registered", "01-01-2022"))
    ok(run("coach", "withdraw", "100400", "--reason", "gestopt als coach", "--date",
           "01-03-2024"))
    ok(run("agenda", "provider", "add", "--name", "Trimbos-instituut"))
    ok(run("agenda", "provider", "add", "--name", "Andere Aanbieder"))
    courses = [
        ("C-2024-017", MI, "Trimbos-instituut", "1,5", "01-01-2024", "31-12-2024"),
        ("C-2024-020", FARMA, "Trimbos-instituut", "3", "01-01-2024", "31-12-2024"),
        ("C-2023-005", "Roken en zwangerschap", "Andere Aanbieder", "2", "01-01-2023",
         "31-12-2023"),
    ]
    for code, title, provider, points, start, until in courses:
        ok(run("agenda", "course", "add", "--code", code, "--title", title, "--provider",
               provider, "--points", points, "--accredited-from", start,
               "--accredited-until", until))
    for code, day in (("C-2024-017", "14-05-2024"), ("C-2024-017", "11-06-2024"),
                      ("C-2024-020", "03-09-2024"), ("C-2023-005", "15-03-2023")):
        ok(run("agenda", "run", "add", "--course", code, "--date", day))


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "cp1252",
              delimiter: str = ";", header: Sequence[str] = HEADER,
              title_rows: Sequence[Sequence[Any]] = TITLE_ROWS) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        for row in (*title_rows, header, *rows):
            writer.writerow(["" if v is None else _csv_text(v) for v in row])
    return path


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def engine_for(path: Path) -> Any:
    return db.make_engine(db.database_url(str(path)))


def register_credits(path: Path) -> set[tuple[str, str, date, int]]:
    """Every credit in the register as (reg_no, course, run date, points in hundredths)."""
    engine = engine_for(path)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Coach.reg_no, Course.code, CourseRun.run_date, PointCredit.points_centi)
                .join(Coach, PointCredit.coach_id == Coach.id)
                .join(CourseRun, PointCredit.run_id == CourseRun.id)
                .join(Course, CourseRun.course_id == Course.id)).all()
    finally:
        engine.dispose()
    return {tuple(r) for r in rows}  # type: ignore[misc]


def credit_rows(path: Path) -> list[Any]:
    engine = engine_for(path)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(PointCredit).order_by(PointCredit.id)).all())
    finally:
        engine.dispose()


def import_rows(path: Path, batch_id: int) -> dict[int, tuple[str, str | None]]:
    """row number -> (outcome, reason) of one batch."""
    engine = engine_for(path)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(ImportRow.row_number, ImportRow.outcome, ImportRow.reason)
                                .where(ImportRow.batch_id == batch_id)).all()
    finally:
        engine.dispose()
    return {number: (outcome, reason) for number, outcome, reason in rows}


def batch(path: Path, batch_id: int) -> ImportBatch:
    from sqlmodel import Session

    engine = engine_for(path)
    try:
        with Session(engine) as session:
            found = session.get(ImportBatch, batch_id)
            assert found is not None
            return found
    finally:
        engine.dispose()


def points_per_coach(path: Path) -> dict[str, int]:
    total: dict[str, int] = {}
    for reg_no, _code, _day, points in register_credits(path):
        total[reg_no] = total.get(reg_no, 0) + points
    return total


def a_day_after(day: date) -> date:
    return day + timedelta(days=1)
