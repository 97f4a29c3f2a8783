"""Bounded cost: every roster shape a pull request can choose costs O(cards + edges) in time,
memory and output, and no finding message grows with the roster (issue 14, part 5).

One test per blow-up class found. Each bound is generous, a safety net that fails on a
quadratic blow-up, not a benchmark (benchmarks/bench_hostile.py measures; the figures are in
benchmarks/README.md). Rosters are built in memory as the rules see them, so the tests time
the rules, not YAML loading.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agentroster.config import Config
from agentroster.context import CardContext, CardFile, Roster
from agentroster.findings import MAX_MESSAGE, Finding, Severity
from agentroster.loader import load_text
from agentroster.rules import RULES
from agentroster.rules.autonomy import A005
from agentroster.rules.base import RosterContext
from agentroster.rules.card import C005
from agentroster.rules.handoff import H001, H003, H004, H007
from agentroster.rules.lifecycle import L007
from agentroster.sourcemap import SourceMap
from agentroster.validate import validate
from tests.conftest import CLEAN_CARD, TODAY

pytestmark = pytest.mark.cost_bound
SECONDS = 10  # each case takes well under a second here; a blow-up takes tens of seconds
ROSTER_RULES = [r for r in RULES if r.scope == "roster"]


def _card(agent: str, data: dict[str, Any], *, status: str = "production") -> CardFile:
    """A card file as the roster rules see it, without parsing YAML."""
    data = {"id": agent, **data}
    smap = SourceMap()
    smap.add_value(("id",), 2, 4)
    model = SimpleNamespace(
        id=agent, status=status, tier=2, data=None, release_gate=None, waivers=[]
    )
    file = Path(f"/r/{agent}.agent.yaml")
    context = CardContext(
        path=file.name,
        file=file,
        root=Path("/r"),
        data=data,
        model=model,  # type: ignore[arg-type]
        source_map=smap,
        config=Config(root=Path("/r")),
        today=TODAY,
    )
    return CardFile(file, file.name, data, smap, [], context)


def _to(target: str) -> dict[str, Any]:
    return {"escalation": {"to": target}}


def _lint(files: list[CardFile], rules: list[Any] = ROSTER_RULES) -> list[Finding]:
    roster = Roster(Path("/r"), files)
    ctx = RosterContext(roster.cards, roster, Config(root=Path("/r")), TODAY)
    return [f for rule in rules for f in rule.check(ctx)]


def _bounded(make: Callable[[], list[Finding]], *, mb: float | None = None) -> list[Finding]:
    """The findings of `make()`, checked to take under SECONDS (and, with `mb`, to allocate
    at most that many MB at the peak, measured by tracemalloc) with every message capped."""
    if mb is not None:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        findings = make()
        elapsed = time.perf_counter() - start
        if mb is not None:
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            assert peak < mb, f"{peak:.0f} MB at the peak"
    finally:
        if mb is not None:
            tracemalloc.stop()
    assert elapsed < SECONDS * (3 if mb is not None else 1), f"{elapsed:.1f} s"
    assert all(len(f.message) <= MAX_MESSAGE for f in findings)
    return findings


def test_a_6000_agent_chain_names_a_few_hops_not_the_whole_path():
    ids = [f"agent-{i:05d}" for i in range(6000)]
    files = [_card(a, _to(ids[i + 1] if i + 1 < 6000 else "human:ops")) for i, a in enumerate(ids)]
    # before: every H007 message held the whole path, 250 MB of messages
    findings = _bounded(lambda: _lint(files), mb=100)
    h007 = [f for f in findings if f.code == H007.code]
    assert len(h007) == 5997
    assert h007[0].message == (
        "the shortest path to a human takes 6,000 handoffs, over the limit of 3: agent-00000 -> "
        "agent-00001 -> agent-00002 -> agent-00003 -> agent-00004 -> agent-00005 -> "
        "agent-00006 -> ... and 5,993 more -> human:ops; add a shorter route to a human"
    )
    assert sum(len(f.message) for f in findings) < 300 * len(findings)


def test_a_short_path_is_shown_whole():
    ids = ["a-one", "b-two", "c-three", "d-four", "e-five"]
    files = [_card(a, _to(ids[i + 1] if i + 1 < 5 else "human:ops")) for i, a in enumerate(ids)]
    first = _lint(files, [H007])[0]
    assert "a-one -> b-two -> c-three -> d-four -> e-five -> human:ops;" in first.message


def test_a_star_of_dead_ends_walks_the_hub_once():
    # 6,000 agents escalate to a hub that hands to 6,000 agents escalating nowhere: each H003
    # names the first agents reached, found without walking the hub's whole reach again
    leaves = [f"leaf-{i:05d}" for i in range(6000)]
    hub = _card("hub", {"handoffs": [{"to": leaf} for leaf in leaves], **_to("hub")})
    senders = [_card(f"sender-{i:05d}", _to("hub")) for i in range(6000)]
    files = [hub, *senders, *(_card(leaf, {}) for leaf in leaves)]
    findings = _bounded(lambda: _lint(files, [H003]))
    assert len(findings) == 6000
    assert findings[0].message.endswith(
        "its handoffs and escalation reach only hub, leaf-00000, leaf-00001, leaf-00002, "
        "leaf-00003, leaf-00004, ...; escalate to a human:<queue>"
    )


def test_a_dense_graph_of_80000_edges():
    rng = random.Random(5)
    ids = [f"agent-{i:05d}" for i in range(1000)]
    files = [
        _card(
            a,
            {
                "handoffs": [{"to": t, "fallback": rng.choice(ids)} for t in rng.sample(ids, 40)],
                **_to("human:ops" if i % 100 == 0 else ids[i - 1]),
            },
        )
        for i, a in enumerate(ids)
    ]
    _bounded(lambda: _lint(files))
    # and with no exit at all: one closed cycle of 1,000 agents, one finding
    closed = [_card(f.path[:-11], {**f.data, **_to(f.data["handoffs"][0]["to"])}) for f in files]
    [cycle] = _bounded(lambda: _lint(closed, [H004]))
    assert "one loop among 1000 agents" in cycle.message


def test_many_closed_cycles_and_one_long_one():
    pairs = [_card(f"pair-{i:05d}", _to(f"pair-{i ^ 1:05d}")) for i in range(3000)]
    ring = [_card(f"ring-{i:05d}", _to(f"ring-{(i + 1) % 3000:05d}")) for i in range(3000)]
    findings = _bounded(lambda: _lint([*pairs, *ring], [H003, H004]))
    assert len(findings) == 1501


def test_3000_cards_with_one_id_name_a_few_others_each():
    files = [_card("same-agent", _to("human:ops")) for _ in range(3000)]
    for i, f in enumerate(files):
        f.path = f.context.path = f"copy-{i:05d}.agent.yaml"  # type: ignore[union-attr]
    # before: each message named 2,999 paths, 200 MB of messages
    findings = _bounded(lambda: _lint(files, [C005]), mb=50)
    assert len(findings) == 3000
    assert findings[1].message == (
        "id 'same-agent' is also used by copy-00000.agent.yaml, copy-00002.agent.yaml, "
        "copy-00003.agent.yaml, copy-00004.agent.yaml, copy-00005.agent.yaml, ... and 2,994 "
        "more; ids must be unique in the roster"
    )


def test_6000_agents_handing_to_one_retired_agent():
    files = [_card(f"agent-{i:05d}", _to("old")) for i in range(6000)]
    files.append(_card("old", _to("human:ops"), status="retired"))
    [finding] = _bounded(lambda: _lint(files, [L007]))
    assert "agent-00007, ... and 5,992 more (see H005)" in finding.message


def test_3000_unknown_targets_among_1500_agents():
    ids = [f"agent-{i:05d}" for i in range(1500)]
    files = [
        _card(a, {"handoffs": [{"to": f"{a}x"}, {"to": f"ghost-{i}-nowhere"}], **_to("human:ops")})
        for i, a in enumerate(ids)
    ]
    # before: ~20 s here (~55 s in the issue) comparing every target with every id
    findings = _bounded(lambda: _lint(files, [H001]))
    assert len(findings) == 3000
    assert findings[0].message.endswith("not an agent in this roster; did you mean 'agent-00000'?")
    assert findings[1].message.endswith("'ghost-0-nowhere' is not an agent in this roster")


def _tool_card(tools: list[str], catalogue: dict[str, Any]) -> CardContext:
    model = SimpleNamespace(id="a", tools=[SimpleNamespace(id=t) for t in tools])
    return CardContext(
        path="a.agent.yaml",
        file=Path("/r/a.agent.yaml"),
        root=Path("/r"),
        data={},
        model=model,  # type: ignore[arg-type]
        source_map=SourceMap(),
        config=Config(root=Path("/r")),
        today=TODAY,
        tool_catalogue=catalogue,
    )


def test_unknown_tools_against_a_large_catalogue():
    catalogue = {f"records.read-{i:05d}": None for i in range(5000)}
    card = _tool_card([f"records.raed-{i:05d}" for i in range(2000)], catalogue)
    assert A005.check is not None
    findings = _bounded(lambda: list(A005.check(card)))  # type: ignore[misc]
    assert len(findings) == 2000
    assert findings[0].message == (
        "tool 'records.raed-00000' is not in the tool catalogue; did you mean 'records.read-00000'?"
    )


def _many_unknown_keys(n: int) -> Iterator[Finding]:
    loaded = load_text(CLEAN_CARD + "".join(f"zz{i}: 1\n" for i in range(n)))
    result = validate(loaded.data, loaded.source_map, damaged=loaded.damaged)
    for problem in result.problems:
        yield problem.finding("x.agent.yaml", None)


def test_a_card_with_20000_unknown_keys():
    # before: the data was copied once per unknown key (and each key compared with every
    # field): about 40 s
    findings = _bounded(lambda: list(_many_unknown_keys(20_000)))
    assert len(findings) == 20_000


def test_a_message_is_capped_and_keeps_its_end():
    finding = Finding(
        "x", 1, 1, "C003", "unknown-field", Severity.ERROR, f"unknown field '{'k' * 10**6}'; fix"
    )
    assert MAX_MESSAGE - 10 < len(finding.message) <= MAX_MESSAGE
    assert finding.message.startswith("unknown field 'kkk")
    assert "characters left out" in finding.message and finding.message.endswith("'; fix")
