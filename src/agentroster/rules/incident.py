"""I: incidents (docs/governance.md#family-i)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, Severity
from agentroster.rules.base import CardContext, Rule
from agentroster.rules.helpers import days_since

POSTMORTEM_SEVERITIES = frozenset({"sev1", "sev2"})
WIDE_ROLLOUTS = frozenset({"gradual", "full"})


def incidents_have_postmortems(card: CardContext) -> Iterator[Finding]:
    limit = card.config.policy.postmortem_days
    for index, incident in enumerate(card.model.incidents):
        if incident.severity not in POSTMORTEM_SEVERITIES or incident.postmortem is not None:
            continue
        if incident.resolved is None:
            continue  # open: the postmortem comes after resolution
        age = days_since(incident.resolved, card.today)
        if age > limit:
            yield card.finding(
                I001,
                f"{incident.severity} incident {incident.id} was resolved "
                f"{incident.resolved.isoformat()}, {age} days ago, and has no postmortem; "
                f"write it (due within {limit} days) and link it in postmortem",
                at=("incidents", index),
            )


def no_open_sev1_in_rollout(card: CardContext) -> Iterator[Finding]:
    gate = card.model.release_gate
    if gate is None or gate.rollout not in WIDE_ROLLOUTS:
        return
    for index, incident in enumerate(card.model.incidents):
        if incident.severity == "sev1" and incident.resolved is None:
            yield card.finding(
                I002,
                f"sev1 incident {incident.id} (since {incident.date.isoformat()}) is open while "
                f"release_gate.rollout is {gate.rollout}; hold the rollout at canary or shadow "
                "until it is resolved, then record resolved",
                at=("incidents", index),
            )


I001 = Rule(
    code="I001",
    name="incident-without-postmortem",
    severity=Severity.ERROR,
    scope="card",
    summary="A sev1 or sev2 incident resolved more than 14 days ago (policy `postmortem-days`) "
    "without a postmortem.",
    rationale="Serious incidents carry a postmortem, so the cause is fixed and the next review "
    "can read what happened; two weeks to write it is a house default "
    "(docs/governance.md#postmortems).",
    bad="incidents:\n  - {id: INC-2041, date: 2026-09-01, severity: sev2, summary: refunds "
    "issued twice for one order, resolved: 2026-09-02}",
    good="incidents:\n  - {id: INC-2041, date: 2026-09-01, severity: sev2, summary: refunds "
    "issued twice for one order, resolved: 2026-09-02,\n     postmortem: "
    "https://wiki.example.com/pm/INC-2041}",
    fix="Write the postmortem and set the incident's `postmortem` to its path or URL.",
    check=incidents_have_postmortems,
)
I002 = Rule(
    code="I002",
    name="incident-open-in-rollout",
    severity=Severity.ERROR,
    scope="card",
    summary="An unresolved sev1 incident (no `resolved`) while `release_gate.rollout` is "
    "`gradual` or `full`.",
    rationale="Widening a rollout is gated on the absence of sev1 incidents: while one is open, "
    "the agent should not reach more users (docs/governance.md#incidents-and-rollout).",
    bad="# release_gate.rollout: gradual\nincidents:\n  - {id: INC-311, date: "
    "2026-11-19, severity: sev1, summary: held orders released without review}",
    good="# release_gate.rollout: gradual\nincidents:\n  - {id: INC-311, date: "
    "2026-11-19, severity: sev1, summary: held orders released without review,\n     resolved: "
    "2026-11-20}",
    fix="Hold the rollout (canary or shadow) until the incident is resolved, then record "
    "`resolved`.",
    check=no_open_sev1_in_rollout,
)

RULES = (I001, I002)
