"""Every kind of schema message validate.py writes: one edit of a clean card each, with the
exact problem - code, line, column and sentence.

The card is examples/roster/support/refund-assistant.agent.yaml (tests/clean_roster.py edits).
"""

from __future__ import annotations

import pytest

from agentroster.loader import load_text
from agentroster.sourcemap import SourceMap
from agentroster.validate import _message, validate
from tests.clean_roster import CLEAN, Edit, drop, put, sub

CARD = (CLEAN / "support" / "refund-assistant.agent.yaml").read_text(encoding="utf-8")
ALLOWED_GATES = (
    "'eval-threshold', 'security-review', 'privacy-impact', 'cost-approval', 'legal-review', "
    "'compliance-attestation', 'red-team', 'executive-signoff' or 'security-audit'"
)


def problems(*edits: Edit) -> list[tuple[str, int, int, str]]:
    text = CARD
    for edit in edits:
        text = edit.apply(text)[0]
    loaded = load_text(text)
    assert loaded.problems == []
    result = validate(loaded.data, loaded.source_map, damaged=loaded.damaged)
    return [(p.code, p.line, p.column, p.message) for p in result.problems]


MESSAGES = {
    # a value outside an enumeration, with the values allowed
    "literal": (
        put("status", "live"),
        (
            10,
            9,
            "status: 'live' is not allowed; use one of 'proposed', 'pilot', 'production', "
            "'paused' or 'retired'",
        ),
    ),
    "literal-in-a-list": (
        put("release_gate.requires", ["eval-threshold", "nope"]),
        (63, 30, f"release_gate.requires[1]: 'nope' is not allowed; use one of {ALLOWED_GATES}"),
    ),
    "literal-null": (put("tier", None), (13, 6, "tier: null is not allowed; use one of 1, 2 or 3")),
    # a string that does not match its pattern, explained in words
    "pattern-duration": (
        put("escalation.incident_response", "soon"),
        (
            43,
            22,
            "escalation.incident_response: 'soon' is not a duration: a number and a unit "
            "m, h, d or w (e.g. '15m', '4h', '3d')",
        ),
    ),
    "pattern-id": (
        put("id", "Refund_Assistant"),
        (
            4,
            5,
            "id: 'Refund_Assistant' is not kebab-case: lowercase letters and digits in words "
            "joined by single hyphens, starting with a letter (e.g. 'refund-assistant')",
        ),
    ),
    "pattern-target": (
        put("handoffs.0.to", "Fraud Screener"),
        (
            34,
            9,
            "handoffs[0].to: 'Fraud Screener' is not an agent id (kebab-case) or a human "
            "queue 'human:<queue>'",
        ),
    ),
    "pattern-rate": (
        put("tools.0.rate_limit", "fast"),
        (26, 98, "tools[0].rate_limit: 'fast' is not a rate '<n>/<s|m|h|d>' (e.g. '10/m')"),
    ),
    "pattern-email": (
        put("owner.email", "dana"),
        (14, 38, "owner.email: 'dana' is not an email address"),
    ),
    # the wrong type, each value described in words
    "type-number-for-string": (
        put("version", 1.0),
        (6, 10, "version: expected a string, got number 1.0 (quote it: '1.0')"),
    ),
    "type-integer": (
        put("evals.cases", "many"),
        (46, 10, "evals.cases: expected an integer, got 'many'"),
    ),
    "type-boolean-for-integer": (
        put("evals.cases", True),
        (46, 10, "evals.cases: expected an integer, got boolean true"),
    ),
    "type-number": (
        put("evals.threshold", "high"),
        (48, 14, "evals.threshold: expected a number, got 'high'"),
    ),
    "type-boolean": (
        put("audit.enabled", "yes"),
        (61, 18, "audit.enabled: expected true or false, got 'yes'"),
    ),
    "type-list": (put("tags", "payments"), (94, 7, "tags: expected a list, got 'payments'")),
    "type-mapping": (put("owner", "Dana"), (14, 8, "owner: expected a mapping, got 'Dana'")),
    "type-list-for-string": (
        put("owner.name", ["a"]),
        (14, 15, "owner.name: expected a string, got a list"),
    ),
    "type-mapping-for-string": (
        put("version", {"a": 1}),
        (6, 10, "version: expected a string, got a mapping"),
    ),
    "long-values-are-cut": (
        put("evals.cases", "x" * 80),
        (46, 10, f"evals.cases: expected an integer, got '{'x' * 57}...'"),
    ),
    # lengths and bounds
    "empty": (put("owner.name", ""), (14, 15, "owner.name: must not be empty")),
    "too-short": (put("id", "x"), (4, 5, "id: 1 characters, write at least 3")),
    "below-minimum": (
        put("evals.cases", -1),
        (46, 10, "evals.cases: integer -1 is below the minimum 0"),
    ),
    "above-maximum": (
        put("evals.threshold", 1.5),
        (48, 14, "evals.threshold: number 1.5 is above the maximum 1.0"),
    ),
    "not-finite": (
        sub("threshold: 0.92", "threshold: .nan"),
        (48, 14, "evals.threshold: must be a finite number, got number nan"),
    ),
    # the card format's own checks
    "date": (
        put("deployed", "01/02/2026"),
        (75, 11, "deployed: '01/02/2026' is not a date; write it as YYYY-MM-DD"),
    ),
    "runbook-neither-path-nor-url": (
        put("runbooks.0", {"failure_mode": "provider-outage"}),
        (53, 5, "runbooks[0]: a runbook needs exactly one of 'path' or 'url'"),
    ),
    "runbook-both": (
        put("runbooks.0", {"failure_mode": "provider-outage", "path": "a.md", "url": "https://b"}),
        (53, 5, "runbooks[0]: a runbook needs exactly one of 'path' or 'url'"),
    ),
    # a missing field, at the mapping that lacks it
    "missing": (drop("owner.email"), (14, 8, "owner: missing required field 'email'")),
}


def test_missing_fields_of_one_mapping_are_one_problem():
    assert problems(drop("owner.name"), drop("owner.email")) == [
        ("C002", 14, 8, "owner: missing required fields 'name', 'email'")
    ]


def test_a_yaml_file_that_is_no_card_at_all_gets_one_problem_and_its_unknown_keys():
    loaded = load_text("title: Notes\nsteps: [a, b]\n")
    result = validate(loaded.data, loaded.source_map)
    assert result.card is None
    assert [(p.code, p.line) for p in result.problems] == [("C003", 1), ("C003", 2), ("C002", 1)]
    assert result.problems[-1].message == (
        "the card: missing required fields 'apiVersion', 'kind', 'id', 'name', 'version', "
        "'description', 'status', 'pattern', 'mode', 'tier', 'owner' (is this an agent card? "
        "see docs/card-format.md)"
    )


@pytest.mark.parametrize(("edit", "expected"), MESSAGES.values(), ids=MESSAGES.keys())
def test_schema_message(edit, expected):
    assert problems(edit) == [("C002", *expected)]


UNKNOWN = {
    "did-you-mean": (
        put("tools.0.acess", "read"),
        (26, 104, "unknown field 'acess' in tools[0]; did you mean 'access'?"),
    ),
    "top-level": (
        put("ownr", 1),
        (95, 1, "unknown field 'ownr' at the top level; did you mean 'owner'?"),
    ),
    "allowed-fields-when-few": (
        put("evals.judge.tema", 1),
        (
            51,
            78,
            "unknown field 'tema' in evals.judge; allowed: calibrated, human_agreement, model",
        ),
    ),
    "no-hint-when-many": (put("zzz", 1), (95, 1, "unknown field 'zzz' at the top level")),
    "in-a-list-item": (
        put("data.sources", [{"name": "Wiki", "ownr": "Sofia Rossi"}]),
        (19, 26, "unknown field 'ownr' in data.sources[0]; did you mean 'owner'?"),
    ),
    "merge-key": (
        sub("tags: [customer-facing, payments]", "tags: [customer-facing, payments]\n<<: {a: 1}"),
        (
            95,
            1,
            "merge key '<<' at the top level is not supported (YAML 1.2 dropped merge keys); "
            "write the fields out",
        ),
    ),
}


@pytest.mark.parametrize(("edit", "expected"), UNKNOWN.values(), ids=UNKNOWN.keys())
def test_unknown_field_message(edit, expected):
    assert problems(edit) == [("C003", *expected)]


def test_an_unknown_field_in_one_member_of_a_union_names_the_member():
    person = {"name": "Al", "email": "al@example.com", "tema": "x"}
    waiver = {"rule": "B001", "reason": "r", "approved_by": person, "expires": "2027-01-01"}
    message = "unknown field 'tema' in waivers[0].approved_by; did you mean 'team'?"
    # (the string alternative adds a second problem, "expected a string, got a mapping")
    assert ("C003", 95, 82, message) in problems(put("waivers", [waiver]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "the card is empty; a card is a mapping"),
        ([1], "the card is a list, not a mapping"),
        ("x", "the card is 'x', not a mapping"),
        (3, "the card is integer 3, not a mapping"),
        (frozenset(), "the card is frozenset, not a mapping"),
    ],
)
def test_a_document_that_is_not_a_mapping(data, message):
    [problem] = validate(data, SourceMap()).problems
    assert (problem.code, problem.line, problem.column) == ("C002", 1, 1)
    assert problem.message.startswith(message)


@pytest.mark.parametrize(
    ("error", "value", "message"),
    [
        # kinds no field of the card format produces today, kept for the fields to come
        (
            {"type": "string_too_long", "ctx": {"max_length": 5}},
            "abcdefg",
            "x: longer than 5 characters",
        ),
        ({"type": "greater_than", "ctx": {"gt": 0}}, 0, "x: integer 0 is below the minimum 0"),
        ({"type": "less_than", "ctx": {"lt": 9}}, 9.5, "x: number 9.5 is above the maximum 9"),
        ({"type": "some_new_kind", "msg": "Value error, odd"}, 1, "x: Value error, odd"),
    ],
)
def test_message_kinds_without_a_field_yet(error, value, message):
    assert _message(error, "x", value) == message
