"""H: the handoff graph across all cards. One defect in the clean roster each.

In the clean roster refund-assistant hands to fraud-screener, it-helpdesk and
access-provisioner hand work to each other (both with a way out to a human), and
campaign-drafter is paused. New agents are copies of meeting-notes (escalating to
human:workplace-it, id at line 4) with their escalation changed.
"""

from __future__ import annotations

import itertools

from tests.clean_roster import drop, put, sub

ID = 4  # line of the id in meeting-notes and its copies


def test_h001_handoff_to_a_misspelt_agent(clean):
    clean.edit(
        "refund-assistant", sub("- to: fraud-screener", "- to: fraud-screenr"), expect="H001"
    )
    assert clean.found() == clean.expected()


def test_h001_escalation_to_an_undeclared_queue(clean):
    clean.edit("fraud-screener", put("escalation.to", "human:fraud-opps"), expect="H001")
    assert clean.found() == clean.expected()


def test_h001_any_queue_goes_without_a_queue_file(clean):
    (clean.root / "agentroster.queues.yaml").unlink()
    clean.edit("fraud-screener", put("escalation.to", "human:anything-goes"))
    assert clean.found() == []


def test_h002_handoff_without_fallback(clean):
    clean.edit("refund-assistant", drop("handoffs.0.fallback"))
    assert clean.found() == [("refund-assistant", "H002", 34)]  # at the handoff


def test_h003_dead_end_behind_an_agent_that_escalates_nowhere(clean):
    clean.add_card("classifier", drop("escalation"))  # its own finding is B005, not H003
    clean.add_card("summariser", put("escalation.to", "classifier"))
    assert clean.found() == [("classifier", "B005", 2), ("summariser", "H003", ID)]


def test_h003_an_unknown_target_counts_as_reaching_a_human(clean):
    clean.add_card("summariser", put("escalation.to", "nobody"), expect="H001")
    assert clean.found() == clean.expected()  # H001 where the defect is, not H003 upstream


def test_h004_two_agents_escalating_to_each_other(clean):
    clean.add_card("intake", put("escalation.to", "specialist"))
    clean.add_card("specialist", put("escalation.to", "intake"))
    assert clean.found() == [("intake", "H004", ID)]  # once per loop, at its smallest id


def test_h004_the_loop_is_listed_in_order(clean):
    for agent, target in (("p-one", "p-two"), ("p-two", "p-three"), ("p-three", "p-one")):
        clean.add_card(agent, put("escalation.to", target))
    [finding] = clean.lint().findings
    assert finding.code == "H004" and "p-one -> p-two -> p-three -> p-one;" in finding.message


def test_h004_an_agent_escalating_to_itself(clean):
    clean.add_card("loner", put("escalation.to", "loner"))
    assert clean.found() == [("loner", "H004", ID)]


def test_h004_an_agent_feeding_a_closed_loop_is_a_dead_end(clean):
    clean.add_card("intake", put("escalation.to", "specialist"))
    clean.add_card("specialist", put("escalation.to", "intake"))
    clean.add_card("feeder", put("escalation.to", "intake"))
    assert clean.found() == [("feeder", "H003", ID), ("intake", "H004", ID)]


def test_h004_a_loop_with_a_way_out_is_fine(clean):
    to_helpdesk = (put("escalation.to", "it-helpdesk"), put("handoffs.0.fallback", "it-helpdesk"))
    clean.edit("access-provisioner", *to_helpdesk)  # it-helpdesk still escalates to a human
    assert clean.found() == []


def test_h005_escalation_to_a_paused_agent(clean):
    clean.edit("meeting-notes", put("escalation.to", "campaign-drafter"), expect="H005")
    assert clean.found() == clean.expected(("campaign-drafter", "L007", 10))  # and its status


def test_h006_handoff_without_log(clean):
    clean.edit("refund-assistant", drop("handoffs.0.log"))
    assert clean.found() == [("refund-assistant", "H006", 34)]  # at the handoff


def test_h007_human_four_handoffs_away(clean):
    chain = ("intake", "triage", "billing", "refunds", "human:billing-escalations")
    for agent, target in itertools.pairwise(chain):
        clean.add_card(agent, put("escalation.to", target))
    assert clean.found() == [("intake", "H007", ID)]


def test_h007_limit_from_policy(clean):
    clean.configure(sub("max-handoff-depth = 3", "max-handoff-depth = 1"))
    clean.add_card("intake", put("escalation.to", "refund-assistant"))
    assert clean.found() == [("intake", "H007", ID)]  # two handoffs from a human


def test_h008_regulated_data_handed_to_an_agent_that_does_not_declare_it(clean):
    clean.edit("refund-assistant", sub("classes: [pii, pci]", "classes: [pii, pci, phi]"))
    assert clean.found() == [("refund-assistant", "H008", 34)]  # at the handoff to fraud-screener


def test_h005_a_paused_agent_that_receives_nothing_is_fine(clean):
    assert "\nstatus: paused\n" in clean.card("campaign-drafter").read_text()
    assert clean.found() == []


def test_h007_four_handoffs_within_a_policy_of_four(clean):
    clean.configure(sub("max-handoff-depth = 3", "max-handoff-depth = 4"))
    chain = ("intake", "triage", "billing", "refunds", "human:billing-escalations")
    for agent, target in itertools.pairwise(chain):
        clean.add_card(agent, put("escalation.to", target))
    assert clean.found() == []


def test_h008_regulated_data_the_target_declares_too(clean):
    clean.edit("refund-assistant", sub("classes: [pii, pci]", "classes: [pii, pci, phi]"))
    clean.edit("fraud-screener", sub("classes: [pii, pci,", "classes: [pii, pci, phi,"))
    assert clean.found() == []
