from __future__ import annotations

from agentroster.config import load_config
from agentroster.pipeline import lint_roster
from tests.conftest import CLEAN_CARD, TODAY

CARD = CLEAN_CARD + "evals: {golden_set: evals/golden.jsonl, cases: 60, threshold: 0.9}\n"
GOLDEN = "{}\n" * 60  # as many cases as the card says (L009)


def codes(root):
    report = lint_roster(root, load_config(root), today=TODAY, cwd=root)
    return [f.code for f in report.findings]


def test_each_run_looks_at_the_files_afresh(roster):
    # Resolved paths are memoised within a run; a second run in the same process must see
    # the file created since the first (an editor integration or a test suite does this).
    root = roster({"notes-helper.agent.yaml": CARD})
    assert codes(root) == ["L003"]
    (root / "evals").mkdir()
    (root / "evals" / "golden.jsonl").write_text(GOLDEN)
    assert codes(root) == []
    (root / "evals" / "golden.jsonl").unlink()
    assert codes(root) == ["L003"]


def test_cards_in_one_folder_share_a_resolved_target(roster):
    cards = {
        f"team/{name}.agent.yaml": CARD.replace("notes-helper", name).replace("evals/", "../evals/")
        for name in ("a-helper", "b-helper")
    }
    root = roster({**cards, "evals/golden.jsonl": GOLDEN})
    assert codes(root) == []
    (root / "evals" / "golden.jsonl").unlink()
    assert codes(root) == ["L003", "L003"]
