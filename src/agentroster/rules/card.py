"""C: card structure. Most are found while reading and validating a file (scope "file")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from agentroster.discover import card_stem
from agentroster.findings import Finding, KeyPath, Severity, listing
from agentroster.problems import C001, C002, C003, C004, C007, C008, C010, C011
from agentroster.rules.base import CardContext, RosterContext, Rule

E, W = Severity.ERROR, Severity.WARNING


def file_name_matches_id(card: CardContext) -> Iterator[Finding]:
    stem = card_stem(card.file.name)
    if stem != card.model.id:
        yield card.finding(
            C006,
            f"file is named '{card.file.name}' but the id is '{card.model.id}'; rename it to "
            f"'{card.model.id}.agent.yaml'",
            at=("id",),
        )


# What `agentroster init` writes: 'TODO: ...', TODO@example.com, human:TODO. Not prose that
# merely mentions a TODO list.
_PLACEHOLDER = re.compile(r"\bTODO(?=[:@]|$)")


def todo_placeholders(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(key path, text) of every placeholder value in plain card data."""
    if isinstance(node, str):
        if _PLACEHOLDER.search(node):
            yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from todo_placeholders(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from todo_placeholders(value, (*path, index))


def no_todo_placeholders(card: CardContext) -> Iterator[Finding]:
    if "TODO" not in card.text:
        return
    for path, text in card.strings:
        if not _PLACEHOLDER.search(text):
            continue
        shown = text if len(text) <= 60 else text[:57] + "..."
        yield card.finding(
            C009,
            f"placeholder {shown!r} still in the card; replace it with the real value",
            at=path,
        )


_SHOWN = 5  # other paths a C005 message names


def unique_ids(roster: RosterContext) -> Iterator[Finding]:
    by_id: dict[str, list[CardContext]] = {}
    for card in roster.cards:
        if card.agent is not None:
            by_id.setdefault(card.agent, []).append(card)
    for agent, cards in by_id.items():
        if len(cards) < 2:
            continue
        first = [c.path for c in cards[: _SHOWN + 1]]
        for index, card in enumerate(cards):
            # the first few other paths and a count: 6,000 cards of one id would otherwise
            # print 6,000 paths each
            shown = [p for i, p in enumerate(first) if i != index][:_SHOWN]
            others = listing(shown, most=_SHOWN, total=len(cards) - 1)
            yield card.finding(
                C005,
                f"id '{agent}' is also used by {others}; ids must be unique in the roster",
                at=("id",),
            )


C005 = Rule(
    code="C005",
    name="duplicate-id",
    severity=E,
    scope="roster",
    summary="Two cards share an `id`.",
    rationale="The id is the agent's name in the registry and the handoff graph; two agents with "
    "one id make handoffs ambiguous (docs/governance.md#family-c).",
    bad="# file: billing/triage.agent.yaml\nid: triage\n"
    "# file: support/triage.agent.yaml\nid: triage",
    good="# file: billing/billing-triage.agent.yaml\nid: billing-triage\n"
    "# file: support/support-triage.agent.yaml\nid: support-triage",
    fix="Give each agent its own id and rename the file to match.",
    check=unique_ids,
)
C006 = Rule(
    code="C006",
    name="file-name-mismatch",
    severity=W,
    scope="card",
    summary="The file name without `.agent.yaml` differs from the card's `id`.",
    rationale="People find a card by its id; a file named otherwise is missed in reviews "
    "(docs/governance.md#family-c).",
    bad="# file: refunds.agent.yaml\nid: refund-assistant",
    good="# file: refund-assistant.agent.yaml\nid: refund-assistant",
    fix="Rename the file to `<id>.agent.yaml`, or change the id.",
    check=file_name_matches_id,
)
C009 = Rule(
    code="C009",
    name="todo-placeholder",
    severity=E,
    scope="card",
    summary="A `TODO` placeholder written by `agentroster init` (`TODO: ...`, `TODO@...`, "
    "`human:TODO`) is still in the card.",
    rationale="The placeholders stand for facts only a person can supply, such as the owner; a "
    "card must not pass review half-filled (docs/governance.md#family-c).",
    bad="owner: {name: 'TODO: accountable person', email: dana.whitfield@example.com}",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    fix="Replace each TODO value with the real fact.",
    check=no_todo_placeholders,
)

RULES = (C001, C002, C003, C004, C005, C006, C007, C008, C009, C010, C011)
