"""`lint --base` and `diff` against a plain `lint` on a large roster with a small change.

    python benchmarks/bench_review.py [--n 10000] [--changed 10] [--rounds 5]

Generates N cards (generate.py) in a temporary git repository, commits them, then edits
`--changed` cards in the working tree (a new write tool, a handoff to another agent, a new
name, a version bump: material and other changes). Times `agentroster lint`,
`lint --base HEAD`, `lint --base HEAD --new-only` and `diff HEAD` as separate processes, one
after the other in each round, and prints median times and the median of each command's ratio
to the plain lint of the same round: wall-clock time, and CPU time (user + system of the
process and its workers), which other load on a shared machine moves less than wall-clock time.

Targets (issue 17): `lint --base` <= 1.5 x a plain lint; `diff` <= 1.0 x.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

TODAY = "2026-11-21"
COMMANDS = {
    "lint": ["lint"],
    "lint --base HEAD": ["lint", "--base", "HEAD"],
    "lint --base HEAD --new-only": ["lint", "--base", "HEAD", "--new-only"],
    "diff HEAD": ["diff", "HEAD"],
}
TARGETS = {"lint --base HEAD": 1.5, "lint --base HEAD --new-only": 1.5, "diff HEAD": 1.0}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def change(paths: list[Path], count: int) -> None:
    """Edit `count` cards spread over the roster, each in one of four ways."""
    step = max(1, len(paths) // count)
    for n, path in enumerate(paths[::step][:count]):
        text = path.read_text()
        kind = n % 4
        if kind == 0:  # a new write tool: material (M001/M002 on tiers 1-2)
            text = text.replace(
                "tools:\n",
                "tools:\n  - {id: bench.write, system: crm, description: Write, access: write, "
                "approval: human, rate_limit: 5/m}\n",
                1,
            )
        elif kind == 1:  # a handoff to another agent: a graph change
            text = text.replace("  - to: agent-", "  - to: agent-0000", 1)
        elif kind == 2:  # a new name: not material
            text = text.replace("name: Generated Agent", "name: Benchmark Agent", 1)
        else:  # a version bump
            text = text.replace("version: 1.", "version: 2.", 1)
        path.write_text(text)


def run(command: list[str], root: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one run."""
    cmd = [sys.executable, "-m", "agentroster", *command, "--today", TODAY, "-j", "0"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode in (0, 1), done.stderr.decode()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "roster"
        paths = generate(root, args.n)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(
            root,
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.com",
            "commit",
            "-qm",
            "base",
        )
        change(paths, args.changed)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
        for round_ in range(args.rounds):  # alternately, so each sees the same machine
            for name, command in COMMANDS.items():
                times[name].append(run(command, root))
                wall, cpu = times[name][-1]
                print(f"round {round_ + 1}: {name}: {wall:.2f} s, cpu {cpu:.2f} s", flush=True)
    cores = len(os.sched_getaffinity(0))
    print(f"{args.n} cards, {args.changed} changed, rounds: {args.rounds}, cores: {cores}")
    plain = times["lint"]
    for name, values in times.items():
        wall, cpu = (statistics.median(x[i] for x in values) for i in (0, 1))
        # each run against the plain lint of its own round: load on a shared machine drifts
        # over minutes, a paired ratio moves far less than a ratio of medians
        ratios = [
            statistics.median(x[i] / p[i] for x, p in zip(values, plain, strict=True))
            for i in (0, 1)
        ]
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"  target <= {target} x: {'met' if ratios[0] <= target else 'NOT MET'}"
            verdict += f" (wall), {'met' if ratios[1] <= target else 'NOT MET'} (cpu)"
        print(
            f"{name:>28}: wall {wall:7.2f} s {ratios[0]:5.2f} x lint, "
            f"cpu {cpu:7.2f} s {ratios[1]:5.2f} x lint{verdict}"
        )


if __name__ == "__main__":
    main()
