"""The v1.1 lifecycle rules (L008-L016, I, K, M004, A008-A009, H009-H010) at exact lines.

Each case is a one-defect mutation of a copy of examples/roster (tests/rules/mutations.py):
the edited line carries `# expect: CODE`, and the comparison covers every finding in the
roster. The rules' own `bad` and `good` snippets are run too, merged into a clean card.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from agentroster.config import load_config
from agentroster.findings import FAMILIES
from agentroster.loader import load
from agentroster.pipeline import lint_roster
from agentroster.rules import RULE_BY_CODE, RULES, change, lifecycle, resolve_selector
from tests.conftest import EXAMPLES, TODAY
from tests.rules.mutations import Mutation, found

RA = "support/refund-assistant.agent.yaml"
FS = "risk/fraud-screener.agent.yaml"
HD = "it/it-helpdesk.agent.yaml"
CR = "finance/close-reconciler.agent.yaml"
MN = "productivity/meeting-notes.agent.yaml"
PE = "knowledge/policy-expert.agent.yaml"
CD = "marketing/campaign-drafter.agent.yaml"

GOLDEN_120 = "".join(f'{{"input": "case {n}"}}\n' for n in range(120))
HELPDESK_WAIVER = (
    "waivers:\n  - rule: H010\n    reason: access-provisioner is in a shadow pilot; every grant "
    "is approved by a person and falls back to identity-team\n    approved_by: "
    "oskar.berg@example.com\n    expires: 2027-02-28\n"
)

CASES: dict[str, Mutation] = {
    # L008 golden-set-stale: at evals.refreshed, or evals when it is missing
    "L008-bad-old": Mutation(
        "L008", RA, (("  refreshed: 2026-11-18\n", "  refreshed: 2026-05-04  # expect: L008\n"),)
    ),
    "L008-bad-missing": Mutation(
        "L008", RA, (("  refreshed: 2026-11-18\n", ""), ("evals:\n", "evals:  # expect: L008\n"))
    ),
    "L008-good-92-days": Mutation(
        "L008", RA, (("  refreshed: 2026-11-18\n", "  refreshed: 2026-08-21\n"),)
    ),
    "L008-good-proposed": Mutation(
        "L008",
        CR,
        (("  refreshed: 2026-11-18\n", ""), ("status: pilot\n", "status: proposed\n")),
    ),
    # L009 golden-set-count-mismatch: at evals.cases
    "L009-bad-count": Mutation("L009", RA, (("  cases: 120\n", "  cases: 240  # expect: L009\n"),)),
    "L009-bad-blank-lines-do-not-count": Mutation(
        "L009",
        RA,
        (("  cases: 120\n", "  cases: 120  # expect: L009\n"),),
        files={
            "support/evals/refund-golden.jsonl": GOLDEN_120[: -len('{"input": "case 119"}\n')]
            + "\n  \n\t\n"
        },
    ),
    "L009-good-blank-lines-and-no-final-newline": Mutation(
        "L009",
        RA,
        (),
        files={"support/evals/refund-golden.jsonl": "\n" + GOLDEN_120.replace("\n", "\r\n\n")[:-3]},
    ),
    "L009-good-not-jsonl": Mutation(
        "L009",
        RA,
        (("evals/refund-golden.jsonl", "evals/refund-golden.csv"),),
        files={"support/evals/refund-golden.csv": "input,expected\na,b\n"},
    ),
    "L009-good-missing-is-L003": Mutation(
        "L009",
        RA,
        (
            (
                "  golden_set: evals/refund-golden.jsonl\n",
                "  golden_set: evals/gone.jsonl  # expect: L003\n",
            ),
        ),
    ),
    # L010 pilot-without-golden-set: at id
    "L010-bad": Mutation(
        "L010",
        CR,
        (
            ("  golden_set: evals/close-golden.jsonl\n", ""),
            ("id: close-reconciler\n", "id: close-reconciler  # expect: L010\n"),
        ),
    ),
    "L010-good-proposed": Mutation(
        "L010",
        CR,
        (
            ("  golden_set: evals/close-golden.jsonl\n", ""),
            ("status: pilot\n", "status: proposed\n"),
        ),
    ),
    # L011 judge-calibration-stale: at judge.calibrated, or judge when it is missing
    "L011-bad-old": Mutation(
        "L011",
        RA,
        (("calibrated: 2026-11-18}\n", "calibrated: 2026-08-20}  # expect: L011\n"),),
    ),
    "L011-bad-missing": Mutation(
        "L011", RA, ((", calibrated: 2026-11-18}\n", "}  # expect: L011\n"),)
    ),
    "L011-bad-policy": Mutation(
        "L011",
        RA,
        (("calibrated: 2026-11-18}\n", "calibrated: 2026-10-20}  # expect: L011\n"),),
        config="judge-calibration-days = 30\n",
    ),
    "L011-good-92-days": Mutation(
        "L011", RA, (("calibrated: 2026-11-18}\n", "calibrated: 2026-08-21}\n"),)
    ),
    # L012 model-not-pinned: at model.version, model, or id
    "L012-bad-no-version": Mutation(
        "L012",
        RA,
        (("  version: claude-sonnet-4-5-20250929\n", ""), ("model:\n", "model:  # expect: L012\n")),
    ),
    "L012-bad-no-model": Mutation(
        "L012",
        MN,
        (
            (
                "model: {provider: openai, name: gpt-4o-mini, version: gpt-4o-mini-2024-07-18, "
                "since: 2025-09-01}\n",
                "",
            ),
            ("id: meeting-notes\n", "id: meeting-notes  # expect: L012\n"),
        ),
    ),
    "L012-good-date-like-version": Mutation(
        "L012", RA, (("  version: claude-sonnet-4-5-20250929\n", '  version: "2026-05-14"\n'),)
    ),
    # L013 standard-metrics-missing: at monitoring.metrics
    "L013-bad": Mutation(
        "L013",
        RA,
        (
            (
                "  metrics: [success_rate, latency_p95, cost_per_interaction, escalation_rate]\n",
                "  metrics: [success_rate, latency_p95, cost_per_interaction]  # expect: L013\n",
            ),
        ),
    ),
    "L013-good-spelling": Mutation(
        "L013",
        RA,
        (
            (
                "  metrics: [success_rate, latency_p95, cost_per_interaction, escalation_rate]\n",
                "  metrics: [Success-Rate, latency.p95, cost_per_interaction, Escalation_Rate]\n",
            ),
        ),
    ),
    "L013-good-own-list": Mutation(
        "L013",
        RA,
        (
            (
                "  metrics: [success_rate, latency_p95, cost_per_interaction, escalation_rate]\n",
                "  metrics: [resolution_accuracy]\n",
            ),
        ),
        config="required-metrics = []\n",
    ),
    # L014 no-slo: at id
    "L014-bad": Mutation(
        "L014",
        HD,
        (
            ("slo: {availability: 99.5, latency_p95: 8000, success_rate: 0.8}\n", ""),
            ("id: it-helpdesk\n", "id: it-helpdesk  # expect: L014\n"),
        ),
    ),
    "L014-good-tier-3": Mutation(
        "L014", MN, (("tier: 3\n", "tier: 3\nslo:\n"),), note="an empty block counts as absent"
    ),
    # L015 no-rollback: at release_gate
    "L015-bad": Mutation(
        "L015",
        FS,
        (
            ("  rollback: flag fraud-screener-release pinned to the previous version\n", ""),
            ("release_gate:\n", "release_gate:  # expect: L015\n"),
        ),
    ),
    "L015-good-proposed": Mutation(
        "L015",
        CR,
        (
            ("  rollback: flag close-reconciler-release pinned to the previous version\n", ""),
            ("status: pilot\n", "status: proposed\n"),
        ),
    ),
    # L016 retired-without-record: at status
    "L016-bad-no-record": Mutation(
        "L016", CD, (("status: paused\n", "status: retired  # expect: L016\n"),)
    ),
    "L016-bad-unknown-successor": Mutation(
        "L016",
        CD,
        (
            ("status: paused\n", "status: retired  # expect: L016\n"),
            (
                "deployed: 2025-04-01\n",
                "deployed: 2025-04-01\nretirement: {date: 2026-09-30, reason: brand guidelines "
                "moved to the design system, successor: copy-studio}\n",
            ),
        ),
    ),
    "L016-good": Mutation(
        "L016",
        CD,
        (
            ("status: paused\n", "status: retired\n"),
            (
                "deployed: 2025-04-01\n",
                "deployed: 2025-04-01\nretirement: {date: 2026-09-30, reason: drafting moved "
                "into the meeting notes assistant, successor: meeting-notes}\n",
            ),
        ),
    ),
    # I001 incident-without-postmortem: at the incident's mapping
    "I001-bad": Mutation(
        "I001",
        RA,
        (
            ("    postmortem: https://wiki.example.com/postmortems/INC-2041\n", ""),
            ("  - id: INC-2041\n", "  - id: INC-2041  # expect: I001\n"),
        ),
    ),
    "I001-good-14-days": Mutation(
        "I001",
        RA,
        (
            ("    postmortem: https://wiki.example.com/postmortems/INC-2041\n", ""),
            ("    resolved: 2026-09-09\n", "    resolved: 2026-11-07\n"),
        ),
    ),
    "I001-good-sev3": Mutation(
        "I001",
        RA,
        (
            ("    postmortem: https://wiki.example.com/postmortems/INC-2041\n", ""),
            ("    severity: sev2\n", "    severity: sev3\n"),
        ),
    ),
    "I001-good-policy": Mutation(
        "I001",
        RA,
        (("    postmortem: https://wiki.example.com/postmortems/INC-2041\n", ""),),
        config="postmortem-days = 90\n",
    ),
    # I002 incident-open-in-rollout: at the incident's mapping
    "I002-bad": Mutation(
        "I002",
        FS,
        (
            (
                "deployed: 2025-11-12\n",
                "deployed: 2025-11-12\nincidents:\n  - {id: INC-311, date: 2026-11-19, severity: "
                "sev1, summary: held orders released without review}  # expect: I002\n",
            ),
        ),
    ),
    "I002-good-canary": Mutation(
        "I002",
        RA,
        (
            (
                "deployed: 2026-03-01\n",
                "deployed: 2026-03-01\nincidents:\n  - {id: INC-311, date: 2026-11-19, severity: "
                "sev1, summary: refunds issued without approval}\n",
            ),
            ("incidents:\n  - id: INC-2041", "  - id: INC-2041"),
        ),
    ),
    "I002-good-resolved": Mutation(
        "I002",
        FS,
        (
            (
                "deployed: 2025-11-12\n",
                "deployed: 2025-11-12\nincidents:\n  - {id: INC-311, date: 2026-11-19, severity: "
                "sev1, summary: held orders released without review, resolved: 2026-11-20}\n",
            ),
        ),
    ),
    # A008 irreversible-unapproved: at the tool's approval, or the tool when it is missing
    "A008-bad": Mutation(
        "A008",
        HD,
        (
            (
                "approval: none, rate_limit: 5/m}\n",
                "approval: none, reversible: false, rate_limit: 5/m}  # expect: A008\n",
            ),
        ),
    ),
    "A008-bad-no-approval": Mutation(
        "A008",
        HD,
        (
            (
                "approval: none, rate_limit: 5/m}\n",
                "reversible: false, rate_limit: 5/m}  # expect: A008\n",
            ),
        ),
    ),
    "A008-good-approved": Mutation(
        "A008",
        HD,
        (
            (
                "approval: none, rate_limit: 5/m}\n",
                "approval: human, reversible: false, rate_limit: 5/m}\n",
            ),
        ),
    ),
    "A008-good-tier-1-is-A002": Mutation(
        "A008",
        FS,
        (
            (
                "access: write, approval: human, rate_limit: 30/m}\n",
                "access: write, approval: none, "
                "reversible: false, rate_limit: 30/m}  # expect: A002\n",
            ),
        ),
    ),
    # A009 no-confidence-threshold: at id
    "A009-bad": Mutation(
        "A009",
        RA,
        (
            ("oversight: {confidence_threshold: 0.8, ", "oversight: {"),
            ("id: refund-assistant\n", "id: refund-assistant  # expect: A009\n"),
        ),
    ),
    "A009-good-ai-first": Mutation(
        "A009",
        FS,
        (
            (
                "oversight: {confidence_threshold: 0.9, human_review_for: [orders above 5000 "
                "USD]}\n",
                "",
            ),
            ("pattern: core-process\n", "pattern: ai-first\n"),
        ),
    ),
    # K001 no-cost-target: at id
    "K001-bad": Mutation(
        "K001",
        MN,
        (
            ("cost: {per_interaction: 0.03, alert_above: 0.08, ", "cost: {"),
            ("id: meeting-notes\n", "id: meeting-notes  # expect: K001\n"),
        ),
    ),
    "K001-good-pilot": Mutation(
        "K001",
        PE,
        (
            (
                "cost: {per_interaction: 0.02, alert_above: 0.05, monthly_budget: 400, "
                "monthly_volume: 15000}\n",
                "",
            ),
            ("status: production\n", "status: pilot\n"),
        ),
    ),
    # K002 cost-over-budget: at cost.monthly_volume, or cost.alert_above for the alert
    "K002-bad-budget": Mutation(
        "K002",
        RA,
        (
            (
                "monthly_budget: 6000, monthly_volume: 12000}\n",
                "monthly_budget: 5000, monthly_volume: 12000}  # expect: K002\n",
            ),
        ),
    ),
    "K002-bad-alert": Mutation(
        "K002",
        RA,
        (
            ("alert_above: 0.9, monthly_budget", "alert_above: 0.4, monthly_budget"),
            ("monthly_volume: 12000}\n", "monthly_volume: 12000}  # expect: K002\n"),
        ),
    ),
    "K002-good-exact": Mutation(
        "K002",
        RA,
        (
            (
                "monthly_budget: 6000, monthly_volume: 12000}\n",
                "monthly_budget: 5400, monthly_volume: 12000}\n",
            ),
        ),
        note="0.45 x 12000 is 5400",
    ),
    "K002-good-no-float-error": Mutation(
        "K002",
        RA,
        (
            (
                "cost: {per_interaction: 0.45, alert_above: 0.9, monthly_budget: 6000, "
                "monthly_volume: 12000}\n",
                "cost: {per_interaction: 0.1, alert_above: 0.2, "
                "monthly_budget: 0.3, monthly_volume: 3}\n",
            ),
        ),
        note="0.1 x 3 is 0.30000000000000004 in floating point",
    ),
    # H009 queue-slower-than-promise: at the deadline or incident_response value
    "H009-bad-escalation": Mutation(
        "H009",
        HD,
        (("incident_response: 1h}\n", "incident_response: 30m}  # expect: H009\n"),),
    ),
    "H009-bad-deadline": Mutation(
        "H009", FS, (("    deadline: 4h\n", "    deadline: 15m  # expect: H009\n"),)
    ),
    "H009-good-equal": Mutation(
        "H009", HD, (("incident_response: 1h}\n", "incident_response: 60m}\n"),)
    ),
    # H010 production-hands-to-unproven: at the handoff's to
    "H010-bad": Mutation(
        "H010",
        HD,
        (
            (HELPDESK_WAIVER, ""),
            ("  - to: access-provisioner\n", "  - to: access-provisioner  # expect: H010\n"),
        ),
    ),
    "H010-good-fallback": Mutation(
        "H010",
        HD,
        (
            (HELPDESK_WAIVER, ""),
            ("  - to: access-provisioner\n", "  - to: human:identity-team\n"),
            ("    fallback: human:it-service-desk\n", "    fallback: access-provisioner\n"),
        ),
    ),
    # M004 change-record-incomplete: at the change's mapping
    "M004-bad-no-approval": Mutation(
        "M004",
        RA,
        (
            ("cab: {approved: 2026-10-01, ticket: CAB-1182,", "cab: {ticket: CAB-1182,"),
            ("  - version: 1.3.0\n", "  - version: 1.3.0  # expect: M004\n"),
        ),
    ),
    "M004-bad-no-cab": Mutation(
        "M004",
        RA,
        (
            (
                "    cab: {approved: 2026-07-09, ticket: CAB-1097, approved_by: "
                "priya.raman@example.com}\n",
                "",
            ),
            ("  - version: 1.2.0\n", "  - version: 1.2.0  # expect: M004\n"),
        ),
    ),
    "M004-bad-no-ticket-or-approver": Mutation(
        "M004",
        RA,
        (
            (
                "cab: {approved: 2026-10-01, ticket: CAB-1182, approved_by: "
                "priya.raman@example.com}",
                "cab: {approved: 2026-10-01}",
            ),
            ("  - version: 1.3.0\n", "  - version: 1.3.0  # expect: M004\n"),
        ),
    ),
    "M004-good-other": Mutation(
        "M004",
        RA,
        (
            (
                "    kinds: [scope]\n    cab: {approved: 2026-07-09, ticket: CAB-1097, "
                "approved_by: priya.raman@example.com}\n",
                "    kinds: [other]\n",
            ),
        ),
    ),
    "M004-good-tier-3": Mutation(
        "M004",
        MN,
        (
            (
                "deployed: 2025-09-01\n",
                "deployed: 2025-09-01\nchanges:\n  - {version: 2.2.0, date: 2026-06-01, kinds: "
                "[new-tool], summary: drafts go to the docs system}\n",
            ),
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_mutation(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    roster = case.apply(tmp_path)
    assert found(roster) == case.marked()


def test_every_case_is_about_its_rule() -> None:
    for name, case in CASES.items():
        assert name.startswith(case.rule), name
        assert case.bad == ("-bad" in name), name


# --- L009 reads files safely ------------------------------------------------------------------


def _lint(roster: Path) -> Counter[tuple[str, int, str]]:
    return found(roster)


def test_l009_never_follows_a_symlink_out_of_the_roster(tmp_path: Path) -> None:
    roster = Mutation("L009", RA, ()).apply(tmp_path)
    outside = tmp_path / "outside.jsonl"
    outside.write_text("{}\n{}\n{}\n", encoding="utf-8")  # 3 lines, not 120: L009 if read
    golden = roster / "support" / "evals" / "refund-golden.jsonl"
    golden.unlink()
    os.symlink(outside, golden)
    assert _lint(roster) == Counter({(RA, 45, "X003"): 1})


def test_l009_skips_a_golden_set_over_the_cap(tmp_path: Path, monkeypatch) -> None:
    roster = Mutation(
        "L009",
        RA,
        (("  cases: 120\n", "  cases: 240\n"),),
        files={"support/evals/refund-golden.jsonl": GOLDEN_120},
    ).apply(tmp_path)
    monkeypatch.setattr(lifecycle, "GOLDEN_SET_MAX_BYTES", len(GOLDEN_120) - 1)
    assert _lint(roster) == Counter()
    monkeypatch.setattr(lifecycle, "GOLDEN_SET_MAX_BYTES", len(GOLDEN_120))
    assert _lint(roster) == Counter({(RA, 46, "L009"): 1})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_l009_does_not_wait_on_a_pipe(tmp_path: Path) -> None:
    roster = Mutation("L009", RA, ()).apply(tmp_path)
    golden = roster / "support" / "evals" / "refund-golden.jsonl"
    golden.unlink()
    os.mkfifo(golden)
    assert _lint(roster) == Counter({(RA, 45, "L003"): 1})  # not a regular file


def test_l009_message_names_the_count_and_the_fix(tmp_path: Path) -> None:
    roster = CASES["L009-bad-count"].apply(tmp_path)
    report = lint_roster(roster, load_config(roster), today=TODAY, cwd=roster)
    (finding,) = report.findings
    assert finding.message == (
        "evals.cases is 240 but evals/refund-golden.jsonl has 120 non-blank lines; set cases to "
        "120 or fix the golden set"
    )


# --- the rules' own snippets --------------------------------------------------------------

V11 = [
    "L008", "L009", "L010", "L011", "L012", "L013", "L014", "L015", "L016",
    "I001", "I002", "A008", "A009", "K001", "K002", "H009", "H010", "M004",
]  # fmt: skip
# The clean card of examples/roster each snippet is merged into (default: refund-assistant).
SNIPPET_BASE = {"L010": CR, "L015": HD, "L016": CD, "I002": FS, "A008": HD, "H010": MN}


def _merged(tmp_path: Path, code: str, snippet: str) -> Path:
    """The example roster with the snippet's top-level keys replacing the base card's."""
    roster = tmp_path / "roster"
    shutil.copytree(EXAMPLES / "roster", roster)
    card = roster / SNIPPET_BASE.get(code, RA)
    base = load(card.read_bytes()).data
    fragment = load(snippet.encode()).data
    assert isinstance(base, dict) and isinstance(fragment, dict), snippet
    card.write_text(_yaml({**base, **fragment}), encoding="utf-8")
    return roster


def _yaml(data: object) -> str:
    import json

    return json.dumps(data, indent=1, default=str) + "\n"  # JSON is YAML


@pytest.mark.parametrize("code", V11)
def test_bad_snippet_gives_exactly_its_rule(code: str, tmp_path: Path) -> None:
    roster = _merged(tmp_path, code, RULE_BY_CODE[code].bad)
    codes = {c for _, _, c in found(roster)}
    assert codes == {code}


@pytest.mark.parametrize("code", V11)
def test_good_snippet_gives_nothing(code: str, tmp_path: Path) -> None:
    roster = _merged(tmp_path, code, RULE_BY_CODE[code].good)
    assert found(roster) == Counter()


def test_mutations_cover_every_v11_rule() -> None:
    for code in V11:
        kinds = {case.bad for case in CASES.values() if case.rule == code}
        assert kinds == {True, False}, code


def test_new_families_sort_between_x_and_w_and_m001_to_m003_need_a_base() -> None:
    assert "".join(FAMILIES) == "CBTPALHXIKMWE"
    assert all(RULE_BY_CODE[c].bad.startswith(change.BASE_NOTE) for c in ("M001", "M002", "M003"))
    assert resolve_selector("M") == {"M001", "M002", "M003", "M004"}
    assert resolve_selector("I") == {"I001", "I002"} and resolve_selector("K") == {"K001", "K002"}
    families = [rule.family for rule in RULES]
    assert families.index("I") > families.index("X") and families.index("M") < families.index("W")
