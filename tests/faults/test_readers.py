"""Files the readers cannot handle: exit 3 naming the file, never a crash, a hang or a runaway
allocation. Only regular files of a sane size are read."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run

IMPORTS = [["import", "attendance"], ["agenda", "import"], ["coach", "import"]]


def _smr(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """In a process of its own: a hang is a timeout, an abort a signal, not a dead test run."""
    return subprocess.run([sys.executable, "-m", "smr_register", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def _refused(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == ExitCode.INPUT, (result.returncode, result.stderr)
    assert str(path) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", IMPORTS, ids=lambda c: c[0])
def test_a_cell_at_the_far_corner_of_a_sheet_is_refused_not_a_crash(
        db_path: Path, tmp_path: Path, make_xlsx: object, command: list[str]) -> None:
    """One cell at XFD1048576 made calamine allocate the whole used range (SIGABRT)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Registratienummer", "Achternaam", "Cursuscode", "Datum"])
    sheet["XFD1048576"] = "x"
    path = tmp_path / "corner.xlsx"
    book.save(path)
    _refused(_smr(db_path, *command, str(path)), path)


_ROW_2 = b'<row r="2"><c r="B2"'


@pytest.mark.parametrize(("written", "shown"), [
    # a cell's own reference decides where calamine puts it, whatever row element holds it,
    # and XML may put a newline or tab before the attribute
    (b'<row r="2"><c\n\tr="XFD1048576"', "XFD1048576"),
    (b'<row r="2"><c\n\tr="A1048576"', "Z1048576"),
    # past Excel's limits: calamine allocated for minutes, or aborted asking for 78 GB
    (b'<row r="2"><c r="A99999999"', "Z99999999"),
    (b'<row r="2"><c r="ZZZZZZZZ1"', "ZZZZZZZZ3"),
    # a cell without a reference goes in its row element's row, here one between rows 1 and 3
    (b'<row r="99999999"><c', "Z99999999"),
], ids=["XFD1048576", "A1048576", "A99999999", "ZZZZZZZZ1", "row-99999999"])
def test_a_far_cell_is_refused_wherever_the_xml_puts_it(db_path: Path, tmp_path: Path,
                                                        written: bytes, shown: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Registratienummer", "Achternaam", "Cursuscode", "Datum"])
    book.active["B2"] = "x"
    book.active["A3"] = "y"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "far.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert _ROW_2 in data
                data = data.replace(_ROW_2, written)
            target.writestr(item, data)
    result = _smr(db_path, "import", "attendance", str(path))
    _refused(result, path)
    assert f"up to {shown})" in result.stderr


def test_a_truncated_xls_is_refused(db_path: Path, tmp_path: Path) -> None:
    """calamine panics (a Rust PanicException, a BaseException) on a cut-off .xls."""
    source = Path(__file__).parents[1] / "data" / "tiny.xls"  # written once with xlwt
    path = tmp_path / "cut.xls"
    path.write_bytes(source.read_bytes()[: len(source.read_bytes()) // 2])
    _refused(_smr(db_path, "import", "attendance", str(path)), path)


def test_a_fifo_is_refused_without_waiting(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    os.mkfifo(path)
    _refused(_smr(db_path, "import", "attendance", str(path), timeout=30), path)


def test_a_link_to_an_endless_device_is_refused(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "zero.csv"
    path.symlink_to("/dev/zero")
    _refused(_smr(db_path, "import", "attendance", str(path), timeout=30), path)


def test_a_huge_csv_cell_is_a_rejected_file_not_an_internal_error(run: Run,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Registratienummer;Achternaam;Cursuscode;Datum\n"
                    f"004512;{'x' * 200_000};C-1;01-01-2024\n", encoding="utf-8")
    result = run("import", "attendance", str(path))
    assert result.exit_code in (ExitCode.FINDINGS, ExitCode.INPUT), result.stderr
    assert "internal error" not in result.stderr


def test_a_row_of_16384_columns_is_no_internal_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = ["Registratienummer", "Achternaam", "Cursuscode", "Datum"]
    path.write_text(";".join(header + [f"k{i}" for i in range(16_380)]) + "\n"
                    + ";".join(["004512", "Jansen", "C-1", "01-01-2024"] + ["v"] * 16_380)
                    + "\n", encoding="utf-8")
    result = run("import", "attendance", str(path))
    assert result.exit_code in (ExitCode.FINDINGS, ExitCode.INPUT), result.stderr
    assert "internal error" not in result.stderr


def test_a_zip_bomb_posing_as_xlsx_is_refused(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 600_000_000 + b"/>")
    _refused(_smr(db_path, "import", "attendance", str(path)), path)
