"""Card format v1.1, people and tiers: B006, T008-T010 and the v1.1 changes to B001, W002,
T001, T002, L003 and P001.

Every case starts from a copy of examples/roster (which lints clean), makes one edit, and
expects exactly the findings marked `# expect: CODE` in the edited roster (any file), at
their lines: a case is an edit and its markers, not a copied tree.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from agentroster.config import load_config
from agentroster.findings import Finding
from agentroster.loader import load_text
from agentroster.pipeline import lint_roster
from agentroster.rules import RULE_BY_CODE
from tests.conftest import EXAMPLES, TODAY

MARKER = re.compile(r"#\s*expect:\s*([A-Z][0-9]{3}(?:\s*,\s*[A-Z][0-9]{3})*)")

REFUND = "support/refund-assistant.agent.yaml"  # tier 1, production, execute
CLOSE = "finance/close-reconciler.agent.yaml"  # tier 1, pilot
HELPDESK = "it/it-helpdesk.agent.yaml"  # tier 2, production
POLICY = "knowledge/policy-expert.agent.yaml"  # tier 2, production, business-expert
NOTES = "productivity/meeting-notes.agent.yaml"  # tier 3, production
SENTINEL = "ops/incident-sentinel.agent.yaml"  # tier 2, proposed
PEOPLE = "agentroster.people.yaml"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "roster"
    shutil.copytree(EXAMPLES / "roster", root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a file of the roster."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {rel} exactly once"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lint(root: Path, *, today: date = TODAY) -> list[Finding]:
    return lint_roster(root, load_config(root), today=today, cwd=root).findings


def marked(root: Path) -> Counter[tuple[str, int, str]]:
    out: Counter[tuple[str, int, str]] = Counter()
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = MARKER.search(line)
            if match:
                for code in match.group(1).split(","):
                    out[(rel, number, code.strip())] += 1
    return out


def check(root: Path, *edits: tuple[str, str, str], today: date = TODAY) -> list[Finding]:
    """Apply the edits (file, old, new), lint, and compare with the markers."""
    for rel, old, new in edits:
        edit(root, rel, old, new)
    findings = lint(root, today=today)
    assert Counter((f.path, f.line, f.code) for f in findings) == marked(root)
    return findings


def test_the_example_roster_is_clean_on_the_days_the_readme_names(example):
    for day in (TODAY, date(2026, 11, 22), date(2026, 11, 29), date(2026, 12, 19)):
        assert lint(example, today=day) == [], day
    assert {f.code for f in lint(example, today=date(2026, 12, 20))} == {"T008"}


# -- B001: placeholder people ------------------------------------------------------------------
OWNER = "owner: {name: Dana Whitfield, email: dana.whitfield@example.com, team: care-platform}"
TECH = (
    "technical_owner: {name: Tomas Lindqvist, email: tomas.lindqvist@example.com, "
    "team: care-platform}"
)
SPONSOR = "sponsor: {name: Priya Raman, email: priya.raman@example.com, role: executive}"
BENEFITS = "owner: Hannah Kim, authoritative: true, refreshed: 2026-11-18}"


@pytest.mark.parametrize(
    ("rel", "old", "new", "key"),
    [
        (REFUND, OWNER, "owner: {name: TBD, email: dana.whitfield@example.com}", ("owner", "name")),
        (REFUND, OWNER, "owner: {name: Dana Whitfield, email: N/A@corp.example.org}",
         ("owner", "email")),
        (REFUND, SPONSOR, SPONSOR.replace("Priya Raman", "unknown"), ("sponsor", "name")),
        (REFUND, TECH, "technical_owner: {name: '-', email: tomas.lindqvist@example.com}",
         ("technical_owner", "name")),
        (POLICY, BENEFITS, BENEFITS.replace("Hannah Kim", "None"),
         ("data", "sources", 1, "owner")),
        (REFUND, "CAB-1182, approved_by: priya.raman@example.com}",
         "CAB-1182, approved_by: changeme@example.com}",
         ("changes", 0, "cab", "approved_by")),
        (HELPDESK, "approved_by: oskar.berg@example.com}",
         "approved_by: {name: Nobody, email: oskar.berg@example.com}}",
         ("changes", 1, "cab", "approved_by", "name")),
    ],
    ids=["owner-name", "owner-email", "sponsor", "technical-owner", "source-owner", "cab-email",
         "cab-person"],
)  # fmt: skip
def test_b001_placeholder_people(example, rel, old, new, key):
    [finding] = check(example, (rel, old, new + "  # expect: B001"))
    assert finding.key == key and "is a placeholder, not a person" in finding.message


def test_b001_placeholder_message(example):
    new = "technical_owner: {name: tbd, email: tomas.lindqvist@example.com}  # expect: B001"
    [finding] = check(example, (REFUND, TECH, new))
    assert finding.message.startswith("technical_owner.name 'tbd' is a placeholder")
    assert finding.column == 25


@pytest.mark.parametrize(
    "owner",
    [
        "{name: Xavier Dunn, email: x.dunn@example.com}",  # 'x' only as the whole word
        "{name: Tess Tester, email: tess.tester@example.com}",
        "{name: Nadia Haddad, email: none.such@example.com}",
    ],
)
def test_b001_names_that_only_contain_a_placeholder_word_pass(example, owner):
    (example / PEOPLE).unlink()  # these people are not in the directory
    check(example, (REFUND, OWNER, f"owner: {owner}"))


def test_todo_stays_c009_and_is_not_also_b001_or_b006(example):
    new = "owner: {name: 'TODO: owner', email: TODO@example.com}  # expect: C009, C009"
    check(example, (REFUND, OWNER, new))


# -- B006: owner-departed ------------------------------------------------------------------------
def test_b006_departed_owner_at_the_email(example):
    [finding] = check(
        example,
        (
            NOTES,
            "owner: {name: Ravi Patel, email: ravi.patel@example.com, team: workplace-it}",
            "owner: {name: Marcus Lee, email: marcus.lee@example.com}  # expect: B006",
        ),
    )
    assert finding.key == ("owner", "email") and finding.column == 34
    assert "'marcus.lee@example.com' (Marcus Lee) is listed as departed" in finding.message


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (  # a sponsor the directory does not list
            NOTES,
            "sponsor: {name: Lena Fischer, email: lena.fischer@example.com, role: team}",
            "sponsor: {name: Lena Fischer, email: lena.f@example.com, role: team}  # expect: B006",
        ),
        (  # a technical owner written as a block, the finding on the email's line
            REFUND,
            "technical_owner: {name: Tomas Lindqvist, email: tomas.lindqvist@example.com, "
            "team: care-platform}",
            "technical_owner:\n  name: Marcus Lee\n  email: marcus.lee@example.com  # expect: B006",
        ),
    ],
    ids=["sponsor-unknown", "technical-owner-departed"],
)
def test_b006_sponsor_and_technical_owner(example, rel, old, new):
    check(example, (rel, old, new))


def test_b006_matches_email_in_any_case(example):
    check(
        example,
        (
            REFUND,
            "email: dana.whitfield@example.com, team: care-platform}",
            "email: Dana.Whitfield@EXAMPLE.com, team: care-platform}",
        ),
    )


def test_b006_needs_a_directory(example):
    (example / PEOPLE).unlink()
    check(
        example,
        (NOTES, "email: ravi.patel@example.com", "email: marcus.lee@example.com"),
    )


def test_b006_skips_people_b001_reports(example):
    check(
        example,
        (
            REFUND,
            "owner: {name: Dana Whitfield, email: dana.whitfield@example.com, team: care-platform}",
            "owner: {name: Care Platform, email: care-platform@example.com}  # expect: B001",
        ),
        (
            NOTES,
            "sponsor: {name: Lena Fischer, email: lena.fischer@example.com, role: team}",
            "sponsor: {name: TBA, email: tba@example.com, role: team}  # expect: B001",
        ),
    )


def test_a_broken_directory_is_reported_once_and_b006_waits(example):
    check(
        example,
        (
            PEOPLE,
            "{email: ravi.patel@example.com, name: Ravi Patel, status: active}",
            "{email: ravi.patel@example.com, name: Ravi Patel, status: on-leave}  # expect: C002",
        ),
        (NOTES, "email: ravi.patel@example.com", "email: marcus.lee@example.com"),
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "{email: ravi.patel@example.com, name: Ravi Patel, status: active}",
            "{email: ravi.patel@example.com, name: Ravi Patel, status: active, team: it}"
            "  # expect: C003",
        ),
        (
            "{email: ravi.patel@example.com, name: Ravi Patel, status: active}",
            "{email: ravi.patel@example.com, status: active}  # expect: C002",
        ),
        (
            "{email: ravi.patel@example.com, name: Ravi Patel, status: active}",
            "{email: ravi.patel@example.com, name: Ravi Patel, status: active, status: active}"
            "  # expect: C004",
        ),
    ],
    ids=["unknown-field", "missing-name", "duplicate-key"],
)
def test_directory_entries_are_validated_at_their_line(example, old, new):
    check(example, (PEOPLE, old, new))


def test_an_email_listed_twice_is_reported_and_the_first_entry_used(example):
    [finding] = check(
        example,
        (
            PEOPLE,
            "  - {email: ravi.patel@example.com, name: Ravi Patel, status: active}\n",
            "  - {email: ravi.patel@example.com, name: Ravi Patel, status: active}\n"
            "  - {email: Ravi.Patel@example.com, name: R. Patel, status: departed}"
            "  # expect: C002\n",
        ),
    )
    assert "listed twice" in finding.message and finding.path == PEOPLE


def test_the_directory_file_name_is_configurable(example):
    (example / PEOPLE).rename(example / "hr-export.yaml")
    config = example / "agentroster.toml"
    config.write_text('people = "hr-export.yaml"\n' + config.read_text())
    assert lint(example) == []
    edit(example, NOTES, "email: ravi.patel@example.com", "email: marcus.lee@example.com")
    assert [f.code for f in lint(example)] == ["B006"]


# -- W002: waiver approvers ----------------------------------------------------------------------
WAIVER = (
    "tags: [customer-facing, payments]\nwaivers:\n"
    "  - {rule: L004, reason: runbook rewrite, approved_by: APPROVER, expires: 2027-01-31}"
)


@pytest.mark.parametrize(
    "approver",
    [
        "DANA.WHITFIELD@example.com",  # the card's owner: self-approval
        "Dana Whitfield",  # the owner by name
        "tbd@example.com",  # a placeholder
        "'n/a'",
        "marcus.lee@example.com",  # departed
        "{name: Marcus Lee, email: marcus.lee@example.com}",
        "someone.else@example.com",  # not in the directory
    ],
)
def test_w002_approver_is_a_placeholder_the_owner_or_not_active(example, approver):
    [finding] = check(
        example,
        (
            REFUND,
            "tags: [customer-facing, payments]",
            WAIVER.replace("APPROVER", approver) + "  # expect: W002",
        ),
    )
    assert finding.key == ("waivers", 0)


def test_w002_a_waiver_approved_by_an_active_person_hides_its_finding(example):
    drop = "  - {failure_mode: tool-outage, path: runbooks/payments-outage.md}\n"
    check(
        example,
        (REFUND, drop, ""),
        (
            REFUND,
            "tags: [customer-facing, payments]",
            WAIVER.replace("APPROVER", "Priya.Raman@example.com"),
        ),
    )


def test_w002_a_departed_approver_hides_nothing(example):
    # The waiver is checked against the directory when the findings are filtered too, after
    # the card has been slimmed: the L004 it was for is reported.
    drop = "  - {failure_mode: tool-outage, path: runbooks/payments-outage.md}\n"
    check(
        example,
        (REFUND, drop, ""),
        (REFUND, "runbooks:\n", "runbooks:  # expect: L004\n"),
        (
            REFUND,
            "tags: [customer-facing, payments]",
            WAIVER.replace("APPROVER", "marcus.lee@example.com") + "  # expect: W002",
        ),
    )


def test_w002_without_a_directory_only_placeholders_and_the_owner_count(example):
    (example / PEOPLE).unlink()
    check(
        example,
        (REFUND, "  - {failure_mode: tool-outage, path: runbooks/payments-outage.md}\n", ""),
        (
            REFUND,
            "tags: [customer-facing, payments]",
            WAIVER.replace("APPROVER", "someone.else@example.com"),
        ),
    )


# -- T001, T002 ----------------------------------------------------------------------------------
def test_t001_tier_3_needs_a_sponsor_of_any_role(example):
    [finding] = check(
        example,
        (NOTES, "sponsor: {name: Lena Fischer, email: lena.fischer@example.com, role: team}\n", ""),
        (NOTES, "apiVersion: agentroster/v1", "apiVersion: agentroster/v1  # expect: T001"),
    )
    assert "tier 3 needs a sponsor of any role" in finding.message


@pytest.mark.parametrize("role", ["team", "manager", "executive"])
def test_t001_any_sponsor_role_is_enough_at_tier_3(example, role):
    check(example, (NOTES, "role: team}", f"role: {role}}}"))


def test_t002_tier_1_needs_a_security_audit(example):
    [finding] = check(
        example,
        (
            REFUND,
            "red-team, executive-signoff, security-audit]",
            "red-team, executive-signoff]  # expect: T002",
        ),
    )
    assert "lacks security-audit" in finding.message


def test_t002_tier_2_does_not(example):
    check(
        example,
        (HELPDESK, "cost-approval]", "cost-approval, security-audit]"),
        (HELPDESK, "cost-approval, security-audit]", "cost-approval]"),
    )


# -- L003 and X003 for prompts -------------------------------------------------------------------
def test_l003_covers_prompt_files(example):
    check(
        example,
        (
            REFUND,
            "prompts: [prompts/refund-assistant.md]",
            "prompts:\n  - prompts/refund-assistant.md\n  - prompts/tone.md  # expect: L003",
        ),
    )


def test_x003_covers_prompt_files(example):
    check(
        example,
        (
            REFUND,
            "prompts: [prompts/refund-assistant.md]",
            "prompts: [../../../prompts/shared.md]  # expect: X003",
        ),
    )


# -- P001 ----------------------------------------------------------------------------------------
LIBRARY = (
    "{name: HR policy library, owner: sofia.rossi@example.com, authoritative: true, "
    "refreshed: 2026-11-18}"
)


def test_p001_points_at_authoritative_false(example):
    new = LIBRARY.replace("true", "false")
    [finding] = check(example, (POLICY, LIBRARY, new + "  # expect: P001"))
    assert finding.key == ("data", "sources", 0, "authoritative")
    assert finding.column == 6 + new.index("false") + 1
    assert "source 'HR policy library' is not marked authoritative" in finding.message


def test_p001_points_at_the_source_when_authoritative_is_absent(example):
    new = LIBRARY.replace(" authoritative: true,", "")
    [finding] = check(example, (POLICY, LIBRARY, new + "  # expect: P001"))
    assert finding.key == ("data", "sources", 0) and finding.column == 7
    assert "source 'HR policy library' is not marked authoritative" in finding.message


def test_p001_no_owner_and_not_authoritative_are_two_findings(example):
    new = LIBRARY.replace(" owner: sofia.rossi@example.com,", "").replace("true", "false")
    findings = check(example, (POLICY, LIBRARY, new + "  # expect: P001, P001"))
    assert sorted(f.key for f in findings) == [
        ("data", "sources", 0),
        ("data", "sources", 0, "authoritative"),
    ]


# -- T008: metrics-review-overdue ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("rel", "metrics_last", "overdue"),
    [
        (HELPDESK, "2026-10-20", True),  # tier 2: 32 days
        (HELPDESK, "2026-10-21", False),  # 31 days
        (REFUND, "2026-10-19", True),  # tier 1: 33 days
        (NOTES, "2026-08-20", True),  # tier 3: 93 days
        (NOTES, "2026-08-21", False),  # 92 days
    ],
)
def test_t008_metric_review_every_month_or_quarter(example, rel, metrics_last, overdue):
    old = re.search(r"metrics_last: [0-9-]+\}", (example / rel).read_text()).group(0)
    new = f"metrics_last: {metrics_last}}}" + ("  # expect: T008" if overdue else "")
    findings = check(example, (rel, old, new))
    assert all(f.key == ("review", "metrics_last") for f in findings)


def test_t008_missing_metrics_last_points_at_review(example):
    old = "review: {last: 2026-11-18, metrics_last: 2026-11-18}"
    check(example, (POLICY, old, "review: {last: 2026-11-18}  # expect: T008"))


def test_t008_only_in_production(example):
    assert "metrics_last" not in (example / CLOSE).read_text()  # a pilot agent
    check(example)


def test_t008_a_missing_review_block_is_t005s(example):
    check(
        example,
        (POLICY, "review: {last: 2026-11-18, metrics_last: 2026-11-18}\n", ""),
        (POLICY, "apiVersion: agentroster/v1", "apiVersion: agentroster/v1  # expect: T005"),
    )


# -- T009: ad-hoc-review-due ---------------------------------------------------------------------
# reviewed 2026-08-25 (quarterly): due 2026-11-25, so T011 announces it
EARLY_REVIEW = (
    REFUND,
    "review: {last: 2026-11-18, metrics_last: 2026-11-18}",
    "review: {last: 2026-08-25, metrics_last: 2026-11-18}  # expect: T011",
)
# the card's model-swap change (2026-10-06) moved before that early review, so only the
# incident under test is after it
OLD_CHANGE = (REFUND, "    date: 2026-10-06\n", "    date: 2026-08-20\n")
INCIDENT = "  - id: INC-2041\n    date: 2026-09-02\n    severity: sev2\n"


def incident(day: str, severity: str, *, expect: bool) -> tuple[str, str, str]:
    marker = "  # expect: T009" if expect else ""
    return (
        REFUND,
        INCIDENT,
        f"  - id: INC-2041{marker}\n    date: {day}\n    severity: {severity}\n",
    )


def test_t009_incident_after_the_last_review(example):
    findings = check(example, EARLY_REVIEW, OLD_CHANGE, incident("2026-09-02", "sev2", expect=True))
    [finding] = [f for f in findings if f.code == "T009"]
    assert finding.key == ("incidents", 0)
    assert finding.message.startswith(
        "sev2 incident INC-2041 (2026-09-02) came after the last review (2026-08-25) and 80 "
        "days have passed; hold the ad-hoc review (due within 30 days)"
    )


@pytest.mark.parametrize(
    ("severity", "day", "expect"),
    [
        ("sev1", "2026-10-21", True),  # 31 days ago
        ("sev1", "2026-10-22", False),  # 30 days ago
        ("sev3", "2026-09-02", False),
        ("sev2", "2026-08-25", False),  # the day of the review
    ],
)
def test_t009_sev1_and_sev2_more_than_30_days_ago(example, severity, day, expect):
    check(example, EARLY_REVIEW, OLD_CHANGE, incident(day, severity, expect=expect))


def test_t009_material_change_after_the_last_review(example):
    [finding] = check(
        example,
        (HELPDESK, "review: {last: 2026-08-20,", "review: {last: 2026-07-01,"),
        (HELPDESK, "  - version: 3.1.0\n", "  - version: 3.1.0  # expect: T009\n"),
    )
    assert finding.key == ("changes", 1)
    assert "material change 3.1.0 (handoff, 2026-07-30)" in finding.message


def test_t009_ignores_changes_of_kind_other(example):
    check(
        example,
        (HELPDESK, "review: {last: 2026-08-20,", "review: {last: 2026-07-01,"),
        (HELPDESK, "kinds: [handoff]", "kinds: [other]"),
    )


def test_t009_days_come_from_the_policy(example):
    edit(example, "agentroster.toml", "ad-hoc-review-days = 30", "ad-hoc-review-days = 90")
    check(example, EARLY_REVIEW, OLD_CHANGE)


def test_t009_leaves_cards_without_review_last_to_t005(example):
    old = "review: {last: 2026-11-18, metrics_last: 2026-11-18}"
    check(example, (REFUND, old, "review: {metrics_last: 2026-11-18}  # expect: T005"))


# -- T010: date-in-future ------------------------------------------------------------------------
FUTURE = [
    (REFUND, "review: {last: 2026-11-18,", "2026-11-22", ("review", "last")),
    (REFUND, "metrics_last: 2026-11-18}", "2026-12-01", ("review", "metrics_last")),
    (REFUND, "  refreshed: 2026-11-18", "2027-11-18", ("evals", "refreshed")),
    (REFUND, "calibrated: 2026-11-18", "2026-12-20", ("evals", "judge", "calibrated")),
    (REFUND, "deployed: 2026-03-01", "2027-03-01", ("deployed",)),
    (REFUND, "since: 2026-10-06", "2027-06-02", ("model", "since")),
    (REFUND, "    date: 2026-09-02", "2026-12-02", ("incidents", 0, "date")),
    (REFUND, "resolved: 2026-09-09", "2026-12-03", ("incidents", 0, "resolved")),
    (REFUND, "    date: 2026-10-06", "2026-12-02", ("changes", 0, "date")),
    (REFUND, "approved: 2026-10-01,", "2027-05-28", ("changes", 0, "cab", "approved")),
    (POLICY, "true, refreshed: 2026-11-18}\n    - {name: Benefits", "2027-11-18",
     ("data", "sources", 0, "refreshed")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rel", "old", "day", "key"), FUTURE, ids=[".".join(map(str, k)) for *_, k in FUTURE]
)
def test_t010_every_date_that_records_the_past(example, rel, old, day, key):
    text = (example / rel).read_text()
    new = re.sub(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day, old, count=1)
    line = text[: text.index(old)].count("\n") + 1
    edit(example, rel, old, new)
    [finding] = lint(example)
    assert (finding.code, finding.line, finding.key) == ("T010", line, key)
    assert f"is {day}, after today (2026-11-21)" in finding.message


def test_t010_retirement_date_and_today_itself(example):
    retired = "retirement: {date: 2026-11-22, reason: replaced by a new assistant}"
    check(
        example,
        (NOTES, "review: {last: 2026-06-15,", "review: {last: 2026-11-21,"),
        (NOTES, "deployed: 2025-09-01", f"deployed: 2025-09-01\n{retired}  # expect: T010"),
    )


def test_t010_leaves_waiver_expiry_alone(example):
    check(
        example,
        (REFUND, "  - {failure_mode: tool-outage, path: runbooks/payments-outage.md}\n", ""),
        (
            REFUND,
            "tags: [customer-facing, payments]",
            WAIVER.replace("APPROVER", "priya.raman@example.com"),
        ),
    )


# -- the rules' own bad and good snippets --------------------------------------------------------
SNIPPET_CARD = {
    "B001": REFUND,
    "B006": REFUND,
    "W002": REFUND,
    "T001": REFUND,
    "T002": POLICY,
    "T008": REFUND,
    "T009": SENTINEL,
    "T010": CLOSE,
    "L003": REFUND,
    "P001": POLICY,
}


def merged(root: Path, rel: str, snippet: str) -> None:
    """The card with the snippet's top-level fields in place of its own (written as JSON,
    which is YAML)."""
    card = load_text((root / rel).read_text(encoding="utf-8")).data
    fragment = load_text(snippet).data
    assert isinstance(card, dict) and isinstance(fragment, dict)
    (root / rel).write_text(json.dumps({**card, **fragment}, indent=1), encoding="utf-8")


@pytest.mark.parametrize("code", sorted(SNIPPET_CARD))
def test_bad_snippet_gives_exactly_its_rule(example, code):
    rule = RULE_BY_CODE[code]
    merged(example, SNIPPET_CARD[code], rule.bad)
    assert {f.code for f in lint(example)} == {code}


@pytest.mark.parametrize("code", sorted(SNIPPET_CARD))
def test_good_snippet_gives_none_of_it(example, code):
    rule = RULE_BY_CODE[code]
    merged(example, SNIPPET_CARD[code], rule.good)
    assert code not in {f.code for f in lint(example)}
