"""A: autonomy and tools (docs/governance.md#family-a)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, Severity
from agentroster.model import ACCESS_RANK
from agentroster.rules.base import CardContext, Rule
from agentroster.rules.helpers import WRITE_ACCESS, classes
from agentroster.spelling import closest


def assist_reads_only(card: CardContext) -> Iterator[Finding]:
    if card.model.mode != "assist":
        return
    for index, tool in enumerate(card.model.tools):
        if tool.access in WRITE_ACCESS:
            yield card.finding(
                A001,
                f"assist-mode agent has tool '{tool.id}' with {tool.access} access; in assist "
                "mode a human executes, so give the tool read or recommend access, or switch "
                "the agent to execute mode",
                at=("tools", index, "access"),
            )


def tier1_writes_approved(card: CardContext) -> Iterator[Finding]:
    if card.model.tier != 1:
        return
    for index, tool in enumerate(card.model.tools):
        if tool.access in WRITE_ACCESS and tool.approval != "human":
            at = ("tools", index, "approval") if tool.approval else ("tools", index)
            yield card.finding(
                A002,
                f"tier 1 tool '{tool.id}' can {tool.access} without human approval; set "
                "approval: human",
                at=at,
            )


def execute_has_kill_switch(card: CardContext) -> Iterator[Finding]:
    if card.model.mode == "execute" and not card.model.kill_switch:
        yield card.finding(
            A003, "execute-mode agent has no kill_switch; name the flag or procedure that stops it"
        )


def writes_rate_limited(card: CardContext) -> Iterator[Finding]:
    for index, tool in enumerate(card.model.tools):
        if tool.access in WRITE_ACCESS and not tool.rate_limit:
            yield card.finding(
                A004,
                f"{tool.access} tool '{tool.id}' has no rate_limit; add one such as 10/m",
                at=("tools", index),
            )


def tools_listed_once_and_known(card: CardContext) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    catalogue = card.tool_catalogue
    for index, tool in enumerate(card.model.tools):
        if catalogue is not None and tool.id not in catalogue:
            close = closest(tool.id, catalogue, cutoff=0.75)
            hint = f"; did you mean '{close}'?" if close else "; add it to the catalogue first"
            yield card.finding(
                A005,
                f"tool '{tool.id}' is not in the tool catalogue{hint}",
                at=("tools", index, "id"),
            )
        elif tool.id in seen:
            yield card.finding(
                A005,
                f"tool '{tool.id}' is listed twice (first as tools[{seen[tool.id]}]); keep one "
                "entry",
                at=("tools", index, "id"),
            )
        else:
            seen[tool.id] = index


def execute_has_budget(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.mode != "execute":
        return
    if model.pattern in ("core-process", "ai-first"):
        return  # P005 asks for more, as an error
    budgets = model.budgets
    if budgets is None or (
        budgets.max_steps is None
        and budgets.max_cost_per_session is None
        and budgets.timeout is None
    ):
        yield card.finding(
            A006,
            "execute-mode agent has no budget; set at least one of max_steps, "
            "max_cost_per_session or timeout",
            at=("budgets",) if budgets is not None else (),
        )


def within_catalogue(card: CardContext) -> Iterator[Finding]:
    catalogue = card.tool_catalogue
    if catalogue is None:
        return
    declared = classes(card.model)
    for index, tool in enumerate(card.model.tools):
        entry = catalogue.get(tool.id)
        if entry is None:
            continue  # A005
        if ACCESS_RANK[tool.access] > ACCESS_RANK[entry.access]:
            yield card.finding(
                A007,
                f"tool '{tool.id}' is used with {tool.access} access; the catalogue allows "
                f"{entry.access} at most",
                at=("tools", index, "access"),
            )
        undeclared = sorted(set(entry.data) - declared)
        if undeclared:
            yield card.finding(
                A007,
                f"tool '{tool.id}' touches {', '.join(undeclared)} data, which the card does not "
                "declare in data.classes",
                at=("tools", index, "access"),
            )


def irreversible_tools_approved(card: CardContext) -> Iterator[Finding]:
    if card.model.tier == 1:
        return  # A002 already asks for approval: human on every tier 1 write or trigger tool
    for index, tool in enumerate(card.model.tools):
        if tool.access in WRITE_ACCESS and tool.reversible is False and tool.approval != "human":
            at = ("tools", index, "approval") if tool.approval else ("tools", index)
            yield card.finding(
                A008,
                f"{tool.access} tool '{tool.id}' cannot be undone (reversible: false) and acts "
                "without human approval; set approval: human",
                at=at,
            )


CONFIDENCE_PATTERNS = ("external-engagement", "core-process")


def deciding_agent_has_threshold(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.mode != "execute" or model.pattern not in CONFIDENCE_PATTERNS:
        return
    if model.oversight is None or model.oversight.confidence_threshold is None:
        yield card.finding(
            A009,
            f"execute-mode {model.pattern} agent has no oversight.confidence_threshold; set the "
            "confidence below which a person reviews its output",
            at=("id",),
        )


A001 = Rule(
    code="A001",
    name="assist-mode-writes",
    severity=Severity.ERROR,
    scope="card",
    summary="An assist-mode agent has a write or trigger tool.",
    rationale="Assist mode means a human executes; a write tool makes it execute mode, which "
    "changes everything about governance (docs/governance.md#assist-and-execute-modes).",
    bad="mode: assist\ntools:\n  - {id: tickets.close, access: write, rate_limit: 10/m}",
    good="mode: assist\ntools:\n  - {id: tickets.close, access: recommend}",
    fix="Lower the tool to read or recommend access, or declare `mode: execute` and meet its "
    "rules.",
    check=assist_reads_only,
)
A002 = Rule(
    code="A002",
    name="tier1-write-unapproved",
    severity=Severity.ERROR,
    scope="card",
    summary="A write or trigger tool without `approval: human` on a tier 1 agent.",
    rationale="A human must review when output affects revenue, compliance, contracts or customer "
    "commitments; granting write access too soon is a common mistake "
    "(docs/governance.md#the-autonomy-ladder).",
    bad="tier: 1\ntools:\n  - {id: refunds.issue, access: write, rate_limit: 10/m}",
    good="tier: 1\ntools:\n  - {id: refunds.issue, access: write, approval: human, "
    "rate_limit: 10/m}",
    fix="Set `approval: human` on the tool, or lower its access.",
    check=tier1_writes_approved,
)
A003 = Rule(
    code="A003",
    name="no-kill-switch",
    severity=Severity.ERROR,
    scope="card",
    summary="An execute-mode agent without a kill switch.",
    rationale="An agent that acts across systems needs a kill switch among its runtime controls "
    "(docs/governance.md#runtime-controls).",
    bad="mode: execute\n# no kill_switch",
    good="mode: execute\nkill_switch: flag refund-assistant-enabled",
    fix="Add `kill_switch` naming the flag or procedure that stops the agent at once.",
    check=execute_has_kill_switch,
)
A004 = Rule(
    code="A004",
    name="write-not-rate-limited",
    severity=Severity.WARNING,
    scope="card",
    summary="A write or trigger tool without a rate limit.",
    rationale="Every tool needs a rate limit; for tools that change things it bounds the damage "
    "of a loop (docs/governance.md#tools-and-least-privilege).",
    bad="tools:\n  - {id: orders.hold, access: write, approval: human}",
    good="tools:\n  - {id: orders.hold, access: write, approval: human, rate_limit: 30/m}",
    fix="Add `rate_limit: <n>/<s|m|h|d>` to the tool.",
    check=writes_rate_limited,
)
A005 = Rule(
    code="A005",
    name="tool-duplicate-or-unknown",
    severity=Severity.ERROR,
    scope="card",
    summary="A tool is listed twice, or a tool id is not in the repository's tool catalogue "
    "(when one exists).",
    rationale="Least privilege needs a clear list of what an agent can reach; duplicates hide "
    "which access applies and unknown tools escape the catalogue's review "
    "(docs/governance.md#tools-and-least-privilege).",
    bad="tools:\n  - {id: orders.lookup, access: read}\n  - {id: orders.lookup, access: read, "
    "rate_limit: 60/m}",
    good="tools:\n  - {id: orders.lookup, access: read}",
    fix="Keep one entry per tool; add new tools to the catalogue before using them.",
    check=tools_listed_once_and_known,
)
A006 = Rule(
    code="A006",
    name="execute-no-budget",
    severity=Severity.WARNING,
    scope="card",
    summary="An execute-mode agent without any budget (steps, cost or timeout).",
    rationale="Runtime controls include a per-session step budget, a cost ceiling and time bounds "
    "(docs/governance.md#runtime-controls).",
    bad="mode: execute\n# no budgets",
    good="mode: execute\nbudgets: {max_steps: 15, timeout: 5m}",
    fix="Add `budgets` with at least one of max_steps, max_cost_per_session, timeout.",
    check=execute_has_budget,
)

A007 = Rule(
    code="A007",
    name="tool-exceeds-catalogue",
    severity=Severity.ERROR,
    scope="card",
    summary="A tool is used above the access its catalogue entry allows, or touches data "
    "classes the card does not declare.",
    rationale="Least privilege: each tool's access is scoped and reviewed once, in the catalogue; "
    "an agent may not widen it, and must declare the data its tools touch "
    "(docs/governance.md#tools-and-least-privilege).",
    bad="# catalogue: {id: orders.lookup, access: read, data: [pii]}\ndata: {classes: "
    "[internal]}\ntools:\n  - {id: orders.lookup, access: recommend}",
    good="data: {classes: [internal, pii]}\ntools:\n  - {id: orders.lookup, access: read}",
    fix="Use the tool within its catalogued access and declare the data classes it touches, "
    "or change the catalogue through its review.",
    check=within_catalogue,
)

A008 = Rule(
    code="A008",
    name="irreversible-unapproved",
    severity=Severity.ERROR,
    scope="card",
    summary="A write or trigger tool with `reversible: false` and no `approval: human`, at any "
    "tier (at tier 1, A002 reports it).",
    rationale="An agent may act alone only where its action can be undone; an irreversible "
    "action keeps a person approving it, for as long as the agent runs "
    "(docs/governance.md#the-autonomy-ladder).",
    bad="tools:\n  - {id: password.reset, system: identity, access: trigger, approval: none, "
    "reversible: false, rate_limit: 5/m}",
    good="tools:\n  - {id: password.reset, system: identity, access: trigger, approval: human, "
    "reversible: false, rate_limit: 5/m}",
    fix="Set `approval: human` on the tool, or make its effect reversible and say so.",
    check=irreversible_tools_approved,
)
A009 = Rule(
    code="A009",
    name="no-confidence-threshold",
    severity=Severity.WARNING,
    scope="card",
    summary="An execute-mode external-engagement or core-process agent without "
    "`oversight.confidence_threshold`.",
    rationale="An agent that acts for customers or in a core process needs a stated point "
    "below which a person reviews its output, besides the topics a person always reviews "
    "(docs/governance.md#human-oversight).",
    bad="mode: execute\npattern: external-engagement\noversight: {human_review_for: [billing, "
    "cancellation]}",
    good="mode: execute\npattern: external-engagement\noversight: {confidence_threshold: 0.8, "
    "human_review_for: [billing, cancellation]}",
    fix="Add `oversight.confidence_threshold` (0..1) and route outputs below it to a person.",
    check=deciding_agent_has_threshold,
)

RULES = (A001, A002, A003, A004, A005, A006, A007, A008, A009)
