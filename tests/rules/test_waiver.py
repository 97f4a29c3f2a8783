"""W: waivers. Each case gives meeting-notes an L004 finding (no tool-outage runbook) and a
waiver for it; TODAY is 2026-11-21, so a waiver may expire at the latest on 2027-11-21."""

from __future__ import annotations

from datetime import date

import pytest

from tests.clean_roster import drop, put

NO_RUNBOOK = drop("runbooks.1")
L004 = ("meeting-notes", "L004", 30)  # shown when the waiver does not hide it


def waiver(**fields):
    entry = {"rule": "L004", "reason": "runbook in review", "approved_by": "hannah.kim@example.com"}
    return put("waivers", [{**entry, "expires": date(2027, 1, 31), **fields}])


def test_w004_a_waiver_that_hides_a_finding_is_used(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver())
    assert clean.found() == [] and clean.lint().waived == 2  # and it-helpdesk's


def test_w001_expired_yesterday(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(expires=date(2026, 11, 20)), expect="W001")
    assert clean.found() == clean.expected(L004)


def test_w001_a_waiver_expiring_today_still_holds(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(expires=date(2026, 11, 21)))
    assert clean.found() == []


def test_w002_no_reason(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(reason=""), expect="W002")
    assert clean.found() == clean.expected(L004)


def test_w002_expiry_more_than_a_year_ahead(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(expires=date(2027, 11, 22)), expect="W002")
    assert clean.found() == clean.expected(L004)


def test_w002_a_year_ahead_is_allowed(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(expires=date(2027, 11, 21)))
    assert clean.found() == []


def test_w003_a_rule_name_is_as_good_as_its_code(clean):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(rule="production-no-runbooks"))
    assert clean.found() == []


@pytest.mark.parametrize("rule", ["L04", "no-runbook"])
def test_w003_waiver_for_no_rule(clean, rule):
    clean.edit("meeting-notes", NO_RUNBOOK, waiver(rule=rule), expect="W003")
    assert clean.found() == clean.expected(L004)


@pytest.mark.parametrize("rule", ["W001", "E000"])
def test_w003_waivers_and_internal_errors_cannot_be_waived(clean, rule):
    clean.edit("meeting-notes", waiver(rule=rule), expect="W003")
    assert clean.found() == clean.expected()


def test_w004_waiver_for_a_finding_that_is_gone(clean):
    clean.edit("meeting-notes", waiver(), expect="W004")
    assert clean.found() == clean.expected()
