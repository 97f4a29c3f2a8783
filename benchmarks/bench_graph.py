"""Handoff-graph analysis at scale: 10,000 agents, 30,000 handoffs (issue target: < 1 s).

    python benchmarks/bench_graph.py [N_AGENTS] [--rounds R]

Cards are made in memory as the graph sees them (plain data and a source map), so YAML
loading is not measured here (bench_loader.py and bench_lint.py do that). Each agent hands
work to three others, chosen at random with a fixed seed, and one in ten escalates to a human
queue; so there are long paths, cycles with and without exits, and every H rule has work.
Prints the median time of building the networkx graph and of running all roster-wide H rules.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

from agentroster.config import Config
from agentroster.context import CardFile, Roster
from agentroster.graph import handoff_graph
from agentroster.rules import RULES
from agentroster.rules.base import RosterContext
from agentroster.sourcemap import SourceMap


def cards(n: int, seed: int = 7) -> list[CardFile]:
    rng = random.Random(seed)
    ids = [f"agent-{i:05d}" for i in range(n)]
    out = []
    for i, agent in enumerate(ids):
        targets = rng.sample(ids, 3)
        data = {
            "id": agent,
            "handoffs": [
                {"to": t, "fallback": f"human:q{i % 50}"} if i % 10 == 0 else {"to": t}
                for t in targets
            ],
            "escalation": {"to": f"human:q{i % 50}" if i % 10 == 0 else targets[0]},
        }
        classes = ["internal", "pii"] if i % 3 else ["internal"]
        model = SimpleNamespace(
            id=agent, status="production", tier=1, data=SimpleNamespace(classes=classes)
        )
        context = SimpleNamespace(tainted=frozenset(), model=model)
        smap = SourceMap()
        smap.add_value(("id",), 2, 4)
        out.append(
            CardFile(Path(f"/r/{agent}.agent.yaml"), f"{agent}.agent.yaml", data, smap, [], context)  # type: ignore[arg-type]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = cards(args.n)
    edges = sum(len(f.data["handoffs"]) for f in files)
    h_rules = [r for r in RULES if r.family == "H" and r.scope == "roster"]
    build_times, rule_times, counts = [], [], {}
    for _ in range(args.rounds):
        roster = Roster(Path("/r"), files)
        start = time.perf_counter()
        handoff_graph(roster)
        built = time.perf_counter()
        ctx = RosterContext(
            [], roster, Config(root=Path("/r")), __import__("datetime").date(2026, 11, 21)
        )
        counts = {r.code: len(list(r.check(ctx))) for r in h_rules}  # type: ignore[misc]
        done = time.perf_counter()
        build_times.append(built - start)
        rule_times.append(done - built)
    build, rules = statistics.median(build_times), statistics.median(rule_times)
    print(f"{args.n} agents, {edges} handoffs, median of {args.rounds} rounds")
    print(f"  build graph     {build:6.3f} s")
    print(f"  H rules         {rules:6.3f} s   findings: {counts}")
    print(f"  total           {build + rules:6.3f} s   (target < 1 s)")


if __name__ == "__main__":
    main()
