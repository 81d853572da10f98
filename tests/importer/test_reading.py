"""Reading providers' files and cleaning their values, without a register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smr_register.errors import InputFileError
from smr_register.importer import cells
from smr_register.importer.columns import ATTENDANCE, COACHES, header_key
from smr_register.importer.reading import column_letter, read_table, sniff_delimiter


@pytest.mark.parametrize(("header", "key"), [
    ("Registratienummer", "reg_no"), ("Reg.nr", "reg_no"), ("registratie nr", "reg_no"),
    ("REGISTRATIENR.", "reg_no"), ("Achternaam", "last_name"), ("Naam", "name"),
    ("Geboortedatum", "birth_date"), ("Geb.datum", "birth_date"), ("Cursuscode", "course_code"),
    ("Datum", "date"), ("Datum cursus", "date"), ("Punten", "points"),
    ("Accreditatiepunten", "points"), ("BIG-nummer", "big"), ("E-mail", "email"),
    ("Tussenvoegsel", "prefix"), ("Voorletters", "initials"), ("Cursusnaam", "course_title"),
    ("Date of birth", "birth_date"), ("Course code", "course_code"),
])
def test_headers_are_recognised_in_dutch_and_english(header: str, key: str) -> None:
    assert ATTENDANCE.lookup()[header_key(header)] == key


def test_header_key_ignores_case_spaces_punctuation_and_accents() -> None:
    assert header_key(" Geb. Dátum ") == header_key("GEBDATUM") == "gebdatum"


def test_header_row_is_found_below_title_rows_and_unknown_columns_are_listed(
        make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([[], ["Reg.nr", "Naam", "Cursuscode", "Datum", "Opmerking", None],
                      ["004512", "J. Jansen", "C-1", "14-05-2024", "", None]],
                     title_rows=[["Presentielijst"], ["Trimbos, mei 2024"]], merge_title=True)

    table = read_table(path, ATTENDANCE)

    assert table.header_row == 4
    assert table.columns == {"reg_no": 0, "name": 1, "course_code": 2, "date": 3}
    assert table.unknown == ["Opmerking"]
    assert list(table.rows()) == [(5, ["004512", "J. Jansen", "C-1", "14-05-2024", ""])]
    assert len(table.sha256) == 64


def test_required_columns_are_named_when_missing(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Registratienummer", "Achternaam", "Geboortedatum"], ["1", "A", "x"]])

    with pytest.raises(InputFileError) as problem:
        read_table(path, COACHES)

    assert "no column for Registratiedatum" in problem.value.message


def test_duplicate_headers_stay_apart(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx([["Reg.nr", "Naam", "Cursuscode", "Datum", "Opmerking", "Opmerking"],
                      ["1", "A", "C", "14-05-2024", "x", "y"]])

    table = read_table(path, ATTENDANCE)

    assert table.headers[-2:] == ["Opmerking", "Opmerking (F)"]


def test_csv_encoding_and_delimiter_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_bytes("Presentielijst\r\nReg.nr;Achternaam;Cursuscode;Datum;Punten\r\n"
                     "4512;Müller;C-1;14-05-2024;1,5\r\n".encode("cp1252"))

    table = read_table(path, ATTENDANCE)

    assert (table.encoding, table.delimiter, table.header_row) == ("cp1252", ";", 2)
    assert list(table.rows()) == [(3, ["4512", "Müller", "C-1", "14-05-2024", "1,5"])]
    assert table.describe() == "csv, encoding cp1252, delimiter ';', header on row 2"


def test_csv_rejects_the_sheet_option(tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text("Reg.nr,Naam,Cursuscode,Datum\n1,A,C,14-05-2024\n", encoding="utf-8")

    with pytest.raises(InputFileError, match="does not apply to a .csv"):
        read_table(path, ATTENDANCE, sheet="Blad1")


@pytest.mark.parametrize(("lines", "expected"), [
    (["Titel", "a;b;c", "1;2,5;3", "4;5,5;6"], ";"),
    (["a,b,c", "1,2,3"], ","),
    (["a\tb\tc", "1\t2,5\t3"], "\t"),
    (["Presentielijst, mei 2024", "Reg.nr;Naam;Datum", "1;Jansen, J.;14-05-2024"], ";"),
])
def test_delimiter_sniffing(lines: list[str], expected: str) -> None:
    assert sniff_delimiter(lines) == expected


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize(("value", "expected"), [
    (date(2024, 5, 14), date(2024, 5, 14)),
    (datetime(2024, 5, 14, 10, 30), date(2024, 5, 14)),  # noqa: DTZ001 - as Excel holds it
    (45426.0, date(2024, 5, 14)),
    ("45426", date(2024, 5, 14)),
    ("14-05-2024", date(2024, 5, 14)),
    ("14-5-24", date(2024, 5, 14)),
    ("2024-05-14", date(2024, 5, 14)),
    ("2024-05-14 00:00:00", date(2024, 5, 14)),
    ("14/05/2024", date(2024, 5, 14)),
    ("14 mei 2024", date(2024, 5, 14)),
    ("14-mrt-24", date(2024, 3, 14)),
])
def test_dates_in_every_form_providers_send(value: Any, expected: date) -> None:
    assert cells.a_date(value, "Datum") == expected


@pytest.mark.parametrize(("value", "slug"), [
    ("31-02-2024", "bad-date"), ("morgen", "bad-date"), (3.0, "bad-date"), ("", "missing-value"),
    (None, "missing-value"),
])
def test_unreadable_dates(value: Any, slug: str) -> None:
    with pytest.raises(cells.CellProblem) as problem:
        cells.a_date(value, "Datum")
    assert problem.value.slug == slug


def test_a_two_digit_birth_year_is_not_in_the_future() -> None:
    assert cells.birth_date("01-02-45", "Geb.datum", date(2024, 1, 1)) == date(1945, 2, 1)
    assert cells.birth_date("01-02-05", "Geb.datum", date(2024, 1, 1)) == date(2005, 2, 1)


@pytest.mark.parametrize(("value", "expected"), [
    ("004512", "004512"), (4512.0, "4512"), (4512, "4512"), ("4512.0", "4512"),
    ("SMR 004512", "004512"), ("SMR-004512", "004512"), ("nr. 4512", "4512"),
    (" 00 45 12 ", "004512"), ("onbekend", None), (None, None), ("", None),
    ("1234567890123", None),
])
def test_registration_numbers(value: Any, expected: str | None) -> None:
    assert cells.reg_no(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("12345678901", "12345678901"), ("BIG-12345678901", "12345678901"),
    ("BIG 123 456 789 01", "12345678901"), (1234567890.0, "01234567890"), ("123", None),
    (None, None),
])
def test_big_numbers(value: Any, expected: str | None) -> None:
    assert cells.big(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("1,5", Decimal("1.5")), (1.5, Decimal("1.5")), ("2", Decimal("2")), (3.0, Decimal("3")),
    ("1.234,5", Decimal("1234.5")),
])
def test_decimal_commas(value: Any, expected: Decimal) -> None:
    assert cells.decimal(value, "Punten") == expected


def test_unreadable_numbers() -> None:
    with pytest.raises(cells.CellProblem) as problem:
        cells.decimal("veel", "Punten")
    assert problem.value.slug == "bad-number"
    assert "Punten 'veel' is not a number" in problem.value.message


def test_fold_drops_case_accents_and_punctuation() -> None:
    assert cells.fold("Ünal-de Böer, J.") == "unal de boer j"
    assert cells.fold("J.M. van der Berg") == "j m van der berg"


@pytest.mark.parametrize(("row", "total"), [
    (["Totaal", None, 12], True), (["", "Totaal aantal deelnemers: 12"], True),
    (["Aantal deelnemers", 12], True), (["Subtotaal"], True), (["Smit", "Jansen"], False),
    (["Totaalzorg B.V.", "Jansen"], False), (["Total: 12"], True),
])
def test_total_rows(row: list[Any], total: bool) -> None:
    assert cells.is_total_row(row) is total


@pytest.mark.parametrize(("value", "in_aanwezig", "in_afwezig"), [
    ("ja", "present", "absent"), ("Nee", "absent", "present"), ("X", "present", "absent"),
    (1.0, "present", "absent"), (0, "absent", "present"), (True, "present", "absent"),
    ("aanwezig", "present", "present"), ("Afwezig", "absent", "absent"),
    ("no show", "absent", "absent"), ("deels", "unclear", "unclear"), ("50%", "unclear", "unclear"),
    (None, "empty", "empty"), ("  ", "empty", "empty"),
])
def test_attendance_cells_read_by_their_column(value: Any, in_aanwezig: str,
                                               in_afwezig: str) -> None:
    assert cells.attendance(value, absence_column=False).value == in_aanwezig
    assert cells.attendance(value, absence_column=True).value == in_afwezig
