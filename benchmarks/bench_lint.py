"""Whole `agentroster lint` against `check-jsonschema` on the same generated cards.

    python benchmarks/bench_lint.py [--n 10000] [--small 10] [--rounds 3] [--no-scaling]

Both tools run as separate processes, alternately, `--rounds` times on each roster; medians
and ratios are printed, with each process's peak RSS. check-jsonschema gets the project's own
card schema and every card file in one invocation (what a team would run in pre-commit).

Targets (issue 7): N cards ≤ 0.25 × check-jsonschema; a small roster ≤ 1.0 ×; per-card cost
on one core ≤ 3 × the C event-parse floor; peak RSS for 10,000 cards ≤ 500 MB; 2N cards ≤ 2.2 ×
the time of N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from peak_rss import peak_rss_mb  # noqa: E402

SCHEMA = REPO / "schemas" / "agent-card.v1.schema.json"
TODAY = "2026-11-21"


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """(seconds, exit code) of one process."""
    start = time.perf_counter()
    code = subprocess.run(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ).returncode
    return time.perf_counter() - start, code


def agentroster_cmd(root: Path, jobs: int = 0) -> list[str]:
    return [
        sys.executable,
        "-m",
        "agentroster",
        "lint",
        "--no-cache",  # cold runs: bench_cache.py measures the cache
        "--today",
        TODAY,
        "-j",
        str(jobs),
        str(root),
    ]


def cjs_cmd(files: list[Path]) -> list[str]:
    return [
        sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA),
        *[str(f) for f in files],
    ]  # fmt: skip


def compare(label: str, root: Path, files: list[Path], rounds: int) -> dict[str, float]:
    ours, theirs = [], []
    for _ in range(rounds):
        seconds, code = run(agentroster_cmd(root), root)
        assert code == 0, f"agentroster found problems in the generated roster ({code})"
        ours.append(seconds)
        seconds, code = run(cjs_cmd(files), root)
        assert code == 0, f"check-jsonschema rejected the generated roster ({code})"
        theirs.append(seconds)
    peak = peak_rss_mb(agentroster_cmd(root), root)  # a separate, untimed run
    a, c = statistics.median(ours), statistics.median(theirs)
    print(
        f"{label:>14}: agentroster {a:7.2f} s ({1000 * a / len(files):6.3f} ms/card, "
        f"peak {peak} MB)  check-jsonschema {c:7.2f} s  ratio {a / c:5.3f}"
    )
    return {"ours": a, "theirs": c, "ratio": a / c, "rss": peak}


def per_card_on_one_core(root: Path, files: list[Path], rounds: int) -> tuple[float, float, float]:
    """Milliseconds per card, serial and in-process: the whole pipeline (read, load, validate,
    every rule), the loader alone, and the floor (ruamel's C event parse of the same text)."""
    from ruamel.yaml.cyaml import CParser

    from agentroster.config import load_config
    from agentroster.loader import _COLON_STAND_IN, _INNER_COLON_RE, load
    from agentroster.pipeline import gc_paused, lint_roster

    config = load_config(root)
    today = dt.date.fromisoformat(TODAY)
    texts = [f.read_text() for f in files]
    raws = [f.read_bytes() for f in files]
    ours, loader, floor = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        lint_roster(root, config, today=today, cwd=root, jobs=1)  # what `lint -j 1` runs
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:  # the same stand-in text the loader hands to the C parser
            parser = CParser(_INNER_COLON_RE.sub(_COLON_STAND_IN, text))
            while parser.get_event().__class__.__name__ != "StreamEndEvent":
                pass
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        with gc_paused():
            for raw in raws:
                load(raw)
        loader.append(time.perf_counter() - start)
    n = len(files)
    return tuple(1000 * statistics.median(x) / n for x in (ours, loader, floor))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-scaling", action="store_true", help="skip the 2N run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small_root, big_root = Path(tmp) / "small", Path(tmp) / "big"
        small = generate(small_root, args.small)
        big = generate(big_root, args.n)
        print(f"rounds: {args.rounds}, cores: {len(os.sched_getaffinity(0))}")
        results = {
            "small": compare(f"{args.small} cards", small_root, small, args.rounds),
            "big": compare(f"{args.n} cards", big_root, big, args.rounds),
        }
        card_ms, loader_ms, floor_ms = per_card_on_one_core(big_root, big, args.rounds)
        print(
            f"{'per card':>14}: C event-parse floor {floor_ms:.3f} ms; loader {loader_ms:.3f} ms "
            f"({loader_ms / floor_ms:.2f} x floor); whole pipeline on one core (read, load, "
            f"validate, every rule) {card_ms:.3f} ms ({card_ms / floor_ms:.2f} x floor)"
        )
        serial_rss = peak_rss_mb(agentroster_cmd(big_root, jobs=1), big_root)
        print(f"{'memory':>14}: peak RSS of a serial run (-j 1, one process) {serial_rss} MB")
        scaling = None
        if not args.no_scaling:
            double_root = Path(tmp) / "double"
            generate(double_root, 2 * args.n)
            single, double = [], []
            for _ in range(args.rounds):  # N and 2N alternately, so both see the same machine
                single.append(run(agentroster_cmd(big_root), big_root)[0])
                double.append(run(agentroster_cmd(double_root), double_root)[0])
            scaling = statistics.median(double) / statistics.median(single)
            print(
                f"{2 * args.n:>8} cards: agentroster {statistics.median(double):7.2f} s, "
                f"{scaling:.2f} x the time of {args.n} cards ({statistics.median(single):.2f} s, "
                "run alternately with it)"
            )
    print("targets:")
    checks = [
        (f"{args.n} cards <= 0.25 x check-jsonschema", results["big"]["ratio"] <= 0.25),
        (f"{args.small} cards <= 1.0 x check-jsonschema", results["small"]["ratio"] <= 1.0),
        ("loader per card <= 3 x floor", loader_ms / floor_ms <= 3.0),
        ("whole pipeline per card <= 3 x floor", card_ms / floor_ms <= 3.0),
        (f"peak RSS for {args.n} cards <= 500 MB (serial)", serial_rss <= 500),
    ]
    if scaling is not None:
        checks.append((f"{2 * args.n} cards <= 2.2 x the time of {args.n}", scaling <= 2.2))
    for text, ok in checks:
        print(f"  {'met' if ok else 'NOT MET'}: {text}")


if __name__ == "__main__":
    main()
