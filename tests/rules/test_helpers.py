from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentroster.model import Person
from agentroster.rules.helpers import add_months, not_a_person
from agentroster.rules.security import (
    _CREDENTIAL_URL,
    _PLAIN_HTTP,
    SECRET_PATTERNS,
    _maybe_unsafe_url,
    candidate_patterns,
)


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (date(2026, 10, 15), 3, date(2027, 1, 15)),  # the issue's own example
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # clamped to a shorter month
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 6, date(2026, 7, 31)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_add_months_counts_calendar_months(day, months, due):
    assert add_months(day, months) == due


PEOPLE = [
    ("Dana Whitfield", "dana.whitfield@example.com", "care-platform"),
    ("Mei Chen", "mei.chen@example.com", "workplace-it"),
    ("Ravi Patel", "rpatel@example.com", None),
    ("Jean-Luc Picard", "jl@example.com", "bridge"),
    ("Grace Liu", "grace@finance.example.com", "finance"),
    ("Tom Teamson", "tom.teamson@example.com", None),
]
TEAMS = [
    ("AI Platform", "ai-platform@example.com", None, "email"),
    ("Support", "support@example.com", None, "email"),
    ("Dana Whitfield", "team@example.com", None, "email"),
    ("Care Crew", "care-team@example.com", None, "email"),
    ("Billing", "billing.ops@example.com", None, "email"),
    ("Dana Whitfield", "care-platform@example.com", "care-platform", "email"),
    ("Claims Squad", "claims.lead@example.com", None, "name"),
    ("Fraud Operations", "fraud.lead@example.com", None, "name"),
]


@pytest.mark.parametrize(("name", "email", "team"), PEOPLE)
def test_real_people_are_people(name, email, team):
    assert not_a_person(Person(name=name, email=email, team=team)) is None


@pytest.mark.parametrize(("name", "email", "team", "field"), TEAMS)
def test_teams_and_role_mailboxes_are_not_people(name, email, team, field):
    fault = not_a_person(Person(name=name, email=email, team=team))
    assert fault is not None and fault[0] == field


SECRETS = [
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
    "xoxb-123456789012-abcdefghijkl",
    "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX",
    "-----BEGIN RSA PRIVATE KEY-----",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
    "sk_live_abcdefghijklmnop1234",
    "password=hunter2hunter2",
    "api_key: 9f8e7d6c5b4a",
]
NOT_SECRETS = [
    "flag refund-assistant-enabled",
    "the API token lives in the vault as notes-token",
    "password: <from the vault>",
    "token: ${NOTES_TOKEN}",
    "reset a password for an employee",
    "sk-learn pipeline",
    "https://dash.example.com/d/refunds",
    "eyJ is how a JWT starts",
    "password: customer",
]


@pytest.mark.parametrize("text", SECRETS)
def test_secret_patterns_catch(text):
    assert any(p.search(text) for _, p in candidate_patterns(text))


@pytest.mark.parametrize("text", NOT_SECRETS)
def test_secret_patterns_ignore_ordinary_text(text):
    assert not any(p.search(text) for *_, p in SECRET_PATTERNS)


def test_url_patterns():
    assert _CREDENTIAL_URL.search("https://admin:hunter2@dash.example.com")
    assert not _CREDENTIAL_URL.search("https://dash.example.com/a:b@c")
    assert _PLAIN_HTTP.search("see http://wiki.example.com")
    assert not _PLAIN_HTTP.search("https://wiki.example.com")


@pytest.mark.parametrize(("what", "pattern"), [(what, p) for what, _, p in SECRET_PATTERNS])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_prefilter_never_hides_a_match(what, pattern, data):
    # The cheap test in front of each secret regex must pass every text the regex matches,
    # whatever surrounds the match (Unicode included: 'ſ' matches 's' case-insensitively).
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert what in [w for w, _ in candidate_patterns(text)]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.from_regex(_CREDENTIAL_URL), st.from_regex(_PLAIN_HTTP)))
def test_url_prefilter_never_hides_a_match(text):
    assert _maybe_unsafe_url(text)


@pytest.mark.parametrize(
    "text",
    ["PAS\u017fWORD: hunter22hunter", "api_\u212aey = abcdef123456", "token :\t'abc12345xyz'"],
)
def test_prefilter_folds_case_as_the_regex_does(text):
    assert any(p.search(text) for _, p in candidate_patterns(text))
