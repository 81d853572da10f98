"""The published website in a real browser: what a person sees when they search, filter, check.

Headless Chromium from Debian's package (/usr/bin/chromium), driven by Playwright for Python
(no browser is downloaded: never `playwright install`). The site of the demo register is served
from 127.0.0.1 by http.server in a thread, as any web server would serve the folder. These
tests fail, never skip, when Chromium is missing: CI installs it (.ci/run).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.registers import query

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AS_OF = "01-12-2026"
PAGE = 60  # cards drawn at a time (site.js)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    from typer.testing import CliRunner

    from smr_register.cli import app

    target = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(app, ["--db", str(demo_template), "publish", "--output",
                                      str(target), "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def register(site: Path) -> dict[str, Any]:
    """The open data of the same site: what the pages should show."""
    return json.loads((site / "register.json").read_text(encoding="utf-8"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No access log in the test output."""


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    """The site served over http from 127.0.0.1, like any web server would."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (apt-get install "
                    f"chromium); the website's browser tests must run")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base: str) -> Iterator[Any]:
    """A desktop-sized page; afterwards: no script error and no request to anywhere else."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []
    assert requests and all(url.startswith(base) for url in requests), requests


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c)).lower()


def matching(register: dict[str, Any], query: str = "", province: str | None = None,
             profile: str | None = None) -> list[str]:
    """Names of the coaches a search should show, in the site's order."""
    names = []
    for coach in register["coaches"]:
        text = fold(" ".join([coach["name"], coach["practice"] or "", coach["postcode"] or "",
                              coach["city"] or "", coach["reg_no"], *coach["interventions"]]))
        if (all(word in text for word in fold(query).split())
                and province in (None, coach["province"])
                and profile in (None, *coach["profiles"])):
            names.append(coach["name"])
    return names


def count_text(found: int, total: int) -> str:
    head = f"{found} van de {total} coaches gevonden" if found != total else \
        f"{total} coaches, op achternaam"
    return head + (f"; de eerste {PAGE} staan hieronder." if found > PAGE else ".")


def shown(page: Any) -> list[str]:
    return page.locator("#coaches > li:visible h3").all_inner_texts()


def test_the_list_opens_in_dutch_name_order(page: Any, base: str,
                                             register: dict[str, Any]) -> None:
    page.goto(base + "index.html")
    total = len(register["coaches"])
    expect(page.locator("h1")).to_have_text("Vind een coach")
    expect(page.locator(".stand").first).to_have_text(f"Stand van {AS_OF}")
    expect(page.locator("#aantal")).to_have_text(count_text(total, total))
    assert shown(page) == [coach["name"] for coach in register["coaches"][:PAGE]]
    page.get_by_role("button", name=f"Toon {PAGE} meer").click()
    assert len(shown(page)) == 2 * PAGE
    focused = page.evaluate("document.activeElement.querySelector('h3').textContent")
    assert focused == register["coaches"][PAGE]["name"]  # the keyboard goes on there


def test_search_as_you_type_then_filter_by_province_and_profile(
        page: Any, base: str, register: dict[str, Any]) -> None:
    page.goto(base + "index.html")
    total = len(register["coaches"])
    page.get_by_label("Zoek op naam, plaats, postcode of registratienummer").press_sequentially(
        "Breda", delay=30)
    breda = matching(register, "breda")
    assert 0 < len(breda) < PAGE
    expect(page.locator("#aantal")).to_have_text(count_text(len(breda), total))
    assert shown(page) == breda
    assert page.url.endswith("index.html?zoek=Breda")

    page.get_by_role("button", name="Wis zoekopdracht").click()
    expect(page.locator("#aantal")).to_have_text(count_text(total, total))
    page.get_by_label("Provincie").select_option(label="Noord-Holland")
    page.get_by_label("Profiel").select_option(label="Zwangerschap en kinderwens")
    wanted = matching(register, province="Noord-Holland", profile="pregnancy")
    assert wanted
    expect(page.locator("#aantal")).to_have_text(count_text(len(wanted), total))
    assert shown(page) == wanted
    for card in page.locator("#coaches > li:visible").all_inner_texts():
        assert "Noord-Holland" in card and "Zwangerschap en kinderwens" in card
    assert page.url.endswith("?provincie=noord-holland&profiel=zwangerschap")

    page.get_by_label("Zoek op naam, plaats, postcode of registratienummer").fill("xyzzy")
    expect(page.locator("#aantal")).to_have_text(count_text(0, total))
    expect(page.locator("#geen")).to_be_visible()


def test_a_postcode_is_found_with_or_without_its_space(page: Any, base: str,
                                                       register: dict[str, Any]) -> None:
    page.goto(base + "index.html?zoek=4828cm")
    expect(page.locator("#aantal")).to_have_text(count_text(1, len(register["coaches"])))
    assert shown(page) == ["L. el Idrissi"]


def test_a_bookmarked_search_opens_as_it_was(page: Any, base: str,
                                             register: dict[str, Any]) -> None:
    page.goto(base + "index.html?zoek=utrecht&profiel=zwangerschap")
    wanted = matching(register, "utrecht", profile="pregnancy")
    assert wanted
    expect(page.get_by_label("Zoek op naam, plaats, postcode of registratienummer")
           ).to_have_value("utrecht")
    expect(page.get_by_label("Profiel")).to_have_value("zwangerschap")
    expect(page.locator("#aantal")).to_have_text(count_text(len(wanted),
                                                            len(register["coaches"])))
    assert shown(page) == wanted


def test_check_a_registration_number(page: Any, base: str, register: dict[str, Any],
                                     demo_template: Path) -> None:
    page.goto(base + "index.html")
    field = page.get_by_label("Registratienummer", exact=True)
    outcome = page.locator("#uitkomst")
    field.fill("004512")
    page.get_by_role("button", name="Controleer").click()
    expect(outcome).to_have_text(re.compile(
        r"^Geregistreerd: L\. el Idrissi\s*Registratienummer 004512\s*"
        r"Rookvrij Coaching Breda, 4828 CM Breda\s*"
        r"Geregistreerd tot en met 24-01-2028 \(stand van 01-12-2026\)\.$"))
    assert page.url.endswith("index.html?nummer=004512")

    field.fill("4512")  # the leading zeros lost, as in a spreadsheet
    field.press("Enter")
    expect(outcome).to_contain_text("Registratienummer 004512")

    listed = {coach["reg_no"] for coach in register["coaches"]}
    withdrawn = query(demo_template, "SELECT reg_no FROM coach JOIN coach_state ON "
                                     "coach_state.coach_id = coach.id WHERE "
                                     "coach_state.state = 'withdrawn' ORDER BY reg_no")[0][0]
    assert withdrawn not in listed
    field.fill(withdrawn)
    field.press("Enter")
    expect(outcome).to_contain_text(f"Niet geregistreerd: {withdrawn}")
    expect(outcome).to_contain_text(f"Registratienummer {withdrawn} staat op {AS_OF} niet in "
                                    f"het register.")

    field.fill("12ab")
    field.press("Enter")
    expect(outcome).to_contain_text("Dit is geen registratienummer.")


def test_a_check_can_be_linked(page: Any, base: str) -> None:
    page.goto(base + "index.html?nummer=004512#controleer")
    expect(page.locator("#uitkomst")).to_contain_text("Geregistreerd: L. el Idrissi")
    expect(page.get_by_label("Registratienummer", exact=True)).to_have_value("004512")


def test_the_agenda_is_searchable(page: Any, base: str, register: dict[str, Any]) -> None:
    page.goto(base + "scholingsagenda.html")
    total = len(register["courses"])
    count = page.locator("#aantal")
    expect(count).to_have_text(f"{total} scholingen, op code.")
    search = page.get_by_label("Zoek op code, titel of aanbieder")
    search.press_sequentially("zdb-407", delay=30)
    expect(count).to_have_text(f"1 van de {total} scholingen gevonden.")
    course = page.locator("#scholingen > li:visible")
    expect(course).to_contain_text("ZDB-407")
    expect(course).to_contain_text("Accreditatie verlopen: geaccrediteerd van 01-01-2019 tot "
                                   "en met 31-12-2023.")
    search.fill("Academie")
    wanted = [c["code"] for c in register["courses"]
              if "academie" in fold(c["code"] + " " + c["title"] + " " + c["provider"])]
    expect(count).to_have_text(f"{len(wanted)} van de {total} scholingen gevonden.")
    assert [text.split()[0] for text in
            page.locator("#scholingen > li:visible h3").all_inner_texts()] == wanted
    assert page.url.endswith("scholingsagenda.html?zoek=Academie")
    page.goto(base + "scholingsagenda.html?zoek=bestaat-niet")
    expect(page.locator("#geen")).to_be_visible()


def test_an_intervention_links_to_the_coaches_who_deliver_it(page: Any, base: str,
                                                             register: dict[str, Any]) -> None:
    page.goto(base + "interventies.html")
    delivering = [c["name"] for c in register["coaches"] if "Pakje Kans" in c["interventions"]]
    page.get_by_role("link", name=f"{len(delivering)} coaches bieden deze interventie aan"
                     ).first.click()
    expect(page.locator("#aantal")).to_have_text(count_text(len(delivering),
                                                            len(register["coaches"])))
    assert shown(page) == delivering[:PAGE]


def test_without_javascript_the_whole_list_is_there(browser: Any, base: str,
                                                    register: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "index.html")
    assert len(page.locator("#coaches > li:visible").all()) == len(register["coaches"])
    expect(page.locator("#zoeken")).to_be_hidden()
    # (Playwright turns scripts off by emulation, under which Chromium still hides <noscript>:
    # the note is asserted in the document, a browser without JavaScript shows it.)
    note = page.locator("noscript p").text_content() or ""
    assert "Zonder JavaScript staat hieronder de volledige lijst van 281 coaches" in \
        " ".join(note.split())
    context.close()


@pytest.mark.parametrize("name", ["index.html", "interventies.html", "scholingsagenda.html"])
def test_works_on_a_phone(browser: Any, base: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(base + name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.locator(".stand").first).to_have_text(f"Stand van {AS_OF}")
    expect(page.get_by_role("link", name="Scholingsagenda")).to_be_visible()
    context.close()


def test_the_keyboard_starts_at_the_skip_link(page: Any, base: str) -> None:
    page.goto(base + "index.html")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Naar de inhoud")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("id", "zoek")
