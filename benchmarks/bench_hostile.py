"""Hostile roster shapes, through the whole `agentroster lint`: time, peak memory, output size.

    python benchmarks/bench_hostile.py [SHAPE ...] [--scale F] [--src DIR]

A pull request chooses the shape of the handoff graph, so every shape must cost O(cards +
edges) in time, memory and output. Each shape is written as small card files (the required
fields and what the graph needs) and linted once by `python -m agentroster lint -j 1 --format
json`, measured through a small process in between (peak_rss.py explains why):

- chain: 6,000 agents in one line to a human (H007 printed the whole path in every message);
- dense: 2,000 agents with 40 handoffs and a fallback each (162,000 edges), 1 in 100
  escalating to a human;
- star: a hub handing to 3,000 agents that escalate nowhere, and 3,000 agents escalating to
  the hub (H003 walked the hub's whole reach once per agent);
- cycles: 3,000 agents in closed two-agent loops and 3,000 in one closed loop (H004);
- duplicates: 3,000 cards with one id (C005 named every other path in every message);
- unknown: 1,500 agents naming 3,000 unknown targets, half of them one typo away from an id
  (did-you-mean compared each with every id).

`--scale` multiplies every size (0.1 for a smoke test). `--src DIR` runs the agentroster found
under DIR (a `src` folder of another checkout) instead of the installed one, to compare
versions on the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

CARD = """\
apiVersion: agentroster/v1
kind: AgentCard
id: {id}
name: Agent {id}
version: 1.0.0
description: One agent of a generated hostile roster shape.
status: proposed
pattern: employee-enablement
mode: assist
tier: 3
owner: {{name: Dana Whitfield, email: dana.whitfield@example.com}}
monitoring: {{dashboard: "https://dash.example.com/d/x", metrics: [success_rate]}}
audit: {{enabled: true}}
release_gate: {{requires: [eval-threshold, security-review, privacy-impact, cost-approval]}}
"""
HANDOFF = (
    "  - {{to: {to}, fallback: {fallback}, trigger: t, context: [x], decision: d, "
    "deadline: 1h, log: l}}\n"
)
Cards = dict[str, str]  # agent id -> what follows the required fields


def _escalation(to: str) -> str:
    return f"escalation: {{to: {to}}}\n"


def _handoffs(pairs: list[tuple[str, str]]) -> str:
    return "handoffs:\n" + "".join(HANDOFF.format(to=t, fallback=f) for t, f in pairs)


def _ids(n: int, prefix: str = "agent") -> list[str]:
    return [f"{prefix}-{i:05d}" for i in range(n)]


def chain(n: int) -> Cards:
    ids = _ids(n)
    return {a: _escalation(ids[i + 1] if i + 1 < n else "human:ops") for i, a in enumerate(ids)}


def dense(n: int, degree: int = 40) -> Cards:
    rng = random.Random(7)
    ids = _ids(n)
    out = {}
    for i, agent in enumerate(ids):
        pairs = [(t, rng.choice(ids)) for t in rng.sample(ids, degree)]
        out[agent] = _handoffs(pairs) + _escalation("human:ops" if i % 100 == 0 else ids[i - 1])
    return out


def star(n: int) -> Cards:
    leaves, senders = _ids(n, "leaf"), _ids(n, "sender")
    out = {"hub": _handoffs([(leaf, leaf) for leaf in leaves]) + _escalation("hub")}
    out.update({leaf: "" for leaf in leaves})
    out.update({sender: _escalation("hub") for sender in senders})
    return out


def cycles(n: int) -> Cards:
    pairs, ring = _ids(n, "pair"), _ids(n, "ring")
    out = {a: _escalation(pairs[i ^ 1]) for i, a in enumerate(pairs)}
    out.update({a: _escalation(ring[(i + 1) % n]) for i, a in enumerate(ring)})
    return out


def duplicates(n: int) -> Cards:
    return {f"copy-{i:05d}": _escalation("human:ops") for i in range(n)}  # written as id: same


def unknown(n: int) -> Cards:
    ids = _ids(n)
    out = {}
    for i, agent in enumerate(ids):
        typo = ids[(i * 7) % n][:-1] + "x"  # one substitution away from an id
        pairs = [(typo, "human:ops"), (f"ghost-{i}-nowhere", "human:ops")]
        out[agent] = _handoffs(pairs) + _escalation("human:ops")
    return out


SHAPES: dict[str, tuple[Callable[[int], Cards], int]] = {
    "chain": (chain, 6000),
    "dense": (dense, 2000),
    "star": (star, 3000),
    "cycles": (cycles, 3000),
    "duplicates": (duplicates, 3000),
    "unknown": (unknown, 1500),
}


def write(root: Path, cards: Cards, *, same_id: bool = False) -> None:
    (root / "agentroster.toml").write_text("")
    for agent, extra in cards.items():
        text = CARD.format(id="same-agent" if same_id else agent) + extra
        (root / f"{agent}.agent.yaml").write_text(text)


# Runs the command, reads its standard output to the end, and reports the command's own
# peak RSS (see peak_rss.py), its time, its exit code, the output's size and findings.
_PROBE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
size = findings = 0
tail = b""
while chunk := proc.stdout.read(1 << 20):
    size += len(chunk)
    findings += (tail + chunk).count(b'"code": ')
    tail = chunk[-8:]
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start, "rss_mb": usage.ru_maxrss // 1024,
                  "code": os.waitstatus_to_exitcode(status), "bytes": size,
                  "findings": findings}))
"""


def measure(root: Path, src: Path | None) -> dict[str, float]:
    cmd = [sys.executable, "-m", "agentroster", "lint", "-j", "1", "--format", "json",
           "--today", "2026-11-21", str(root)]  # fmt: skip
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    else:
        cmd.insert(4, "--no-cache")  # cold runs (a checkout from before the cache has none)
    probe = [sys.executable, "-c", _PROBE, *cmd]
    out = subprocess.run(probe, cwd=root, env=env, capture_output=True, check=True, timeout=3600)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("shapes", nargs="*", metavar="SHAPE", help=", ".join(SHAPES))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--src", type=Path, default=None, help="run agentroster from DIR")
    args = parser.parse_args()
    unknown_shapes = set(args.shapes) - set(SHAPES)
    if unknown_shapes:
        wrong = ", ".join(sorted(unknown_shapes))
        parser.error(f"unknown shape {wrong}; pick from {', '.join(SHAPES)}")
    print(f"{'shape':<11} {'cards':>6} {'edges':>7}  {'time':>8} {'peak RSS':>9} "
          f"{'output':>10} {'findings':>8}  exit")  # fmt: skip
    for name in args.shapes or SHAPES:
        make, size = SHAPES[name]
        cards = make(max(4, round(size * args.scale)))
        edges = sum(extra.count("to: ") + extra.count("fallback: ") for extra in cards.values())
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write(root, cards, same_id=name == "duplicates")
            got = measure(root, args.src)
        print(
            f"{name:<11} {len(cards):>6} {edges:>7}  {got['seconds']:>6.2f} s "
            f"{got['rss_mb']:>6.0f} MB {got['bytes'] / 1e6:>7.2f} MB {got['findings']:>8}  "
            f"{got['code']}"
        )


if __name__ == "__main__":
    main()
