"""emit/docs.py stays readable (issue 13, point 8): pages from small functions, and Markdown
escaping done only by agentroster.escape."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from agentroster.build import render
from agentroster.config import load_config
from agentroster.context import Roster
from agentroster.emit import docs, graph, registry
from agentroster.emit.graph import MERMAID_EDGE_LIMIT
from agentroster.findings import Report
from agentroster.graph import handoff_graph
from agentroster.pipeline import load_roster
from tests.conftest import TODAY
from tests.emit.test_graph import all_edges, drawn, edge_count
from tests.test_graph import BASE


def test_no_function_in_docs_is_over_60_lines():
    tree = ast.parse(inspect.getsource(docs))
    lengths = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    assert max(lengths.values()) <= 60, sorted(lengths.items(), key=lambda kv: -kv[1])[:3]


def test_emitters_escape_only_through_the_escape_module():
    for module in (docs, graph, registry):
        source = inspect.getsource(module)
        for own_escaping in ('.replace("|"', ".replace('\"'", '"#quot;"', "html.escape"):
            assert own_escaping not in source, (module.__name__, own_escaping)


# --- large handoff graphs (issue 15, point 10) ---------------------------------------------

_FENCE = re.compile(r"```mermaid\n(.*?)```", re.S)
_LINK = re.compile(r"\]\(([^)]+)\)")


def _write_cards(root: Path, cards: dict[str, tuple[str, str, str]]) -> Roster:
    """Cards by id as (folder, owner's team, extra YAML); loaded, not linted."""
    (root / "agentroster.toml").write_text("")
    for agent, (folder, team, extra) in cards.items():
        path = root / folder / f"{agent}.agent.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = BASE.format(id=agent) + extra
        if team:
            text = text.replace("example.com}", f"example.com, team: {team}}}", 1)
        path.write_text(text)
    return load_roster(root, load_config(root), today=TODAY, cwd=root)


def _pages(roster: Roster, root: Path) -> dict[str, str]:
    return render(roster, Report([]), today=None, out=root / "build")


def _check_diagrams(roster: Roster, pages: dict[str, str]) -> list[str]:
    """Every Mermaid block in every page within the limit; the diagram pages together draw
    every edge once; every agent page links a diagram that draws the agent. The parts."""
    for rel, text in pages.items():
        for block in _FENCE.findall(text):
            assert edge_count(block) <= MERMAID_EDGE_LIMIT, rel
    parts = sorted(rel for rel in pages if rel.startswith("handoffs/"))
    index = pages["handoffs.md"]
    assert [t for t in _LINK.findall(index) if t.startswith("handoffs/")] == [
        f"handoffs/part-{n}.md" for n in range(1, len(parts) + 1)
    ]
    seen: list[tuple[str, str, str]] = []
    for rel in parts:
        [block] = _FENCE.findall(pages[rel])
        seen += sorted(drawn(block))
    assert len(seen) == len(set(seen)) and set(seen) == all_edges(handoff_graph(roster))
    for rel, text in pages.items():
        if rel.startswith("agents/"):
            [target] = [t for t in _LINK.findall(text) if t.startswith("../handoffs/")]
            [block] = _FENCE.findall(pages[target.removeprefix("../")])
            assert f'"{rel[7:-3]}"' in block, rel
    assert "```mermaid" not in pages["index.md"]
    return parts


def test_a_600_agent_roster_in_one_group_is_drawn_in_diagrams_of_at_most_400_edges(tmp_path):
    cards = {}
    for i in range(600):
        extra = f"escalation: {{to: human:queue-{i % 3}}}\n"
        if i < 599:
            extra += f"handoffs:\n  - {{to: agent-{i + 1:03d}, fallback: human:queue-{i % 3}}}\n"
        folder, team = "teams/a" if i < 100 else "teams/b", "x" if i < 250 else "y"
        cards[f"agent-{i:03d}"] = (folder, team, extra)
    roster = _write_cards(tmp_path, cards)
    pages = _pages(roster, tmp_path)
    parts = _check_diagrams(roster, pages)
    assert len(parts) == 6  # teams/a (300 edges); teams/b team x (450: 2 chunks), y (3 chunks)
    assert "folder `teams/b`, team x, chunk 1 of 2" in pages["handoffs.md"]
    roster.files.reverse()  # read in another order: the same pages
    roster.graph_cache = None
    assert _pages(roster, tmp_path) == pages


def test_many_small_groups_are_packed_and_indexed(tmp_path):
    cards = {}
    for k in range(300):
        escalation = "escalation: {to: human:ops}\n"
        cards[f"pair-{k:03d}-a"] = ("", "", f"{escalation}handoffs:\n  - {{to: pair-{k:03d}-b}}\n")
        cards[f"pair-{k:03d}-b"] = ("", "", escalation)
    roster = _write_cards(tmp_path, cards)  # 300 handoffs and 600 escalations
    pages = _pages(roster, tmp_path)
    parts = _check_diagrams(roster, pages)
    assert len(parts) == 3
    assert "the group of `pair-000-a` (2 agents)" in pages["handoffs.md"]
    assert "and 130 more groups" in pages["handoffs.md"]


def test_docs_and_site_group_the_graph_by_the_same_teams(tmp_path, monkeypatch):
    # the docs read owners' teams from the registry entries; a card whose id failed
    # validation has none, and must still be grouped by its owner's team, as the site does
    import re as regex
    import shutil

    from agentroster.emit import site
    from agentroster.pipeline import lint_loaded
    from tests.conftest import EXAMPLES

    root = tmp_path / "roster"
    shutil.copytree(EXAMPLES / "roster", root)
    card = root / "ops" / "incident-sentinel.agent.yaml"
    card.write_text(regex.sub(r"(?m)^id: .*$", "id: Incident_Sentinel", card.read_text()))
    config = load_config(root)
    roster = load_roster(root, config, today=TODAY, cwd=root)
    report = lint_loaded(roster, config, today=TODAY)
    doc = registry.registry(roster, report, None)
    teams: dict[str, dict[str, str]] = {}

    def capture(name: str):  # type: ignore[no-untyped-def]
        def split(graph, *, keys=()):  # type: ignore[no-untyped-def]
            teams[name] = dict(keys)["team"]
            return []

        return split

    monkeypatch.setattr(docs, "split", capture("docs"))
    monkeypatch.setattr(site, "split", capture("site"))
    assert docs._Context(roster, report, doc, tmp_path / "out").parts == []
    assert site._Site(roster, report, doc).parts == []
    assert teams["docs"]["Incident_Sentinel"] == "sre"
    assert teams["docs"] == teams["site"]
