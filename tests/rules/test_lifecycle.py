"""L: lifecycle, evals and runbooks. One defect in a clean card each.

meeting-notes is a production agent with a golden set of exactly the roster's minimum (100
cases) and runbooks for the two required failure modes; campaign-drafter is paused.
"""

from __future__ import annotations

from datetime import date

from tests.clean_roster import drop, put, sub

ROOT = 2


def test_l001_production_without_evals(clean):
    clean.edit("meeting-notes", drop("evals"))
    assert clean.found() == [("meeting-notes", "L001", ROOT)]


def test_l001_evals_without_threshold(clean):
    clean.edit("meeting-notes", drop("evals.threshold"))
    assert clean.found() == [("meeting-notes", "L001", 23)]  # at `evals:`


def test_l001_pilots_need_no_evals_only_a_golden_set(clean):
    clean.edit("access-provisioner", drop("evals"))
    assert clean.found() == [("access-provisioner", "L010", 4)]  # not L001; L010 at `status:`


def test_l002_golden_set_one_case_short(clean):
    golden = clean.card("meeting-notes").parent / "evals" / "notes-golden.jsonl"
    golden.write_text("".join(golden.read_text().splitlines(keepends=True)[:99]))
    clean.edit("meeting-notes", put("evals.cases", 99), expect="L002")
    assert clean.found() == clean.expected()


def test_l002_exactly_the_minimum_is_enough(clean):
    assert "\n  cases: 100\n" in clean.card("meeting-notes").read_text()  # min-golden-cases
    assert clean.found() == []


def test_l002_minimum_from_policy(clean):
    clean.configure(sub("min-golden-cases = 100", "min-golden-cases = 101"))
    assert clean.found() == [("meeting-notes", "L002", 25)]


def test_l002_number_of_cases_not_given(clean):
    clean.edit("meeting-notes", drop("evals.cases"))
    assert clean.found() == [("meeting-notes", "L002", 23)]  # at `evals:`


def test_l003_runbook_file_missing(clean):
    clean.edit("meeting-notes", sub("runbooks/stuck-loop.md", "runbooks/stuck.md"), expect="L003")
    assert clean.found() == clean.expected()


def test_l003_golden_set_missing(clean):
    clean.edit("meeting-notes", put("evals.golden_set", "evals/missing.jsonl"), expect="L003")
    assert clean.found() == clean.expected()


def test_l003_a_roundabout_path_that_stays_inside_is_fine(clean):
    clean.edit("meeting-notes", put("evals.golden_set", "./evals/../evals/notes-golden.jsonl"))
    assert clean.found() == []


def test_l004_production_without_a_tool_outage_runbook(clean):
    clean.edit("meeting-notes", drop("runbooks.1"))
    assert clean.found() == [("meeting-notes", "L004", 30)]  # at `runbooks:`


def test_l004_production_without_runbooks(clean):
    clean.edit("meeting-notes", drop("runbooks"))
    assert clean.found() == [("meeting-notes", "L004", ROOT)]


def test_l005_production_without_deployed_date(clean):
    clean.edit("meeting-notes", drop("deployed"))
    assert clean.found() == [("meeting-notes", "L005", ROOT)]


def test_l006_judge_agrees_with_humans_79_percent(clean):
    clean.edit("refund-assistant", put("evals.judge.human_agreement", 0.79), expect="L006")
    assert clean.found() == clean.expected()


def test_l006_80_percent_is_enough(clean):
    clean.edit("refund-assistant", put("evals.judge.human_agreement", 0.8))
    assert clean.found() == []


def test_l006_judge_agreement_not_measured(clean):
    clean.edit("refund-assistant", drop("evals.judge.human_agreement"))
    assert clean.found() == [("refund-assistant", "L006", 51)]  # at the judge


def test_l007_paused_agent_still_rolling_out(clean):
    clean.edit("campaign-drafter", put("release_gate.rollout", "canary"), expect="L007")
    assert clean.found() == clean.expected()


def test_l007_a_full_rollout_is_over(clean):
    clean.edit("campaign-drafter", put("release_gate.rollout", "full"))
    assert clean.found() == []


def test_l007_retired_agent_still_receives_work(clean):
    record = {"date": date(2026, 11, 1), "reason": "replaced by it-helpdesk"}
    retire = (drop("release_gate.rollout"), put("retirement", record), put("status", "retired"))
    clean.edit("access-provisioner", *retire, expect="L007")
    # the handoff to it is H005, and it-helpdesk's waiver for H010 on that handoff is now unused
    assert clean.found() == clean.expected(("it-helpdesk", "H005", 23), ("it-helpdesk", "W004", 59))
