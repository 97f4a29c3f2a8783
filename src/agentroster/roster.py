"""All card files of a run: what was read from each, indexed by agent id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentroster.findings import Finding
from agentroster.rules.base import CardContext
from agentroster.sourcemap import SourceMap

if TYPE_CHECKING:
    from agentroster.catalogues import Catalogues
    from agentroster.graph import HandoffGraph


@dataclass
class CardFile:
    """One file of the roster, whether or not it could be read as a card."""

    file: Path
    path: str  # as reported
    data: Any  # plain data, None when unreadable
    source_map: SourceMap
    findings: list[Finding] = field(default_factory=list)  # from reading and validating
    context: CardContext | None = None  # None when no card could be validated

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
