"""The handoff graph as one SVG element, laid out in Python: a pure function of a HandoffGraph.

Layout. Columns are layers of distance to a human, read left to right the way work flows:
unknown targets (names no card or queue defines), agents that reach no human, the farthest
agents, ..., agents one hop from a human, and the human queues. Within a column nodes are
ordered to cut edge crossings by the barycentre heuristic (each node moves to the mean height
of its neighbours in the columns already placed), sweeping right to left from the humans and
back. A sweep costs O(nodes + edges) plus a sort per column, and the sweeps are capped (at
most four, and no more than a budget of neighbour visits allows: a dense roster of 160,000
edges gets three), so time and memory stay linear; a chain of 6,000 agents is 6,001 one-node
columns. No dummy nodes: an edge that skips columns is one curve.

Signals. Agents are filled by tier and say their tier in words; human queues are stadiums,
unknown targets hexagons; an agent with no way to a human has a thick red border and the text
"dead end", one in a closed cycle the text "closed cycle" (and its cycle edges are red);
handoff, fallback and escalation edges differ by dash pattern. Colour is never the only
signal. Every element carries class names (`node agent tier-1 dead-end`, `edge fallback`) and
presentation attributes, which any CSS rule of the page overrides.

Safety and bytes. Every label comes from a card, so it passes through `escape.xml_text` /
`escape.xml_attribute` (control characters shown as `\\x07`); no script, no external
reference, no `foreignObject`. Coordinates are integers and every list is sorted: the same
graph gives the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from agentroster.escape import one_line, xml_attribute, xml_text
from agentroster.graph import HandoffGraph

KINDS = ("handoff", "fallback", "escalation")
_DASH = {"handoff": "", "fallback": "7 4", "escalation": "2 3"}
_OFFSETS = {1: (0,), 2: (-4, 4), 3: (-6, 0, 6)}  # parallel edges of one pair, by kind count

_TIER_FILL = {1: "#f6c3bd", 2: "#fbe0a0", 3: "#cfe8cc"}
_NO_TIER_FILL = "#e2e2e2"
_HUMAN_FILL = "#d3e4f6"
_UNKNOWN_FILL = "#f4f4f4"
_STROKE = "#444444"
_ALERT = "#b00020"
_EDGE = "#6b6b6b"
_FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"

# Geometry, in px. Text is 12 px monospace: a character cell is about 7.3 px wide (counted in
# tenths to stay in integers); a label longer than _MAX_CELLS is cut, its <title> has it all.
_CELL_TENTHS = 73
_MAX_CELLS = 36
_PAD = 8
_NODE_H = 36
_ROW = 50
_GAP_X = 90
_BULGE = 40  # room right of the last column for an agent's loop to itself
_BAND_PAD = 24  # a shaded layer reaches this far beyond its columns
_BAND_FILL = "#f3f5f8"
_MARGIN = 16
_LEGEND_H = 34
_HEADING_H = 26

# Crossing reduction: at most _MAX_SWEEPS sweeps, and no more neighbour visits than _BUDGET.
_MAX_SWEEPS = 4
_BUDGET = 600_000

_NONE = -1  # layer of agents that reach no human
_UNKNOWN = -2  # layer of unknown targets
# A link that could leave the page: a scheme, or a network path (`//host`, and `\\host`, which
# browsers read the same), after what a URL parser strips (leading C0 and spaces, tab, CR, LF)
_LEAVES = re.compile(r"[\x00-\x20]*(?:[A-Za-z][A-Za-z0-9+.-]*:|[\\/]{2})")
_URL_IGNORED = re.compile("[\t\n\r]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass
class _Node:
    id: str
    kind: str  # agent | human | unknown
    layer: int
    label: str  # one line, cut to _MAX_CELLS, not yet escaped
    detail: str  # the second line: tier and flags, or what the node is
    classes: str
    title: list[str]  # hover text, lines not yet escaped
    fill: str
    alert: bool
    number: int = 0  # position in id order
    cycle: int = -1  # which closed cycle it is in, if any
    column: int = 0
    index: int = 0  # position in its column
    y: int = 0  # top of its box


def handoff_svg(
    graph: HandoffGraph,
    keep: set[str] | None = None,
    href: Callable[[str], str | None] = lambda agent: None,
    *,
    id_prefix: str = "handoffs",
) -> str:
    """The handoff graph (or the part of it in `keep`: nodes in it, edges between them) as one
    self-contained `<svg>` element, layered by distance to a human.

    `href(agent)` gives the link of an agent's node (a relative URL, e.g. from
    `escape.uri_path`), or None for none; a link with a scheme (`javascript:`, `https:`) or a
    host (`//host`) is not made: the page links only to its own files. Only agents are
    linked. `id_prefix` starts the ids of the SVG's markers, so that several graphs on one
    page have distinct ids."""
    nodes = _nodes(graph, keep)
    pairs = _pairs(graph, nodes)
    columns = _columns(nodes, pairs)
    _order(columns, nodes, pairs)
    return _draw(nodes, columns, pairs, href, _prefix(id_prefix))


def _prefix(id_prefix: str) -> str:
    """`id_prefix` as the start of an XML id: letters, digits, `-` and `_`, a letter first."""
    safe = _ID_UNSAFE.sub("-", id_prefix)
    return safe if safe[:1].isalpha() else f"g{safe}"


# -- what is drawn -------------------------------------------------------------------------


def _nodes(graph: HandoffGraph, keep: set[str] | None) -> list[_Node]:
    """The nodes to draw, in id order, with what each one shows."""
    distance = graph.distance()
    live = graph.reaches_human_or_unknown()
    cycles = graph.closed_cycles()
    cycle_of = {agent: i for i, cycle in enumerate(cycles) for agent in cycle.component}
    out: list[_Node] = []
    for node, kind in graph.nodes.items():
        if keep is None or node in keep:
            drawn = _node_of(graph, node, kind, distance.get(node), node in live, node in cycle_of)
            drawn.number = len(out)
            drawn.cycle = cycle_of.get(node, -1)
            out.append(drawn)
    return out


def _node_of(
    graph: HandoffGraph, node: str, kind: str, hops: int | None, live: bool, in_cycle: bool
) -> _Node:
    text = one_line(node)
    label = _cut(text)
    if kind == "human":
        return _Node(
            node, kind, 0, label, "human queue", "node human", [text, "human queue"],
            _HUMAN_FILL, False,
        )  # fmt: skip
    if kind == "unknown":
        title = [text, "unknown target: no card or queue has this name"]
        return _Node(
            node, kind, _UNKNOWN, label, "unknown target", "node unknown", title,
            _UNKNOWN_FILL, False,
        )  # fmt: skip
    info = graph.agents[node]
    tier = f"tier {info.tier}" if info.tier is not None else "tier unknown"
    words = [tier]
    classes = ["node", "agent", f"tier-{info.tier}" if info.tier is not None else "no-tier"]
    if info.status in ("paused", "retired"):
        words.append(info.status)
        classes.append("inactive")
    title = [text, f"agent, {tier}, status {info.status or 'unknown'}"]
    alert = False
    if hops is not None:
        nearest = one_line(graph.nearest_human(node) or "")
        title.append(f"reaches {nearest} in {hops} handoff{'s' if hops != 1 else ''}")
    elif in_cycle:
        words.append("\u21bb closed cycle")
        classes.append("cycle")
        title.append("closed cycle: hands work round in circles, never to a human")
        alert = True
    elif not live:
        words.append("\u26a0 dead end")
        classes.append("dead-end")
        title.append("dead end: no way to a human")
        alert = True
    else:
        title.append("no human reached: a target further on cannot be judged")
    layer = hops if hops is not None else _NONE
    fill = _TIER_FILL.get(info.tier or 0, _NO_TIER_FILL)
    return _Node(
        node, kind, layer, label, " \u00b7 ".join(words), " ".join(classes), title, fill, alert
    )


Pair = tuple[int, int, tuple[str, ...]]  # source, target (node numbers), kinds in KINDS order
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


def _pairs(graph: HandoffGraph, nodes: list[_Node]) -> list[Pair]:
    """Each edge between drawn nodes, sorted by source then target (node numbers follow ids)."""
    number = {node.id: node.number for node in nodes}.get
    out = []
    for (source, target), kinds in graph.kinds.items():
        s, t = number(source), number(target)
        if s is not None and t is not None:
            ordered = (
                tuple(kinds) if len(kinds) == 1 else tuple(sorted(kinds, key=_RANK.__getitem__))
            )
            out.append((s, t, ordered))
    out.sort()
    return out


def _column_order(layer: int) -> tuple[int, int]:
    """Left to right: unknown targets (beside the agents that name them, which mostly reach
    no human), agents that reach no human, the farthest agents, ..., human queues."""
    if layer == _UNKNOWN:
        return (0, 0)
    if layer == _NONE:
        return (1, 0)
    return (2, -layer)


def _columns(nodes: list[_Node], pairs: list[Pair]) -> list[list[_Node]]:
    """Nodes by layer, the layers in drawing order (left to right), each layer cut into
    columns by the handoffs within it, each column sorted by id.

    In a roster where every agent escalates to a human, every agent is one hop from one: a
    single layer. So within a layer, an agent stands left of the agents it hands work to: its
    column is the longest path from it to an agent of its layer that hands to none there
    (which stand in the rightmost column of the layer). Edges that close a cycle are left
    out of that count; such an edge runs back along the path that set the columns, so no
    edge (but an agent's loop to itself) has both ends in one column."""
    succ: list[list[int]] = [[] for _ in nodes]
    for s, t, _ in pairs:  # sorted: so is each list
        if s != t and nodes[s].layer == nodes[t].layer:
            succ[s].append(t)
    depth = _depths(succ)
    by_layer: dict[int, list[_Node]] = {}
    for node in nodes:  # in id order
        by_layer.setdefault(node.layer, []).append(node)
    columns: list[list[_Node]] = []
    for layer in sorted(by_layer, key=_column_order):
        band = by_layer[layer]
        deepest = max(depth[node.number] for node in band)
        cut: list[list[_Node]] = [[] for _ in range(deepest + 1)]  # none empty: see _depths
        for node in band:
            cut[deepest - depth[node.number]].append(node)
        columns += cut
    for c, column in enumerate(columns):
        for i, node in enumerate(column):
            node.column, node.index = c, i
    return columns


def _depths(succ: list[list[int]]) -> list[int]:
    """The longest path from each node to a node without successors, counting no edge that
    closes a cycle (one found on the depth-first search's stack): O(nodes + edges), no
    recursion. Every depth from 0 to a node's own is some node's on its longest path."""
    depth = [-1] * len(succ)  # -1: not seen; -2: on the stack
    for root in range(len(succ)):
        if depth[root] != -1:
            continue
        depth[root] = -2
        stack = [(root, 0)]
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                target = succ[node][i]
                if depth[target] == -1:
                    depth[target] = -2
                    stack.append((target, 0))
                continue
            stack.pop()
            depth[node] = 1 + max((depth[t] for t in succ[node] if depth[t] >= 0), default=-1)
    return depth


# -- crossing reduction --------------------------------------------------------------------


def _order(columns: list[list[_Node]], nodes: list[_Node], pairs: list[Pair]) -> None:
    """Reorder each column by the barycentre of its neighbours, a bounded number of sweeps."""
    # each node's neighbours in the columns to its right and to its left (edges within a
    # column do not move anything)
    right: list[list[int]] = [[] for _ in nodes]
    left: list[list[int]] = [[] for _ in nodes]
    for s, t, _ in pairs:
        cs, ct = nodes[s].column, nodes[t].column
        if cs < ct:
            right[s].append(t)
            left[t].append(s)
        elif cs > ct:
            left[s].append(t)
            right[t].append(s)
    height = max((len(column) for column in columns), default=0)
    pos = [0.0] * len(nodes)  # the height of each node, in rows; columns are centred

    def place(column: list[_Node]) -> None:
        shift = (height - len(column)) / 2
        for i, node in enumerate(column):
            node.index = i
            pos[node.number] = i + shift

    for column in columns:
        place(column)
    sweeps = max(1, min(_MAX_SWEEPS, _BUDGET // max(len(nodes) + len(pairs), 1)))
    at = pos.__getitem__
    for sweep in range(sweeps):
        leftward = sweep % 2 == 0  # first from the humans outward
        side = right if leftward else left
        for c in range(len(columns) - 1, -1, -1) if leftward else range(len(columns)):
            column = columns[c]
            if len(column) < 2:
                continue
            keys = []
            for node in column:
                others = side[node.number]
                centre = sum(map(at, others)) / len(others) if others else pos[node.number]
                keys.append((centre, node.index))
            ranked = sorted(range(len(column)), key=keys.__getitem__)
            columns[c] = [column[i] for i in ranked]
            place(columns[c])


# -- drawing -------------------------------------------------------------------------------


def _cells(text: str) -> int:
    """Monospace cells `text` takes: wide East Asian characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(ch) for ch in text)


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _cut(text: str) -> str:
    if _cells(text) <= _MAX_CELLS:
        return text
    out = []
    used = 0
    for ch in text:
        used += _char_cells(ch)
        if used > _MAX_CELLS - 1:
            break
        out.append(ch)
    return "".join(out) + "\u2026"


def _width(cells: int) -> int:
    return (cells * _CELL_TENTHS + 9) // 10


def _heading(layer: int) -> str:
    if layer == _NONE:
        return "no human reached"
    if layer == _UNKNOWN:
        return "unknown targets"
    if layer == 0:
        return "human queues"
    return f"{layer} hop{'s' if layer != 1 else ''} from a human"


def _draw(
    nodes: list[_Node],
    columns: list[list[_Node]],
    pairs: list[Pair],
    href: Callable[[str], str | None],
    prefix: str,
) -> str:
    height = max((len(column) for column in columns), default=0)
    top = _MARGIN + _LEGEND_H + _HEADING_H
    xs: list[int] = []  # left edge of each column
    widths: list[int] = []
    bands: list[tuple[int, int, int]] = []  # layer, first column, last column
    x = _MARGIN + _BAND_PAD
    for c, column in enumerate(columns):
        layer = column[0].layer
        if not bands or bands[-1][0] != layer:
            bands.append((layer, c, c))
        else:
            bands[-1] = (layer, bands[-1][1], c)
        cells = max(max(_cells(n.label), _cells(n.detail)) for n in column)
        width = _width(cells) + 3 * _PAD
        if bands[-1][1] == c and (c + 1 == len(columns) or columns[c + 1][0].layer != layer):
            width = max(width, _width(len(_heading(layer))))  # a layer of one column
        shift = (height - len(column)) * _ROW // 2
        for node in column:
            node.y = top + shift + node.index * _ROW
        xs.append(x)
        widths.append(width)
        x += width + _GAP_X
    legend, legend_width = _legend(prefix)
    total_width = max(x - _GAP_X + _BULGE + _MARGIN, legend_width + 2 * _MARGIN)
    total_height = top + max(height * _ROW - (_ROW - _NODE_H), 0) + _MARGIN
    agents = sum(1 for n in nodes if n.kind == "agent")
    queues = sum(1 for n in nodes if n.kind == "human")
    label = f"Handoff graph: {agents} agents, {queues} human queues, {len(pairs)} links"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="handoff-graph" width="{total_width}" '
        f'height="{total_height}" viewBox="0 0 {total_width} {total_height}" '
        f'font-family="{_FONT}" font-size="12" role="group" aria-label="{label}">',
        "<defs>",
        _marker(f"{prefix}-arrow", _EDGE),
        _marker(f"{prefix}-arrow-alert", _ALERT),
        "</defs>",
        legend,
        '<g class="layers" fill="#333333">',
    ]
    band_top, band_height = top - _HEADING_H - 4, total_height - top + _HEADING_H - _MARGIN + 12
    for n, (layer, first, last) in enumerate(bands):
        left, right = xs[first] - _BAND_PAD, xs[last] + widths[last] + _BAND_PAD
        if n % 2 == 0:  # every other layer shaded, so a layer of several columns reads as one
            out.append(
                f'<rect class="layer" x="{left}" y="{band_top}" width="{right - left}" '
                f'height="{band_height}" fill="{_BAND_FILL}"/>'
            )
        heading = _heading(layer)
        out.append(f'<text class="layer-heading" x="{xs[first]}" y="{top - 10}">{heading}</text>')
    out.append("</g>")
    out.append(f'<g class="edges" fill="none" stroke="{_EDGE}" stroke-width="1.3">')
    out += _edges(nodes, pairs, xs, widths, prefix)
    out.append("</g>")
    out.append('<g class="nodes">')
    for column, x, width in zip(columns, xs, widths, strict=True):
        for node in column:
            out.append(_node(node, x, width, href))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _marker(ident: str, colour: str) -> str:
    return (
        f'<marker id="{ident}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>'
    )


def _legend(prefix: str) -> tuple[str, int]:
    """The key: edge kinds by dash pattern, then fills, each named in words."""
    y = _MARGIN + 12
    x = _MARGIN
    parts = ['<g class="legend" fill="#333333">']
    for kind in KINDS:
        dash = f' stroke-dasharray="{_DASH[kind]}"' if _DASH[kind] else ""
        parts.append(
            f'<path class="edge {kind}" d="M{x},{y - 4}H{x + 34}" stroke="{_EDGE}" '
            f'stroke-width="1.3"{dash} marker-end="url(#{prefix}-arrow)"/>'
        )
        parts.append(f'<text x="{x + 40}" y="{y}">{kind}</text>')
        x += 40 + _width(len(kind)) + 18
    swatches = [
        ("tier 1", _TIER_FILL[1], 3),
        ("tier 2", _TIER_FILL[2], 3),
        ("tier 3", _TIER_FILL[3], 3),
        ("human queue", _HUMAN_FILL, 7),
    ]
    for text, fill, rx in swatches:
        parts.append(
            f'<rect x="{x}" y="{y - 11}" width="14" height="14" rx="{rx}" fill="{fill}" '
            f'stroke="{_STROKE}"/>'
        )
        parts.append(f'<text x="{x + 20}" y="{y}">{text}</text>')
        x += 20 + _width(len(text)) + 18
    text = "\u26a0 dead end / \u21bb closed cycle: no way to a human"
    parts.append(
        f'<rect x="{x}" y="{y - 11}" width="14" height="14" rx="3" fill="#ffffff" '
        f'stroke="{_ALERT}" stroke-width="3"/>'
    )
    parts.append(f'<text x="{x + 20}" y="{y}">{text}</text>')
    x += 20 + _width(_cells(text))
    parts.append("</g>")
    return "\n".join(parts), x - _MARGIN


def _edges(
    nodes: list[_Node], pairs: list[Pair], xs: list[int], widths: list[int], prefix: str
) -> list[str]:
    """One path per edge kind of each pair, parallel when a pair has several. (The hot loop of
    a dense roster: plain lists and one f-string per path.)"""
    lx = [xs[node.column] for node in nodes]  # left and right edges of each node's box
    rx = [xs[node.column] + widths[node.column] for node in nodes]
    cy = [node.y + _NODE_H // 2 for node in nodes]
    cycle = [node.cycle for node in nodes]
    ends = {}  # (kind, alert) -> (start of the element, its end)
    for kind in KINDS:
        dash = f' stroke-dasharray="{_DASH[kind]}"' if _DASH[kind] else ""
        ends[kind, False] = (
            f'<path class="edge {kind}" d="',
            f'"{dash} marker-end="url(#{prefix}-arrow)"/>',
        )
        ends[kind, True] = (
            f'<path class="edge {kind} cycle" d="',
            f'" stroke="{_ALERT}"{dash} marker-end="url(#{prefix}-arrow-alert)"/>',
        )
    out = []
    for s, t, kinds in pairs:
        alert = cycle[s] >= 0 and cycle[s] == cycle[t]
        for kind, offset in zip(kinds, _OFFSETS[len(kinds)], strict=True):
            sy, ty = cy[s] + offset, cy[t] + offset
            if s == t:  # a loop on the right side of the box
                x = rx[s]
                d = f"M{x},{sy - 8}C{x + _BULGE},{sy - 26} {x + _BULGE},{sy + 10} {x},{sy + 8}"
            else:  # never within a column (_columns): facing sides, a curve between
                sx, tx = (rx[s], lx[t]) if lx[s] < lx[t] else (lx[s], rx[t])
                mid = (sx + tx) // 2
                d = f"M{sx},{sy}C{mid},{sy} {mid},{ty} {tx},{ty}"
            start, end = ends[kind, alert]
            out.append(f"{start}{d}{end}")
    return out


def _node(node: _Node, x: int, w: int, href: Callable[[str], str | None]) -> str:
    y, h = node.y, _NODE_H
    stroke = f'stroke="{_ALERT}" stroke-width="3"' if node.alert else f'stroke="{_STROKE}"'
    if node.kind == "human":
        shape = f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{h // 2}" '
    elif node.kind == "unknown":
        cut = _PAD
        points = (
            f"{x},{y + h // 2} {x + cut},{y} {x + w - cut},{y} {x + w},{y + h // 2} "
            f"{x + w - cut},{y + h} {x + cut},{y + h}"
        )
        shape = f'<polygon points="{points}" stroke-dasharray="4 3" '
    else:
        dash = ' stroke-dasharray="5 3"' if "inactive" in node.classes and not node.alert else ""
        shape = f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3"{dash} '
    title = "\n".join(xml_text(line) for line in node.title)
    text_x = x + _PAD if node.kind != "unknown" else x + _PAD + _PAD // 2
    body = (
        f'<g class="{node.classes}"><title>{title}</title>'
        f'{shape}fill="{node.fill}" {stroke}/>'
        f'<text x="{text_x}" y="{y + 15}" fill="#111111">{xml_text(node.label)}</text>'
        f'<text class="detail" x="{text_x}" y="{y + 29}" fill="#333333" font-size="11">'
        f"{xml_text(node.detail)}</text></g>"
    )
    if node.kind != "agent":
        return body
    link = href(node.id)
    if not link or _LEAVES.match(_URL_IGNORED.sub("", link)):
        return body
    return f'<a href="{xml_attribute(link)}">{body}</a>'
