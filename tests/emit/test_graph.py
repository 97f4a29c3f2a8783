"""emit.graph.split: a handoff graph too large for one Mermaid diagram becomes several, each of
at most 400 edges, every edge in exactly one, the same diagrams whatever the input order."""

from __future__ import annotations

import re

from agentroster.emit.graph import MERMAID_EDGE_LIMIT, Part, mermaid, mermaid_part, split
from agentroster.graph import HandoffGraph, build
from tests.test_graph import _fake

_EDGE = re.compile(r"^\s+(n\d+) (-->|-\. (\w+) \.->) (n\d+)$")
_NODE = re.compile(r'^\s+(n\d+)(?:\["|\(\["|\{\{")([^"]*)"')


def drawn(diagram: str) -> set[tuple[str, str, str]]:
    """The (source, target, kind) edges a Mermaid diagram draws, by node label."""
    labels: dict[str, str] = {}
    edges = set()
    for line in diagram.splitlines():
        if match := _EDGE.match(line):
            source, _, kind, target = match.groups()
            edges.add((labels[source], labels[target], kind or "handoff"))
        elif match := _NODE.match(line):
            labels[match.group(1)] = match.group(2).removesuffix(" (unknown)")
    return edges


def edge_count(diagram: str) -> int:
    return sum(1 for line in diagram.splitlines() if _EDGE.match(line))


def all_edges(graph: HandoffGraph) -> set[tuple[str, str, str]]:
    return {(ref.source, ref.target, ref.kind) for ref in graph.refs}


def assert_well_split(graph: HandoffGraph, parts: list[Part]) -> None:
    """Every diagram within the limit; every edge drawn exactly once."""
    seen: list[tuple[str, str, str]] = []
    for part in parts:
        text = mermaid_part(graph, part)
        assert edge_count(text) == len(part.edges) <= MERMAID_EDGE_LIMIT
        assert drawn(text) == set(part.edges)
        seen += part.edges
    assert len(seen) == len(set(seen)) and set(seen) == all_edges(graph)


def big_component(n: int = 600) -> list:
    """n agents in one chain, each escalating to one of three queues: 2n - 1 edges, one group."""
    ids = [f"agent-{i:03d}" for i in range(n)]
    return [
        _fake(a, [ids[i + 1]] if i + 1 < n else [], f"human:queue-{i % 3}")
        for i, a in enumerate(ids)
    ]


def test_a_graph_that_fits_is_one_diagram_with_every_node():
    files = [_fake("a", ["b"], "human:ops"), _fake("b", [], "human:ops"), _fake("c", [], None)]
    graph = build(files, declared_queues=None)
    [part] = split(graph)
    assert part.nodes == tuple(graph.nodes) and "c" in part.nodes  # the isolated agent too
    assert mermaid_part(graph, part) == mermaid(graph)


def test_600_agents_in_one_group_are_cut_into_chunks_of_whole_agents():
    graph = build(big_component(), declared_queues=None)
    parts = split(graph)
    assert_well_split(graph, parts)
    assert [len(p.edges) for p in parts] == [400, 400, 399]
    assert [p.pieces[0].chunk for p in parts] == [(1, 3), (2, 3), (3, 3)]
    # each agent's edges stay together; the queues and the next agent appear where needed
    assert parts[0].members[-1] == "agent-199" and parts[1].members[0] == "agent-200"
    assert "agent-200" in parts[0].nodes and "human:queue-0" in parts[2].nodes


def test_a_large_group_is_divided_by_folder_then_team_then_chunks():
    graph = build(big_component(), declared_queues=None)
    agents = sorted(graph.agents)
    folders = {a: "teams/a" if i < 100 else "teams/b" for i, a in enumerate(agents)}
    teams = {a: "x" if i < 250 else "y" for i, a in enumerate(agents)}
    parts = split(graph, keys=(("folder", folders), ("team", teams)))
    assert_well_split(graph, parts)
    pieces = [piece for part in parts for piece in part.pieces]
    assert [(p.narrowed, p.chunk, len(p.edges)) for p in pieces] == [
        ((("folder", "teams/a"),), None, 200),
        ((("folder", "teams/b"), ("team", "x")), None, 300),
        ((("folder", "teams/b"), ("team", "y")), (1, 2), 400),
        ((("folder", "teams/b"), ("team", "y")), (2, 2), 299),
    ]
    # 200 + 300 > 400: the first two pieces are drawn apart
    assert [len(p.pieces) for p in parts] == [1, 1, 1, 1]


def test_a_key_that_tells_no_agents_apart_is_skipped():
    graph = build(big_component(), declared_queues=None)
    same = {a: "agents" for a in graph.agents}
    parts = split(graph, keys=(("folder", same), ("team", {})))
    assert [p.pieces[0].narrowed for p in parts] == [(), (), ()]
    assert_well_split(graph, parts)


def test_many_small_groups_are_packed_into_few_diagrams():
    files = []
    for k in range(300):  # 300 groups of two agents, 3 edges each: 900 edges
        pair = f"p{k:03d}"
        files += [
            _fake(f"{pair}-a", [f"{pair}-b"], "human:ops"),
            _fake(f"{pair}-b", [], "human:ops"),
        ]
    files.append(_fake("zz-alone", [], None))  # an agent with no edges is drawn too
    graph = build(files, declared_queues=None)
    parts = split(graph)
    assert_well_split(graph, parts)
    assert [len(p.edges) for p in parts] == [399, 399, 102]
    assert all(len(piece.members) == 2 for piece in parts[0].pieces)
    assert "zz-alone" in parts[-1].nodes
    # a group is never torn apart when it fits
    groups = [piece.members for part in parts for piece in part.pieces]
    assert groups[:2] == [("p000-a", "p000-b"), ("p001-a", "p001-b")] and len(groups) == 301


def test_an_agent_with_more_edges_than_a_diagram_holds_is_cut():
    targets = [f"t{i:03d}" for i in range(450)]
    files = [_fake("hub", targets, "human:ops"), *(_fake(t, [], "human:ops") for t in targets)]
    graph = build(files, declared_queues=None)
    parts = split(graph)
    assert_well_split(graph, parts)


def test_packing_respects_the_node_limit():
    # 500 agents with only an escalation each, to distinct queues: 500 edges, 1000 nodes
    files = [_fake(f"a{i:03d}", [], f"human:q{i:03d}") for i in range(500)]
    graph = build(files, declared_queues=None)
    parts = split(graph)
    assert_well_split(graph, parts)
    assert all(len(p.nodes) <= 600 for p in parts)


def test_the_split_does_not_depend_on_the_order_cards_are_read():
    files = big_component()
    agents = [f.agent_id for f in files]
    folders = {a: f"f{i % 7}" for i, a in enumerate(agents)}
    first = split(build(files, declared_queues=None), keys=(("folder", folders),))
    again = split(build(list(reversed(files)), declared_queues=None), keys=(("folder", folders),))
    assert first == again
