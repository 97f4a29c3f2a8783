"""What the rules see of a roster: each card file as read, its validated view, and the roster.

CardFile is one file, whether or not it could be read as a card; CardContext is a validated
card as the card rules see it; Roster is every card file under one root with the repository's
catalogues. The handoff graph is built from a Roster by graph.handoff_graph, a layer above.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from agentroster.catalogues import Catalogues, CatalogueTool, DirectoryPerson
from agentroster.config import Config
from agentroster.findings import Finding, KeyPath, Rule
from agentroster.lazycard import LazyCard
from agentroster.model import AgentCard
from agentroster.references import Ref, resolve_all
from agentroster.sourcemap import SourceMap


def data_classes(card: AgentCard | LazyCard) -> frozenset[str]:
    """The data classes a card declares (`data.classes`), empty when it has no `data`. The
    handoff graph reads them for every card: a LazyCard answers without making the card."""
    if isinstance(card, LazyCard):
        return card.classes
    return frozenset(card.data.classes) if card.data else frozenset()


@dataclass
class CardContext:
    """One card as the card rules see it."""

    path: str  # as reported: relative to the working directory, forward slashes
    file: Path  # absolute path of the card file
    root: Path  # the roster root
    data: dict[str, Any]  # plain data as loaded (before validation)
    model: AgentCard  # tainted fields raise FieldUnavailable when read
    source_map: SourceMap
    config: Config
    today: date
    tainted: frozenset[str] = frozenset()  # top-level fields that failed validation
    tool_catalogue: Mapping[str, CatalogueTool] | None = None  # None: no catalogue file
    # the people directory by catalogues.person_key(email); None: no directory file
    people: Mapping[str, DirectoryPerson] | None = None
    # every string value with its key path, as the loader met them (document order)
    strings: list[tuple[KeyPath, str]] = field(default_factory=list)

    def __getstate__(self) -> dict[str, Any]:
        """What pickle sends: the card's model as a LazyCard (see there), unless some of its
        fields are tainted (then the view goes as it is)."""
        state = dict(self.__dict__)
        if type(self.model) is AgentCard:
            state["model"] = LazyCard.of(self.model) or self.model
        return state

    @property
    def agent(self) -> str | None:
        """The card's id; None when the id itself failed validation."""
        return None if "id" in self.tainted else self.model.id

    def get(self, name: str) -> Any:
        """A top-level field of the card, or None when it failed validation."""
        return None if name in self.tainted else getattr(self.model, name)

    @functools.cached_property
    def references(self) -> list[tuple[KeyPath, str, Ref]]:
        """(key path, path text, where it leads) of every file the card refers to."""
        return resolve_all(self.model, file=self.file, root=self.root)

    @functools.cached_property
    def text(self) -> str:
        """All string values joined by newlines: one search rules out most cards at once."""
        return "\n".join([text for _, text in self.strings])

    def finding(self, rule: Rule, message: str, *, at: KeyPath = (), key: bool = False) -> Finding:
        """A finding of `rule` at the value (or, with key=True, the key) at path `at`."""
        line, column = self.source_map.key(at) if key else self.source_map.locate(at)
        return Finding(
            self.path, line, column, rule.code, rule.name, rule.severity, message, self.agent, at
        )


_GRAPH_KEYS = ("id", "handoffs", "escalation")


def _kept_paths(data: Any) -> Iterator[tuple[str | int, ...]]:
    """Positions roster-wide rules, waivers (W004) and internal errors (E000) point at, and
    the ancestors they fall back to."""
    yield from ((), ("id",), ("status",), ("escalation",), ("escalation", "to"))
    yield from (("release_gate",), ("release_gate", "rollout"), ("waivers",), ("handoffs",))
    yield ("escalation", "incident_response")  # H009
    # change review (M001-M003): where a material change or the version is
    yield from (("version",), ("model",), ("description",), ("pattern",), ("tier",), ("mode",))
    yield from (("data",), ("data", "classes"), ("tools",))
    if not isinstance(data, dict):
        return
    yield from _change_paths(data)
    for name in ("waivers", "handoffs"):
        items = data.get(name)
        if isinstance(items, list):
            for index in range(len(items)):
                yield (name, index)
                if name == "handoffs":
                    yield (name, index, "to")
                    yield (name, index, "fallback")
                    yield (name, index, "deadline")  # H009


def _change_paths(data: dict[str, Any]) -> Iterator[tuple[str | int, ...]]:
    tools = data.get("tools")
    for index in range(len(tools) if isinstance(tools, list) else 0):
        yield from (("tools", index), ("tools", index, "id"), ("tools", index, "access"))
    block = data.get("data")
    if isinstance(block, dict):
        for name in ("classes", "sources"):
            items = block.get(name)
            for index in range(len(items) if isinstance(items, list) else 0):
                yield ("data", name, index)
                if name == "sources":
                    yield ("data", name, index, "name")


# What the card rules saw of each file a card refers to (cache.observe): golden set or not,
# the path as written, where it led (a Ref value), non-blank lines of a JSON Lines golden set.
Observed = tuple[tuple[bool, str, str, "int | None"], ...]


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
    digest: str | None = None  # content address of the bytes read (cache.digest)
    observed: Observed | None = None  # the referenced files as the card rules saw them
    # the start of its cache line (key and meta), made by the pool worker that read it ("":
    # it cannot be stored; None: not made there): cache.CardCache.add takes it and drops it
    entry: str | None = None

    def slim(self) -> None:
        """Drop what only the card rules needed, once they have run: the roster keeps each
        card's model, the plain data the handoff graph reads, and the positions roster-wide
        rules point at, packed (PackedSourceMap); the model is held as a LazyCard. (A full
        source map was half of a card's memory, the model most of the rest.)"""
        self.source_map = self.source_map.packed(_kept_paths(self.data))  # before data shrinks
        if isinstance(self.data, dict):
            self.data = {k: self.data[k] for k in _GRAPH_KEYS if k in self.data}
        if self.context is not None:
            model = self.context.model
            if type(model) is AgentCard:
                self.context.model = typing.cast(AgentCard, LazyCard.of(model) or model)
            self.context.data = self.data if isinstance(self.data, dict) else {}
            self.context.source_map = self.source_map
            self.context.tool_catalogue = None
            self.context.people = None
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


@dataclass(frozen=True)
class BaseCards:
    """The cards of the base revision a change is reviewed against (`lint --base`), by agent
    id and by path relative to the roster root (a card whose id changed is found by its
    path)."""

    by_agent: Mapping[str, AgentCard]
    by_path: Mapping[str, AgentCard]
    label: str = "the base revision"  # e.g. "origin/main", for messages

    def of(self, agent: str | None, rel: str) -> AgentCard | None:
        """The base version of the card with id `agent` at `rel`, if there was one."""
        found = self.by_agent.get(agent) if agent is not None else None
        return found if found is not None else self.by_path.get(rel)


@dataclass
class Roster:
    """Every card file under one root, with the repository's catalogues (queues, tools,
    people)."""

    root: Path
    files: list[CardFile]
    catalogues: Catalogues | None = None
    # the handoff graph, built once on first use by graph.handoff_graph (a layer above)
    graph_cache: object = field(default=None, repr=False)

    @property
    def cards(self) -> list[CardContext]:
        return [f.context for f in self.files if f.context is not None]
