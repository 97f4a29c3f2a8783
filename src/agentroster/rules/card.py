"""C: card structure. Most are found while reading and validating a file (scope "file")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from agentroster.discover import card_stem
from agentroster.findings import Finding, KeyPath, Severity
from agentroster.rules.base import CardContext, RosterContext, Rule

E, W = Severity.ERROR, Severity.WARNING

C001 = Rule(
    code="C001",
    name="invalid-yaml",
    severity=E,
    scope="file",
    summary="The file is not valid YAML.",
    rationale="A card that does not parse cannot be governed; the parser's position is reported "
    "so the fix is one jump away (docs/governance.md#family-c).",
    bad="owner: {name: Dana Whitfield, email: dana@example.com",
    good="owner: {name: Dana Whitfield, email: dana@example.com}",
    fix="Correct the YAML at the reported line and column (unclosed brackets and quotes, tabs "
    "for indentation and undefined aliases are the usual causes).",
)
C002 = Rule(
    code="C002",
    name="schema-violation",
    severity=E,
    scope="file",
    summary="A required field is missing, a value has the wrong type, or an enum value is not "
    "allowed.",
    rationale="Card fields are a contract read by people and tools; a value of the wrong shape "
    "means the governance question it answers has no answer (docs/governance.md#family-c).",
    bad="tier: high",
    good="tier: 1",
    fix="Give the field a value of the type the message names; for enums use one of the listed "
    "values.",
)
C003 = Rule(
    code="C003",
    name="unknown-field",
    severity=E,
    scope="file",
    summary="A field the card format does not define (often a typo).",
    rationale="A misspelt field is silently ignored by every other tool, so the information it "
    "was meant to carry is lost (docs/governance.md#family-c).",
    bad="ownr: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    fix="Rename the field to the one suggested, or remove it; put free-form labels in `tags`.",
)
C004 = Rule(
    code="C004",
    name="duplicate-key",
    severity=E,
    scope="file",
    summary="The same key appears twice in one mapping.",
    rationale="YAML requires unique keys; parsers disagree on which duplicate wins, so the card "
    "means different things to different tools (docs/governance.md#family-c).",
    bad="tier: 2\ntier: 1",
    good="tier: 1",
    fix="Keep one of the two entries.",
)
C007 = Rule(
    code="C007",
    name="unsupported-version",
    severity=E,
    scope="file",
    summary="`apiVersion` or `kind` is not one this agentroster reads.",
    rationale="Fields mean different things in other format versions; checking a card against the "
    "wrong version gives wrong answers (docs/governance.md#family-c).",
    bad="apiVersion: agentroster/v2",
    good="apiVersion: agentroster/v1\nkind: AgentCard",
    fix="Use `apiVersion: agentroster/v1` and `kind: AgentCard`, or upgrade agentroster.",
)
C008 = Rule(
    code="C008",
    name="not-one-utf8-document",
    severity=E,
    scope="file",
    summary="The file is not UTF-8, cannot be read, or holds more than one YAML document.",
    rationale="One agent per file, in UTF-8, as one YAML document: every tool then reads the same "
    "card (docs/governance.md#family-c).",
    bad="id: triage\n---\nid: billing",
    good="id: triage   # and billing gets its own file",
    fix="Save the file as UTF-8 and keep one card per file.",
)
C010 = Rule(
    code="C010",
    name="yaml-tag",
    severity=E,
    scope="file",
    summary="A YAML tag other than the standard scalar and collection tags.",
    rationale="Tags such as `!!python/object` ask a loader to construct objects; agentroster "
    "never does, and a card needs none (docs/governance.md#family-c).",
    bad="kill_switch: !!python/object/apply:os.system [halt]",
    good="kill_switch: flag refund-assistant-enabled",
    fix="Remove the tag; write the value as plain YAML.",
)
C011 = Rule(
    code="C011",
    name="yaml-limit",
    severity=E,
    scope="file",
    summary="The file exceeds a reading limit: size, nesting depth or alias expansion.",
    rationale="A card is a small document; limits keep a hostile or broken file from stalling "
    "every pre-commit run (docs/governance.md#reading-limits).",
    bad="a: &a [x, x, x]\nb: &b [*a, *a, *a]   # ... and so on, expanding exponentially",
    good="tags: [x, y]",
    fix="Write values out instead of aliasing them, or raise the limit in [limits] if the card "
    "is genuinely that large.",
)


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


def unique_ids(roster: RosterContext) -> Iterator[Finding]:
    by_id: dict[str, list[CardContext]] = {}
    for card in roster.cards:
        if card.agent is not None:
            by_id.setdefault(card.agent, []).append(card)
    for agent, cards in by_id.items():
        if len(cards) < 2:
            continue
        for card in cards:
            others = ", ".join(c.path for c in cards if c is not card)
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
    bad="# billing/triage.agent.yaml and support/triage.agent.yaml both say\nid: triage",
    good="id: billing-triage   # and the other card: id: support-triage",
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
    bad="owner: {name: 'TODO: accountable person', email: todo@example.com}",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    fix="Replace each TODO value with the real fact.",
    check=no_todo_placeholders,
)

RULES = (C001, C002, C003, C004, C005, C006, C007, C008, C009, C010, C011)
