"""The spreadsheets staff open and print, read back with openpyxl: numbers in numeric cells,
print set-up on every data sheet, the Info sheet's labels beside their values on one page, the
workbook opening on its data, sheet names whole within Excel's 31 characters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode
from smr_register.render.workbook import sheet_title
from tests.fixtures.imports import HEADER, MESSY_ROWS, TITLE_ROWS, build_register, ok

AS_OF = "01-12-2026"


def smr(register: Any, *args: str) -> Any:
    return CliRunner().invoke(app, ["--db", str(register), *args], catch_exceptions=False)


def written(register: Any, tmp_path: Path, name: str, *args: str) -> Any:
    target = tmp_path / name
    result = smr(register, *args, "--format", "xlsx", "--output", str(target))
    assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS), result.output
    return load_workbook(target)


def assert_printable(ws: Any) -> None:
    """Landscape, one page wide and as long as it takes, the header row on every page."""
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def assert_info(workbook: Any) -> dict[str, Any]:
    """Labels in A, values in B, left-aligned, on one portrait page; not the active sheet."""
    info = workbook["Info"]
    assert info.max_column == 2
    assert info.page_setup.fitToWidth == 1 and info.page_setup.fitToHeight == 1
    assert info.page_setup.orientation == "portrait"
    assert not info.sheet_view.tabSelected
    for label, value in info.iter_rows():
        assert isinstance(label.value, str) and label.font.bold
        assert value.value is not None and value.alignment.horizontal == "left"
    return {label.value: value.value for label, value in info.iter_rows()}


def test_audit_workbook_numbers_print_setup_and_opening_sheet(demo_db: Any,
                                                              tmp_path: Path) -> None:
    workbook = written(demo_db, tmp_path, "audit.xlsx", "audit", "--as-of", AS_OF)
    assert workbook.sheetnames == ["Info", "Audit"]
    assert workbook.active.title == "Audit" and workbook.active.sheet_view.tabSelected
    sheet = workbook["Audit"]
    assert_printable(sheet)
    assert assert_info(workbook)["Regels / rules version"] == "2022.1"
    header = [cell.value for cell in sheet[1]]
    numeric = [h for h in header if h.split()[-1] in ("had", "required", "short")]
    assert {"Points had", "Points required", "Points short", "Hours short"} <= set(numeric)
    decimals = 0
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if header[cell.column - 1] in numeric and cell.value is not None:
                assert cell.data_type == "n", (header[cell.column - 1], cell.value)
                if isinstance(cell.value, float):  # 24.5 points, 115.5 hours
                    decimals += 1
                    assert cell.number_format == "0.0##"
    assert decimals
    # sortable: the coaches with the largest point shortfall, by the number alone
    short = header.index("Points short") + 1
    shortfalls = [r[short - 1].value for r in sheet.iter_rows(min_row=2)
                  if r[short - 1].value is not None]
    assert max(shortfalls) > 0 and all(isinstance(v, int | float) for v in shortfalls)


def test_every_report_sheet_prints_landscape_with_its_header(demo_db: Any,
                                                             tmp_path: Path) -> None:
    for name, args in (("public.xlsx", ("report", "public", "--as-of", AS_OF)),
                       ("expiry.xlsx", ("report", "expiry", "--as-of", AS_OF)),
                       ("stats.xlsx", ("report", "stats", "--as-of", AS_OF))):
        workbook = written(demo_db, tmp_path, name, *args)
        assert workbook.active.title != "Info"
        assert_info(workbook)
        for ws in workbook.worksheets[1:]:
            assert_printable(ws)


@pytest.mark.parametrize(("lang", "names"), [
    ("en", ["Per status", "Ending per month", "Points per year", "Hours per year",
            "Per profile", "Per province", "Supervisors"]),
    ("nl", ["Per status", "Aflopend per maand", "Punten per jaar", "Uren per jaar",
            "Per profiel", "Per provincie", "Supervisoren"]),
])
def test_stats_sheet_names_are_whole(demo_db: Any, tmp_path: Path, lang: str,
                                     names: list[str]) -> None:
    workbook = written(demo_db, tmp_path, f"stats-{lang}.xlsx", "--lang", lang, "report",
                       "stats", "--as-of", AS_OF)
    assert workbook.sheetnames == ["Info", *names]


def test_a_long_sheet_name_is_cut_between_words() -> None:
    assert sheet_title("Aflopende registraties per maand") == "Aflopende registraties per"
    assert sheet_title("Supervisors and their supervisees") == "Supervisors and their"
    assert sheet_title("lijst: 2024/05 [def]") == "lijst 202405 def"
    assert sheet_title("Audit", ["audit"]) == "Audit (2)"
    assert all(len(sheet_title("x" * n)) <= 31 for n in (30, 31, 32, 60))


def test_import_report_wraps_the_explanation_and_names_the_file_as_a_value(
        run: Any, db_path: Any, make_xlsx: Any, tmp_path: Path) -> None:
    build_register(run)
    sheet = make_xlsx([[], HEADER, *MESSY_ROWS], title_rows=TITLE_ROWS, merge_title=True,
                      name="presentielijst-trimbos-scholingen-najaar-2024-definitief.xlsx")
    report = tmp_path / "rapport.xlsx"
    ok(run("import", "attendance", str(sheet), "--report", str(report)), ExitCode.FINDINGS)
    workbook = load_workbook(report)
    name = workbook.sheetnames[1]
    assert len(name) <= 31 and "presentielijst-trimbos-scholingen-najaar-2024-definitief"\
        .startswith(name)
    assert workbook.active.title == name
    info = assert_info(workbook)
    assert info["Bestand / file"] == sheet.name  # the file name is a value, not a label
    assert "12 rows" not in info and sheet.name not in info
    ws = workbook[name]
    assert_printable(ws)
    header = [cell.value for cell in ws[1]]
    explanation = header.index("Toelichting") + 1
    messages = [ws.cell(row, explanation) for row in range(2, ws.max_row + 1)
                if ws.cell(row, explanation).value]
    assert messages and all(cell.alignment.wrap_text for cell in messages)
    assert ws.column_dimensions[ws.cell(1, explanation).column_letter].width >= 40
