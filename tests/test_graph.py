from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from click.testing import CliRunner

from agentroster.cli import main
from agentroster.config import Config, load_config
from agentroster.context import CardFile, Roster
from agentroster.graph import build, handoff_graph
from agentroster.pipeline import lint_roster, load_roster
from agentroster.rules import handoff
from agentroster.rules.base import RosterContext
from agentroster.sourcemap import SourceMap
from tests.conftest import EXAMPLES, REPO, TODAY

BASE = """\
apiVersion: agentroster/v1
kind: AgentCard
id: {id}
name: Agent {id}
version: 1.0.0
description: Handles one step of the support flow in the graph tests.
status: proposed
pattern: employee-enablement
mode: assist
tier: 3
owner: {{name: Dana Whitfield, email: dana.whitfield@example.com}}
sponsor: {{name: Priya Raman, email: priya.raman@example.com, role: team}}
monitoring: {{dashboard: "https://dash.example.com/d/x", metrics: [success_rate]}}
audit: {{enabled: true}}
release_gate: {{requires: [eval-threshold, security-review, privacy-impact, cost-approval]}}
"""


def card(agent: str, extra: str = "") -> str:
    return BASE.format(id=agent) + extra


def lint(root: Path):
    return [
        (f.path, f.line, f.code)
        for f in lint_roster(root, load_config(root), today=TODAY, cwd=root).findings
    ]


def test_edges_carry_the_position_of_their_value(roster):
    root = roster({"a.agent.yaml": card("a-one", "escalation: {to: human:ops}\n")})
    graph = handoff_graph(load_roster(root, load_config(root), today=TODAY, cwd=root))
    [ref] = graph.refs
    assert (ref.kind, ref.source, ref.target, ref.line, ref.column) == (
        "escalation",
        "a-one",
        "human:ops",
        16,
        18,
    )


def test_a_card_with_schema_errors_still_contributes_its_edges(roster):
    broken_handoff = (
        "escalation: {to: b-two}\nhandoffs:\n  - {to: b-two, deadline: soon, fallback: human:ops,"
        " trigger: t, context: [x], decision: d, log: l}\n"
    )
    root = roster(
        {
            "a-one.agent.yaml": card("a-one", broken_handoff),
            "b-two.agent.yaml": card("b-two", "escalation: {to: human:ops}\n"),
        }
    )
    # the bad deadline is C002; the handoff still reaches human:ops by its fallback, so no H003
    assert lint(root) == [("a-one.agent.yaml", 18, "C002")]


def test_unknown_target_is_reported_once_not_as_a_dead_end_too(roster):
    root = roster({"a-one.agent.yaml": card("a-one", "escalation: {to: ghost}\n")})
    assert lint(root) == [("a-one.agent.yaml", 16, "H001")]


def test_unreadable_queues_file_is_one_finding_not_a_flood(roster):
    root = roster(
        {
            "a-one.agent.yaml": card("a-one", "escalation: {to: human:ops}\n"),
            "agentroster.queues.yaml": "queues:\n  - {id: ops, owner: nobody}\n",
        }
    )
    assert lint(root) == [("agentroster.queues.yaml", 2, "C002")]


def test_tool_catalogue_unknown_key_is_c003(roster):
    root = roster(
        {
            "a-one.agent.yaml": card("a-one", "escalation: {to: human:ops}\n"),
            "agentroster.tools.yaml": "tools:\n  - {id: x, access: read, acess: write}\n",
        }
    )
    assert lint(root) == [("agentroster.tools.yaml", 2, "C003")]


def _fake(agent: str, targets: list[str], escalation: str | None) -> CardFile:
    """A CardFile as the graph sees it, without parsing YAML (for size tests)."""
    data: dict[str, object] = {"id": agent, "handoffs": [{"to": t} for t in targets]}
    if escalation:
        data["escalation"] = {"to": escalation}
    model = SimpleNamespace(id=agent, status="production", tier=2, data=None)
    context = SimpleNamespace(tainted=frozenset(), model=model)
    return CardFile(
        Path(f"/{agent}.agent.yaml"), f"{agent}.agent.yaml", data, SourceMap(), [], context
    )  # type: ignore[arg-type]


def _run(files: list[CardFile], rule) -> list:
    roster = Roster(Path("/"), files)
    return list(rule.check(RosterContext([], roster, Config(), TODAY)))


def test_ten_thousand_agents_ring_with_one_exit_is_clean_and_without_is_one_cycle():
    n = 10_000
    ids = [f"agent-{i:05d}" for i in range(n)]

    # each agent hands to the next and to two others further on: 30,000 edges
    def files(exit_to: str | None) -> list[CardFile]:
        return [
            _fake(
                a,
                [ids[(i + 1) % n], ids[(i + 7) % n], ids[(i + 101) % n]],
                exit_to if i == n - 1 else ids[(i + 1) % n],
            )
            for i, a in enumerate(ids)
        ]

    with_exit = files("human:ops")
    assert _run(with_exit, handoff.H004) == [] and _run(with_exit, handoff.H003) == []
    [finding] = _run(files(None), handoff.H004)
    assert finding.agent == "agent-00000"
    assert "-> ... -> agent-00000 (100 agents), one loop among 10000 agents" in finding.message
    assert _run(files(None), handoff.H003) == []  # members of the cycle are not dead ends too


def test_several_independent_cycles_and_a_long_chain():
    chain = [_fake(f"c-{i:04d}", [], f"c-{i + 1:04d}") for i in range(2000)]
    chain.append(_fake("c-2000", [], "human:ops"))
    graph = build(chain, declared_queues=None)
    assert graph.distance()["c-0000"] == 2001
    h007 = _run(chain, handoff.H007)
    assert len(h007) == 2000 - 2  # c-0000 .. c-1997 are more than 3 handoffs away
    cycles = [_fake(f"r{k}-{i}", [], f"r{k}-{(i + 1) % 3}") for k in range(50) for i in range(3)]
    assert len(_run(cycles, handoff.H004)) == 50


GOLDEN = Path(__file__).parent / "golden"


def test_graph_exports_are_golden():
    for fmt, suffix in (("mermaid", "mmd"), ("dot", "dot"), ("json", "json")):
        result = CliRunner().invoke(main, ["graph", "--format", fmt, str(EXAMPLES / "roster")])
        assert result.exit_code == 0
        golden = (GOLDEN / f"roster-graph.{suffix}").read_text()
        assert result.output == golden, f"regenerate tests/golden/roster-graph.{suffix}"


def test_graph_json_edges_have_locations():
    result = CliRunner().invoke(main, ["graph", "--format", "json", str(EXAMPLES / "roster")])
    doc = json.loads(result.output)
    kinds = {n["kind"] for n in doc["nodes"]}
    assert kinds == {"agent", "human"}
    assert all(
        e["line"] >= 1 and e["kind"] in {"handoff", "fallback", "escalation"} for e in doc["edges"]
    )


def test_readme_shows_the_current_example_graph():
    result = CliRunner().invoke(main, ["graph", str(EXAMPLES / "roster")])
    readme = (REPO / "README.md").read_text()
    assert "```mermaid\n" + result.output + "```" in readme


def test_graph_agent_neighbourhood_and_unknown_agent():
    args = ["graph", str(EXAMPLES / "roster"), "--format", "json", "--agent", "refund-assistant"]
    doc = json.loads(CliRunner().invoke(main, args).output)
    assert {n["id"] for n in doc["nodes"]} == {
        "refund-assistant",
        "fraud-screener",
        "human:billing-escalations",
        "human:fraud-ops",
    }
    result = CliRunner().invoke(
        main, ["graph", str(EXAMPLES / "roster"), "--agent", "refund-asistant"]
    )
    assert result.exit_code == 2 and "did you mean 'refund-assistant'" in result.output


def _modules_after_lint(root: Path) -> str:
    code = (
        "import sys, datetime\nfrom pathlib import Path\n"
        "from agentroster.config import load_config\nfrom agentroster.pipeline import lint_roster\n"
        f"root = Path({str(root)!r})\n"
        "r = lint_roster(root, load_config(root), today=datetime.date(2026, 11, 21), cwd=root)\n"
        "print(sorted({f.code for f in r.findings}), 'networkx' in sys.modules)\n"
    )
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout


def test_networkx_is_imported_only_when_a_cycle_is_possible(roster):
    root = roster({"a-one.agent.yaml": card("a-one", "escalation: {to: human:ops}\n")})
    assert _modules_after_lint(root).strip() == "[] False"
    (root / "b-two.agent.yaml").write_text(card("b-two", "escalation: {to: c-three}\n"))
    (root / "c-three.agent.yaml").write_text(card("c-three", "escalation: {to: b-two}\n"))
    assert _modules_after_lint(root).strip() == "['H004'] True"


def test_the_networkx_graph_carries_kinds_and_attributes():
    root = EXAMPLES / "roster"
    graph = handoff_graph(load_roster(root, load_config(root), today=TODAY, cwd=root))
    nx_graph = graph.graph
    assert nx_graph.nodes["refund-assistant"] == {
        "kind": "agent",
        "status": "production",
        "tier": 1,
    }
    assert nx_graph.nodes["human:fraud-ops"] == {"kind": "human"}
    assert nx_graph.edges["refund-assistant", "fraud-screener"]["kinds"] == {"handoff"}
    assert graph.graph is nx_graph  # built once
