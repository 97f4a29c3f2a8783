"""The roster-wide rules' context, and the names every rule module imports."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from agentroster.config import Config
from agentroster.context import BaseCards, CardContext, Roster
from agentroster.findings import FAMILIES, Rule
from agentroster.graph import HandoffGraph, handoff_graph

__all__ = ["FAMILIES", "CardContext", "RosterContext", "Rule", "RuleIndex"]


@dataclass
class RosterContext:
    """All cards of a run, for the roster-wide rules."""

    cards: list[CardContext]
    roster: Roster
    config: Config
    today: date
    base: BaseCards | None = None  # the base revision's cards (`lint --base`), else None

    @functools.cached_property
    def graph(self) -> HandoffGraph:
        """The roster's handoff graph (built once per roster)."""
        return handoff_graph(self.roster)


@dataclass(frozen=True)
class RuleIndex:
    """Rules by code and by kebab-case name."""

    by_code: Mapping[str, Rule]
    by_name: Mapping[str, Rule]

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleIndex:
        listed = list(rules)
        return cls({r.code: r for r in listed}, {r.name: r for r in listed})

    def lookup(self, code_or_name: str) -> Rule | None:
        """A rule by its code (any case) or kebab-case name."""
        return self.by_code.get(code_or_name.upper()) or self.by_name.get(code_or_name.lower())
