"""T: governance proportionate to the risk tier (docs/governance.md#family-t)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from agentroster.findings import Finding, KeyPath, Severity
from agentroster.model import MATERIAL_KINDS, REGULATED
from agentroster.rules.base import CardContext, Rule
from agentroster.rules.helpers import (
    CADENCE_MONTHS,
    TIER_CADENCE,
    add_months,
    classes,
    review_cadence,
)
from agentroster.validate import dotted

# the sponsor roles each tier accepts; tier 3 needs a sponsor too, of any role
SPONSOR_ROLES = {
    1: ("executive",),
    2: ("manager", "executive"),
    3: ("team", "manager", "executive"),
}
BASE_REVIEWS = ("eval-threshold", "security-review", "privacy-impact", "cost-approval")
TIER1_REVIEWS = (
    "legal-review",
    "compliance-attestation",
    "red-team",
    "executive-signoff",
    "security-audit",
)
# days between metric reviews of a production agent: monthly (tiers 1-2), quarterly (tier 3)
METRICS_REVIEW_DAYS = {1: 31, 2: 31, 3: 92}
AD_HOC_SEVERITIES = ("sev1", "sev2")


def sponsor_matches_tier(card: CardContext) -> Iterator[Finding]:
    tier = card.model.tier
    roles = SPONSOR_ROLES[tier]
    sponsor = card.model.sponsor
    need = "of any role (team is enough)" if tier == 3 else f"with role {' or '.join(roles)}"
    if sponsor is None:
        yield card.finding(T001, f"tier {tier} needs a sponsor {need}; add `sponsor`")
    elif sponsor.role not in roles:
        yield card.finding(
            T001,
            f"sponsor role '{sponsor.role}' is below what tier {tier} needs ({' or '.join(roles)})",
            at=("sponsor", "role"),
        )


def gate_matches_tier(card: CardContext) -> Iterator[Finding]:
    gate = card.model.release_gate
    if gate is None or not gate.requires:
        return  # B003 reports the missing gate
    needed = BASE_REVIEWS + (TIER1_REVIEWS if card.model.tier == 1 else ())
    missing = [r for r in needed if r not in gate.requires]
    if missing:
        yield card.finding(
            T002,
            f"release gate for tier {card.model.tier} lacks {', '.join(missing)}; add "
            f"{'it' if len(missing) == 1 else 'them'} to release_gate.requires",
            at=("release_gate", "requires"),
        )


def tier_fits_risk(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.tier == 1:
        return
    reasons = []
    regulated = sorted(classes(model) & REGULATED)
    if regulated:
        reasons.append(f"handles regulated data ({', '.join(regulated)})")
    if model.pattern == "external-engagement":
        reasons.append("crosses the trust boundary (external-engagement)")
    if model.pattern == "core-process" and model.mode == "execute":
        reasons.append("decides in a core process (core-process, execute mode)")
    if reasons:
        yield card.finding(
            T003,
            f"tier {model.tier} looks too low: the agent {' and '.join(reasons)}; classify it "
            "tier 1, or waive T003 with the reason",
            at=("tier",),
        )


def review_not_overdue(card: CardContext) -> Iterator[Finding]:
    review = card.model.review
    if review is None or review.last is None:
        return  # T005 asks for it on pilot and production agents
    cadence = review_cadence(card.model)
    due = add_months(review.last, CADENCE_MONTHS[cadence])
    if card.today > due:
        yield card.finding(
            T004,
            f"review overdue: last {review.last.isoformat()}, {cadence} cadence, due "
            f"{due.isoformat()}; hold the review and update review.last",
            at=("review", "last"),
        )


def review_due_soon(card: CardContext) -> Iterator[Finding]:
    review = card.model.review
    if review is None or review.last is None:
        return
    cadence = review_cadence(card.model)
    due = add_months(review.last, CADENCE_MONTHS[cadence])
    days = (due - card.today).days
    if 0 <= days <= card.config.policy.due_within:  # past due is T004's
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        yield card.finding(
            T011,
            f"the governance review falls due {when} ({due.isoformat()}: last "
            f"{review.last.isoformat()}, {cadence} cadence); schedule it, then update review.last",
            at=("review", "last"),
        )


def review_recorded(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status not in ("pilot", "production"):
        return
    if model.review is None or model.review.last is None:
        at = ("review",) if model.review is not None else ()
        yield card.finding(
            T005,
            f"{model.status} agent has no review.last; record the date of its governance review",
            at=at,
        )


def audit_fits_tier1(card: CardContext) -> Iterator[Finding]:
    audit = card.model.audit
    if card.model.tier != 1 or audit is None or not audit.enabled:
        return  # B002 reports a missing or disabled audit trail
    if audit.tamper_evident is not True:
        at = ("audit", "tamper_evident") if audit.tamper_evident is False else ("audit",)
        yield card.finding(T006, "tier 1 audit trail is not tamper-evident", at=at)
    if audit.retention_days is None:
        yield card.finding(
            T006,
            "tier 1 audit trail has no retention_days; keep logs 365 days or more",
            at=("audit",),
        )
    elif audit.retention_days < 365:
        yield card.finding(
            T006,
            f"tier 1 audit logs are kept {audit.retention_days} days; keep them 365 or more",
            at=("audit", "retention_days"),
        )


def cadence_not_looser(card: CardContext) -> Iterator[Finding]:
    review = card.model.review
    if review is None or review.cadence is None:
        return
    tier_cadence = TIER_CADENCE[card.model.tier]
    if CADENCE_MONTHS[review.cadence] > CADENCE_MONTHS[tier_cadence]:
        yield card.finding(
            T007,
            f"review.cadence '{review.cadence}' is looser than tier {card.model.tier}'s "
            f"'{tier_cadence}', which applies; remove the field or tighten it",
            at=("review", "cadence"),
        )


def metrics_review_current(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status != "production":
        return
    limit = METRICS_REVIEW_DAYS[model.tier]
    every = f"tier {model.tier} reviews its metrics every {limit} days"
    review = model.review
    if review is None:
        return  # T005 reports the missing review block
    last = review.metrics_last
    if last is None:
        yield card.finding(
            T008,
            f"production agent has no review.metrics_last; {every}: record the date of the "
            "last metric review",
            at=("review",),
        )
    elif (card.today - last).days > limit:
        yield card.finding(
            T008,
            f"metric review overdue: last {last.isoformat()}, {(card.today - last).days} days "
            f"ago; {every}: review the metrics and update review.metrics_last",
            at=("review", "metrics_last"),
        )


def ad_hoc_review_held(card: CardContext) -> Iterator[Finding]:
    review = card.get("review")
    if review is None or review.last is None:
        return  # T005 asks for review.last on pilot and production agents
    limit = card.config.policy.ad_hoc_review_days
    last = review.last.isoformat()
    for index, incident in enumerate(card.get("incidents") or ()):
        if incident.severity not in AD_HOC_SEVERITIES or incident.date <= review.last:
            continue
        days = (card.today - incident.date).days
        if days > limit:
            yield card.finding(
                T009,
                f"{incident.severity} incident {incident.id} ({incident.date.isoformat()}) came "
                f"after the last review ({last}) and {days} days have passed; hold the ad-hoc "
                f"review (due within {limit} days) and update review.last",
                at=("incidents", index),
            )
    for index, change in enumerate(card.get("changes") or ()):
        material = [kind for kind in change.kinds if kind in MATERIAL_KINDS]
        if not material or change.date <= review.last:
            continue
        days = (card.today - change.date).days
        if days > limit:
            yield card.finding(
                T009,
                f"material change {change.version} ({', '.join(material)}, "
                f"{change.date.isoformat()}) came after the last review ({last}) and {days} days "
                f"have passed; hold the ad-hoc review (due within {limit} days) and update "
                "review.last",
                at=("changes", index),
            )


def past_dates(card: CardContext) -> Iterator[tuple[KeyPath, date]]:
    """(key path, date) of every date of the card that records something already done."""
    review = card.get("review")
    if review is not None:
        yield from ((("review", k), getattr(review, k)) for k in ("last", "metrics_last"))
    evals = card.get("evals")
    if evals is not None:
        yield ("evals", "refreshed"), evals.refreshed
        if evals.judge is not None:
            yield ("evals", "judge", "calibrated"), evals.judge.calibrated
    yield ("deployed",), card.get("deployed")
    model = card.get("model")
    if model is not None:
        yield ("model", "since"), model.since
    data = card.get("data")
    for index, source in enumerate(data.sources if data is not None else ()):
        yield ("data", "sources", index, "refreshed"), source.refreshed
    for index, incident in enumerate(card.get("incidents") or ()):
        yield ("incidents", index, "date"), incident.date
        yield ("incidents", index, "resolved"), incident.resolved
    for index, change in enumerate(card.get("changes") or ()):
        yield ("changes", index, "date"), change.date
        if change.cab is not None:
            yield ("changes", index, "cab", "approved"), change.cab.approved
    retirement = card.get("retirement")
    if retirement is not None:
        yield ("retirement", "date"), retirement.date


def dates_not_in_future(card: CardContext) -> Iterator[Finding]:
    today = card.today
    for at, day in past_dates(card):
        if day is not None and day > today:
            yield card.finding(
                T010,
                f"{dotted(at)} is {day.isoformat()}, after today ({today.isoformat()}); it "
                "records something that has happened: correct the date, or leave the field "
                "out until then",
                at=at,
            )


T001 = Rule(
    code="T001",
    name="sponsor-below-tier",
    severity=Severity.ERROR,
    scope="card",
    summary="Sponsor missing or its role below what the tier needs (tier 1: executive; tier 2: "
    "manager or executive; tier 3: any role, team included).",
    rationale="Risk is owned at the level that can accept it: tier 1 needs an executive sponsor, "
    "tier 2 a manager, and even a tier 3 agent a team-level sponsor "
    "(docs/governance.md#risk-tiers).",
    bad="tier: 1\nsponsor: {name: Priya Raman, email: priya.raman@example.com, role: manager}",
    good="tier: 1\nsponsor: {name: Priya Raman, email: priya.raman@example.com, role: executive}",
    fix="Add a sponsor with the role the tier needs, or correct the tier.",
    check=sponsor_matches_tier,
)
T002 = Rule(
    code="T002",
    name="gate-below-tier",
    severity=Severity.ERROR,
    scope="card",
    summary="The release gate lacks a review the tier needs.",
    rationale="All tiers need eval results, a security review, a privacy impact assessment and "
    "cost approval before deploy; tier 1 adds legal review, compliance attestation, an "
    "independent red team, executive sign-off and an independent security audit "
    "(docs/governance.md#risk-tiers).",
    bad="tier: 2\nrelease_gate: {requires: [eval-threshold, security-review]}",
    good="tier: 2\nrelease_gate: {requires: [eval-threshold, security-review, privacy-impact, "
    "cost-approval]}",
    fix="Add the missing reviews to `release_gate.requires`.",
    check=gate_matches_tier,
)
T003 = Rule(
    code="T003",
    name="tier-too-low",
    severity=Severity.WARNING,
    scope="card",
    summary="The tier looks too low for the declared risk: regulated data (pii, phi, pci), "
    "external engagement, or an execute-mode core process at tier 2 or 3.",
    rationale="Tier 1 is for direct customer interaction, financial impact and regulated data; "
    "under-governing high-risk agents creates liability. A warning, since some industries place "
    "customer-facing agents at tier 2 (docs/governance.md#risk-tiers).",
    bad="tier: 2\ndata: {classes: [pii]}",
    good="tier: 1\ndata: {classes: [pii]}",
    fix="Move the agent to tier 1, or waive T003 on the card with the reason it is lower risk.",
    check=tier_fits_risk,
)
T004 = Rule(
    code="T004",
    name="review-overdue",
    severity=Severity.ERROR,
    scope="card",
    summary="The governance review is overdue: `review.last` plus the cadence (tier 1 "
    "quarterly, 2 semiannual, 3 annual, or the card's stricter cadence) is before today.",
    rationale="Review cadence is proportionate to risk: quarterly for tier 1, semi-annual for "
    "tier 2, annual for tier 3, as is common practice (docs/governance.md#review-cadence). Due "
    "dates count calendar months.",
    bad="tier: 1\nreview: {last: 2026-05-01, metrics_last: 2026-11-18}   # due 2026-08-01",
    good="tier: 1\nreview: {last: 2026-10-15, metrics_last: 2026-11-18}   # due 2027-01-15",
    fix="Hold the review and set `review.last` to its date.",
    check=review_not_overdue,
)
T005 = Rule(
    code="T005",
    name="review-not-recorded",
    severity=Severity.WARNING,
    scope="card",
    summary="An agent in pilot or production has no `review.last`.",
    rationale="A review record is a deployment gate; an agent in use must show when it was last "
    "reviewed (docs/governance.md#review-cadence).",
    bad="status: production\n# no review block",
    good="status: production\nreview: {last: 2026-10-15, metrics_last: 2026-11-18}",
    fix="Add `review: {last: YYYY-MM-DD}` with the date of the last governance review.",
    check=review_recorded,
)
T006 = Rule(
    code="T006",
    name="tier1-audit-weak",
    severity=Severity.ERROR,
    scope="card",
    summary="A tier 1 audit trail is not tamper-evident, or keeps logs under 365 days.",
    rationale="Audit logs must be tamper-evident and are typically kept one to seven years; a "
    "tier 1 agent keeps them at least one year (docs/governance.md#tier-1-audit-trail).",
    bad="tier: 1\naudit: {enabled: true, retention_days: 90}",
    good="tier: 1\naudit: {enabled: true, retention_days: 2555, tamper_evident: true}",
    fix="Set `audit.tamper_evident: true` and `audit.retention_days` to 365 or more.",
    check=audit_fits_tier1,
)
T007 = Rule(
    code="T007",
    name="review-cadence-too-loose",
    severity=Severity.WARNING,
    scope="card",
    summary="`review.cadence` is looser than the tier's; the tier's cadence applies.",
    rationale="A card may tighten its review cadence, never loosen it below the tier's; a looser "
    "value is ignored, and this says so (docs/governance.md#review-cadence).",
    bad="tier: 1\nreview: {last: 2026-10-15, cadence: annual, metrics_last: 2026-11-18}",
    good="tier: 1\nreview: {last: 2026-10-15, cadence: quarterly, metrics_last: 2026-11-18}",
    fix="Remove `review.cadence` or set it to the tier's cadence or a stricter one.",
    check=cadence_not_looser,
)

T008 = Rule(
    code="T008",
    name="metrics-review-overdue",
    severity=Severity.WARNING,
    scope="card",
    summary="A production agent's `review.metrics_last` is missing or older than 31 days (tiers "
    "1-2) or 92 days (tier 3).",
    rationale="The governance review looks back over months; the metric review is how drift, "
    "cost and quality problems are caught in between: monthly at tiers 1 and 2, quarterly at "
    "tier 3 (docs/governance.md#metric-reviews).",
    bad="status: production\ntier: 1\nreview: {last: 2026-11-18, metrics_last: 2026-08-31}",
    good="status: production\ntier: 1\nreview: {last: 2026-11-18, metrics_last: 2026-11-18}",
    fix="Review the agent's metrics (success, latency, cost, escalations) and set "
    "`review.metrics_last` to the date.",
    check=metrics_review_current,
)
T009 = Rule(
    code="T009",
    name="ad-hoc-review-due",
    severity=Severity.ERROR,
    scope="card",
    summary="A sev1 or sev2 incident, or a material change, is dated after `review.last`, and "
    "more than 30 days (policy `ad-hoc-review-days`) have passed since.",
    rationale="A serious incident or a material change is a reason to review the agent now, not "
    "at the next scheduled review; the 30 days are a house default "
    "(docs/governance.md#ad-hoc-reviews).",
    bad="review: {last: 2026-08-20, metrics_last: 2026-11-18}\nincidents:\n"
    "  - {id: INC-2041, date: 2026-09-02, severity: sev2, summary: refunds issued twice, "
    "resolved: 2026-09-03, postmortem: 'https://wiki.example.com/pm/inc-2041'}",
    good="review: {last: 2026-09-20, metrics_last: 2026-11-18}\nincidents:\n"
    "  - {id: INC-2041, date: 2026-09-02, severity: sev2, summary: refunds issued twice, "
    "resolved: 2026-09-03, postmortem: 'https://wiki.example.com/pm/inc-2041'}",
    fix="Hold an ad-hoc governance review covering the incident or change and set "
    "`review.last` to its date.",
    check=ad_hoc_review_held,
)
T010 = Rule(
    code="T010",
    name="date-in-future",
    severity=Severity.ERROR,
    scope="card",
    summary="A date that records the past (review, metric review, refresh, deployment, "
    "incident, change, CAB approval, calibration, model since, retirement) is after today.",
    rationale="These dates are evidence that something happened; a date in the future is a "
    "typo or a plan written as a fact, and it silently keeps the review and freshness rules "
    "quiet (docs/governance.md#dates-that-record-the-past).",
    bad="review: {last: 2027-11-18, metrics_last: 2026-11-18}",
    good="review: {last: 2026-11-18, metrics_last: 2026-11-18}",
    fix="Correct the date; leave a field out until the event has happened.",
    check=dates_not_in_future,
)

T011 = Rule(
    code="T011",
    name="review-due-soon",
    severity=Severity.INFO,
    scope="card",
    summary="The next governance review (`review.last` plus the cadence T004 checks) falls due "
    "within 30 days (`[policy] due-within`, `--due-within`).",
    rationale="Owners should see a review coming before CI turns red on the day it is overdue; "
    "30 days is agentroster's house default (docs/governance.md#review-cadence).",
    bad="tier: 1\nreview: {last: 2026-09-01, metrics_last: 2026-11-18}"
    "   # due 2026-12-01, within 30 days of 2026-11-21",
    good="tier: 1\nreview: {last: 2026-10-15, metrics_last: 2026-11-18}   # due 2027-01-15",
    fix="Schedule the review before its due date; once held, set `review.last` to its date.",
    check=review_due_soon,
)

RULES = (T001, T002, T003, T004, T005, T006, T007, T008, T009, T010, T011)
