"""E: the engine's own finding (docs/governance.md#family-e)."""

from __future__ import annotations

from agentroster.findings import Severity
from agentroster.rules.base import Rule

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

RULES = (E000,)
