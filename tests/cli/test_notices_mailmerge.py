"""Notices for mail merge: the plain CSV for scripts stays as it was; `--dialect excel-nl`
is a CSV Dutch Excel opens with a double click; `--format xlsx` a workbook; the message's
list of what is missing is short phrases."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from smr_register.cli import app
from smr_register.errors import ExitCode

ON = "14-11-2026"  # 103627 (short 6 points) gets its second notice; 103960 its first


def smr(register: Any, *args: str) -> Any:
    return CliRunner().invoke(app, ["--db", str(register), "report", "notices", "--as-of", ON,
                                    "--lang", "en", *args], catch_exceptions=False)


def test_the_list_of_what_is_missing_is_short_phrases(demo_db: Any) -> None:
    notices = {n["reg_no"]: n for n in json.loads(smr(demo_db, "-f", "json").stdout)["notices"]}
    message = notices["103627"]["message"]
    assert "you still need:\n- 6 points\n" in message
    assert "You have 9 of the 15 points" not in message


def test_plain_csv_for_scripts_is_unchanged(demo_db: Any) -> None:
    text = smr(demo_db, "-f", "csv").stdout
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:5] == ["reg_no", "name", "email", "notice_stage", "valid_until"]
    row = next(r for r in rows if r["reg_no"] == "103627")
    assert row["valid_until"] == "2027-02-06"
    assert "\n- 6 points" in row["message"]


def test_excel_nl_csv_opens_in_dutch_excel(demo_db: Any, tmp_path: Path) -> None:
    target = tmp_path / "notices.csv"
    result = smr(demo_db, "-f", "csv", "--dialect", "excel-nl", "--output", str(target))
    assert result.exit_code == ExitCode.OK
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 (ë, é) right
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].split(";")[:3] == ["reg_no", "name", "email"]
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    plain = list(csv.DictReader(io.StringIO(smr(demo_db, "-f", "csv").stdout)))
    assert [r["reg_no"] for r in rows] == [r["reg_no"] for r in plain]
    assert len(lines) == len(rows) + 2  # every cell on one line (and the final line break)
    for row in rows:
        assert all("\n" not in cell and "\r" not in cell for cell in row.values())
        day = datetime.strptime(row["valid_until"], "%d-%m-%Y").date()  # noqa: DTZ007
        assert isinstance(day, date)
    at_risk = next(r for r in rows if r["reg_no"] == "103627")
    assert "you still need: 6 points. Kind regards," in at_risk["message"]


def test_notices_as_a_workbook(demo_db: Any, tmp_path: Path) -> None:
    target = tmp_path / "notices.xlsx"
    assert smr(demo_db, "-f", "xlsx", "--output", str(target)).exit_code == ExitCode.OK
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Info", "Notices"] and workbook.active.title == "Notices"
    ws = workbook["Notices"]
    header = [c.value for c in ws[1]]
    until = ws.cell(2, header.index("Valid until") + 1)
    assert until.is_date and until.number_format == "dd-mm-yyyy"
    message = ws.cell(2, header.index("Message") + 1)
    assert message.alignment.wrap_text and message.value.startswith("Dear ")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_dialect_is_for_csv_only(demo_db: Any) -> None:
    result = smr(demo_db, "-f", "json", "--dialect", "excel-nl")
    assert result.exit_code == ExitCode.USAGE
    assert "--format csv" in result.stderr
