"""The handoff graph of a roster: one networkx DiGraph per run, built once.

Nodes are agent ids and `human:<queue>` targets; an edge goes from an agent to each target of
its handoffs (`handoff`), their fallbacks (`fallback`) and its escalation (`escalation`). Edges
are read from each card's plain data, not the validated model, so a card with schema errors
still contributes every target it names, each with the file, line and column of its value.

Analysis is linear in nodes + edges: one multi-source BFS over the reversed graph gives every
agent's distance (and next hop) to the nearest human, and networkx's strongly connected
components give the cycles.

The networkx DiGraph (`HandoffGraph.graph`) is built once, on first use. Reachability needs only
the adjacency maps the builder makes anyway, and a closed cycle can exist only where some agent
cannot reach a human; so a roster where every agent reaches one (the usual pre-commit case)
never imports networkx, whose import alone costs about 0.15 s of every run's start-up.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from agentroster.context import CardFile, Roster, data_classes
from agentroster.findings import KeyPath
from agentroster.model import REGULATED, TARGET_PATTERN
from agentroster.sourcemap import SourceMap
from agentroster.spelling import Speller

HUMAN = "human:"
_TARGET_RE = re.compile(TARGET_PATTERN)


class EdgeRef(NamedTuple):
    """One declared target: which card, which field, where. (A NamedTuple: tens of
    thousands are made per run, and a frozen dataclass costs three times as much.)

    The position is looked up in the card's source map when asked: only the edges a
    finding is about need one, and a roster's source maps stay packed until then
    (sourcemap.PackedSourceMap)."""

    kind: str  # handoff | fallback | escalation
    source: str
    target: str
    path: str
    key: KeyPath
    where: SourceMap  # the source map of the card that declares it

    @property
    def position(self) -> tuple[int, int]:
        """(line, column) of the target's value."""
        return self.where.value(self.key)

    @property
    def line(self) -> int:
        return self.position[0]

    @property
    def column(self) -> int:
        return self.position[1]


@dataclass
class AgentInfo:
    """What the graph knows of one agent."""

    id: str
    path: str
    status: str | None
    tier: int | None
    classes: frozenset[str] | None  # None when unreadable
    complete: bool  # False when some of its targets could not be read
    card: CardFile


@dataclass(frozen=True)
class ClosedCycle:
    """A cycle [a, b, ..., a] and every agent of its strongly connected component."""

    cycle: list[str]
    component: frozenset[str]


@dataclass
class HandoffGraph:
    """The graph plus what the rules need, computed once."""

    nodes: dict[str, str]  # node -> kind: agent | human | unknown (sorted by node)
    succ: dict[str, set[str]]
    pred: dict[str, set[str]]
    kinds: dict[tuple[str, str], set[str]]  # edge -> handoff / fallback / escalation
    agents: dict[str, AgentInfo]
    refs: list[EdgeRef]
    declared_queues: frozenset[str] | None  # None: no queues file, any human: target is fine
    duplicate_ids: frozenset[str] = frozenset()
    _distance: dict[str, int] | None = field(default=None, repr=False)
    _next_hop: dict[str, str] = field(default_factory=dict, repr=False)
    _nearest: dict[str, str] = field(default_factory=dict, repr=False)
    _agent_succ: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _spellers: dict[bool, Speller] = field(default_factory=dict, repr=False)
    _live: set[str] | None = field(default=None, repr=False)
    _cycles: list[ClosedCycle] | None = field(default=None, repr=False)
    _nx: Any = field(default=None, repr=False)

    @property
    def graph(self) -> Any:
        """The networkx DiGraph: nodes with kind, status and tier; edges with their kinds."""
        if self._nx is None:
            import networkx as nx  # deferred: start-up time (module docstring)

            graph = nx.DiGraph()
            for node, kind in self.nodes.items():
                info = self.agents.get(node)
                attrs: dict[str, Any] = {"kind": kind}
                if info is not None:
                    attrs.update(status=info.status, tier=info.tier)
                graph.add_node(node, **attrs)
            graph.add_edges_from((s, t, {"kinds": k}) for (s, t), k in self.kinds.items())
            self._nx = graph
        return self._nx

    # -- facts ------------------------------------------------------------------------------
    def is_human(self, node: str) -> bool:
        return node.startswith(HUMAN)

    def is_known(self, target: str) -> bool:
        """An existing agent, or a human queue (declared, when a queues file exists)."""
        if target.startswith(HUMAN):
            return self.declared_queues is None or target[len(HUMAN) :] in self.declared_queues
        return target in self.agents

    def optimistic(self, node: str) -> bool:
        """Nodes whose onward path cannot be judged (unknown target, card not fully read):
        treated as reaching a human, so one defect is reported once, where it is."""
        info = self.agents.get(node)
        return (info is None and not self.is_human(node)) or (
            info is not None and (not info.complete or node in self.duplicate_ids)
        )

    # -- reachability -----------------------------------------------------------------------
    def _bfs(self) -> None:
        distance: dict[str, int] = {}
        next_hop: dict[str, str] = {}
        nearest: dict[str, str] = {}
        queue: deque[str] = deque()
        for node in self.nodes:
            if self.is_human(node):
                distance[node] = 0
                nearest[node] = node
                queue.append(node)
        pred = self.pred
        while queue:
            node = queue.popleft()
            for sender in pred.get(node, ()):
                if sender not in distance:
                    distance[sender] = distance[node] + 1
                    next_hop[sender] = node
                    nearest[sender] = nearest[node]
                    queue.append(sender)
        self._distance, self._next_hop, self._nearest = distance, next_hop, nearest

    def distance(self) -> dict[str, int]:
        """Handoffs from each node to the nearest human (absent: no human reachable)."""
        if self._distance is None:
            self._bfs()
        assert self._distance is not None
        return self._distance

    def path_to_human(self, agent: str, most: int | None = None) -> list[str]:
        """The shortest path from `agent` to a human, [agent, ..., human:x]; with `most`, only
        its first `most` nodes (a message shows a few hops, not 6,000: see nearest_human)."""
        self.distance()
        path = [agent]
        while path[-1] in self._next_hop and (most is None or len(path) < most):
            path.append(self._next_hop[path[-1]])
        return path

    def nearest_human(self, node: str) -> str | None:
        """The human at the end of the shortest path from `node`, if one is reachable."""
        self.distance()
        return self._nearest.get(node)

    def reaches_human_or_unknown(self) -> set[str]:
        """Nodes from which a human, or a node that cannot be judged, is reachable."""
        if self._live is None:
            self._live = self._reaching()
        return self._live

    def _reaching(self) -> set[str]:
        seeds = [n for n in self.nodes if self.is_human(n) or self.optimistic(n)]
        seen = set(seeds)
        queue = deque(seeds)
        pred = self.pred
        while queue:
            node = queue.popleft()
            for sender in pred.get(node, ()):
                if sender not in seen:
                    seen.add(sender)
                    queue.append(sender)
        return seen

    def reachable_agents(self, agent: str, limit: int = 6) -> list[str]:
        """Agents reachable from `agent` (not itself), in BFS order, at most `limit`.

        Each node's non-human successors are sorted once per graph, and the search stops as
        soon as `limit` are found: asked for every agent of a star (thousands of agents
        handing to one hub that hands to thousands), it costs O(limit²) per agent, not the
        hub's degree."""
        out: list[str] = []
        seen = {agent}
        queue = deque([agent])
        while queue and len(out) < limit:
            for target in self._sorted_agents_after(queue.popleft()):
                if target not in seen:
                    seen.add(target)
                    out.append(target)
                    queue.append(target)
                    if len(out) == limit:
                        break
        return out

    def _sorted_agents_after(self, node: str) -> list[str]:
        cached = self._agent_succ.get(node)
        if cached is None:
            targets = self.succ.get(node, ())
            cached = self._agent_succ[node] = sorted(t for t in targets if not self.is_human(t))
        return cached

    def closed_cycles(self) -> list[ClosedCycle]:
        """Groups of agents that hand work round in circles with no way to a human (nor to a
        node that cannot be judged): one per strongly connected component, each with the
        shortest cycle through its smallest id."""
        if self._cycles is None:
            self._cycles = self._closed_cycles(self.reaches_human_or_unknown())
        return self._cycles

    def _closed_cycles(self, live: set[str]) -> list[ClosedCycle]:
        # Human and unknown nodes have no outgoing edges, so they are components of their
        # own: the components of the whole graph are those of its agents (no subgraph view,
        # which costs more than the search itself).
        if all(agent in live for agent in self.agents):
            return []  # every agent reaches a human: no closed cycle, no networkx needed
        import networkx as nx  # deferred: start-up time (module docstring)

        graph = self.graph
        out = []
        for component in nx.strongly_connected_components(graph):
            start = min(component)
            if start in live or start not in self.agents:
                continue
            if len(component) == 1 and not graph.has_edge(start, start):
                continue
            cycle = _cycle_from(self.succ, component, start)
            out.append(ClosedCycle(cycle, frozenset(component)))
        return sorted(out, key=lambda c: c.cycle)

    def closest(self, target: str) -> str | None:
        """The agent id, or declared `human:` queue, closest to an unknown target (for a
        did-you-mean), in bounded time per question (spelling.Speller, one per graph)."""
        human = self.is_human(target)
        speller = self._spellers.get(human)
        if speller is None:
            pool = [HUMAN + q for q in self.declared_queues or ()] if human else self.agents
            speller = self._spellers[human] = Speller(pool, cutoff=0.75)
        return speller.closest(target)

    def neighbourhood(self, agent: str, depth: int) -> set[str]:
        """Nodes within `depth` edges of `agent`, in either direction."""
        seen = {agent}
        frontier = {agent}
        for _ in range(depth):
            if not frontier:
                break  # `--depth` may be any number
            nxt: set[str] = set()
            for node in frontier:
                nxt.update(self.succ.get(node, ()))
                nxt.update(self.pred.get(node, ()))
            frontier = nxt - seen
            seen |= frontier
        return seen


def _cycle_from(succ: dict[str, set[str]], component: set[str], start: str) -> list[str]:
    """A cycle through `start` inside `component`, as [start, ..., start] (shortest first)."""
    parents = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(succ.get(node, ())):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [*reversed(path), start]
            if target in component and target not in parents:
                parents[target] = node
                queue.append(target)
    return [start, start]  # pragma: no cover - a component of 2+ nodes always cycles


def _targets(card: CardFile) -> Iterator[tuple[str, Any, KeyPath]]:
    """(kind, value, key path) of every target a card's plain data names."""
    data = card.data
    if not isinstance(data, dict):
        return
    handoffs = data.get("handoffs")
    if isinstance(handoffs, list):
        for index, handoff in enumerate(handoffs):
            if isinstance(handoff, dict):
                for kind, key in (("handoff", "to"), ("fallback", "fallback")):
                    if key in handoff:
                        yield kind, handoff[key], ("handoffs", index, key)
            else:
                yield "handoff", handoff, ("handoffs", index)
    elif handoffs is not None:
        yield "handoff", handoffs, ("handoffs",)
    escalation = data.get("escalation")
    if isinstance(escalation, dict):
        if "to" in escalation:
            yield "escalation", escalation["to"], ("escalation", "to")
    elif escalation is not None:
        yield "escalation", escalation, ("escalation",)


def _classes(card: CardFile) -> frozenset[str] | None:
    ctx = card.context
    if ctx is not None and "data" not in ctx.tainted:
        return data_classes(ctx.model)
    return None


def build(files: Iterable[CardFile], *, declared_queues: frozenset[str] | None) -> HandoffGraph:
    """The handoff graph of every card file that names an agent id."""
    agents: dict[str, AgentInfo] = {}
    refs: list[EdgeRef] = []
    seen_ids: dict[str, int] = {}
    well_formed: dict[str, bool] = {}  # targets repeat: match each distinct string once
    for card in files:
        agent = card.agent_id
        if agent is None:
            continue
        seen_ids[agent] = seen_ids.get(agent, 0) + 1
        ctx = card.context
        status = tier = None
        if ctx is None:
            complete = False
        elif not ctx.tainted:  # most cards: no field failed validation
            complete, model = True, ctx.model
            status, tier = model.status, model.tier
        else:
            tainted = ctx.tainted
            complete = "handoffs" not in tainted and "escalation" not in tainted
            status = None if "status" in tainted else ctx.model.status
            tier = None if "tier" in tainted else ctx.model.tier
        smap: SourceMap = card.source_map
        for kind, value, key in _targets(card):
            if not isinstance(value, str):
                complete = False  # a schema error (C002) says what is wrong with it
                continue
            ok = well_formed.get(value)
            if ok is None:
                ok = well_formed[value] = _TARGET_RE.match(value) is not None
            if not ok:
                complete = False
                continue
            refs.append(EdgeRef(kind, agent, value, card.path, key, smap))
        if agent in agents:
            continue  # C005 reports the duplicate; the first card defines the node
        agents[agent] = AgentInfo(agent, card.path, status, tier, _classes(card), complete, card)
    kinds: dict[tuple[str, str], set[str]] = {}
    for ref in refs:
        kinds.setdefault((ref.source, ref.target), set()).add(ref.kind)
    nodes = {agent: "agent" for agent in agents}
    for _, target in kinds:
        if target not in nodes:
            nodes[target] = "human" if target.startswith(HUMAN) else "unknown"
    succ: dict[str, set[str]] = {}
    pred: dict[str, set[str]] = {}
    for source, target in kinds:
        succ.setdefault(source, set()).add(target)
        pred.setdefault(target, set()).add(source)
    duplicates = frozenset(a for a, n in seen_ids.items() if n > 1)
    ordered = {node: nodes[node] for node in sorted(nodes)}
    return HandoffGraph(ordered, succ, pred, kinds, agents, refs, declared_queues, duplicates)


def regulated(classes: frozenset[str] | None) -> frozenset[str]:
    return (classes or frozenset()) & REGULATED


def handoff_graph(roster: Roster) -> HandoffGraph:
    """The handoff graph of `roster`, built on first use and kept with it."""
    cached = roster.graph_cache
    if isinstance(cached, HandoffGraph):
        return cached
    queues = roster.catalogues.queues if roster.catalogues else None
    declared = frozenset(queues) if queues is not None else None
    graph = build(roster.files, declared_queues=declared)
    roster.graph_cache = graph
    return graph
