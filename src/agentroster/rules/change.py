"""M: change review (docs/governance.md#family-m)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.compare import Change as FieldChange
from agentroster.compare import material_changes, version_key
from agentroster.discover import relative
from agentroster.findings import Finding, Severity
from agentroster.model import MATERIAL_KINDS, AgentCard, Change
from agentroster.rules.base import CardContext, RosterContext, Rule

CAB_TIERS = frozenset({1, 2})
MODEL_SWAP_MIN_DAYS = 60  # practice: a model runs two months before the next swap
# M001-M003 compare each card with its version at a base revision (`lint --base`): without
# one they do not run.
BASE_NOTE = "# needs a base revision (lint --base REV); `# base:` gives the card's values there\n"


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


def with_base(ctx: RosterContext) -> Iterator[tuple[CardContext, AgentCard]]:
    """Each card of the run with its version at the base revision (cards new in the change,
    and every card when no base was given, are left out; so is a card the change left alone
    when both sides share its one reading, changeset.py: nothing changed to compare)."""
    if ctx.base is None:
        return
    by_agent = ctx.base.by_agent
    for card in ctx.cards:
        # BaseCards.of, with the path worked out only when the id does not find the card
        old = by_agent.get(card.agent) if card.agent is not None else None
        if old is None:
            old = ctx.base.by_path.get(relative(card.file, card.root))
        if old is not None and old is not card.model:
            yield card, old


def first_change(card: CardContext, changes: list[FieldChange]) -> FieldChange:
    """The change that comes first in the card's text."""
    return min(changes, key=lambda c: card.source_map.locate(c.at))


def approved_record(card: CardContext, old: AgentCard) -> bool:
    """Whether the card's change log has a new entry (not in the base's log) for its version
    with the CAB's approval (date, and a ticket or an approver)."""
    for change in card.model.changes:
        if change in old.changes:
            continue  # approved an earlier change, not this one
        cab = change.cab
        if (
            change.version == card.model.version
            and cab is not None
            and cab.approved is not None
            and (cab.ticket is not None or cab.approved_by is not None)
        ):
            return True
    return False


def material_change_approved(ctx: RosterContext) -> Iterator[Finding]:
    for card, old in with_base(ctx):
        new = card.model
        if new.tier not in CAB_TIERS and old.tier not in CAB_TIERS:
            continue
        changes = material_changes(old, new)
        if not changes or approved_record(card, old):
            continue
        first = first_change(card, changes)
        more = f" and {len(changes) - 1} more material change(s)" if len(changes) > 1 else ""
        if version_key(new.version) > version_key(old.version):
            record = f"add a `changes` entry for {new.version}"
        else:  # M002 asks for the new version; the record belongs to it, not to this one
            record = f"raise the version above {old.version} and add a `changes` entry for it"
        yield card.finding(
            M001,
            f"{first.why} ({first.field}){more} on a tier {new.tier} card, with no approved "
            f"change record for version {new.version}; {record} with cab.approved and "
            "cab.ticket or cab.approved_by",
            at=first.at,
        )


def version_bumped(ctx: RosterContext) -> Iterator[Finding]:
    for card, old in with_base(ctx):
        new = card.model
        before, after = version_key(old.version), version_key(new.version)
        if after < before:
            yield card.finding(
                M002,
                f"version went down from {old.version} to {new.version}; a change needs a "
                f"version above {old.version}",
                at=("version",),
            )
            continue
        changes = material_changes(old, new) if after == before else []
        if changes:
            kinds = ", ".join(dict.fromkeys(c.kind for c in changes if c.kind))
            yield card.finding(
                M002,
                f"the card changed materially ({kinds}) but version is still {new.version}; "
                f"raise it above {old.version}",
                at=("version",),
            )


def model_swap_spaced(ctx: RosterContext) -> Iterator[Finding]:
    for card, old in with_base(ctx):
        new = card.model
        if old.model is None or new.model is None or old.model.since is None:
            continue
        before = (old.model.provider, old.model.name, old.model.version)
        if before == (new.model.provider, new.model.name, new.model.version):
            continue
        swapped = new.model.since or ctx.today
        days = (swapped - old.model.since).days
        if days < MODEL_SWAP_MIN_DAYS:
            yield card.finding(
                M003,
                f"model changed {days} days after the previous one was set "
                f"(model.since {old.model.since.isoformat()}); let a model run at least "
                f"{MODEL_SWAP_MIN_DAYS} days, or waive M003 with the reason for the early swap",
                at=("model",),
            )


_TOOLS = (
    "tools:\n  - {id: orders.lookup, system: oms, description: Read an order by id, access: "
    "read, rate_limit: 60/m}\n"
)
_WRITE_TOOL = (
    "  - {id: refunds.issue, system: payments, description: Issue a refund up to 200 USD, "
    "access: write, approval: human, rate_limit: 10/m}\n"
)
_BASE_TOOLS = (
    "# base: {version: 1.3.0, tools: [{id: orders.lookup, system: oms, description: Read an "
    "order by id, access: read, rate_limit: 60/m}]}\n"
)


def _record(version: str, kind: str) -> str:
    return (
        f"changes:\n  - {{version: {version}, date: 2026-11-20, kinds: [{kind}], "
        "cab: {approved: 2026-11-19, ticket: CAB-1201}}\n"
    )


_MODEL = (
    "model: {provider: anthropic, name: claude-sonnet, version: claude-sonnet-4-6, "
    "since: 2026-11-20, fallback: {provider: openai, name: gpt-4o}}\n"
)
_OLD_MODEL = (
    "{provider: anthropic, name: claude-sonnet, version: claude-sonnet-4-5-20250929, "
    "since: %s, fallback: {provider: openai, name: gpt-4o}}"
)

M001 = Rule(
    code="M001",
    name="material-change-unapproved",
    severity=Severity.ERROR,
    scope="roster",
    summary="A tier 1 or 2 card changed materially against the base revision without a "
    "`changes` entry for its new version with the CAB's approval.",
    rationale="At tiers 1 and 2 every material change goes to the change advisory board before "
    "it ships; comparing the card with the base revision finds the change even when nobody "
    "wrote it down (docs/governance.md#change-review).",
    bad=BASE_NOTE + _BASE_TOOLS + "tier: 1\nversion: 1.4.0\n" + _TOOLS + _WRITE_TOOL,
    good=BASE_NOTE
    + _BASE_TOOLS
    + "tier: 1\nversion: 1.4.0\n"
    + _TOOLS
    + _WRITE_TOOL
    + _record("1.4.0", "new-tool"),
    fix="Take the change to the change advisory board and record its decision: a `changes` "
    "entry for the new version with `cab.approved` and `cab.ticket` or `cab.approved_by`.",
    check=material_change_approved,
)

M002 = Rule(
    code="M002",
    name="version-not-bumped",
    severity=Severity.ERROR,
    scope="roster",
    summary="The card changed materially against the base revision but `version` did not "
    "increase, or `version` went down.",
    rationale="The version names what was reviewed and what is deployed; a material change "
    "under an old version number makes the change log, the CAB record and the deployment "
    "disagree (docs/governance.md#change-review).",
    bad=BASE_NOTE
    + "# base: {version: 1.3.0, mode: assist}\nversion: 1.3.0\nmode: execute\n"
    + _record("1.3.0", "mode"),
    good=BASE_NOTE
    + "# base: {version: 1.3.0, mode: assist}\nversion: 1.4.0\nmode: execute\n"
    + _record("1.4.0", "mode"),
    fix="Raise `version` above the base revision's (a minor or major step for a material change).",
    check=version_bumped,
)

M003 = Rule(
    code="M003",
    name="model-swap-too-soon",
    severity=Severity.WARNING,
    scope="roster",
    summary="The model (provider, name or version) changed less than 60 days after the base "
    "revision's `model.since`.",
    rationale="As practice in the field has it, a model needs about two months in service "
    "before its behaviour, cost and evals are known well enough to judge a replacement "
    "against it (docs/governance.md#change-review).",
    bad=BASE_NOTE
    + "# base: {version: 1.3.0, model: "
    + _OLD_MODEL % "2026-10-06"
    + "}\nversion: 1.4.0\n"
    + _MODEL
    + _record("1.4.0", "model-swap"),
    good=BASE_NOTE
    + "# base: {version: 1.3.0, model: "
    + _OLD_MODEL % "2026-08-06"
    + "}\nversion: 1.4.0\n"
    + _MODEL
    + _record("1.4.0", "model-swap"),
    fix="Keep the current model until it has run 60 days, or record why the swap cannot wait "
    "in a waiver of M003.",
    check=model_swap_spaced,
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

RULES = (M001, M002, M003, M004)
