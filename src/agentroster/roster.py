"""All card files of a run: what was read from each, indexed by agent id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentroster.findings import Finding
from agentroster.rules.base import CardContext
from agentroster.sourcemap import SourceMap

if TYPE_CHECKING:
    from agentroster.catalogues import Catalogues
    from agentroster.graph import HandoffGraph


_GRAPH_KEYS = ("id", "handoffs", "escalation")


def _kept_paths(data: Any) -> Iterator[tuple[str | int, ...]]:
    """Positions roster-wide rules, waivers (W004) and internal errors (E000) point at, and
    the ancestors they fall back to."""
    yield from ((), ("id",), ("status",), ("escalation",), ("escalation", "to"))
    yield from (("release_gate",), ("release_gate", "rollout"), ("waivers",), ("handoffs",))
    if not isinstance(data, dict):
        return
    for name in ("waivers", "handoffs"):
        items = data.get(name)
        if isinstance(items, list):
            for index in range(len(items)):
                yield (name, index)
                if name == "handoffs":
                    yield (name, index, "to")
                    yield (name, index, "fallback")


@dataclass
class CardFile:
    """One file of the roster, whether or not it could be read as a card."""

    file: Path
    path: str  # as reported
    data: Any  # plain data, None when unreadable
    source_map: SourceMap
    findings: list[Finding] = field(default_factory=list)  # from reading, validating, card rules
    context: CardContext | None = None  # None when no card could be validated
    checked: bool = False  # card rules have run, their findings are in `findings`

    def slim(self) -> None:
        """Drop what only the card rules needed, once they have run: the roster keeps each
        card's model, the plain data the handoff graph reads, and the positions roster-wide
        rules point at. (A full source map is half of a card's memory.)"""
        self.source_map = self.source_map.subset(_kept_paths(self.data))  # before data shrinks
        if isinstance(self.data, dict):
            self.data = {k: self.data[k] for k in _GRAPH_KEYS if k in self.data}
        if self.context is not None:
            self.context.data = self.data if isinstance(self.data, dict) else {}
            self.context.source_map = self.source_map
            self.context.tool_catalogue = None
            self.context.strings = []
            self.context.__dict__.pop("text", None)
            self.context.__dict__.pop("references", None)

    @property
    def agent_id(self) -> str | None:
        """The card's id if one can be read, even from a card that failed validation."""
        if self.context is not None and "id" not in self.context.tainted:
            return self.context.model.id
        if isinstance(self.data, dict) and isinstance(self.data.get("id"), str):
            return str(self.data["id"])
        return None


@dataclass
class Roster:
    """Every card file under one root, with the repository's queues and tool catalogue."""

    root: Path
    files: list[CardFile]
    catalogues: Catalogues | None = None
    _graph: HandoffGraph | None = field(default=None, repr=False)

    @property
    def graph(self) -> HandoffGraph:
        """The handoff graph, built on first use, once."""
        if self._graph is None:
            from agentroster.graph import build

            queues = self.catalogues.queues if self.catalogues else None
            declared = frozenset(queues) if queues is not None else None
            self._graph = build(self.files, declared_queues=declared)
        return self._graph

    @property
    def cards(self) -> list[CardContext]:
        return [f.context for f in self.files if f.context is not None]
