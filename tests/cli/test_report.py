"""Reports on the demo register: the expected coaches and numbers, for people and for cron."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smr_register.domain.ruleset import data_dir
from smr_register.errors import ExitCode
from tests.fixtures import Run

AS_OF = "01-12-2026"
DEMO = data_dir() / "demo"


def expected() -> list[dict[str, str]]:
    with (DEMO / "expected.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def renewed_ahead() -> set[str]:
    """Coaches with a next period already decided: their registration does not end."""
    with (DEMO / "renewals.csv").open(encoding="utf-8") as handle:
        return {row["reg_no"] for row in csv.DictReader(handle)
                if date.fromisoformat(row["starts_on"]) > date(2026, 12, 1)}


@pytest.fixture
def demo(run: Run, demo_db: Path) -> Run:
    def invoke(*args: str) -> object:
        return run(*args, db=demo_db)

    return invoke  # type: ignore[return-value]


def test_expiry_lists_every_coach_ending_in_the_window(demo: Run) -> None:
    result = demo("report", "expiry", "--as-of", AS_OF, "--within", "182", "-f", "json")
    assert result.exit_code == ExitCode.FINDINGS
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2 and document["within_days"] == 182
    end = date(2026, 12, 1) + timedelta(days=182)
    wanted = {row["reg_no"]: row for row in expected()
              if date(2026, 12, 1) <= date.fromisoformat(row["valid_until"]) <= end
              and row["reg_no"] not in renewed_ahead() and row["status"] != "withdrawn"}
    got = {row["reg_no"]: row for row in document["coaches"]}
    renewed = {reg_no: row for reg_no, row in got.items() if row["next_valid_until"]}
    assert renewed and set(renewed) <= renewed_ahead()  # listed beside the period running
    assert all(row["notice_stage"] is None for row in renewed.values())
    assert set(got) - set(renewed) == set(wanted)
    for reg_no, row in wanted.items():
        assert got[reg_no]["status"] == row["status"], reg_no
        assert got[reg_no]["valid_until"] == row["valid_until"], reg_no
    ends = [row["valid_until"] for row in document["coaches"]]
    assert ends == sorted(ends)


def test_expiry_leaves_out_withdrawn_coaches_and_counts_those_at_risk(demo: Run) -> None:
    """A withdrawn coach's registration ends for good: nobody is to act on it. The line cron
    mails says how many of the registrations ending are at risk."""
    withdrawn = {row["reg_no"] for row in expected() if row["status"] == "withdrawn"
                 and date(2026, 12, 1) <= date.fromisoformat(row["valid_until"])
                 <= date(2026, 12, 1) + timedelta(days=365)}
    assert withdrawn  # the demo has some ending within a year
    result = demo("report", "expiry", "--as-of", AS_OF, "--within", "365", "-f", "json")
    rows = json.loads(result.stdout)["coaches"]
    assert not withdrawn & {row["reg_no"] for row in rows}
    counts = Counter(row["status"] for row in rows)
    assert (f"{len(rows)} registrations end within 365 days: {counts['at-risk']} at risk, "
            f"{counts['non-compliant']} non-compliant.") in result.stderr
    assert counts["at-risk"] > 0


def test_expiry_notice_stages_and_shortfalls(demo: Run) -> None:
    rows = json.loads(demo("report", "expiry", "--as-of", AS_OF, "-f", "json").stdout)["coaches"]
    by_number = {row["reg_no"]: row for row in rows}
    assert by_number["103398"]["days_left"] == 0 and by_number["103398"]["notice_stage"] == 3
    assert by_number["103627"]["status"] == "at-risk"
    assert by_number["103627"]["shortfalls"] == ["6 points"]
    for row in rows:
        if row["next_valid_until"]:
            continue  # renewed: no notice
        stage = 3 if row["days_left"] <= 42 else 2 if row["days_left"] <= 84 else 1
        assert row["notice_stage"] == stage


def test_expiry_is_byte_identical_and_stdout_pure(demo: Run, tmp_path: Path) -> None:
    for fmt in ("json", "csv"):
        first = demo("report", "expiry", "--as-of", AS_OF, "-f", fmt).stdout
        second = demo("report", "expiry", "--as-of", AS_OF, "-f", fmt).stdout
        assert first == second
    csv_lines = demo("report", "expiry", "--as-of", AS_OF, "-f", "csv").stdout.splitlines()
    assert csv_lines[0] == ("valid_until,days_left,reg_no,name,status,notice_stage,shortfalls,"
                            "next_valid_until")
    assert all(line.count(",") >= 7 for line in csv_lines)


def test_expiry_xlsx_is_byte_identical_with_source_date_epoch(demo: Run, tmp_path: Path,
                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in paths:
        demo("report", "expiry", "--as-of", AS_OF, "-f", "xlsx", "-o", str(path))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    workbook = load_workbook(paths[0])
    # openpyxl stamps `modified` with the clock on save: two runs a second apart would differ
    stamp = datetime(2025, 12, 1, tzinfo=UTC).replace(tzinfo=None)  # SOURCE_DATE_EPOCH
    assert (workbook.properties.created, workbook.properties.modified) == (stamp, stamp)
    assert workbook.sheetnames == ["Info", "Expiry"]
    sheet = workbook["Expiry"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert [c.value for c in sheet[1]][:3] == ["Valid until", "Days left", "Reg. no"]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "dd-mm-yyyy"
    assert sheet["A1"].font.bold
    info = {row[0].value: row[1] for row in workbook["Info"].iter_rows()}
    assert info["Regels / rules version"].value == "2022.1"
    assert info["Peildatum / as of"].number_format == "dd-mm-yyyy"
    statuses = {cell.value: cell.fill.start_color.rgb for cell in sheet["E"][1:]}
    assert statuses["at-risk"] != statuses["due"]


def test_expiry_output_is_atomic(demo: Run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "expiry.json"
    target.write_text("previous report", encoding="utf-8")

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", fail)
    result = demo("report", "expiry", "--as-of", AS_OF, "-f", "json", "-o", str(target))
    assert result.exit_code == ExitCode.INPUT
    assert "No space left" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".expiry")] == []


def test_expiry_exit_0_when_nothing_is_due(run: Run) -> None:
    """A register whose only coach registered this year: nothing ends in the window, exit 0."""
    added = run("coach", "add", "--reg-no", "100001", "--last-name", "Nieuw",
                "--registered", "01-01-2026")
    assert added.exit_code == ExitCode.OK, added.stderr
    result = run("report", "expiry", "--as-of", AS_OF, "--within", "182", "-f", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["coaches"] == []


def test_expiry_exit_1_when_someone_in_the_window_is_due_or_failing(demo: Run) -> None:
    result = demo("report", "expiry", "--as-of", AS_OF, "--within", "182", "-f", "json")
    assert result.exit_code == ExitCode.FINDINGS
    statuses = {row["status"] for row in json.loads(result.stdout)["coaches"]}
    assert statuses & {"due", "at-risk", "non-compliant"}


def test_notices_list_every_stage_reached_and_not_yet_sent(demo: Run) -> None:
    # 103398's registration ends on 01-12-2026: 42 days before is 20-10-2026 (third notice).
    result = demo("report", "notices", "--as-of", "20-10-2026", "-f", "json", "--lang", "en")
    assert result.exit_code == ExitCode.OK
    notices = json.loads(result.stdout)["notices"]
    by_number = {n["reg_no"]: n for n in notices if n["about"] == "period-end"}
    assert by_number["103398"]["notice_stage"] == 3
    ends = {row["reg_no"]: date.fromisoformat(row["valid_until"]) for row in expected()}
    for notice in notices:
        if notice["about"] != "period-end":
            continue
        days = (ends[notice["reg_no"]] - date(2026, 10, 20)).days
        assert 0 <= days <= 182, notice["reg_no"]  # nothing sent yet: every stage reached
        assert notice["notice_stage"] == sum(days <= d for d in (182, 84, 42))
        assert notice["deadline"] == notice["valid_until"] == ends[notice["reg_no"]].isoformat()
        assert notice["message"].startswith(f"Dear {notice['name']},")
        assert "01-12-2026" in notice["message"] or notice["reg_no"] != "103398"


def test_notices_state_what_is_missing_in_dutch_and_english(demo: Run) -> None:
    # 103627 is short on points; its period ends on the date in expected.csv.
    row = next(r for r in expected() if r["reg_no"] == "103627")
    day = date.fromisoformat(row["valid_until"]) - timedelta(days=84)
    on = day.strftime("%d-%m-%Y")
    english = {n["reg_no"]: n for n in json.loads(
        demo("report", "notices", "--as-of", on, "-f", "json", "--lang", "en").stdout)["notices"]}
    dutch = {n["reg_no"]: n for n in json.loads(
        demo("report", "notices", "--as-of", on, "-f", "json").stdout)["notices"]}
    assert "points" in english["103627"]["message"]
    assert "still need" in english["103627"]["message"]
    assert dutch["103627"]["language"] == "nl"
    assert dutch["103627"]["message"].startswith("Beste ")
    assert "punten" in dutch["103627"]["message"]
    assert dutch["103627"]["message"] != english["103627"]["message"]


def test_stats_match_a_direct_count(demo: Run) -> None:
    document = json.loads(demo("report", "stats", "--as-of", AS_OF, "-f", "json").stdout)
    tables = document["tables"]
    statuses = Counter(row["status"] for row in expected())
    assert {row["status"]: row["coaches"] for row in tables["status"]} == {
        status: statuses.get(status, 0) for status in (
            "on-track", "behind", "due", "renewed", "at-risk", "non-compliant", "expired",
            "suspended", "withdrawn")}
    points: defaultdict[int, Decimal] = defaultdict(Decimal)
    with (DEMO / "credits.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["run_date"] <= "2026-12-01":
                points[int(row["run_date"][:4])] += Decimal(row["points"].replace(",", "."))
    assert {row["year"]: Decimal(row["points"]) for row in tables["points"]} == dict(points)
    hours: defaultdict[int, Decimal] = defaultdict(Decimal)
    with (DEMO / "practice.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hours[int(row["year"])] += Decimal(row["hours"] or "0")
    assert {row["year"]: Decimal(row["hours"]) for row in tables["hours"]} == {
        year: total for year, total in hours.items() if total}
    assert sum(row["coaches"] for row in tables["ending"]) > 0
    assert len(tables["ending"]) == 24
    limit = {row["supervisor"]: row["supervisees"] for row in tables["supervisors"]}
    assert limit["004579"] == 10


def test_stats_xlsx_has_a_sheet_and_a_chart_per_table(demo: Run, tmp_path: Path) -> None:
    target = tmp_path / "stats.xlsx"
    result = demo("report", "stats", "--as-of", AS_OF, "-f", "xlsx", "-o", str(target))
    assert result.exit_code == ExitCode.OK, result.stderr
    workbook = load_workbook(target)
    assert workbook.sheetnames[0] == "Info" and len(workbook.sheetnames) == 8
    for sheet in workbook.worksheets[1:]:
        assert len(sheet._charts) == 1, sheet.title
        assert sheet._charts[0].legend is None, sheet.title  # one series: no legend needed
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold


def test_stats_table_shows_bars(demo: Run) -> None:
    out = demo("report", "stats", "--as-of", AS_OF).stdout
    assert "Coaches per status" in out and "█" in out


def test_formula_injection_is_neutralised(run: Run, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x","klik")'
    assert run("coach", "add", "--reg-no", "1", "--last-name", evil, "--registered",
               "01-01-2026", "--practice", "+31 6 1234", "--city", "@SUM(A1)").exit_code == 0
    csv_text = run("report", "public", "--as-of", AS_OF, "-f", "csv").stdout
    assert "'=HYPERLINK" in csv_text and "'+31 6 1234" in csv_text and "'@SUM(A1)" in csv_text
    target = tmp_path / "public.xlsx"
    run("report", "public", "--as-of", AS_OF, "-f", "xlsx", "-o", str(target))
    sheet = load_workbook(target)["Register"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    injected = [cell for cell in cells if str(cell.value).startswith(("=", "+", "@"))]
    assert injected and all(cell.data_type == "s" for cell in injected)
    listing = run("coach", "list", "-f", "csv").stdout
    assert "'=HYPERLINK" in listing


def test_public_register_is_a_table_by_default_csv_on_request(demo: Run) -> None:
    table = demo("report", "public", "--as-of", AS_OF)
    assert table.exit_code == ExitCode.OK
    assert "Public register, 01-12-2026" in table.stdout and "┃" in table.stdout
    rows = list(csv.DictReader(demo("report", "public", "--as-of", AS_OF, "-f", "csv").stdout
                               .splitlines()))
    assert rows and "name" in rows[0] and "postcode" in rows[0]
