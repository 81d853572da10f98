"""Speed and memory of `smr import attendance`, against floors measured in the same run.

A register of 20,000 coaches and a training agenda of 500 courses with 2,000 runs (inserted with
SQLAlchemy Core), a 100,000-row attendance .xlsx (openpyxl, write-only) and the same rows as a
`;`-separated cp1252 .csv. The import is timed end to end as a user runs it (process start to
exit, on a fresh copy of the register each time) beside a bare read of the same file in a
process of its own: python-calamine for the .xlsx, the `csv` module for the .csv (the floor:
reading is the part we cannot skip). Memory is the child's peak RSS (os.wait4's rusage: the
same figure as getrusage(RUSAGE_CHILDREN), but per child), taken by a small launcher process
(peak.py) so that this process's own size does not count as the child's).

Targets: the .xlsx import within 2x its floor, under 500 MB.

Beside the floor it prints what any import of these rows must spend besides reading, so the
ratio can be judged against a lower bound rather than against zero:
  fixed   the same command on a one-row file (process start, CLI, loading the register's
          20,000 coaches and 2,000 runs, exit), minus a bare `python -c pass`;
  writes  the bare SQL of what this import writes (its batch, 100,000 import rows, the credits
          by one INSERT ... SELECT, the history rows, the commit) replayed with the sqlite3
          module into a fresh copy of the register: no Python deciding, no encoding;
  bound   max(floor, fixed) + writes: an import whose start-up, register loading and exit all
          overlapped the read, and that decided, encoded and reported every row in no time.

With `--db URL` (a PostgreSQL server where the benchmark may create databases) the same register
is moved there with `smr db copy` and the same imports are timed on PostgreSQL too, each on a
fresh copy of that database, beside the SQLite import of the same run (target: within
1.3x the SQLite import).

Run: python benchmarks/bench_import.py [--runs 3] [--keep DIR] [--db postgresql://...]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

COACHES = 20_000
COURSES = 500
RUNS_PER_COURSE = 4
ROWS = 100_000

LAST_NAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
              "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
              "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
              "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
              "van der Veen", "van den Broek", "de Bruijn", "de Jong", "van Dijk", "Janssen",
              "Willems", "Schouten", "van Beek", "Hoekstra", "Koster", "Prins", "Huisman",
              "Kuipers", "Wijnands", "Öztürk", "El Amrani", "Nguyen", "Çelik", "Postma",
              "Verhoeven", "Maas"]


def split_name(full: str) -> tuple[str | None, str]:
    parts = full.split(" ")
    prefix = " ".join(p for p in parts[:-1]) or None
    return prefix, parts[-1]


def build_register(path: Path, rnd: random.Random) -> tuple[list[dict], list[dict]]:
    """Create the register through `smr init`, then fill it with Core inserts."""
    from sqlalchemy import insert

    from smr_register import db
    from smr_register.store.models import (
        Coach,
        Course,
        CourseRun,
        Provider,
        RegistrationPeriod,
    )

    subprocess.run([sys.executable, "-m", "smr_register", "--db", str(path), "init"],
                   check=True, capture_output=True)
    coaches = []
    for i in range(1, COACHES + 1):
        prefix, last = split_name(rnd.choice(LAST_NAMES))
        coaches.append({
            "id": i, "reg_no": f"{i:06d}", "initials": f"{rnd.choice('ABCDEFGHJKLMNPRSTW')}.",
            "prefix": prefix, "last_name": f"{last}{'' if i % 7 else 's'}",
            "birth_date": date(1950, 1, 1) + timedelta(days=rnd.randint(0, 17000)),
            "big": f"{rnd.randint(10**9, 10**10 - 1):011d}" if i % 3 == 0 else None,
            "state": "withdrawn" if i % 97 == 0 else "active"})
    courses, runs = [], []
    for c in range(1, COURSES + 1):
        start = date(2023, 1, 1) + timedelta(days=rnd.randint(0, 300))
        courses.append({"id": c, "code": f"C-{c:04d}", "title": f"Cursus {c} motiverende "
                        f"gespreksvoering", "provider_id": 1,
                        "points_centi": rnd.choice([100, 150, 200, 300]),
                        "accredited_from": start,
                        "accredited_until": start + timedelta(days=729)})
        for r in range(RUNS_PER_COURSE):
            runs.append({"id": len(runs) + 1, "course_id": c,
                         "run_date": start + timedelta(days=30 + 90 * r)})
    engine = db.make_engine(db.database_url(str(path)))
    with db.transaction(engine) as session:
        session.execute(insert(Coach.__table__), coaches)  # type: ignore[attr-defined]
        session.execute(insert(RegistrationPeriod.__table__), [  # type: ignore[attr-defined]
            {"coach_id": c["id"], "starts_on": date(2021, 1, 1),
             "valid_until": date(2025, 12, 31)} for c in coaches])
        session.execute(insert(Provider.__table__), [{"id": 1, "name": "Bench B.V."}])  # type: ignore[attr-defined]
        session.execute(insert(Course.__table__), courses)  # type: ignore[attr-defined]
        session.execute(insert(CourseRun.__table__), runs)  # type: ignore[attr-defined]
    engine.dispose()
    return coaches, [dict(run, course=courses[run["course_id"] - 1]) for run in runs]


def attendance_rows(coaches: list[dict], runs: list[dict], rnd: random.Random) -> list[list]:
    """100,000 rows as providers send them: numbers as text, some as numbers that lost their
    zeros, some with a prefix; Excel dates and text dates; decimal commas; a few unknown
    courses, withdrawn coaches and typos; blank rows and a total line."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ROWS:
        pairs.add((rnd.randrange(len(coaches)), rnd.randrange(len(runs))))
    rows: list[list] = []
    for n, (ci, ri) in enumerate(pairs):
        coach, run = coaches[ci], runs[ri]
        course = run["course"]
        reg = coach["reg_no"]
        reg_cell: object = reg if n % 20 else int(reg)
        if n % 50 == 1:
            reg_cell = f"SMR {reg}"
        last = coach["last_name"] if n % 400 else coach["last_name"] + "e"
        code = course["code"] if n % 150 else f"X-{n}"
        run_date: object = run["run_date"] if n % 10 else run["run_date"].strftime("%d-%m-%Y")
        points = course["points_centi"] / 100
        rows.append([reg_cell, last, coach["prefix"], coach["initials"], coach["birth_date"],
                     code, course["title"], run_date,
                     points if n % 3 else f"{points:g}".replace(".", ",")])
        if n % 10_000 == 9_999:
            rows.append([None] * 9)
    rows.append(["Totaal", None, None, None, None, None, None, None, len(rows)])
    return rows


HEADER = ["Registratienummer", "Achternaam", "Tussenvoegsel", "Voorletters", "Geboortedatum",
          "Cursuscode", "Cursusnaam", "Datum", "Punten"]


def write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Presentielijst")
    sheet.append(["Presentielijst scholingen 2023-2024, Bench B.V."])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def write_csv(path: Path, rows: list[list]) -> None:
    import csv

    with path.open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["Presentielijst scholingen 2023-2024, Bench B.V."])
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(["" if v is None else v.strftime("%d-%m-%Y") if isinstance(v, date)
                             else f"{v:g}".replace(".", ",") if isinstance(v, float) else v
                             for v in row])


def timed(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one child process, started by a small launcher
    (peak.py): started from this process, which holds the 100,000 rows it wrote, a child
    would report this process's size as its own."""
    from peak import run  # beside this script, as `python benchmarks/...` runs it

    elapsed, peak_mib, code, stderr = run(args)
    if code not in (0, 1):
        sys.stderr.write(stderr)
        raise SystemExit(f"{args}: exit {code}")
    return elapsed, peak_mib, code


FLOOR_XLSX = ("import sys\nfrom python_calamine import CalamineWorkbook\n"
              "rows = list(CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)"
              ".iter_rows())\n")
FLOOR_CSV = ("import csv, sys\nwith open(sys.argv[1], encoding='cp1252', newline='') as f:\n"
             "    rows = list(csv.reader(f, delimiter=';'))\n")


# Replays, timed inside the child, the SQL an import wrote (read from `done`) into `fresh`.
WRITES = """
import sqlite3, sys, time
fresh, done = sys.argv[1], sys.argv[2]
source = sqlite3.connect(done)
def table(name, where=""):
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({name})") if row[1] != "id"]
    rows = source.execute(f"SELECT {', '.join(columns)} FROM {name} {where} ORDER BY id")
    return columns, rows.fetchall()
tables = [table("import_batch"), table("import_row"), table("history", "WHERE command LIKE "
          "'import%'")]
statements = {}
for (columns, rows), name in zip(tables, ("import_batch", "import_row", "history")):
    marks = "(" + ", ".join("?" * len(columns)) + ")"
    statements[name] = [(f"INSERT INTO {name} ({', '.join(columns)}) VALUES "
                         + ", ".join([marks] * len(rows[i:i + 2000])),
                         [v for row in rows[i:i + 2000] for v in row])
                        for i in range(0, len(rows), 2000)]
conn = sqlite3.connect(fresh, isolation_level=None)
conn.execute("PRAGMA foreign_keys=ON")
start = time.perf_counter()
conn.execute("BEGIN")
for name, inserts in statements.items():
    for sql, values in inserts:
        conn.execute(sql, values)
    if name == "import_row":
        conn.execute("INSERT INTO point_credit (coach_id, run_id, points_centi, source, "
                     "batch_id, row_number, credited_at) SELECT r.coach_id, r.run_id, "
                     "c.points_centi, 'import', r.batch_id, r.row_number, '2026-01-01' FROM "
                     "import_row r JOIN course_run u ON r.run_id = u.id JOIN course c ON "
                     "u.course_id = c.id WHERE r.outcome = 'credited' ORDER BY r.coach_id, "
                     "r.run_id")
conn.execute("COMMIT")
print(time.perf_counter() - start)
"""


def compare(label: str, floor_code: str, data: Path, register: Path, work: Path,
            runs: int, one_row: Path) -> float:
    """Time the SQLite import beside its floor and lower bound; returns its median seconds."""
    py = sys.executable
    floors, ours, floor_mem, our_mem, fixed, writes = [], [], [], [], [], []
    for i in range(runs):
        seconds, mb, _code = timed([py, "-c", floor_code, str(data)])
        floors.append(seconds)
        floor_mem.append(mb)
        copy = work / f"run-{label}-{i}.sqlite"
        shutil.copy(register, copy)
        seconds, mb, code = timed([py, "-m", "smr_register", "--db", str(copy), "import",
                                   "attendance", str(data)])
        ours.append(seconds)
        our_mem.append(mb)
        fresh = work / f"fresh-{label}-{i}.sqlite"
        shutil.copy(register, fresh)
        bare = timed([py, "-c", "pass"])[0]
        fixed.append(timed([py, "-m", "smr_register", "--db", str(fresh), "import",
                            "attendance", "--dry-run", str(one_row)])[0] - bare)
        replay = subprocess.run([py, "-c", WRITES, str(fresh), str(copy)], check=True,
                                capture_output=True, text=True)
        writes.append(float(replay.stdout))
        copy.unlink()
        fresh.unlink()
    floor, our = statistics.median(floors), statistics.median(ours)
    fix, write = statistics.median(fixed), statistics.median(writes)
    print(f"{label}: floor (bare read) {floor:6.2f} s  {max(floor_mem):6.0f} MB")
    print(f"{label}: smr import        {our:6.2f} s  {max(our_mem):6.0f} MB  exit {code}")
    print(f"{label}: ratio             {our / floor:6.2f}x  (target <= 2x, < 500 MB)  "
          f"runs: {', '.join(f'{s:.2f}' for s in ours)}")
    bound = max(floor, fix) + write
    print(f"{label}: fixed {fix:.2f} s (a one-row import), writes {write:.2f} s (bare SQL "
          f"replay): lower bound {bound:.2f} s = {bound / floor:.2f}x the floor")
    return our


# The register on the PostgreSQL server, and the copy of it each timed import writes to.
PG_TEMPLATE, PG_RUN = "smr_bench_import", "smr_bench_import_run"


def compare_postgresql(label: str, data: Path, server: Any, runs: int,
                       sqlite_seconds: float) -> None:
    """Time the same import on PostgreSQL, each run on a fresh copy of the register there."""
    ours, mems = [], []
    for _ in range(runs):
        url = server.create(PG_RUN, template=PG_TEMPLATE)
        seconds, mb, code = timed([sys.executable, "-m", "smr_register", "--db", url,
                                   "import", "attendance", str(data)])
        ours.append(seconds)
        mems.append(mb)
        server.drop(PG_RUN)
    our = statistics.median(ours)
    print(f"{label}: PostgreSQL import {our:6.2f} s  {max(mems):6.0f} MB  exit {code}  "
          f"runs: {', '.join(f'{s:.2f}' for s in ours)}")
    print(f"{label}: PostgreSQL / SQLite {our / sqlite_seconds:5.2f}x  (target <= 1.3x)")


def main() -> None:
    from bytecode import compile_package  # beside this script, as `python benchmarks/...` runs it

    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Build the files in this directory and keep "
                        "them (reused when present).")
    parser.add_argument("--db", metavar="URL", help="A PostgreSQL server where the benchmark "
                        "may create databases: time the imports there too.")
    args = parser.parse_args()
    server = None
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    register, xlsx, csv_path = work / "register.sqlite", work / "lijst.xlsx", work / "lijst.csv"
    try:
        if not (register.exists() and xlsx.exists() and csv_path.exists()):
            for stale in (register, xlsx, csv_path):
                stale.unlink(missing_ok=True)
            rnd = random.Random(20240514)
            started = time.perf_counter()
            coaches, runs = build_register(register, rnd)
            rows = attendance_rows(coaches, runs, rnd)
            write_xlsx(xlsx, rows)
            write_csv(csv_path, rows)
            print(f"built register ({COACHES} coaches, {len(runs)} runs) and {len(rows)} rows "
                  f"in {time.perf_counter() - started:.1f} s "
                  f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
        one_row = work / "one-row.xlsx"
        if not one_row.exists():
            from openpyxl import load_workbook

            first = next(load_workbook(xlsx, read_only=True).active.iter_rows(
                min_row=4, max_row=4, values_only=True))
            write_xlsx(one_row, [list(first)])
        if args.db:
            from postgres_server import Server

            server = Server(args.db)
            if args.keep is None or not server.exists(PG_TEMPLATE):
                started = time.perf_counter()
                server.load(register, PG_TEMPLATE)
                print(f"moved the register to PostgreSQL with smr db copy in "
                      f"{time.perf_counter() - started:.1f} s")
        for label, floor_code, data in (("xlsx", FLOOR_XLSX, xlsx),
                                        ("csv ", FLOOR_CSV, csv_path)):
            seconds = compare(label, floor_code, data, register, work, args.runs, one_row)
            if server is not None:
                compare_postgresql(label, data, server, args.runs, seconds)
    finally:
        if server is not None:
            if args.keep is None:
                server.drop(PG_TEMPLATE)
            server.dispose()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
