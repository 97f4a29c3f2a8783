"""X: security hygiene. One defect in a clean card each."""

from __future__ import annotations

from tests.clean_roster import put, sub

TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"


def test_x001_token_in_a_description(clean):
    clean.edit("meeting-notes", sub("Public and internal", f"Token {TOKEN}; public and internal"))
    assert clean.found() == [("meeting-notes", "X001", 7)]  # at `description: >`


def test_x001_token_in_a_nested_value(clean):
    clean.edit("refund-assistant", put("monitoring.on_call", f"care-oncall {TOKEN}"), expect="X001")
    assert clean.found() == clean.expected()


def test_x001_naming_where_a_secret_lives_is_fine(clean):
    clean.edit("refund-assistant", put("kill_switch", "flag in the vault as refund-token"))
    assert clean.found() == []


def test_x002_plain_http(clean):
    clean.edit("meeting-notes", sub("https://dash", "http://dash"), expect="X002")
    assert clean.found() == clean.expected()


def test_x002_credentials_in_a_url(clean):
    clean.edit("meeting-notes", sub("https://dash", "https://admin:hunter2@dash"), expect="X002")
    assert clean.found() == clean.expected()


def test_x003_golden_set_outside_the_roster(clean):
    clean.edit("meeting-notes", put("evals.golden_set", "../../outside.jsonl"), expect="X003")
    assert clean.found() == clean.expected()


def test_x003_runbook_at_an_absolute_path(clean):
    clean.edit("meeting-notes", put("runbooks.0.path", "/etc/passwd"), expect="X003")
    assert clean.found() == clean.expected()


def test_x003_a_path_that_wanders_but_stays_inside_is_fine(clean):
    clean.edit("meeting-notes", sub("golden_set: evals/", "golden_set: ./evals/../evals/"))
    assert clean.found() == []
