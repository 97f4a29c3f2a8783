"""The SVG handoff graph (emit.svg.handoff_svg) on large and hostile graph shapes.

    python benchmarks/bench_svg.py [SHAPE ...] [--rounds R]

Cards are made in memory as the graph sees them (as bench_graph.py does), so only the graph's
analysis (distances, cycles) and the layout and drawing are timed. Shapes:

- roster: 2,000 agents with 3 handoffs each (6,000 edges), one in ten escalating to one of
  50 human queues (the site's target: well under a second);
- chain: 6,000 agents in one line to a human (6,001 columns);
- dense: 2,000 agents with 40 handoffs and a fallback each (about 160,000 edges);
- star: a hub handing to 3,000 agents, and 3,000 agents handing to the hub;
- cycles: 3,000 agents in closed two-agent loops and 3,000 in one closed loop.

Prints the median time, the SVG's size and its bytes per node and edge (which should stay flat
from shape to shape: output linear in the graph).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from agentroster.context import CardFile
from agentroster.emit.svg import handoff_svg
from agentroster.graph import build
from agentroster.sourcemap import SourceMap


def card(agent: str, targets: list[tuple[str, str | None]], escalation: str | None) -> CardFile:
    handoffs = [{"to": t} if f is None else {"to": t, "fallback": f} for t, f in targets]
    data: dict[str, Any] = {"id": agent, "handoffs": handoffs}
    if escalation:
        data["escalation"] = {"to": escalation}
    model = SimpleNamespace(id=agent, status="production", tier=1 + len(agent) % 3, data=None)
    context = SimpleNamespace(tainted=frozenset(), model=model)
    path = f"{agent}.agent.yaml"
    return CardFile(Path("/r") / path, path, data, SourceMap(), [], context)  # type: ignore[arg-type]


def ids(n: int, prefix: str = "agent") -> list[str]:
    return [f"{prefix}-{i:05d}" for i in range(n)]


def roster(n: int = 2000) -> list[CardFile]:
    rng = random.Random(7)
    names = ids(n)
    out = []
    for i, agent in enumerate(names):
        targets: list[tuple[str, str | None]] = [(t, None) for t in rng.sample(names, 3)]
        out.append(card(agent, targets, f"human:q{i % 50}" if i % 10 == 0 else None))
    return out


def chain(n: int = 6000) -> list[CardFile]:
    names = ids(n)
    return [card(a, [], names[i + 1] if i + 1 < n else "human:ops") for i, a in enumerate(names)]


def dense(n: int = 2000, degree: int = 40) -> list[CardFile]:
    rng = random.Random(7)
    names = ids(n)
    out = []
    for i, agent in enumerate(names):
        pairs: list[tuple[str, str | None]] = [
            (t, rng.choice(names)) for t in rng.sample(names, degree)
        ]
        out.append(card(agent, pairs, "human:ops" if i % 100 == 0 else names[i - 1]))
    return out


def star(n: int = 3000) -> list[CardFile]:
    leaves, senders = ids(n, "leaf"), ids(n, "sender")
    out = [card("hub", [(leaf, leaf) for leaf in leaves], "hub")]
    out += [card(leaf, [], None) for leaf in leaves]
    out += [card(sender, [], "hub") for sender in senders]
    return out


def cycles(n: int = 3000) -> list[CardFile]:
    pairs, ring = ids(n, "pair"), ids(n, "ring")
    out = [card(a, [], pairs[i ^ 1]) for i, a in enumerate(pairs)]
    out += [card(a, [], ring[(i + 1) % n]) for i, a in enumerate(ring)]
    return out


SHAPES: dict[str, Callable[[], list[CardFile]]] = {
    "roster": roster,
    "chain": chain,
    "dense": dense,
    "star": star,
    "cycles": cycles,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("shapes", nargs="*", metavar="SHAPE", help=", ".join(SHAPES))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'shape':8} {'nodes':>7} {'edges':>8} {'median s':>9} {'MB':>7} {'bytes/(n+e)':>12}")
    for name in args.shapes or SHAPES:
        files = SHAPES[name]()
        times, size, nodes, edges = [], 0, 0, 0
        for _ in range(args.rounds):
            graph = build(files, declared_queues=None)  # fresh: distances and cycles timed too
            start = time.perf_counter()
            svg = handoff_svg(graph, href=lambda agent: f"agents/{agent}.html")
            times.append(time.perf_counter() - start)
            size = len(svg.encode("utf-8"))
            nodes = len(graph.nodes)
            edges = sum(len(kinds) for kinds in graph.kinds.values())
        median = statistics.median(times)
        per = size / (nodes + edges)
        print(f"{name:8} {nodes:7} {edges:8} {median:9.3f} {size / 1e6:7.2f} {per:12.0f}")


if __name__ == "__main__":
    main()
