"""Severity, Rule, Finding and Report: the bottom layer, importing nothing from the package.

Reporters see only what is defined here. A Rule is the identity and documentation of a kind
of finding; its check function (for card and roster rules) takes a context defined higher up,
so it is typed loosely here.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

KeyPath = tuple["str | int", ...]

# The most characters of a finding message. Rules summarise long lists and paths themselves
# (`listing`); this cap is the last resort for a value a message quotes (a key of 900 kB, an
# exception's text), so one finding costs bounded memory and output whatever the input.
MAX_MESSAGE = 1_000


def shortened(text: str, most: int = MAX_MESSAGE) -> str:
    """`text`, or its start and end around a note of how much was left out (the end of a
    message says what to do, so it is kept)."""
    if len(text) <= most:
        return text
    tail = most // 4
    head = most - tail - len(f" ... ({len(text):,} characters left out) ... ")
    note = f" ... ({len(text) - head - tail:,} characters left out) ... "
    return text[:head] + note + text[-tail:]


def listing(
    items: Sequence[str], *, most: int = 8, sep: str = ", ", total: int | None = None
) -> str:
    """`items` joined by `sep`, the first `most` of them and a count of the rest:
    'a, b, c, ... and 5,812 more'. `total` is the length of the whole list when `items` is
    only its start (so a caller never builds the whole list)."""
    total = len(items) if total is None else total
    shown = items[:most]
    if total <= len(shown):
        return sep.join(shown)
    return f"{sep.join(shown)}{sep}... and {total - len(shown):,} more"


class Severity(str, enum.Enum):
    """How much a finding matters; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Ordered by (path, line, column, code)."""

    path: str
    line: int
    column: int
    code: str
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    agent: str | None = field(default=None, compare=False)
    key: KeyPath = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", shortened(self.message))

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


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
    "I": "incidents",
    "K": "cost",
    "M": "change review",
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


E000 = Rule(
    code="E000",
    name="internal-error",
    severity=Severity.ERROR,
    scope="file",
    summary="A rule crashed on this card: a bug in agentroster, not in the card.",
    rationale="An internal error must never hide the other findings or pass silently; the run "
    "exits 2 so CI notices (docs/governance.md#family-e).",
    bad="# any card that makes a rule raise an exception",
    good="# the same card, once the bug is fixed",
    fix="Report it with the card (or a reduced copy) at the project's issue tracker; meanwhile "
    "the rule can be ignored in the configuration.",
)


@dataclass
class Report:
    """The outcome of linting one or more rosters."""

    findings: list[Finding]
    files: int = 0
    agents: int = 0
    waived: int = 0
    failing: int = 0  # findings at or above their roster's `fail-on` level
    waived_by_path: dict[str, int] = field(default_factory=dict)
    baselined: int = 0  # findings hidden because a baseline records them

    @functools.cached_property
    def by_path(self) -> dict[str, list[Finding]]:
        """The findings of each file, grouped once (pages and registry entries ask per card)."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.path, []).append(finding)
        return grouped

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.findings if f.code == E000.code)

    def merge(self, other: Report) -> Report:
        return Report(
            sorted([*self.findings, *other.findings], key=Finding.sort_key),
            self.files + other.files,
            self.agents + other.agents,
            self.waived + other.waived,
            self.failing + other.failing,
            {**self.waived_by_path, **other.waived_by_path},
            self.baselined + other.baselined,
        )
