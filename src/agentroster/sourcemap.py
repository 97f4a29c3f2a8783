"""Key path -> 1-based (line, column) of every key and value in a card.

The loader fills it in one pass over the parser's events; rules ask it where a key path is.
A path that is not in the map (a missing field) resolves to its nearest ancestor that is,
which is the parent mapping: exactly where a "missing field" finding belongs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from agentroster.findings import KeyPath

Position = tuple[int, int]


@dataclass
class SourceMap:
    """Positions of the nodes of one YAML document, by key path."""

    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)

    def add_value(self, path: KeyPath, line0: int, column0: int) -> None:
        """Record a value node from the parser's 0-based mark (the one conversion point)."""
        self.values[path] = (line0 + 1, column0 + 1)

    def add_key(self, path: KeyPath, line0: int, column0: int) -> None:
        """Record the key node of the mapping entry at `path` from a 0-based mark."""
        self.keys[path] = (line0 + 1, column0 + 1)

    def value(self, path: KeyPath) -> Position:
        """Where the value at `path` starts; the nearest recorded ancestor when absent."""
        while path:
            pos = self.values.get(path)
            if pos is not None:
                return pos
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key(self, path: KeyPath) -> Position:
        """Where the key of the entry at `path` starts; falls back like `value`."""
        pos = self.keys.get(path)
        return pos if pos is not None else self.value(path)

    def locate(self, path: KeyPath) -> Position:
        """Where a finding about the node at `path` points: the value, or its key when the
        value starts on a later line (a block mapping or list under `key:`), since that line
        names the block. Missing paths fall back to the nearest ancestor, as in `value`."""
        while path and path not in self.values:
            path = path[:-1]
        value = self.value(path)
        key = self.keys.get(path)
        if key is not None and key[0] < value[0]:
            return key
        return value

    def subset(self, paths: Iterable[KeyPath]) -> SourceMap:
        """A copy holding only the given paths (those it has)."""
        values, keys = self.values, self.keys
        wanted = list(paths)
        return SourceMap(
            {p: values[p] for p in wanted if p in values},
            {p: keys[p] for p in wanted if p in keys},
        )

    def packed(self, paths: Iterable[KeyPath]) -> PackedSourceMap:
        """A PackedSourceMap of the given paths (those it has)."""
        values, keys = self.values, self.keys
        wanted = list(paths)
        rows = (
            [[*p, *values[p]] for p in wanted if p in values],
            [[*p, *keys[p]] for p in wanted if p in keys],
        )
        return PackedSourceMap(json.dumps(rows, ensure_ascii=True, separators=(",", ":")))

    def pack(self) -> str:
        """The map as one JSON text (what PackedSourceMap holds)."""
        rows = (
            [[*p, *pos] for p, pos in self.values.items()],
            [[*p, *pos] for p, pos in self.keys.items()],
        )
        return json.dumps(rows, ensure_ascii=True, separators=(",", ":"))


def _unpack(rows: Any) -> dict[KeyPath, Position]:
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in rows}


class PackedSourceMap(SourceMap):
    """A SourceMap kept as one JSON text (each row a key path followed by line and column),
    read into its two dicts the first time anything asks where a path is.

    A roster keeps the positions its roster-wide rules might point at for every card, but
    those rules find something in few cards: as text, a card's positions take a fifth of
    the memory (a 100,000-card roster holds them all), and they go to the cache as they are.
    """

    def __init__(self, text: str) -> None:  # no values or keys yet: __getattr__ makes them
        self.text = text

    def pack(self) -> str:
        """Its text, as it is while nothing has read it."""
        return self.text if "values" not in self.__dict__ else super().pack()

    def __getattr__(self, name: str) -> Any:
        if name not in ("values", "keys"):
            raise AttributeError(name)
        value_rows, key_rows = json.loads(self.text)
        self.values, self.keys = _unpack(value_rows), _unpack(key_rows)
        return self.__dict__[name]
