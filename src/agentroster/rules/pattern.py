"""P: what each agent pattern needs beyond the baseline (docs/governance.md#family-p)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from agentroster.findings import Finding, KeyPath, Severity
from agentroster.model import duration_minutes
from agentroster.rules.base import CardContext, Rule


def expert_sources_owned(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.pattern != "business-expert":
        return
    sources = model.data.sources if model.data else []
    if not sources:
        at = ("data",) if model.data is not None else ()
        yield card.finding(
            P001,
            "business-expert agent declares no knowledge sources; list them in data.sources "
            "with an owner and authoritative: true",
            at=at,
        )
        return
    for index, source in enumerate(sources):
        where: KeyPath = ("data", "sources", index)
        if source.authoritative is False:
            yield card.finding(
                P001,
                f"knowledge source '{source.name}' is not marked authoritative; answer only "
                "from the authoritative record, or set authoritative: true once its owner "
                "vouches for it",
                at=(*where, "authoritative"),
            )
        gaps = []
        if not source.owner:
            gaps.append("has no owner")
        if source.authoritative is None:
            gaps.append("is not marked authoritative")
        if gaps:
            yield card.finding(
                P001,
                f"knowledge source '{source.name}' {' and '.join(gaps)}; an expert agent "
                "answers only from owned, authoritative sources",
                at=where,
            )


def expert_sources_fresh(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.pattern != "business-expert" or model.data is None:
        return
    days = card.config.policy.source_freshness_days
    oldest = card.today - timedelta(days=days)
    for index, source in enumerate(model.data.sources):
        if source.refreshed is None:
            yield card.finding(
                P002,
                f"knowledge source '{source.name}' has no refreshed date; record when it was "
                "last refreshed",
                at=("data", "sources", index),
            )
        elif source.refreshed < oldest:
            age = (card.today - source.refreshed).days
            yield card.finding(
                P002,
                f"knowledge source '{source.name}' was refreshed {age} days ago "
                f"({source.refreshed.isoformat()}), over the {days}-day limit",
                at=("data", "sources", index, "refreshed"),
            )


def external_disclosure(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.pattern != "external-engagement":
        return
    disclosure = model.disclosure
    if disclosure is None:
        yield card.finding(
            P003,
            "external-engagement agent has no disclosure; add `disclosure: {ai_disclosed: true, "
            "consent: ...}`",
        )
        return
    if disclosure.ai_disclosed is not True:
        yield card.finding(
            P003,
            "ai_disclosed is false: people must be told they deal with an AI agent",
            at=("disclosure", "ai_disclosed"),
        )
    if not disclosure.consent:
        yield card.finding(
            P003,
            "disclosure has no consent statement; say how consent is obtained",
            at=("disclosure",),
        )


def external_incident_response(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.pattern != "external-engagement" or model.escalation is None:
        return  # B005 reports a missing escalation
    limit = card.config.policy.external_incident_response
    response = model.escalation.incident_response
    if response is None:
        yield card.finding(
            P004,
            f"external-engagement agent has no escalation.incident_response; it must be {limit} "
            "or faster",
            at=("escalation",),
        )
    elif duration_minutes(response) > duration_minutes(limit):
        yield card.finding(
            P004,
            f"incident response {response} is slower than the {limit} an external-engagement "
            "agent needs",
            at=("escalation", "incident_response"),
        )


def deciding_agents_budgeted(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.pattern not in ("core-process", "ai-first") or model.mode != "execute":
        return
    budgets = model.budgets
    missing = [
        name
        for name in ("max_steps", "max_cost_per_session")
        if budgets is None or getattr(budgets, name) is None
    ]
    if missing:
        yield card.finding(
            P005,
            f"{model.pattern} agent in execute mode has no {' and no '.join(missing)}; bound "
            "every session's steps and cost",
            at=("budgets",) if budgets is not None else (),
        )


P001 = Rule(
    code="P001",
    name="expert-sources-unowned",
    severity=Severity.ERROR,
    scope="card",
    summary="business-expert: no knowledge sources, or a source without an owner or not "
    "authoritative.",
    rationale="For a business-expert agent the agent's credibility is the product: its sources "
    "must be authoritative, current and complete, with an owner "
    "(docs/governance.md#business-expert-knowledge-sources).",
    bad="pattern: business-expert\ndata:\n  classes: [internal, confidential]\n  sources:\n"
    "    - {name: Policy wiki, owner: sofia.rossi@example.com, authoritative: false, "
    "refreshed: 2026-11-01}",
    good="pattern: business-expert\ndata:\n  classes: [internal, confidential]\n  sources:\n"
    "    - {name: Policy library, owner: sofia.rossi@example.com, authoritative: true, "
    "refreshed: 2026-11-01}",
    fix="List each source in `data.sources` with `owner` and `authoritative: true`; answer only "
    "from sources that are.",
    check=expert_sources_owned,
)
P002 = Rule(
    code="P002",
    name="expert-sources-stale",
    severity=Severity.WARNING,
    scope="card",
    summary="business-expert: a knowledge source not refreshed within 90 days (policy "
    "`source-freshness-days`).",
    rationale="Knowledge staleness is a standard failure mode; an expert agent's sources must be "
    "current. The 90 days are a house default "
    "(docs/governance.md#business-expert-knowledge-sources).",
    bad="data:\n  sources:\n    - {name: Benefits handbook, owner: hannah.kim@example.com, "
    "authoritative: true, refreshed: 2025-01-10}",
    good="data:\n  sources:\n    - {name: Benefits handbook, owner: hannah.kim@example.com, "
    "authoritative: true, refreshed: 2026-11-01}",
    fix="Refresh the source and update `refreshed`, or raise `source-freshness-days` in "
    "[policy] for slow-moving material.",
    check=expert_sources_fresh,
)
P003 = Rule(
    code="P003",
    name="external-no-disclosure",
    severity=Severity.ERROR,
    scope="card",
    summary="external-engagement: no AI disclosure or no consent statement.",
    rationale="Crossing the trust boundary to customers or partners makes disclosure and consent "
    "mandatory (docs/governance.md#external-engagement).",
    bad="pattern: external-engagement\ndisclosure: {ai_disclosed: false}",
    good="pattern: external-engagement\ndisclosure: {ai_disclosed: true, consent: chat banner}",
    fix="Add `disclosure: {ai_disclosed: true, consent: <how consent is obtained>}`.",
    check=external_disclosure,
)
P004 = Rule(
    code="P004",
    name="external-slow-response",
    severity=Severity.ERROR,
    scope="card",
    summary="external-engagement: incident response slower than 15 minutes (policy "
    "`external-incident-response`), or missing.",
    rationale="An agent facing customers or partners goes wrong in public; common practice is an "
    "incident response within 15 minutes (docs/governance.md#external-engagement).",
    bad="escalation: {to: human:care-escalations, incident_response: 4h}",
    good="escalation: {to: human:care-escalations, incident_response: 15m}",
    fix="Set `escalation.incident_response` to 15m or faster and staff it.",
    check=external_incident_response,
)
P005 = Rule(
    code="P005",
    name="deciding-agent-unbudgeted",
    severity=Severity.ERROR,
    scope="card",
    summary="core-process or ai-first in execute mode without budgets (max_steps and "
    "max_cost_per_session).",
    rationale="Agents that decide in core processes or run sense-decide-act loops need defined "
    "autonomy limits: a per-session step budget and cost ceiling "
    "(docs/governance.md#deciding-agents).",
    bad="pattern: core-process\nmode: execute\nbudgets: {timeout: 5m}",
    good="pattern: core-process\nmode: execute\nbudgets: {max_steps: 20, "
    "max_cost_per_session: 2.5, timeout: 5m}",
    fix="Add `budgets.max_steps` and `budgets.max_cost_per_session`.",
    check=deciding_agents_budgeted,
)

RULES = (P001, P002, P003, P004, P005)
