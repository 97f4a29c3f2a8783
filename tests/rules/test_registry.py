"""Every rule is complete: unique code and name, documented, explained, addressable."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.rules import RULE_BY_CODE, RULE_BY_NAME, RULES, lookup, resolve_selector
from agentroster.rules.base import FAMILIES


def test_codes_and_names_are_unique():
    assert len(RULE_BY_CODE) == len(RULES) == len(RULE_BY_NAME)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert re.fullmatch(r"[A-Z][0-9]{3}", rule.code) and rule.family in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary.endswith(".") and len(rule.summary) > 15
    # the reason in full is on the governance page (tests/test_docs.py checks the anchor)
    assert re.search(r"\(docs/governance\.md#[a-z0-9-]+\)", rule.rationale)
    assert rule.bad.strip() and rule.good.strip() and rule.bad != rule.good
    assert rule.fix.strip()
    assert (rule.check is None) == (rule.scope == "file" or rule.code == "W004")
    assert lookup(rule.code) is rule and lookup(rule.name) is rule
    assert lookup(rule.code.lower()) is rule


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_prints_what_why_bad_good_fix(rule):
    result = CliRunner().invoke(main, ["explain", rule.name])
    assert result.exit_code == 0
    for part in (rule.summary, "Why:", rule.bad.splitlines()[0], rule.good.splitlines()[0], "Fix:"):
        assert part in result.output


def test_catalogue_codes_of_rules_md_all_exist():
    expected = (
        [f"C00{i}" for i in range(1, 10)]
        + [f"B00{i}" for i in range(1, 6)]
        + [f"T00{i}" for i in range(1, 7)]
        + [f"P00{i}" for i in range(1, 6)]
        + [f"A00{i}" for i in range(1, 7)]
        + [f"L00{i}" for i in range(1, 8)]
        + [f"X00{i}" for i in range(1, 4)]
        + [f"W00{i}" for i in range(1, 5)]
        + ["E000"]
        + ["B006", "T008", "T009", "T010"]  # card format v1.1
    )
    assert set(expected) <= set(RULE_BY_CODE)


def test_selectors():
    assert resolve_selector("B") == {"B001", "B002", "B003", "B004", "B005", "B006"}
    assert resolve_selector("owner-not-a-person") == {"B001"}
    assert "X003" in resolve_selector("all")


def test_rules_command_json():
    import json

    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    doc = json.loads(result.output)
    assert [r["code"] for r in doc] == [r.code for r in RULES]
