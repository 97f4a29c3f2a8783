"""The portfolio site (`build --html`) as files: which pages, what they say, escaping,
determinism and links. The site in a real browser is tests/emit/test_site_browser.py."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.config import load_config
from agentroster.emit import site as site_module
from agentroster.emit.registry import registry
from agentroster.emit.site import CSP, PAGE_ROWS, page_name, site
from agentroster.pipeline import lint_loaded, load_roster
from tests.conftest import EXAMPLES, REPO, TODAY
from tests.emit.sites import (
    HOSTILE_ROSTER,
    HOSTILE_TEXT,
    RAW_MARKUP,
    broken_links,
    parse,
    site_files,
    write_pages,
    write_site,
)

ROSTER = EXAMPLES / "roster"
LATER = dt.date(2027, 3, 1)  # the example roster's tier 1 reviews are overdue by then


@pytest.fixture(scope="module")
def undated() -> dict[str, str]:
    return site_files(ROSTER)


@pytest.fixture(scope="module")
def dated() -> dict[str, str]:
    return site_files(ROSTER, today=LATER)


def registry_of(files: dict[str, str]) -> dict:
    return json.loads(files["registry.json"])


def test_the_site_has_a_page_per_agent_and_its_own_files(undated):
    ids = [a["id"] for a in registry_of(undated)["agents"]]
    site = sorted(rel for rel in undated if rel.startswith("html/"))
    assert site == sorted(
        ["html/index.html", "html/graph.html", "html/site.css", "html/site.js", "html/nojs.css"]
        + [f"html/agents/{agent}.html" for agent in ids]
    )
    manifest = json.loads(undated[".agentroster-build"])["files"]
    assert set(site) <= set(manifest)


def test_without_html_the_build_is_unchanged(undated):
    from tests.build_golden import rendered

    plain = rendered()
    assert not any(rel.startswith("html/") for rel in plain)
    assert {rel: text for rel, text in undated.items() if not rel.startswith("html/")} == {
        **plain,
        ".agentroster-build": undated[".agentroster-build"],
    }


def test_every_page_loads_only_the_sites_own_files_under_a_csp(undated, dated):
    for rel, text in [*undated.items(), *dated.items()]:
        if not rel.endswith(".html"):
            continue
        policy = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
        assert [html.unescape(p) for p in policy] == [CSP], rel
        parsed = parse(text)
        external = [link for link in parsed.links if re.match(r"[a-z]+:", link)]
        assert external == ["data:,"], (rel, external)  # the empty favicon only
        assert "<style" not in text and " style=" not in text, rel  # style-src 'self'
        assert parsed.repeated == [], rel  # each id names one element
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert scripts == [f'<script src="{"../" if "/agents/" in rel else ""}site.js" defer>']


def test_every_link_resolves(tmp_path):
    for today, name in ((None, "undated"), (LATER, "dated")):
        site = write_site(ROSTER, tmp_path / name, today=today)
        assert broken_links(site) == []


def test_broken_links_finds_what_does_not_resolve(tmp_path):
    # the checker the link tests rely on can fail
    (tmp_path / "agents").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="agents/a.html">a</a><a href="nope.html">x</a><a href="https://x.example/">y</a>'
        '<a href="#tier=1">t</a><a href="#missing">m</a><a id="here" href="#here">h</a>'
    )
    (tmp_path / "agents" / "a.html").write_text('<a href="../../outside.html">o</a>')
    assert broken_links(tmp_path) == [
        "agents/a.html: ../../outside.html (no such file in the site)",
        "index.html: nope.html (no such file in the site)",
        "index.html: https://x.example/ (leaves the site)",
        "index.html: #missing (no element #missing)",
    ]


def test_an_undated_site_holds_no_date_but_the_cards_own(undated, dated):
    pages = {rel: text for rel, text in undated.items() if rel.endswith(".html")}
    for rel, text in pages.items():
        assert LATER.isoformat() not in text, rel
        for word in ("badge review-", "Overdue reviews on", "due soon", "on schedule", "On 20"):
            assert word not in text, (rel, word)
    index = pages["html/index.html"]
    assert "This build is undated" in index
    assert 'id="f-review"' not in index and 'data-key="findings"' not in index
    # a dated build says what is true that day
    index = dated["html/index.html"]
    assert f"Built for {LATER.isoformat()}" in index
    assert f"Overdue reviews on {LATER.isoformat()}" in index
    assert 'id="f-review"' in index and 'data-key="findings"' in index


def test_a_dated_portfolio_lists_overdue_reviews_and_errors(dated):
    doc = registry_of(dated)
    index = dated["html/index.html"]
    overdue_section = index[index.index('id="overdue"') : index.index('id="due-soon"')]
    errors_section = index[index.index('id="errors"') : index.index('id="overdue"')]
    overdue = [a["id"] for a in doc["agents"] if a["review"]["overdue"]]
    with_errors = [a["id"] for a in doc["agents"] if a["findings"]["errors"]]
    assert overdue and with_errors
    tiers = {a["id"]: a["tier"] for a in doc["agents"]}
    assert re.findall(r'<a href="agents/[^"]+">([^<]+)</a>', overdue_section) == sorted(
        overdue, key=lambda i: (tiers[i], i)
    )
    linked = re.findall(r'<a href="agents/[^"]+#findings">([^<]+)</a>', errors_section)
    assert sorted(linked) == sorted(with_errors)


def test_reviews_falling_due_are_listed():
    day = dt.date(2027, 2, 8)  # ten days before the example's tier 1 reviews fall due
    files = site_files(ROSTER, today=day)
    index = files["html/index.html"]
    section = index[index.index('id="due-soon"') : index.index('id="waivers"')]
    soon = sorted(
        a["id"]
        for a in registry_of(files)["agents"]
        if a["review"]["next_due"]
        and 0 <= (dt.date.fromisoformat(a["review"]["next_due"]) - day).days <= 30
    )
    assert soon and sorted(re.findall(r'<a href="agents/[^"]+">([^<]+)</a>', section)) == soon
    assert "within 30 days" in section


def test_an_agent_page_states_every_card_fact(dated):
    page = dated["html/agents/refund-assistant.html"]
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for fact in (
        "Dana Whitfield",  # owner
        "Priya Raman",  # sponsor
        "Tomas Lindqvist",  # technical owner
        "escalates to human:billing-escalations",
        "handoffs fall back to human:fraud-ops",
        "fraud score above 0.7",  # handoff trigger
        "refunds.issue",
        "each call approved by a person",
        "evals/refund-golden.jsonl",
        "runbooks/payments-outage.md",
        "https://dash.example.com/d/refunds",  # as text, never a link
        "pinned to claude-sonnet-4-5-20250929",
        "INC-2041",
        "CAB-1182",
        "6,000.00 USD a month",
        "support/refund-assistant.agent.yaml:",  # findings with file:line
        "What tier 1 demands",
    ):
        assert fact in text, fact
    assert 'href="../agents/fraud-screener.html"' in page
    assert 'href="https://' not in page
    # the agent that hands it work links back
    assert 'href="../agents/refund-assistant.html"' in dated["html/agents/fraud-screener.html"]


def test_the_graph_page_draws_the_graph_and_lists_the_queues(undated):
    page = undated["html/graph.html"]
    svg = page[page.index("<svg") : page.index("</svg>")]
    for agent in registry_of(undated)["agents"]:
        assert f'<a href="agents/{agent["id"]}.html">' in svg, agent["id"]
    assert "human:billing-escalations" in page and 'href="agents/refund-assistant.html"' in page
    assert "None: every agent's work can reach a person." in page


def test_the_graph_page_names_dead_ends_and_closed_cycles(roster):
    from tests.conftest import CLEAN_CARD

    def card(agent: str, to: str) -> str:
        return CLEAN_CARD.replace("id: notes-helper", f"id: {agent}").replace(
            "escalation: {to: human:workplace-it}", f"escalation: {{to: {to}}}"
        )

    root = roster({"a.agent.yaml": card("a-bot", "b-bot"), "b.agent.yaml": card("b-bot", "a-bot")})
    page = site_files(root)["html/graph.html"]
    problems = page[page.index('id="problems"') : page.index('id="queues"')]
    # the dead ends, then the cycle a -> b -> a
    links = re.findall(r'<a href="agents/([^"]+)\.html">', problems)
    assert links == ["a-bot", "b-bot", "a-bot", "b-bot", "a-bot"]
    assert "a-bot</a> → <a" in problems
    assert (
        "no path from this agent leads to a human queue"
        in site_files(root)["html/agents/a-bot.html"]
    )


def test_a_card_read_with_errors_still_has_its_page(roster):
    from tests.conftest import CLEAN_CARD

    card = CLEAN_CARD.replace("tier: 3", "tier: 7") + "review: {last: 2026-05-21}\n"
    files = site_files(roster({"notes-helper.agent.yaml": card}), today=LATER)
    page = html.unescape(re.sub(r"<[^>]+>", "", files["html/agents/notes-helper.html"]))
    assert "Risk tiercould not be read" in page and "What tier" not in page
    assert "no schedule" in page  # reviewed, but without a tier there is no cadence
    assert "C002" in page  # the finding says why


def test_hostile_card_text_shows_as_text_on_every_page(roster):
    root = roster(HOSTILE_ROSTER)
    for today in (None, LATER):
        files = site_files(root, today=today)
        pages = {rel: text for rel, text in files.items() if rel.endswith(".html")}
        assert "html/agents/notes-helper.html" in pages
        for rel, text in pages.items():
            assert RAW_MARKUP.search(text) is None, (rel, RAW_MARKUP.search(text))
            assert not any(c in text for c in "\x07\x1b\u202e"), rel
        shown = html.unescape(pages["html/agents/notes-helper.html"])
        index = html.unescape(pages["html/index.html"])
        for _, expected in HOSTILE_TEXT:
            assert expected in shown or expected in index, expected
        # the card whose id failed validation has no page
        assert len([rel for rel in pages if rel.startswith("html/agents/")]) == 2


def test_page_names_cannot_leave_the_agents_folder():
    assert page_name("refund-assistant") == "refund-assistant.html"
    for bad in ("../index", "a/b", "..", "", "A", "x\x00", "a.b", "a\\b"):
        assert page_name(bad) is None


def test_shown_prints_values_for_people():
    from markupsafe import Markup

    shown = site_module._shown
    assert shown(None) == "–" and shown([]) == "–" and shown("") == ""
    assert shown(True) == "yes" and shown(False) == "no"
    assert shown(["a", "b\x1b"]) == "a, b\\x1b"
    assert shown(Markup("<b>")) == "<b>" and shown(3) == 3


def test_the_same_roster_gives_the_same_bytes_whatever_the_hash_seed(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        cmd = [sys.executable, "-m", "agentroster", "build", str(ROSTER), "--html"]
        subprocess.run(
            [*cmd, "--out", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
        )
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0] == outs[1]


def test_a_large_roster_splits_the_graph_and_builds_the_same_bytes_twice(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path / "roster"
    generate(root, 2000)
    config = load_config(root)
    roster = load_roster(root, config, today=TODAY, cwd=root)
    report = lint_loaded(roster, config, today=TODAY)
    doc = registry(roster, report, None)
    first = site(roster, report, doc)
    # the cards in another order, the graph built again: the same bytes
    roster.files.reverse()
    roster.graph_cache = None
    assert site(roster, report, doc) == first
    assert len([rel for rel in first if rel.startswith("html/agents/")]) == 2000
    parts = [rel for rel in first if re.fullmatch(r"html/graph-\d+\.html", rel)]
    assert len(parts) > 1
    graph = first["html/graph.html"]
    assert all(f'href="{rel[5:]}"' in graph for rel in parts) and "<svg" not in graph
    assert all(first[rel].count("<svg") == 1 for rel in parts)
    assert 'href="../graph-' in first["html/agents/agent-00000.html"]
    # the pages that link the diagrams
    assert broken_links(write_pages(first, tmp_path / "out"), "graph*.html") == []


# -- the command ----------------------------------------------------------------------------


def test_build_html_and_check(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(ROSTER), "--out", str(out), "--html"])
    assert result.exit_code == 0, result.output
    assert (out / "html" / "index.html").is_file()
    check = runner.invoke(main, ["build", str(ROSTER), "--out", str(out), "--html", "--check"])
    assert check.exit_code == 0, check.output
    (out / "html" / "site.js").write_text("alert(1)")
    check = runner.invoke(main, ["build", str(ROSTER), "--out", str(out), "--html", "--check"])
    assert check.exit_code == 1 and "changed: html/site.js" in check.output
    # without --html the site is extra
    check = runner.invoke(main, ["build", str(ROSTER), "--out", str(out), "--check"])
    assert check.exit_code == 1 and "extra: html/index.html" in check.output


def test_config_key_html_turns_the_site_on_and_the_flag_off(roster, tmp_path):
    from tests.conftest import CLEAN_CARD

    root = roster({"notes-helper.agent.yaml": CLEAN_CARD}, config="[build]\nhtml = true\n")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(root), "--out", str(out)]).exit_code == 0
    assert (out / "html" / "agents" / "notes-helper.html").is_file()
    result = runner.invoke(main, ["build", str(root), "--out", str(out), "--no-html"])
    assert result.exit_code == 0 and not (out / "html").exists()


def test_the_style_sheets_page_the_table_where_the_script_does():
    # the first rows a long table shows before site.js runs, and without it all of them
    rule = f".agents.paged tbody tr:nth-child(n+{PAGE_ROWS + 1})"
    assert f"{rule} {{ display: none; }}" in site_module.static_file("site.css")
    assert f"{rule} {{ display: table-row; }}" in site_module.static_file("nojs.css")


def test_the_site_files_are_package_data():
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"emit/templates/*"' in pyproject
    templates = Path(site_module.__file__).parent / "templates"
    for name in site_module.STATIC:
        assert (templates / name).read_text() == site_module.static_file(name)
