"""Every cell the tool writes to a workbook is text unless the tool itself means a number or a
date: a provider's header `=HYPERLINK(...)` must come back as text, never as a formula."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from smr_register.errors import ExitCode
from tests.import_fixtures import HEADER, MESSY_ROWS, build_register, write_csv

FORMULA = '=HYPERLINK("http://x.invalid","klik")'


def test_a_formula_in_a_csv_header_comes_back_as_text(run: Callable[..., Any],
                                                      tmp_path: Path) -> None:
    build_register(run)
    sheet = write_csv(tmp_path / "formula.csv", MESSY_ROWS[:3], header=[*HEADER[:-1], FORMULA])
    report = tmp_path / "r.xlsx"
    result = run("import", "attendance", str(sheet), "--report", str(report))
    assert result.exit_code == ExitCode.OK, result.stderr
    workbook = load_workbook(report)
    data = workbook["formula"]
    header = {cell.value: cell for cell in data[1]}
    assert header[FORMULA].data_type == "s"
    assert header[FORMULA].quotePrefix
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), worksheet.title


def test_headers_titles_info_and_joined_lists_are_text(tmp_path: Path) -> None:
    from datetime import date

    from smr_register.render.cells import Column
    from smr_register.render.workbook import Sheet, Workbook

    path = tmp_path / "w.xlsx"
    columns = [Column("a", "=A1+1"), Column("b", "Tags"), Column("n", "Number"),
               Column("d", "Date")]
    rows = [{"a": "-2", "b": ["=x", "y"], "n": 3, "d": date(2026, 12, 1)}]
    Workbook([Sheet("Data", columns, rows)], title="=title", as_of=None, rules_version=None,
             extra_info=[("@label", "+1")]).write(path)
    workbook = load_workbook(path)
    cells = {cell.value: cell for ws in workbook.worksheets for row in ws.iter_rows()
             for cell in row if cell.value is not None}
    for text in ("=A1+1", "-2", "=x; y", "=title", "@label", "+1"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    assert cells[3].data_type == "n"
    assert workbook["Data"]["D2"].is_date
