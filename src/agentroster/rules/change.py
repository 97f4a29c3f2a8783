"""M: change review (docs/governance.md#family-m)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, Severity
from agentroster.model import MATERIAL_KINDS, Change
from agentroster.rules.base import CardContext, Rule

CAB_TIERS = frozenset({1, 2})
# M001-M003 compare a card with a base revision (`--base`); reserved, never to be reused.
RESERVED = ("M001", "M002", "M003")


def material_kinds(change: Change) -> list[str]:
    """The change's kinds that are material, in the order written."""
    return [kind for kind in change.kinds if kind in MATERIAL_KINDS]


def cab_gaps(change: Change, tier: int) -> list[str]:
    """What the change advisory board's record of `change` lacks on a card of `tier`: nothing
    for tier 3 or a change of no material kind."""
    if tier not in CAB_TIERS or not material_kinds(change):
        return []
    cab = change.cab
    missing = []
    if cab is None or cab.approved is None:
        missing.append("approval date (cab.approved)")
    if cab is None or (cab.ticket is None and cab.approved_by is None):
        missing.append("ticket or approver (cab.ticket, cab.approved_by)")
    return missing


def material_changes_recorded(card: CardContext) -> Iterator[Finding]:
    tier = card.model.tier
    for index, change in enumerate(card.model.changes):
        missing = cab_gaps(change, tier)
        if missing:
            yield card.finding(
                M004,
                f"change {change.version} ({', '.join(material_kinds(change))}) on a tier {tier} "
                f"card has no CAB {' and no '.join(missing)}; record the change advisory board's "
                "decision",
                at=("changes", index),
            )


M004 = Rule(
    code="M004",
    name="change-record-incomplete",
    severity=Severity.ERROR,
    scope="card",
    summary="A `changes` entry of a material kind on a tier 1 or 2 card without `cab.approved` "
    "and a ticket or approver.",
    rationale="As practice in the field has it, at tiers 1 and 2 every material change (a new "
    "tool or wider access, new data, a scope, tier, mode or handoff change, a model swap) goes "
    "to the change advisory board, and the change log is where its decision is recorded "
    "(docs/governance.md#change-advisory-board).",
    bad="changes:\n  - version: 1.3.0\n    date: 2026-10-02\n    summary: swap to a newer "
    "model snapshot\n    kinds: [model-swap]\n    cab: {ticket: CAB-1182}   # no approval date",
    good="changes:\n  - version: 1.3.0\n    date: 2026-10-02\n    summary: swap to a newer "
    "model snapshot\n    kinds: [model-swap]\n    cab: {approved: 2026-09-28, ticket: CAB-1182}",
    fix="Add `cab.approved` with the board's decision date and `cab.ticket` or "
    "`cab.approved_by`, or take the change to the board first.",
    check=material_changes_recorded,
)

RULES = (M004,)
