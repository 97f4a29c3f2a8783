"""What a rule is, and the contexts its check function receives."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from agentroster.findings import Finding, KeyPath, Severity
from agentroster.sourcemap import SourceMap

if TYPE_CHECKING:
    from agentroster.catalogues import CatalogueTool
    from agentroster.config import Config
    from agentroster.model import AgentCard
    from agentroster.roster import Roster
    from agentroster.rules.references import Ref

Scope = Literal["file", "card", "roster"]

FAMILIES: Mapping[str, str] = {
    "C": "card structure",
    "B": "minimum baseline",
    "T": "tier-proportionate governance",
    "P": "pattern-specific",
    "A": "autonomy and tools",
    "L": "lifecycle, evals, runbooks",
    "H": "handoff graph",
    "X": "security hygiene",
    "W": "waivers",
    "E": "engine",
}


@dataclass(frozen=True)
class Rule:
    """A rule is data plus one small check function.

    scope "file": the finding comes from reading or validating a file (no check function);
    "card": `check(CardContext)`; "roster": `check(RosterContext)`, all cards at once.
    """

    code: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    rationale: str
    bad: str
    good: str
    fix: str
    check: Callable[[Any], Iterator[Finding]] | None = field(default=None, compare=False)

    @property
    def family(self) -> str:
        return self.code[0]

    def explain(self) -> str:
        """What, why, a failing and a passing snippet, and the fix, as plain text."""

        def indent(text: str) -> str:
            return "\n".join("    " + line for line in text.splitlines())

        return (
            f"{self.code} {self.name} ({self.severity.value}, {FAMILIES[self.family]})\n\n"
            f"{self.summary}\n\nWhy: {self.rationale}\n\nFails:\n{indent(self.bad)}\n\n"
            f"Passes:\n{indent(self.good)}\n\nFix: {self.fix}\n"
            f"\nRead more: agentroster's docs/governance.md#family-{self.family.lower()}\n"
        )


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
    # every string value with its key path, as the loader met them (document order)
    strings: list[tuple[KeyPath, str]] = field(default_factory=list)

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
        from agentroster.rules.references import resolve_all

        return resolve_all(self)

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


@dataclass
class RosterContext:
    """All cards of a run, for the roster-wide rules."""

    cards: list[CardContext]
    roster: Roster
    config: Config
    today: date
