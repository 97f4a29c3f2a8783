"""Every rule family except the waivers (W), which refer to all the others by code or name.

The registry (rules/__init__.py) adds the waivers; keeping them apart is what lets the waiver
rules look rules up without an import cycle.
"""

from __future__ import annotations

from agentroster.findings import Rule
from agentroster.rules import (
    autonomy,
    baseline,
    card,
    change,
    cost,
    handoff,
    incident,
    internal,
    lifecycle,
    pattern,
    security,
    tier,
)

RULES: tuple[Rule, ...] = (
    *card.RULES,
    *baseline.RULES,
    *tier.RULES,
    *pattern.RULES,
    *autonomy.RULES,
    *lifecycle.RULES,
    *handoff.RULES,
    *security.RULES,
    *incident.RULES,
    *cost.RULES,
    *change.RULES,
    *internal.RULES,
)
