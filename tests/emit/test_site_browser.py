"""The portfolio site in a real browser: Chromium (Debian's `chromium` package, which .ci/run
installs when missing; another binary with AGENTROSTER_CHROMIUM) driven by Playwright's sync
API. Pages are opened from disk (file://), as a board member opens a CI artifact; every test
asserts that no console error or uncaught exception happened, no dialog opened and nothing was
requested from outside the site's folder."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    expect,
    sync_playwright,
)

from agentroster.emit.site import PAGE_ROWS
from tests.conftest import EXAMPLES, REPO
from tests.emit.sites import HOSTILE_ROSTER, HOSTILE_TEXT, write_site

sys.path.insert(0, str(REPO / "benchmarks"))
from chromium import ARGS, CHROMIUM

ROSTER = EXAMPLES / "roster"
LATER = dt.date(2027, 3, 1)  # the example roster's tier 1 reviews are overdue by then
ROWS = "#agents tbody tr:not([hidden])"
# Never `page.wait_for_function("...")` with a string: under the site's CSP (no 'unsafe-eval')
# Chromium refuses the eval it polls with. The site's script acts synchronously on each event.


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), (
        f"no Chromium at {CHROMIUM}: `apt-get install chromium`, or set AGENTROSTER_CHROMIUM"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return write_site(ROSTER, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def example_dated(tmp_path_factory) -> Path:
    return write_site(ROSTER, tmp_path_factory.mktemp("dated"), today=LATER)


@dataclass
class Tab:
    """A page of the site in the browser, and everything it did that a test forbids."""

    page: Page
    site: Path
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or not path.is_relative_to(self.site.resolve()):
            self.outside.append(request.url)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def go(self, rel: str) -> Page:
        """Open the page `rel` (`index.html`, or with a fragment `index.html#tier=1`)."""
        path, _, fragment = rel.partition("#")
        self.page.goto((self.site / path).as_uri() + (f"#{fragment}" if fragment else ""))
        return self.page

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def tab(browser: Browser, example: Path) -> Iterator[Tab]:
    yield from _tab(browser, example)


def _tab(browser: Browser, site: Path, width: int = 1440) -> Iterator[Tab]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    opened = Tab(page, site)
    page.on("console", opened.on_console)
    page.on("pageerror", lambda error: opened.errors.append(f"pageerror: {error}"))
    page.on("request", opened.on_request)
    page.on("dialog", opened.on_dialog)
    try:
        yield opened
    finally:
        page.close()


def registry(site: Path) -> list[dict]:
    return json.loads((site.parent / "registry.json").read_text())["agents"]


def shown_ids(page: Page) -> list[str]:
    return page.locator(f"{ROWS} th[data-key=id]").all_inner_texts()


# -- the portfolio ---------------------------------------------------------------------------


def test_search_narrows_the_table_as_you_type(tab):
    page = tab.go("index.html")
    agents = registry(tab.site)
    assert page.locator("#controls").is_visible()  # shown by the script
    assert len(shown_ids(page)) == len(agents)
    counts = []
    for typed in ("r", "re", "ref", "refu", "refun", "refund"):
        page.locator("#q").press_sequentially(typed[-1])
        counts.append(len(shown_ids(page)))
    assert counts == sorted(counts, reverse=True) and counts[-1] < len(agents)
    expected = [
        a["id"]
        for a in agents
        if "refund" in " ".join((a["id"], a["name"], a["description"])).lower()
    ]
    assert shown_ids(page) == expected
    status = page.locator("#shown").inner_text()
    assert status == f"Showing {len(expected)} of {len(agents)} agents."
    tab.clean()


def test_filters_and_sorting_keep_their_state_in_the_fragment(tab):
    page = tab.go("index.html")
    agents = registry(tab.site)
    page.select_option("#f-tier", "2")
    tier2 = [a["id"] for a in agents if a["tier"] == 2]
    assert shown_ids(page) == tier2
    assert set(page.locator(f"{ROWS} td[data-key=tier]").all_inner_texts()) == {"Tier 2"}
    page.select_option("#f-status", "production")
    both = [a["id"] for a in agents if a["tier"] == 2 and a["status"] == "production"]
    assert shown_ids(page) == both
    page.select_option("#f-status", "")

    header = page.locator("th[data-key=next_review]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    due = page.locator(f"{ROWS} td[data-key=next_review]").all_inner_texts()
    assert due == sorted(due)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    order = shown_ids(page)
    by_due = sorted(
        (a for a in agents if a["tier"] == 2), key=lambda a: a["review"]["next_due"] or ""
    )
    assert order == [a["id"] for a in reversed(by_due)] and len(order) == len(tier2)

    page.locator("#q").fill("a")
    assert page.evaluate("location.hash") == "#q=a&tier=2&sort=next_review&dir=desc"
    shown = shown_ids(page)
    page.reload()
    assert page.locator("#q").input_value() == "a"
    assert page.locator("#f-tier").input_value() == "2"
    assert header.get_attribute("aria-sort") == "descending"
    assert shown_ids(page) == shown
    page.locator("#clear").click()
    assert page.evaluate("location.hash") == ""
    assert len(shown_ids(page)) == len(agents)
    tab.clean()


def test_a_link_to_a_view_opens_it_and_the_counts_filter_the_table(tab):
    agents = registry(tab.site)
    page = tab.go("index.html#status=pilot&sort=id&dir=desc")
    pilots = sorted((a["id"] for a in agents if a["status"] == "pilot"), reverse=True)
    assert shown_ids(page) == pilots
    assert page.locator("#f-status").input_value() == "pilot"
    page.locator("a[data-filter=tier]", has_text="Tier 1").click()
    # the link changes the fragment; the page applies it on `hashchange`, a moment later
    expect(page.locator("#f-tier")).to_have_value("1")
    assert page.locator("#f-status").input_value() == ""
    assert shown_ids(page) == [a["id"] for a in agents if a["tier"] == 1]
    tab.clean()


def test_search_and_filters_work_from_the_keyboard(tab):
    page = tab.go("index.html")
    page.locator("#q").focus()
    page.keyboard.type("notes")
    assert shown_ids(page) == ["meeting-notes"]
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-tier"
    page.keyboard.press("ArrowDown")
    assert page.locator("#f-tier").input_value() == "1"
    assert len(shown_ids(page)) == sum(1 for a in registry(tab.site) if a["tier"] == 1)
    # a column sorts from the keyboard too
    page.locator("th[data-key=name] button").focus()
    page.keyboard.press("Enter")
    assert page.locator("th[data-key=name]").get_attribute("aria-sort") == "ascending"
    tab.clean()


def test_links_lead_to_an_agent_page_and_to_the_graph(tab):
    page = tab.go("index.html")
    page.locator("#agents a", has_text="refund-assistant").click()
    assert page.url.endswith("/html/agents/refund-assistant.html")
    assert "Refund Assistant" in page.locator("h1").inner_text()
    page.locator("a", has_text="fraud-screener").first.click()
    assert page.url.endswith("/html/agents/fraud-screener.html")
    page.locator("nav[aria-label=Site] a", has_text="Handoff graph").click()
    assert page.url.endswith("/html/graph.html")
    assert page.locator("h1").inner_text() == "Handoff graph"
    # an agent of the picture opens its page
    page.locator("svg a[href='agents/it-helpdesk.html']").click()
    assert page.url.endswith("/html/agents/it-helpdesk.html")
    page.go_back()
    page.locator("nav[aria-label=Site] a", has_text="Portfolio").click()
    assert page.url.endswith("/html/index.html")
    tab.clean()


def test_every_label_of_the_graph_fits_inside_the_picture(tab):
    # the SVG is sized from its text at 12 px; a page style that changed that size (the
    # site's own `.legend` rule once did) cut the key off at the right edge
    page = tab.go("graph.html")
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.graph svg')].flatMap(svg => {
            const width = +svg.getAttribute('width');
            return [...svg.querySelectorAll('text')]
                .filter(t => { const box = t.getBBox(); return box.x + box.width > width; })
                .map(t => t.textContent);
        })"""
    )
    assert outside == []
    tab.clean()


@pytest.mark.parametrize("width", [360, 1440])
def test_every_page_opens_clean_and_fits_the_width(browser, example, width):
    pages = sorted(p.relative_to(example).as_posix() for p in example.rglob("*.html"))
    for opened in _tab(browser, example, width):
        for rel in pages:
            page = opened.go(rel)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, rel
            # the site's style sheet applied (a CSP refusal would leave the default font size)
            assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontSize") in (
                "20.8px",
                "25.6px",
            )
        opened.clean()


def test_a_long_table_shows_its_first_rows_and_the_rest_on_request(browser, tmp_path):
    from generate import generate  # benchmarks/, on the path above

    count = PAGE_ROWS + 50
    generate(tmp_path / "roster", count)
    site = write_site(tmp_path / "roster", tmp_path / "out")
    for opened in _tab(browser, site):
        page = opened.go("index.html")
        assert len(shown_ids(page)) == PAGE_ROWS
        assert (
            page.locator("#shown").inner_text()
            == f"Showing the first {PAGE_ROWS} of {count} agents."
        )
        page.locator("#q").fill("agent-0024")  # search looks at every row, shown or not
        assert shown_ids(page) == [f"agent-{n:05d}" for n in range(240, 250)]
        assert page.locator("#more").is_hidden()
        page.locator("#clear").click()
        page.locator("th[data-key=id] button").click()
        page.locator("th[data-key=id] button").click()  # descending: the last rows first
        assert shown_ids(page)[0] == f"agent-{count - 1:05d}"
        page.locator("#more", has_text=f"Show all {count} agents").click()
        assert len(shown_ids(page)) == count
        assert page.evaluate("location.hash") == "#sort=id&dir=desc&all=1"
        page.reload()
        assert len(shown_ids(page)) == count
        opened.clean()
    # without JavaScript, every row
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert page.locator("#agents tbody tr").count() == count
    assert page.locator("#agents tbody tr:visible").count() == count
    assert page.locator("#controls").is_hidden()
    context.close()


# -- as a board member -------------------------------------------------------------------------


def test_a_board_member_finds_the_overdue_tier_1_agents_and_who_owns_them(browser, example_dated):
    agents = {a["id"]: a for a in registry(example_dated)}
    expected = sorted(a for a, e in agents.items() if e["tier"] == 1 and e["review"]["overdue"])
    assert expected  # the example roster has some by LATER
    for opened in _tab(browser, example_dated):
        page = opened.go("index.html")
        page.select_option("#f-tier", "1")
        page.select_option("#f-review", "overdue")
        assert shown_ids(page) == expected
        assert set(page.locator(f"{ROWS} td[data-key=next_review] .badge").all_inner_texts()) == {
            "overdue"
        }
        page.locator("#agents a", has_text=expected[-1]).click()
        entry = agents[expected[-1]]
        assert entry["owner"]["name"] in page.locator("#owner").inner_text()
        fails = page.locator("#fails").inner_text()
        assert f"escalates to {entry['escalation']['to']}" in fails
        for fallback in {h["fallback"] for h in entry["handoffs"] if h["fallback"]}:
            assert fallback in fails
        assert page.locator(".badges .badge", has_text="overdue").count() == 1
        opened.clean()


# -- a hostile roster --------------------------------------------------------------------------


@pytest.mark.parametrize("today", [None, LATER])
def test_hostile_card_text_shows_as_text_on_every_page(browser, roster, tmp_path, today):
    site = write_site(roster(HOSTILE_ROSTER), tmp_path / "out", today=today)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    for opened in _tab(browser, site):
        texts = []
        for rel in pages:
            page = opened.go(rel)
            injected = page.evaluate(
                "document.querySelectorAll('img, iframe, object, embed, [onerror], [onload]')"
                ".length + document.scripts.length"
            )
            assert injected == 1, rel  # site.js, and nothing else
            texts.append(page.locator("body").inner_text())
        shown = "\n".join(texts)
        for _, expected in HOSTILE_TEXT:
            assert expected in shown, expected
        # search finds the agent by its hostile name
        page = opened.go("index.html")
        page.locator("#q").fill("<script>")
        assert shown_ids(page) == ["notes-helper"]
        opened.clean()
