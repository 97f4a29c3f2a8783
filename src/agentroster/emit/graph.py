"""The handoff graph as Mermaid, Graphviz DOT or JSON: pure functions of a HandoffGraph.

Node names come from cards (an id read from a card that failed validation is a node too), so
Mermaid labels go through `escape.mermaid_label`, DOT strings through `escape.dot_string`, and
JSON carries lone surrogates as text (`escape.json_string`)."""

from __future__ import annotations

import json

from agentroster.escape import dot_string, json_string, mermaid_label
from agentroster.graph import HUMAN, EdgeRef, HandoffGraph

_ARROW = {"handoff": "-->", "fallback": "-. fallback .->", "escalation": "-. escalation .->"}


def _nodes(graph: HandoffGraph, keep: set[str] | None) -> list[str]:
    return [n for n in graph.nodes if keep is None or n in keep]


def _edges(graph: HandoffGraph, keep: set[str] | None) -> list[tuple[str, str, str]]:
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
    nodes = _nodes(graph, keep)
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
    for source, target, kind in _edges(graph, keep):
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
