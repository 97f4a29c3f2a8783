"""The rule tests themselves: every rule has them, and they start from a clean roster.

Each rule is tested in tests/rules/test_<family>.py by one-defect edits of the clean example
roster (tests/clean_roster.py), in functions named `test_<code>_...`: a bad case names the
code it expects (`expect="B002"`, `("card", "B002", line)`, `# expect: B002`), a good case
does not. The v1.1 lifecycle rules are mutations in test_v11_lifecycle.py, whose `bad` flag
says which kind each one is. The rules' bad and good snippets run in test_examples.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from agentroster.rules import RULES
from tests.clean_roster import drop, put, sub
from tests.rules.test_v11_lifecycle import CASES as MUTATIONS

HERE = Path(__file__).parent
NO_CARD_CAUSES = {"E000"}  # an internal error: tests/test_crashes.py makes rules crash
NEEDS_BASE = {"M001", "M002", "M003"}  # change review compares two revisions: test_review.py


def cases_under_test() -> dict[str, set[bool]]:
    """Rule code -> the kinds of case it has (True: bad, False: good)."""
    kinds: dict[str, set[bool]] = {}
    for module in sorted(HERE.glob("test_*.py")):
        source = module.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                code = node.name[5:9].upper()
                if len(code) == 4 and code[0].isalpha() and code[1:].isdigit():
                    body = ast.get_source_segment(source, node) or ""
                    kinds.setdefault(code, set()).add(code in body)
    for mutation in MUTATIONS.values():
        kinds.setdefault(mutation.rule, set()).add(mutation.bad)
    return kinds


COVERED = cases_under_test()
# Rules whose only good case is the clean roster itself (test_the_clean_roster_is_clean): the
# old good/ fixtures of these were the clean card with the defect absent, no boundary to pin.
CLEAN_IS_THE_GOOD_CASE = {
    *("C001", "C002", "C003", "C004", "C007", "C008"),
    *("B002", "B003", "B004", "B005", "X002"),
    *("A002", "A004", "A007", "P003", "L004", "L005", "H002", "H006"),
}


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.code not in NO_CARD_CAUSES | NEEDS_BASE], ids=lambda r: r.code
)
def test_every_rule_has_a_good_and_a_bad_case(rule):
    kinds = set(COVERED.get(rule.code, set()))
    if rule.code in CLEAN_IS_THE_GOOD_CASE:
        kinds.add(False)
    assert kinds == {True, False}, (
        f"{rule.code} needs a bad and a good test_{rule.code.lower()}_... case"
    )


def test_no_case_for_an_unknown_rule():
    assert set(COVERED) <= {r.code for r in RULES}


def test_the_clean_roster_is_clean(clean):
    report = clean.lint()
    assert clean.found() == [] and report.agents == 9 and report.waived == 1  # it-helpdesk's waiver


def test_edits_keep_the_rest_of_the_card_byte_for_byte(clean):
    card = clean.card("refund-assistant")
    before = card.read_text().splitlines()
    clean.edit("refund-assistant", put("audit.retention_days", 400), drop("tags"))
    after = card.read_text().splitlines()
    assert after[60] == "audit: {enabled: true, retention_days: 400, tamper_evident: true}"
    assert after == [*before[:60], after[60], *before[61:-1]]


def test_sub_wants_exactly_one_match(clean):
    with pytest.raises(AssertionError, match="occurs 2 times"):
        clean.edit("refund-assistant", sub("human:", "x"))


def test_expect_marks_the_line_an_edit_touched(clean):
    clean.edit("refund-assistant", put("tools.1.approval", "none"), expect="A002")
    assert clean.expected() == [("refund-assistant", "A002", 31)]
    assert "approval: none  # expect: A002" in clean.card("refund-assistant").read_text()


def test_a_new_card_is_a_copy_with_its_own_id(clean):
    clean.add_card("notes-twin", like="meeting-notes")
    assert "\nid: notes-twin\n" in clean.card("notes-twin").read_text()
    assert clean.found() == []
