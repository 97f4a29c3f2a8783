"""The handoff graph as Mermaid, Graphviz DOT or JSON: pure functions of a HandoffGraph.

Node names come from cards (an id read from a card that failed validation is a node too), so
Mermaid labels go through `escape.mermaid_label`, DOT strings through `escape.dot_string`, and
JSON carries lone surrogates as text (`escape.json_string`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from agentroster.escape import dot_string, json_string, mermaid_label
from agentroster.graph import HUMAN, EdgeRef, HandoffGraph

# GitHub stops rendering a Mermaid diagram near 500 edges (Mermaid's `maxEdges`) and 50,000
# characters (`maxTextSize`): the docs draw at most this many edges per diagram, and pack no
# more than this many nodes into one when they put several groups together.
MERMAID_EDGE_LIMIT = 400
MERMAID_NODE_LIMIT = 600

_ARROW = {"handoff": "-->", "fallback": "-. fallback .->", "escalation": "-. escalation .->"}


def _nodes(graph: HandoffGraph, keep: set[str] | None) -> list[str]:
    return [n for n in graph.nodes if keep is None or n in keep]


Edge = tuple[str, str, str]  # (source, target, kind)


def _edges(graph: HandoffGraph, keep: set[str] | None) -> list[Edge]:
    """(source, target, kind), one per kind and pair, sorted."""
    pairs = {
        (ref.source, ref.target, ref.kind)
        for ref in graph.refs
        if keep is None or (ref.source in keep and ref.target in keep)
    }
    return sorted(pairs)


def _kind(graph: HandoffGraph, node: str) -> str:
    if node.startswith(HUMAN):
        return "human"
    return "agent" if node in graph.agents else "unknown"


def mermaid(graph: HandoffGraph, keep: set[str] | None = None) -> str:
    """A `flowchart LR` that GitHub renders: safe ids (n0, n1, ...), quoted labels, human
    queues as stadiums, unknown targets as hexagons, fallback and escalation edges dashed."""
    return _mermaid(graph, _nodes(graph, keep), _edges(graph, keep))


def mermaid_part(graph: HandoffGraph, part: Part) -> str:
    """One diagram of a split graph (`split`): its nodes and edges only."""
    return _mermaid(graph, list(part.nodes), list(part.edges))


def _mermaid(graph: HandoffGraph, nodes: list[str], edges: list[Edge]) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    lines = ["flowchart LR"]
    classes: dict[str, list[str]] = {"human": [], "unknown": [], "inactive": []}
    for node in nodes:
        label = mermaid_label(node)
        kind = _kind(graph, node)
        if kind == "human":
            lines.append(f'    {ids[node]}(["{label}"])')
            classes["human"].append(ids[node])
        elif kind == "unknown":
            lines.append(f'    {ids[node]}{{{{"{label} (unknown)"}}}}')
            classes["unknown"].append(ids[node])
        else:
            info = graph.agents[node]
            status = f" ({info.status})" if info.status in ("paused", "retired") else ""
            lines.append(f'    {ids[node]}["{label}{status}"]')
            if status:
                classes["inactive"].append(ids[node])
    for source, target, kind in edges:
        lines.append(f"    {ids[source]} {_ARROW[kind]} {ids[target]}")
    lines.append("    classDef human fill:#fff3cd,stroke:#b58900")
    lines.append("    classDef unknown fill:#f8d7da,stroke:#c0392b")
    lines.append("    classDef inactive fill:#eeeeee,stroke:#999999,stroke-dasharray: 4 4")
    for name, members in classes.items():
        if members:
            lines.append(f"    class {','.join(members)} {name}")
    return "\n".join(lines) + "\n"


def dot(graph: HandoffGraph, keep: set[str] | None = None) -> str:
    """Graphviz DOT: agents as boxes, human queues as filled ellipses, dashed non-handoffs."""
    lines = ["digraph handoffs {", "  rankdir=LR;", "  node [shape=box];"]
    for node in _nodes(graph, keep):
        kind = _kind(graph, node)
        if kind == "human":
            attrs = 'shape=ellipse, style=filled, fillcolor="#fff3cd"'
        elif kind == "unknown":
            attrs = 'shape=hexagon, style=filled, fillcolor="#f8d7da"'
        else:
            info = graph.agents[node]
            attrs = "style=dashed" if info.status in ("paused", "retired") else ""
        lines.append(f"  {dot_string(node)}" + (f" [{attrs}];" if attrs else ";"))
    for source, target, kind in _edges(graph, keep):
        attrs = "" if kind == "handoff" else f' [style=dashed, label="{kind}"]'
        lines.append(f"  {dot_string(source)} -> {dot_string(target)}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge_json(ref: EdgeRef) -> dict[str, object]:
    return {
        "source": json_string(ref.source),
        "target": json_string(ref.target),
        "kind": ref.kind,
        "path": json_string(ref.path),
        "line": ref.line,
        "column": ref.column,
    }


def as_json(graph: HandoffGraph, keep: set[str] | None = None) -> str:
    """Nodes with their attributes; every declared edge with its kind and source location."""
    nodes = []
    for node in _nodes(graph, keep):
        kind = _kind(graph, node)
        entry: dict[str, object] = {"id": json_string(node), "kind": kind}
        info = graph.agents.get(node)
        if info is not None:
            entry.update(
                status=info.status,
                tier=info.tier,
                data_classes=sorted(info.classes) if info.classes is not None else None,
                path=json_string(info.path),
            )
        nodes.append(entry)
    refs = sorted(
        (r for r in graph.refs if keep is None or (r.source in keep and r.target in keep)),
        key=lambda r: (r.source, r.target, r.kind, r.path, r.line, r.column),
    )
    edges = [_edge_json(r) for r in refs]
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2) + "\n"


EXPORTERS = {"mermaid": mermaid, "dot": dot, "json": as_json}


# --- one graph, several diagrams ------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A share of one diagram: agents of one connected group (agents that hand work to one
    another, directly or not; human queues do not connect them), maybe narrowed by folder,
    team or chunk when the group is too large for one diagram."""

    group: str  # the group's smallest node
    size: int  # agents (and unknown targets) in the group
    members: tuple[str, ...]  # the nodes whose edges it draws, or the whole group
    edges: tuple[Edge, ...]
    narrowed: tuple[tuple[str, str], ...] = ()  # (key, value): ("folder", "teams/a")
    chunk: tuple[int, int] | None = None  # (n, of) when cut into chunks


@dataclass(frozen=True)
class Part:
    """One diagram: every node and edge it draws, and the pieces it holds."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    pieces: tuple[Piece, ...]

    @property
    def members(self) -> list[str]:
        """The nodes whose own edges this diagram draws (or that have none), sorted."""
        return sorted(member for piece in self.pieces for member in piece.members)


Keys = Sequence[tuple[str, Mapping[str, str]]]


def split(
    graph: HandoffGraph,
    *,
    keys: Keys = (),
    limit: int = MERMAID_EDGE_LIMIT,
    node_limit: int = MERMAID_NODE_LIMIT,
) -> list[Part]:
    """The graph as diagrams of at most `limit` edges each, every edge in exactly one.

    A graph that fits is one diagram, every node in it. Otherwise each connected group of
    agents (edges between agents and unknown targets; human queues join nothing) is a piece;
    a group with too many edges is divided by each of `keys` in turn (("folder", agent ->
    folder), ("team", agent -> team): an edge goes with its source agent), then cut into
    chunks of whole agents. Pieces are packed in order into diagrams of at most `limit` edges
    and `node_limit` nodes. A node appears in every diagram that draws an edge to it.
    Deterministic: groups by their smallest node, keys by value, agents by id."""
    edges = _edges(graph, None)
    if len(edges) <= limit and len(graph.nodes) <= node_limit:
        members = tuple(node for node in graph.nodes if not graph.is_human(node))
        whole = Piece(min(members, default=""), len(members), members, tuple(edges))
        return [Part(tuple(graph.nodes), tuple(edges), (whole,))]
    by_source: dict[str, list[Edge]] = {}
    for edge in edges:
        by_source.setdefault(edge[0], []).append(edge)
    pieces: list[Piece] = []
    for group in _groups(graph, edges):
        own = tuple(edge for member in group for edge in by_source.get(member, ()))
        pieces += _divide(Piece(group[0], len(group), tuple(group), own), by_source, keys, limit)
    return _pack(pieces, limit, node_limit)


def _groups(graph: HandoffGraph, edges: list[Edge]) -> list[list[str]]:
    """The connected groups of non-human nodes, each sorted, by their smallest node."""
    parent = {node: node for node in graph.nodes if not graph.is_human(node)}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for source, target, _ in edges:
        if target in parent:
            a, b = root(source), root(target)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for node in parent:  # sorted (graph.nodes is): each group is, and comes in order
        groups.setdefault(root(node), []).append(node)
    return list(groups.values())


def _divide(piece: Piece, by_source: dict[str, list[Edge]], keys: Keys, limit: int) -> list[Piece]:
    """`piece` itself when it fits; else divided by the first key that tells its agents
    apart, each share divided further by the keys after it; else cut into chunks."""
    if len(piece.edges) <= limit:
        return [piece]
    sources = [member for member in piece.members if member in by_source]
    for index, (label, key) in enumerate(keys):
        shares: dict[str, list[str]] = {}
        for member in sources:
            shares.setdefault(key.get(member, ""), []).append(member)
        if len(shares) < 2:
            continue
        out: list[Piece] = []
        for value in sorted(shares):
            share = shares[value]
            own = tuple(edge for member in share for edge in by_source[member])
            narrowed = (*piece.narrowed, (label, value))
            sub = replace(piece, members=tuple(share), edges=own, narrowed=narrowed)
            out += _divide(sub, by_source, keys[index + 1 :], limit)
        return out
    return _chunks(piece, sources, by_source, limit)


def _chunks(
    piece: Piece, sources: list[str], by_source: dict[str, list[Edge]], limit: int
) -> list[Piece]:
    """Runs of whole agents (by id) of at most `limit` edges; an agent with more is cut."""
    runs: list[tuple[list[str], list[Edge]]] = []
    members: list[str] = []
    edges: list[Edge] = []
    for member in sources:
        own = by_source[member]
        if edges and len(edges) + len(own) > limit:
            runs.append((members, edges))
            members, edges = [], []
        if len(own) > limit:
            runs += [([member], own[i : i + limit]) for i in range(0, len(own), limit)]
            continue
        members.append(member)
        edges += own
    if edges:
        runs.append((members, edges))
    return [
        replace(piece, members=tuple(m), edges=tuple(e), chunk=(n, len(runs)))
        for n, (m, e) in enumerate(runs, 1)
    ]


def _pack(pieces: list[Piece], limit: int, node_limit: int) -> list[Part]:
    """Pieces in order, as few to a diagram as the limits allow (a new diagram when the next
    piece would pass one)."""
    parts: list[Part] = []
    held: list[Piece] = []
    edges: list[Edge] = []
    nodes: set[str] = set()
    for piece in pieces:
        more = set(piece.members).union(*((s, t) for s, t, _ in piece.edges))
        if held and (len(edges) + len(piece.edges) > limit or len(nodes | more) > node_limit):
            parts.append(Part(tuple(sorted(nodes)), tuple(sorted(edges)), tuple(held)))
            held, edges, nodes = [], [], set()
        held.append(piece)
        edges += piece.edges
        nodes |= more
    if held:
        parts.append(Part(tuple(sorted(nodes)), tuple(sorted(edges)), tuple(held)))
    return parts
