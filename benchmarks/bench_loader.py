"""Loader cost per card against the floor: ruamel's raw C event parse of the same files.

    python benchmarks/bench_loader.py [N] [--rounds R]

Both are timed side by side, alternating, in one process, over the same N generated cards
(read into memory first, so disk is not measured); medians of R rounds are printed. The C
event parse is the practical floor for Python: the loader adds building plain data and the
source map in the same pass.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate
from ruamel.yaml.cyaml import CParser

from agentroster.loader import _COLON_STAND_IN, _INNER_COLON_RE, load
from agentroster.validate import validate


def c_event_parse(raws: list[bytes]) -> None:
    # libyaml rejects `{to: human:queue}`; the floor parses the same stand-in text the loader
    # hands to the C parser for such cards (see agentroster.loader._COLON_STAND_IN).
    for raw in raws:
        parser = CParser(_INNER_COLON_RE.sub(_COLON_STAND_IN, raw.decode("utf-8")))
        while parser.get_event().__class__.__name__ != "StreamEndEvent":
            pass


def loader(raws: list[bytes]) -> None:
    for raw in raws:
        load(raw)


def loader_and_validate(raws: list[bytes]) -> None:
    for raw in raws:
        result = load(raw)
        validate(result.data, result.source_map)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raws = [p.read_bytes() for p in generate(Path(tmp) / "roster", args.n)]
    lines = sum(r.count(b"\n") for r in raws) / len(raws)
    contenders = {
        "C event parse (floor)": c_event_parse,
        "agentroster loader": loader,
        "loader + validation": loader_and_validate,
    }
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn(raws)
            times[name].append(time.perf_counter() - start)
    floor = statistics.median(times["C event parse (floor)"])
    print(f"{args.n} cards, {lines:.0f} lines each, median of {args.rounds} rounds")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"  {name:24} {1000 * med / args.n:7.3f} ms/card   {med / floor:5.2f} x floor")


if __name__ == "__main__":
    main()
