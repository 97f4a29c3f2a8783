"""Warm re-lint against cold: `agentroster lint` with the cache of unchanged cards.

    python benchmarks/bench_cache.py [--n 10000] [--rounds 3] [--jobs 0] [--root DIR]
                                     [--profile FILE]

Each round, as separate processes on the same generated roster (`--root`: an existing one):

- cold: `--no-cache`, every card read, loaded, validated and checked;
- populate: the first run with an empty cache directory (cold plus writing the cache);
- warm, one changed: one card edited (a comment appended), the cache filled by the runs
  before; only that card is read, the roster-wide rules run on all;
- warm, none changed: the same again, nothing edited.

The warm run's report must be byte-identical to the cold run's on the same files; the script
stops if it is not. Medians and ratios are printed; the target (issue 19) is warm, one
changed, ≤ 0.2 × cold. `--profile FILE` also writes a cProfile of one warm run, in-process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
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


def lint(root: Path, cache: Path, *, jobs: int, use_cache: bool) -> tuple[float, bytes]:
    """(seconds, report) of one `agentroster lint` process."""
    cmd = [sys.executable, "-m", "agentroster", "lint", "--today", TODAY, "-j", str(jobs)]
    if not use_cache:
        cmd.append("--no-cache")
    env = {**os.environ, "AGENTROSTER_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run([*cmd, str(root)], cwd=root, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"agentroster lint failed ({done.returncode}): {done.stderr.decode()}")
    return seconds, done.stdout


def touch(card: Path, round_no: int) -> None:
    """Change the card's bytes, not its findings: a comment at the end."""
    with card.open("a", encoding="utf-8") as fh:
        fh.write(f"# edited for the cache benchmark, round {round_no}\n")


def profile_warm(root: Path, cache: Path, out: Path, jobs: int) -> None:
    import cProfile

    from agentroster.config import load_config
    from agentroster.pipeline import lint_roster

    os.environ["AGENTROSTER_CACHE_DIR"] = str(cache)
    config = load_config(root)
    today = dt.date.fromisoformat(TODAY)
    cProfile.runctx(
        "lint_roster(root, config, today=today, cwd=root, jobs=jobs, cache=True)",
        globals(),
        {"lint_roster": lint_roster, "root": root, "config": config, "today": today, "jobs": jobs},
        str(out),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="-j for every run (0: all cores)")
    parser.add_argument("--root", type=Path, default=None, help="an existing roster (copied)")
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        root = Path(tmp) / "roster"
        if args.root is not None:
            shutil.copytree(args.root, root)
        else:
            generate(root, args.n)
        cards = sorted(root.rglob("*.agent.yaml"))
        cache = Path(tmp) / "cache"
        times: dict[str, list[float]] = {k: [] for k in ("cold", "populate", "warm1", "warm0")}
        for round_no in range(args.rounds):
            shutil.rmtree(cache, ignore_errors=True)
            seconds, _ = lint(root, cache, jobs=args.jobs, use_cache=True)
            times["populate"].append(seconds)
            touch(cards[(round_no * 7919) % len(cards)], round_no)
            seconds, warm = lint(root, cache, jobs=args.jobs, use_cache=True)
            times["warm1"].append(seconds)
            seconds, cold = lint(root, cache, jobs=args.jobs, use_cache=False)
            times["cold"].append(seconds)
            seconds, again = lint(root, cache, jobs=args.jobs, use_cache=True)
            times["warm0"].append(seconds)
            if not (warm == cold == again):
                raise SystemExit("the warm report differs from the cold one: a cache bug")
        if args.profile is not None:
            touch(cards[0], args.rounds)
            profile_warm(root, cache, args.profile, args.jobs)
        med = {k: statistics.median(v) for k, v in times.items()}
        size = sum(f.stat().st_size for f in cache.iterdir()) / 1e6
    cold = med["cold"]
    print(f"{len(cards)} cards, {args.rounds} rounds, -j {args.jobs}, cores {os.cpu_count()}")
    print(f"  cold (--no-cache)            {cold:7.2f} s")
    for key, label in (
        ("populate", "populate (empty cache)"),
        ("warm1", "warm, one card changed"),
        ("warm0", "warm, nothing changed"),
    ):
        print(f"  {label:<28} {med[key]:7.2f} s  {med[key] / cold:5.3f} x cold")
    print(f"  cache on disk                {size:7.1f} MB")
    verdict = "met" if med["warm1"] <= 0.2 * cold else "NOT met"
    print(f"target: {verdict}: warm re-lint with one card changed <= 0.2 x cold")


if __name__ == "__main__":
    main()
