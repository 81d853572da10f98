"""`smr publish`: the files of the public website — content, privacy, repeatability, atomicity.

What a person sees in a browser is tested in test_publish_browser.py; here the files themselves.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from smr_register.errors import ExitCode
from tests.fixtures import Run
from tests.fixtures.registers import query

AS_OF = "01-12-2026"
PAGES = ("index.html", "interventies.html", "scholingsagenda.html")
FILES = {*PAGES, "site.css", "site.js", "register.json", "register.csv"}


def publish(run: Run, db: Path, target: Path, as_of: str = AS_OF) -> None:
    result = run("publish", "--output", str(target), "--as-of", as_of, db=db)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Published the public register as of" in result.stderr
    assert result.stdout == ""


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def text_of(html: str) -> str:
    """What a reader sees of some HTML: the text without its tags."""
    return re.sub(r"<[^>]+>", "", html)


def csv_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "register.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo register's website as of 01-12-2026 (written once; tests only read it)."""
    from typer.testing import CliRunner

    from smr_register.cli import app

    target = tmp_path_factory.mktemp("published") / "site"
    result = CliRunner().invoke(app, ["--db", str(demo_template), "publish", "--output",
                                      str(target), "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the site (tmp_path holds the test's register too)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# ---- what is published ----------------------------------------------------------------------


def test_the_site_is_its_pages_style_script_and_open_data(site: Path) -> None:
    assert set(files_of(site)) == FILES
    for name in PAGES:
        page = (site / name).read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>\n<html lang=\"nl\">")
        assert 'Stand van <time datetime="2026-12-01">01-12-2026</time>' in page
        assert page.count("<h1>") == 1


def test_no_file_asks_for_anything_from_elsewhere(site: Path) -> None:
    for name, content in files_of(site).items():
        if name.startswith("register."):
            continue
        text = content.decode("utf-8")
        for pattern in (r"https?://", r"""(src|href)=["']?//""", r"url\(", r"@import"):
            assert not re.search(pattern, text), f"{name}: {pattern}"


def test_exactly_the_coaches_of_the_public_register(site: Path, run: Run,
                                                   demo_template: Path) -> None:
    public = run("report", "public", "--format", "json", "--as-of", AS_OF, db=demo_template)
    expected = json.loads(public.stdout)["coaches"]
    rows = csv_rows(site)
    assert [row["name"] for row in rows] == [row["name"] for row in expected]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li id="c(\d+)"', index) == [row["reg_no"] for row in rows]
    for row in rows:  # what the card says
        assert f"Registratienummer {row['reg_no']}<br>Geregistreerd tot en met " in index
    assert "Registratienummer 004512<br>Geregistreerd tot en met 24-01-2028" in index


def test_suspended_withdrawn_and_expired_coaches_are_not_published(site: Path,
                                                                  demo_template: Path) -> None:
    listed = {row["reg_no"] for row in csv_rows(site)}
    everyone = {reg_no for (reg_no,) in query(demo_template, "SELECT reg_no FROM coach")}
    left_out = everyone - listed
    spells = dict(query(demo_template, "SELECT reg_no, state FROM coach JOIN coach_state "
                                       "ON coach_state.coach_id = coach.id"))
    assert {spells.get(reg_no, "active") for reg_no in left_out} >= {
        "suspended", "withdrawn", "active"}
    text = "\n".join(content.decode("utf-8") for content in files_of(site).values())
    for reg_no in left_out:
        assert not re.search(rf"\b{reg_no}\b", text), reg_no


def test_dutch_name_order(site: Path, demo_template: Path) -> None:
    from smr_register.domain.values import sort_name

    names = {reg_no: sort_name(last, prefix, initials) for reg_no, last, prefix, initials
             in query(demo_template, "SELECT reg_no, last_name, prefix, initials FROM coach")}
    order = [row["reg_no"] for row in csv_rows(site)]
    assert order == sorted(order, key=lambda reg_no: (names[reg_no], reg_no))
    index = (site / "index.html").read_text(encoding="utf-8")
    # on the last name without the prefix: "van den Berg" under B, "el Idrissi" under I
    assert (index.index("<h3>G. van den Berg</h3>") < index.index("<h3>L. el Idrissi</h3>")
            < index.index("<h3>S.W. Smit</h3>"))


def test_open_data_carries_the_same_public_fields(site: Path) -> None:
    from smr_register.services.publish import PUBLIC_COACH_FIELDS

    assert PUBLIC_COACH_FIELDS == ("reg_no", "name", "practice", "postcode", "city", "province",
                                   "registered_until", "profiles", "interventions",
                                   "renewed_until")
    document = json.loads((site / "register.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == 1
    assert document["as_of"] == "2026-12-01"
    rows = csv_rows(site)
    assert list(rows[0]) == ["schema_version", "as_of", *PUBLIC_COACH_FIELDS]
    assert {row["schema_version"] for row in rows} == {"1"}
    assert [coach["reg_no"] for coach in document["coaches"]] == [r["reg_no"] for r in rows]
    first = document["coaches"][0]
    assert set(first) == set(PUBLIC_COACH_FIELDS)
    idrissi = next(c for c in document["coaches"] if c["reg_no"] == "004512")
    assert idrissi == {"reg_no": "004512", "name": "L. el Idrissi",
                       "practice": "Rookvrij Coaching Breda", "postcode": "4828 CM",
                       "city": "Breda", "province": "Noord-Brabant",
                       "registered_until": "2028-01-24", "profiles": ["basisprofiel"],
                       "interventions": [], "renewed_until": None}
    profiles = {p for coach in document["coaches"] for p in coach["profiles"]}
    assert profiles <= {"basisprofiel", "pregnancy", "psychiatric", "smr-extra"}
    assert {item["name"] for item in document["interventions"]} >= {"Pakje Kans"}
    assert len(document["courses"]) == 46


def test_interventions_page(site: Path, demo_template: Path) -> None:
    page = (site / "interventies.html").read_text(encoding="utf-8")
    names = [name for (name,) in query(demo_template, "SELECT name FROM intervention")]
    assert all(f"<h3>{name}</h3>" in page for name in names)
    ended = query(demo_template, "SELECT name, listed_until FROM intervention "
                                 "WHERE listed_until IS NOT NULL")
    assert ended, "the demo has an intervention no longer listed"
    assert page.index("Niet meer opgenomen") < page.index(f"<h3>{ended[0][0]}</h3>")
    delivering = query(demo_template, """
        SELECT COUNT(*) FROM coach_intervention ci JOIN intervention i
        ON i.id = ci.intervention_id WHERE i.name = 'Pakje Kans'""")[0][0]
    listed = sum("Pakje Kans" in row["interventions"] for row in csv_rows(site))
    assert 0 < listed <= delivering
    assert (f'<a href="index.html?zoek=%22Pakje+Kans%22">{listed} coaches bieden deze '
            f"interventie aan</a>") in page


def test_training_agenda_page(site: Path) -> None:
    page = (site / "scholingsagenda.html").read_text(encoding="utf-8")
    assert page.count('<li id="') == 46
    course = page[page.index('<li id="ZDB-407" class="ended">'):]
    course = text_of(course[:course.index("</details>")])
    assert "Accreditatie verlopen: geaccrediteerd van 01-01-2019 tot en met 31-12-2023." in course
    assert "Aanbieder: Zorgopleidingen De Brug" in course
    current = text_of(page[page.index('<li id="ARZ-111">'):])
    assert "Geaccrediteerd van 01-01-2019 tot en met 30-06-2027." in current
    assert "2,5 punten · telt voor basisprofiel" in current


class _Outline(HTMLParser):
    """Heading levels in order, and which form controls have a label."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.labelled: set[str] = set()
        self.controls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.labelled.add(str(attributes["for"]))
        if tag in ("input", "select", "textarea"):
            self.controls.append(str(attributes.get("id")))


@pytest.mark.parametrize("name", PAGES)
def test_headings_in_order_and_every_field_labelled(site: Path, name: str) -> None:
    outline = _Outline()
    outline.feed((site / name).read_text(encoding="utf-8"))
    assert outline.levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(outline.levels, outline.levels[1:], strict=False))
    assert set(outline.controls) <= outline.labelled


# ---- privacy ------------------------------------------------------------------------------


def _private_values(db: Path) -> dict[str, set[str]]:
    """Every private value the register holds, by kind, in the forms a file could carry."""
    values: dict[str, set[str]] = {}
    for birth, email, phone, big, agb, first in query(db, """
            SELECT birth_date, email, phone, big, agb, first_name FROM coach"""):
        if birth:
            year, month, day = str(birth).split("-")
            values.setdefault("birth date", set()).update({birth, f"{day}-{month}-{year}"})
        for kind, value in (("e-mail", email), ("phone", phone), ("BIG", big), ("AGB", agb),
                            ("first name", first)):
            if value:
                values.setdefault(kind, set()).add(str(value))
    for table, column in (("rule_exception", "reason"), ("profile_held", "evidence"),
                          ("history", "reason"), ("coach_state", "reason")):
        values.setdefault(f"{table}.{column}", set()).update(
            str(v) for (v,) in query(db, f"SELECT {column} FROM {table}") if v)
    return values


def test_no_private_value_reaches_any_file(run: Run, demo_db: Path, tmp_path: Path) -> None:
    # The demo has no phone numbers: give two listed coaches one, and a third an odd e-mail.
    for reg_no, option, value in (("004512", "--phone", "06-12345678"),
                                  ("004549", "--phone", "+31 20 765 4321"),
                                  ("004579", "--email", "geheim.adres@example.org")):
        assert run("coach", "edit", reg_no, option, value, db=demo_db).exit_code == 0
    target = tmp_path / "site"
    publish(run, demo_db, target)
    text = "\n".join(content.decode("utf-8") for content in files_of(target).values())
    values = _private_values(demo_db)
    assert {"birth date", "e-mail", "phone", "BIG", "AGB", "first name"} <= set(values)
    assert values["phone"] == {"06-12345678", "+31 20 765 4321"}
    for kind, found in values.items():
        for value in found:
            if kind == "first name":  # as a word: "Anna" may be inside "Johanna"
                assert not re.search(rf"\b{re.escape(value)}\b", text), (kind, value)
            else:
                assert value not in text, (kind, value)


def test_register_text_is_escaped_in_html_and_safe_in_csv(run: Run, demo_db: Path,
                                                         tmp_path: Path) -> None:
    practice = '=HYPERLINK("x") <script>alert(1)</script> & "Co"'
    assert run("coach", "edit", "004512", "--practice", practice, db=demo_db).exit_code == 0
    target = tmp_path / "site"
    publish(run, demo_db, target)
    index = (target / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in index
    assert ("=HYPERLINK(&quot;x&quot;) &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
            "&quot;Co&quot;") in index
    row = next(r for r in csv_rows(target) if r["reg_no"] == "004512")
    assert row["practice"] == "'" + practice
    document = json.loads((target / "register.json").read_text(encoding="utf-8"))
    assert next(c for c in document["coaches"] if c["reg_no"] == "004512")["practice"] == practice


# ---- repeatable and atomic ----------------------------------------------------------------


def test_the_same_register_and_date_give_byte_identical_files(run: Run, demo_template: Path,
                                                             site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    publish(run, demo_template, again)
    assert files_of(again) == files_of(site)
    publish(run, demo_template, again)  # over itself
    assert files_of(again) == files_of(site)


def test_files_are_readable_by_a_web_server(site: Path) -> None:
    assert all(path.stat().st_mode & 0o444 == 0o444 for path in site.iterdir())
    assert site.stat().st_mode & 0o555 == 0o555


def test_an_existing_site_is_replaced_whole(run: Run, demo_template: Path,
                                            out: Path) -> None:
    target = out / "site"
    publish(run, demo_template, target)
    publish(run, demo_template, target, as_of="01-06-2027")
    assert "Stand van <time datetime=\"2027-06-01\">" in (target / "index.html").read_text()
    assert json.loads((target / "register.json").read_text())["as_of"] == "2027-06-01"
    assert sorted(p.name for p in out.iterdir()) == ["site"]  # no temporary left


def test_a_failure_halfway_leaves_the_old_site(run: Run, demo_template: Path, out: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = out / "site"
    publish(run, demo_template, target)
    before = files_of(target)
    written = []
    original = Path.write_bytes

    def fail_on_the_third(self: Path, data: bytes) -> int:
        written.append(self.name)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_the_third)
    result = run("publish", "--output", str(target), "--as-of", "01-06-2027", db=demo_template)
    assert result.exit_code == ExitCode.INPUT
    assert "No space left on device" in result.stderr
    assert files_of(target) == before
    assert sorted(p.name for p in out.iterdir()) == ["site"]


@pytest.mark.skipif(sys.platform != "linux", reason="one-step swap needs renameat2 (Linux)")
def test_a_reader_never_finds_the_site_missing_or_half_written(run: Run, demo_template: Path,
                                                                tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish(run, demo_template, target)
    problems: list[str] = []
    done = threading.Event()

    def read() -> None:
        """What a web server does: every file by its path, each whole. (A directory listing
        taken while the old site is being deleted after the swap is no reader's view.)"""
        while not done.is_set():
            for name in sorted(FILES):
                try:
                    text = (target / name).read_text(encoding="utf-8")
                except FileNotFoundError as error:
                    problems.append(str(error))
                    continue
                if name.endswith(".html") and not text.endswith("</html>\n"):
                    problems.append(f"{name} ends {text[-20:]!r}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for as_of in ("01-06-2027", AS_OF, "01-06-2027"):
            publish(run, demo_template, target, as_of=as_of)
    finally:
        done.set()
        reader.join()
    assert problems == []


def test_refuses_a_folder_with_other_files(run: Run, demo_template: Path,
                                          out: Path) -> None:
    target = out / "documents"
    target.mkdir()
    (target / "thesis.docx").write_text("years of work")
    result = run("publish", "--output", str(target), db=demo_template)
    assert result.exit_code == ExitCode.USAGE
    assert "holds files the website does not consist of (thesis.docx)" in result.stderr
    assert (target / "thesis.docx").read_text() == "years of work"
    assert sorted(p.name for p in out.iterdir()) == ["documents"]


def test_an_empty_folder_is_used(run: Run, demo_template: Path, tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    publish(run, demo_template, target)
    assert set(files_of(target)) == FILES


def test_refuses_a_file_a_link_and_a_missing_parent(run: Run, demo_template: Path,
                                                   tmp_path: Path) -> None:
    a_file = tmp_path / "site.html"
    a_file.write_text("mine")
    result = run("publish", "--output", str(a_file), db=demo_template)
    assert result.exit_code == ExitCode.USAGE
    assert a_file.read_text() == "mine"
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    result = run("publish", "--output", str(link), db=demo_template)
    assert result.exit_code == ExitCode.USAGE
    assert "not a directory" in result.stderr
    result = run("publish", "--output", str(tmp_path / "no" / "site"), db=demo_template)
    assert result.exit_code == ExitCode.INPUT
    assert "does not exist" in result.stderr


def test_csv_reads_back_in_a_spreadsheet_shape(site: Path) -> None:
    text = (site / "register.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert len({len(row) for row in rows}) == 1
    assert rows[1][:2] == ["1", "2026-12-01"]


def test_an_empty_register_gives_a_site_that_says_so(run: Run, db_path: Path,
                                                     out: Path) -> None:
    target = out / "site"
    publish(run, db_path, target)
    index = (target / "index.html").read_text(encoding="utf-8")
    assert "Op 01-12-2026 staat er geen enkele in het register." in text_of(index)
    assert '<ul id="coaches" class="cards">\n\n</ul>' in index
    assert "Het register erkent op deze datum geen interventies." in \
        (target / "interventies.html").read_text(encoding="utf-8")
    assert csv_rows(target) == []
    assert json.loads((target / "register.json").read_text())["coaches"] == []
