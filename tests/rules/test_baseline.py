"""B: the minimum baseline every agent needs. One defect in a clean card each."""

from __future__ import annotations

from tests.clean_roster import drop, put, sub

ROOT = 2  # a missing block is reported at the card's top-level mapping (line 1 is a comment)


def test_b001_role_mailbox_as_owner(clean):
    owner = sub(
        "name: Ravi Patel, email: ravi.patel@example.com",
        "name: AI Platform, email: ai-platform@example.com",
    )
    clean.edit("meeting-notes", owner, expect="B001")
    assert clean.found() == clean.expected()


def test_b001_team_name_as_owner(clean):
    clean.edit("meeting-notes", sub("name: Ravi Patel,", "name: Workplace Squad,"), expect="B001")
    assert clean.found() == clean.expected()


def test_b002_audit_switched_off(clean):
    clean.edit("meeting-notes", put("audit.enabled", False), expect="B002")
    assert clean.found() == clean.expected()


def test_b002_no_audit_block(clean):
    clean.edit("meeting-notes", drop("audit"))
    assert clean.found() == [("meeting-notes", "B002", ROOT)]


def test_b003_gate_requires_nothing(clean):
    clean.edit("meeting-notes", put("release_gate.requires", []))
    assert clean.found() == [("meeting-notes", "B003", 37)]  # at `release_gate:`


def test_b003_no_release_gate(clean):
    clean.edit("meeting-notes", drop("release_gate"))
    assert clean.found() == [("meeting-notes", "B003", ROOT)]


def test_b004_monitoring_without_dashboard(clean):
    clean.edit("meeting-notes", drop("monitoring.dashboard"))
    assert clean.found() == [("meeting-notes", "B004", 33)]  # at `monitoring:`


def test_b004_no_monitoring(clean):
    clean.edit("meeting-notes", drop("monitoring"))
    assert clean.found() == [("meeting-notes", "B004", ROOT)]


def test_b005_no_escalation(clean):
    clean.edit("meeting-notes", drop("escalation"))
    assert clean.found() == [("meeting-notes", "B005", ROOT)]
