"""Speed of `smr agenda import` and `smr coach import`, per row, beside the attendance importer.

A register of 20,000 coaches and 2,000 runs (bench_import's), then in the same run:
  attendance  `smr import attendance` of a 15,000-row sheet (the reference: seconds per row),
  agenda      `smr agenda import` of a 4,500-row agenda sheet (1,500 new courses, 3 runs each),
  coaches     `smr coach import` of a 5,000-row sheet of new coaches,
each end to end on a fresh copy of the register, best of --runs taken in turns. Target: each
within 2x the attendance importer's time per row. Also printed: the ratio within each turn and
its median (this machine's speed wanders by 10-20% over seconds; a best-of ratio can rest on
one lucky run of the attendance import).

Run: python benchmarks/bench_sheets.py [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench_import() -> object:
    spec = importlib.util.spec_from_file_location("bench_import", HERE / "bench_import.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Blad1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def agenda_rows(count: int, rnd: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    course = 0
    while len(rows) < count:
        course += 1
        start = date(2025, 1, 1) + timedelta(days=rnd.randint(0, 300))
        points = rnd.choice(["1", "1,5", "2", "3"])
        rows.extend([f"N-{course:05d}", f"Nieuwe cursus {course}", "Bench B.V.", points, start,
                     start + timedelta(days=700), start + timedelta(days=40 + 120 * run),
                     "basisprofiel"] for run in range(3))
    return rows[:count]


def coach_rows(count: int, rnd: random.Random) -> list[list[object]]:
    return [[f"{900000 + n:06d}", f"Nieuw{n}", None, f"{rnd.choice('ABCDEFGHJK')}.",
             date(1960, 1, 1) + timedelta(days=rnd.randint(0, 15000)),
             f"nieuw{n}@example.nl", date(2024, 1, 1) + timedelta(days=rnd.randint(0, 600))]
            for n in range(count)]


def timed(register: Path, work: Path, args: list[str]) -> float:
    copy = work / "copy.sqlite"
    shutil.copyfile(register, copy)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "smr_register", "--db", str(copy), *args],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr}")
    return seconds


def main() -> None:
    from bytecode import compile_package  # beside this script, as `python benchmarks/...` runs it

    compile_package()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench = _bench_import()
    bench.ROWS = 15_000  # type: ignore[attr-defined]
    rnd = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        register = work / "register.sqlite"
        coaches, runs = bench.build_register(register, rnd)  # type: ignore[attr-defined]
        attendance = work / "attendance.xlsx"
        bench.write_xlsx(attendance, bench.attendance_rows(coaches, runs, rnd))  # type: ignore[attr-defined]
        agenda = _xlsx(work / "agenda.xlsx",
                       ["Cursuscode", "Titel", "Aanbieder", "Punten", "Geaccrediteerd van",
                        "Geaccrediteerd tot", "Datum uitvoering", "Profiel"],
                       agenda_rows(4500, rnd))
        new_coaches = _xlsx(work / "coaches.xlsx",
                            ["Registratienummer", "Achternaam", "Tussenvoegsel", "Voorletters",
                             "Geboortedatum", "E-mail", "Registratiedatum"],
                            coach_rows(5000, rnd))
        cases = [("attendance", ["import", "attendance", str(attendance)], 15_000),
                 ("agenda", ["agenda", "import", str(agenda)], 4_500),
                 ("coaches", ["coach", "import", str(new_coaches)], 5_000)]
        # In turns (attendance, agenda, coaches, attendance, ...): this machine has slow spells
        # of seconds, and the reference must be timed in the same conditions as the figures.
        samples: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, command, _ in cases:
                samples[name].append(timed(register, work, command))
        per_row = {}
        for name, _, rows in cases:
            times = samples[name]
            per_row[name] = min(times) / rows
            print(f"{name:10s} {rows:6,} rows  best {min(times):6.2f} s  "
                  f"{per_row[name] * 1e6:7.1f} us/row  runs: "
                  f"{', '.join(f'{t:.2f}' for t in times)}")
        for name, _, rows in cases[1:]:
            ratio = per_row[name] / per_row["attendance"]
            # The same ratio within each turn, whose runs share the machine's spell: its median
            # does not hang on one lucky run of either import.
            turns = sorted(times / rows / (reference / 15_000) for times, reference
                           in zip(samples[name], samples["attendance"], strict=True))
            print(f"{name:10s} per row = {ratio:.2f}x the attendance importer's (target <= 2x): "
                  f"{'met' if ratio <= 2 else 'NOT met'}; within each turn "
                  f"{', '.join(f'{t:.2f}' for t in turns)}, median "
                  f"{turns[len(turns) // 2]:.2f}x")


if __name__ == "__main__":
    main()
