"""Under `--lang nl` everything a person reads is Dutch: every command's tables, summaries and
errors on the demo register, and the help of every command. The test looks for English
giveaway words; what stays English on purpose is allowed by name (options, commands, the
values a script or an option takes, proper names)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smr_register.cli import LAZY_GROUPS, app

# Words that are English and not Dutch (Dutch shares "is", "in", "of", "status", "coaches").
GIVEAWAYS = (
    "the", "and", "with", "not", "points?", "hours", "days?", "years?", "left", "held",
    "rejected", "credited", "compliant", "due", "expired", "suspended", "withdrawn", "active",
    "registration", "registered", "period", "show", "only", "none", "yes", "no", "true", "false",
    "from", "until", "since", "renewed", "would", "written", "nothing", "file", "error", "must",
    "cannot", "found", "rows?", "batch", "report", "course", "spread", "practice", "pregnancy",
    "psychiatric", "unknown", "name", "date", "new", "list", "for", "to", "on", "by", "an",
    "are", "has", "have", "this", "that", "which", "each", "every", "when", "where", "why",
    "what", "who", "already", "added", "updated", "removed", "recorded", "missing", "skipped",
    "duplicate", "sheet", "header", "column", "value", "reason", "message", "profiles?",
    "state", "findings?", "empty", "after", "before", "today", "default", "number", "options",
    "arguments", "commands", "required", "written", "renewal", "notice", "supervisees",
    "usage",
)
_GIVEAWAY = re.compile(r"(?<![\w-])(" + "|".join(GIVEAWAYS) + r")(?![\w-])", re.IGNORECASE)

# Taken out before looking: what a person types or a script reads, not what they read.
_MACHINE = re.compile(
    r"--[\w-]+"                       # options
    r"|'smr [^']*'|\bsmr(?: [a-z-]+)*"  # commands
    r"|\bSMR_\w+"                     # environment variables
    r"|<[^>]*>"                       # Typer's placeholders of option values
    r"|\b[A-Z][A-Z_]+(?:=[A-Z_]+)?\b"  # placeholders in help: DATE, FILE, REG_NO, HEADER=COLUMN
    r"|\[[\w.-]+(?:\|[\w.-]+)+\]"     # an option's choices in help: values people type
    r"|\S+\.(?:toml|py|csv|json|xlsx|xls|xlsb|ods|sqlite)\b"  # file names
    r"|\b\w+://\S+"                   # URLs
    r"|\b[a-z_]+\[\d+\]"              # dossier csv sections
    r"|\{[a-z_]+\}"                   # Typer's placeholders of arguments
    r"|^[\s│*]*[a-z][a-z_-]*(?=\s{2,})"  # the name of a command or an argument in help
    r"|[\w.-]+ \((?=[^()]*\))",        # a value to type, followed by its Dutch meaning
    re.MULTILINE)
# Proper names and examples people type.
ALLOWED = ("'van der'",)


def english_words(text: str) -> list[tuple[str, list[str]]]:
    """The lines of `text` with English giveaway words, and those words."""
    found = []
    for line in text.splitlines():
        clean = line
        for allowed in ALLOWED:
            clean = clean.replace(allowed, "")
        clean = _MACHINE.sub(" ", clean)
        words = sorted({w.lower() for w in _GIVEAWAY.findall(clean)})
        if words:
            found.append((line.strip(), words))
    return found


def test_the_giveaway_finder_finds_english_and_leaves_dutch() -> None:
    assert english_words("basisprofiel not held") == [("basisprofiel not held", ["held", "not"])]
    assert english_words("2 days left")[0][1] == ["days", "left"]
    assert english_words("U heeft 9 van de 15 punten; status is voldoet niet") == []
    assert english_words("Zie 'smr import review' of --due-within") == []


@pytest.fixture
def nl(runner: CliRunner, demo_db: Any) -> Any:
    """`nl("coach", "list")`: run smr in Dutch on the demo register; stdout and stderr."""

    def invoke(*args: str, env: dict[str, str] | None = None, lang: bool = True) -> str:
        result = runner.invoke(app, [*(["--lang", "nl"] if lang else []), "--db", str(demo_db),
                                     *args], env=env)
        assert result.exit_code in (0, 1, 2, 3, 4), (args, result.output)
        return result.stdout + result.stderr

    return invoke


READING = [
    ("audit", "--as-of", "01-12-2026"),
    ("audit", "--as-of", "01-12-2026", "--status", "at-risk,non-compliant"),
    ("audit", "103627", "--as-of", "01-12-2026"),
    ("audit", "--as-of", "01-12-2026", "--sample", "10"),
    ("renew", "--due-within", "90", "--dry-run", "--as-of", "01-12-2026"),
    ("coach", "list"),
    ("supervisor", "list"),
    ("agenda", "list"),
    ("agenda", "provider", "list"),
    ("intervention", "list"),
    ("exception", "list"),
    ("import", "list"),
    ("import", "review"),
    ("report", "public", "--format", "table"),
    ("report", "expiry", "--as-of", "01-12-2026"),
    ("report", "stats", "--as-of", "01-12-2026"),
    ("privacy", "purge", "--dry-run"),
    ("db", "status"),
    ("db", "check"),
]


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_reading_commands_speak_dutch(nl: Any, args: tuple[str, ...]) -> None:
    assert english_words(nl(*args)) == []


def test_coach_show_section_titles_speak_dutch(nl: Any) -> None:
    shown = nl("coach", "show", "103627")
    assert "Registratieperiodes" in shown and "Punten per jaar" in shown
    assert "Registration periods" not in shown and "Credits: none" not in shown
    titles = [line for line in shown.splitlines() if line and line[0].isalpha()]
    assert english_words("\n".join(titles)) == []


WRITING = [
    ("coach", "add", "--reg-no", "990001", "--last-name", "Bakker", "--registered",
     "01-01-2026"),
    ("coach", "edit", "990001", "--city", "Utrecht"),
    ("coach", "hours", "990001", "--year", "2026", "--hours", "12,5"),
    ("coach", "suspend", "990001", "--reason", "klacht"),
    ("coach", "reinstate", "990001", "--reason", "klacht afgehandeld"),
    ("agenda", "provider", "add", "--name", "Scholing Noord"),
    ("agenda", "course", "add", "--code", "SN-1", "--title", "Basis", "--provider",
     "Scholing Noord", "--points", "2,5", "--accredited-from", "01-01-2026",
     "--accredited-until", "31-12-2026"),
    ("agenda", "run", "add", "--course", "SN-1", "--date", "15-03-2026"),
    ("credit", "add", "990001", "--course", "SN-1", "--date", "15-03-2026", "--reason", "lijst"),
    ("credit", "add", "990001", "--course", "SN-1", "--date", "15-03-2026", "--reason", "lijst"),
    ("credit", "remove", "990001", "--course", "SN-1", "--date", "15-03-2026", "--reason",
     "fout"),
    # errors: a usage error, an unknown coach, a date before another
    ("coach", "show", "999999"),
    ("audit", "103627", "--status", "due"),
    ("agenda", "course", "add", "--code", "SN-2", "--title", "X", "--provider",
     "Scholing Noord", "--points", "1", "--accredited-from", "01-01-2026",
     "--accredited-until", "31-12-2025"),
    ("coach", "add", "--reg-no", "990002", "--last-name", "Smit", "--registered", "32-01-2026"),
    # the dated acts' refusals
    ("coach", "suspend", "990001", "--reason", "klacht", "--from", "01-06-2026", "--until",
     "01-05-2026"),
    ("coach", "profile", "990001", "remove", "basisprofiel", "--reason", "fout"),
    ("exception", "end", "999", "--on", "01-06-2026", "--reason", "klaar"),
    ("audit", "990001", "--as-of", "01-01-2020"),
]


def test_writing_commands_and_their_errors_speak_dutch(nl: Any) -> None:
    said = [(args, nl(*args)) for args in WRITING]
    assert "'31-12-2025' ligt voor --accredited-from 01-01-2026" in said[13][1]
    assert "ligt vóór --from 01-06-2026" in said[15][1]
    assert "2,5 punten" in said[8][1]
    for args, text in said:
        assert english_words(text) == [], args


def test_import_summary_report_and_reasons_speak_dutch(nl: Any, make_xlsx: Any,
                                                        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sheet = make_xlsx([["Registratienummer", "Achternaam", "Cursuscode", "Datum", "Punten"],
                       ["103627", "de Jong", "ARZ-110", "16-11-2022", "3"],
                       ["999999", "Onbekend", "ARZ-110", "16-11-2022", "3"],
                       ["103627", "de Jong", "XXX-999", "16-11-2022", "3"]])
    report = tmp_path / "rapport.xlsx"
    said = nl("import", "attendance", str(sheet), "--report", str(report))
    assert english_words(said) == []
    cells = [str(c.value) for row in load_workbook(report).worksheets[-1].iter_rows()
             for c in row if c.value is not None]
    values = "\n".join(cells[cells.index("Toelichting") + 1:])
    assert "afgewezen" in values and "onbekende coach" in values
    assert "rejected" not in values and "unknown-coach" not in values
    assert "not in the register" not in values


def _command_paths() -> list[tuple[str, ...]]:
    """Every group and command of smr, as the words that name it."""
    import typer

    from smr_register import cli

    paths: list[tuple[str, ...]] = [()]

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if not hasattr(command, "list_commands"):
            return
        ctx = command.context_class(command)  # a group builds its commands when asked for
        for name in command.list_commands(ctx):
            paths.append((*path, name))
            walk(command.get_command(ctx, name), (*path, name))

    root = typer.main.get_command(app)
    walk(root, ())
    for name in LAZY_GROUPS:
        paths.append((name,))
        walk(cli.load_group(name), (name,))
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "smr")
def test_help_of_every_command_speaks_dutch(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = runner.invoke(app, ["--lang", "nl", *path, "--help"])
    assert result.exit_code == 0, result.output
    # an option's help wraps onto indented lines: read it as the one line it is
    assert english_words(re.sub(r"\n {4,}(?=\S)", " ", result.stdout)) == []


def test_help_follows_smr_lang(runner: CliRunner) -> None:
    result = runner.invoke(app, ["audit", "--help"], env={"SMR_LANG": "nl"})
    assert "Peildatum" in result.stdout and "Evaluation date" not in result.stdout
    english = runner.invoke(app, ["audit", "--help"], env={"SMR_LANG": "en"})
    assert "Evaluation date" in english.stdout


def test_machine_formats_keep_english_slugs_and_machine_numbers(runner: CliRunner,
                                                               demo_db: Any) -> None:
    import json

    def machine(*args: str) -> str:
        return runner.invoke(app, ["--lang", "nl", "--db", str(demo_db), *args]).stdout

    document = json.loads(machine("audit", "103627", "--as-of", "01-12-2026", "--format", "json"))
    assert document["coaches"][0]["status"] == "at-risk"
    csv = machine("coach", "list", "--format", "csv")
    assert ",active," in csv and "actief" not in csv


def test_plurals_in_both_languages(runner: CliRunner, demo_db: Any) -> None:
    from smr_register.domain.i18n import use_language
    from smr_register.domain.wording import sentence

    words = {"required_from": "01-09-2022", "deadline": "01-09-2025"}
    try:
        use_language("en")
        assert "have 1 day left" in sentence("basisprofiel.transition", count=1, days=1, **words)
        assert "have 2 days left" in sentence("basisprofiel.transition", count=2, days=2,
                                              **words)
        use_language("nl")
        one = sentence("basisprofiel.transition", count=1, days=1, **words)
        two = sentence("basisprofiel.transition", count=2, days=2, **words)
        assert "1 dag" in one and "dagen" not in one and "2 dagen" in two
    finally:
        use_language(None)

    def smr(*args: str) -> str:
        result = runner.invoke(app, ["--db", str(demo_db), *args])
        return result.stdout + result.stderr

    smr("agenda", "provider", "add", "--name", "Een")
    smr("agenda", "course", "add", "--code", "E-1", "--title", "Een punt", "--provider", "Een",
        "--points", "1", "--accredited-from", "01-01-2026", "--accredited-until", "31-12-2026")
    smr("agenda", "run", "add", "--course", "E-1", "--date", "02-02-2026")
    said = smr("credit", "add", "103627", "--course", "E-1", "--date", "02-02-2026",
               "--reason", "lijst")
    assert "with 1 point for E-1" in said
    said = smr("--lang", "nl", "credit", "remove", "103627", "--course", "E-1", "--date",
               "02-02-2026", "--reason", "fout")
    assert english_words(said) == []
    said = smr("--lang", "nl", "credit", "add", "103627", "--course", "E-1", "--date",
               "02-02-2026", "--reason", "lijst")
    assert "1 punt gekregen" in said
