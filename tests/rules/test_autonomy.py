"""A: autonomy and tools. One defect in a clean card each.

The clean roster has a tool catalogue (agentroster.tools.yaml): orders.lookup may be read and
touches pii; tickets.read may be read and touches internal data.
"""

from __future__ import annotations

from tests.clean_roster import drop, put, sub

ROOT = 2
HOLD = "{id: orders.hold, system: oms, access: write, approval: human, rate_limit: 30/m}"


def test_a001_assist_agent_with_a_trigger_tool(clean):
    clean.edit("it-helpdesk", put("mode", "assist"))
    assert clean.found() == [("it-helpdesk", "A001", 21)]  # at password.reset's access


def test_a001_recommend_is_fine_in_assist_mode(clean):
    clean.edit("meeting-notes", put("tools.0.access", "recommend"))
    assert clean.found() == [("meeting-notes", "A007", 20)]  # above the catalogue's read: A007


def test_a002_tier1_write_without_human_approval(clean):
    clean.edit("refund-assistant", put("tools.1.approval", "none"), expect="A002")
    assert clean.found() == clean.expected()


def test_a002_tier1_write_with_no_approval_field(clean):
    clean.edit("refund-assistant", drop("tools.1.approval"))
    assert clean.found() == [("refund-assistant", "A002", 27)]  # at the tool


def test_a003_execute_without_kill_switch(clean):
    clean.edit("refund-assistant", drop("kill_switch"))
    assert clean.found() == [("refund-assistant", "A003", ROOT)]


def test_a004_write_without_rate_limit(clean):
    clean.edit("fraud-screener", sub(HOLD, HOLD.replace(", rate_limit: 30/m", "")), expect="A004")
    assert clean.found() == clean.expected()


def test_a005_tool_listed_twice(clean):
    clean.edit("fraud-screener", sub(HOLD, f"{HOLD}\n  - {HOLD}  # expect: A005"))
    assert clean.found() == clean.expected()


def test_a005_tool_not_in_the_catalogue(clean):
    clean.edit("it-helpdesk", sub("id: tickets.read", "id: tickets.reed"), expect="A005")
    assert clean.found() == clean.expected()


def test_a005_any_tool_goes_without_a_catalogue(clean):
    (clean.root / "agentroster.tools.yaml").unlink()
    clean.edit("it-helpdesk", sub("id: tickets.read", "id: tickets.reed"))
    assert clean.found() == []


def test_a006_execute_without_budget(clean):
    clean.edit("refund-assistant", drop("budgets"))
    assert clean.found() == [("refund-assistant", "A006", ROOT)]


def test_a006_a_timeout_is_a_budget(clean):
    clean.edit("refund-assistant", put("budgets", {"timeout": "2m"}))
    assert clean.found() == []


def test_a006_empty_budgets(clean):
    clean.edit("refund-assistant", put("budgets", {}), expect="A006")
    assert clean.found() == clean.expected()


def test_a007_access_above_the_catalogue(clean):
    clean.edit("refund-assistant", put("tools.0.access", "recommend"), expect="A007")
    assert clean.found() == clean.expected()


def test_a007_tool_data_not_declared(clean):
    clean.edit("it-helpdesk", put("data.classes", ["public"]))
    assert clean.found() == [("it-helpdesk", "A007", 20), ("it-helpdesk", "A007", 21)]


def test_a003_an_assist_agent_needs_no_kill_switch(clean):
    assert "\nkill_switch:" not in clean.card("meeting-notes").read_text()
    assert clean.found() == []
