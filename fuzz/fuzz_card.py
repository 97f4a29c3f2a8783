"""Coverage-guided fuzzing of one card's path through agentroster: bytes -> loader ->
validation -> every card rule. Any exception escaping is a crash (the pipeline must turn every
input into findings). See docs/fuzzing.md.

    pip install atheris
    python fuzz/fuzz_card.py fuzz/corpus -runs=100000 -max_len=4096
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["agentroster"]):
    from agentroster.config import Config
    from agentroster.loader import load
    from agentroster.pipeline import card_rules_of
    from agentroster.reading import run_card_rules
    from agentroster.rules.base import CardContext
    from agentroster.validate import validate

ROOT = Path(tempfile.mkdtemp(prefix="agentroster-fuzz-"))
FILE = ROOT / "fuzz.agent.yaml"
CONFIG = Config(root=ROOT)
RULES = card_rules_of(CONFIG)
TODAY = dt.date(2026, 11, 21)


def test_one_input(raw: bytes) -> None:
    result = load(raw)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1, problem
    if result.data is None and result.problems:
        return
    validated = validate(result.data, result.source_map, damaged=result.damaged)
    view = validated.view()
    if view is None:
        return
    card = CardContext(
        path="fuzz.agent.yaml", file=FILE, root=ROOT, data=result.data, model=view,
        source_map=result.source_map, config=CONFIG, today=TODAY, tainted=validated.tainted,
        strings=result.strings,
    )  # fmt: skip
    for finding in run_card_rules(card, RULES):
        assert finding.code != "E000", finding.message
        assert finding.line >= 1 and finding.column >= 1, finding


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
