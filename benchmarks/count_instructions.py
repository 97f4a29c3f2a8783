"""Instructions per card, counted by valgrind: a measure that machine noise does not move.

    python benchmarks/count_instructions.py [N] [--python PYTHON]

Wall-clock figures on the shared 2-core machine move by up to 40% between runs; the number of
instructions a run executes does not. This script runs each stage under `valgrind
--tool=cachegrind` on N generated cards (200 by default) and prints instructions per card
against the floor, ruamel's C event parse of the same text:

    loader   load() on every card
    read     + reading the file and validating the card (read_card without rules)
    rules    + every card rule and slimming the card (read_card with rules)
    whole    lint_roster, everything `agentroster lint -j 1` does

Each stage's count has the count of a run that imports the same modules and reads the same
files subtracted. Instructions are not time (cache misses are not counted), so the
wall-clock benchmark, bench_lint.py, remains the measure of the targets; this one is for
comparing two versions of the code.

valgrind stops on an AVX-512 instruction in ruamel.yaml.clibz, the C parser that
ruamel.yaml 0.19 installs, so run this with a Python whose environment has
`ruamel.yaml.clib` (the Cython build of the same libyaml binding) as well, which
`ruamel.yaml.cyaml` prefers:

    python -m venv /tmp/vg && /tmp/vg/bin/pip install -e . ruamel.yaml.clib
    python benchmarks/count_instructions.py --python /tmp/vg/bin/python
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

STAGES = ("base", "floor", "loader", "read", "rules", "whole")

# Run by the measured Python: one stage over every card under ROOT.
STAGE = """
import datetime as dt, gc, sys
from pathlib import Path
from ruamel.yaml.cyaml import CParser
from agentroster.config import load_config
from agentroster.pipeline import card_rules_of, lint_roster
from agentroster.reading import display_paths, read_card
from agentroster.discover import discover
from agentroster.loader import _COLON_STAND_IN, _INNER_COLON_RE, load
import agentroster.graph, agentroster.report.text, agentroster.rules, agentroster.validate
stage, root = sys.argv[1], Path(sys.argv[2]).resolve()
config = load_config(root)
files = discover(root, exclude=config.exclude)
texts, raws = [f.read_text() for f in files], [f.read_bytes() for f in files]
today = dt.date(2026, 11, 21)
gc.disable()
if stage == "floor":
    for text in texts:
        parser = CParser(_INNER_COLON_RE.sub(_COLON_STAND_IN, text))
        while parser.get_event().__class__.__name__ != "StreamEndEvent":
            pass
elif stage == "loader":
    for raw in raws:
        load(raw)
elif stage in ("read", "rules"):
    rules = card_rules_of(config) if stage == "rules" else None
    for f, path in zip(files, display_paths(files, root)):
        read_card(f, path=path, config=config, today=today, rules=rules)
elif stage == "whole":
    lint_roster(root, config, today=today, cwd=root, jobs=1)
"""


def count(python: str, stage: str, root: Path) -> int:
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         python, "-c", STAGE, stage, str(root)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if match is None:
        raise SystemExit(f"no instruction count from valgrind for {stage}:\n{proc.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--python", default=sys.executable, help="the Python to measure")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "roster"
        generate(root, args.n)
        counts = {stage: count(args.python, stage, root) for stage in STAGES}
    per_card = {s: (counts[s] - counts["base"]) / args.n for s in STAGES[1:]}
    floor = per_card["floor"]
    print(f"{args.n} cards, instructions per card (valgrind), against the C event-parse floor")
    for stage, value in per_card.items():
        print(f"  {stage:7} {value / 1e6:7.3f} M   {value / floor:5.2f} x floor")


if __name__ == "__main__":
    main()
