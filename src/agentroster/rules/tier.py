"""T: governance proportionate to the risk tier (docs/governance.md#family-t)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, Severity
from agentroster.model import REGULATED
from agentroster.rules.base import CardContext, Rule
from agentroster.rules.helpers import (
    CADENCE_MONTHS,
    TIER_CADENCE,
    add_months,
    classes,
    review_cadence,
)

SPONSOR_ROLES = {1: ("executive",), 2: ("manager", "executive"), 3: ()}
BASE_REVIEWS = ("eval-threshold", "security-review", "privacy-impact", "cost-approval")
TIER1_REVIEWS = ("legal-review", "compliance-attestation", "red-team", "executive-signoff")


def sponsor_matches_tier(card: CardContext) -> Iterator[Finding]:
    tier = card.model.tier
    roles = SPONSOR_ROLES[tier]
    if not roles:
        return
    sponsor = card.model.sponsor
    need = " or ".join(roles)
    if sponsor is None:
        yield card.finding(T001, f"tier {tier} needs a sponsor with role {need}; add `sponsor`")
    elif sponsor.role not in roles:
        yield card.finding(
            T001,
            f"sponsor role '{sponsor.role}' is below what tier {tier} needs ({need})",
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


T001 = Rule(
    code="T001",
    name="sponsor-below-tier",
    severity=Severity.ERROR,
    scope="card",
    summary="Sponsor missing or its role below what the tier needs (tier 1: executive; tier 2: "
    "manager or executive; tier 3: none).",
    rationale="Risk is owned at the level that can accept it: tier 1 needs an executive sponsor, "
    "tier 2 a manager (docs/governance.md#risk-tiers).",
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
    "independent red team and executive sign-off (docs/governance.md#risk-tiers).",
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
    bad="tier: 1\nreview: {last: 2026-05-01}   # due 2026-08-01",
    good="tier: 1\nreview: {last: 2026-10-15}   # due 2027-01-15",
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
    good="status: production\nreview: {last: 2026-10-15}",
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
    bad="tier: 1\nreview: {last: 2026-10-15, cadence: annual}",
    good="tier: 1\nreview: {last: 2026-10-15, cadence: quarterly}",
    fix="Remove `review.cadence` or set it to the tier's cadence or a stricter one.",
    check=cadence_not_looser,
)

RULES = (T001, T002, T003, T004, T005, T006, T007)
