"""Benchmark: `smr audit --format json` over a synthetic register, beside the plain SQL floor.

    .venv/bin/python benchmarks/bench_audit.py [--coaches 100000] [--small 20000] [--rebuild]

Builds (once; reused when present) a register of N coaches with 50 credits and 5 hour records
each under benchmarks/out/ (gitignored): 100,000 coaches give 5,000,000 credits and 500,000
hour records. Then times, on the same file:
  floor  the plain SQL aggregate of points per coach and calendar year (credits joined with their
         runs, grouped), every row fetched: the least any audit must do;
  ours   `smr audit --format json --as-of 01-12-2026` end to end, as a child process, its JSON
         written to a file;
and prints both, the ratio (target: at most 3) and the child's peak memory (max RSS), for the
big register and a small one (default N/5): memory should not grow with the number of coaches
beyond the JSON report, which is written as it goes.

Credits are inserted in run order, as attendance imports add them, not grouped by coach.

With `--db URL` (a PostgreSQL server where the benchmark may create databases) each register is
moved there with `smr db copy` (once; reused when present) and timed there too: the same floor in
PostgreSQL's words and the same audit, beside the SQLite figures of the same run (target, issue
13: the audit on PostgreSQL within 1.3x the audit on SQLite).
"""

from __future__ import annotations

import argparse
import bisect
import os
import platform
import random
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SMR = Path(sys.executable).parent / "smr"  # the smr of the Python running this
AS_OF = date(2026, 12, 1)
CREDITS_PER_COACH = 50
HOURS_PER_COACH = 5
COURSES = 2000
RUNS_PER_COURSE = 12
POINTS = (100, 150, 200, 250, 300, 400, 500)

FLOOR_SQL = """
SELECT pc.coach_id, CAST(substr(cr.run_date, 1, 4) AS INTEGER) AS year,
       SUM(pc.points_centi)
FROM point_credit pc JOIN course_run cr ON cr.id = pc.run_id
GROUP BY pc.coach_id, year
"""
FLOOR_SQL_POSTGRESQL = FLOOR_SQL.replace("CAST(substr(cr.run_date, 1, 4) AS INTEGER)",
                                         "EXTRACT(YEAR FROM cr.run_date)")


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def build(path: Path, coaches: int, seed: int = 2026) -> None:
    """Create the schema with `smr init`, then fill it with executemany (fast, one transaction)."""
    from smr_register.store.models import coach_keys

    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    subprocess.run([str(SMR), "--db", str(tmp), "init"], check=True, capture_output=True)
    rng = random.Random(seed)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO provider (id, name) VALUES (?, ?)",
                         [(i, f"Provider {i}") for i in range(1, 21)])
        courses, runs = [], []
        for course_id in range(1, COURSES + 1):
            start = _day(rng, date(2010, 1, 1), date(2025, 1, 1))
            until = _add_years(start, rng.randint(3, 10))
            courses.append((course_id, f"C-{course_id:05d}", f"Course {course_id}",
                            1 + course_id % 20, rng.choice(POINTS), start.isoformat(),
                            until.isoformat()))
            days = set()
            while len(days) < RUNS_PER_COURSE:
                run_day = _day(rng, start, until)
                if rng.random() < 0.02:  # accreditation later shortened: this run counts zero
                    run_day = until + timedelta(days=rng.randint(1, 200))
                days.add(run_day)
            runs.extend((course_id, d) for d in sorted(days))
        conn.executemany("INSERT INTO course (id, code, title, provider_id, points_centi, "
                         "accredited_from, accredited_until) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         courses)
        runs.sort(key=lambda r: r[1])
        run_rows = [(i, course_id, d.isoformat()) for i, (course_id, d) in enumerate(runs, 1)]
        conn.executemany("INSERT INTO course_run (id, course_id, run_date) VALUES (?, ?, ?)",
                         run_rows)
        run_days = [d for _, d in runs]
        coach_rows, period_rows, profile_rows, hour_rows, credit_rows = [], [], [], [], []
        state_rows = []
        supervisors = max(coaches // 10, 1)
        for coach_id in range(1, coaches + 1):
            registered = _day(rng, date(2012, 1, 1), date(2026, 6, 1))
            roll = rng.random()
            if roll < 0.08:  # 3 % suspended, 5 % withdrawn, open-ended, as of a day before AS_OF
                state_rows.append((coach_id, "suspended" if roll < 0.03 else "withdrawn",
                                   _day(rng, registered, AS_OF).isoformat(), "bench"))
            supervisor = (rng.randint(1, supervisors) if coach_id > supervisors
                          and rng.random() < 0.2 else None)
            reg_no, last_name = str(100000 + coach_id), f"Coach{coach_id}"
            keys = coach_keys({"reg_no": reg_no, "initials": "A.", "last_name": last_name})
            coach_rows.append((coach_id, reg_no, "A.", None, last_name, supervisor,
                               keys["sort_key"], keys["search_text"]))
            start = registered
            end = _add_years(start, 5) - timedelta(days=1)
            period_rows.append((coach_id, start.isoformat(), end.isoformat(), None))
            while end < AS_OF and rng.random() < 0.85:
                renewed = end - timedelta(days=rng.randint(1, 150))
                start, end = end + timedelta(days=1), _add_years(end, 5)
                period_rows.append((coach_id, start.isoformat(), end.isoformat(),
                                    renewed.isoformat()))
            if rng.random() < 0.7:
                profile_rows.append((coach_id, "basisprofiel",
                                     _day(rng, registered, AS_OF).isoformat()))
            hour_rows.extend((coach_id, year, rng.randint(5, 40) * 100)
                             for year in rng.sample(range(registered.year - 4, 2027),
                                                    HOURS_PER_COACH))
            first = bisect.bisect_left(run_days, registered - timedelta(days=365))
            last = bisect.bisect_right(run_days, AS_OF + timedelta(days=60))
            pool = range(first + 1, last + 1)  # run ids are 1-based positions in date order
            for run_id in rng.sample(pool, min(CREDITS_PER_COACH, len(pool))):
                centi = courses[runs[run_id - 1][0] - 1][4]
                credit_rows.append((coach_id, run_id, centi))
        conn.executemany("INSERT INTO coach (id, reg_no, initials, prefix, last_name, "
                         "supervisor_id, sort_key, search_text) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", coach_rows)
        conn.executemany("INSERT INTO coach_state (coach_id, state, starts_on, reason) "
                         "VALUES (?, ?, ?, ?)", state_rows)
        conn.executemany("INSERT INTO registration_period (coach_id, starts_on, valid_until, "
                         "renewed_on) VALUES (?, ?, ?, ?)", period_rows)
        conn.executemany("INSERT INTO profile_held (coach_id, profile, attained_on) "
                         "VALUES (?, ?, ?)", profile_rows)
        conn.executemany("INSERT INTO practice_year (coach_id, year, hours_centi, "
                         "source) VALUES (?, ?, ?, 'manual')", hour_rows)
        credit_rows.sort(key=lambda c: c[1])  # as imports add them: run by run
        conn.executemany("INSERT INTO point_credit (coach_id, run_id, points_centi, source, "
                         "credited_at) VALUES (?, ?, ?, 'import', '2026-01-01 00:00:00')",
                         credit_rows)
    conn.execute("ANALYZE")
    conn.close()
    tmp.replace(path)
    print(f"built {path.name}: {coaches:,} coaches, {len(credit_rows):,} credits, "
          f"{len(hour_rows):,} hour records in {time.perf_counter() - started:.1f} s")


_FLOOR_CHILD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
started = time.perf_counter()
rows = conn.execute(sys.argv[2]).fetchall()
print(time.perf_counter() - started, len(rows))
"""


_FLOOR_CHILD_POSTGRESQL = """
import sys, time
import psycopg
conn = psycopg.connect(sys.argv[1])
started = time.perf_counter()
rows = conn.execute(sys.argv[2]).fetchall()
print(time.perf_counter() - started, len(rows))
"""


def floor(path: Path | str) -> float:
    """Seconds for the floor query with every row fetched, in a child process of its own (so
    this process stays small: a child forked from a big parent reports the parent's size)."""
    if isinstance(path, str):  # a PostgreSQL URL
        from sqlalchemy.engine import make_url

        libpq = make_url(path).set(drivername="postgresql").render_as_string(False)
        args = [_FLOOR_CHILD_POSTGRESQL, libpq, FLOOR_SQL_POSTGRESQL]
    else:
        args = [_FLOOR_CHILD, str(path), FLOOR_SQL]
    done = subprocess.run([sys.executable, "-c", *args], check=True, capture_output=True,
                          text=True)
    seconds, rows = done.stdout.split()
    assert int(rows) > 0
    return float(seconds)


def ours(path: Path | str, name: str) -> tuple[float, float, int]:
    """(seconds, child max RSS in MiB, bytes of JSON) of one end-to-end `smr audit` run."""
    from peak import run  # beside this script, as `python benchmarks/...` runs it

    target = OUT / f"{name}.audit.json"
    # Through peak.py's launcher: this process may have just built a register of a million
    # credits, and a child started from it reports that size as its own peak.
    elapsed, peak_mib, code, stderr = run(
        [str(SMR), "--db", str(path), "audit", "--format", "json",
         "--as-of", AS_OF.strftime("%d-%m-%Y")], stdout=target, env={"SMR_ACTOR": "bench"})
    if code not in (0, 1):
        sys.exit(f"smr audit failed with exit code {code}: {stderr}")
    return elapsed, peak_mib, target.stat().st_size


def register_for(coaches: int, rebuild: bool) -> Path:
    path = OUT / f"bench-{coaches}.sqlite"
    if rebuild or not path.exists():
        build(path, coaches)
    return path


def on_postgresql(server: Any, path: Path, coaches: int, rebuild: bool) -> str:
    """The register of `path` on the PostgreSQL server, moved there with `smr db copy`."""
    name = f"smr_bench_audit_{coaches}"
    if rebuild or not server.exists(name):
        started = time.perf_counter()
        server.load(path, name)
        print(f"moved {path.name} to PostgreSQL with smr db copy in "
              f"{time.perf_counter() - started:.1f} s")
    return server.url_of(name)


def measure(register: Path | str, name: str, label: str) -> tuple[float, float, float, int]:
    """(floor s, ours s, child max RSS MiB, JSON bytes), printed on one line."""
    floor(register)  # warm the caches for both
    floor_s = min(floor(register) for _ in range(2))
    ours_s, rss, size = ours(register, name)
    print(f"{label}: floor {floor_s:6.2f} s   ours {ours_s:6.2f} s   "
          f"ratio {ours_s / floor_s:4.2f}   child max RSS {rss:7.1f} MiB   "
          f"JSON {size / 2**20:7.1f} MiB")
    return floor_s, ours_s, rss, size


def main() -> None:
    from bytecode import compile_package  # beside this script, as `python benchmarks/...` runs it

    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coaches", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=None,
                        help="coaches in the register for the memory comparison (default N/5)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the registers")
    parser.add_argument("--db", metavar="URL", help="A PostgreSQL server where the benchmark "
                        "may create databases: time the audit there too.")
    args = parser.parse_args()
    server = None
    if args.db:
        from postgres_server import Server

        server = Server(args.db)
    OUT.mkdir(parents=True, exist_ok=True)
    small = args.small or max(args.coaches // 5, 1)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    results, on_server = {}, {}
    for coaches in sorted({small, args.coaches}):
        path = register_for(coaches, args.rebuild)
        results[coaches] = measure(path, path.stem, f"{coaches:>9,} coaches, SQLite    ")
        if server is not None:
            url = on_postgresql(server, path, coaches, args.rebuild)
            on_server[coaches] = measure(url, f"{path.stem}-postgresql",
                                         f"{coaches:>9,} coaches, PostgreSQL")
            print(f"{coaches:>9,} coaches: PostgreSQL / SQLite "
                  f"{on_server[coaches][1] / results[coaches][1]:4.2f}x (target <= 1.3x)")
    for name, figures in (("SQLite", results), ("PostgreSQL", on_server)):
        if not figures:
            continue
        floor_s, ours_s, rss, _ = figures[args.coaches]
        small_rss = figures[small][2]
        print(f"{name}: target ratio <= 3: {'met' if ours_s / floor_s <= 3 else 'NOT met'} "
              f"({ours_s / floor_s:.2f}); memory {small:,} -> {args.coaches:,} coaches: "
              f"{small_rss:.1f} -> {rss:.1f} MiB")
    if server is not None:
        server.dispose()


if __name__ == "__main__":
    main()
