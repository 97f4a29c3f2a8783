"""B: the minimum baseline every agent needs, whatever its tier (docs/governance.md#family-b)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.catalogues import person_key
from agentroster.findings import Finding, KeyPath, Severity
from agentroster.model import Person
from agentroster.rules.base import CardContext, Rule
from agentroster.rules.helpers import not_a_person, placeholder_person
from agentroster.validate import dotted

PERSON_FIELDS = ("owner", "technical_owner", "sponsor")
_LABEL = {"owner": "owner", "technical_owner": "technical owner", "sponsor": "sponsor"}


def _named(value: Person | str) -> tuple[str | None, str | None]:
    """(name, email) of a Person, or of a Person-or-email string (a name when it has no @)."""
    if isinstance(value, Person):
        return value.name, value.email
    return (None, value) if "@" in value else (value, None)


def _people_fields(card: CardContext) -> Iterator[tuple[KeyPath, Person | str]]:
    """Every person field of the card but waiver approvers (W002 checks those)."""
    for name in PERSON_FIELDS:
        person = card.get(name)
        if person is not None:
            yield (name,), person
    data = card.get("data")
    for index, source in enumerate(data.sources if data is not None else ()):
        if source.owner:
            yield ("data", "sources", index, "owner"), source.owner
    for index, change in enumerate(card.get("changes") or ()):
        if change.cab is not None and change.cab.approved_by is not None:
            yield ("changes", index, "cab", "approved_by"), change.cab.approved_by


def owner_is_a_person(card: CardContext) -> Iterator[Finding]:
    for at, person in _people_fields(card):
        placeholder = placeholder_person(*_named(person))
        if placeholder is not None:
            field, value = placeholder
            where = (*at, field) if isinstance(person, Person) else at
            yield card.finding(
                B001,
                f"{dotted(where)} '{value}' is a placeholder, not a person; name the "
                "individual accountable",
                at=where,
            )
        elif at == ("owner",) and isinstance(person, Person):
            fault = not_a_person(person)
            if fault is not None:
                field, reason = fault
                yield card.finding(
                    B001,
                    f"owner {reason}, not an accountable person; name one individual (a team "
                    "can go in owner.team)",
                    at=("owner", field),
                )


def reported_by_b001(name: str, person: Person) -> bool:
    """True when B001 (or C009, for a TODO) already reports this person of the card."""
    if "TODO" in person.email or placeholder_person(person.name, person.email) is not None:
        return True
    return name == "owner" and not_a_person(person) is not None


def people_are_active(card: CardContext) -> Iterator[Finding]:
    if card.people is None:
        return
    for name in PERSON_FIELDS:
        person = card.get(name)
        if person is None or reported_by_b001(name, person):
            continue
        entry = card.people.get(person_key(person.email))
        label = _LABEL[name]
        if entry is None:
            yield card.finding(
                B006,
                f"{label} '{person.email}' is not in the people directory; name an active "
                "person, or add them to the directory if the address is right",
                at=(name, "email"),
            )
        elif entry.status != "active":
            yield card.finding(
                B006,
                f"{label} '{person.email}' ({entry.name}) is listed as {entry.status} in the "
                "people directory; hand the agent to an active person, or retire it",
                at=(name, "email"),
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
    summary="The owner is a team, a role mailbox or a team name, not an accountable person; or "
    "a person field (owner, sponsor, technical owner, knowledge-source owner, CAB approver) "
    "holds a placeholder such as 'TBD' or 'n/a'.",
    rationale="An agent needs one accountable person, not a team: ownership shared by everyone is "
    "exercised by no one, and a placeholder is no one at all. The list of placeholder words is "
    "a house default (docs/governance.md#a-named-owner).",
    bad="owner: {name: AI Platform Team, email: ai-platform@example.com}\n"
    "technical_owner: {name: TBD, email: tbd@example.com}",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com, team: ai-platform}\n"
    "technical_owner: {name: Tomas Lindqvist, email: tomas.lindqvist@example.com}",
    fix="Put one accountable individual's name and own email in `owner` (the team goes in "
    "`owner.team`), and a real person in every other person field.",
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

B006 = Rule(
    code="B006",
    name="owner-departed",
    severity=Severity.ERROR,
    scope="card",
    summary="The owner, technical owner or sponsor is not an active person in the people "
    "directory (`agentroster.people.yaml`, when the repository has one).",
    rationale="An agent whose owner has left is an orphan: nobody answers for it, reviews it or "
    "decides to retire it. The people directory makes a departure visible on every card the "
    "person held (docs/governance.md#people-who-have-left).",
    bad="owner: {name: Marcus Lee, email: marcus.lee@example.com}   # departed in the directory",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com}   # active",
    fix="Hand the agent to an active person (or retire it), or correct the directory if the "
    "person is still here.",
    check=people_are_active,
)

RULES = (B001, B002, B003, B004, B005, B006)
