"""The rule registry: every rule, by code and by name."""

from __future__ import annotations

from collections.abc import Mapping

from agentroster.rules import (
    autonomy,
    baseline,
    card,
    handoff,
    internal,
    lifecycle,
    pattern,
    security,
    tier,
    waiver,
)
from agentroster.rules.base import FAMILIES, Rule

RULES: tuple[Rule, ...] = (
    *card.RULES,
    *baseline.RULES,
    *tier.RULES,
    *pattern.RULES,
    *autonomy.RULES,
    *lifecycle.RULES,
    *handoff.RULES,
    *security.RULES,
    *waiver.RULES,
    *internal.RULES,
)
RULE_BY_CODE: Mapping[str, Rule] = {rule.code: rule for rule in RULES}
RULE_BY_NAME: Mapping[str, Rule] = {rule.name: rule for rule in RULES}


class UnknownRule(ValueError):
    """A selector that names no rule, rule name or family."""


def lookup(code_or_name: str) -> Rule | None:
    """A rule by its code (any case) or kebab-case name."""
    return RULE_BY_CODE.get(code_or_name.upper()) or RULE_BY_NAME.get(code_or_name.lower())


def resolve_selector(selector: str, *, where: str = "") -> frozenset[str]:
    """Codes meant by a selector: a code ('B001'), a name ('owner-not-a-person'), a family
    letter ('B') or 'ALL'. Raises ConfigError naming `where` for anything else."""
    from agentroster.config import ConfigError

    rule = lookup(selector)
    if rule is not None:
        return frozenset({rule.code})
    upper = selector.upper()
    if upper == "ALL":
        return frozenset(RULE_BY_CODE)
    if upper in FAMILIES:
        return frozenset(r.code for r in RULES if r.family == upper)
    prefix = f"{where}: " if where else ""
    raise ConfigError(f"{prefix}'{selector}' is not a rule code, rule name or family letter")
