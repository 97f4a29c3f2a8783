"""The rule registry: every rule, by code and by name, and what selectors mean."""

from __future__ import annotations

from collections.abc import Mapping

from agentroster.config import Config, ConfigError, describe
from agentroster.findings import FAMILIES, Rule, Severity
from agentroster.rules import families, waiver
from agentroster.rules.base import RuleIndex

_ORDER = {family: index for index, family in enumerate(FAMILIES)}
# in the order of FAMILIES (C, B, T, ... W, E), by code within a family
RULES: tuple[Rule, ...] = tuple(
    sorted((*families.RULES, *waiver.RULES), key=lambda r: (_ORDER[r.family], r.code))
)
INDEX = RuleIndex.of(RULES)
RULE_BY_CODE: Mapping[str, Rule] = INDEX.by_code
RULE_BY_NAME: Mapping[str, Rule] = INDEX.by_name
lookup = INDEX.lookup


def resolve_selector(selector: str, *, where: str = "") -> frozenset[str]:
    """Codes meant by a selector: a code ('B001'), a name ('owner-not-a-person'), a family
    letter ('B') or 'ALL'. Raises ConfigError naming `where` for anything else."""
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


def check_selectors(config: Config) -> None:
    """Raise ConfigError, naming the file and the key, for a selector that names no rule."""
    where = describe(config)
    for key, items in (("select", config.select), ("ignore", config.ignore)):
        for item in items:
            resolve_selector(item, where=f"{where}: {key}")
    for selector, _ in config.severity:
        resolve_selector(selector, where=f"{where}: severity")
    for glob, selectors in config.per_path_ignores:
        for item in selectors:
            resolve_selector(item, where=f"{where}: per-path-ignores.{glob}")


def severity_overrides(config: Config) -> dict[str, Severity]:
    """Code -> severity from `[severity]`, later entries winning over earlier ones."""
    out: dict[str, Severity] = {}
    for selector, level in config.severity:
        for code in resolve_selector(selector):
            out[code] = level
    return out
