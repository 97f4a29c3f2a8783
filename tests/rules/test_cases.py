"""Per-rule good/bad rosters under cases/<CODE>/ (or, for the v1.1 lifecycle rules, one-defect
mutations of the example roster in test_v11_lifecycle.py).

In `bad*/`, every expected finding is marked with `# expect: CODE[, CODE]` on the offending line
(or listed as `file:line:CODE` in `expect.txt`, for files that cannot hold a comment). The
comparison covers every finding in the case, not only the rule's own: a card that breaks one
rule must yield exactly the findings marked. `good*/` must yield no finding at all.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from agentroster.config import load_config
from agentroster.pipeline import lint_roster
from agentroster.rules import RULES
from tests.conftest import TODAY
from tests.rules.test_v11_lifecycle import CASES as MUTATIONS

CASES = Path(__file__).parent / "cases"
MARKER = re.compile(r"#\s*expect:\s*([A-Z][0-9]{3}(?:\s*,\s*[A-Z][0-9]{3})*)")
NO_CASES = {"E000"}  # an internal error has no card that causes it; see tests/test_engine.py
# the change review rules compare two revisions: tests/test_review.py builds git repositories
NEEDS_BASE = {"M001", "M002", "M003"}


def expected(case: Path) -> Counter[tuple[str, int, str]]:
    out: Counter[tuple[str, int, str]] = Counter()
    for path in sorted(case.rglob("*.agent.y*ml")):
        rel = path.relative_to(case).as_posix()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(lines, 1):
            match = MARKER.search(line)
            if match:
                for code in match.group(1).split(","):
                    out[(rel, number, code.strip())] += 1
    listed = case / "expect.txt"
    if listed.exists():
        for entry in listed.read_text().split():
            rel, line, code = entry.rsplit(":", 2)
            out[(rel, int(line), code)] += 1
    return out


def found(case: Path) -> Counter[tuple[str, int, str]]:
    report = lint_roster(case, load_config(case), today=TODAY, cwd=case)
    return Counter((f.path, f.line, f.code) for f in report.findings)


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.glob("*/*") if p.is_dir())


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: f"{p.parent.name}-{p.name}")
def test_case(case: Path) -> None:
    want = expected(case) if case.name.startswith("bad") else Counter()
    assert found(case) == want


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.code not in NO_CASES | NEEDS_BASE], ids=lambda r: r.code
)
def test_every_rule_has_good_and_bad_cases(rule) -> None:
    if not (CASES / rule.code).is_dir():  # ported to tests/rules/test_<family>.py
        pytest.skip("one-defect edits of the clean roster: test_meta.py checks them")
    mutations = {m.bad for m in MUTATIONS.values() if m.rule == rule.code}
    if mutations:  # one-defect mutations of the example roster (test_v11_lifecycle.py)
        assert mutations == {True, False}, f"{rule.code} needs a good and a bad mutation"
        return
    bad = sorted((CASES / rule.code).glob("bad*"))
    good = sorted((CASES / rule.code).glob("good*"))
    assert good, f"no good case for {rule.code}"
    assert bad, f"no bad case for {rule.code}"
    for case in bad:
        assert any(code == rule.code for _, _, code in expected(case)), (
            f"{case.name} of {rule.code} expects no {rule.code} finding"
        )


def test_no_case_for_an_unknown_rule() -> None:
    codes = {r.code for r in RULES}
    assert {p.name for p in CASES.iterdir()} <= codes
