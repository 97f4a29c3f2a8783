"""P: what each pattern needs beyond the baseline. One defect in a clean card each.

policy-expert is the business-expert, refund-assistant the external-engagement agent and
fraud-screener the core-process one; TODAY minus the 90-day freshness limit is 2026-08-23.
"""

from __future__ import annotations

from datetime import date

from tests.clean_roster import drop, put, sub

ROOT = 2
HANDBOOK = (
    "{name: Benefits handbook 2026, owner: Hannah Kim, authoritative: true, refreshed: 2026-11-18}"
)


def test_p001_source_without_owner_or_authority(clean):
    unowned = "{name: Policy wiki, refreshed: 2026-11-18}  # expect: P001"
    clean.edit("policy-expert", sub(HANDBOOK, unowned))
    assert clean.found() == clean.expected()


def test_p001_source_not_marked_authoritative(clean):
    clean.edit("policy-expert", put("data.sources.1.authoritative", False), expect="P001")
    assert clean.found() == clean.expected()


def test_p001_no_sources(clean):
    clean.edit("policy-expert", drop("data.sources"))
    assert clean.found() == [("policy-expert", "P001", 16)]  # at `data:`


def test_p001_no_data_block(clean):
    clean.edit("policy-expert", drop("data"))  # its tool's data is then undeclared too: A007
    assert clean.found() == [("policy-expert", "A007", 18), ("policy-expert", "P001", ROOT)]


def test_p001_other_patterns_need_no_sources(clean):
    clean.edit("meeting-notes", put("data.sources", []))
    assert clean.found() == []


def test_p002_source_a_day_past_the_limit(clean):
    clean.edit("policy-expert", put("data.sources.0.refreshed", date(2026, 8, 22)), expect="P002")
    assert clean.found() == clean.expected()


def test_p002_source_on_the_limit_is_fresh(clean):
    clean.edit("policy-expert", put("data.sources.0.refreshed", date(2026, 8, 23)))
    assert clean.found() == []


def test_p002_source_never_refreshed(clean):
    clean.edit("policy-expert", drop("data.sources.1.refreshed"))
    assert clean.found() == [("policy-expert", "P002", 20)]  # at the source


def test_p002_freshness_limit_from_policy(clean):
    clean.configure(sub("source-freshness-days = 90", "source-freshness-days = 3"))
    clean.edit("policy-expert", put("data.sources.0.refreshed", date(2026, 11, 17)), expect="P002")
    assert clean.found() == clean.expected()  # the other source, refreshed 2026-11-18, is fresh


def test_p003_ai_not_disclosed(clean):
    clean.edit("refund-assistant", put("disclosure.ai_disclosed", False), expect="P003")
    assert clean.found() == clean.expected()


def test_p003_no_consent_statement(clean):
    clean.edit("refund-assistant", drop("disclosure.consent"))
    assert clean.found() == [("refund-assistant", "P003", 70)]  # at `disclosure:`


def test_p003_no_disclosure(clean):
    clean.edit("refund-assistant", drop("disclosure"))
    assert clean.found() == [("refund-assistant", "P003", ROOT)]


def test_p004_incident_response_slower_than_15m(clean):
    clean.edit("refund-assistant", put("escalation.incident_response", "1h"), expect="P004")
    assert clean.found() == clean.expected()


def test_p004_quarter_hour_in_hours_is_fast_enough(clean):
    clean.edit("refund-assistant", put("escalation.incident_response", "0.25h"))
    assert clean.found() == []


def test_p004_no_incident_response(clean):
    clean.edit("refund-assistant", drop("escalation.incident_response"))
    assert clean.found() == [("refund-assistant", "P004", 41)]  # at `escalation:`


def test_p005_deciding_agent_with_only_a_timeout(clean):
    clean.edit("fraud-screener", put("budgets", {"timeout": "5m"}), expect="P005")
    assert clean.found() == clean.expected()


def test_p005_steps_and_cost_are_enough(clean):
    clean.edit("fraud-screener", drop("budgets.timeout"))
    assert clean.found() == []
