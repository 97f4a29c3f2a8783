"""What a roster holds of each card once read and slimmed, part by part (tracemalloc).

    python benchmarks/mem_per_card.py ROOT [--jobs N]

Reads ROOT as `lint` does (card rules on, no cache), then drops one part of every card at a
time (findings, references seen, digest, positions, plain data, model, the card's context)
and prints how much memory each part held per card. Run it on cards from generate.py.
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

from agentroster.config import load_config
from agentroster.context import CardFile
from agentroster.pipeline import load_roster
from agentroster.sourcemap import SourceMap


def _positions(card: CardFile) -> None:
    card.source_map = SourceMap()
    if card.context is not None:
        card.context.source_map = card.source_map


def _data(card: CardFile) -> None:
    card.data = None
    if card.context is not None:
        card.context.data = {}


def _model(card: CardFile) -> None:
    if card.context is not None:
        card.context.model = None  # type: ignore[assignment]


PARTS: list[tuple[str, Callable[[CardFile], None]]] = [
    ("findings", lambda card: setattr(card, "findings", [])),
    ("references seen", lambda card: setattr(card, "observed", None)),
    ("digest", lambda card: setattr(card, "digest", None)),
    ("positions", _positions),
    ("plain data of the graph keys", _data),
    ("model", _model),
    ("the rest of the context", lambda card: setattr(card, "context", None)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    root = args.root.resolve()
    config = load_config(root)
    tracemalloc.start()
    gc.collect()
    start = tracemalloc.get_traced_memory()[0]
    roster = load_roster(root, config, today=date(2026, 11, 21), cwd=root, jobs=args.jobs)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    count = len(roster.files)
    model = type(roster.files[0].context.model).__name__ if roster.files[0].context else "-"
    print(f"{count} cards, -j {args.jobs}, model held as {model}")
    print(f"  {'total':32} {(held - start) / count / 1024:6.1f} KB per card")
    for name, drop in PARTS:
        for card in roster.files:
            drop(card)
        gc.collect()
        now = tracemalloc.get_traced_memory()[0]
        print(f"  {name:32} {(held - now) / count / 1024:6.1f} KB per card")
        held = now


if __name__ == "__main__":
    main()
