"""Record the output of every command in every format, to prove a redesign changed nothing.

    python tools/snapshot_outputs.py record DIR    # write one file per case into DIR
    python tools/snapshot_outputs.py compare DIR   # run again, list the cases that differ

Each case runs the real CLI (in-process, through Typer's CliRunner) on the demo register or on a
register built from the messy test sheets, with a fixed `--as-of`, `SOURCE_DATE_EPOCH` and actor.
A case's file holds the exit code, stdout, stderr and the sha256 of every file it wrote; clock
times of the run itself (import batches, history) are masked, since they cannot be fixed.
Write commands run on a fresh copy of their register, so the cases do not depend on each other.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

for _var in ("SMR_DB", "SMR_RULES", "SMR_FORMAT", "SMR_AS_OF", "SMR_LANG", "SMR_DEBUG"):
    os.environ.pop(_var, None)
ENV = {"SMR_ACTOR": "snapshot", "COLUMNS": "200", "SOURCE_DATE_EPOCH": "1764547200", "TZ": "UTC"}
os.environ.update(ENV)

from typer.testing import CliRunner  # noqa: E402

from smr_register.cli import app  # noqa: E402

AS_OF = "01-12-2026"
# Clock times of the run (batch "imported at", history "at"): masked, not compared.
_NOW = re.compile(r"20\d\d-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?"
                  r"|\d\d-\d\d-20\d\d \d\d:\d\d(:\d\d)?")


_NOW_REPR = re.compile(r"datetime\.datetime\((\d+), (\d+), (\d+)[^)]*\)")


def _mask(text: str, today: str) -> str:
    def stamp(m: re.Match[str]) -> str:
        year, month, day = (int(part) for part in m.groups())
        return "<now>" if f"{year:04}-{month:02}-{day:02}" == today else m.group(0)

    text = _NOW_REPR.sub(stamp, text)
    return _NOW.sub(lambda m: "<now>" if today in _iso(m.group(0)) else m.group(0), text)


def _iso(stamp: str) -> str:
    if re.match(r"\d\d-\d\d-\d{4}", stamp):
        return f"{stamp[6:10]}-{stamp[3:5]}-{stamp[0:2]}"
    return stamp


def _sheets(folder: Path) -> dict[str, Path]:
    """The messy attendance, agenda and coach sheets of the tests, written anew."""
    from openpyxl import Workbook

    from tests.import_fixtures import HEADER, MESSY_ROWS, TITLE_ROWS, write_csv
    from tests.test_import_sheets import AGENDA_HEADER, AGENDA_ROWS

    def xlsx(name: str, rows: list[list[object]]) -> Path:
        book = Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        path = folder / name
        book.save(path)
        return path

    formula = [*HEADER[:-1], '=HYPERLINK("http://x.invalid","klik")']
    return {
        "messy": xlsx("messy.xlsx", [*TITLE_ROWS, [], HEADER, *MESSY_ROWS]),
        "messy_csv": write_csv(folder / "messy.csv", MESSY_ROWS[:6]),
        "formula_csv": write_csv(folder / "formula.csv", MESSY_ROWS[:3], header=formula),
        "agenda": xlsx("agenda.xlsx", [[], AGENDA_HEADER, *AGENDA_ROWS]),
        "coaches": xlsx("coaches.xlsx", [
            ["Registratienummer", "Achternaam", "Voorletters", "Geboortedatum", "Ingeschreven"],
            ["300001", "Visser", "T.", "01-01-1980", "01-02-2024"],
            ["300002", "", "K.", "01-01-1981", "01-02-2024"],
            ["300001", "Visser", "T.", "01-01-1980", "01-02-2024"],
            ["300003", "Bos", "A.", "31-02-1981", "01-02-2024"],
        ]),
    }


_SHEET_FILES = {"messy": "messy.xlsx", "messy_csv": "messy.csv", "formula_csv": "formula.csv",
                "agenda": "agenda.xlsx", "coaches": "coaches.xlsx"}


def _cases(demo: Path, messy: Path, sheets: dict[str, Path], out: Path
           ) -> list[tuple[str, Path, list[str], dict[str, str]]]:
    """(name, register, arguments, extra environment) for every case."""
    a = ["--as-of", AS_OF]
    cases: list[tuple[str, Path, list[str], dict[str, str]]] = []

    def add(name: str, args: list[str], db: Path = demo, env: dict[str, str] | None = None
            ) -> None:
        cases.append((name, db, args, env or {}))

    for fmt in ("table", "json", "csv"):
        add(f"coach-list-{fmt}", ["coach", "list", "--format", fmt, *a])
        add(f"agenda-list-{fmt}", ["agenda", "list", "--format", fmt])
        add(f"provider-list-{fmt}", ["agenda", "provider", "list", "--format", fmt])
        add(f"intervention-list-{fmt}", ["intervention", "list", "--format", fmt])
        add(f"exception-list-{fmt}", ["exception", "list", "--format", fmt])
        add(f"supervisor-list-{fmt}", ["supervisor", "list", "--format", fmt])
        add(f"history-{fmt}", ["history", "004512", "--format", fmt])
        add(f"import-list-{fmt}", ["import", "list", "--format", fmt], messy)
        add(f"import-show-{fmt}", ["import", "show", "1", "--format", fmt], messy)
        add(f"import-review-{fmt}", ["import", "review", "--format", fmt], messy)
    for fmt in ("table", "json"):
        add(f"coach-show-{fmt}", ["coach", "show", "004512", "--format", fmt])
        add(f"coach-show-nl-{fmt}", ["--lang", "nl", "coach", "show", "004512", "--format", fmt])
        add(f"audit-one-{fmt}", ["audit", "100541", "--format", fmt, *a])
        add(f"audit-one-nl-{fmt}", ["--lang", "nl", "audit", "100541", "--format", fmt, *a])
        add(f"renew-batch-dry-{fmt}", ["renew", "--due-within", "120", "--dry-run",
                                       "--format", fmt, *a])
        add(f"renew-batch-{fmt}", ["renew", "--due-within", "120", "--format", fmt, *a])
        add(f"compare-rules-{fmt}", ["audit", "--compare-rules", str(ROOT / "data/rules.toml"),
                                     "--format", fmt, *a])
        add(f"sample-{fmt}", ["audit", "--sample", "10", "--seed", "2026", "--format", fmt, *a])
    add("coach-list-search", ["coach", "list", "--status", "active", "--search", "berg", *a])
    add("coach-list-nl", ["--lang", "nl", "coach", "list", *a])
    add("coach-list-smr-format-json", ["coach", "list", *a], env={"SMR_FORMAT": "json"})
    add("coach-list-smr-format-xlsx", ["coach", "list", *a], env={"SMR_FORMAT": "xlsx"})
    add("stats-smr-format-json", ["report", "stats", *a], env={"SMR_FORMAT": "json"})
    add("notices-smr-format-json", ["report", "notices", *a], env={"SMR_FORMAT": "json"})
    for fmt in ("table", "json", "csv", "xlsx"):
        o = ["--output", str(out / f"audit.{fmt}")] if fmt == "xlsx" else []
        add(f"audit-{fmt}", ["audit", "--format", fmt, *o, *a])
        add(f"audit-nl-{fmt}", ["--lang", "nl", "audit", "--format", fmt, *o, *a])
        o = ["--output", str(out / f"expiry.{fmt}")] if fmt == "xlsx" else []
        add(f"expiry-{fmt}", ["report", "expiry", "--within", "182", "--format", fmt, *o, *a])
    add("audit-status", ["audit", "--status", "at-risk,non-compliant", "--due-within", "90", *a])
    add("audit-json-output", ["audit", "--format", "json", "--output",
                              str(out / "audit-out.json"), *a])
    add("expiry-csv-output", ["report", "expiry", "--format", "csv", "--output",
                              str(out / "expiry-out.csv"), *a])
    for fmt in ("csv", "json"):
        for lang in ("nl", "en"):
            add(f"notices-{fmt}-{lang}", ["report", "notices", "--format", fmt, "--lang", lang,
                                          *a])
    for fmt in ("csv", "json", "xlsx"):
        o = ["--output", str(out / f"public.{fmt}")] if fmt == "xlsx" else []
        add(f"public-{fmt}", ["report", "public", "--format", fmt, *o, *a])
    for fmt in ("table", "json", "xlsx"):
        o = ["--output", str(out / f"stats.{fmt}")] if fmt == "xlsx" else []
        add(f"stats-{fmt}", ["report", "stats", "--format", fmt, *o, *a])
    add("publish", ["publish", "--output", str(out / "site"), *a])
    add("publish-nl", ["--lang", "nl", "publish", "--output", str(out / "site"), *a])
    add("renew-one-dry", ["renew", "101170", "--dry-run", *a])
    add("renew-one", ["renew", "101170", *a])
    add("privacy-export", ["privacy", "export", "004512", *a])
    add("privacy-purge-dry", ["privacy", "purge", "--inactive-years", "6", "--dry-run", *a])
    add("privacy-purge", ["privacy", "purge", "--inactive-years", "6", *a])
    add("db-status", ["db", "status"])
    add("init-again", ["init"])
    # imports on the small register of the import tests
    for fmt in ("table", "json"):
        add(f"import-messy-{fmt}", ["import", "attendance", str(sheets["messy"]),
                                    "--provider", "Trimbos-instituut", "--format", fmt,
                                    "--report", str(out / f"report-{fmt}.xlsx")], messy)
        add(f"import-messy-dry-{fmt}", ["import", "attendance", str(sheets["messy"]),
                                        "--dry-run", "--format", fmt], messy)
        add(f"import-agenda-{fmt}", ["agenda", "import", str(sheets["agenda"]),
                                     "--format", fmt], messy)
        add(f"import-coaches-{fmt}", ["coach", "import", str(sheets["coaches"]),
                                      "--format", fmt], messy)
    add("import-messy-csv", ["import", "attendance", str(sheets["messy_csv"])], messy)
    add("import-formula-csv", ["import", "attendance", str(sheets["formula_csv"]), "--report",
                               str(out / "formula-report.xlsx")], messy)
    add("import-messy-nl", ["--lang", "nl", "import", "attendance", str(sheets["messy"])], messy)
    add("import-undo", ["import", "undo", "1", "--reason", "test"], messy)
    add("import-resolve", ["import", "resolve", "1:8", "--coach", "100300"], messy)
    add("import-resolve-reject", ["import", "resolve", "1:8", "--reject", "niet deze"], messy)
    # bad input
    add("bad-as-of", ["audit", "--as-of", "31-02-2026"])
    add("bad-coach", ["audit", "999999", *a])
    add("bad-file", ["import", "attendance", str(out / "missing.xlsx")], messy)
    add("bad-output-dir", ["audit", "--format", "csv", "--output", str(out / "no/such.csv"), *a])
    add("bad-xlsx-no-output", ["audit", "--format", "xlsx", *a])
    add("bad-table-output", ["audit", "--format", "table", "--output", str(out / "t.txt"), *a])
    add("bad-course", ["credit", "add", "004512", "--course", "NOPE", "--date", "01-01-2026"])
    add("coach-add", ["coach", "add", "--reg-no", "777777", "--last-name", "Nieuw",
                      "--registered", "01-01-2020"])
    add("coach-add-dup", ["coach", "add", "--reg-no", "004512", "--last-name", "Dubbel",
                          "--registered", "01-01-2020"])
    return cases


def _prepare(work: Path, inputs: Path) -> tuple[Path, Path, dict[str, Path]]:
    from tests.import_fixtures import build_register

    runner = CliRunner(env=ENV)
    demo = work / "demo.sqlite"
    result = runner.invoke(app, ["--db", str(demo), "init", "--demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    messy = work / "messy.sqlite"
    runner.invoke(app, ["--db", str(messy), "init"], catch_exceptions=False)

    def run(*args: str) -> object:
        return runner.invoke(app, ["--db", str(messy), *args], catch_exceptions=False)

    build_register(run)
    # openpyxl stamps a workbook with the clock: the sheets are written once, at record time,
    # and kept beside the outputs, so their sha256 (which reports print) stays the same.
    if not inputs.exists():
        inputs.mkdir(parents=True)
        _sheets(inputs)
    sheets = {}
    for key, name in _SHEET_FILES.items():
        sheets[key] = work / name
        shutil.copyfile(inputs / name, sheets[key])
    result = runner.invoke(app, ["--db", str(messy), "import", "attendance",
                                 str(sheets["messy"]), "--provider", "Trimbos-instituut"])
    assert result.exit_code in (0, 1), result.output
    return demo, messy, sheets


def _xlsx_text(path: Path) -> str:
    """Every cell with its type and number format, and each sheet's settings: a readable diff
    where the sha256 alone would only say that something changed (or that a clock time did)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    lines = [f"active sheet: {book.active.title}"]
    for sheet in book.worksheets:
        lines.append(f"sheet {sheet.title!r} freeze={sheet.freeze_panes} "
                     f"filter={sheet.auto_filter.ref} orientation={sheet.page_setup.orientation} "
                     f"fit={sheet.page_setup.fitToWidth} titles={sheet.print_title_rows}")
        for row in sheet.iter_rows():
            lines.extend(f"  {cell.coordinate} {cell.data_type} {cell.number_format!r} "
                         f"{cell.value!r}" for cell in row if cell.value is not None)
    return "\n".join(lines)


def _run_case(runner: CliRunner, work: Path, register: Path, args: list[str],
              env: dict[str, str], out: Path, today: str) -> str:
    copy = work / "case.sqlite"
    shutil.copyfile(register, copy)
    for stale in out.iterdir():
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    result = runner.invoke(app, ["--db", str(copy), *args], env={**ENV, **env})
    parts = [f"exit: {result.exit_code}", "--- stdout", result.stdout, "--- stderr",
             result.stderr]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        parts += ["--- exception", repr(result.exception)]
    for written in sorted(path for path in out.rglob("*") if path.is_file()):
        name = written.relative_to(out).as_posix()  # a folder's files too (smr publish)
        if written.suffix == ".xlsx":  # the cells: a report's clock time would change the sha
            parts += [f"--- file {name}", _xlsx_text(written)]
        else:
            digest = hashlib.sha256(written.read_bytes()).hexdigest()
            parts += [f"--- file {name} sha256 {digest}"]
    text = "\n".join(parts).replace(str(work), "<work>")
    return _mask(text, today)


def snapshot(inputs: Path, run_case: Callable[[str], None] | None = None) -> dict[str, str]:
    """Every case's output, by name."""
    from datetime import date

    today = date.today().isoformat()  # noqa: DTZ011 - masking the run's own clock times
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "out"
        out.mkdir()
        demo, messy, sheets = _prepare(work, inputs)
        runner = CliRunner(env=ENV)
        results = {}
        for name, register, args, env in _cases(demo, messy, sheets, out):
            results[name] = _run_case(runner, work, register, args, env, out, today)
            if run_case:
                run_case(name)
        return results


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print(__doc__)
        return 2
    folder = Path(argv[1])
    results = snapshot(folder / "inputs")
    if argv[0] == "record":
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in results.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        print(f"recorded {len(results)} cases in {folder}")
        return 0
    differ = []
    for name, text in results.items():
        path = folder / f"{name}.txt"
        if not path.exists():
            differ.append(f"{name}: new case")
        elif path.read_text(encoding="utf-8") != text:
            differ.append(name)
            (folder / f"{name}.now.txt").write_text(text, encoding="utf-8")
    for line in differ:
        print(f"differs: {line}")
    print(f"{len(results) - len(differ)} of {len(results)} cases identical"
          + (f"; the new outputs are beside the old as NAME.now.txt in {folder}" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
