"""B: the minimum baseline every agent needs, whatever its tier (docs/governance.md#family-b)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, Severity
from agentroster.rules.base import CardContext, Rule
from agentroster.rules.helpers import not_a_person


def owner_is_a_person(card: CardContext) -> Iterator[Finding]:
    fault = not_a_person(card.model.owner)
    if fault is not None:
        field, reason = fault
        yield card.finding(
            B001,
            f"owner {reason}, not an accountable person; name one individual (a team can go "
            "in owner.team)",
            at=("owner", field),
        )


def has_audit_trail(card: CardContext) -> Iterator[Finding]:
    audit = card.model.audit
    if audit is None:
        yield card.finding(B002, "no audit trail: add `audit: {enabled: true, ...}`")
    elif not audit.enabled:
        yield card.finding(
            B002, "audit.enabled is false: log every model and tool call", at=("audit", "enabled")
        )


def has_release_gate(card: CardContext) -> Iterator[Finding]:
    gate = card.model.release_gate
    if gate is None:
        yield card.finding(
            B003, "no release gate: add `release_gate: {requires: [eval-threshold, ...]}`"
        )
    elif not gate.requires:
        yield card.finding(
            B003,
            "release_gate requires nothing: list the checks a release must pass",
            at=("release_gate",),
        )


def has_monitoring(card: CardContext) -> Iterator[Finding]:
    monitoring = card.model.monitoring
    if monitoring is None:
        yield card.finding(
            B004, "no monitoring: add `monitoring: {dashboard: ..., metrics: [...]}`"
        )
        return
    missing = [
        name
        for name, value in (("dashboard", monitoring.dashboard), ("metrics", monitoring.metrics))
        if not value
    ]
    if missing:
        yield card.finding(
            B004, f"monitoring has no {' and no '.join(missing)}", at=("monitoring",)
        )


def has_escalation(card: CardContext) -> Iterator[Finding]:
    if card.model.escalation is None:
        yield card.finding(
            B005,
            "no escalation path: add `escalation: {to: human:<queue>, incident_response: ...}`",
        )


B001 = Rule(
    code="B001",
    name="owner-not-a-person",
    severity=Severity.ERROR,
    scope="card",
    summary="The owner is a team, a role mailbox or a team name, not an accountable person.",
    rationale="An agent needs one accountable person, not a team: ownership shared by everyone is "
    "exercised by no one (docs/governance.md#a-named-owner).",
    bad="owner: {name: AI Platform Team, email: ai-platform@example.com}",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com, team: ai-platform}",
    fix="Put one accountable individual's name and own email in `owner`; the team goes in "
    "`owner.team`.",
    check=owner_is_a_person,
)
B002 = Rule(
    code="B002",
    name="no-audit-trail",
    severity=Severity.ERROR,
    scope="card",
    summary="No audit trail: `audit` is missing or `enabled: false`.",
    rationale="Every model call and tool call must be traceable to a user and a decision "
    "(docs/governance.md#audit-trail).",
    bad="audit: {enabled: false}",
    good="audit: {enabled: true, retention_days: 365}",
    fix="Add `audit: {enabled: true}` once every model and tool call is logged.",
    check=has_audit_trail,
)
B003 = Rule(
    code="B003",
    name="no-release-gate",
    severity=Severity.ERROR,
    scope="card",
    summary="No release gate: nothing must pass before a release.",
    rationale="A release gate is part of the minimum baseline; nothing reaches users without "
    "passing it (docs/governance.md#release-gate).",
    bad="release_gate: {requires: []}",
    good="release_gate: {requires: [eval-threshold, security-review, privacy-impact, "
    "cost-approval]}",
    fix="Add `release_gate.requires` with the checks your tier needs (see T002).",
    check=has_release_gate,
)
B004 = Rule(
    code="B004",
    name="no-monitoring",
    severity=Severity.ERROR,
    scope="card",
    summary="No monitoring: no dashboard or no metrics.",
    rationale="An agent nobody watches fails silently; monitoring is part of the minimum baseline "
    "(docs/governance.md#monitoring).",
    bad="monitoring: {on_call: care-oncall}",
    good="monitoring: {dashboard: 'https://dash.example.com/d/triage', metrics: [success_rate, "
    "latency_p95]}",
    fix="Give `monitoring.dashboard` and at least one metric in `monitoring.metrics`.",
    check=has_monitoring,
)
B005 = Rule(
    code="B005",
    name="no-escalation-path",
    severity=Severity.ERROR,
    scope="card",
    summary="No escalation path.",
    rationale="Work handed to an agent needs somewhere to go when it fails; a failing agent must "
    "route the person to a human (docs/governance.md#escalation-path).",
    bad="# no escalation block",
    good="escalation: {to: human:care-escalations, incident_response: 1h}",
    fix="Add `escalation.to` with a human queue (`human:<queue>`) or an agent that reaches one.",
    check=has_escalation,
)

RULES = (B001, B002, B003, B004, B005)
