"""T: governance in proportion to the tier. One defect in a clean card each; TODAY is
2026-11-21, so a quarterly review last held on 2026-08-20 fell due the day before."""

from __future__ import annotations

from datetime import date

from tests.clean_roster import drop, put, sub

ROOT = 2


def test_t001_sponsor_below_tier(clean):
    clean.edit("refund-assistant", put("sponsor.role", "manager"), expect="T001")
    assert clean.found() == clean.expected()


def test_t001_no_sponsor(clean):
    clean.edit("refund-assistant", drop("sponsor"))
    assert clean.found() == [("refund-assistant", "T001", ROOT)]


def test_t002_tier1_gate_without_the_tier1_reviews(clean):
    gate = sub(", red-team, executive-signoff, security-audit]", "]")
    clean.edit("refund-assistant", gate, expect="T002")
    assert clean.found() == clean.expected()


def test_t003_regulated_data_on_tier3(clean):
    clean.edit("meeting-notes", put("data.classes", ["internal", "pii"]))
    assert clean.found() == [("meeting-notes", "T003", 13)]  # at the tier


def test_t003_confidential_is_not_regulated(clean):
    clean.edit("meeting-notes", put("data.classes", ["internal", "confidential"]))
    assert clean.found() == []


def test_t003_external_engagement_on_tier2(clean):
    clean.edit("refund-assistant", put("tier", 2), expect="T003")
    assert clean.found() == clean.expected()


def test_t004_quarterly_review_a_day_overdue(clean):
    clean.edit("fraud-screener", put("review.last", date(2026, 8, 20)), expect="T004")
    assert clean.found() == clean.expected()


def test_t004_review_due_today_is_not_overdue(clean):
    clean.edit("fraud-screener", put("review.last", date(2026, 8, 21)), expect="T011")
    assert clean.found() == clean.expected()  # due today: only due soon


def test_t005_production_without_review(clean):
    clean.edit("meeting-notes", drop("review"))
    assert clean.found() == [("meeting-notes", "T005", ROOT)]


def test_t005_review_without_a_date(clean):
    clean.edit("meeting-notes", drop("review.last"))
    assert clean.found() == [("meeting-notes", "T005", 41)]  # at `review:`


def test_t005_pilot_without_review(clean):
    clean.edit("access-provisioner", drop("review"))
    assert clean.found() == [("access-provisioner", "T005", ROOT)]


def test_t005_a_proposed_agent_needs_no_review(clean):
    assert "\nreview:" not in clean.card("incident-sentinel").read_text()
    assert clean.found() == []


def test_t006_tier1_audit_kept_90_days(clean):
    clean.edit("refund-assistant", put("audit.retention_days", 90), expect="T006")
    assert clean.found() == clean.expected()


def test_t006_tier1_audit_not_tamper_evident(clean):
    clean.edit("refund-assistant", put("audit.tamper_evident", False), expect="T006")
    assert clean.found() == clean.expected()


def test_t006_tier1_audit_without_retention_or_tamper_evidence(clean):
    clean.edit("refund-assistant", put("audit", {"enabled": True}), expect="T006, T006")
    assert clean.found() == clean.expected()


def test_t006_a_year_is_enough(clean):
    clean.edit("refund-assistant", put("audit.retention_days", 365))
    assert clean.found() == []


def test_t007_cadence_looser_than_the_tier(clean):
    clean.edit("refund-assistant", put("review.cadence", "annual"), expect="T007")
    assert clean.found() == clean.expected()


def test_t011_quarterly_review_due_within_30_days(clean):
    clean.edit("fraud-screener", put("review.last", date(2026, 9, 15)), expect="T011")
    assert clean.found() == clean.expected()  # due 2026-12-15


def test_t011_quarterly_review_due_in_two_months(clean):
    clean.edit("fraud-screener", put("review.last", date(2026, 10, 15)))
    assert clean.found() == []


def test_t007_the_tiers_own_cadence_is_fine(clean):
    clean.edit("refund-assistant", put("review.cadence", "quarterly"))
    assert clean.found() == []
