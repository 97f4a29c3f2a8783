"""`agentroster init`: a new card that passes every rule that can be met without human facts.

Facts only a person can supply (owner, sponsor, description, model and its pinned version,
escalation queue, dashboard, kill switch, rollback, consent wording, knowledge sources) are
`TODO` placeholders; lint reports each as C009, so a half-filled card cannot be committed.
Everything else gets the value the rules ask for at that tier and pattern: the sponsor's role,
the release-gate reviews, audit settings, the standard metrics, budgets, a confidence threshold,
disclosure.

The card starts as `proposed`. Lifecycle facts that do not exist yet, and that are dates or
numbers rather than text (review and metric-review dates, evals and their refresh, deployment,
cost targets, SLOs), are listed in a closing comment with the stage and tier that needs them,
not written as values: a placeholder date would be a schema error, and a made-up one a lie.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import date

from agentroster.escape import yaml_string
from agentroster.model import ID_PATTERN, SEMVER_PATTERN, Pattern
from agentroster.policy import Policy
from agentroster.rules.tier import BASE_REVIEWS, TIER1_REVIEWS

PATTERNS: tuple[str, ...] = typing.get_args(Pattern)
# assist: a human executes; the patterns where agents decide default to execute
DEFAULT_MODE = {
    "employee-enablement": "assist",
    "business-expert": "assist",
    "workplace-services": "execute",
    "core-process": "execute",
    "external-engagement": "execute",
    "ai-first": "execute",
}
SPONSOR_ROLE = {1: "executive", 2: "manager", 3: "team"}
# execute-mode agents of these patterns act on customers or core processes: a person reviews
# below a confidence threshold (0.8 is a starting point; the owner tunes it)
OVERSIGHT_PATTERNS = frozenset({"external-engagement", "core-process"})
METRICS = "[success_rate, latency_p95, cost_per_interaction, escalation_rate, error_rate]"
METRIC_REVIEW = {1: "monthly", 2: "monthly", 3: "quarterly"}
GOVERNANCE_REVIEW = {1: "quarterly", 2: "semiannual", 3: "annual"}


@dataclass(frozen=True)
class Facts:
    """What is known of an agent before its card exists; None: a TODO placeholder."""

    name: str | None = None
    description: str | None = None
    version: str = "0.1.0"
    endpoint: str | None = None
    writer: str = "agentroster init"  # the command named in the card's first comment
    notes: tuple[str, ...] = ()  # comment lines for the reader, one line each


def title(agent_id: str) -> str:
    return " ".join(word.capitalize() for word in agent_id.split("-"))


def card_text(
    agent_id: str,
    *,
    pattern: str,
    tier: int,
    mode: str | None = None,
    today: date,
    facts: Facts | None = None,
) -> str:
    """The YAML of a new card. `agent_id` must be kebab-case (see model.ID_PATTERN). `facts`
    known already (from an imported A2A AgentCard) replace their placeholders; each is
    written through `escape.yaml_string`, so any text stays one scalar."""
    if not re.match(ID_PATTERN, agent_id) or not 3 <= len(agent_id) <= 63:
        raise ValueError(f"id '{agent_id}' is not kebab-case, 3 to 63 characters")
    mode = mode or DEFAULT_MODE[pattern]
    reviews = BASE_REVIEWS + (TIER1_REVIEWS if tier == 1 else ())
    external = pattern == "external-engagement"
    facts = facts or Facts()
    description = "'TODO: one paragraph: the job, what triggers it, its input and its output.'"
    lines = [
        f"# Written by `{facts.writer}`. Replace every TODO with the real fact;",
        "# `agentroster lint` reports each one left (C009). Field reference: docs/card-format.md.",
        "# For completion in your editor, add a first line",
        "# `# yaml-language-server: $schema=<path to agent-card.v1.schema.json>`.",
        *(f"# {note}" for note in facts.notes),
        "apiVersion: agentroster/v1",
        "kind: AgentCard",
        f"id: {agent_id}",
        f"name: {yaml_string(facts.name) if facts.name else title(agent_id)}",
        # a semantic version is a string to every YAML reader (three parts: never a number)
        f"version: {facts.version if re.match(SEMVER_PATTERN, facts.version) else '0.1.0'}",
        f"description: {yaml_string(facts.description) if facts.description else description}",
        "status: proposed",
        f"pattern: {pattern}",
        f"mode: {mode}",
        f"tier: {tier}",
        "owner: {name: 'TODO: one accountable person', email: TODO@example.com}",
    ]
    role = SPONSOR_ROLE[tier]
    lines.append(f"sponsor: {{name: 'TODO: sponsor', email: TODO@example.com, role: {role}}}")
    lines += ["data:", "  classes: [internal]   # add pii, phi or pci if it touches them (tier 1)"]
    if pattern == "business-expert":
        lines += [
            "  sources:",
            "    - name: 'TODO: knowledge source'",
            "      owner: 'TODO: who keeps it correct'",
            "      authoritative: true",
            f"      refreshed: {today.isoformat()}",
        ]
    lines += [
        "model:",
        "  provider: 'TODO: model provider'",
        "  name: 'TODO: model name'",
        "  version: 'TODO: the pinned model snapshot'",
        "escalation:",
        "  to: human:TODO       # the human queue that takes over when the agent fails",
        f"  incident_response: {'15m' if external else '4h'}",
        "monitoring:",
        "  dashboard: 'TODO: https:// URL of the dashboard'",
        f"  metrics: {METRICS}",
        "audit:",
        "  enabled: true",
        f"  retention_days: {2555 if tier == 1 else 365}",
        "  tamper_evident: true",
        "release_gate:",
        f"  requires: [{', '.join(reviews)}]",
        "  rollout: shadow",
    ]
    if mode == "execute":
        lines += [
            "  rollback: 'TODO: how to go back to the previous version (flag, procedure, runbook)'",
            "kill_switch: 'TODO: the flag or procedure that stops the agent at once'",
            "budgets: {max_steps: 20, max_cost_per_session: 1.0, timeout: 5m}",
        ]
        if pattern in OVERSIGHT_PATTERNS:
            lines.append("oversight: {confidence_threshold: 0.8}   # below it, a person reviews")
    if external:
        lines.append("disclosure: {ai_disclosed: true, consent: 'TODO: how consent is obtained'}")
    if facts.endpoint:
        lines.append(f"endpoint: {yaml_string(facts.endpoint)}")
    lines += _lifecycle_comment(tier)
    return "\n".join(lines) + "\n"


def _lifecycle_comment(tier: int) -> list[str]:
    """What the card must gain as the agent moves to pilot and production, as comments."""
    days = Policy().ad_hoc_review_days
    lines = [
        "# As the agent moves on, add (dates YYYY-MM-DD, never in the future):",
        "# - pilot: evals with a golden set of 100 or more cases and `refreshed` (quarterly);",
        f"#   review.last once the governance review is held ({GOVERNANCE_REVIEW[tier]} at "
        f"tier {tier}).",
        f"# - production: deployed; review.metrics_last ({METRIC_REVIEW[tier]} at tier {tier});",
        "#   runbooks for provider-outage and tool-outage; cost: {per_interaction,",
        "#   alert_above, monthly_budget, monthly_volume}.",
    ]
    if tier in (1, 2):
        lines += [
            "# - tiers 1-2: slo in production; each material change in `changes` with its",
            "#   cab approval (date, ticket, approver).",
        ]
    lines += [
        "# - after a sev1 or sev2 incident: the incident in `incidents`, its postmortem, and",
        f"#   an ad-hoc review (review.last) within {days} days.",
    ]
    return lines


# The agentroster.toml `init` writes when the repository has none: every key, commented out,
# at its default. Its folder is the roster root.
CONFIG_TEMPLATE = """\
# agentroster configuration. This folder is the roster root: every *.agent.yaml below it
# (outside folders with an agentroster.toml of their own) is one roster. Every key is
# optional; the values shown are the defaults. See README, "Configuration".

# select = ["ALL"]                 # rules to run: codes, names or family letters
# ignore = []                      # rules to leave out
# fail-on = "error"                # lowest severity that fails the run: error, warning, info
# exclude = []                     # gitignore-style patterns of cards to skip
# baseline = "agentroster-baseline.json"   # hide findings recorded by `lint --write-baseline`
# human-queues = "agentroster.queues.yaml"
# tool-catalogue = "agentroster.tools.yaml"
# people = "agentroster.people.yaml"

# [severity]                       # a rule's severity, e.g.
# T003 = "error"

# [per-path-ignores]               # rules to ignore for some cards, e.g.
# "legacy/**" = ["L004"]

# [policy]
# min-golden-cases = 100
# source-freshness-days = 90
# max-handoff-depth = 3
# external-incident-response = "15m"

# [build]
# out = "build/agentroster"
# html = false                     # also write the portfolio site, <out>/html/ (build --html)
"""
